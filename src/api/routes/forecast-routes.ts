/**
 * The retention forecast of a period (the model's calls with the CSMs' beside them, at-risk ARR, the
 * waterfall) and the realized retention metrics of a date range (renewal rate, GRR/NRR, waterfall,
 * early-renewal program, win/loss patterns; the process: timeline adherence, time per phase, team
 * hours vs budget, stall points). Both read the whole book: every role may read them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ALL_ROLES } from '../../auth/roles.ts';
import { addDays, type CalendarDate } from '../../domain/calendar.ts';
import { type Period, parsePeriod, periodOf } from '../../domain/forecast/periods.ts';
import { ADHERENCE_BUCKETS } from '../../domain/forecast/process-metrics.ts';
import type { ForecastDocument } from '../../engine/forecast/build-forecast.ts';
import { metricsFromStore } from '../../engine/forecast/metrics-renewals.ts';
import {
  noteForecastInputsChanged,
  registerForecastSerializer,
  type ServedForecast,
  serveForecast,
} from '../../engine/forecast/serve-forecast.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { problemResponses } from '../problem.ts';
import { CalendarDateSchema } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { todayOf } from './workspace-routes.ts';

const PeriodText = z
  .string()
  .max(20)
  .refine((text) => {
    try {
      parsePeriod(text);
      return true;
    } catch {
      return false;
    }
  }, 'a period: a year 2027, a quarter 2027-Q1 or a month 2027-03')
  .describe('2027, 2027-Q1 or 2027-03; default the current quarter');

const Ratio = z.number().nullable();
const Amount = z.string().describe('exact decimal in the reporting currency');
const CategoryTotals = z.object({ renewals: z.number().int(), arr: Amount });

const Totals = {
  renewableArr: Amount,
  expectedRenewedArr: Amount,
  atRiskArr: Amount,
  grr: Ratio,
  nrr: Ratio,
};

const WaterfallSchema = z
  .object({
    startingArr: Amount,
    churnArr: Amount,
    contractionArr: Amount,
    expansionArr: Amount,
    endingArr: Amount,
  })
  .meta({ id: 'Waterfall' });

const CATEGORY_KEYS = ['commit', 'probable', 'upside', 'at_risk'] as const;
const Categories = z.object(
  Object.fromEntries(CATEGORY_KEYS.map((key) => [key, CategoryTotals])) as {
    [K in (typeof CATEGORY_KEYS)[number]]: typeof CategoryTotals;
  },
);

const ForecastSchema = z
  .object({
    period: z.string(),
    asOf: z.string(),
    currency: z.string(),
    ...Totals,
    expectedChurnArr: Amount,
    expectedContractionArr: Amount,
    expectedExpansionArr: Amount,
    expectedEndingArr: Amount,
    targets: z.object({
      grr: z.number(),
      nrr: z.number(),
      grrOnTrack: z.boolean().nullable(),
      nrrOnTrack: z.boolean().nullable(),
    }),
    model: z.object({ model: z.enum(['logistic', 'prior']), trainingRenewals: z.number().int() }),
    counts: z.object({ renewals: z.number().int(), open: z.number().int(), closed: z.number().int() }),
    categories: Categories,
    byMonth: z.array(z.object({ period: z.string(), ...Totals, categories: Categories })),
    waterfall: WaterfallSchema,
    atRiskBySegment: z.array(z.object({ segment: z.string(), renewals: z.number().int(), arr: Amount })),
    atRiskByOwner: z.array(
      z.object({ ownerUserId: z.string().nullable(), renewals: z.number().int(), arr: Amount }),
    ),
    atRiskByReason: z.array(z.object({ reason: z.string(), renewals: z.number().int(), arr: Amount })),
    disagreements: z.array(
      z.object({
        contractId: z.string(),
        dueDate: z.string(),
        arr: Amount,
        probability: Ratio,
        modelCategory: z.string(),
        csmCategory: z.string().nullable(),
        by: z.string().nullable(),
        note: z.string().nullable(),
      }),
    ),
    renewals: z.array(
      z.object({
        contractId: z.string(),
        accountId: z.string(),
        dueDate: z.string(),
        arr: Amount,
        probability: z.number(),
        category: z.string(),
        modelCategory: z.string(),
        csmCategory: z.string().nullable(),
        segment: z.string(),
        ownerUserId: z.string().nullable(),
        healthScore: z.number(),
        healthBand: z.string(),
        stage: z.string().nullable(),
        riskFlags: z.array(z.string()),
      }),
    ),
    closedRenewals: z.array(
      z.object({ contractId: z.string(), dueDate: z.string(), arr: Amount, outcome: z.string() }),
    ),
  })
  .meta({ id: 'Forecast' });

const Summary = {
  renewals: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  pending: z.number().int(),
  startingArr: Amount,
  pendingArr: Amount,
  churnArr: Amount,
  contractionArr: Amount,
  expansionArr: Amount,
  endingArr: Amount,
  renewalRateByCount: Ratio,
  renewalRateByArr: Ratio,
  grr: Ratio,
  nrr: Ratio,
  earlyRenewalRate: Ratio,
  earlyRenewals: z.number().int(),
  averageDaysEarly: Ratio,
  revenueAccelerated: Amount,
  multiYearAttachRate: Ratio,
};

const Count = z.number().int();
const Stage = z.string().nullable().describe('a stage key; null = no stage set yet');
const AdherenceBucket = z.object({
  bucket: z.enum(ADHERENCE_BUCKETS),
  renewals: Count,
  won: Count,
  lost: Count,
  winRateByCount: Ratio,
  arr: Amount,
  wonArr: Amount,
  winRateByArr: Ratio,
});
const Adherence = { judged: Count, meanAdherence: Ratio, buckets: z.array(AdherenceBucket) };
const PhaseDuration = z.object({
  stage: Stage,
  stays: Count,
  medianDays: Ratio,
  p90Days: Ratio,
  meanDays: Ratio,
});
const Hours = {
  renewals: Count,
  withoutTasks: Count,
  medianHours: Ratio,
  meanHours: Ratio,
  loggedTasks: Count,
  estimatedTasks: Count,
  overBudget: Count,
  overBudgetShare: Ratio,
};

const ProcessMetricsSchema = z
  .object({
    policy: z.object({
      highAdherence: z.number(),
      mediumAdherence: z.number(),
      stallMedianMultiple: z.number(),
      minStaysForMedian: Count,
      lateStageByDaysBefore: Count,
      lateStages: z.array(z.string()),
    }),
    timelineAdherence: z.object({
      ...Adherence,
      bySegment: z.array(z.object({ segment: z.string(), ...Adherence })),
    }),
    timePerPhase: z.object({
      stages: z.array(PhaseDuration),
      bySegment: z.array(z.object({ segment: z.string(), stages: z.array(PhaseDuration) })),
    }),
    teamHours: z.object({
      ...Hours,
      bySegment: z.array(
        z.object({
          segment: z.string(),
          budget: z.object({ minHours: z.number(), maxHours: z.number() }).nullable(),
          ...Hours,
        }),
      ),
    }),
    stalls: z.object({
      open: Count,
      stalled: Count,
      stalledRenewals: z.array(
        z.object({
          contractId: z.string(),
          segment: z.string(),
          dueDate: z.string(),
          stage: Stage,
          inStageSince: z.string().nullable(),
          daysInStage: Ratio,
          stageMedianDays: Ratio,
          stalled: z.boolean(),
          reasons: z.array(z.enum(['over_median', 'not_late_at_deadline'])),
          overdueTasks: Count,
          overdueMilestones: z.array(z.string()),
        }),
      ),
      byStage: z.array(z.object({ stage: Stage, open: Count, stalled: Count, medianDays: Ratio })),
      byMilestone: z.array(
        z.object({ milestone: z.string(), renewals: Count, overdueTasks: Count, stalled: Count }),
      ),
      lostAfterStage: z.array(z.object({ stage: Stage, lost: Count, lostArr: Amount })),
    }),
  })
  .meta({ id: 'ProcessMetrics' });

const MetricsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    currency: z.string(),
    ...Summary,
    waterfall: WaterfallSchema,
    bySegment: z.array(z.object({ segment: z.string(), ...Summary })),
    byOwner: z.array(z.object({ ownerUserId: z.string().nullable(), ...Summary })),
    earlyProgram: z.object({
      earlyRenewals: z.number().int(),
      retainedArr: Amount,
      expansionArr: Amount,
      discountCost: Amount,
      standardChurnRate: Ratio,
      churnAvoided: Amount,
      roi: Ratio,
    }),
    winLoss: z.object({
      reasons: z.array(
        z.object({
          reason: z.string(),
          won: z.number().int(),
          lost: z.number().int(),
          lostArr: Amount,
          isPattern: z.boolean(),
        }),
      ),
      competitors: z.array(
        z.object({
          competitor: z.string(),
          losses: z.number().int(),
          lostArr: Amount,
          competitiveWins: z.number().int(),
          isPattern: z.boolean(),
        }),
      ),
      savePlays: z.object({
        withSavePlay: z.object({ renewals: z.number().int(), won: z.number().int(), winRate: Ratio }),
        withoutSavePlay: z.object({ renewals: z.number().int(), won: z.number().int(), winRate: Ratio }),
        notRecorded: z.number().int(),
        winRateLift: Ratio,
      }),
    }),
    targets: z.object({ grr: z.number(), nrr: z.number() }),
    process: ProcessMetricsSchema.nullable().describe(
      'timeline adherence vs win rate, time per phase, team hours vs budget, stall points (docs/METRICS.md)',
    ),
  })
  .meta({ id: 'RetentionMetrics' });

/** The quarter before the one containing `today`. */
export function previousQuarter(today: CalendarDate): Period {
  return periodOf(addDays(periodOf(today, 'quarter').start, -1), 'quarter');
}

