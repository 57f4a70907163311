import { isValidElement, lazy, type ComponentType, type ReactNode } from 'react';
import { matchPath } from 'react-router-dom';
import type { Role } from '@pingan/core';
import type { MessageKey } from './locales';
import { APPLICATION_READERS, EVERYONE, SIGNED_IN, STAFF } from './access';

// Every page is its own chunk, loaded when first opened (router.tsx shows PageLoading meanwhile):
// an account downloads only the pages it opens, and a change to one page leaves the others cached.
// `preload` starts a page's download without rendering it (preloadPage below).
function page(load: () => Promise<{ default: ComponentType }>) {
  return Object.assign(lazy(load), { preload: load });
}
const DashboardPage = page(() => import('./pages/dashboard'));
const CampaignListPage = page(() => import('./pages/campaigns/list'));
const CampaignFormPage = page(() => import('./pages/campaigns/new'));
const ApplicationListPage = page(() => import('./pages/applications/list'));
const ApplicationDetailPage = page(() => import('./pages/applications/detail'));
const NoticeListPage = page(() => import('./pages/notices/list'));
const NoticeFormPage = page(() => import('./pages/notices/new'));
const NoticeDetailPage = page(() => import('./pages/notices/detail'));
const ObjectionListPage = page(() => import('./pages/objections/list'));
const ObjectionDetailPage = page(() => import('./pages/objections/detail'));
const TitleListPage = page(() => import('./pages/titles/list'));
const StandardListPage = page(() => import('./pages/standards/list'));
const StandardVersionPage = page(() => import('./pages/standards/version'));
const StandardDetailPage = page(() => import('./pages/standards/detail'));
const StandardEditorPage = page(() => import('./pages/standards/editor'));
const NotificationListPage = page(() => import('./pages/notifications'));
const QuotasPage = page(() => import('./pages/quotas'));
const RecommendationsPage = page(() => import('./pages/recommendations'));
const SelectionsPage = page(() => import('./pages/selections'));
const SignoffWorklistPage = page(() => import('./pages/signoffs/worklist'));
const SignoffMatrixPage = page(() => import('./pages/signoffs/matrix'));
const ExpertPoolPage = page(() => import('./pages/experts'));
const ExpertAssignPage = page(() => import('./pages/experts/assign'));
const OnsiteListPage = page(() => import('./pages/onsite'));
const OnsiteCheckPage = page(() => import('./pages/onsite/check'));
const InspectionsPage = page(() => import('./pages/inspections'));
const VoteListPage = page(() => import('./pages/votes'));
const VoteDetailPage = page(() => import('./pages/votes/detail'));
const IncidentListPage = page(() => import('./pages/incidents'));
const IncidentNewPage = page(() => import('./pages/incidents/new'));
const IncidentDetailPage = page(() => import('./pages/incidents/detail'));
const AccountPage = page(() => import('./pages/account'));
const AuditPage = page(() => import('./pages/audit'));
const AdminUsersPage = page(() => import('./pages/admin/users'));
const AdminOrgsPage = page(() => import('./pages/admin/orgs'));
const AdminPolicyPage = page(() => import('./pages/admin/policy'));
const SurveyListPage = page(() => import('./pages/surveys'));
const SurveyDetailPage = page(() => import('./pages/surveys/detail'));
const AssessmentPage = page(() => import('./pages/assessment'));
const RankingPage = page(() => import('./pages/assessment/ranking'));
const AnalyticsPage = page(() => import('./pages/analytics'));
const RosterPage = page(() => import('./pages/roster'));
const FilingListPage = page(() => import('./pages/filings'));
const FilingDetailPage = page(() => import('./pages/filings/detail'));

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

/**
 * Starts downloading the page at this address (the app's first address: while the session is being
 * checked, instead of after). An address that is no page, or a wrong guess, costs nothing but a download.
 */
export function preloadPage(pathname: string): void {
  for (const r of APP_ROUTES)
    for (const { path, element } of [r, ...(r.subRoutes ?? [])]) {
      if (!matchPath(path, pathname) || !isValidElement(element)) continue;
      const preload = (element.type as { preload?: () => Promise<unknown> }).preload;
      void preload?.().catch(() => undefined); // a failure shows when the page renders
      return;
    }
}

/** The menu entries a role sees, in order. */
export function menuRoutes(role: Role): AppRoute[] {
  return APP_ROUTES.filter((r) => r.roles.includes(role));
}
