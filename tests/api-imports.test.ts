/** Imports over HTTP and from CRM exports (Salesforce, HubSpot presets and mapping files). */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import {
  convertCrmExports,
  normalizeAmount,
  normalizeDate,
} from '../src/import/presets/convert-crm-export.ts';
import { SALESFORCE_PRESET } from '../src/import/presets/crm-presets.ts';
import { MappingError, readMappingFile } from '../src/import/presets/mapping-spec.ts';
import { buildTestApp, call, OTHER, type SeededTenant, seedTenant } from './api-fixture.ts';
import { BASE_FILES } from './support/csv-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const SALESFORCE = {
  'Accounts Report.csv': [
    '"Account ID","Account Name","Industry","Billing Country","Account Currency","Account Owner ID","Tier"',
    '"001A","Globex Corp","Manufacturing","United States","USD","005X","Gold"',
    '"001B","Initech","Software","Germany","EUR","005Y","Silver"',
  ].join('\n'),
  'Opportunities.csv': [
    '"Opportunity ID","Account ID","Stage","Close Date","Contract End Date","Amount","Opportunity Currency"',
    '"006A","001A","Closed Won","3/1/2026","2/28/2027","$120,000.00","USD"',
    '"006B","001B","Closed Won","5/15/2026","5/14/2027","45,000.50","EUR"',
    '"006C","001A","Prospecting","6/1/2026","","$5,000.00","USD"',
  ].join('\n'),
  'Contacts.csv': [
    '"Contact ID","Account ID","Full Name","Email","Contact Role"',
    '"003A","001A","Jane Doe","jane@globex.example","Economic Buyer"',
    '"003B","001B","Max Muster","max@initech.example",""',
  ].join('\n'),
};

const HUBSPOT = {
  'all-companies.csv': [
    'Record ID,Company name,Industry,Country/Region,Currency',
    '9001,Hooli,COMPUTER_SOFTWARE,United States,USD',
  ].join('\n'),
  'all-deals.csv': [
    'Record ID,Deal Name,Deal Stage,Close Date,Contract end date,Amount,Currency,Associated Company IDs (Primary)',
    '7001,Hooli renewal,Closed won,2026-01-15 10:32,2027-01-14,"88,000",USD,9001',
    '7002,Hooli upsell,Appointment scheduled,2026-02-01 00:00,,1000,USD,9001',
  ].join('\n'),
  'all-contacts.csv': [
    'Record ID,First Name,Last Name,Email,Buying Role,Associated Company IDs (Primary)',
    '5001,Gavin,Belson,gavin@hooli.example,Budget holder,9001',
  ].join('\n'),
};

async function writeFiles(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-crm-test-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), `${text}\n`);
  return dir;
}

describe('CRM export presets', () => {
  it('normalises dates and amounts the way exports write them', () => {
    expect(normalizeDate('3/1/2026', 'MDY')).toBe('2026-03-01');
    expect(normalizeDate('01.03.2026', 'DMY')).toBe('2026-03-01');
    expect(normalizeDate('2026-01-15 10:32', 'YMD')).toBe('2026-01-15');
    expect(normalizeAmount('$120,000.00')).toBe('120000.00');
    expect(normalizeAmount('USD 9,800')).toBe('9800');
    expect(normalizeAmount('1.234,50')).toBe('1.234,50'); // ambiguous: left for the importer to report
  });

  it('maps a Salesforce report export onto accounts, contracts (won opportunities) and stakeholders', async () => {
    const input = await writeFiles(SALESFORCE);
    const output = await mkdtemp(path.join(os.tmpdir(), 'perennial-crm-out-'));
    const report = await convertCrmExports({
      inputs: [input],
      mapping: SALESFORCE_PRESET,
      outputDir: output,
    });
    expect(report.files.map((f) => [f.source, f.target, f.rows, f.skipped])).toEqual([
      ['Accounts Report.csv', 'accounts.csv', 2, 0],
      ['Contacts.csv', 'stakeholders.csv', 2, 0],
      ['Opportunities.csv', 'contracts.csv', 2, 1],
    ]);
    const contracts = await readFile(path.join(output, 'contracts.csv'), 'utf8');
    expect(contracts.split('\n')[0]).toBe('contract_id,account_id,start_date,end_date,arr,currency');
    expect(contracts).toContain('006A,001A,2026-03-01,2027-02-28,120000.00,USD');
    const accounts = await readFile(path.join(output, 'accounts.csv'), 'utf8');
    expect(accounts.split('\n')[0]).toBe('account_id,name,industry,country,currency,owner_sales,Tier');
    const stakeholders = await readFile(path.join(output, 'stakeholders.csv'), 'utf8');
    expect(stakeholders).toContain('003A,001A,Jane Doe,jane@globex.example,economic_buyer');
    expect(stakeholders).toContain('003B,001B,Max Muster,max@initech.example,user');
  });

  it('reads a YAML mapping file and refuses a broken one with the path of the problem', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-mapping-'));
    const good = path.join(dir, 'mapping.yaml');
    await writeFile(
      good,
      [
        'files:',
        '  - match: "^clients"',
        '    target: accounts.csv',
        '    columns:',
        '      account_id: Client No',
        '      name: Client',
        '      currency: { value: EUR }',
      ].join('\n'),
    );
    const spec = await readMappingFile(good);
    expect(spec.files[0]).toMatchObject({ target: 'accounts.csv', values: {}, dateOrder: 'YMD' });
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(
      bad,
      ['files:', '  - match: "^x"', '    target: invoices.csv', '    columns: {}'].join('\n'),
    );
    await expect(readMappingFile(bad)).rejects.toThrow(MappingError);
    await expect(readMappingFile(bad)).rejects.toThrow(/files\.0\.target/);
  });
});

