import { api } from './client';
import type { JobStatus } from './types';

/** A background job's status; 404 once it is forgotten (server restart, an hour after finishing). */
export const getJob = <R = unknown>(id: string) => api.get<JobStatus<R>>(`/api/jobs/${encodeURIComponent(id)}`);
