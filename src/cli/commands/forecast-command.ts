import type { Command } from 'commander';
import { parsePeriod } from '../../domain/forecast/periods.ts';
import type { ForecastDocument } from '../../engine/forecast/build-forecast.ts';
import { forecastFromCsv, forecastFromStore } from '../../engine/forecast/forecast-renewals.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError, parseDateOption, today } from '../dates.ts';
import { registerBacktest } from './backtest-command.ts';
import { formatTable, policyFromOption } from './evaluate-command.ts';
import { registerForecastOverride } from './forecast-override-command.ts';
import { registerMetrics } from './metrics-command.ts';
import { registerModel } from './model-command.ts';

type ForecastOptions = { period?: string; asOf?: string; input?: string; policy?: string; json?: boolean };

function pct(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

function describe(doc: ForecastDocument): string {
  const c = doc.currency;
  const lines = [
    `Forecast ${doc.period} as of ${doc.asOf} (${c}); ${doc.model.model === 'logistic' ? `model fitted on ${doc.model.trainingRenewals} closed renewals` : `transparent prior: ${doc.model.reason}`}`,
    `renewable ${doc.renewableArr}  expected renewed ${doc.expectedRenewedArr}  at risk ${doc.atRiskArr}`,
    `GRR ${pct(doc.grr)} (target ${pct(doc.targets.grr)})  NRR ${pct(doc.nrr)} (target ${pct(doc.targets.nrr)})`,
    `waterfall: ${doc.waterfall.startingArr} − churn ${doc.waterfall.churnArr} − contraction ${doc.waterfall.contractionArr} + expansion ${doc.waterfall.expansionArr} = ${doc.waterfall.endingArr}`,
    `categories: ${Object.entries(doc.categories)
      .map(([name, total]) => `${name} ${total.renewals} (${total.arr})`)
      .join(', ')}`,
    '',
    formatTable(
      ['month', 'renewable', 'expected renewed', 'at risk', 'GRR', 'NRR'],
      doc.byMonth.map((m) => [
        m.period,
        m.renewableArr,
        m.expectedRenewedArr,
        m.atRiskArr,
        pct(m.grr),
        pct(m.nrr),
      ]),
    ),
    '',
    formatTable(
      ['contract', 'due', 'ARR', 'p', 'category', 'model', 'CSM', 'health'],
      doc.renewals.map((r) => [
        r.contractId,
        r.dueDate,
        r.arr,
        r.probability.toFixed(2),
        r.category,
        r.modelCategory,
        r.csmCategory ?? '—',
        `${r.healthScore} ${r.healthBand}`,
      ]),
    ),
  ];
  if (doc.disagreements.length > 0) {
    lines.push('', `${doc.disagreements.length} CSM calls disagree with the model:`);
    for (const d of doc.disagreements) {
      lines.push(
        `  ${d.contractId}: model ${d.modelCategory}, ${d.by ?? 'CSM'} ${d.csmCategory}${d.note ? ` — ${d.note}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

export function registerForecast(program: Command, context: () => CliContext): void {
  const forecast = program
    .command('forecast')
    .description('retention forecast of a period: renewable and expected renewed ARR, categories, GRR/NRR')
    .option('--period <period>', 'a quarter 2027-Q1, a month 2027-03 or a year 2027')
    .option('--as-of <date>', 'forecast as of this date (default today)')
    .option('-i, --input <dir>', 'dry run on a directory of canonical CSVs (no database)')
    .option('--policy <file>', 'policy file for --input (default: the built-in policy)')
    .option('--json', 'print the JSON document of the data contract')
    .action(async (options: ForecastOptions) => {
      const ctx = context();
      if (options.period === undefined) throw new CliUsageError('--period is required (e.g. 2027-Q1)');
      const period = parsePeriod(options.period);
      const asOf = parseDateOption('--as-of', options.asOf, () => today());
      const doc = options.input
        ? await forecastFromCsv({
            inputDir: options.input,
            policy: await policyFromOption(options.policy),
            asOf,
            period,
          })
        : await withStore(ctx, (store) =>
            forecastFromStore({ session: store, tenantId: ctx.config.tenant, asOf, period }),
          );
      ctx.out(options.json ? JSON.stringify(doc, null, 2) : describe(doc));
    });
  registerForecastOverride(forecast, context);
}

/** Registers the forecasting commands: forecast (and forecast override), metrics, model, backtest. */
export function registerForecastCommands(program: Command, context: () => CliContext): void {
  registerForecast(program, context);
  registerMetrics(program, context);
  registerModel(program, context);
  registerBacktest(program, context);
}
