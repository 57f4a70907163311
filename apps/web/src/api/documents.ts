import { documentsApi } from '@pingan/contract';
import { urlOf } from './client';

/** 打印文书: addresses of the PDFs (downloaded by the browser with the session cookie). */
export const applicationFormUrl = (id: number) => urlOf(documentsApi.applicationForm, { params: { id } });
export const reviewFormUrl = (id: number) => urlOf(documentsApi.reviewForm, { params: { id } });
export const regionSummaryUrl = (regionId: number, year: number) => urlOf(documentsApi.regionSummary, { query: { regionId, year } });
