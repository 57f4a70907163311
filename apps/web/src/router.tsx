import { Suspense } from 'react';
import { Spin } from 'antd';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router-dom';
import { APP_ROUTES } from './routes';
import { homePath } from './access';
import { useMe } from './auth/AuthContext';
import BasicLayout from './layouts/BasicLayout';
import { RequireAuth, RoleGuard } from './components/RequireAuth';
import Exception from './components/Exception';
import LoginPage from './pages/login';

function Home() {
  const me = useMe();
  return <Navigate to={homePath(me.role)} replace />;
}

const appChildren: RouteObject[] = APP_ROUTES.flatMap((r) => [
  {
    path: r.path,
    element: (
      <RoleGuard roles={r.roles}>
        <Suspense fallback={<Spin />}>{r.element}</Suspense>
      </RoleGuard>
    ),
  },
  ...(r.subRoutes ?? []).map((s) => ({
    path: s.path,
    element: (
      <RoleGuard roles={s.roles ?? r.roles}>
        <Suspense fallback={<Spin />}>{s.element}</Suspense>
      </RoleGuard>
    ),
  })),
]);

// the public's pages (/public, /t, /verify) are a page of their own: public.html (src/public/)
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: (
      <RequireAuth>
        <BasicLayout />
      </RequireAuth>
    ),
    children: [{ path: '/', element: <Home /> }, ...appChildren, { path: '*', element: <Exception kind="404" /> }],
  },
]);
