/**
 * Import uploads: a CSV set sent as multipart/form-data is imported in the background; the run is
 * followed at GET /imports/{id} and a failed run's problems are downloaded as CSV. All or nothing:
 * a failed upload changes no business data. Admin only; another workspace's run is a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import { setPassword } from '../src/auth/user-accounts.ts';
import { buildTestApp, call, OTHER, type SeededTenant, seedTenant } from './api-fixture.ts';
import { BASE_FILES } from './support/csv-fixture.ts';
import { dumpTenant, openTestStore, type TestStore, testDatabaseUrl } from './support/test-store.ts';

type Part = { field: string; value: string; filename?: string };

/** A multipart/form-data body as a browser's FormData would send it. */
async function multipart(
  parts: readonly Part[],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const { field, value, filename } of parts) {
    if (filename === undefined) form.append(field, value);
    else form.append(field, new Blob([value], { type: 'text/csv' }), filename);
  }
  const encoded = new Response(form);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type')! },
  };
}

const csvFiles = (files: Record<string, string>): Part[] =>
  Object.entries(files).map(([filename, value]) => ({ field: 'files', value: `${value}\n`, filename }));

const CANONICAL = {
  'users.csv': BASE_FILES['users.csv']!,
  'accounts.csv': BASE_FILES['accounts.csv']!,
  'contracts.csv': BASE_FILES['contracts.csv']!,
};

const PASSWORD = 'a long enough password';

