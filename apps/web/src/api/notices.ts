import { noticesApi } from '@pingan/contract';
import { call, urlOf } from './client';
import type { NewNotice, NoticeCandidatesQuery, NoticeUpdate } from './types';

/** Types derived from the contract (packages/contract/src/notices.ts), kept importable from here. */
export type { NoticeCandidate, NoticeDetail, NoticeItem, NoticeRow, NoticeState } from './types';

export const listNotices = () => call(noticesApi.list, {});
export const noticesXlsxUrl = () => urlOf(noticesApi.list, { query: { format: 'xlsx' } });
export const getNotice = (id: number) => call(noticesApi.detail, { params: { id } });
export const noticeCandidates = (query: NoticeCandidatesQuery) => call(noticesApi.candidates, { query });
export const publishNotice = (input: NewNotice) => call(noticesApi.publish, { body: input });
export const updateNotice = (id: number, input: NoticeUpdate) => call(noticesApi.update, { params: { id }, body: input });
export const withdrawNotice = (id: number, reason: string) => call(noticesApi.withdraw, { params: { id }, body: { reason } });
export const removeNoticeItem = (id: number, applicationId: number, action: 'withdraw' | 'return', reason: string) =>
  call(noticesApi.removeItem, { params: { id, applicationId }, body: { action, reason } });
export const conferNotice = (id: number) => call(noticesApi.confer, { params: { id } });
// the public's notice pages are the public entry's (src/public/pages/notices), which call the contract themselves
