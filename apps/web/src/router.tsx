import { Suspense } from 'react';
import { Spin } from 'antd';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router-dom';
import { APP_ROUTES } from './routes';
import { homePath } from './access';
import { useMe } from './auth/AuthContext';
import BasicLayout from './layouts/BasicLayout';
import PublicLayout from './layouts/PublicLayout';
import { RequireAuth, RoleGuard } from './components/RequireAuth';
import Exception from './components/Exception';
import LoginPage from './pages/login';
import PublicNoticeListPage from './pages/public/notices';
import PublicNoticePage from './pages/public/notice';
import VerifyPage from './pages/public/verify';

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

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <PublicLayout />,
    children: [
      { path: '/public', element: <PublicNoticeListPage /> },
      { path: '/public/notices/:id', element: <PublicNoticePage /> },
      { path: '/verify', element: <VerifyPage /> },
      { path: '/verify/:no', element: <VerifyPage /> },
    ],
  },
  {
    element: (
      <RequireAuth>
        <BasicLayout />
      </RequireAuth>
    ),
    children: [{ path: '/', element: <Home /> }, ...appChildren, { path: '*', element: <Exception kind="404" /> }],
  },
]);
