/** Query keys and fetchers shared by screens (TanStack Query). */
import { queryOptions } from '@tanstack/react-query';
import { api, call } from './client.ts';

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
