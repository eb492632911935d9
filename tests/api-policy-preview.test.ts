/**
 * POST /policy/preview on a real store: a demo book imported and run for one day, then candidate
 * policies previewed against the policy in force. The expected moves are read from what the daily run
 * stored (each account's health score of the day), not from the preview's own code path; the store
 * must be byte-for-byte the same afterwards. Also: PUT /policy under If-Match answers 409 when stale.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import { createApiToken } from '../src/auth/api-tokens.ts';
import { generateDemo } from '../src/demo/generate-demo.ts';
import { DEFAULT_POLICY } from '../src/domain/policy/policy-schema.ts';
import { runDay } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import { buildTestApp, call } from './api-fixture.ts';
import { dumpTenant, openTestStore, type TestStore } from './support/test-store.ts';

const TENANT = 't1';
const AS_OF = '2026-11-23';

let test: TestStore;
let app: ApiApp;
const tokens: Record<'admin' | 'manager' | 'csm', string> = { admin: '', manager: '', csm: '' };
/** The health score and band the daily run stored for AS_OF, of each account with an open renewal. */
let scores: { account_id: string; score: number; band: string }[] = [];
let open: { contract_id: string; account_id: string; stage: string | null }[] = [];

beforeAll(async () => {
  test = await openTestStore();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-preview-'));
  await generateDemo({ accounts: 200, seed: 11, asOf: AS_OF, outputDir: dir });
  await importFiles({ store: test.store, tenantId: TENANT, inputs: [dir] });
  await rm(dir, { recursive: true, force: true });
  await runDay({ store: test.store, tenantId: TENANT, asOf: AS_OF });
  scores = await test.store.query(
    `SELECT account_id, score::int AS score, band FROM health_snapshots h WHERE tenant_id = $1 AND as_of = $2
       AND EXISTS (SELECT 1 FROM renewals r WHERE r.tenant_id = h.tenant_id AND r.account_id = h.account_id
                     AND r.outcome = 'pending')`,
    [TENANT, AS_OF],
  );
  open = await test.store.query(
    `SELECT contract_id, account_id, stage FROM renewals WHERE tenant_id = $1 AND outcome = 'pending'`,
    [TENANT],
  );
  const users = await test.store.query<{ user_id: string; role: string }>(
    'SELECT user_id, role FROM users WHERE tenant_id = $1 ORDER BY user_id',
    [TENANT],
  );
  for (const role of ['admin', 'manager', 'csm'] as const) {
    const user = users.find((candidate) => candidate.role === role)!;
    const { token } = await createApiToken({
      session: test.store,
      tenantId: TENANT,
      userId: user.user_id,
      name: 'preview test',
      scopes: ['read', 'write', 'admin'],
      now: new Date(),
    });
    tokens[role] = token;
  }
  app = await buildTestApp(test.store, { now: () => new Date(`${AS_OF}T12:00:00Z`) });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await test?.close();
});

const preview = (document: object, token = tokens.admin) =>
  call(app, { method: 'POST', url: `${API_PREFIX}/policy/preview`, token, payload: document });

type Move = {
  from: string;
  to: string;
  count: number;
  examples: { accountId: string; contractId: string | null }[];
};

