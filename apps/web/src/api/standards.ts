import { api } from './client';
import type { Category, StandardSummary, StandardVersion } from './types';

export const listStandards = () => api.get<StandardSummary[]>('/api/standards');
export const getStandardVersion = (id: number) => api.get<StandardVersion>(`/api/standard-versions/${id}`);
export const listCategories = () => api.get<Category[]>('/api/categories');
