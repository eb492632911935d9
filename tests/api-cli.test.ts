/** `perennial user …`, `perennial serve` and `perennial import --preset` through the real executable. */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseUrl } from './support/test-store.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/perennial');

let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | null = null;

beforeAll(async () => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'perennial-api-cli-'));
  env = {
    ...(process.env as Record<string, string>),
    PERENNIAL_DATA_DIR: path.join(home, 'data'),
    PERENNIAL_LOG_LEVEL: 'silent',
    PERENNIAL_ADMIN_EMAIL: 'ops@vendor.example',
    PERENNIAL_ADMIN_PASSWORD: 'an admin password for tests',
  };
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

async function perennial(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(BIN, args, { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

describe('perennial user, import --preset and serve', () => {
  it('adds a user from stdin, issues a token printed once, and disables the user', async () => {
    const added = await perennial(
      ['user', 'add', '--email', 'kim@vendor.example', '--name', 'Kim', '--role', 'csm', '--password-stdin'],
      'a password long enough\n',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/added kim@vendor\.example \(usr-\w+, csm\)/);
    expect(added.stdout).not.toContain('a password long enough');
    const again = await perennial(
      ['user', 'add', '--email', 'KIM@vendor.example', '--name', 'Kim', '--role', 'csm'],
      '',
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already has an account/);
    const short = await perennial(
      ['user', 'add', '--email', 'lee@vendor.example', '--name', 'Lee', '--role', 'csm', '--password-stdin'],
      'short\n',
    );
    expect(short.stderr).toMatch(/at least 12 characters/);
    const badRole = await perennial([
      'user',
      'add',
      '--email',
      'x@vendor.example',
      '--name',
      'X',
      '--role',
      'boss',
    ]);
    expect(badRole.stderr).toMatch(/--role/);

    const token = await perennial([
      'user',
      'token',
      '--email',
      'kim@vendor.example',
      '--name',
      'ci',
      '--scope',
      'read,write',
    ]);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout.trim()).toMatch(/^prn_[\w-]{40,}$/);
    const disabled = await perennial(['user', 'disable', '--email', 'kim@vendor.example']);
    expect(disabled.stdout).toMatch(/disabled kim@vendor\.example/);
  });

  it('imports a HubSpot export with --preset', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-hubspot-'));
    await writeFile(path.join(dir, 'all-companies.csv'), 'Record ID,Company name,Currency\n9001,Hooli,USD\n');
    await writeFile(
      path.join(dir, 'all-deals.csv'),
      'Record ID,Deal Stage,Close Date,Contract end date,Amount,Currency,Associated Company IDs (Primary)\n7001,Closed won,2026-01-15,2027-01-14,88000,USD,9001\n',
    );
    const result = await perennial(['import', '--preset', 'hubspot', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('all-deals.csv → contracts.csv: 1 rows');
    expect(result.stdout).toMatch(/contracts\.csv\s+1 rows: 1 new/);
    const wrong = await perennial(['import', '--preset', 'pipedrive', dir]);
    expect(wrong.stderr).toMatch(/--preset: one of salesforce, hubspot/);
  });

  it('serves the API, creates the configured first admin, and stops cleanly on SIGTERM', async () => {
    const child = spawn(BIN, ['serve', '--port', '0'], { env });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL in time: ${stdout} ${stderr}`)), 30_000);
      child.stdout.on('data', () => {
        const match = /Perennial API on (http:\/\/[^\s]+)\/api\/v1/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect(stdout).toContain('First admin: ops@vendor.example');
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@vendor.example', password: 'an admin password for tests' }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { role: string }).role).toBe('admin');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The store was closed cleanly: the next command opens it at once.
    const again = await run(BIN, ['user', 'token', '--email', 'ops@vendor.example', '--name', 'after'], {
      env,
    });
    expect(again.stdout).toMatch(/^prn_/);
  });
});
