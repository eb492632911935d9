/**
 * Backup and restore (`perennial backup` / `perennial restore`) and tenant deletion
 * (`perennial tenant delete`), on the store DATABASE_URL selects (PGlite otherwise):
 * - a restore into an empty instance gives byte-identical `perennial export`s and identical rows in
 *   every table (bigints, doubles, arrays, jsonb, timestamps, awkward text);
 * - a non-empty store is refused unless --force; a truncated or damaged file is refused and changes
 *   nothing; sequences continue after the restored ids;
 * - the snapshot is transaction-consistent while another connection keeps writing;
 * - deleting a tenant leaves no row of it in any table with a tenant_id column (enumerated from
 *   information_schema) and leaves the other tenants untouched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/api-tokens.ts';
import { generateDemo } from '../../src/demo/generate-demo.ts';
import { runDay } from '../../src/engine/run-daily.ts';
import { exportFiles } from '../../src/export/export-files.ts';
import { importFiles } from '../../src/import/import-files.ts';
import { BackupError } from '../../src/store/backup/backup-error.ts';
import { backupStore } from '../../src/store/backup/backup-store.ts';
import { restoreStore } from '../../src/store/backup/restore-store.ts';
import type { Store } from '../../src/store/store.ts';
import { dumpTenant } from '../support/test-store.ts';
import {
  createInstance,
  dumpStore,
  FULL,
  type Instance,
  report,
  runCli,
  runCliOk,
  size,
  tenantTables,
} from './support.ts';

const AS_OF = '2026-11-23';
const ACCOUNTS = size(15, 2_000);
/** Each case spawns `bin/perennial` (tsx start-up, the store opened): slow on a loaded CI machine. */
const TIMEOUT = FULL ? 1_800_000 : 120_000;

let work: string;
let source: Instance;
let target: Instance;
let backupFile: string;

async function seed(store: Store, demoDir: string): Promise<void> {
  for (const tenantId of ['default', 'other']) {
    await importFiles({ store, tenantId, inputs: [demoDir] });
    await runDay({ store, tenantId, asOf: AS_OF });
    const [admin] = await store.query<{ user_id: string }>(
      "SELECT user_id FROM users WHERE tenant_id = $1 AND role = 'admin' LIMIT 1",
      [tenantId],
    );
    await createApiToken({
      session: store,
      tenantId,
      userId: admin!.user_id,
      name: 'backup test',
      scopes: ['read', 'write'],
      now: new Date('2026-11-23T08:00:00.123Z'),
    });
  }
  // Awkward values: quotes, backslashes, newlines, emoji, formula starts, a large bigint, a double.
  await store.execute(
    `INSERT INTO accounts (tenant_id, account_id, name, currency, attributes) VALUES
       ('default', 'A-"odd"', $1, 'BHD', $2::jsonb)`,
    ['Zoë "Quotes" \\ back\nslash 🎉 =SUM(A1)', JSON.stringify({ note: 'multi\nline "x" \\', plan: 'ü' })],
  );
  await store.execute(
    `INSERT INTO contracts (tenant_id, contract_id, account_id, start_date, end_date, arr_minor, currency)
     VALUES ('default', 'C-big', 'A-"odd"', '2024-02-29', '2028-02-29', 9007199254740991, 'BHD')`,
  );
  await store.execute(
    `INSERT INTO audit_log (tenant_id, at, actor, action, entity, entity_id, changes)
     VALUES ('default', '2026-11-23T09:12:00.123456Z', 'U-1', 'update', 'renewal', 'C-big', $1::jsonb)`,
    [JSON.stringify({ probability: { from: 0.1 + 0.2, to: 1 / 3 } })],
  );
}

