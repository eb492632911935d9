/**
 * An incremental re-run of a day writes exactly what a full re-run writes: two stores get the same
 * portfolio, the same full run and the same changes (imports of facts and accounts, edits of
 * stakeholders, contracts and renewals); one then re-runs the day in full, the other incrementally.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../src/demo/generate-demo.ts';
import { addDays } from '../src/domain/calendar.ts';
import { runDay } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import type { Store } from '../src/store/store.ts';
import { dumpTenant, openTestStore, type TestStore } from './support/test-store.ts';

const asOf = '2026-11-23';
const tenantId = 'inc';
const OUTPUTS = [
  'accounts',
  'renewals',
  'health_snapshots',
  'tasks',
  'alerts',
  'outbox',
  'forecast_snapshots',
];

/** A table's rows without serial ids and timestamps (which differ between two stores), sorted. */
async function outputs(store: Store): Promise<Record<string, string[]>> {
  const dump = await dumpTenant(store, tenantId);
  const result: Record<string, string[]> = {};
  for (const table of OUTPUTS) {
    result[table] = (dump[table] ?? [])
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(row as Record<string, unknown>).filter(
              ([key]) => key !== 'id' && !key.endsWith('_at'),
            ),
          ),
        ),
      )
      .sort();
  }
  return result;
}

describe('incremental daily run', () => {
  let dir: string;
  let full: TestStore;
  let partial: TestStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-incremental-'));
    await generateDemo({ accounts: 120, seed: 11, asOf, outputDir: path.join(dir, 'demo') });
    full = await openTestStore();
    partial = await openTestStore();
  });
  afterAll(async () => {
    await full?.close();
    await partial?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function prepare(store: Store): Promise<string[]> {
    await importFiles({ store, tenantId, inputs: [path.join(dir, 'demo')] });
    await runDay({ store, tenantId, asOf });
    const picked = await store.query<{ account_id: string }>(
      `SELECT DISTINCT r.account_id FROM renewals r WHERE r.tenant_id = $1 AND r.outcome = 'pending'
         AND r.due_date IS NOT NULL ORDER BY 1 LIMIT 6`,
      [tenantId],
    );
    return picked.map((row) => row.account_id);
  }

  async function change(store: Store, ids: string[]): Promise<void> {
    const [a, b, c, d, e, f] = ids as [string, string, string, string, string, string];
    const changeDir = path.join(dir, `change-${store.kind}-${Math.random().toString(36).slice(2)}`);
    await mkdir(changeDir);
    await writeFile(
      path.join(changeDir, 'usage.csv'),
      `account_id,date,active_users\n${a},${addDays(asOf, -1)},0\n${b},${addDays(asOf, -2)},1\n`,
    );
    await writeFile(
      path.join(changeDir, 'tickets.csv'),
      `ticket_id,account_id,opened_on,priority\nT-INC-1,${c},${addDays(asOf, -3)},urgent\n`,
    );
    await writeFile(
      path.join(changeDir, 'accounts.csv'),
      `account_id,name,currency,strategic\n${d},Renamed,USD,true\n`,
    );
    await importFiles({ store, tenantId, inputs: [changeDir] });
    await store.execute(
      `UPDATE stakeholders SET left_on = $3, updated_at = now() WHERE tenant_id = $1 AND account_id = $2`,
      [tenantId, e, addDays(asOf, -5)],
    );
    await store.execute(
      `UPDATE renewals SET stage = 'negotiation', updated_at = now(), version = version + 1
        WHERE tenant_id = $1 AND account_id = $2 AND outcome = 'pending'`,
      [tenantId, f],
    );
  }

  it('re-evaluates only the changed accounts and writes what a full re-run writes', async () => {
    const idsFull = await prepare(full.store);
    const idsPartial = await prepare(partial.store);
    expect(idsPartial).toEqual(idsFull);
    expect(await outputs(partial.store)).toEqual(await outputs(full.store));

    await change(full.store, idsFull);
    await change(partial.store, idsPartial);
    const fullReport = await runDay({ store: full.store, tenantId, asOf });
    const partialReport = await runDay({ store: partial.store, tenantId, asOf, incremental: true });

    expect(partialReport.accounts).toBe(idsPartial.length);
    expect(fullReport.accounts).toBe(120);
    expect({ ...partialReport, accounts: 0 }).toEqual({ ...fullReport, accounts: 0 });
    expect(fullReport.unchanged).toBe(false);
    expect(await outputs(partial.store)).toEqual(await outputs(full.store));
  });

  it('evaluates nothing when nothing changed, and falls back to a full run on another day', async () => {
    const before = await dumpTenant(partial.store, tenantId);
    const again = await runDay({ store: partial.store, tenantId, asOf, incremental: true });
    expect(again.accounts).toBe(0);
    expect(again.unchanged).toBe(true);
    expect(await dumpTenant(partial.store, tenantId)).toEqual(before);

    const next = await runDay({ store: partial.store, tenantId, asOf: addDays(asOf, 1), incremental: true });
    expect(next.accounts).toBe(120);
  });
});
