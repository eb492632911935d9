/** The engine on the demo portfolio must look like a real book, and every red account must be explained. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../src/demo/generate-demo.ts';
import type { AccountEvaluation } from '../src/domain/evaluate-account.ts';
import { DEFAULT_POLICY } from '../src/domain/policy/policy-schema.ts';
import { evaluatePortfolio, specialistsOf } from '../src/engine/evaluate-portfolio.ts';
import { loadCsvPortfolio } from '../src/engine/load-csv-portfolio.ts';

const asOf = '2026-11-23';
let evaluations: AccountEvaluation[];

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-book-'));
  await generateDemo({ accounts: 600, seed: 3, asOf, outputDir: dir });
  const portfolio = await loadCsvPortfolio({ inputDir: dir, asOf });
  evaluations = evaluatePortfolio({
    snapshots: portfolio.snapshots,
    policy: DEFAULT_POLICY,
    asOf,
    specialists: specialistsOf(portfolio.users),
  });
});

describe('the demo book', () => {
  it('has a healthy majority and a visible at-risk tail', () => {
    const share = (band: string) =>
      evaluations.filter((e) => e.health.band === band).length / evaluations.length;
    expect(share('green')).toBeGreaterThan(0.5);
    expect(share('red')).toBeGreaterThan(0.02);
    expect(share('red')).toBeLessThan(0.2);
    const atRisk = evaluations.filter((e) => e.renewal?.type === 'at_risk').length / evaluations.length;
    expect(atRisk).toBeGreaterThan(0.03);
  });

  it('explains every red account with negative drivers carrying evidence, and a way back to green', () => {
    const red = evaluations.filter((e) => e.health.band === 'red');
    expect(red.length).toBeGreaterThan(0);
    for (const account of red) {
      const negative = account.health.drivers.filter((driver) => driver.impact < 0);
      expect(negative.length, account.accountId).toBeGreaterThan(0);
      for (const driver of negative) expect(driver.detail.length, account.accountId).toBeGreaterThan(5);
      expect(account.health.toGreen.length, account.accountId).toBeGreaterThan(0);
    }
  });

  it('spreads accounts over all segments and routes every renewal to an owner with a rule', () => {
    const segments = new Set(evaluations.map((e) => e.segment));
    expect([...segments].sort()).toEqual(['enterprise', 'mid_market', 'smb']);
    for (const e of evaluations) {
      if (e.renewal) expect(e.renewal.owner.rule.length).toBeGreaterThan(5);
    }
  });
});
