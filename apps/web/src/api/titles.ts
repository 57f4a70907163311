import { titlesApi } from '@pingan/contract';
import { call, urlOf } from './client';

export const listTitles = () => call(titlesApi.list, {});
export const verifyCertificate = (no: string) => call(titlesApi.verify, { params: { no: no.trim() } });
export const certificateUrl = (titleId: number) => urlOf(titlesApi.certificate, { params: { id: titleId } });
