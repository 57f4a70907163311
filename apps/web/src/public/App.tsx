import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useParams } from 'react-router-dom';
import { LangProvider, Layout, Loading, NotFound } from './kit';

/** The public pages, each loaded on first visit. Add a route here (see README.md). */
const HomePage = lazy(() => import('./pages/home/HomePage'));
const NoticePage = lazy(() => import('./pages/notices/NoticePage'));
const ReceiptPage = lazy(() => import('./pages/objections/ReceiptPage'));
const VotesPage = lazy(() => import('./pages/votes/VotesPage'));
const VotePage = lazy(() => import('./pages/votes/VotePage'));
const HonourPage = lazy(() => import('./pages/honour/HonourPage'));
const TitlePage = lazy(() => import('./pages/title/TitlePage'));
const VerifyPage = lazy(() => import('./pages/verify/VerifyPage'));
const SurveyPage = lazy(() => import('./pages/surveys/SurveyPage'));

const page = (el: ReactNode) => <Suspense fallback={<Loading />}>{el}</Suspense>;

/** /verify/:no → the title's page (an old link or a typed number). */
function VerifyRedirect() {
  const { no } = useParams();
  return <Navigate to={`/t/${encodeURIComponent((no ?? '').trim().toUpperCase())}`} replace />;
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/public', element: page(<HomePage />) },
      { path: '/public/notices/:code', element: page(<NoticePage />) },
      { path: '/public/objections/:receipt', element: page(<ReceiptPage />) },
      { path: '/public/votes', element: page(<VotesPage />) },
      { path: '/public/votes/:code', element: page(<VotePage />) },
      { path: '/public/honour', element: page(<HonourPage />) },
      { path: '/public/surveys/:code', element: page(<SurveyPage />) },
      { path: '/t/:no', element: page(<TitlePage />) },
      { path: '/verify', element: page(<VerifyPage />) },
      { path: '/verify/:no', element: <VerifyRedirect /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export default function App() {
  return (
    <LangProvider>
      <RouterProvider router={router} />
    </LangProvider>
  );
}
