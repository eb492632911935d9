import type { Command } from 'commander';
import {
  type MetricsDocument,
  metricsFromCsv,
  metricsFromStore,
  type ProcessDocument,
} from '../../engine/forecast/metrics-renewals.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError, parseDateOption, today } from '../dates.ts';
import { policyFromOption } from './evaluate-command.ts';

type MetricsOptions = {
  from?: string;
  to?: string;
  asOf?: string;
  input?: string;
  policy?: string;
  json?: boolean;
};

function pct(value: unknown): string {
  return typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '—';
}

function num(value: number | null, digits = 0): string {
  return value === null ? '—' : value.toFixed(digits);
}

/** The process lines: adherence vs win rate, time per phase, team hours vs budget, stall points. */
function describeProcess(process: ProcessDocument): string[] {
  const { timelineAdherence, timePerPhase, teamHours, stalls } = process;
  const stage = (key: string | null) => key ?? '(no stage)';
  return [
    `timeline adherence vs win rate: ${timelineAdherence.buckets
      .filter((b) => b.renewals > 0)
      .map(
        (b) =>
          `${b.bucket} ${b.renewals} renewals, ${pct(b.winRateByCount)} won (${pct(b.winRateByArr)} of ARR)`,
      )
      .join('; ')}`,
    `time per phase (median / p90 days): ${timePerPhase.stages
      .map((p) => `${stage(p.stage)} ${num(p.medianDays)}/${num(p.p90Days)}`)
      .join(', ')}`,
    `team hours per renewal (median vs budget): ${teamHours.bySegment
      .map(
        (s) =>
          `${s.segment} ${num(s.medianHours, 1)} h${s.budget ? ` vs ${s.budget.minHours}–${s.budget.maxHours} h, ${pct(s.overBudgetShare)} over` : ''}`,
      )
      .join('; ')} (${teamHours.loggedTasks} tasks logged, ${teamHours.estimatedTasks} at their estimate)`,
    `stalled: ${stalls.stalled} of ${stalls.open} open renewals${
      stalls.byStage.some((s) => s.stalled > 0)
        ? ` — ${stalls.byStage
            .filter((s) => s.stalled > 0)
            .map((s) => `${stage(s.stage)} ${s.stalled}`)
            .join(', ')}`
        : ''
    }; overdue milestones: ${stalls.byMilestone.map((m) => `${m.milestone} ${m.renewals}`).join(', ') || '—'}`,
    `lost after stage: ${stalls.lostAfterStage.map((s) => `${stage(s.stage)} ${s.lost}`).join(', ') || '—'}`,
  ];
}

function describe(doc: MetricsDocument): string {
  const m = doc as MetricsDocument & Record<string, unknown>;
  const winLoss = m.winLoss as {
    reasons: { reason: string; lost: number; isPattern: boolean }[];
    competitors: { competitor: string; losses: number; isPattern: boolean }[];
  };
  return [
    `Renewals due ${doc.from}..${doc.to} (${doc.currency}): ${m.renewals} (${m.won} won, ${m.lost} lost, ${m.pending} pending)`,
    `renewal rate ${pct(m.renewalRateByCount)} by count, ${pct(m.renewalRateByArr)} by ARR`,
    `GRR ${pct(m.grr)}  NRR ${pct(m.nrr)}  (targets ${pct(doc.targets.grr)} / ${pct(doc.targets.nrr)})`,
    `starting ${m.startingArr} − churn ${m.churnArr} − contraction ${m.contractionArr} + expansion ${m.expansionArr} = ending ${m.endingArr}`,
    `early renewals ${pct(m.earlyRenewalRate)} (avg ${typeof m.averageDaysEarly === 'number' ? m.averageDaysEarly.toFixed(0) : '—'} days early, ${m.revenueAccelerated} accelerated); multi-year attach ${pct(m.multiYearAttachRate)}`,
    `loss reasons: ${winLoss.reasons
      .filter((r) => r.lost > 0)
      .slice(0, 6)
      .map((r) => `${r.reason} ${r.lost}${r.isPattern ? ' (pattern)' : ''}`)
      .join(', ')}`,
    `competitors: ${winLoss.competitors
      .slice(0, 6)
      .map((c) => `${c.competitor} ${c.losses}${c.isPattern ? ' (pattern)' : ''}`)
      .join(', ')}`,
    ...(doc.process ? describeProcess(doc.process) : []),
  ].join('\n');
}

export function registerMetrics(program: Command, context: () => CliContext): void {
  program
    .command('metrics')
    .description(
      'retention metrics of the renewals due in a period: renewal rate, GRR, NRR, churn, early renewals, win/loss',
    )
    .option('--from <date>', 'first due date (inclusive)')
    .option('--to <date>', 'last due date (inclusive)')
    .option('--as-of <date>', 'what is known as of this date (default today)')
    .option('-i, --input <dir>', 'a directory of canonical CSVs (no database)')
    .option('--policy <file>', 'policy file for --input (default: the built-in policy)')
    .option('--json', 'print the JSON document')
    .action(async (options: MetricsOptions) => {
      const ctx = context();
      if (options.from === undefined || options.to === undefined) {
        throw new CliUsageError('--from and --to are required');
      }
      const from = parseDateOption('--from', options.from, () => today());
      const to = parseDateOption('--to', options.to, () => today());
      if (from > to) throw new CliUsageError(`--from ${from} is after --to ${to}`);
      const asOf = parseDateOption('--as-of', options.asOf, () => today());
      const range = { from, to, asOf };
      const doc = options.input
        ? await metricsFromCsv({
            inputDir: options.input,
            policy: await policyFromOption(options.policy),
            range,
          })
        : await withStore(ctx, (store) =>
            metricsFromStore({ session: store, tenantId: ctx.config.tenant, range }),
          );
      ctx.out(options.json ? JSON.stringify(doc, null, 2) : describe(doc));
    });
}