describe('import uploads API', () => {
  let test: TestStore;
  let app: ApiApp;
  let t1: SeededTenant;
  let t2: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    t1 = await seedTenant(test.store, 't1', '');
    t2 = await seedTenant(test.store, 't2', OTHER);
    app = await buildTestApp(test.store);
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  const upload = async (parts: readonly Part[], token = t1.tokens.adm, target = app) => {
    const body = await multipart(parts);
    return call(target, {
      method: 'POST',
      url: `${API_PREFIX}/imports/uploads`,
      token,
      payload: body.payload,
      headers: body.headers,
    });
  };
  const getRun = (id: number | string, token = t1.tokens.adm) =>
    call(app, { method: 'GET', url: `${API_PREFIX}/imports/${id}`, token });
  const getProblems = (id: number | string, token = t1.tokens.adm) =>
    call(app, { method: 'GET', url: `${API_PREFIX}/imports/${id}/problems.csv`, token });

  /** Polls the run (as the web page does) until it is done or failed. */
  async function finished(id: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await getRun(id);
      expect(response.statusCode, response.body).toBe(200);
      const run = response.json();
      if (run.status === 'done' || run.status === 'failed') return run;
      if (Date.now() > deadline) throw new Error(`import ${id} still ${run.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('imports an uploaded CSV set in the background: rows land, the run has its summary and an audit entry', async () => {
    const response = await upload(csvFiles(CANONICAL));
    expect(response.statusCode, response.body).toBe(202);
    const { id, status } = response.json();
    expect(typeof id).toBe('number');
    expect(['queued', 'running']).toContain(status);

    const run = await finished(id);
    expect(run).toMatchObject({
      id,
      status: 'done',
      files: ['users.csv', 'accounts.csv', 'contracts.csv'],
      progress: null,
      problemCount: 0,
    });
    expect(Date.parse(run.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(run.startedAt as string));
    const summary = run.summary as {
      rows: number;
      files: { file: string; inserted: number }[];
      converted: null;
    };
    expect(summary.rows).toBe(10);
    expect(summary.converted).toBeNull();
    expect(summary.files.map((file) => [file.file, file.inserted])).toEqual([
      ['users.csv', 3],
      ['accounts.csv', 1], // were seeded: updated, not inserted
      ['contracts.csv', 2], // so were C-1 and C-2
    ]);

    const contracts = await test.store.query<{ contract_id: string }>(
      `SELECT contract_id FROM contracts WHERE tenant_id = 't1' ORDER BY contract_id`,
    );
    expect(contracts.map((row) => row.contract_id)).toEqual(['C-0', 'C-1', 'C-2', 'C-3']);
    expect(await test.store.query(`SELECT count(*)::int AS n FROM contracts WHERE tenant_id = 't2'`)).toEqual(
      [{ n: 2 }],
    );

    const audit = await test.store.query<{ actor: string; action: string; changes: { files: unknown } }>(
      `SELECT actor, action, changes FROM audit_log WHERE tenant_id = 't1' AND entity = 'import' AND entity_id = $1`,
      [String(id)],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: t1.userId('adm'), action: 'import' });
    expect(audit[0]!.changes.files).toEqual({ old: null, new: summary.files });

    // The history lists it, finished, for managers too; its problem report is just the header.
    const history = (
      await call(app, { method: 'GET', url: `${API_PREFIX}/imports`, token: t1.tokens.mgr })
    ).json();
    expect(history.items[0]).toMatchObject({ id, status: 'done', finishedAt: run.finishedAt });
    const report = await getProblems(id, t1.tokens.mgr);
    expect(report.statusCode).toBe(200);
    expect(report.body.trim()).toBe('file,line,column,problem');
  });

  it('fails a set with a bad date as a whole: status failed, every problem in problems.csv, nothing changed', async () => {
    const before = await dumpTenant(test.store, 't1');
    const contracts = [
      BASE_FILES['contracts.csv']!.split('\n')[0],
      'C-7,A-1,2026-01-01,2026-13-45,100.00,USD,1,false,false,,active,',
      'C-8,A-1,2026-01-01,2027-01-01,200.00,USD,1,false,false,,active,',
      'C-9,A-404,2026-01-01,2027-01-01,300.00,USD,1,false,false,,active,',
    ].join('\n');
    const response = await upload(
      csvFiles({ 'accounts.csv': BASE_FILES['accounts.csv']!, 'contracts.csv': contracts }),
    );
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json();

    const run = await finished(id);
    expect(run).toMatchObject({ status: 'failed', summary: null, progress: null, problemCount: 2 });
    expect(run.finishedAt).not.toBeNull();

    const report = await getProblems(id);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.headers['content-disposition']).toBe(`attachment; filename="import-${id}-problems.csv"`);
    const lines = report.body.trim().split('\n');
    expect(lines[0]).toBe('file,line,column,problem');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^contracts\.csv,2,end_date,\S/);
    expect(lines[2]).toMatch(/^contracts\.csv,4,account_id,unknown account A-404/);
    expect(report.body).not.toContain('perennial-api-import-'); // no temp paths

    // All or nothing: no business row changed (api_tokens note their last use; the run itself is the
    // one new import_runs row, and a failed import writes no audit entry).
    const after = await dumpTenant(test.store, 't1');
    const runsBefore = before.import_runs!.length;
    expect(after.import_runs).toHaveLength(runsBefore + 1);
    for (const dump of [before, after]) {
      delete dump.api_tokens;
      delete dump.import_runs;
    }
    expect(after).toEqual(before);
  });

  it('imports a CRM export with a preset', async () => {
    const response = await upload([
      { field: 'preset', value: 'hubspot' },
      ...csvFiles({
        'all-companies.csv': 'Record ID,Company name,Currency\n9001,Hooli,USD',
        'all-deals.csv': [
          'Record ID,Deal Name,Deal Stage,Close Date,Contract end date,Amount,Currency,Associated Company IDs (Primary)',
          '7001,Hooli renewal,Closed won,2026-01-15 10:32,2027-01-14,"88,000",USD,9001',
        ].join('\n'),
      }),
    ]);
    expect(response.statusCode, response.body).toBe(202);
    const run = await finished(response.json().id);
    expect(run.status).toBe('done');
    expect(run.files).toEqual(['all-companies.csv', 'all-deals.csv']);
    expect((run.summary as { converted: { source: string; target: string }[] }).converted).toEqual([
      expect.objectContaining({ source: 'all-companies.csv', target: 'accounts.csv' }),
      expect.objectContaining({ source: 'all-deals.csv', target: 'contracts.csv' }),
    ]);
    const [contract] = await test.store.query<{ arr_minor: number }>(
      `SELECT arr_minor FROM contracts WHERE tenant_id = 't1' AND contract_id = '7001'`,
    );
    expect(contract).toEqual({ arr_minor: 8_800_000 });
  });

  it('lets only admins upload, managers and admins follow runs, and hides other workspaces’ runs', async () => {
    const parts = csvFiles({ 'accounts.csv': BASE_FILES['accounts.csv']! });
    for (const person of ['mgr', 'csm', 'view'] as const) {
      const refused = await upload(parts, t1.tokens[person]);
      expect(refused.statusCode, person).toBe(403);
      expect(refused.json().code).toBe('forbidden');
    }
    const anonymous = await multipart(parts);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `${API_PREFIX}/imports/uploads`,
          payload: anonymous.payload,
          headers: anonymous.headers,
        })
      ).statusCode,
    ).toBe(401);

    const { id } = (await upload(parts)).json();
    await finished(id);
    expect((await getRun(id, t1.tokens.mgr)).statusCode).toBe(200);
    expect((await getRun(id, t1.tokens.csm)).statusCode).toBe(403);
    expect((await getProblems(id, t1.tokens.csm)).statusCode).toBe(403);
    // Another workspace's admin: as if the run did not exist.
    for (const response of [await getRun(id, t2.tokens.adm), await getProblems(id, t2.tokens.adm)]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('not_found');
    }
    expect((await getRun(9_999_999)).statusCode).toBe(404);
    expect((await getRun('abc')).statusCode).toBe(404);
  });

  it('needs the CSRF token on a cookie session, like every other change', async () => {
    await setPassword({ session: test.store, tenantId: 't1', userId: t1.userId('adm'), password: PASSWORD });
    const login = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/auth/login`,
      payload: { email: t1.email('adm'), password: PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    const session = login.cookies.find((cookie) => cookie.name === 'perennial_session')!.value;
    const body = await multipart(csvFiles({ 'accounts.csv': BASE_FILES['accounts.csv']! }));
    const send = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: `${API_PREFIX}/imports/uploads`,
        cookies: { perennial_session: session },
        payload: body.payload,
        headers: { ...body.headers, ...headers },
      });
    const refused = await send({});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('csrf_failed');
    const accepted = await send({ 'x-csrf-token': login.json().csrfToken });
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect((await finished(accepted.json().id)).status).toBe('done');
  });

  it('refuses a form without files, with bad names, unknown fields or presets, or too large — naming the field', async () => {
    const runs = async () =>
      (await test.store.query<{ n: number }>('SELECT count(*)::int AS n FROM import_runs'))[0]!.n;
    const before = await runs();
    const accounts = csvFiles({ 'accounts.csv': BASE_FILES['accounts.csv']! });
    const cases: { parts: Part[]; status: number; code: string; path?: string; detail: RegExp }[] = [
      {
        parts: [{ field: 'preset', value: 'hubspot' }],
        status: 400,
        code: 'invalid_request',
        path: '/files',
        detail: /at least one/,
      },
      {
        parts: [{ field: 'preset', value: 'zoho' }, ...accounts],
        status: 400,
        code: 'invalid_request',
        path: '/preset',
        detail: /unknown preset zoho; use salesforce or hubspot/,
      },
      {
        parts: [{ field: 'files', value: 'a,b', filename: 'accounts.txt' }],
        status: 400,
        code: 'invalid_request',
        path: '/files',
        detail: /accounts\.txt is not a \.csv file name/,
      },
      {
        parts: [...accounts, { field: 'files', value: 'x', filename: 'Accounts.csv' }],
        status: 400,
        code: 'invalid_request',
        path: '/files',
        detail: /Accounts\.csv is given twice/,
      },
      {
        parts: [{ field: 'files', value: 'text, not a file' }],
        status: 400,
        code: 'invalid_request',
        path: '/files',
        detail: /as a file/,
      },
      {
        parts: [...accounts, { field: 'mapping', value: '{}' }],
        status: 400,
        code: 'unknown_field',
        detail: /unknown field mapping/,
      },
    ];
    for (const { parts, status, code, path, detail } of cases) {
      const response = await upload(parts);
      expect(response.statusCode, response.body).toBe(status);
      const problem = response.json();
      expect(problem.code).toBe(code);
      expect(problem.detail).toMatch(detail);
      if (path) expect(problem.errors).toEqual([expect.objectContaining({ in: 'body', path })]);
    }

    const json = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/imports/uploads`,
      token: t1.tokens.adm,
      payload: { files: { 'accounts.csv': 'x' } },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('unsupported_media_type');
    for (const [payload, type] of [
      [
        '--XYZ\r\nContent-Disposition: form-data; name="files"; filename="accounts.csv"\r\n\r\naccount_id,name\r\n',
        'multipart/form-data; boundary=XYZ',
      ],
      ['not a form', 'multipart/form-data'],
    ] as const) {
      const broken = await call(app, {
        method: 'POST',
        url: `${API_PREFIX}/imports/uploads`,
        token: t1.tokens.adm,
        payload,
        headers: { 'content-type': type },
      });
      expect(broken.statusCode, broken.body).toBe(400);
      expect(broken.json().detail).toMatch(/^the multipart\/form-data body is not valid/);
    }

    // Each file under the cap, the two together over it.
    const [users, signals] = [BASE_FILES['users.csv']!, BASE_FILES['signals.csv']!];
    const cap = Math.max(users.length, signals.length) + 10;
    expect(users.length + signals.length).toBeGreaterThan(cap);
    const small = await buildTestApp(test.store, {
      limits: { perMinute: 1_000_000, loginPerMinute: 1_000_000, importBodyBytes: cap },
    });
    try {
      const big = await upload(
        csvFiles({ 'accounts.csv': BASE_FILES['accounts.csv']! }),
        t1.tokens.adm,
        small,
      );
      expect(big.statusCode, big.body).toBe(413);
      expect(big.json().code).toBe('payload_too_large');
      const two = await upload(
        csvFiles({ 'users.csv': users, 'signals.csv': signals }),
        t1.tokens.adm,
        small,
      );
      expect(two.statusCode, two.body).toBe(413);
      expect(two.json().code).toBe('payload_too_large');
    } finally {
      await small.close();
    }
    expect(await runs()).toBe(before); // nothing was queued
  });

  it('fails a run a stopped server left running when the app starts again', async () => {
    const [row] = await test.store.query<{ id: number }>(
      `INSERT INTO import_runs (tenant_id, started_at, finished_at, status, progress, files, summary)
       VALUES ('t1', now() - interval '10 minutes', NULL, 'running',
               jsonb_build_object('file', 'accounts.csv', 'rows', 10, 'bytesRead', 100, 'sizeBytes', 1000,
                                  'beatAt', now() - interval '5 minutes'),
               '["accounts.csv"]', '{}') RETURNING id`,
    );
    const id = Number(row!.id);
    const restarted = await buildTestApp(test.store);
    await restarted.close();
    const run = (await getRun(id)).json();
    expect(run).toMatchObject({ status: 'failed', problemCount: 1, progress: null });
    expect(run.finishedAt).not.toBeNull();
    expect((await getProblems(id)).body.trim().split('\n')[1]).toBe(
      ',,,the server stopped during the import',
    );
  });

  it('shows a running run with its progress', async () => {
    // A run as a live process writes it (heartbeat fresh), read while it runs.
    const [row] = await test.store.query<{ id: number }>(
      `INSERT INTO import_runs (tenant_id, started_at, finished_at, status, progress, files, summary)
       VALUES ('t1', now(), NULL, 'running',
               jsonb_build_object('file', 'usage.csv', 'rows', 20000, 'bytesRead', 512, 'sizeBytes', 2048, 'beatAt', now()),
               '["usage.csv"]', '{}') RETURNING id`,
    );
    const run = (await getRun(Number(row!.id))).json();
    expect(run).toMatchObject({
      status: 'running',
      finishedAt: null,
      summary: null,
      progress: { file: 'usage.csv', rows: 20000, bytesRead: 512, sizeBytes: 2048 },
    });
    const history = (
      await call(app, { method: 'GET', url: `${API_PREFIX}/imports`, token: t1.tokens.adm })
    ).json();
    expect(history.items[0]).toMatchObject({ id: Number(row!.id), status: 'running', finishedAt: null });
    await test.store.execute(`DELETE FROM import_runs WHERE id = $1`, [row!.id]);
  });
});

// PostgreSQL only by design: several API processes cannot share one PGlite store.
describe.runIf(testDatabaseUrl)('import uploads on PostgreSQL (many processes)', () => {
  let test: TestStore;
  let app: ApiApp;
  let t1: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    t1 = await seedTenant(test.store, 't1', '');
    app = await buildTestApp(test.store);
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  it('reports progress while the import runs, then the summary', async () => {
    const header = 'account_id,date,active_users,licensed_seats,core_feature_adoption_pct';
    const rows: string[] = [];
    for (let day = 0; day < 70_000; day++) {
      const date = new Date(Date.UTC(1900, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      rows.push(`A-1,${date},${day % 100},100,50`);
    }
    const body = await multipart(csvFiles({ 'usage.csv': [header, ...rows].join('\n') }));
    const response = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/imports/uploads`,
      token: t1.tokens.adm,
      payload: body.payload,
      headers: body.headers,
    });
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json();
    const seen: { status: string; rows: number | null }[] = [];
    for (;;) {
      const run = (
        await call(app, { method: 'GET', url: `${API_PREFIX}/imports/${id}`, token: t1.tokens.adm })
      ).json();
      seen.push({ status: run.status, rows: run.progress?.rows ?? null });
      if (run.status === 'done' || run.status === 'failed') {
        expect(run.status).toBe('done');
        expect(run.summary.rows).toBe(70_000);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen.some((state) => state.status === 'running' && (state.rows ?? 0) > 0)).toBe(true);
  });

  it('leaves another live process’s run alone at start-up, and fails one whose heartbeat stopped when read', async () => {
    const insert = async (beatAgo: string) =>
      Number(
        (
          await test.store.query<{ id: number }>(
            `INSERT INTO import_runs (tenant_id, started_at, finished_at, status, progress, files, summary)
             VALUES ('t1', now() - interval '10 minutes', NULL, 'running',
                     jsonb_build_object('beatAt', now() - $1::interval), '["accounts.csv"]', '{}') RETURNING id`,
            [beatAgo],
          )
        )[0]!.id,
      );
    const live = await insert('2 seconds');
    const restarted = await buildTestApp(test.store);
    await restarted.close();
    const read = async (id: number) =>
      (await call(app, { method: 'GET', url: `${API_PREFIX}/imports/${id}`, token: t1.tokens.adm })).json();
    expect((await read(live)).status).toBe('running');
    // Its process died after this one started: the next read finds the heartbeat stale.
    const dead = await insert('5 minutes');
    expect(await read(dead)).toMatchObject({ status: 'failed', problemCount: 1 });
    await test.store.execute('DELETE FROM import_runs WHERE id = $1', [live]);
  });
});
