import type { Command } from 'commander';
import { startScheduler } from '../../jobs/scheduler.ts';
import { openStore } from '../../store/open-store.ts';
import type { CliContext } from '../context.ts';
import { CliUsageError } from '../dates.ts';
import { serveUntilStopped } from '../serve-until-stopped.ts';

/**
 * `perennial serve`: the HTTP API on the configured store until SIGTERM/SIGINT. On a signal it stops
 * accepting connections, lets requests in flight finish, then closes the store (it opens the store
 * itself rather than through `withStore`, whose signal handler would close the store under running
 * requests).
 */
export function registerServe(program: Command, context: () => CliContext): void {
  program
    .command('serve')
    .description('run the HTTP API (/api/v1, docs at /api/docs) until stopped')
    .option('--port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .option('--no-schedule', 'do not run the scheduler and outbox delivery in this process')
    .action(async (options: { port?: string; host?: string; schedule: boolean }) => {
      const ctx = context();
      const port = options.port === undefined ? ctx.config.port : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new CliUsageError(`--port: not a port: ${options.port}`);
      const store = await openStore(ctx.config);
      await serveUntilStopped({
        ctx,
        store,
        port,
        host: options.host ?? ctx.config.host,
        background: options.schedule
          ? () => startScheduler({ store, config: ctx.config, log: ctx.log })
          : undefined,
      });
    });
}
