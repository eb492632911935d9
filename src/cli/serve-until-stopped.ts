/**
 * Runs the HTTP API (and the web workspace) on an open store until SIGINT/SIGTERM, then stops taking
 * requests, lets those in flight finish, and closes the store. Shared by `serve` and `start`.
 */
import { startServer } from '../api/server.ts';
import type { Store } from '../store/store.ts';
import type { CliContext } from './context.ts';

export type BackgroundWork = { stop: () => Promise<void> };

export async function serveUntilStopped({
  ctx,
  store,
  port,
  host,
  background,
}: {
  ctx: CliContext;
  store: Store;
  port: number;
  host: string;
  /** Started once the server listens (the in-process scheduler), stopped before the store closes. */
  background?: () => Promise<BackgroundWork>;
}): Promise<void> {
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let work: BackgroundWork | null = null;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  try {
    server = await startServer({ store, config: ctx.config, log: ctx.log, out: ctx.out, port, host });
    ctx.out(
      `Perennial API on ${server.url}/api/v1 — docs at ${server.url}/api/docs, workspace at ${server.url}/ (store: ${store.kind})`,
    );
    work = background ? await background() : null;
    const signal = await stopped;
    ctx.err(`${signal}: finishing requests in flight and closing…`);
  } finally {
    await work?.stop();
    await server?.close();
    await store.close();
  }
}
