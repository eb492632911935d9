/**
 * Crash safety: `bin/perennial import` of a generated portfolio and `bin/perennial run` are killed
 * with SIGKILL at random moments, round after round, on the store DATABASE_URL selects (PGlite
 * otherwise). After every kill:
 * - the store reopens (PGlite: the dead process's lock is taken over);
 * - the import is all or nothing: every table holds all the rows of the file set or none, with its
 *   import_runs row exactly when the rows are there; an import that reported success is complete;
 * - what earlier rounds committed is still there, row for row;
 * - the interrupted day is either fully recorded or not at all; the next run completes it exactly
 *   once (one daily_runs row, task and alert keys unique) and a further run changes nothing.
 * Each round uses its own tenant, so "all or nothing" is measured against an empty starting point.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSummary, generateDemo } from '../../src/demo/generate-demo.ts';
import { runDay } from '../../src/engine/run-daily.ts';
import { importFiles } from '../../src/import/import-files.ts';
import type { Store } from '../../src/store/store.ts';
import { createInstance, FULL, type Instance, report, size, startCli } from './support.ts';

const AS_OF = '2026-11-23';
const ROUNDS = size(1, 20);
const ACCOUNTS = size(20, 600);

const IMPORTED_TABLES = [
  'users',
  'accounts',
  'contracts',
  'usage',
  'tickets',
  'surveys',
  'stakeholders',
  'signals',
  'renewals',
] as const;

let work: string;
let demo: DemoSummary;
let instance: Instance;
let cliImportMs = 0;
let cliRunMs = 0;

async function tenantCounts(store: Store, tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    ...IMPORTED_TABLES,
    'import_runs',
    'daily_runs',
    'tasks',
    'health_snapshots',
    'alerts',
  ]) {
    const [row] = await store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`,
      [tenantId],
    );
    counts[table] = row!.n;
  }
  return counts;
}

/**
 * A moment between a fifth of the uncut duration and a little after it would have finished (full
 * runs: kills land before, during and after the commit). The reduced run has one round, so its kills
 * aim at the middle of the work (30–90%), where a half-written import or day would show.
 */
function randomDelay(uncutMs: number): number {
  return Math.round(uncutMs * (FULL ? 0.2 + Math.random() : 0.3 + 0.6 * Math.random()));
}

async function killAfter(args: string[], env: Record<string, string>, delayMs: number) {
  const child = startCli(args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  const result = await child.done;
  clearTimeout(timer);
  return { acknowledged: result.code === 0, killed: result.signal === 'SIGKILL', result };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'perennial-crash-'));
  demo = await generateDemo({
    accounts: ACCOUNTS,
    seed: 11,
    asOf: AS_OF,
    outputDir: path.join(work, 'demo'),
  });
  instance = await createInstance('crash');
  // A committed baseline that every later round must leave intact; also times the work in-process.
  const store = await instance.open();
  let importWorkMs = 0;
  let runWorkMs = 0;
  try {
    let t0 = Date.now();
    await importFiles({ store, tenantId: 'baseline', inputs: [demo.outputDir] });
    importWorkMs = Date.now() - t0;
    t0 = Date.now();
    await runDay({ store, tenantId: 'baseline', asOf: AS_OF });
    runWorkMs = Date.now() - t0;
  } finally {
    await store.close();
  }
  // How long the CLI takes for the whole job (start-up, store, work, commit), uncut: kills are spread
  // over that span, so they land before, during and after the commit.
  const env = { ...instance.env, PERENNIAL_TENANT: 'calibrate' };
  let started = Date.now();
  expect((await startCli(['import', demo.outputDir], env).done).code).toBe(0);
  cliImportMs = Date.now() - started;
  if (FULL) {
    started = Date.now();
    expect((await startCli(['run', '--as-of', AS_OF], env).done).code).toBe(0);
    cliRunMs = Date.now() - started;
  } else {
    // Reduced: the run's uncut time is estimated (the CLI's start-up, as the import showed it, plus
    // the run's own work), saving a start-up; the calibration tenant is run in-process instead.
    cliRunMs = Math.max(1, cliImportMs - importWorkMs) + runWorkMs;
    const calibrated = await instance.open();
    try {
      await runDay({ store: calibrated, tenantId: 'calibrate', asOf: AS_OF });
    } finally {
      await calibrated.close();
    }
  }
});

