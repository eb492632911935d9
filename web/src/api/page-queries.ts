/**
 * The first queries of the pages people open every morning — the role homes and the pipeline — shared by
 * the page (which renders them) and its route (whose loader starts them while the page's code is still
 * loading, router.tsx). Kept free of components so the router can import it without the page.
 */
import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { addDays, quarterOf } from '../periods.ts';
import { api, call } from './client.ts';
import { approvalsQuery, forecastQuery, metricsQuery, usersQuery } from './queries.ts';

/** One renewal with its health drivers, stakeholders, tasks and proposal (the renewal room's data). */
export const renewalQuery = (contractId: string) =>
  queryOptions({
    queryKey: ['renewal', contractId],
    queryFn: () => call(api.GET('/api/v1/renewals/{contractId}', { params: { path: { contractId } } })),
  });

/** The CSM home: due in 90 days, at risk, tasks due within a week, early-renewal candidates — all "mine". */
export function csmHomeQueries(today: string) {
  return {
    dueSoon: queryOptions({
      queryKey: ['renewals', 'home-due', today],
      queryFn: () =>
        call(
          api.GET('/api/v1/renewals', {
            params: {
              query: {
                owner: 'me',
                status: 'open',
                dueFrom: today,
                dueTo: addDays(today, 90),
                sort: 'dueDate',
                limit: 50,
              },
            },
          }),
        ),
    }),
    atRisk: queryOptions({
      queryKey: ['renewals', 'home-at-risk'],
      queryFn: () =>
        call(
          api.GET('/api/v1/renewals', {
            params: { query: { owner: 'me', status: 'open', atRisk: 'true', sort: 'dueDate', limit: 20 } },
          }),
        ),
    }),
    tasks: queryOptions({
      queryKey: ['tasks', 'home', today],
      queryFn: () =>
        call(
          api.GET('/api/v1/tasks', {
            params: { query: { owner: 'me', status: 'open', dueBefore: addDays(today, 7), limit: 50 } },
          }),
        ),
    }),
    early: queryOptions({
      queryKey: ['early-renewals', 'me'],
      queryFn: () => call(api.GET('/api/v1/early-renewals', { params: { query: { owner: 'me' } } })),
    }),
  };
}

/**
 * Starts the CSM home's queries, and each at-risk renewal's detail (its drivers) as soon as the at-risk
 * list is in. Failures are left to the page, whose own queries retry and show them.
 */
export function prefetchCsmHome(queryClient: QueryClient, today: string): void {
  const queries = csmHomeQueries(today);
  void queryClient.prefetchQuery(queries.dueSoon);
  void queryClient.prefetchQuery(queries.tasks);
  void queryClient.prefetchQuery(queries.early);
  void queryClient.prefetchQuery(usersQuery);
  queryClient
    .fetchQuery(queries.atRisk)
    .then((page) => {
      for (const renewal of page.items) void queryClient.prefetchQuery(renewalQuery(renewal.contractId));
    })
    .catch(() => undefined);
}

export type PipelineSort = 'dueDate' | 'arr' | 'health' | 'probability' | 'accountName';

export type PipelineFilters = {
  window: string;
  segment: string | null;
  band: string | null;
  owner: string | null;
  stage: string | null;
  riskFlag: string | null;
  sort: PipelineSort;
  descending: boolean;
};

export const DEFAULT_PIPELINE_FILTERS: PipelineFilters = {
  window: '90',
  segment: null,
  band: null,
  owner: null,
  stage: null,
  riskFlag: null,
  sort: 'dueDate',
  descending: false,
};

/** The renewals API's filters for the pipeline's filter bar (open renewals due in the window). */
export function pipelineFilterQuery(filters: PipelineFilters, today: string) {
  const due =
    filters.window === 'overdue'
      ? { dueTo: addDays(today, -1) }
      : { dueFrom: today, dueTo: addDays(today, Number(filters.window)) };
  return {
    status: 'open' as const,
    ...due,
    ...(filters.segment ? { segment: filters.segment as 'enterprise' } : {}),
    ...(filters.band ? { band: filters.band as 'green' } : {}),
    ...(filters.owner ? { owner: filters.owner } : {}),
    ...(filters.stage ? { stage: filters.stage } : {}),
    ...(filters.riskFlag ? { riskFlag: filters.riskFlag } : {}),
  };
}

/** One page (50 rows) of the pipeline table; `cursor` null for the first. */
export const pipelinePageQuery = (filters: PipelineFilters, today: string, cursor: string | null) =>
  queryOptions({
    queryKey: ['renewals', 'pipeline', filters, today, cursor],
    queryFn: () =>
      call(
        api.GET('/api/v1/renewals', {
          params: {
            query: {
              ...pipelineFilterQuery(filters, today),
              sort: `${filters.descending ? '-' : ''}${filters.sort}`,
              limit: 50,
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
  });

/** Starts the pipeline's first page with the default filters, and the people its rows name. */
export function prefetchPipeline(queryClient: QueryClient, today: string): void {
  void queryClient.prefetchQuery(pipelinePageQuery(DEFAULT_PIPELINE_FILTERS, today, null));
  void queryClient.prefetchQuery(usersQuery);
}

/** The team's stalled and slipping renewals and activity completion (the manager home). */
export const teamAttentionQuery = queryOptions({
  queryKey: ['team-attention'],
  queryFn: () => call(api.GET('/api/v1/team/attention')),
});

/** The manager home: approvals waiting, this and next quarter's forecast, the team, last quarter's metrics. */
export function prefetchManagerHome(queryClient: QueryClient, today: string): void {
  const lastQuarter = quarterOf(today, -1);
  void queryClient.prefetchQuery(approvalsQuery);
  void queryClient.prefetchQuery(forecastQuery(quarterOf(today).label));
  void queryClient.prefetchQuery(forecastQuery(quarterOf(today, 1).label));
  void queryClient.prefetchQuery(teamAttentionQuery);
  void queryClient.prefetchQuery(metricsQuery(lastQuarter.start, lastQuarter.end));
}

/** The executive home: the last four quarters' metrics, this and next quarter's forecast. */
export function prefetchExecutiveHome(queryClient: QueryClient, today: string): void {
  for (const offset of [-4, -3, -2, -1]) {
    const quarter = quarterOf(today, offset);
    void queryClient.prefetchQuery(metricsQuery(quarter.start, quarter.end));
  }
  void queryClient.prefetchQuery(forecastQuery(quarterOf(today).label));
  void queryClient.prefetchQuery(forecastQuery(quarterOf(today, 1).label));
}
