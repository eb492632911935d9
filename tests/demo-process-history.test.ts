/**
 * The demo as an operator loads it (`perennial demo`, `perennial start`) carries a renewal process, so
 * `perennial metrics` has process metrics to show; loading the demo twice writes the history once.
 * A real store: embedded PGlite in a temp directory, or a fresh PostgreSQL database with DATABASE_URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDemo } from '../src/cli/commands/demo-command.ts';
import { registerMetrics } from '../src/cli/commands/metrics-command.ts';
import { registerStart } from '../src/cli/commands/start-command.ts';
import type { CliContext } from '../src/cli/context.ts';
import { type Config, loadConfig } from '../src/config/config.ts';
import type { ProcessDocument } from '../src/engine/forecast/metrics-renewals.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openStore } from '../src/store/open-store.ts';
import { createTestDatabase, testDatabaseUrl } from './support/test-store.ts';

const AS_OF = '2026-07-01';

let home: string;
let config: Config;
let dropDatabase: (() => Promise<void>) | null = null;

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'perennial-demo-history-'));
  const env: Record<string, string> = {
    PERENNIAL_DATA_DIR: path.join(home, 'data'),
    PERENNIAL_TENANT: 'demo',
    PERENNIAL_LOG_LEVEL: 'silent',
  };
  if (testDatabaseUrl) {
    const database = await createTestDatabase(testDatabaseUrl);
    env.DATABASE_URL = database.url;
    dropDatabase = database.drop;
  }
  config = loadConfig(env);
});

afterEach(async () => {
  await dropDatabase?.();
  dropDatabase = null;
  await rm(home, { recursive: true, force: true });
});

/** Runs one `perennial` command in-process on the test store and returns what it printed. */
async function perennial(...args: string[]): Promise<string> {
  const lines: string[] = [];
  const context = (): CliContext => ({
    config,
    log: createLogger(config),
    out: (text) => lines.push(text),
    err: (text) => lines.push(text),
    interactive: false,
  });
  const program = new Command('perennial').exitOverride();
  registerDemo(program, context);
  registerStart(program, context);
  registerMetrics(program, context);
  await program.parseAsync(args, { from: 'user' });
  return lines.join('\n');
}

async function historyRows(): Promise<{ tasks: number; stageChanges: number }> {
  const store = await openStore(config);
  try {
    const [row] = await store.query<{ tasks: number; stage_changes: number }>(
      `SELECT (SELECT count(*)::int FROM tasks WHERE tenant_id = $1 AND key LIKE 'demo-history:%') AS tasks,
              (SELECT count(*)::int FROM audit_log WHERE tenant_id = $1 AND entity = 'renewal'
                 AND changes->'stage' IS NOT NULL) AS stage_changes`,
      [config.tenant],
    );
    return { tasks: row!.tasks, stageChanges: row!.stage_changes };
  } finally {
    await store.close();
  }
}

async function processMetrics(): Promise<ProcessDocument> {
  const json = await perennial(
    'metrics',
    '--from',
    '2024-07-01',
    '--to',
    '2026-06-30',
    '--as-of',
    AS_OF,
    '--json',
  );
  const doc = JSON.parse(json) as { lost: number; process: ProcessDocument | null };
  expect(doc.process).not.toBeNull();
  return doc.process!;
}

function expectEveryMetricHasData(process: ProcessDocument): void {
  const judged = process.timelineAdherence.buckets.filter((b) => b.bucket !== 'no_tasks' && b.renewals > 0);
  expect(judged.length).toBeGreaterThanOrEqual(2);
  expect(process.timelineAdherence.meanAdherence).toBeGreaterThan(0);
  expect(process.timePerPhase.stages.map((s) => s.stage)).toEqual(
    expect.arrayContaining(['value_review', 'proposal', 'negotiation']),
  );
  expect(process.teamHours.loggedTasks).toBeGreaterThan(0);
  expect(process.teamHours.medianHours).toBeGreaterThan(0);
  expect(process.stalls.lostAfterStage.reduce((n, s) => n + s.lost, 0)).toBeGreaterThan(0);
}

describe('perennial demo', () => {
  it('loads the closed renewals with their process history once, and metrics reports it', async () => {
    const first = await perennial('demo', '--accounts', '40', '--seed', '7', '--as-of', AS_OF);
    expect(first).toMatch(/process history: \d+ closed renewals, \d+ tasks, \d+ stage changes/);
    const loaded = await historyRows();
    expect(loaded.tasks).toBeGreaterThan(0);
    expect(loaded.stageChanges).toBeGreaterThan(0);

    const again = await perennial('demo', '--accounts', '40', '--seed', '7', '--as-of', AS_OF);
    expect(again).toContain('process history: nothing new');
    expect(await historyRows()).toEqual(loaded);

    expectEveryMetricHasData(await processMetrics());
  });
});

describe('perennial start on an empty store', () => {
  it('loads the demo with its process history, and the metrics still show it after the engine ran', async () => {
    const out = await perennial('start', '--no-serve', '--as-of', AS_OF);
    expect(out).toMatch(/process history for \d+ closed renewals \(\d+ tasks, \d+ stage changes\)/);
    expect((await historyRows()).tasks).toBeGreaterThan(0);
    expectEveryMetricHasData(await processMetrics());
  }, 240_000);
});
