import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles } from '../src/export/export-files.ts';
import { importFiles } from '../src/import/import-files.ts';
import { InputError } from '../src/import/problems.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { dumpTenant, openTestStore, type TestStore } from './support/test-store.ts';

let testStore: TestStore;
let tenantSeq = 0;
function newTenant(): string {
  tenantSeq += 1;
  return `t${process.pid}-${tenantSeq}`;
}

beforeAll(async () => {
  testStore = await openTestStore();
});
afterAll(async () => {
  await testStore?.close();
});

async function readDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(path.join(dir, name), 'utf8');
  return out;
}

async function importError(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error.problems.errorLines();
    throw error;
  }
  throw new Error('expected the import to fail');
}

describe('import', () => {
  it('loads every canonical file and reports what it inserted', async () => {
    const { store } = testStore;
    const tenantId = newTenant();
    const summary = await importFiles({ store, tenantId, inputs: [await writeCsvSet()] });
    expect(Object.fromEntries(summary.files.map((file) => [file.file, file.inserted]))).toEqual({
      'users.csv': 3,
      'accounts.csv': 3,
      'contracts.csv': 4,
      'stakeholders.csv': 3,
      'usage.csv': 3,
      'tickets.csv': 2,
      'surveys.csv': 2,
      'signals.csv': 1,
      'renewals.csv': 1,
    });
    const [jpy] = await store.query<{ arr_minor: number; currency: string }>(
      'SELECT arr_minor, currency FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
      [tenantId, 'C-2'],
    );
    expect(jpy).toEqual({ arr_minor: 9_000_000, currency: 'JPY' });
    const [eur] = await store.query<{ arr_minor: number }>(
      'SELECT arr_minor FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
      [tenantId, 'C-3'],
    );
    expect(eur?.arr_minor).toBe(4_500_050);
    const [renewal] = await store.query<{ renewed_arr_minor: number; reasons: string[]; account_id: string }>(
      'SELECT renewed_arr_minor, reasons, account_id FROM renewals WHERE tenant_id = $1',
      [tenantId],
    );
    expect(renewal).toEqual({
      renewed_arr_minor: 12_000_000,
      reasons: ['value_realized', 'executive_sponsor'],
      account_id: 'A-1',
    });
    const [account] = await store.query<{ attributes: Record<string, string>; strategic: boolean }>(
      'SELECT attributes, strategic FROM accounts WHERE tenant_id = $1 AND account_id = $2',
      [tenantId, 'A-1'],
    );
    expect(account).toEqual({ attributes: { plan: 'premium' }, strategic: false });
  });

  it('re-importing the same files changes nothing', async () => {
    const { store } = testStore;
    const tenantId = newTenant();
    const dir = await writeCsvSet();
    await importFiles({ store, tenantId, inputs: [dir] });
    const before = await dumpTenant(store, tenantId);
    const again = await importFiles({ store, tenantId, inputs: [dir] });
    expect(again.files.every((file) => file.inserted === 0 && file.updated === 0)).toBe(true);
    const after = await dumpTenant(store, tenantId);
    delete before.import_runs;
    delete after.import_runs;
    expect(after).toEqual(before);
  });

  it('a later file with the same ids updates in place', async () => {
    const { store } = testStore;
    const tenantId = newTenant();
    await importFiles({ store, tenantId, inputs: [await writeCsvSet()] });
    const changed = BASE_FILES['contracts.csv']!.replace(
      'C-1,A-1,2025-03-01,2027-02-28,120000.00',
      'C-1,A-1,2025-03-01,2027-02-28,130000.00',
    );
    const dir = await writeCsvSet({ 'contracts.csv': changed });
    const summary = await importFiles({ store, tenantId, inputs: [path.join(dir, 'contracts.csv')] });
    expect(summary.files).toEqual([
      { file: 'contracts.csv', rows: 4, inserted: 0, updated: 1, unchanged: 3 },
    ]);
    const rows = await store.query<{ arr_minor: number }>(
      'SELECT arr_minor FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
      [tenantId, 'C-1'],
    );
    expect(rows).toEqual([{ arr_minor: 13_000_000 }]);
  });

  it('an impossible date and an unknown account fail the whole import, naming file, line and column, and write nothing', async () => {
    const { store } = testStore;
    const tenantId = newTenant();
    await importFiles({ store, tenantId, inputs: [await writeCsvSet()] });
    const before = await dumpTenant(store, tenantId);
    const badContracts = `${BASE_FILES['contracts.csv']}\nC-9,A-1,2026-03-01,2027-02-30,100.00,USD,,,,,,`;
    const badStakeholders = `${BASE_FILES['stakeholders.csv']}\nS-9,A-404,Ghost,,user,,,,`;
    const dir = await writeCsvSet({
      'contracts.csv': badContracts.replace('110000.00', '111111.00'),
      'stakeholders.csv': badStakeholders,
    });
    const errors = await importError(importFiles({ store, tenantId, inputs: [dir] }));
    expect(errors).toContain('contracts.csv:6: end_date: 2027-02-30 is not a date');
    expect(errors).toContain(
      'stakeholders.csv:5: account_id: unknown account A-404 (not in accounts.csv nor in the store)',
    );
    expect(await dumpTenant(store, tenantId)).toEqual(before);
  });

  it('reports every bad row with its reason, not only the first', async () => {
    const { store } = testStore;
    const dir = await writeCsvSet({
      'usage.csv': [
        'account_id,date,active_users,licensed_seats,core_feature_adoption_pct',
        'A-1,2026-13-01,10,20,50',
        'A-1,2026-11-01,-3,20,50',
        'A-1,2026-11-02,3,20,150',
        'A-1,2026-11-03,3,20',
        'A-1,2026-11-02,4,20,50',
      ].join('\n'),
      'contracts.csv': BASE_FILES['contracts.csv']!.replace('9000000,JPY', '9000000.50,JPY').replace(
        'active,C-0',
        'open,C-0',
      ),
      'accounts.csv': BASE_FILES['accounts.csv']!.replace(
        'A-2,Kobe Tax KK,tax,JP,JPY',
        'A-2,Kobe Tax KK,tax,JP,YEN',
      ),
    });
    const errors = await importError(importFiles({ store, tenantId: newTenant(), inputs: [dir] }));
    expect(errors).toEqual(
      expect.arrayContaining([
        'accounts.csv:3: currency: YEN is not an ISO 4217 currency code',
        'contracts.csv:3: status: open is not one of active, renewed, churned, cancelled',
        'contracts.csv:4: arr: 9000000.50 has decimals but JPY has no minor unit',
        'usage.csv:2: date: 2026-13-01 is not a date',
        'usage.csv:3: active_users: -3 is not between 0 and 100000000',
        'usage.csv:4: core_feature_adoption_pct: 150 is not between 0 and 100',
        'usage.csv:5: has 4 cells but the header has 5',
      ]),
    );
  });

  it('rejects duplicate ids within a file and a missing required column', async () => {
    const { store } = testStore;
    const dup = await writeCsvSet({
      'tickets.csv': `${BASE_FILES['tickets.csv']}\nT-1,A-2,2026-10-05,,low,`,
    });
    expect(await importError(importFiles({ store, tenantId: newTenant(), inputs: [dup] }))).toEqual([
      'tickets.csv:4: ticket_id: duplicate T-1 (first on line 2)',
    ]);
    const missing = await writeCsvSet({ 'signals.csv': 'account_id,date,note\nA-1,2026-10-01,x' });
    expect(await importError(importFiles({ store, tenantId: newTenant(), inputs: [missing] }))).toEqual([
      'signals.csv:1: kind: required column is missing from the header',
    ]);
  });

  it('keeps several survey responses of one day apart and still re-imports as a no-op', async () => {
    const { store } = testStore;
    const tenantId = newTenant();
    const surveys = `${BASE_FILES['surveys.csv']}\nA-1,2026-09-15,nps,6,\nA-1,2026-09-15,nps,6,`;
    const dir = await writeCsvSet({ 'surveys.csv': surveys });
    await importFiles({ store, tenantId, inputs: [dir] });
    const again = await importFiles({ store, tenantId, inputs: [path.join(dir, 'surveys.csv')] });
    expect(again.files).toEqual([{ file: 'surveys.csv', rows: 4, inserted: 0, updated: 0, unchanged: 4 }]);
    const scores = await store.query<{ score: number }>(
      "SELECT score FROM surveys WHERE tenant_id = $1 AND date = '2026-09-15' ORDER BY seq",
      [tenantId],
    );
    expect(scores.map((row) => row.score)).toEqual([9, 6, 6]);
  });

  it('accepts a BOM and CRLF line endings', async () => {
    const { store } = testStore;
    const summary = await importFiles({
      store,
      tenantId: newTenant(),
      inputs: [await writeCsvSet({}, { bom: true, crlf: true })],
    });
    expect(summary.rows).toBe(22);
  });

  it('import → export → import → export is lossless, and formulas are neutralised in exports', async () => {
    const { store } = testStore;
    const first = newTenant();
    await importFiles({ store, tenantId: first, inputs: [await writeCsvSet()] });
    const out1 = path.join(os.tmpdir(), `perennial-export-${first}-1`);
    await exportFiles({ store, tenantId: first, outputDir: out1 });
    const second = newTenant();
    await importFiles({ store, tenantId: second, inputs: [out1] });
    const out2 = path.join(os.tmpdir(), `perennial-export-${first}-2`);
    await exportFiles({ store, tenantId: second, outputDir: out2 });
    const files1 = await readDir(out1);
    expect(await readDir(out2)).toEqual(files1);
    expect(files1['surveys.csv']).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(files1['contracts.csv']).toContain(
      'C-2,A-2,2026-04-01,2027-03-31,9000000,JPY,40,true,true,60,active,',
    );
    expect(files1['accounts.csv']?.split('\n')[0]).toBe(
      'account_id,name,industry,country,currency,fiscal_year_start_month,segment_override,strategic,owner_csm,owner_sales,timezone,plan',
    );
    const survey = await store.query<{ comment: string }>(
      "SELECT comment FROM surveys WHERE tenant_id = $1 AND kind = 'csat'",
      [second],
    );
    expect(survey).toEqual([{ comment: '=HYPERLINK("http://x")' }]);
  });
});
