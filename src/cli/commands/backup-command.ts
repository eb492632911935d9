import path from 'node:path';
import type { Command } from 'commander';
import { backupStore } from '../../store/backup/backup-store.ts';
import { restoreStore } from '../../store/backup/restore-store.ts';
import { type CliContext, withStore } from '../context.ts';

function describeTables(tables: Record<string, number>): string {
  return Object.entries(tables)
    .filter(([, rows]) => rows > 0)
    .map(([table, rows]) => `${table} ${rows}`)
    .join(', ');
}

/** `perennial backup FILE` and `perennial restore FILE [--force]` (every tenant; see docs/RELIABILITY.md). */
export function registerBackup(program: Command, context: () => CliContext): void {
  program
    .command('backup')
    .description('write a consistent snapshot of the whole store (every tenant) to FILE (gzip JSON lines)')
    .argument('<file>', 'the backup file to write (e.g. perennial-2026-11-23.jsonl.gz)')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const ctx = context();
      const started = Date.now();
      const summary = await withStore(ctx, (store) => backupStore({ store, file: path.resolve(file) }));
      if (options.json) {
        ctx.out(JSON.stringify(summary, null, 2));
        return;
      }
      ctx.out(
        `backed up ${summary.rows} rows from ${Object.keys(summary.tables).length} tables to ${summary.file} ` +
          `(${(summary.bytes / 1024).toFixed(0)} KiB, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      ctx.out(describeTables(summary.tables));
    });

  program
    .command('restore')
    .description('load a backup into an EMPTY store, all or nothing (--force replaces what the store holds)')
    .argument('<file>', 'a file written by `perennial backup`')
    .option('--force', 'empty a store that is not empty before restoring (everything in it is lost)')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { force?: boolean; json?: boolean }) => {
      const ctx = context();
      const summary = await withStore(ctx, (store) =>
        restoreStore({ store, file: path.resolve(file), force: options.force === true }),
      );
      if (options.json) {
        ctx.out(JSON.stringify(summary, null, 2));
        return;
      }
      ctx.out(
        `restored ${summary.rows} rows into ${Object.keys(summary.tables).length} tables` +
          (summary.replaced ? ' (the previous contents were replaced)' : ''),
      );
      ctx.out(describeTables(summary.tables));
    });
}
