/**
 * What the web workspace reads beyond the records themselves: who am I and what day is it, the
 * explanation of one renewal (drivers, to-green, risk evidence, milestones, early-renewal fit,
 * signals), the early-renewal program, and what needs a manager's attention.
 */
import { z } from 'zod';
import { ALL_ROLES } from '../../auth/roles.ts';
import { addDays, addMonths, type CalendarDate } from '../../domain/calendar.ts';
import { loadPolicy } from '../../engine/policy-store.ts';
import { explainAccounts } from '../../engine/queries/explain-accounts.ts';
import { getRenewal } from '../../engine/queries/get-renewal.ts';
import { listRenewals } from '../../engine/queries/list-renewals.ts';
import { teamAttention, teamOf } from '../../engine/queries/team-attention.ts';
import { tenantToday } from '../../engine/queries/tenant-today.ts';
import { getUser } from '../../engine/queries/users.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import { MoneySchema } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { HealthDriverSchema } from './renewal-schemas.ts';

const WorkspaceSchema = z
  .object({
    today: z.string().describe('the server’s calendar day (UTC); every “due in N days” counts from it'),
    user: z.object({
      userId: z.string(),
      name: z.string(),
      email: z.string(),
      role: z.string(),
      locale: z.string(),
      managerId: z.string().nullable(),
    }),
    reportingCurrency: z.string(),
    targets: z.object({ grr: z.number(), nrr: z.number() }),
    stages: z.array(z.string()).describe('the pipeline stages, in order'),
  })
  .meta({ id: 'Workspace' });

const InsightSchema = z
  .object({
    contractId: z.string(),
    asOf: z.string(),
    health: z.object({
      score: z.number(),
      band: z.string(),
      drivers: z.array(
        HealthDriverSchema.extend({
          componentScore: z.number(),
          weight: z.number(),
          dataMissing: z.boolean(),
        }),
      ),
      toGreen: z.array(z.object({ factor: z.string(), points: z.number(), action: z.string() })),
    }),
    renewal: z
      .object({
        daysToRenewal: z.number().int(),
        riskEvidence: z.array(z.object({ flag: z.string(), detail: z.string() })),
        atRiskReasons: z.array(z.string()),
        noticeDeadline: z.string().nullable(),
        milestones: z.array(
          z.object({ key: z.string(), date: z.string(), tasks: z.array(z.object({ title: z.string() })) }),
        ),
        probability: z.number(),
        probabilityFactors: z.array(z.object({ factor: z.string(), effect: z.number(), detail: z.string() })),
        earlyRenewal: z.object({
          qualified: z.boolean(),
          reasons: z.array(z.string()),
          details: z.array(z.string()),
          monthsEarly: z.number(),
          suggestedDiscountPct: z.object({ min: z.number(), max: z.number() }).nullable(),
          sweetSpot: z.boolean(),
        }),
      })
      .nullable()
      .describe('null when the account has no open contract to renew as of today'),
    signals: z.array(z.object({ date: z.string(), kind: z.string(), note: z.string().nullable() })),
  })
  .meta({ id: 'RenewalInsight' });

const EarlyCandidateSchema = z
  .object({
    contractId: z.string(),
    accountId: z.string(),
    accountName: z.string(),
    dueDate: z.string(),
    arr: MoneySchema,
    ownerUserId: z.string().nullable(),
    healthScore: z.number().nullable(),
    healthBand: z.string().nullable(),
    qualified: z.boolean(),
    reasons: z.array(z.string()).describe('why not, when disqualified'),
    details: z.array(z.string()),
    monthsEarly: z.number(),
    sweetSpot: z.boolean(),
    suggestedDiscountPct: z.object({ min: z.number(), max: z.number() }).nullable(),
    windowOpens: z.string().describe('the earliest day the program approaches this renewal'),
  })
  .meta({ id: 'EarlyRenewalCandidate' });

const AttentionSchema = z
  .object({
    renewals: z.array(
      z.object({
        contractId: z.string(),
        accountName: z.string(),
        dueDate: z.string(),
        arr: MoneySchema,
        stage: z.string().nullable(),
        ownerUserId: z.string().nullable(),
        healthBand: z.string().nullable(),
        overdueTasks: z.number().int(),
        reason: z.enum(['slipping', 'stalled', 'behind_playbook']),
      }),
    ),
    activity: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        role: z.string(),
        due: z.number().int(),
        done: z.number().int(),
        overdue: z.number().int(),
        completionRate: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'TeamAttention' });

/** The pipeline's stages in order (the board's columns). */
export const PIPELINE_STAGES = [
  'prep',
  'qualification',
  'value_review',
  'proposal',
  'negotiation',
  'verbal_commit',
  'contract_sent',
] as const;

/** The workspace's today: now in the tenant's time zone (the daily run's day), not the server's UTC date. */
export function todayOf(deps: ApiDeps, tenantId: string): Promise<CalendarDate> {
  return tenantToday(deps.store, tenantId, deps.now());
}

const EARLY_PAGE = 200;

