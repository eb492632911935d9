/** Routes (code-based): sign-in outside the shell; every page inside it is loaded on demand. */
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { ApiProblem } from './api/client.ts';
import {
  prefetchCsmHome,
  prefetchExecutiveHome,
  prefetchManagerHome,
  prefetchPipeline,
  renewalQuery,
} from './api/page-queries.ts';
import { workspaceQuery } from './api/queries.ts';
import { Loading, ProblemAlert } from './components/ui.tsx';
import { AppLayout } from './layout.tsx';
import { importRoleHome, roleHome } from './pages/role-home.ts';

type RouterContext = { queryClient: QueryClient };

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect: string | undefined } => ({
    redirect:
      typeof search.redirect === 'string' && search.redirect.startsWith('/') ? search.redirect : undefined,
  }),
  component: lazyRouteComponent(() => import('./pages/sign-in-page.tsx'), 'SignInPage'),
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData(workspaceQuery);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) {
        throw redirect({ to: '/sign-in', search: { redirect: location.href } });
      }
      throw error;
    }
  },
  component: AppLayout,
});

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  // The role's home chunk is fetched beside the home page's chunk, not after it renders (one wait, not two).
  loader: async ({ context }) => {
    const workspace = await context.queryClient.ensureQueryData(workspaceQuery);
    // A failed fetch is reported by the page's own lazy() import, which retries it.
    const home = roleHome(workspace.user.role);
    importRoleHome[home]().catch(() => undefined);
    // The data too, while the chunks load (the page's queries find it in flight or in the cache).
    const prefetch = { csm: prefetchCsmHome, manager: prefetchManagerHome, executive: prefetchExecutiveHome };
    prefetch[home](context.queryClient, workspace.today);
  },
  component: lazyRouteComponent(() => import('./pages/home-page.tsx'), 'HomePage'),
});
const pipelineRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/pipeline',
  loader: async ({ context }) => {
    const workspace = await context.queryClient.ensureQueryData(workspaceQuery);
    prefetchPipeline(context.queryClient, workspace.today);
  },
  component: lazyRouteComponent(() => import('./pages/pipeline-page.tsx'), 'PipelinePage'),
});
const renewalRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/renewals/$contractId',
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(renewalQuery(params.contractId));
  },
  component: lazyRouteComponent(() => import('./pages/renewal-room-page.tsx'), 'RenewalRoomPage'),
});
const forecastRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/forecast',
  component: lazyRouteComponent(() => import('./pages/forecast-page.tsx'), 'ForecastPage'),
});
const earlyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/early-renewal',
  component: lazyRouteComponent(() => import('./pages/early-renewal-page.tsx'), 'EarlyRenewalPage'),
});
const winLossRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/win-loss',
  component: lazyRouteComponent(() => import('./pages/win-loss-page.tsx'), 'WinLossPage'),
});

const playbookRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/playbook',
  validateSearch: (search: Record<string, unknown>): { milestone?: string; kind?: string } => ({
    ...(typeof search.milestone === 'string' ? { milestone: search.milestone } : {}),
    ...(typeof search.kind === 'string' ? { kind: search.kind } : {}),
  }),
  component: lazyRouteComponent(() => import('./pages/playbook-page.tsx'), 'PlaybookPage'),
});

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('./pages/settings-layout.tsx'), 'SettingsLayout'),
});
/** /settings leads to the first area the signed-in role may use. */
const settingsIndexRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/',
  beforeLoad: async ({ context }) => {
    const workspace = await context.queryClient.ensureQueryData(workspaceQuery);
    const role = workspace.user.role;
    const to = ['admin', 'manager'].includes(role) ? '/settings/policy' : '/settings/tokens';
    throw redirect({ to, replace: true });
  },
});
const settingsPolicyRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/policy',
  component: lazyRouteComponent(() => import('./pages/settings-policy-page.tsx'), 'SettingsPolicyPage'),
});
const settingsUsersRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/users',
  component: lazyRouteComponent(() => import('./pages/settings-users-page.tsx'), 'SettingsUsersPage'),
});
const settingsTokensRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/tokens',
  component: lazyRouteComponent(() => import('./pages/settings-tokens-page.tsx'), 'SettingsTokensPage'),
});
const settingsImportsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/imports',
  component: lazyRouteComponent(() => import('./pages/settings-imports-page.tsx'), 'SettingsImportsPage'),
});
const settingsTree = settingsRoute.addChildren([
  settingsIndexRoute,
  settingsPolicyRoute,
  settingsUsersRoute,
  settingsTokensRoute,
  settingsImportsRoute,
]);

const routeTree = rootRoute.addChildren([
  signInRoute,
  appRoute.addChildren([
    homeRoute,
    pipelineRoute,
    renewalRoute,
    forecastRoute,
    earlyRoute,
    winLossRoute,
    playbookRoute,
    settingsTree,
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPendingComponent: Loading,
    defaultErrorComponent: ({ error }) => <ProblemAlert error={error} />,
    defaultPreload: 'intent',
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
