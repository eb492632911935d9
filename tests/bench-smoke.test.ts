/**
 * The benchmark as a CI smoke test: every section runs on a tiny portfolio, on PostgreSQL when
 * DATABASE_URL is set and PGlite otherwise, and produces numbers. No timing is asserted — shared CI
 * machines make absolute times meaningless; `npm run bench` is where they are read.
 */
import { describe, expect, it } from 'vitest';
import { benchMarkdown, runBench, SECTIONS } from '../bench/bench.ts';
import { testDatabaseUrl } from './support/test-store.ts';

const positive = (value: number) => Number.isFinite(value) && value > 0;

describe('bench (smoke)', () => {
  it('measures every section on a tiny portfolio', { timeout: 120_000 }, async () => {
    const result = await runBench({
      accounts: 150,
      kinds: [testDatabaseUrl ? 'postgres' : 'pglite'],
      databaseUrl: testDatabaseUrl ?? '',
      sections: new Set(SECTIONS),
      load: { connections: 4, durationSeconds: 1, amount: 40 },
      log: (line) => process.stderr.write(`${Date.now() % 100000} ${line}\n`),
    });

    const [imported] = result.import;
    expect(
      imported &&
        [imported.rows, imported.importRowsPerSecond, imported.copyRowsPerSecond, imported.ratioToCopy].every(
          positive,
        ),
    ).toBe(true);

    const [daily] = result.daily;
    expect(daily).toBeDefined();
    for (const value of [
      daily!.scanSeconds,
      daily!.fullRunSeconds,
      daily!.fullRunVsScan,
      daily!.incrementalSeconds,
    ])
      expect(positive(value)).toBe(true);
    expect(daily!.changedAccounts).toBe(2);
    expect(daily!.incrementalAccounts).toBeLessThan(150);

    expect(positive(result.evaluate?.accountsPerSecond ?? 0)).toBe(true);

    const endpoints = result.api[0]?.endpoints ?? [];
    expect(endpoints.map((e) => e.endpoint.split(' ')[0])).toEqual([
      'bare',
      'renewal',
      'renewal',
      'forecast',
      'forecast',
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint.requests).toBeGreaterThan(0);
      expect(endpoint.non2xx + endpoint.errors + endpoint.timeouts).toBe(0);
      expect(positive(endpoint.p95Ms)).toBe(true);
    }

    const [growth] = result.growth;
    expect(growth && [growth.importPerAccountRatio, growth.runPerAccountRatio].every(positive)).toBe(true);
    const [ui] = result.ui;
    expect(ui?.pages.map((page) => `${page.path} ${page.cache}`)).toEqual([
      '/ warm',
      '/ cold',
      '/pipeline warm',
      '/pipeline cold',
    ]);
    expect(ui && [ui.initialJsGzipBytes, ...ui.pages.map((page) => page.medianMs)].every(positive)).toBe(
      true,
    );
    expect(benchMarkdown(result)).toContain('import ÷ COPY');
  });
});