/** The response serializer's work (validate the shape, drop the engine's extra fields), run once per document. */
function serializeForecast(document: ForecastDocument): string {
  return JSON.stringify(ForecastSchema.parse(document));
}

/**
 * Writes that can change a forecast input: renewals (a CSM call, an edit, a close-out, every
 * proposal step, which moves the stage), signatures and acceptances (they close renewals), the policy,
 * accounts, stakeholders, users. Not notes, tasks, tokens, webhooks, playbook entries or the policy
 * preview: those would only cost a rebuild. Not imports either: an upload is accepted before it runs,
 * and a finished import is in the cheap key (`import_runs` done) that every request reads.
 */
const FORECAST_INPUT_WRITE =
  /^\/(renewals\/[^/]+(?!\/notes$)(\/.*)?$|accept\/|signatures\/|policy$|accounts\/|stakeholders\/|users)/;

/** A route URL below the API prefix, e.g. `/renewals/:contractId`. */
function routeBelowPrefix(url: string | undefined): string {
  return (url ?? '').replace(/^\/api\/v\d+/, '');
}

function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return /(^|,)\s*gzip\s*(;\s*q=(?!0(\.0*)?\s*(,|$))[\d.]+)?\s*(,|$)/i.test(value);
}

/**
 * Sends a cached forecast: its body serialised (and gzipped) once per document and sent as is — a
 * string or buffer payload with a JSON content type skips the response serializer, whose work
 * `serializeForecast` did. An unchanged document answers a conditional request with 304.
 */
