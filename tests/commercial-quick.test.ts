/** The automated SMB path: a standard renewal goes from evaluation to a sent proposal PDF in one command. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { createTestDatabase, testDatabaseUrl } from './support/test-store.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/perennial');

/** A small software shop: SMB (8.5K USD), healthy, one champion. */
const SMB_FILES: Record<string, string> = {
  'accounts.csv': `${BASE_FILES['accounts.csv']}\nA-7,Fjord Tools AB,software,SE,USD,1,,false,U-2,,Europe/Stockholm,basic`,
  'contracts.csv': `${BASE_FILES['contracts.csv']}\nC-7,A-7,2026-01-01,2026-12-31,8500.00,USD,12,false,false,,active,`,
  'stakeholders.csv': `${BASE_FILES['stakeholders.csv']}\nS-71,A-7,Lina Berg,lina@fjord.example,champion,strong,supporter,2026-11-15,`,
};

let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | null = null;

beforeAll(async () => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'perennial-quick-'));
  env = { ...(process.env as Record<string, string>), PERENNIAL_DATA_DIR: path.join(home, 'data') };
  delete env.DATABASE_URL;
  if (testDatabaseUrl) {
    const database = await createTestDatabase(testDatabaseUrl);
    env.DATABASE_URL = database.url;
    dropDatabase = database.drop;
  }
  await run(BIN, ['import', await writeCsvSet(SMB_FILES)], { env });
});
afterAll(async () => {
  await dropDatabase?.();
});

describe('perennial proposal quick', () => {
  it('sends a standard SMB renewal with its PDF in one command, approved automatically', async () => {
    const pdf = path.join(await mkdtemp(path.join(os.tmpdir(), 'perennial-quick-pdf-')), 'p.pdf');
    const { stdout } = await run(
      BIN,
      ['proposal', 'quick', '--contract', 'C-7', '--as', 'U-2', '--as-of', '2026-11-23', '--output', pdf],
      { env },
    );
    expect(stdout).toContain('approved automatically and sent');
    expect(stdout).toContain('manager approved by system:auto-approval');
    expect(stdout).toMatch(
      /one-click acceptance: http:\/\/localhost:3000\/api\/v1\/accept\/\d+\.\d+\.[\w-]+/,
    );
    const bytes = await readFile(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const shown = await run(BIN, ['proposal', 'list'], { env });
    expect(shown.stdout).toMatch(/C-7.*sent/);
  });

  it('stops at approval for a renewal that is not standard SMB, and says who must approve', async () => {
    const pdf = path.join(os.tmpdir(), `never-${process.pid}.pdf`);
    const { stdout } = await run(
      BIN,
      ['proposal', 'quick', '--contract', 'C-1', '--as', 'U-2', '--as-of', '2026-11-23', '--output', pdf],
      { env },
    );
    expect(stdout).toContain('not approved automatically because the account is enterprise, not SMB');
    expect(stdout).toContain('waiting for: manager');
    await expect(readFile(pdf)).rejects.toThrow();
  });
});