/** The files `perennial export` writes: the CLI itself in full size, otherwise its function (saves start-ups). */
async function exportTenant(instance: Instance, tenant: string): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(path.join(work, `export-${tenant}-`));
  if (tenant === 'default' && FULL) await runCliOk(['export', '-o', dir], instance.env);
  else {
    const store = await instance.open();
    try {
      await exportFiles({ store, tenantId: tenant, outputDir: dir });
    } finally {
      await store.close();
    }
  }
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(path.join(dir, name)));
  return files;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'perennial-backup-'));
  const demoDir = path.join(work, 'demo');
  await generateDemo({ accounts: ACCOUNTS, seed: 7, asOf: AS_OF, outputDir: demoDir });
  source = await createInstance('source');
  target = await createInstance('target');
  const store = await source.open();
  try {
    await seed(store, demoDir);
  } finally {
    await store.close();
  }
  backupFile = path.join(work, 'backup.jsonl.gz');
});

afterAll(async () => {
  await source?.dispose();
  await target?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('restores into an empty instance: identical rows everywhere, byte-identical exports', {
    timeout: TIMEOUT,
  }, async () => {
    const started = Date.now();
    await runCliOk(['backup', backupFile], source.env);
    const backupMs = Date.now() - started;
    const restoreStarted = Date.now();
    const out = await runCliOk(['restore', backupFile], target.env);
    const restoreMs = Date.now() - restoreStarted;
    expect(out).toMatch(/^restored \d+ rows into \d+ tables/);

    const a = await source.open();
    let sourceDump: Record<string, string[]>;
    try {
      sourceDump = await dumpStore(a);
    } finally {
      await a.close();
    }
    const b = await target.open();
    try {
      expect(await dumpStore(b)).toEqual(sourceDump);
      // Sequences continue after the restored ids.
      const [next] = await b.query<{ id: number }>(
        `INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, changes)
         VALUES ('default', 'test', 'note', 'renewal', 'x', '{}') RETURNING id`,
      );
      const [max] = await b.query<{ id: number }>(
        "SELECT max(id)::int AS id FROM audit_log WHERE actor <> 'test'",
      );
      expect(Number(next!.id)).toBeGreaterThan(Number(max!.id));
      await b.execute("DELETE FROM audit_log WHERE actor = 'test'");
    } finally {
      await b.close();
    }

    for (const tenant of ['default', 'other']) {
      const before = await exportTenant(source, tenant);
      const after = await exportTenant(target, tenant);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [name, bytes] of before)
        expect(after.get(name)!.equals(bytes), `${tenant}/${name}`).toBe(true);
    }
    const rows = Object.values(sourceDump).reduce((sum, lines) => sum + lines.length, 0);
    report('backup', {
      accounts: ACCOUNTS,
      rows,
      backupMs,
      restoreMs,
      bytes: readFileSync(backupFile).length,
    });
  });

  it('refuses a non-empty store without --force, replaces it with --force', {
    timeout: TIMEOUT,
  }, async () => {
    const refused = await runCli(['restore', backupFile], target.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not empty .*--force/);
    const store = await target.open();
    try {
      const before = await dumpStore(store);
      await store.execute("UPDATE accounts SET name = 'changed' WHERE tenant_id = 'default'");
      const summary = await restoreStore({ store, file: backupFile, force: true });
      expect(summary.replaced).toBe(true);
      expect(await dumpStore(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('refuses a truncated, damaged or foreign file and leaves the store as it was', {
    timeout: TIMEOUT,
  }, async () => {
    const empty = await createInstance('empty');
    const store = await empty.open();
    try {
      const text = gunzipSync(readFileSync(backupFile)).toString('utf8');
      const lines = text.split('\n');
      const cases: [string, Buffer, string][] = [
        ['truncated-gzip', readFileSync(backupFile).subarray(0, 2_000), 'backup_invalid'],
        ['no-closing-line', gzipSync(lines.slice(0, -3).join('\n')), 'backup_incomplete'],
        [
          'cut-mid-table',
          gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join('\n')),
          'backup_incomplete',
        ],
        ['not-gzip', Buffer.from('hello'), 'backup_invalid'],
        ['not-a-backup', gzipSync('{"hello":1}\n'), 'backup_invalid'],
        [
          'bad-row',
          gzipSync(lines.map((line, i) => (i === 3 ? '{"tenant_id":' : line)).join('\n')),
          'backup_invalid',
        ],
        [
          'other-schema',
          gzipSync(
            lines
              .map((line, i) => (i === 0 ? line.replace(/"migrations":\d+/, '"migrations":999') : line))
              .join('\n'),
          ),
          'schema_mismatch',
        ],
      ];
      for (const [name, bytes, code] of cases) {
        const file = path.join(work, `${name}.gz`);
        writeFileSync(file, bytes);
        const error = await restoreStore({ store, file }).catch((caught: unknown) => caught);
        expect(error, name).toBeInstanceOf(BackupError);
        expect((error as BackupError).code, name).toBe(code);
        const [count] = await store.query<{ n: number }>(
          'SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM tenants) + (SELECT count(*) FROM usage) AS n',
        );
        expect(Number(count!.n), name).toBe(0);
      }
    } finally {
      await store.close();
      await empty.dispose();
    }
  });

  it('is a consistent snapshot while another connection keeps writing', { timeout: TIMEOUT }, async () => {
    const store = await source.open();
    const file = path.join(work, 'concurrent.jsonl.gz');
    try {
      let writing = true;
      let committed = 0;
      const writer = (async () => {
        // Each transaction writes a pair of rows: a consistent snapshot holds only whole pairs.
        while (writing) {
          await store.transaction(async (tx) => {
            for (const action of ['pair-a', 'pair-b']) {
              await tx.execute(
                `INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, changes)
                 VALUES ('other', 'writer', $1, 'pair', $2, '{}')`,
                [action, String(committed)],
              );
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          });
          committed += 1;
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await backupStore({ store, file });
      writing = false;
      await writer;
      const pairs = new Map<string, number>();
      for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
        if (!line.includes('"entity":"pair"')) continue;
        const row = JSON.parse(line) as { entity_id: string };
        pairs.set(row.entity_id, (pairs.get(row.entity_id) ?? 0) + 1);
      }
      expect([...pairs.values()].every((n) => n === 2)).toBe(true);
      report('backup-consistency', { writerCommits: committed, pairsInSnapshot: pairs.size });
      await store.execute("DELETE FROM audit_log WHERE entity = 'pair'");
    } finally {
      await store.close();
    }
  });
});

describe('tenant deletion', () => {
  it('removes every row of the tenant in every table with a tenant_id, and nothing of the others', {
    timeout: TIMEOUT,
  }, async () => {
    let store = await target.open();
    let tables: string[];
    let keep: Awaited<ReturnType<typeof dumpTenant>>;
    try {
      tables = await tenantTables(store);
      expect(tables.length).toBeGreaterThan(20);
      keep = await dumpTenant(store, 'default');
      const [before] = await store.query<{ n: number }>(
        `SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}" WHERE tenant_id = 'other')`).join(' + ')} AS n`,
      );
      expect(Number(before!.n)).toBeGreaterThan(100);
    } finally {
      await store.close();
    }
    const refused = await runCli(['tenant', 'delete', 'other'], target.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    const out = await runCliOk(['tenant', 'delete', 'other', '--yes'], target.env);
    expect(out).toMatch(/^deleted tenant other: \d+ rows/);

    store = await target.open();
    try {
      for (const table of tables) {
        const [left] = await store.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${table}" WHERE tenant_id = 'other'`,
        );
        expect(left!.n, table).toBe(0);
      }
      const [tenant] = await store.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM tenants WHERE id = 'other'",
      );
      expect(tenant!.n).toBe(0);
      expect(await dumpTenant(store, 'default')).toEqual(keep);
    } finally {
      await store.close();
    }
    if (FULL) {
      // A message check, not a safety one: only in full runs, to save a CLI start-up in npm test.
      const missing = await runCli(['tenant', 'delete', 'nobody', '--yes'], target.env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/no tenant nobody/);
    }
  });
});
