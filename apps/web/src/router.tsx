import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router-dom';
import { APP_ROUTES, preloadPage } from './routes';
import { homePath } from './access';
import { useMe } from './auth/AuthContext';
import BasicLayout from './layouts/BasicLayout';
import { RequireAuth, RoleGuard } from './components/RequireAuth';
import Exception from './components/Exception';
import PageLoading from './components/PageLoading';

const LoginPage = lazy(() => import('./pages/login'));

function Home() {
  const me = useMe();
  return <Navigate to={homePath(me.role)} replace />;
}

const page = (el: ReactNode) => <Suspense fallback={<PageLoading />}>{el}</Suspense>;

const appChildren: RouteObject[] = APP_ROUTES.flatMap((r) => [
  {
    path: r.path,
    element: <RoleGuard roles={r.roles}>{page(r.element)}</RoleGuard>,
  },
  ...(r.subRoutes ?? []).map((s) => ({
    path: s.path,
    element: <RoleGuard roles={s.roles ?? r.roles}>{page(s.element)}</RoleGuard>,
  })),
]);

// the first page's code downloads alongside the session check (RequireAuth), not after it
preloadPage(window.location.pathname);

// the public's pages (/public, /t, /verify) are a page of their own: public.html (src/public/)
export const router = createBrowserRouter([
  { path: '/login', element: page(<LoginPage />) },
  {
    element: (
      <RequireAuth>
        <BasicLayout />
      </RequireAuth>
    ),
    children: [{ path: '/', element: <Home /> }, ...appChildren, { path: '*', element: <Exception kind="404" /> }],
  },
]);