describe('imports API', () => {
  let test: TestStore;
  let app: ApiApp;
  let t1: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    t1 = await seedTenant(test.store, 't1', '');
    await seedTenant(test.store, 't2', OTHER);
    app = await buildTestApp(test.store);
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  const importFiles = (payload: object, token = t1.tokens.adm) =>
    call(app, { method: 'POST', url: `${API_PREFIX}/imports`, token, payload });

  it('imports a canonical CSV set given as JSON, into the caller’s tenant only', async () => {
    const response = await importFiles({
      files: {
        'users.csv': BASE_FILES['users.csv']!,
        'accounts.csv': BASE_FILES['accounts.csv']!,
        'contracts.csv': BASE_FILES['contracts.csv']!,
      },
    });
    expect(response.statusCode).toBe(201);
    const summary = response.json();
    expect(summary.files.map((f: { file: string }) => f.file)).toEqual([
      'users.csv',
      'accounts.csv',
      'contracts.csv',
    ]);
    expect(summary.converted).toBeNull();
    const [count] = await test.store.query<{ t1: number; t2: number }>(
      `SELECT count(*) FILTER (WHERE tenant_id = 't1')::int AS t1, count(*) FILTER (WHERE tenant_id = 't2')::int AS t2 FROM contracts`,
    );
    expect(count).toEqual({ t1: 4, t2: 2 }); // C-1 and C-2 were seeded; C-0 and C-3 are new
    const runs = (
      await call(app, { method: 'GET', url: `${API_PREFIX}/imports`, token: t1.tokens.mgr })
    ).json();
    expect([...runs.items[0].files].sort()).toEqual(['accounts.csv', 'contracts.csv', 'users.csv']);
  });

  it('answers every problem (422) and writes nothing when a row is bad', async () => {
    const before = await test.store.query('SELECT * FROM accounts ORDER BY tenant_id, account_id');
    const response = await importFiles({
      files: { 'accounts.csv': 'account_id,name,currency\nA-9,Nine,EURO\nA-10,,USD\n' },
    });
    expect(response.statusCode).toBe(422);
    const problem = response.json();
    expect(problem.code).toBe('import_invalid');
    expect(problem.errors.length).toBe(2);
    expect(problem.errors[0]).toMatchObject({ file: 'accounts.csv', line: 2, column: 'currency' });
    expect(await test.store.query('SELECT * FROM accounts ORDER BY tenant_id, account_id')).toEqual(before);
  });

  it('refuses file names with directories', async () => {
    const response = await importFiles({ files: { '../accounts.csv': 'x' } });
    expect(response.statusCode).toBe(400);
  });

  it('imports HubSpot exports with the preset', async () => {
    const response = await importFiles({ files: HUBSPOT, preset: 'hubspot' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().converted).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'all-deals.csv', target: 'contracts.csv', rows: 1, skipped: 1 }),
      ]),
    );
    const [contract] = await test.store.query<{ arr_minor: number; start_date: string; end_date: string }>(
      `SELECT arr_minor, start_date, end_date FROM contracts WHERE tenant_id = 't1' AND contract_id = '7001'`,
    );
    expect(contract).toEqual({ arr_minor: 8_800_000, start_date: '2026-01-15', end_date: '2027-01-14' });
    const [person] = await test.store.query<{ name: string; role: string }>(
      `SELECT name, role FROM stakeholders WHERE tenant_id = 't1' AND stakeholder_id = '5001'`,
    );
    expect(person).toEqual({ name: 'Gavin Belson', role: 'economic_buyer' });
  });

  it('imports Salesforce exports with a mapping that overrides the preset', async () => {
    const response = await importFiles({
      files: SALESFORCE,
      preset: 'salesforce',
      mapping: {
        files: [
          {
            match: '^contacts',
            target: 'stakeholders.csv',
            columns: {
              stakeholder_id: 'Contact ID',
              account_id: 'Account ID',
              name: 'Full Name',
              role: { value: 'champion' },
            },
          },
        ],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const roles = await test.store.query<{ role: string }>(
      `SELECT DISTINCT role FROM stakeholders WHERE tenant_id = 't1' AND stakeholder_id IN ('003A', '003B')`,
    );
    expect(roles).toEqual([{ role: 'champion' }]);
    const [account] = await test.store.query<{ attributes: Record<string, string> }>(
      `SELECT attributes FROM accounts WHERE tenant_id = 't1' AND account_id = '001A'`,
    );
    expect(account!.attributes).toEqual({ tier: 'Gold' }); // custom fields, named as the importer keys them
  });
});
