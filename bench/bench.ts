/**
 * The benchmark, as a function (bench/run.ts is its command line; tests/bench-smoke.test.ts runs it
 * tiny). For a demo portfolio of N accounts it measures, per store and always beside a baseline taken
 * in the same run: import vs COPY, the daily run (full, re-run, incremental) vs a bare scan, the
 * dry-run evaluate, the API under load vs a bare Fastify route, and growth (N/10 vs N).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateDemo } from '../src/demo/generate-demo.ts';
import type { Store } from '../src/store/store.ts';
import { type ApiBenchResult, benchApi, type LoadSettings } from './api-bench.ts';
import {
  benchDaily,
  benchEvaluate,
  type DailyBenchResult,
  type EvaluateBenchResult,
} from './engine-bench.ts';
import {
  benchDemoImport,
  benchImport,
  type DemoImportResult,
  type ImportBenchResult,
  parseOnly,
} from './import-bench.ts';
import { freshStore, measure, round, type StoreKind } from './support.ts';
import { benchUi, type UiBenchResult, uiMarkdown } from './ui-bench.ts';

export const SECTIONS = ['import', 'daily', 'evaluate', 'api', 'growth', 'ui'] as const;
export type Section = (typeof SECTIONS)[number];

export type GrowthResult = {
  store: StoreKind;
  small: { accounts: number; importSeconds: number; fullRunSeconds: number; importPeakRssMb: number };
  large: { accounts: number; importSeconds: number; fullRunSeconds: number; importPeakRssMb: number };
  /** Cost per account at N ÷ cost per account at N/10: ≤ 1 means it does not grow. */
  importPerAccountRatio: number;
  runPerAccountRatio: number;
};

export type BenchResult = {
  startedAt: string;
  machine: { cores: number; memoryGiB: number; node: string };
  accounts: number;
  inputRows: number;
  stores: StoreKind[];
  usageImport: ImportBenchResult[];
  import: DemoImportResult[];
  daily: DailyBenchResult[];
  evaluate: EvaluateBenchResult | null;
  api: ApiBenchResult[];
  growth: GrowthResult[];
  /** The CSM home and pipeline time to interactive in headless Chromium, and the initial JS (bench/ui-bench.ts). */
  ui: UiBenchResult[];
};

export type BenchOptions = {
  accounts: number;
  kinds: readonly StoreKind[];
  databaseUrl: string;
  sections: ReadonlySet<Section>;
  load: LoadSettings;
  asOf?: string;
  /** The synthetic usage.csv import of bench/import-bench.ts (`--usage-rows`); 0: skipped. */
  usageRows?: number;
  log?: (line: string) => void;
};

