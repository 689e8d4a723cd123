import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { ApiError, projectApi, request } from './api/client';
import { ScopeContext } from './api/session';
import type { Me, Session } from './api/types';
import { ErrorState, Loading } from './components/states';
import { AuthPage } from './pages/auth/auth-page';
import { Shell } from './pages/shell';
import { hrefWithParams, navigate, useLocation } from './router/location';

// Pages load on first visit, so the sign-in screen and the overview do not pay for the rest.
const OverviewPage = lazy(() => import('./pages/overview/overview-page'));
const EventsPage = lazy(() => import('./pages/events/events-page'));
const BudgetsPage = lazy(() => import('./pages/budgets/budgets-page'));
const RecommendationsPage = lazy(() => import('./pages/recommendations/recommendations-page'));
const SettingsPage = lazy(() => import('./pages/settings/settings-page'));
const QuickStartPage = lazy(() => import('./pages/quickstart/quickstart-page'));
const AuditPage = lazy(() => import('./pages/audit/audit-page'));
const InvitePage = lazy(() => import('./pages/invite/invite-page'));
const BillingPage = lazy(() => import('./pages/billing/billing-page'));
const ComparePage = lazy(() => import('./pages/compare/compare-page'));
const SessionsPage = lazy(() => import('./pages/sessions/sessions-page'));
const CustomersPage = lazy(() => import('./pages/customers/customers-page'));

export const PAGES = [
  { path: '/', label: 'Overview', component: OverviewPage },
  { path: '/events', label: 'Events', component: EventsPage },
  { path: '/sessions', label: 'Sessions', component: SessionsPage },
  { path: '/customers', label: 'Customers', component: CustomersPage },
  { path: '/budgets', label: 'Budgets & alerts', component: BudgetsPage },
  { path: '/recommendations', label: 'Recommendations', component: RecommendationsPage },
  { path: '/billing', label: 'Billing', component: BillingPage },
  { path: '/compare', label: 'Compare', component: ComparePage },
  { path: '/settings', label: 'Settings', component: SettingsPage },
  { path: '/settings/audit', label: 'Audit log', component: AuditPage },
  { path: '/quickstart', label: 'Quick start', component: QuickStartPage },
] as const;

const AUTH_PATHS = ['/login', '/signup'];
/** Pages for anyone, signed in or not: an invitation link works before and after signing in. */
const OPEN_PATHS = ['/invite'];

export function App() {
  const loc = useLocation();
  const projectParam = loc.params.get('project_id') ?? undefined;
  const isAuthPage = AUTH_PATHS.includes(loc.path);
  const isOpenPage = OPEN_PATHS.includes(loc.path);
  // The probe answers 200 to a signed-out visitor too: a 401 here would be logged by the browser as an error.
  const me = useQuery({
    queryKey: ['me', projectParam ?? null],
    queryFn: async ({ signal }): Promise<Me | null> => (await request<Session>('/api/session', { query: { project_id: projectParam }, signal })).me,
    retry: false,
  });
  const signedOut = me.data === null || (me.error instanceof ApiError && me.error.status === 401);

  useEffect(() => {
    if (isOpenPage) return;
    if (signedOut && !isAuthPage) navigate('/login', { replace: true });
    if (me.data && isAuthPage) navigate(`/?project_id=${encodeURIComponent(me.data.project.id)}`, { replace: true });
    // The chosen project always shows in the URL, so the view can be shared as it is.
    if (me.data && !isAuthPage && !projectParam) {
      navigate(hrefWithParams(loc, { project_id: me.data.project.id }), { replace: true });
    }
  }, [signedOut, isOpenPage, isAuthPage, me.data, projectParam, loc]);

  const scope = useMemo(() => {
    if (!me.data) return null;
    const projectId = projectParam ?? me.data.project.id;
    return { me: me.data, projectId, api: projectApi(projectId) };
  }, [me.data, projectParam]);

  if (isAuthPage) {
    if (me.isPending) return <Loading />;
    return <AuthPage mode={loc.path === '/signup' ? 'signup' : 'login'} />;
  }
  if (isOpenPage) {
    if (me.isPending) return <Loading />;
    return (
      <Suspense fallback={<Loading />}>
        <InvitePage me={me.data ?? null} />
      </Suspense>
    );
  }
  if (signedOut) return <Loading label="Redirecting to sign in…" />;
  if (me.error) {
    return (
      <main className="centered">
        <ErrorState error={me.error} title="LLMLab could not load your account" onRetry={() => me.refetch()} />
        {projectParam && (
          <p>
            <a href="/">Open your default project instead</a>
          </p>
        )}
      </main>
    );
  }
  if (!scope) return <Loading />;

  const page = PAGES.find((p) => p.path === loc.path);
  const Page = page?.component;
  return (
    <ScopeContext.Provider value={scope}>
      <Shell pages={PAGES} current={loc.path}>
        {Page ? (
          <Suspense fallback={<Loading />}>
            <Page key={scope.projectId} />
          </Suspense>
        ) : (
          <NotFound />
        )}
      </Shell>
    </ScopeContext.Provider>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Go to the overview</a>.
      </p>
    </section>
  );
}