function sendServedForecast(request: FastifyRequest, reply: FastifyReply, forecast: ServedForecast) {
  reply.header('etag', forecast.etag).header('vary', 'accept-encoding');
  reply.header('cache-control', 'private, no-cache');
  if (request.headers['if-none-match'] === forecast.etag) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  if (acceptsGzip(request.headers['accept-encoding'])) {
    return reply.header('content-encoding', 'gzip').send(forecast.gzipped(serializeForecast));
  }
  return reply.send(forecast.body(serializeForecast));
}

export function registerForecastRoutes(app: ApiApp, deps: ApiDeps): void {
  registerForecastSerializer(serializeForecast);
  // Every write through this API that can change a forecast input marks the tenant's cached forecast
  // stale before its response is sent, so the writer's next forecast request shows the change.
  app.addHook('onSend', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (reply.statusCode >= 400) return;
    if (!FORECAST_INPUT_WRITE.test(routeBelowPrefix(request.routeOptions.url))) return;
    noteForecastInputsChanged({ session: deps.store, tenantId: request.principal?.tenantId });
  });

  app.get(
    '/forecast',
    {
      schema: {
        operationId: 'getForecast',
        tags: ['forecast'],
        summary: 'The retention forecast of a period as of today, with the CSMs’ calls beside the model’s',
        querystring: z.object({ period: PeriodText.optional() }),
        response: { 200: ForecastSchema, ...problemResponses(400, 401) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      const asOf = await todayOf(deps, tenantId);
      const period = request.query.period ? parsePeriod(request.query.period) : periodOf(asOf, 'quarter');
      const forecast = await serveForecast({ session: deps.store, tenantId, asOf, period });
      return sendServedForecast(request, reply, forecast);
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        tags: ['forecast'],
        summary:
          'Realized retention of the renewals due in a range: rate, GRR/NRR, waterfall, early program, win/loss, process',
        querystring: z.object({
          from: CalendarDateSchema.optional().describe('default: the first day of last quarter'),
          to: CalendarDateSchema.optional().describe('default: the last day of last quarter'),
        }),
        response: { 200: MetricsSchema, ...problemResponses(400, 401) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const asOf = await todayOf(deps, tenantId);
      const last = previousQuarter(asOf);
      const from = request.query.from ?? last.start;
      const to = request.query.to ?? last.end;
      const metrics = await metricsFromStore({ session: deps.store, tenantId, range: { from, to, asOf } });
      // The document's money fields are renamed generically (`…Minor` → decimal strings); the schema
      // names them, and validates the shape on the way out.
      return metrics as unknown as z.input<typeof MetricsSchema>;
    },
  );
}