export function registerWorkspaceRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/workspace',
    {
      schema: {
        operationId: 'getWorkspace',
        tags: ['workspace'],
        summary: 'Who is signed in, their locale, today’s date and the workspace’s reporting settings',
        response: { 200: WorkspaceSchema, ...problemResponses(401) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      const user = await getUser(deps.store, principal.tenantId, principal.userId);
      const { policy } = await loadPolicy(deps.store, principal.tenantId);
      return {
        today: await todayOf(deps, principal.tenantId),
        user: {
          userId: principal.userId,
          name: principal.name,
          email: principal.email,
          role: principal.role,
          locale: user?.locale ?? 'en',
          managerId: user?.managerId ?? null,
        },
        reportingCurrency: policy.reportingCurrency,
        targets: { grr: policy.forecast.targetGrr, nrr: policy.forecast.targetNrr },
        stages: [...PIPELINE_STAGES],
      };
    },
  );

  app.get(
    '/renewals/:contractId/insight',
    {
      schema: {
        operationId: 'getRenewalInsight',
        tags: ['renewals'],
        summary: 'Why the renewal stands where it does: drivers, to-green, risk evidence, plan, early fit',
        params: z.object({ contractId: z.string().min(1).max(200) }),
        response: { 200: InsightSchema, ...problemResponses(401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'read', { record: { kind: 'renewal', param: 'contractId' } }) },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const renewal = await getRenewal(deps.store, tenantId, request.params.contractId);
      if (!renewal) throw new ApiError('not_found');
      const asOf = await todayOf(deps, tenantId);
      const explained = (
        await explainAccounts({ session: deps.store, tenantId, accountIds: [renewal.accountId], asOf })
      ).get(renewal.accountId);
      if (!explained) throw new ApiError('not_found');
      const { evaluation, signals } = explained;
      const open = evaluation.renewal;
      return {
        contractId: renewal.contractId,
        asOf,
        health: evaluation.health,
        renewal:
          open && open.contractId === renewal.contractId
            ? {
                daysToRenewal: open.daysToRenewal,
                riskEvidence: open.riskEvidence,
                atRiskReasons: open.atRiskReasons,
                noticeDeadline: open.noticeDeadline,
                milestones: open.timeline.milestones.map((milestone) => ({
                  key: milestone.key,
                  date: milestone.date,
                  tasks: milestone.tasks.map((task) => ({ title: task.title })),
                })),
                probability: open.probability,
                probabilityFactors: open.probabilityFactors,
                earlyRenewal: {
                  qualified: open.earlyRenewal.qualified,
                  reasons: open.earlyRenewal.reasons,
                  details: open.earlyRenewal.details,
                  monthsEarly: open.earlyRenewal.monthsEarly,
                  suggestedDiscountPct: open.earlyRenewal.suggestedDiscountPct,
                  sweetSpot: open.earlyRenewal.sweetSpot,
                },
              }
            : null,
        signals: signals.map((signal) => ({ date: signal.date, kind: signal.kind, note: signal.note })),
      };
    },
  );

  app.get(
    '/early-renewals',
    {
      schema: {
        operationId: 'listEarlyRenewals',
        tags: ['renewals'],
        summary:
          'The early-renewal program: open renewals inside the program window, qualified with reasons or disqualified with why',
        querystring: z.object({
          owner: z.string().max(200).optional().describe('a user id, or `me`'),
        }),
        response: {
          200: z.object({ asOf: z.string(), items: z.array(EarlyCandidateSchema) }),
          ...problemResponses(400, 401),
        },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      const asOf = await todayOf(deps, principal.tenantId);
      const { policy } = await loadPolicy(deps.store, principal.tenantId);
      const owner = request.query.owner === 'me' ? principal.userId : request.query.owner;
      const page = await listRenewals({
        session: deps.store,
        tenantId: principal.tenantId,
        filters: {
          status: 'open',
          dueFrom: addDays(asOf, 1),
          dueTo: addMonths(asOf, policy.earlyRenewal.maxMonthsEarly + 1),
          ownerUserId: owner,
        },
        sort: 'dueDate',
        limit: EARLY_PAGE,
      });
      const explained = await explainAccounts({
        session: deps.store,
        tenantId: principal.tenantId,
        accountIds: [...new Set(page.items.map((renewal) => renewal.accountId))],
        asOf,
      });
      const items = [];
      for (const renewal of page.items) {
        const open = explained.get(renewal.accountId)?.evaluation.renewal;
        if (!open || open.contractId !== renewal.contractId) continue;
        const early = open.earlyRenewal;
        items.push({
          contractId: renewal.contractId,
          accountId: renewal.accountId,
          accountName: renewal.accountName,
          dueDate: renewal.dueDate,
          arr: renewal.arr,
          ownerUserId: renewal.owner.userId,
          healthScore: renewal.health.score,
          healthBand: renewal.health.band,
          qualified: early.qualified,
          reasons: early.reasons,
          details: early.details,
          monthsEarly: early.monthsEarly,
          sweetSpot: early.sweetSpot,
          suggestedDiscountPct: early.suggestedDiscountPct,
          windowOpens: addMonths(renewal.dueDate, -policy.earlyRenewal.maxMonthsEarly),
        });
      }
      return { asOf, items };
    },
  );

  app.get(
    '/team/attention',
    {
      schema: {
        operationId: 'getTeamAttention',
        tags: ['renewals'],
        summary:
          'Slipping and stalled renewals and activity completion by person: a manager’s team, or the workspace for others',
        response: { 200: AttentionSchema, ...problemResponses(401, 403) },
      },
      config: { access: allow(['admin', 'manager', 'executive', 'finance', 'viewer'], 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      const members =
        principal.role === 'manager' ? await teamOf(deps.store, principal.tenantId, principal.userId) : null;
      return teamAttention({
        session: deps.store,
        tenantId: principal.tenantId,
        asOf: await todayOf(deps, principal.tenantId),
        members,
      });
    },
  );
}
