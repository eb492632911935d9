/**
 * Engine cost: the dry-run evaluate (CSV → evaluations, no database), and the daily run on a store —
 * full, re-run of the same day, and incremental after 1% of accounts changed — beside a bare SQL scan
 * of the same input rows in the same run (the rows fetched to the client, batch by batch, as plain
 * rows: no records built, nothing evaluated or written).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { addDays } from '../src/domain/calendar.ts';
import { DEFAULT_POLICY } from '../src/domain/policy/policy-schema.ts';
import { evaluatePortfolio, specialistsOf } from '../src/engine/evaluate-portfolio.ts';
import { loadTenantModel } from '../src/engine/forecast/tenant-model.ts';
import { HISTORY_DAYS, loadCsvPortfolio } from '../src/engine/load-csv-portfolio.ts';
import { runDay } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import type { SqlSession, Store } from '../src/store/store.ts';
import { measure, round } from './support.ts';

export type EvaluateBenchResult = { seconds: number; accountsPerSecond: number; peakRssMb: number };

export type DailyBenchResult = {
  store: 'pglite' | 'postgres';
  accounts: number;
  inputRows: number;
  scanSeconds: number;
  scanRows: number;
  modelFitSeconds: number;
  fullRunSeconds: number;
  rerunSeconds: number;
  accountsPerSecond: number;
  fullRunVsScan: number;
  /** The 1% change (an import of accounts.csv and usage.csv rows for every 100th account). */
  changedAccounts: number;
  changeImportSeconds: number;
  /** The renewal model is keyed by the last import: an import means a refit, timed on its own. */
  refitSeconds: number;
  incrementalSeconds: number;
  incrementalAccounts: number;
  incrementalVsFull: number;
  peakRssMb: number;
};

export async function benchEvaluate({
  dir,
  accounts,
  asOf,
}: {
  dir: string;
  accounts: number;
  asOf: string;
}): Promise<EvaluateBenchResult> {
  const evaluated = await measure(async () => {
    const portfolio = await loadCsvPortfolio({ inputDir: dir, asOf });
    return evaluatePortfolio({
      snapshots: portfolio.snapshots,
      policy: DEFAULT_POLICY,
      asOf,
      specialists: specialistsOf(portfolio.users),
    }).length;
  });
  return {
    seconds: round(evaluated.seconds),
    accountsPerSecond: Math.round(accounts / evaluated.seconds),
    peakRssMb: evaluated.peakRssMb,
  };
}

/**
 * What any engine must read: every account and, per batch of 1000 accounts, the same windowed rows
 * of the seven input tables the daily run reads, fetched to the client and counted.
 */
export async function bareScan(session: SqlSession, tenantId: string, asOf: string): Promise<number> {
  const since = addDays(asOf, -HISTORY_DAYS);
  let after = '';
  let rows = 0;
  while (true) {
    const accounts = await session.query<{ account_id: string }>(
      'SELECT * FROM accounts WHERE tenant_id = $1 AND account_id > $2 ORDER BY account_id LIMIT 1000',
      [tenantId, after],
    );
    if (accounts.length === 0) return rows;
    const ids = accounts.map((row) => row.account_id);
    rows += accounts.length;
    const windowed = [tenantId, ids, since, asOf];
    const tables: [string, string, unknown[]][] = [
      ['contracts', '', [tenantId, ids]],
      ['usage', 'AND date >= $3 AND date <= $4', windowed],
      ['tickets', 'AND opened_on >= $3 AND opened_on <= $4', windowed],
      ['surveys', 'AND date >= $3 AND date <= $4', windowed],
      ['stakeholders', '', [tenantId, ids]],
      ['signals', 'AND date <= $3', [tenantId, ids, asOf]],
      ['renewals', '', [tenantId, ids]],
    ];
    for (const [table, window, values] of tables) {
      const result = await session.query(
        `SELECT * FROM ${table} WHERE tenant_id = $1 AND account_id = ANY($2) ${window}`,
        values,
      );
      rows += result.length;
    }
    after = ids.at(-1)!;
  }
}

