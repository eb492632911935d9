import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { generateDemo } from '../../demo/generate-demo.ts';
import { seedDemoProcessHistory } from '../../demo/seed-demo-process-history.ts';
import { importFiles } from '../../import/import-files.ts';
import { type CliContext, withStore } from '../context.ts';
import { parseCountOption, parseDateOption, today } from '../dates.ts';
import { createProgress } from '../progress.ts';

export type DemoOptions = { accounts?: string; seed?: string; asOf?: string; output?: string };

/** Generates the demo portfolio and loads it into the store (or only writes the CSVs with --output). */
export async function runDemo(ctx: CliContext, options: DemoOptions): Promise<void> {
  const accounts = parseCountOption('--accounts', options.accounts, 500);
  const seed = parseCountOption('--seed', options.seed, 42, 2 ** 31);
  const asOf = parseDateOption('--as-of', options.asOf, () => today());
  const progress = createProgress(ctx);
  const outputDir = options.output ?? (await mkdtemp(path.join(os.tmpdir(), 'perennial-demo-')));
  try {
    const summary = await generateDemo({
      accounts,
      seed,
      asOf,
      outputDir,
      onProgress: (rows) => progress.update('generating', rows, rows, rows),
    });
    progress.stop();
    ctx.out(
      `demo portfolio: ${summary.accounts.total} accounts (${summary.accounts.active} active, ${summary.accounts.churned} churned), ${summary.totalRows} rows, as of ${asOf}, seed ${seed}`,
    );
    if (options.output) {
      ctx.out(`written to ${outputDir}`);
      return;
    }
    const { imported, history } = await withStore(ctx, async (store) => {
      const tenantId = ctx.config.tenant;
      const imported = await importFiles({
        store,
        tenantId,
        inputs: [outputDir],
        onProgress: ({ file, rows, bytesRead, sizeBytes }) =>
          progress.update(file, bytesRead, sizeBytes, rows),
      });
      // Tasks and stage changes of the closed renewals, so the process metrics have data; written once.
      return { imported, history: await seedDemoProcessHistory({ store, tenantId, seed }) };
    });
    progress.stop();
    ctx.out(
      `loaded ${imported.rows} rows into the store (${imported.files.reduce((n, f) => n + f.inserted, 0)} new)`,
    );
    ctx.out(
      history.tasks > 0
        ? `process history: ${history.renewals} closed renewals, ${history.tasks} tasks, ${history.stageChanges} stage changes`
        : 'process history: nothing new (already loaded, or no closed renewals)',
    );
  } finally {
    progress.stop();
    if (!options.output) await rm(outputDir, { recursive: true, force: true });
  }
}

export function registerDemo(program: Command, context: () => CliContext): void {
  program
    .command('demo')
    .description('create a realistic synthetic portfolio (deterministic for a seed) and load it')
    .option('--accounts <n>', 'number of accounts', '500')
    .option('--seed <n>', 'random seed', '42')
    .option('--as-of <date>', 'the portfolio is generated as of this date (default today)')
    .option('-o, --output <dir>', 'write the CSV files here instead of loading them')
    .action((options: DemoOptions) => runDemo(context(), options));
}