export async function runBench({
  accounts,
  kinds,
  databaseUrl,
  sections,
  load,
  asOf = '2026-11-23',
  usageRows = 0,
  log = () => undefined,
}: BenchOptions): Promise<BenchResult> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'perennial-bench-'));
  try {
    const result: BenchResult = {
      startedAt: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      accounts,
      inputRows: 0,
      stores: [...kinds],
      usageImport: [],
      import: [],
      daily: [],
      evaluate: null,
      api: [],
      growth: [],
      ui: [],
    };
    for (const kind of usageRows > 0 ? kinds : []) {
      log(`import ${usageRows} synthetic usage rows on ${kind}`);
      result.usageImport.push(await benchImport({ kind, usageRows, databaseUrl }));
    }

    const smallAccounts = Math.max(10, Math.round(accounts / 10));
    const smallDir = path.join(work, 'small');
    if (sections.has('growth')) {
      log(`growth: generating ${smallAccounts} accounts`);
      await generateDemo({ accounts: smallAccounts, seed: 7, asOf, outputDir: smallDir });
    }
    const demoDir = path.join(work, 'demo');
    log(`generating ${accounts} demo accounts`);
    const demo = await generateDemo({ accounts, seed: 7, asOf, outputDir: demoDir });
    result.inputRows = demo.totalRows;
    if (sections.has('evaluate')) {
      log('dry-run evaluate from CSV');
      result.evaluate = await benchEvaluate({ dir: demoDir, accounts, asOf });
    }
    const parsed = sections.has('import') ? await measure(() => parseOnly(demoDir)) : null;

    for (const kind of kinds) {
      const { store, close } = await freshStore(kind, databaseUrl);
      try {
        // Growth's smaller portfolio first (its own tenant), so its peak memory is not the larger one's leftover.
        const smallRun = sections.has('growth')
          ? await importAndRun({ kind, store, dir: smallDir, accounts: smallAccounts, asOf, log })
          : null;
        log(`import on ${kind}`);
        const imported = await benchDemoImport({
          kind,
          store,
          dir: demoDir,
          parseSeconds: parsed?.seconds ?? 0,
        });
        if (sections.has('import')) result.import.push(imported);
        if (sections.has('daily') || sections.has('api') || sections.has('growth') || sections.has('ui')) {
          log(`daily run on ${kind}`);
          const daily = await benchDaily({
            kind,
            store,
            accounts,
            inputRows: demo.totalRows,
            demoDir,
            workDir: path.join(work, kind),
            asOf,
            incremental: sections.has('daily'),
          });
          if (sections.has('daily')) result.daily.push(daily);
          if (smallRun) {
            const large = {
              accounts,
              importSeconds: imported.importSeconds,
              fullRunSeconds: daily.fullRunSeconds,
              importPeakRssMb: imported.importPeakRssMb,
            };
            result.growth.push({
              store: kind,
              small: smallRun,
              large,
              importPerAccountRatio: perAccountRatio(smallRun, large, 'importSeconds'),
              runPerAccountRatio: perAccountRatio(smallRun, large, 'fullRunSeconds'),
            });
          }
        }
        if (sections.has('api')) {
          log(`API under load on ${kind}`);
          result.api.push(await benchApi({ kind, store, accounts, asOf, settings: load }));
        }
        if (sections.has('ui')) {
          // The UI bench needs the imported and run portfolio, so it runs on each store before it closes.
          // A tiny portfolio (the smoke test) is measured once per page; a real one five times.
          log(`UI (headless Chromium) on ${kind}`);
          result.ui.push(await benchUi({ kind, store, accounts, runs: accounts >= 1000 ? 5 : 1, log }));
        }
      } finally {
        await close();
      }
    }
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function perAccountRatio(
  small: GrowthResult['small'],
  large: GrowthResult['large'],
  key: 'importSeconds' | 'fullRunSeconds',
): number {
  return round(large[key] / large.accounts / (small[key] / small.accounts), 2);
}

async function importAndRun({
  kind,
  store,
  dir,
  accounts,
  asOf,
  log,
}: {
  kind: StoreKind;
  store: Store;
  dir: string;
  accounts: number;
  asOf: string;
  log: (line: string) => void;
}): Promise<GrowthResult['small']> {
  log(`growth: ${accounts} accounts on ${kind}`);
  const tenantId = 'growth';
  const imported = await benchDemoImport({ kind, store, dir, parseSeconds: 0, tenantId });
  const daily = await benchDaily({
    kind,
    store,
    accounts,
    inputRows: imported.rows,
    demoDir: dir,
    workDir: dir,
    asOf,
    incremental: false,
    tenantId,
  });
  return {
    accounts,
    importSeconds: imported.importSeconds,
    fullRunSeconds: daily.fullRunSeconds,
    importPeakRssMb: imported.importPeakRssMb,
  };
}

export function benchMarkdown(result: BenchResult): string {
  const lines = [
    `# Benchmark ${result.startedAt}: ${result.accounts} accounts, ${result.inputRows} input rows`,
    '',
    `Machine: ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}. ` +
      'Every figure beside a baseline measured in the same run, on the same store.',
  ];
  if (result.usageImport.length > 0) {
    lines.push(
      '',
      "## Import (synthetic usage.csv) vs the store's own COPY of the same file",
      '',
      '| store | rows | import s | import rows/s | peak RSS MB | COPY s | COPY rows/s | import ÷ COPY speed |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...result.usageImport.map(
        (r) =>
          `| ${r.store} | ${r.usageRows} | ${r.importSeconds} | ${r.importRowsPerSecond} | ${r.importPeakRssMb} | ${r.copySeconds} | ${r.copyRowsPerSecond} | ${r.ratioToCopy} |`,
      ),
    );
  }
  if (result.import.length > 0) {
    lines.push(
      '',
      "## Import (all demo files) vs the store's own COPY of the same files",
      '',
      '| store | files | rows | MB | parse+validate s (no DB) | import s | import rows/s | peak RSS MB | COPY s | COPY rows/s | import ÷ COPY speed |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...result.import.map(
        (r) =>
          `| ${r.store} | ${r.files} | ${r.rows} | ${round(r.bytes / 2 ** 20, 1)} | ${r.parseSeconds} | ${r.importSeconds} | ${r.importRowsPerSecond} | ${r.importPeakRssMb} | ${r.copySeconds} | ${r.copyRowsPerSecond} | **${r.ratioToCopy}** |`,
      ),
    );
  }
  if (result.daily.length > 0) {
    lines.push(
      '',
      '## Daily run vs a bare scan of the same input rows',
      '',
      '| store | bare scan s | model fit s | full run s | accounts/s | full ÷ scan | re-run s | 1% change import s | refit s | incremental s (accounts) | incremental ÷ full | peak RSS MB |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...result.daily.map(
        (d) =>
          `| ${d.store} | ${d.scanSeconds} | ${d.modelFitSeconds} | ${d.fullRunSeconds} | ${d.accountsPerSecond} | **${d.fullRunVsScan}** | ${d.rerunSeconds} | ${d.changeImportSeconds} | ${d.refitSeconds} | ${d.incrementalSeconds} (${d.incrementalAccounts}) | **${d.incrementalVsFull}** | ${d.peakRssMb} |`,
      ),
      '',
      'The bare scan fetches, per batch of 1000 accounts, the same windowed input rows the run reads, as plain rows.',
      'The model fit and the refit after the 1% change import are timed apart from the runs (the model is stored by fingerprint and reused).',
    );
  }
  if (result.evaluate) {
    const e = result.evaluate;
    lines.push(
      '',
      '## Dry-run evaluate from CSV (no database)',
      '',
      `${result.accounts} accounts: ${e.seconds} s, ${e.accountsPerSecond} accounts/s, peak RSS ${e.peakRssMb} MB`,
    );
  }
  for (const api of result.api) {
    lines.push(
      '',
      `## API under load on ${api.store} (${api.connections} connections, loopback)`,
      '',
      `Forecast build (the warm-up the daily run's end does, off the request path): ${api.warmUpSeconds} s; ` +
        `first request after it: ${api.firstForecastMs} ms; body ${(api.forecastBytes / 1e6).toFixed(2)} MB ` +
        `(${(api.forecastGzipBytes / 1e6).toFixed(2)} MB gzipped). The load below is the steady state.`,
      '',
      '| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx | errors | timeouts | p95 ÷ bare |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...api.endpoints.map(
        (e) =>
          `| ${e.endpoint} | ${e.requests} | ${e.requestsPerSecond} | ${e.p50Ms} | ${e.p95Ms} | ${e.p99Ms} | ${e.non2xx} | ${e.errors} | ${e.timeouts} | ${e.p95VsBare} |`,
      ),
    );
  }
  if (result.growth.length > 0) {
    lines.push(
      '',
      '## Growth: cost per account at N ÷ at N/10 (≤ 1: does not grow)',
      '',
      '| store | accounts | import s | full run s | import peak RSS MB | import per account ratio | run per account ratio |',
      '|---|---|---|---|---|---:|---:|',
      ...result.growth.map(
        (g) =>
          `| ${g.store} | ${g.small.accounts} → ${g.large.accounts} | ${g.small.importSeconds} → ${g.large.importSeconds} | ${g.small.fullRunSeconds} → ${g.large.fullRunSeconds} | ${g.small.importPeakRssMb} → ${g.large.importPeakRssMb} | **${g.importPerAccountRatio}** | **${g.runPerAccountRatio}** |`,
      ),
    );
  }
  lines.push(...uiMarkdown(result.ui));
  return lines.join('\n');
}