/** Writes accounts.csv and usage.csv changing every 100th account (a new industry, a usage drop today). */
async function writeOnePercentChange(demoDir: string, changeDir: string, asOf: string): Promise<number> {
  await mkdir(changeDir, { recursive: true });
  const accounts = (await readFile(path.join(demoDir, 'accounts.csv'), 'utf8')).split('\n');
  const ids: string[] = [];
  for (let index = 1; index < accounts.length; index += 100) {
    const id = accounts[index]?.split(',')[0];
    if (id) ids.push(id);
  }
  const write = async (file: string, lines: string[]) => {
    const stream = createWriteStream(path.join(changeDir, file));
    for (const line of lines) if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    stream.end();
    await once(stream, 'finish');
  };
  await write('accounts.csv', [
    'account_id,name,currency,industry',
    ...ids.map((id) => `${id},Changed ${id},USD,logistics`),
  ]);
  await write('usage.csv', [
    'account_id,date,active_users',
    ...ids.map((id) => `${id},${addDays(asOf, -1)},1`),
  ]);
  return ids.length;
}

export async function benchDaily({
  kind,
  store,
  accounts,
  inputRows,
  demoDir,
  workDir,
  asOf,
  incremental = true,
  tenantId = 'bench',
}: {
  tenantId?: string;
  kind: 'pglite' | 'postgres';
  store: Store;
  accounts: number;
  inputRows: number;
  demoDir: string;
  workDir: string;
  asOf: string;
  /** False: only the full run (the growth section). */
  incremental?: boolean;
}): Promise<DailyBenchResult> {
  const scanned = await measure(() => bareScan(store, tenantId, asOf));
  // The renewal model is fitted once per change of history and stored; timed on its own.
  const fitted = await measure(() =>
    loadTenantModel({ session: store, tenantId, policy: DEFAULT_POLICY, asOf }),
  );
  const full = await measure(() => runDay({ store, tenantId, asOf }));
  const result: DailyBenchResult = {
    store: kind,
    accounts,
    inputRows,
    scanSeconds: round(scanned.seconds),
    scanRows: scanned.value,
    modelFitSeconds: round(fitted.seconds),
    fullRunSeconds: round(full.seconds),
    rerunSeconds: 0,
    accountsPerSecond: Math.round(accounts / full.seconds),
    fullRunVsScan: round(full.seconds / scanned.seconds),
    changedAccounts: 0,
    changeImportSeconds: 0,
    refitSeconds: 0,
    incrementalSeconds: 0,
    incrementalAccounts: 0,
    incrementalVsFull: 0,
    peakRssMb: full.peakRssMb,
  };
  if (!incremental) return result;
  const rerun = await measure(() => runDay({ store, tenantId, asOf }));
  const changeDir = path.join(workDir, 'change');
  const changedAccounts = await writeOnePercentChange(demoDir, changeDir, asOf);
  const changed = await measure(() => importFiles({ store, tenantId, inputs: [changeDir] }));
  const refit = await measure(() =>
    loadTenantModel({ session: store, tenantId, policy: DEFAULT_POLICY, asOf }),
  );
  const partial = await measure(() => runDay({ store, tenantId, asOf, incremental: true }));
  return {
    ...result,
    rerunSeconds: round(rerun.seconds),
    changedAccounts,
    changeImportSeconds: round(changed.seconds),
    refitSeconds: round(refit.seconds),
    incrementalSeconds: round(partial.seconds, 3),
    incrementalAccounts: partial.value.accounts,
    incrementalVsFull: round(partial.seconds / full.seconds, 3),
    peakRssMb: Math.max(full.peakRssMb, rerun.peakRssMb, partial.peakRssMb),
  };
}
