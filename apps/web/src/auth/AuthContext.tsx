import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, setForcedHandler, setUnauthorizedHandler } from '../api/client';
import { fetchMe, logout } from '../api/auth';
import type { Me } from '../api/types';
import PageLoading from '../components/PageLoading';
import { forcedOf } from './forced';

// rarely shown (a first sign-in, an expired password): its forms, QR code and steps load when needed
const ForcedFlow = lazy(() => import('./ForcedFlow'));

interface AuthState {
  me: Me | null;
  loading: boolean;
  /** a failure other than "not signed in" (network, server) */
  error: string | null;
  /** the account signed out on purpose (no "come back here" redirect) */
  signedOut: boolean;
  refresh: () => Promise<Me | null>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const m = await fetchMe();
      setMe(m);
      setError(null);
      setSignedOut(false);
      return m;
    } catch (e) {
      setMe(null);
      if (!(e instanceof ApiError && e.status === 401)) setError(e instanceof Error ? e.message : String(e));
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      setSignedOut(true);
      setMe(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthorizedHandler(() => setMe(null));
    // the server demands a new password or a second factor first: /api/me says which
    setForcedHandler(() => void refresh());
    return () => {
      setUnauthorizedHandler(null);
      setForcedHandler(null);
    };
  }, [refresh]);

  const value = useMemo(() => ({ me, loading, error, signedOut, refresh, signOut }), [me, loading, error, signedOut, refresh, signOut]);
  // while a password change or a second factor is due, that page is the whole app
  const forced = me ? forcedOf(me) : null;
  return (
    <AuthContext.Provider value={value}>
      {me && forced ? (
        <Suspense fallback={<PageLoading />}>
          <ForcedFlow me={me} kind={forced} onDone={() => void refresh()} onSignOut={() => void signOut().catch(() => undefined)} />
        </Suspense>
      ) : (
        children
      )}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The signed-in account; only for pages under RequireAuth. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a signed-in account');
  return me;
}
