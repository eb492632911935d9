/**
 * The forecast the API serves is cached per process with its serialised body (issue #9): a repeated
 * request makes one cheap query and no build, yet a CSM call through the API, a data change another
 * process makes (import, account, contract), and a renewal write from elsewhere all show — the first
 * two in the next request, the last within the re-check interval.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import { parsePeriod } from '../src/domain/forecast/periods.ts';
import { MAX_UNVERIFIED_MS, RECHECK_MS, serveForecast } from '../src/engine/forecast/serve-forecast.ts';
import { warmForecast } from '../src/engine/forecast/warm-forecast.ts';
import { runTenantDay } from '../src/jobs/run-tenant-day.ts';
import type { Store } from '../src/store/store.ts';
import { buildTestApp, call, FIXTURE_NOW, type SeededTenant, seedTenant } from './api-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

type ForecastBody = {
  period: string;
  renewals: { contractId: string; csmCategory: string | null; arr: string }[];
  disagreements: { contractId: string; csmCategory: string | null }[];
};

/** The store with its queries recorded (the same store underneath: a real PGlite or PostgreSQL). */
function recordingStore(store: Store): { store: Store; sql: string[] } {
  const sql: string[] = [];
  const recorded = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'query') {
        return (...args: Parameters<Store['query']>) => {
          sql.push(String(args[0]));
          return target.query(...args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: recorded, sql };
}

/** What a request read besides authorization: forecast inputs, the fingerprint, the history. */
function forecastReads(sql: string[]): { cheapKey: number; fingerprint: number; history: number } {
  return {
    cheapKey: sql.filter((text) => text.includes('FROM daily_runs')).length,
    fingerprint: sql.filter((text) => text.includes('sum(version)')).length,
    history: sql.filter((text) => /SELECT \* FROM (accounts|contracts|usage|renewals)/.test(text)).length,
  };
}

/**
 * A cached request reads the cheap key and no history. The whole-tenant fingerprint is never read on
 * PGlite (one process holds it); on PostgreSQL at most a background re-read once it is RECHECK_MS old.
 */
function expectCachedReads(sql: string[], kind: Store['kind']): void {
  const reads = forecastReads(sql);
  expect(reads.cheapKey).toBe(1);
  expect(reads.history).toBe(0);
  expect(reads.fingerprint).toBeLessThanOrEqual(kind === 'pglite' ? 0 : 1);
}

describe('the cached forecast', () => {
  let test: TestStore;
  let store: Store;
  let sql: string[];
  let app: ApiApp;
  let t1: SeededTenant;
  const url = `${API_PREFIX}/forecast?period=2027-Q1`;

  beforeAll(async () => {
    test = await openTestStore();
    t1 = await seedTenant(test.store, 't1', '');
    ({ store, sql } = recordingStore(test.store));
    app = await buildTestApp(store);
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  const get = (headers: Record<string, string> = {}) =>
    call(app, { method: 'GET', url, token: t1.tokens.view, headers });

  it('answers a repeated request from memory with one cheap query, and a matching ETag with 304', async () => {
    const first = await get();
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = first.json() as ForecastBody;
    expect(body.period).toBe('2027-Q1');
    expect(body.renewals.map((renewal) => renewal.contractId)).toEqual(['C-1']);
    // The response schema's shape, not the engine's: internal fields are not sent.
    expect(Object.keys(body.renewals[0]!)).not.toContain('factors');

    sql.length = 0;
    const second = await get();
    expectCachedReads(sql, store.kind);
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);

    const unchanged = await get({ 'if-none-match': String(first.headers.etag) });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
  });

  it('sends the same body gzipped to a client that accepts it', async () => {
    const plain = await get();
    const zipped = await get({ 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    const refused = await get({ 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('shows a CSM call made through the API in the next request', async () => {
    const first = await get();
    const beforeEtag = first.headers.etag;
    expect((first.json() as ForecastBody).renewals[0]?.csmCategory).toBeNull();
    const { version } = (
      await call(app, { method: 'GET', url: `${API_PREFIX}/renewals/C-1`, token: t1.tokens.csm })
    ).json() as { version: number };
    const patched = await call(app, {
      method: 'PATCH',
      url: `${API_PREFIX}/renewals/C-1`,
      token: t1.tokens.csm,
      headers: { 'if-match': `"${version}"` },
      payload: { csmCategory: 'at_risk', csmNote: 'budget freeze' },
    });
    expect(patched.statusCode).toBe(200);
    const after = await get();
    expect((after.json() as ForecastBody).renewals[0]?.csmCategory).toBe('at_risk');
    expect(after.headers.etag).not.toBe(beforeEtag);
  });

  it('does not rebuild for a write that cannot change the forecast (a note)', async () => {
    const first = await get();
    const noted = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/renewals/C-1/notes`,
      token: t1.tokens.csm,
      payload: { text: 'called the champion' },
    });
    expect(noted.statusCode).toBeLessThan(300);
    expect((await get()).headers.etag).toBe(first.headers.etag);
  });

  it('shows data another process wrote (a new contract) in the next request, but not a queued import', async () => {
    const first = await get();
    await test.store.execute(
      `INSERT INTO import_runs (tenant_id, started_at, status, files, summary)
       VALUES ('t1', now(), 'queued', '[]', '{}')`,
    );
    expect((await get()).headers.etag).toBe(first.headers.etag);

    await test.store.execute(
      `INSERT INTO contracts (tenant_id, contract_id, account_id, start_date, end_date, arr_minor, currency, updated_at)
       VALUES ('t1', 'C-3', 'A-1', '2026-03-15', '2027-03-14', 500000, 'USD', now() + interval '1 second')`,
    );
    const after = (await get()).json() as ForecastBody;
    expect(after.renewals.map((renewal) => renewal.contractId)).toEqual(['C-1', 'C-3']);
  });

  it('sees a renewal write from elsewhere within the re-check interval, and never serves a fingerprint older than the limit', async () => {
    const period = parsePeriod('2027-Q1');
    const asOf = FIXTURE_NOW.toISOString().slice(0, 10);
    const t0 = Date.now();
    // As on PostgreSQL, where other processes write (on PGlite one process holds the store).
    const serve = (at: number) =>
      serveForecast({ session: store, tenantId: 't1', asOf, period, now: () => at, otherWriters: true });
    const callOf = async (at: number) =>
      (await serve(at)).document.renewals.find((renewal) => renewal.contractId === 'C-1')?.csmCategory;
    // Reads the fingerprint afresh (the limit has passed since any read), so t0 is the read time.
    expect(await callOf(t0 + MAX_UNVERIFIED_MS * 10)).toBe('at_risk');
    const base = t0 + MAX_UNVERIFIED_MS * 10;

    // A close-out tool in another process (no API request here) changes the CSM call.
    await test.store.execute(
      `UPDATE renewals SET csm_category = 'commit', version = version + 1, updated_at = now()
        WHERE tenant_id = 't1' AND contract_id = 'C-1'`,
    );
    // Within the interval the verified document is served as is.
    expect(await callOf(base + 1)).toBe('at_risk');
    // Past it, it is still served while the fingerprint is re-read in the background …
    expect(await callOf(base + RECHECK_MS + 1)).toBe('at_risk');
    // … and the next request sees the write.
    await expect.poll(() => callOf(base + RECHECK_MS + 2), { timeout: 5_000 }).toBe('commit');

    await test.store.execute(
      `UPDATE renewals SET csm_category = 'upside', version = version + 1, updated_at = now()
        WHERE tenant_id = 't1' AND contract_id = 'C-1'`,
    );
    // Past the limit, the request waits for the fingerprint: never older than MAX_UNVERIFIED_MS.
    expect(await callOf(base + RECHECK_MS + 2 + MAX_UNVERIFIED_MS + 1)).toBe('upside');
  });

  it('serves the document the warm-up built without building it again', async () => {
    const asOf = FIXTURE_NOW.toISOString().slice(0, 10);
    // The default period (this quarter) is what the warm-up builds.
    await test.store.execute(
      `UPDATE accounts SET updated_at = now() + interval '2 seconds' WHERE tenant_id = 't1' AND account_id = 'A-2'`,
    );
    const warmed = await warmForecast({ session: store, tenantId: 't1', asOf });
    expect(warmed.status).toBe('warmed');
    sql.length = 0;
    const response = await call(app, { method: 'GET', url: `${API_PREFIX}/forecast`, token: t1.tokens.exec });
    expect(response.statusCode).toBe(200);
    expect((response.json() as ForecastBody).period).toBe('2026-Q4');
    expectCachedReads(sql, store.kind);
  });
});

describe('the warm-up in a process without the API (a worker, the CLI)', () => {
  it('builds nothing', async () => {
    vi.resetModules();
    const fresh = await import('../src/engine/forecast/warm-forecast.ts');
    // No session is touched: a query would fail on this empty object.
    const session = {} as Store;
    expect(await fresh.warmForecast({ session, tenantId: 't1', asOf: '2026-11-23' })).toEqual({
      status: 'skipped',
      reason: 'no API in this process',
    });
  });
});

describe('the daily run in a serving process', () => {
  let test: TestStore;
  let app: ApiApp;
  let t1: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    t1 = await seedTenant(test.store, 't1', '');
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  it('builds the forecast at its end, so the first request reads no history', async () => {
    const { store, sql } = recordingStore(test.store);
    // The API answers as of its clock's UTC day; the run is the tenant's day, here the same.
    const now = new Date();
    app = await buildTestApp(store, { now: () => now });
    const day = now.toISOString().slice(0, 10);
    const result = await runTenantDay({ store, tenantId: 't1', day });
    expect(result.reports.map((report) => report.asOf)).toEqual([day]);

    sql.length = 0;
    const response = await call(app, { method: 'GET', url: `${API_PREFIX}/forecast`, token: t1.tokens.mgr });
    expect(response.statusCode).toBe(200);
    expectCachedReads(sql, store.kind);
  });
});
