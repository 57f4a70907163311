import type { RequestOf, ResponseOf } from '@pingan/contract';
import { authApi } from '@pingan/contract';
import { call } from './client';

/**
 * 我的账号: password, sessions, the second factor (TOTP) and signing in with a code. Types derived
 * from the contract (packages/contract/src/auth.ts).
 */
type AuthApi = typeof authApi;
export type SessionItem = ResponseOf<AuthApi['sessions']>['items'][number];
export type TotpSetup = ResponseOf<AuthApi['totpSetup']>;
export type LoginAnswer = ResponseOf<AuthApi['login']>;
export type TotpDisableInput = RequestOf<AuthApi['totpDisable']>['body'];

/** Signs in; `otp` is the six-digit code when the server asked for it (401 OTP_REQUIRED). */
export const loginWithCode = (username: string, password: string, otp?: string) =>
  call(authApi.login, { body: { username, password, otp } });
export const changePassword = (currentPassword: string, newPassword: string) =>
  call(authApi.changePassword, { body: { currentPassword, newPassword } });
export const listSessions = () => call(authApi.sessions, {});
export const revokeOtherSessions = () => call(authApi.revokeOtherSessions, {});
export const setupTotp = () => call(authApi.totpSetup, {});
export const confirmTotp = (code: string) => call(authApi.totpConfirm, { body: { code } });
export const disableTotp = (body: TotpDisableInput) => call(authApi.totpDisable, { body });
