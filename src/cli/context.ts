/**
 * What every command shares: configuration parsed once, the store opened on demand and closed on
 * exit or signal, and one place that turns typed errors into messages and exit codes.
 */
import { type Config, ConfigError, loadConfig } from '../config/config.ts';
import { PolicyError } from '../engine/policy-store.ts';
import { InputError } from '../import/problems.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { StoreError } from '../store/store-error.ts';
import { CliUsageError } from './dates.ts';

export const EXIT_INPUT = 1;
export const EXIT_FAILURE = 2;

export type CliContext = {
  config: Config;
  log: Logger;
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
};

export function createContext(): CliContext {
  const config = loadConfig(process.env);
  return {
    config,
    log: createLogger(config),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    interactive: Boolean(process.stderr.isTTY),
  };
}

/** Opens the store for one command; SIGINT/SIGTERM close it cleanly before the process exits. */
export async function withStore<T>(context: CliContext, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(context.config);
  context.log.info({ store: store.kind, location: store.location }, 'store opened');
  const onSignal = (signal: NodeJS.Signals) => {
    context.err(`\n${signal}: closing the store…`);
    void store.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(store);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}

/** Maps a thrown error to what the user reads and the exit code. */
export function reportError(context: Pick<CliContext, 'err'>, error: unknown): number {
  if (error instanceof InputError) {
    for (const line of error.problems.errorLines()) context.err(line);
    context.err(`${error.message}; nothing was written.`);
    return EXIT_INPUT;
  }
  if (error instanceof PolicyError) {
    context.err(error.message);
    return EXIT_INPUT;
  }
  if (error instanceof StoreError || error instanceof ConfigError || error instanceof CliUsageError) {
    context.err(`error: ${error.message}`);
    return EXIT_FAILURE;
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.name !== 'Error') {
    context.err(`error: ${error.message}`);
    return EXIT_FAILURE;
  }
  context.err(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT_FAILURE;
}
