import { lazy, type ReactNode } from 'react';
import type { Role } from '@pingan/core';
import type { MessageKey } from './locales';
import { APPLICATION_READERS, EVERYONE, SIGNED_IN, STAFF } from './access';
import DashboardPage from './pages/dashboard';
import CampaignListPage from './pages/campaigns/list';
import CampaignFormPage from './pages/campaigns/new';
import ApplicationListPage from './pages/applications/list';
import ApplicationDetailPage from './pages/applications/detail';
import NoticeListPage from './pages/notices/list';
import NoticeFormPage from './pages/notices/new';
import NoticeDetailPage from './pages/notices/detail';
import ObjectionListPage from './pages/objections/list';
import ObjectionDetailPage from './pages/objections/detail';
import TitleListPage from './pages/titles/list';
import StandardListPage from './pages/standards/list';
import StandardVersionPage from './pages/standards/version';
import StandardDetailPage from './pages/standards/detail';
import StandardEditorPage from './pages/standards/editor';
import NotificationListPage from './pages/notifications';
import QuotasPage from './pages/quotas';
import RecommendationsPage from './pages/recommendations';
import SelectionsPage from './pages/selections';
import SignoffWorklistPage from './pages/signoffs/worklist';
import SignoffMatrixPage from './pages/signoffs/matrix';
import ExpertPoolPage from './pages/experts';
import ExpertAssignPage from './pages/experts/assign';
import OnsiteListPage from './pages/onsite';
import OnsiteCheckPage from './pages/onsite/check';
import InspectionsPage from './pages/inspections';
import VoteListPage from './pages/votes';
import VoteDetailPage from './pages/votes/detail';
import IncidentListPage from './pages/incidents';
import IncidentNewPage from './pages/incidents/new';
import IncidentDetailPage from './pages/incidents/detail';
import AccountPage from './pages/account';