describe('POST /policy/preview', () => {
  it('has a book to preview against (accounts in every band the test moves)', () => {
    expect(scores.length).toBeGreaterThan(40);
    expect(scores.filter((row) => row.score >= 70 && row.score < 80).length).toBeGreaterThan(0);
    expect(scores.filter((row) => row.score >= 40 && row.score < 50).length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(0);
  });

  it('moves exactly the accounts whose score sits between the old and the new thresholds', async () => {
    const candidate = structuredClone(DEFAULT_POLICY);
    candidate.health.bands = { greenMin: 80, redBelow: 50 };
    const response = await preview(candidate);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.asOf).toBe(AS_OF);
    expect(body.accounts).toBe(scores.length);
    expect(body.currentVersion).toBe(0);

    const greenToYellow = scores
      .filter((row) => row.score >= 70 && row.score < 80)
      .map((row) => row.account_id);
    const yellowToRed = scores
      .filter((row) => row.score >= 40 && row.score < 50)
      .map((row) => row.account_id);
    const moves = body.healthMoves as Move[];
    expect(
      moves.map(({ from, to, count }) => ({ from, to, count })).sort((a, b) => a.from.localeCompare(b.from)),
    ).toEqual([
      { from: 'green', to: 'yellow', count: greenToYellow.length },
      { from: 'yellow', to: 'red', count: yellowToRed.length },
    ]);
    for (const move of moves) {
      const expected = move.from === 'green' ? greenToYellow : yellowToRed;
      expect(move.examples.length).toBe(Math.min(5, expected.length));
      for (const example of move.examples) expect(expected).toContain(example.accountId);
    }
    // Bands before are the daily run's; after, the same scores cut at the new thresholds.
    const count = (band: string, cut: (score: number) => string) =>
      scores.filter((row) => cut(row.score) === band).length;
    const newBand = (score: number) => (score >= 80 ? 'green' : score < 50 ? 'red' : 'yellow');
    for (const band of ['green', 'yellow', 'red']) {
      expect(body.bands.before[band]).toBe(scores.filter((row) => row.band === band).length);
      expect(body.bands.after[band]).toBe(count(band, newBand));
    }
    // Scores do not change, so segments do not; a forecast category only changes because a renewal
    // turned red (red forces at_risk unless the customer has said yes).
    expect(body.segmentMoves).toEqual([]);
    const openAccounts = new Set(open.map((row) => row.account_id));
    expect(body.openRenewals).toBe(open.length);
    const turnedRed = new Set(yellowToRed.filter((id) => openAccounts.has(id)));
    const forecastMoves = body.forecastMoves as Move[];
    expect(forecastMoves.reduce((sum, move) => sum + move.count, 0)).toBeGreaterThan(0);
    for (const move of forecastMoves) {
      expect(move.to).toBe('at_risk');
      for (const example of move.examples) {
        expect(turnedRed.has(example.accountId)).toBe(true);
        expect(open.map((row) => row.contract_id)).toContain(example.contractId);
      }
    }
  });

  it('reports no movement for the policy in force', async () => {
    const response = await preview(structuredClone(DEFAULT_POLICY));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.healthMoves).toEqual([]);
    expect(body.forecastMoves).toEqual([]);
    expect(body.earlyRenewal.gained.count + body.earlyRenewal.lost.count).toBe(0);
  });

  it('counts early-renewal qualifications lost when the bar rises above every score', async () => {
    const candidate = structuredClone(DEFAULT_POLICY);
    candidate.earlyRenewal.minHealth = 100;
    candidate.earlyRenewal.targetHealth = 100;
    const body = (await preview(candidate)).json();
    const qualified = await test.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM renewals WHERE tenant_id = $1 AND outcome = 'pending' AND early_qualified
         AND health_score < 100`,
      [TENANT],
    );
    expect(qualified[0]!.n).toBeGreaterThan(0);
    expect(body.earlyRenewal.lost.count).toBe(qualified[0]!.n);
    expect(body.earlyRenewal.gained.count).toBe(0);
  });

  it('answers 422 with the path of every problem, as PUT does', async () => {
    const candidate = structuredClone(DEFAULT_POLICY);
    candidate.health.bands = { greenMin: 30, redBelow: 60 };
    (candidate.health.weights as Record<string, unknown>).usage_trend = 'lots';
    const response = await preview(candidate);
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('policy_invalid');
    const paths = (response.json().errors as { path: string; message: string }[]).map((error) => error.path);
    expect(paths).toContain('health.bands');
    expect(paths).toContain('health.weights.usage_trend');
    const put = await call(app, {
      method: 'PUT',
      url: `${API_PREFIX}/policy`,
      token: tokens.admin,
      payload: candidate,
    });
    expect(put.statusCode).toBe(422);
    expect(put.json().errors).toEqual(response.json().errors);
  });

  it('changes nothing in the store', async () => {
    const before = await dumpTenant(test.store, TENANT);
    const candidate = structuredClone(DEFAULT_POLICY);
    candidate.health.bands = { greenMin: 90, redBelow: 60 };
    candidate.segments.enterpriseMinArrMinor = 5_000_000;
    const response = await preview(candidate);
    expect(response.statusCode).toBe(200);
    expect(response.json().segmentMoves.length).toBeGreaterThan(0);
    expect(await dumpTenant(test.store, TENANT)).toEqual(before);
  });

  it('lets admins and managers preview, not other roles', async () => {
    expect((await preview(DEFAULT_POLICY, tokens.manager)).statusCode).toBe(200);
    expect((await preview(DEFAULT_POLICY, tokens.csm)).statusCode).toBe(403);
  });
});

describe('PUT /policy under If-Match', () => {
  it('stores against the version read and refuses a stale one with 409', async () => {
    const read = await call(app, { method: 'GET', url: `${API_PREFIX}/policy`, token: tokens.admin });
    const etag = read.headers.etag as string;
    const version = read.json().version as number;
    expect(etag).toBe(`"${version}"`);
    const candidate = structuredClone(DEFAULT_POLICY);
    candidate.health.bands.greenMin = 72;
    const put = (document: object, ifMatch: string) =>
      call(app, {
        method: 'PUT',
        url: `${API_PREFIX}/policy`,
        token: tokens.admin,
        payload: document,
        headers: { 'if-match': ifMatch },
      });
    const first = await put(candidate, etag);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers.etag).toBe(`"${version + 1}"`);
    candidate.health.bands.greenMin = 74;
    const stale = await put(candidate, etag);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', currentVersion: version + 1 });
    const [stored] = await test.store.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM policies WHERE tenant_id = $1',
      [TENANT],
    );
    expect(stored!.n).toBe(version + 1);
  });
});
