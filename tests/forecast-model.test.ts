/**
 * The renewal model on a small generated demo: cross-validation is deterministic for a seed, and the
 * backtest reports the model's Brier score beside both baselines (base rate, uncalibrated prior) in
 * the same run — from CSVs, from a replay of the store, and from the daily run's stored snapshots.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../src/demo/generate-demo.ts';
import { DEFAULT_POLICY } from '../src/domain/policy/policy-schema.ts';
import { backtestCsv, backtestStore } from '../src/engine/forecast/backtest-renewals.ts';
import { evaluateModelOnCsv } from '../src/engine/forecast/evaluate-model-on-csv.ts';
import { runDays } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const AS_OF = '2026-11-01';
let demoDir: string;
let testStore: TestStore;

beforeAll(async () => {
  demoDir = await mkdtemp(path.join(os.tmpdir(), 'perennial-forecast-'));
  await generateDemo({ accounts: 400, seed: 5, asOf: AS_OF, outputDir: demoDir });
  testStore = await openTestStore();
});
afterAll(async () => {
  await testStore?.close();
});

describe('model evaluate', () => {
  it('is deterministic for a seed and reports both baselines', async () => {
    const run = async (seed: number) => {
      const { timings: _timings, ...result } = await evaluateModelOnCsv({
        inputDir: demoDir,
        policy: DEFAULT_POLICY,
        folds: 5,
        seed,
      });
      return result;
    };
    const first = await run(3);
    expect(await run(3)).toEqual(first);
    expect(first.n).toBeGreaterThan(300);
    expect(first.n).toBe(first.calibration.reduce((sum, bin) => sum + bin.count, 0));
    expect(first.auc).toBeGreaterThan(0.5);
    expect(first.baseline.baseRate.brier).toEqual(expect.any(Number));
    expect(first.baseline.prior?.brier).toEqual(expect.any(Number));
    expect(first.topFactors.length).toBeGreaterThan(0);
    expect(first.features.used).toContain('attribute:plan');
    const other = await run(4);
    expect(other.n).toBe(first.n);
  });
});

describe('backtest', () => {
  const range = { from: '2025-11-01', to: '2026-09-01', asOf: AS_OF, horizonDays: 90 };

  it('on CSVs reports the Brier score of the model beside the base rate and the prior, and beats both', async () => {
    const doc = await backtestCsv({ inputDir: demoDir, policy: DEFAULT_POLICY, range });
    expect(doc.source).toBe('replay');
    expect(doc.snapshotDates).toBe(11);
    expect(doc.resolved).toBeGreaterThan(100);
    expect(doc.brier).toEqual({
      model: expect.any(Number),
      baseRate: expect.any(Number),
      prior: expect.any(Number),
    });
    expect(doc.beatsBaselines).toBe(true);
    expect(doc.calibration).toHaveLength(10);
    expect(doc.forecastModel.mape).toEqual(expect.any(Number));
    expect(doc.bySegment.map((s) => s.segment)).toEqual(['enterprise', 'mid_market', 'smb']);
    expect(doc.byOwner.length).toBeGreaterThan(1);
  });

  it('on the store replays the same history, and scores the daily snapshots against both baselines', async () => {
    const { store } = testStore;
    const tenantId = 'demo';
    await importFiles({ store, tenantId, inputs: [demoDir] });
    const csv = await backtestCsv({ inputDir: demoDir, policy: DEFAULT_POLICY, range });
    const replay = await backtestStore({ session: store, tenantId, range });
    expect(replay.source).toBe('replay');
    expect(replay.renewals).toBe(csv.renewals);
    expect(replay.brier.model).toBeCloseTo(csv.brier.model as number, 3);
    expect(replay.brier.prior).toBeCloseTo(csv.brier.prior as number, 3);
    expect(replay.brier.baseRate).toBeCloseTo(csv.brier.baseRate as number, 3);

    await runDays({ store, tenantId, days: ['2026-10-30', '2026-10-31'] });
    const stored = await backtestStore({
      session: store,
      tenantId,
      range: { from: '2026-10-30', to: '2026-10-31', asOf: AS_OF, horizonDays: 90 },
    });
    expect(stored.source).toBe('snapshots');
    expect(stored.snapshotDates).toBe(2);
    expect(stored.renewals).toBeGreaterThan(0);
    expect(Object.keys(stored.brier)).toEqual(['model', 'baseRate', 'prior']);
  });
});
