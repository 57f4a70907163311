import { standardsApi } from '@pingan/contract';
import { call, urlOf } from './client';
import type { StandardExportFormat } from './types';

export const listStandards = () => call(standardsApi.list, {});
export const getStandardVersion = (id: number) => call(standardsApi.version, { params: { id } });
export const listCategories = () => call(standardsApi.categories, {});

/** The changes from version number `a` to version number `b` of a standard. */
export const diffVersions = (standardId: number, a: number, b: number) => call(standardsApi.diff, { params: { id: standardId, a, b } });

/** Checks a document for the editor without storing it: field-named errors. */
export const validateStandard = (doc: unknown) => call(standardsApi.validate, { body: { doc } });

/** Creates a standard as version 1 (平安办); a 400 carries details.errors, field-named messages. */
export const createStandard = (doc: unknown, note: string | null) => call(standardsApi.create, { body: { doc, note } });

/** Stores the next version (平安办); a 400 carries details.errors, field-named messages. */
export const addStandardVersion = (standardId: number, doc: unknown, note: string | null) =>
  call(standardsApi.addVersion, { params: { id: standardId }, body: { doc, note } });

/** A download link: the server answers with an attachment. */
export const standardExportUrl = (versionId: number, format: StandardExportFormat) =>
  urlOf(standardsApi.export, { params: { id: versionId }, query: { format } });
