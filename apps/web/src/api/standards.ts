import { api } from './client';
import type { Category, NewStandardVersion, StandardChange, StandardExportFormat, StandardSummary, StandardVersion } from './types';

export const listStandards = () => api.get<StandardSummary[]>('/api/standards');
export const getStandardVersion = (id: number) => api.get<StandardVersion>(`/api/standard-versions/${id}`);
export const listCategories = () => api.get<Category[]>('/api/categories');

/** The changes from version number `a` to version number `b` of a standard. */
export const diffVersions = (standardId: number, a: number, b: number) =>
  api.get<StandardChange[]>(`/api/standards/${standardId}/versions/${a}/diff/${b}`);

/** Stores the next version (平安办); a 400 carries details.errors, field-named messages. */
export const addStandardVersion = (standardId: number, doc: unknown, note: string | null) =>
  api.post<NewStandardVersion>(`/api/standards/${standardId}/versions`, { doc, note });

/** A download link: the server answers with an attachment. */
export const standardExportUrl = (versionId: number, format: StandardExportFormat) =>
  `/api/standard-versions/${versionId}/export?format=${format}`;
