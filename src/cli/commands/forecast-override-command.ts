import type { Command } from 'commander';
import { FORECAST_CATEGORIES, type ForecastCategory } from '../../domain/forecast/categorize-forecast.ts';
import { recordForecastOverride } from '../../engine/forecast/record-forecast-override.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError } from '../dates.ts';

type OverrideOptions = { contract: string; category: string; as: string; note?: string; json?: boolean };

/** `perennial forecast override`: the CSM's call, recorded beside the model's. */
export function registerForecastOverride(forecast: Command, context: () => CliContext): void {
  forecast
    .command('override')
    .description("record a CSM's forecast call on a renewal beside the model's (the model's call is kept)")
    .requiredOption('--contract <id>', 'the contract whose renewal is called')
    .requiredOption('--category <category>', FORECAST_CATEGORIES.join(' | '))
    .requiredOption('--as <userId>', 'the user making the call')
    .option('--note <text>', 'why')
    .option('--json', 'print the result as JSON')
    .action(async (options: OverrideOptions) => {
      const ctx = context();
      if (!FORECAST_CATEGORIES.includes(options.category as ForecastCategory)) {
        throw new CliUsageError(`--category: expected one of ${FORECAST_CATEGORIES.join(', ')}`);
      }
      const result = await withStore(ctx, (store) =>
        recordForecastOverride({
          store,
          tenantId: ctx.config.tenant,
          override: {
            contractId: options.contract,
            category: options.category as ForecastCategory,
            by: options.as,
            note: options.note ?? null,
          },
        }),
      );
      if (options.json) {
        ctx.out(JSON.stringify(result, null, 2));
        return;
      }
      ctx.out(
        `${result.contractId}: ${result.by} calls ${result.csmCategory}; the model's call is ${result.modelCategory ?? 'not yet made (next daily run)'}` +
          (result.disagreement ? ' — a disagreement, shown in the forecast' : ''),
      );
    });
}