// the administrators' pages are loaded when first opened: most accounts never see them
const AuditPage = lazy(() => import('./pages/audit'));
const AdminUsersPage = lazy(() => import('./pages/admin/users'));
const AdminOrgsPage = lazy(() => import('./pages/admin/orgs'));
const AdminPolicyPage = lazy(() => import('./pages/admin/policy'));
// the region-assessment pages carry charts (echarts): loaded when first opened
const SurveyListPage = lazy(() => import('./pages/surveys'));
const SurveyDetailPage = lazy(() => import('./pages/surveys/detail'));
const AssessmentPage = lazy(() => import('./pages/assessment'));
const RankingPage = lazy(() => import('./pages/assessment/ranking'));
const AnalyticsPage = lazy(() => import('./pages/analytics'));
const RosterPage = lazy(() => import('./pages/roster'));
const FilingListPage = lazy(() => import('./pages/filings'));
const FilingDetailPage = lazy(() => import('./pages/filings/detail'));

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
    subRoutes: [
      { path: '/campaigns/new', roles: ['safety_office'], element: <CampaignFormPage /> },
      { path: '/campaigns/:id/edit', roles: ['safety_office'], element: <CampaignFormPage /> },
    ],
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
    key: 'signoffs',
    path: '/signoffs',
    menu: 'signoffs.menu',
    roles: ['lead_department', 'cooperating_department'],
    element: <SignoffWorklistPage />,
  },
  { key: 'signoffMatrix', path: '/signoffs/matrix', menu: 'signoffs.matrixMenu', roles: ['safety_office'], element: <SignoffMatrixPage /> },
  {
    key: 'experts',
    path: '/experts',
    menu: 'experts.menu',
    roles: ['safety_office'],
    element: <ExpertPoolPage />,
    subRoutes: [{ path: '/experts/assign/:campaignId', element: <ExpertAssignPage /> }],
  },
  {
    key: 'onsite',
    path: '/onsite',
    menu: 'onsite.menu',
    roles: ['expert'],
    element: <OnsiteListPage />,
    subRoutes: [{ path: '/onsite/:applicationId', element: <OnsiteCheckPage /> }],
  },
  { key: 'inspections', path: '/inspections', menu: 'insp.menu', roles: ['safety_office'], element: <InspectionsPage /> },
  {
    key: 'incidents',
    path: '/incidents',
    menu: 'incidents.menu',
    menuFor: { applicant: 'incidents.menuMine' },
    roles: ['safety_office', 'lead_department', 'cooperating_department', 'applicant'],
    element: <IncidentListPage />,
    subRoutes: [
      { path: '/incidents/new', roles: ['safety_office', 'lead_department', 'cooperating_department'], element: <IncidentNewPage /> },
      { path: '/incidents/:id', element: <IncidentDetailPage /> },
    ],
  },
  {
    key: 'notices',
    path: '/notices',
    menu: 'menu.notices',
    roles: ['safety_office'],
    element: <NoticeListPage />,
    subRoutes: [
      { path: '/notices/new', element: <NoticeFormPage /> },
      { path: '/notices/:id', element: <NoticeDetailPage /> },
    ],
  },
  {
    key: 'objections',
    path: '/objections',
    menu: 'objections.menu',
    roles: ['safety_office', 'lead_department'],
    element: <ObjectionListPage />,
    subRoutes: [{ path: '/objections/:id', element: <ObjectionDetailPage /> }],
  },
  {
    key: 'votes',
    path: '/votes',
    menu: 'votes.menu',
    roles: ['safety_office'],
    element: <VoteListPage />,
    subRoutes: [{ path: '/votes/:id', element: <VoteDetailPage /> }],
  },
  { key: 'quotas', path: '/quotas', menu: 'quotas.menu', roles: ['safety_office', 'lead_department'], element: <QuotasPage /> },
  {
    key: 'recommendations',
    path: '/recommendations',
    menu: 'recommend.menu',
    roles: ['safety_office', 'lead_department'],
    element: <RecommendationsPage />,
  },
  { key: 'selections', path: '/selections', menu: 'selection.menu', roles: ['safety_office'], element: <SelectionsPage /> },
  {
    key: 'analytics',
    path: '/analytics',
    menu: 'analytics.menu',
    roles: ['safety_office', 'lead_department', 'cooperating_department'],
    element: <AnalyticsPage />,
  },
  { key: 'assessment', path: '/assessment', menu: 'assessment.menu', roles: ['safety_office'], element: <AssessmentPage /> },
  { key: 'ranking', path: '/assessment/ranking', menu: 'assessment.rankingMenu', roles: ['safety_office'], element: <RankingPage /> },
  {
    key: 'surveys',
    path: '/surveys',
    menu: 'surveys.menu',
    roles: ['safety_office', 'lead_department'],
    element: <SurveyListPage />,
    subRoutes: [{ path: '/surveys/:id', element: <SurveyDetailPage /> }],
  },
  {
    key: 'filings',
    path: '/filings',
    menu: 'filings.menu',
    roles: ['safety_office', 'lead_department'],
    element: <FilingListPage />,
    subRoutes: [{ path: '/filings/:id', element: <FilingDetailPage /> }],
  },
  { key: 'roster', path: '/roster', menu: 'roster.menu', roles: ['safety_office'], element: <RosterPage /> },
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
  { key: 'notifications', path: '/notifications', menu: 'notifications.menu', roles: EVERYONE, element: <NotificationListPage /> },
  // 三员分立: each administrator sees its own pages only (keys follow the path so the menu marks the page)
  { key: 'admin/users', path: '/admin/users', menu: 'admin.users.menu', roles: ['sys_admin'], element: <AdminUsersPage /> },
  { key: 'admin/orgs', path: '/admin/orgs', menu: 'admin.orgs.menu', roles: ['sys_admin'], element: <AdminOrgsPage /> },
  { key: 'admin/policy', path: '/admin/policy', menu: 'admin.policy.menu', roles: ['security_admin'], element: <AdminPolicyPage /> },
  { key: 'audit', path: '/audit', menu: 'audit.menu', roles: ['audit_admin'], element: <AuditPage /> },
  { key: 'account', path: '/account', menu: 'account.menu', roles: SIGNED_IN, element: <AccountPage /> },
];

/** The menu entries a role sees, in order. */
export function menuRoutes(role: Role): AppRoute[] {
  return APP_ROUTES.filter((r) => r.roles.includes(role));
}
