/**
 * Shared by the hardening suites: the size switch (`PERENNIAL_HARDENING=full` for the full sizes of
 * `npm run test:hardening`, otherwise the reduced sizes that run inside `npm test`), real stores
 * addressed the way the CLI addresses them (a PGlite data directory, or a fresh PostgreSQL database
 * when DATABASE_URL is set), and a runner for `bin/perennial` as a child process.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { MIGRATIONS_FOLDER, type Store } from '../../src/store/store.ts';
import { createTestDatabase, testDatabaseUrl } from '../support/test-store.ts';

export const FULL = process.env.PERENNIAL_HARDENING === 'full';

/** The reduced size inside `npm test`, the full one under `npm run test:hardening`. */
export function size(reduced: number, full: number): number {
  return FULL ? full : reduced;
}

export const STORE_KIND = testDatabaseUrl ? 'postgres' : 'pglite';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(REPO_ROOT, 'bin/perennial');

/** A store the CLI can open too: its environment, an opener for the test process, and a cleanup. */
export type Instance = {
  env: Record<string, string>;
  open: () => Promise<Store>;
  dispose: () => Promise<void>;
};

/**
 * A migrated, closed PGlite data directory to copy new instances from. Creating one from nothing
 * (initdb + every migration) costs seconds of CPU each time; a copy costs milliseconds. Keyed by the
 * PGlite version and the migrations, shared by the suites' processes, built under a temporary name and
 * renamed into place, so racing builders cannot leave half a template. Opening the copy still runs
 * the migrator, which finds nothing to do.
 */
async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(REPO_ROOT, 'node_modules/@electric-sql/pglite/package.json')));
  for (const entry of readdirSync(MIGRATIONS_FOLDER, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()) {
    hash.update(`${path.relative(MIGRATIONS_FOLDER, entry)}\n`).update(readFileSync(entry));
  }
  const template = path.join(os.tmpdir(), `perennial-hardening-template-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const store = await openPgliteStore({ dataDir: building });
  await store.close();
  try {
    await rename(building, template);
  } catch {
    await rm(building, { recursive: true, force: true }); // another process finished first
  }
  return template;
}

export async function createInstance(label = 'store'): Promise<Instance> {
  if (testDatabaseUrl) {
    const database = await createTestDatabase(testDatabaseUrl);
    return {
      env: { DATABASE_URL: database.url },
      open: () => openPostgresStore({ url: database.url, poolSize: 4 }),
      dispose: () => database.drop(),
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), `perennial-hardening-${label}-`));
  const dataDir = path.join(dir, 'data');
  await cp(await pgliteTemplate(), dataDir, { recursive: true });
  return {
    env: { PERENNIAL_DATA_DIR: dataDir, DATABASE_URL: '' },
    open: () => openPgliteStore({ dataDir }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export type CliResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
};

export type CliProcess = {
  pid: number;
  done: Promise<CliResult>;
  kill: (signal: NodeJS.Signals) => void;
  /** What it printed so far. */
  stdout: () => string;
};

/** Starts `bin/perennial ARGS` with the given environment (tenant, store) on top of this one. */
export function startCli(args: readonly string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PERENNIAL_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid ?? -1, done, kill: (signal) => child.kill(signal), stdout: () => stdout };
}

export async function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Runs the CLI and fails with its output when it does not exit 0. */
export async function runCliOk(args: readonly string[], env: Record<string, string>): Promise<string> {
  const result = await runCli(args, env);
  if (result.code !== 0) {
    throw new Error(`perennial ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
  }
  return result.stdout;
}

/** Every application table with a tenant_id column, from the catalog (not a list in the test). */
export async function tenantTables(store: Store): Promise<string[]> {
  const rows = await store.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
      ORDER BY 1`,
  );
  return rows.map((row) => row.table_name);
}

/** Every row of every application table as sorted JSON text: equal dumps mean equal stores. */
export async function dumpStore(store: Store): Promise<Record<string, string[]>> {
  const tables = await store.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const dump: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    const rows = await store.query<{ line: string }>(`SELECT row_to_json(t)::text AS line FROM "${table}" t`);
    dump[table] = rows.map((row) => row.line).sort();
  }
  return dump;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** One line of measured numbers, printed so CI logs and the RELIABILITY figures can quote it. */
export function report(suite: string, figures: Record<string, unknown>): void {
  process.stdout.write(
    `[hardening:${suite}] ${STORE_KIND} ${FULL ? 'full' : 'reduced'} ${JSON.stringify(figures)}\n`,
  );
}