afterAll(async () => {
  await instance?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('crash safety under SIGKILL', () => {
  it(`${ROUNDS} rounds of killed imports and daily runs`, {
    timeout: FULL ? 3_600_000 : 120_000,
  }, async () => {
    const expectedImport: Record<string, number> = Object.fromEntries(
      IMPORTED_TABLES.map((table) => [table, demo.counts[table]]),
    );
    let store = await instance.open();
    const baseline = await tenantCounts(store, 'baseline');
    const committed = new Map<string, Record<string, number>>([
      ['baseline', baseline],
      ['calibrate', await tenantCounts(store, 'calibrate')],
    ]);
    await store.close();
    const outcomes = {
      importKilledEmpty: 0,
      importKilledComplete: 0,
      importFinished: 0,
      runKilledBefore: 0,
      runKilledAfter: 0,
      runFinished: 0,
    };

    for (let round = 0; round < ROUNDS; round += 1) {
      const tenantId = `r${round}`;
      const env = { ...instance.env, PERENNIAL_TENANT: tenantId };

      // 1. Kill an import somewhere between start-up and a little after it would have finished.
      const imported = await killAfter(['import', demo.outputDir], env, randomDelay(cliImportMs));
      store = await instance.open(); // PGlite: must take over the dead process's lock
      try {
        const counts = await tenantCounts(store, tenantId);
        const rows = IMPORTED_TABLES.map((table) => counts[table]!);
        const complete = IMPORTED_TABLES.every((table) => counts[table] === expectedImport[table]);
        const none = rows.every((n) => n === 0);
        expect(complete || none, `round ${round}: half an import ${JSON.stringify(counts)}`).toBe(true);
        expect(counts.import_runs, `round ${round}: import_runs`).toBe(complete ? 1 : 0);
        if (imported.acknowledged) expect(complete, `round ${round}: acknowledged import missing`).toBe(true);
        if (imported.acknowledged) outcomes.importFinished += 1;
        else if (complete) outcomes.importKilledComplete += 1;
        else outcomes.importKilledEmpty += 1;
        for (const [previous, expected] of committed) {
          expect(await tenantCounts(store, previous), `round ${round}: ${previous} changed`).toEqual(
            expected,
          );
        }
        if (none) await importFiles({ store, tenantId, inputs: [demo.outputDir] });
      } finally {
        await store.close();
      }

      // 2. Kill the daily run of that tenant.
      const ran = await killAfter(['run', '--as-of', AS_OF], env, randomDelay(cliRunMs));
      store = await instance.open();
      try {
        const counts = await tenantCounts(store, tenantId);
        expect(counts.daily_runs === 0 || counts.daily_runs === 1).toBe(true);
        if (counts.daily_runs === 0) {
          // Nothing of an unfinished day is visible.
          expect(
            counts.tasks! + counts.health_snapshots! + counts.alerts!,
            `round ${round}: half a day`,
          ).toBe(0);
        }
        if (ran.acknowledged) expect(counts.daily_runs).toBe(1);
        if (ran.acknowledged) outcomes.runFinished += 1;
        else if (counts.daily_runs === 1) outcomes.runKilledAfter += 1;
        else outcomes.runKilledBefore += 1;

        const next = await runDay({ store, tenantId, asOf: AS_OF });
        expect(next.unchanged, `round ${round}: the completed day changed on a re-run`).toBe(
          counts.daily_runs === 1,
        );
        const again = await runDay({ store, tenantId, asOf: AS_OF });
        expect(again.unchanged).toBe(true);
        const after = await tenantCounts(store, tenantId);
        expect(after.daily_runs).toBe(1);
        const [dupTasks] = await store.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (SELECT 1 FROM tasks WHERE tenant_id = $1 GROUP BY contract_id, key HAVING count(*) > 1) d`,
          [tenantId],
        );
        expect(dupTasks!.n).toBe(0);
        const [dupAlerts] = await store.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (SELECT 1 FROM alerts WHERE tenant_id = $1 GROUP BY contract_id, key HAVING count(*) > 1) d`,
          [tenantId],
        );
        expect(dupAlerts!.n).toBe(0);
        expect(after.tasks).toBe(baseline.tasks);
        expect(after.alerts).toBe(baseline.alerts);
        committed.set(tenantId, after);
      } finally {
        await store.close();
      }
    }
    report('crash', {
      rounds: ROUNDS,
      accounts: ACCOUNTS,
      rowsPerImport: demo.totalRows,
      cliImportMs,
      cliRunMs,
      ...outcomes,
    });
  });
});
