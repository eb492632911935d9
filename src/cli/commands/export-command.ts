import type { Command } from 'commander';
import { exportFiles } from '../../export/export-files.ts';
import { type CliContext, withStore } from '../context.ts';

export function registerExport(program: Command, context: () => CliContext): void {
  program
    .command('export')
    .description('write the store back as canonical CSV files')
    .requiredOption('-o, --output <dir>', 'directory to write the CSV files into')
    .action(async (options: { output: string }) => {
      const ctx = context();
      const summary = await withStore(ctx, (store) =>
        exportFiles({ store, tenantId: ctx.config.tenant, outputDir: options.output }),
      );
      for (const file of summary.files)
        ctx.out(`${file.file.padEnd(17)} ${String(file.rows).padStart(9)} rows`);
      ctx.out(`exported to ${summary.outputDir}`);
    });
}
