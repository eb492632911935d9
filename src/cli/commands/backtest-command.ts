import type { Command } from 'commander';
import { backtestCsv, backtestStore } from '../../engine/forecast/backtest-renewals.ts';
import type { BacktestDocument } from '../../engine/forecast/run-backtest.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError, parseCountOption, parseDateOption, today } from '../dates.ts';
import { formatTable, policyFromOption } from './evaluate-command.ts';

type BacktestOptions = {
  from?: string;
  to?: string;
  asOf?: string;
  input?: string;
  policy?: string;
  horizon?: string;
  replay?: boolean;
  json?: boolean;
};

function n(value: number | null): string {
  return value === null ? '—' : value.toFixed(4);
}

function describe(doc: BacktestDocument): string {
  return [
    `Backtest ${doc.from}..${doc.to} (${doc.source}, ${doc.snapshotDates} snapshot dates, outcomes as of ${doc.asOf}): ${doc.renewals} forecasts, ${doc.resolved} resolved`,
    formatTable(
      ['forecaster', 'Brier', 'AUC', 'log loss', 'MAPE'],
      [
        ['model', n(doc.brier.model), n(doc.auc.model), n(doc.logLoss.model), n(doc.forecastModel.mape)],
        [
          'base rate',
          n(doc.brier.baseRate),
          n(doc.auc.baseRate),
          n(doc.logLoss.baseRate),
          n(doc.baselines.baseRate.mape),
        ],
        ['prior', n(doc.brier.prior), n(doc.auc.prior), n(doc.logLoss.prior), n(doc.baselines.prior.mape)],
      ],
    ),
    doc.resolved === 0
      ? 'no forecast in the range has resolved yet: nothing to score'
      : doc.beatsBaselines
        ? 'the model beats both baselines on Brier score'
        : 'the model does NOT beat both baselines',
    `slippage: ${doc.forecastModel.slipped} of ${doc.forecastModel.slippageJudged} judged`,
    '',
    formatTable(
      ['segment', 'forecasts', 'Brier', 'base rate', 'prior', 'MAPE'],
      doc.bySegment.map((s) => [
        s.segment,
        String(s.renewals),
        n(s.brier),
        n(s.baselineBrier.baseRate),
        n(s.baselineBrier.prior),
        n(s.mape),
      ]),
    ),
  ].join('\n');
}

export function registerBacktest(program: Command, context: () => CliContext): void {
  program
    .command('backtest')
    .description(
      'how accurate the renewal forecast was: Brier score beside the base rate and the prior, MAPE, slippage',
    )
    .option('--from <date>', 'first snapshot date')
    .option('--to <date>', 'last snapshot date')
    .option('--as-of <date>', 'outcomes known as of this date (default today)')
    .option('-i, --input <dir>', 'replay a directory of canonical CSVs (no database)')
    .option('--policy <file>', 'policy file for --input (default: the built-in policy)')
    .option(
      '--horizon <days>',
      'replay: forecast renewals due within this many days of each snapshot date',
      '90',
    )
    .option('--replay', 'on the store: replay the history even when forecast snapshots exist')
    .option('--json', 'print the JSON document')
    .action(async (options: BacktestOptions) => {
      const ctx = context();
      if (options.from === undefined || options.to === undefined) {
        throw new CliUsageError('--from and --to are required');
      }
      const from = parseDateOption('--from', options.from, () => today());
      const to = parseDateOption('--to', options.to, () => today());
      if (from > to) throw new CliUsageError(`--from ${from} is after --to ${to}`);
      const asOf = parseDateOption('--as-of', options.asOf, () => today());
      const horizonDays = parseCountOption('--horizon', options.horizon, 90, 3660);
      const range = { from, to, asOf, horizonDays };
      const doc = options.input
        ? await backtestCsv({
            inputDir: options.input,
            policy: await policyFromOption(options.policy),
            range,
          })
        : await withStore(ctx, (store) =>
            backtestStore({ session: store, tenantId: ctx.config.tenant, range, replay: options.replay }),
          );
      ctx.out(options.json ? JSON.stringify(doc, null, 2) : describe(doc));
    });
}
