import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { importFiles } from '../../import/import-files.ts';
import { combineMappings, convertCrmExports } from '../../import/presets/convert-crm-export.ts';
import { CRM_PRESETS, type CrmPreset } from '../../import/presets/crm-presets.ts';
import { readMappingFile } from '../../import/presets/mapping-spec.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError } from '../dates.ts';
import { createProgress } from '../progress.ts';

export function registerImport(program: Command, context: () => CliContext): void {
  program
    .command('import')
    .description('load canonical CSV files (a directory or files) into the store, all or nothing')
    .argument('<paths...>', 'directories or canonical CSV files')
    .option('--json', 'print the summary as JSON')
    .option(
      '--preset <crm>',
      'the files are CRM exports: salesforce (Accounts, Opportunities, Contacts) | hubspot',
    )
    .option('--mapping <file>', 'YAML/JSON mapping of export files and columns onto the canonical files')
    .action(async (paths: string[], options: { json?: boolean; preset?: string; mapping?: string }) => {
      const ctx = context();
      if (options.preset !== undefined && !(options.preset in CRM_PRESETS)) {
        throw new CliUsageError(`--preset: one of ${Object.keys(CRM_PRESETS).join(', ')}`);
      }
      let converted: string | null = null;
      let inputs = paths;
      if (options.preset !== undefined || options.mapping !== undefined) {
        const mapping = combineMappings(
          options.mapping ? await readMappingFile(options.mapping) : null,
          options.preset ? CRM_PRESETS[options.preset as CrmPreset] : null,
        );
        converted = await mkdtemp(path.join(os.tmpdir(), 'perennial-crm-'));
        try {
          const report = await convertCrmExports({ inputs: paths, mapping, outputDir: converted });
          for (const warning of report.warnings) ctx.err(`warning: ${warning}`);
          for (const file of report.files) {
            if (file.rows >= 0)
              ctx.err(
                `${file.source} → ${file.target}: ${file.rows} rows${file.skipped ? `, ${file.skipped} left out by the filter` : ''}`,
              );
          }
        } catch (error) {
          await rm(converted, { recursive: true, force: true });
          throw error;
        }
        inputs = [converted];
      }
      const progress = createProgress(ctx);
      let totalRows = 0;
      const summary = await withStore(ctx, (store) =>
        importFiles({
          store,
          tenantId: ctx.config.tenant,
          inputs,
          onProgress: ({ file, rows, bytesRead, sizeBytes }) =>
            progress.update(file, bytesRead, sizeBytes, totalRows + rows),
        }),
      ).finally(async () => {
        progress.stop();
        if (converted) await rm(converted, { recursive: true, force: true });
      });
      totalRows = summary.rows;
      if (options.json) {
        ctx.out(JSON.stringify(summary, null, 2));
        return;
      }
      for (const warning of summary.warnings) ctx.err(`warning: ${warning}`);
      for (const file of summary.files) {
        ctx.out(
          `${file.file.padEnd(17)} ${String(file.rows).padStart(9)} rows: ${file.inserted} new, ${file.updated} updated, ${file.unchanged} unchanged`,
        );
      }
      const rate =
        summary.durationMs > 0 ? Math.round((summary.rows / summary.durationMs) * 1000) : summary.rows;
      ctx.out(
        `imported ${summary.rows} rows in ${(summary.durationMs / 1000).toFixed(1)} s (${rate} rows/s)`,
      );
    });
}
