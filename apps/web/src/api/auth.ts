import { authApi } from '@pingan/contract';
import { call } from './client';

export const login = (username: string, password: string) => call(authApi.login, { body: { username, password } });
export const logout = () => call(authApi.logout, {});
export const fetchMe = () => call(authApi.me, {});
