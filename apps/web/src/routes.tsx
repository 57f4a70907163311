import type { ReactNode } from 'react';
import type { Role } from '@pingan/core';
import type { MessageKey } from './locales';
import { APPLICATION_READERS, EVERYONE, STAFF } from './access';
import DashboardPage from './pages/dashboard';
import CampaignListPage from './pages/campaigns/list';
import CampaignFormPage from './pages/campaigns/new';
import ApplicationListPage from './pages/applications/list';
import ApplicationDetailPage from './pages/applications/detail';
import NoticeListPage from './pages/notices/list';
import NoticeFormPage from './pages/notices/new';
import TitleListPage from './pages/titles/list';
import StandardListPage from './pages/standards/list';
import StandardVersionPage from './pages/standards/version';
import StandardDetailPage from './pages/standards/detail';
import StandardEditorPage from './pages/standards/editor';

export interface SubRoute {
  path: string;
  roles?: readonly Role[];
  element: ReactNode;
}

/** One menu entry: its key (nav-<key> in tests), path, menu name, who sees it, and its sub-pages. */
export interface AppRoute {
  key: string;
  path: string;
  menu: MessageKey;
  /** a different menu name for some roles */
  menuFor?: Partial<Record<Role, MessageKey>>;
  roles: readonly Role[];
  element: ReactNode;
  subRoutes?: SubRoute[];
}

export const APP_ROUTES: AppRoute[] = [
  { key: 'dashboard', path: '/dashboard', menu: 'menu.dashboard', roles: STAFF, element: <DashboardPage /> },
  {
    key: 'campaigns',
    path: '/campaigns',
    menu: 'menu.campaigns',
    roles: APPLICATION_READERS,
    element: <CampaignListPage />,
    subRoutes: [{ path: '/campaigns/new', roles: ['safety_office'], element: <CampaignFormPage /> }],
  },
  {
    key: 'applications',
    path: '/applications',
    menu: 'menu.applications',
    menuFor: { applicant: 'menu.myApplications' },
    roles: APPLICATION_READERS,
    element: <ApplicationListPage />,
    subRoutes: [{ path: '/applications/:id', element: <ApplicationDetailPage /> }],
  },
  {
    key: 'notices',
    path: '/notices',
    menu: 'menu.notices',
    roles: ['safety_office'],
    element: <NoticeListPage />,
    subRoutes: [{ path: '/notices/new', element: <NoticeFormPage /> }],
  },
  { key: 'titles', path: '/titles', menu: 'menu.titles', roles: APPLICATION_READERS, element: <TitleListPage /> },
  {
    key: 'standards',
    path: '/standards',
    menu: 'menu.standards',
    roles: EVERYONE,
    element: <StandardListPage />,
    subRoutes: [
      { path: '/standards/versions/:id', element: <StandardVersionPage /> },
      { path: '/standards/:id', element: <StandardDetailPage /> },
      { path: '/standards/:id/new-version', roles: ['safety_office'], element: <StandardEditorPage /> },
    ],
  },
];

/** The menu entries a role sees, in order. */
export function menuRoutes(role: Role): AppRoute[] {
  return APP_ROUTES.filter((r) => r.roles.includes(role));
}
