/** Drives the real `bin/perennial` executable, as an operator would. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../src/store/pglite-store.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { createTestDatabase, testDatabaseUrl } from './support/test-store.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/perennial');

type Result = { code: number; stdout: string; stderr: string };

let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | null = null;

beforeAll(async () => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'perennial-cli-'));
  env = { ...(process.env as Record<string, string>), PERENNIAL_DATA_DIR: path.join(home, 'data') };
  delete env.DATABASE_URL;
  if (testDatabaseUrl) {
    const database = await createTestDatabase(testDatabaseUrl);
    env.DATABASE_URL = database.url;
    dropDatabase = database.drop;
  }
});
afterAll(async () => {
  await dropDatabase?.();
});

async function perennial(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(BIN, args, { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function exportDir(): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-cli-export-'));
  expect((await perennial('export', '--output', dir)).code).toBe(0);
  const files: Record<string, string> = {};
  for (const name of await readdir(dir)) files[name] = await readFile(path.join(dir, name), 'utf8');
  return files;
}

describe('perennial import / export', () => {
  it('imports, refuses a bad set with exit 1 naming both files, and leaves the store as it was', async () => {
    const good = await perennial('import', await writeCsvSet());
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('contracts.csv');
    const before = await exportDir();

    const bad = await writeCsvSet({
      'contracts.csv': `${BASE_FILES['contracts.csv']}\nC-9,A-1,2026-03-01,2027-02-30,100.00,USD,,,,,,`,
      'tickets.csv': `${BASE_FILES['tickets.csv']}\nT-9,A-999,2026-10-01,,low,`,
      'accounts.csv': BASE_FILES['accounts.csv']!.replace('Acme Retail', 'Acme Retail Renamed'),
    });
    const failed = await perennial('import', bad);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('contracts.csv:6: end_date: 2027-02-30 is not a date');
    expect(failed.stderr).toContain('tickets.csv:4: account_id: unknown account A-999');
    expect(failed.stderr).toContain('nothing was written');
    expect(await exportDir()).toEqual(before);

    const again = await perennial('import', await writeCsvSet());
    expect(again.stdout).toMatch(/accounts\.csv\s+3 rows: 0 new, 0 updated, 3 unchanged/);
  });
});

describe('perennial evaluate', () => {
  it('prints the data-contract JSON for a CSV directory without touching a database', async () => {
    const result = await perennial(
      'evaluate',
      '--input',
      await writeCsvSet(),
      '--as-of',
      '2026-11-23',
      '--json',
    );
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.asOf).toBe('2026-11-23');
    expect(document.policy).toEqual({ name: expect.any(String), version: expect.any(String) });
    expect(document.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['A-1', 'A-2', 'A-3']);
    const jpy = document.accounts[1];
    // 9,000,000 JPY is mid-market in the reporting currency, not enterprise.
    expect(jpy.segment).toBe('mid_market');
    expect(jpy.renewal.arr).toEqual({ amount: '9000000', currency: 'JPY' });
    for (const account of document.accounts) {
      expect(['enterprise', 'mid_market', 'smb']).toContain(account.segment);
      expect(account.health.score).toBeGreaterThanOrEqual(0);
      expect(account.health.score).toBeLessThanOrEqual(100);
      expect(['green', 'yellow', 'red']).toContain(account.health.band);
      const renewal = account.renewal;
      expect(renewal.daysToRenewal).toBe(
        Math.round((Date.parse(renewal.dueDate) - Date.parse('2026-11-23')) / 86_400_000),
      );
      for (const milestone of renewal.timeline.milestones) {
        const offset = Number(milestone.key.slice(2));
        expect(Date.parse(renewal.dueDate) - Date.parse(milestone.date)).toBe(offset * 86_400_000);
      }
      expect(renewal.probability).toBeGreaterThan(0);
      expect(renewal.probability).toBeLessThan(1);
    }
    // the champion left in October and a competitor evaluation landed.
    expect(jpy.renewal.riskFlags).toEqual(expect.arrayContaining(['champion_left', 'competitor_evaluation']));
  });

  it('exits 1 with file:line errors on bad input', async () => {
    const bad = await writeCsvSet({ 'usage.csv': 'account_id,date,active_users\nA-1,2026-02-29,5' });
    const result = await perennial('evaluate', '--input', bad, '--as-of', '2026-11-23', '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('usage.csv:2: date: 2026-02-29 is not a date');
    expect(result.stdout).toBe('');
  });
});

describe('perennial policy', () => {
  it('explains every violation with its path and refuses to store a bad policy', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-policy-'));
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, 'health:\n  weights:\n    usage_trend: lots\n');
    const checked = await perennial('policy', 'check', bad);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('health.weights.usage_trend');
    expect((await perennial('policy', 'set', bad)).code).toBe(1);

    const good = path.join(dir, 'good.yaml');
    await writeFile(good, 'name: Acme CS policy\nversion: "2"\n');
    expect((await perennial('policy', 'set', good)).stdout).toContain('policy version 1 in force');
    const shown = await perennial('policy', 'show', '--json');
    expect(JSON.parse(shown.stdout).name).toBe('Acme CS policy');
  });
});

describe('the embedded store lock', () => {
  let holder: ChildProcess | null = null;
  afterAll(() => {
    holder?.kill('SIGKILL');
  });

  it('gives a second process a clear error naming the holder, and is free again after SIGTERM', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'perennial-lock-')), 'data');
    holder = spawn(process.execPath, ['--import', 'tsx', 'tests/support/hold-store.ts', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => holder?.stdout?.once('data', () => resolve()));
    await expect(openPgliteStore({ dataDir })).rejects.toThrow(
      new RegExp(`in use by process ${holder.pid} .*hold-store`),
    );
    const exited = new Promise<number | null>((resolve) => holder?.once('exit', (code) => resolve(code)));
    holder.kill('SIGTERM');
    expect(await exited).toBe(0);
    const store = await openPgliteStore({ dataDir });
    await store.close();
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'perennial-lock-')), 'data');
    await writeFile(
      `${dataDir}.lock`,
      JSON.stringify({
        pid: 2 ** 22 + 17,
        hostname: os.hostname(),
        command: 'gone',
        since: '2026-01-01T00:00:00Z',
      }),
    );
    const store = await openPgliteStore({ dataDir });
    await store.close();
  });
});
