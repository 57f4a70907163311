import { api } from './client';
import type { Me } from './types';

export const login = (username: string, password: string) => api.post<{ ok: true }>('/api/auth/login', { username, password });
export const logout = () => api.post<{ ok: true }>('/api/auth/logout');
export const fetchMe = () => api.get<Me>('/api/me');
