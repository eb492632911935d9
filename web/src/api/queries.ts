/** Query keys and fetchers shared by screens (TanStack Query). */
import { queryOptions } from '@tanstack/react-query';
import { api, call } from './client.ts';
import type { paths } from './schema';

export const workspaceQuery = queryOptions({
  queryKey: ['workspace'],
  queryFn: () => call(api.GET('/api/v1/workspace')),
  staleTime: 5 * 60_000,
});

export const usersQuery = queryOptions({
  queryKey: ['users'],
  queryFn: () => call(api.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
  staleTime: 5 * 60_000,
});

export const forecastQuery = (period: string) =>
  queryOptions({
    queryKey: ['forecast', period],
    queryFn: () => call(api.GET('/api/v1/forecast', { params: { query: { period } } })),
  });

export const metricsQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: ['metrics', from, to],
    queryFn: () => call(api.GET('/api/v1/metrics', { params: { query: { from, to } } })),
  });

export const approvalsQuery = queryOptions({
  queryKey: ['approvals'],
  queryFn: () => call(api.GET('/api/v1/approvals')),
});

export type PlaybookFilter = { milestone?: string; kind?: string; language?: string };

/** The playbook library (built-ins with this workspace's edits), optionally for one milestone or kind. */
export const playbookQuery = (filter: PlaybookFilter = {}) =>
  queryOptions({
    queryKey: ['playbook', filter],
    queryFn: () =>
      call(
        api.GET('/api/v1/playbook', {
          params: { query: filter as NonNullable<paths['/api/v1/playbook']['get']['parameters']['query']> },
        }),
      ),
    staleTime: 60_000,
  });

// Settings (issue 7 item 10)
export const policyQuery = queryOptions({
  queryKey: ['policy'],
  queryFn: () => call(api.GET('/api/v1/policy')),
});

export const allUsersQuery = queryOptions({
  queryKey: ['users', 'all'],
  queryFn: () =>
    call(api.GET('/api/v1/users', { params: { query: { limit: 200, includeDisabled: 'true' } } })),
});

export const myTokensQuery = queryOptions({
  queryKey: ['tokens'],
  queryFn: () => call(api.GET('/api/v1/auth/tokens', { params: { query: { all: 'false' } } })),
});

export const importHistoryQuery = queryOptions({
  queryKey: ['imports'],
  queryFn: () => call(api.GET('/api/v1/imports', { params: { query: { limit: 20 } } })),
});
