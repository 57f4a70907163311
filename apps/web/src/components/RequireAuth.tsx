import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import type { Role } from '@pingan/core';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../locales';
import Exception from './Exception';

/** Sends a visitor without a session to /login, remembering where they were going. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading, error, signedOut, refresh } = useAuth();
  const location = useLocation();
  const t = useT();
  if (loading)
    return (
      <div className="center-screen">
        <Spin size="large" />
      </div>
    );
  if (error && !me)
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={error}
        extra={<Button onClick={() => void refresh()}>{t('common.retry')}</Button>}
      />
    );
  if (!me)
    return <Navigate to={signedOut ? '/login' : `/login?redirect=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

/** Shows 403 to roles a page is not for. */
export function RoleGuard({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { me } = useAuth();
  if (!me || !roles.includes(me.role)) return <Exception kind="403" />;
  return <>{children}</>;
}
