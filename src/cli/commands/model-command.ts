import type { Command } from 'commander';
import { evaluateModelOnCsv, type ModelEvaluation } from '../../engine/forecast/evaluate-model-on-csv.ts';
import type { CliContext } from '../context.ts';
import { CliUsageError, parseCountOption } from '../dates.ts';
import { policyFromOption } from './evaluate-command.ts';

type EvaluateModelOptions = { input: string; folds?: string; seed?: string; policy?: string; json?: boolean };

function score(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(4);
}

function describe(result: ModelEvaluation): string {
  const lines = [
    `${result.n} closed renewals (${result.renewed} renewed), ${result.folds}-fold cross-validation, seed ${result.seed}`,
    `            AUC     log loss  Brier`,
    `model       ${score(result.auc)}  ${score(result.logLoss)}    ${score(result.brier)}`,
    `base rate   ${score(result.baseline.baseRate.auc)}  ${score(result.baseline.baseRate.logLoss)}    ${score(result.baseline.baseRate.brier)}`,
    `prior       ${score(result.baseline.prior?.auc)}  ${score(result.baseline.prior?.logLoss)}    ${score(result.baseline.prior?.brier)}`,
    result.beatsBaselines
      ? 'the model beats both baselines on Brier score'
      : 'the model does NOT beat both baselines: use the prior until the history is richer',
    '',
    'top factors (log-odds per standard deviation):',
    ...result.topFactors.map((f) => `  ${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(3)}  ${f.feature}`),
  ];
  return lines.join('\n');
}

export function registerModel(program: Command, context: () => CliContext): void {
  const model = program.command('model').description('the renewal-probability model');
  model
    .command('evaluate')
    .description('cross-validate the renewal model on the closed renewals of a CSV directory')
    .requiredOption('-i, --input <dir>', 'directory of canonical CSV files (renewals.csv outcomes)')
    .option('--folds <n>', 'number of folds', '5')
    .option('--seed <n>', 'random seed of the fold assignment', '1')
    .option('--policy <file>', 'policy file (default: the built-in policy)')
    .option('--json', 'print the JSON document')
    .action(async (options: EvaluateModelOptions) => {
      const ctx = context();
      const folds = parseCountOption('--folds', options.folds, 5, 100);
      if (folds < 2) throw new CliUsageError('--folds: at least 2');
      const seed = parseCountOption('--seed', options.seed, 1, 2 ** 32 - 1);
      const result = await evaluateModelOnCsv({
        inputDir: options.input,
        policy: await policyFromOption(options.policy),
        folds,
        seed,
      });
      const { timings, ...document } = result;
      ctx.out(options.json ? JSON.stringify(document, null, 2) : describe(result));
      ctx.err(
        `timings: load ${timings.loadMs} ms, features ${timings.featuresMs} ms, cross-validation ${timings.crossValidationMs} ms`,
      );
    });
}
