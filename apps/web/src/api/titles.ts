import { titlesApi, type RequestOf } from '@pingan/contract';
import { call, urlOf } from './client';

export type TitleListQuery = NonNullable<RequestOf<typeof titlesApi.list>['query']>;
export type CertificateLayout = 'plaque' | 'a4';

export const listTitles = (query: TitleListQuery = {}) => call(titlesApi.list, { query });
/** The list as Excel, with the page's filters. */
export const titlesXlsxUrl = (query: Omit<TitleListQuery, 'limit' | 'offset'>) =>
  urlOf(titlesApi.list, { query: { ...query, format: 'xlsx' } });
export const certificateUrl = (titleId: number, layout: CertificateLayout = 'plaque') =>
  urlOf(titlesApi.certificate, { params: { id: titleId }, query: { layout } });
export const getSigningKey = () => call(titlesApi.signingKey, {});
export const setNamingDocument = (campaignId: number, namingDocument: string, overwrite = false) =>
  call(titlesApi.setNamingDocument, { params: { id: campaignId }, body: { namingDocument, overwrite } });
export const startCertificateBatch = (campaignId: number, layout: CertificateLayout) =>
  call(titlesApi.startBatch, { params: { id: campaignId }, body: { layout } });
export const listCertificateBatches = (campaignId: number) =>
  call(titlesApi.listBatches, { params: { id: campaignId }, query: { limit: 10 } });
export const getCertificateBatch = (id: number) => call(titlesApi.batch, { params: { id } });
export const batchPdfUrl = (id: number) => urlOf(titlesApi.batchPdf, { params: { id } });
export const batchZipUrl = (id: number) => urlOf(titlesApi.batchZip, { params: { id } });
