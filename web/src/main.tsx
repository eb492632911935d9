import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from './api/client.ts';
import { workspaceQuery } from './api/queries.ts';
import { I18nProvider } from './i18n/i18n.tsx';
import { makeRouter } from './router.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) => !(error instanceof ApiProblem && error.status < 500) && failures < 2,
    },
  },
});
const router = makeRouter(queryClient);

function Workspace() {
  const { data } = useQuery({ ...workspaceQuery, enabled: false });
  useEffect(() => {
    // Any 401 (session expired, signed out elsewhere) sends the person back to sign in.
    const signedOut = () => {
      if (router.state.location.pathname === '/sign-in') return;
      queryClient.clear();
      void router.navigate({ to: '/sign-in', search: { redirect: router.state.location.href } });
    };
    window.addEventListener('perennial:signed-out', signedOut);
    return () => window.removeEventListener('perennial:signed-out', signedOut);
  }, []);
  return (
    <I18nProvider userLocale={data?.user.locale ?? null}>
      <RouterProvider router={router} />
    </I18nProvider>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
        <QueryClientProvider client={queryClient}>
          <Workspace />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
