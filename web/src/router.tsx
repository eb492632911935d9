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
import { workspaceQuery } from './api/queries.ts';
import { Loading, ProblemAlert } from './components/ui.tsx';
import { AppLayout } from './layout.tsx';

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
  component: lazyRouteComponent(() => import('./pages/home-page.tsx'), 'HomePage'),
});
const pipelineRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/pipeline',
  component: lazyRouteComponent(() => import('./pages/pipeline-page.tsx'), 'PipelinePage'),
});
const renewalRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/renewals/$contractId',
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

const routeTree = rootRoute.addChildren([
  signInRoute,
  appRoute.addChildren([homeRoute, pipelineRoute, renewalRoute, forecastRoute, earlyRoute, winLossRoute]),
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
