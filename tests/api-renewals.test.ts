/** Renewals and tasks over HTTP: optimistic locking, protected fields, audit, notes, webhooks, lists. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import { buildTestApp, call, OTHER, type SeededTenant, seedTenant } from './api-fixture.ts';
import { dumpTenant, openTestStore, type TestStore } from './support/test-store.ts';

describe('renewals and tasks API', () => {
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

  const get = (url: string, token = t1.tokens.view) =>
    call(app, { method: 'GET', url: `${API_PREFIX}${url}`, token });
  const patch = (url: string, payload: object, token: string, headers: Record<string, string> = {}) =>
    call(app, { method: 'PATCH', url: `${API_PREFIX}${url}`, token, payload, headers });
  const post = (url: string, payload: object, token: string, headers: Record<string, string> = {}) =>
    call(app, { method: 'POST', url: `${API_PREFIX}${url}`, token, payload, headers });
  /** Every business row of t1 (API token `last_used_at` is bookkeeping, not data). */
  const snapshot = async () => {
    const { api_tokens: _tokens, ...rest } = await dumpTenant(test.store, 't1');
    return rest;
  };
  const versionOf = async (contractId: string) =>
    (await get(`/renewals/${contractId}`)).json().version as number;

  it('shows one renewal with its tasks, stakeholders, health drivers, money and an ETag', async () => {
    const response = await get('/renewals/C-1');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(response.headers.etag).toBe(`"${body.version}"`);
    expect(body).toMatchObject({
      contractId: 'C-1',
      accountName: 'Acme',
      arr: { amount: '120000.00', currency: 'USD' },
      owner: { userId: 'U-spec' },
      health: { score: 55, band: 'yellow' },
      forecast: { modelCategory: 'probable', category: 'probable' },
    });
    expect(body.tasks.map((t: { key: string }) => t.key)).toEqual(['account-review']);
    expect(body.stakeholders[0]).toMatchObject({ name: 'Jane Doe', role: 'champion' });
    expect(body.healthDrivers[0]).toMatchObject({ factor: 'usage_trend', impact: -15 });
  });

  it('requires the version being changed (428) and refuses a malformed If-Match (400)', async () => {
    const missing = await patch('/renewals/C-1', { stage: 'engaged' }, t1.tokens.csm);
    expect(missing.statusCode).toBe(428);
    expect(missing.json().code).toBe('precondition_required');
    const bad = await patch('/renewals/C-1', { stage: 'engaged' }, t1.tokens.csm, {
      'if-match': 'yesterday',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('lets exactly one of 50 concurrent updates with the same version through; the rest get 409', async () => {
    const version = await versionOf('C-1');
    const auditBefore = await test.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = 't1' AND entity = 'renewal' AND entity_id = 'C-1'`,
    );
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        patch('/renewals/C-1', { csmNote: `writer ${i}` }, t1.tokens.csm, { 'if-match': `"${version}"` }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const conflict = responses.find((r) => r.statusCode === 409)!.json();
    expect(conflict).toMatchObject({ code: 'version_conflict', currentVersion: version + 1 });
    const winner = responses.find((r) => r.statusCode === 200)!.json();
    const stored = await get('/renewals/C-1');
    expect(stored.json().forecast.csmNote).toBe(winner.forecast.csmNote);
    expect(stored.json().version).toBe(version + 1);
    const auditAfter = await test.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = 't1' AND entity = 'renewal' AND entity_id = 'C-1'`,
    );
    expect(auditAfter[0]!.n - auditBefore[0]!.n).toBe(1);
  });

  it('refuses protected fields for a role that may not write them, changes nothing, and says which and why', async () => {
    const before = await snapshot();
    const version = await versionOf('C-1');
    const response = await patch(
      '/renewals/C-1',
      { stage: 'negotiation', renewedArr: '999999.00', ownerUserId: 'U-csm', tenantId: 't2' },
      t1.tokens.csm,
      { 'if-match': `"${version}"` },
    );
    expect(response.statusCode).toBe(403);
    const problem = response.json();
    expect(problem.code).toBe('field_not_writable');
    expect(problem.detail).toMatch(/nothing was changed/);
    expect(problem.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'ownerUserId',
      'renewedArr',
      'tenantId',
    ]);
    expect(problem.fields.every((f: { why: string }) => f.why.length > 0)).toBe(true);
    expect(await snapshot()).toEqual(before);

    const engineField = await patch('/renewals/C-1', { probability: 1 }, t1.tokens.adm, {
      'if-match': `"${version}"`,
    });
    expect(engineField.statusCode).toBe(403);
    const unknown = await patch('/renewals/C-1', { colour: 'blue' }, t1.tokens.adm, {
      'if-match': `"${version}"`,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'unknown_field', fields: ['colour'] });
    expect(await snapshot()).toEqual(before);
  });

  it('lets a manager of the owners book ARR and reassign; validates the new owner', async () => {
    let version = await versionOf('C-1');
    const unknownUser = await patch('/renewals/C-1', { ownerUserId: `${OTHER}U-csm` }, t1.tokens.mgr, {
      'if-match': `"${version}"`,
    });
    expect(unknownUser.statusCode).toBe(422);
    expect(unknownUser.json().code).toBe('unknown_user');
    const badMoney = await patch('/renewals/C-1', { renewedArr: '1.001' }, t1.tokens.mgr, {
      'if-match': `"${version}"`,
    });
    expect(badMoney.statusCode).toBe(422);
    const ok = await patch(
      '/renewals/C-1',
      { renewedArr: '130000.50', ownerUserId: 'U-spec' },
      t1.tokens.mgr,
      {
        'if-match': `"${version}"`,
      },
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      renewedArr: { amount: '130000.50', currency: 'USD' },
      changed: ['renewedArrMinor'],
    });
    version = ok.json().version;
    expect(ok.headers.etag).toBe(`"${version}"`);
  });

  it('audits each change with old and new values, and queues webhook events in the same transaction', async () => {
    const [hook] = await test.store.query<{ id: number }>(
      `INSERT INTO webhooks (tenant_id, url, secret, events) VALUES ('t1', 'https://hooks.example/crm', 'sekrit',
         '{renewal.stage_changed,renewal.closed}') RETURNING id`,
    );
    await test.store.execute(
      `INSERT INTO webhooks (tenant_id, url, secret, events, active) VALUES ('t1', 'https://hooks.example/off', 's', '{renewal.stage_changed}', false)`,
    );
    const version = await versionOf('C-1');
    const staged = await patch(
      '/renewals/C-1',
      { stage: 'negotiation', csmCategory: 'commit' },
      t1.tokens.csm,
      {
        'if-match': `"${version}"`,
      },
    );
    expect(staged.statusCode).toBe(200);
    expect(staged.json().forecast).toMatchObject({
      csmCategory: 'commit',
      csmCategoryBy: 'U-csm',
      category: 'commit',
    });
    const closed = await patch(
      '/renewals/C-1',
      { outcome: 'won', closedOn: '2027-02-01', reasons: ['value_realized'], version: staged.json().version },
      t1.tokens.csm,
    );
    expect(closed.statusCode).toBe(200);

    const audit = (await get('/renewals/C-1/audit')).json().items;
    expect(audit[1]).toMatchObject({
      actor: 'U-csm',
      action: 'update',
      changes: { stage: { old: 'prep', new: 'negotiation' }, csmCategory: { old: null, new: 'commit' } },
    });
    expect(audit[0].changes.outcome).toEqual({ old: 'pending', new: 'won' });
    expect(Date.parse(audit[0].at)).not.toBeNaN();
    expect(audit[0].at.endsWith('Z')).toBe(true);

    const outbox = await test.store.query<{
      kind: string;
      recipient: string;
      template: string;
      idempotency_key: string;
      payload: { webhookId: number; event: string; data: Record<string, unknown> };
    }>(
      `SELECT kind, recipient, template, idempotency_key, payload FROM outbox WHERE tenant_id = 't1' ORDER BY id`,
    );
    expect(outbox.map((row) => row.template)).toEqual(['renewal.stage_changed', 'renewal.closed']);
    expect(outbox[0]).toMatchObject({ kind: 'webhook', recipient: 'https://hooks.example/crm' });
    expect(outbox[0]!.payload).toMatchObject({
      webhookId: Number(hook!.id),
      event: 'renewal.stage_changed',
      data: { contractId: 'C-1', from: 'prep', to: 'negotiation' },
    });
    expect(outbox[1]!.payload.data).toMatchObject({ outcome: 'won', closedOn: '2027-02-01' });
    expect(new Set(outbox.map((row) => row.idempotency_key)).size).toBe(2);
  });

  it('keeps notes as attributed, append-only audit entries', async () => {
    const added = await post(
      '/renewals/C-1/notes',
      { text: 'Champion asked for a 2-year option' },
      t1.tokens.sales,
    );
    expect(added.statusCode).toBe(201);
    const notes = (await get('/renewals/C-1/notes')).json().items;
    expect(notes[0]).toMatchObject({ author: 'U-sales', text: 'Champion asked for a 2-year option' });
    const denied = await post('/renewals/C-1/notes', { text: 'not mine' }, t1.tokens.csm2);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('not_owner');
  });

  it('filters, sorts and pages renewals with a capped page size', async () => {
    const red = (await get('/renewals?band=red'))
      .json()
      .items.map((r: { contractId: string }) => r.contractId);
    expect(red).toEqual(['C-2']);
    expect((await get('/renewals?riskFlag=champion_left')).json().items).toHaveLength(1);
    expect((await get('/renewals?atRisk=true')).json().items[0].contractId).toBe('C-2');
    expect((await get('/renewals?segment=enterprise')).json().items[0].contractId).toBe('C-1');
    expect(
      (await get('/renewals?owner=me', t1.tokens.csm2))
        .json()
        .items.map((r: { contractId: string }) => r.contractId),
    ).toEqual(['C-2']);
    expect((await get('/renewals?dueFrom=2027-03-01&dueTo=2027-06-30')).json().items).toHaveLength(1);
    expect((await get('/renewals?stage=value_review')).json().items).toHaveLength(1);
    const byArr = (await get('/renewals?sort=-arr'))
      .json()
      .items.map((r: { contractId: string }) => r.contractId);
    expect(byArr).toEqual(['C-1', 'C-2']);

    const first = (await get('/renewals?limit=1')).json();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(`/renewals?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].contractId).not.toBe(first.items[0].contractId);
    expect(second.nextCursor).toBeNull();

    const tooMany = await get('/renewals?limit=201');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({
      code: 'invalid_request',
      errors: [expect.objectContaining({ in: 'querystring' })],
    });
    const badCursor = await get('/renewals?cursor=bm9wZQ');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().code).toBe('invalid_cursor');
    expect((await get('/renewals?dueFrom=2027-02-30')).statusCode).toBe(400);
  });

  it('completes, snoozes and reassigns tasks under optimistic locking, with an audit trail', async () => {
    const taskUrl = `/tasks/${t1.taskId}`;
    const current = await get(taskUrl);
    const version = current.json().version as number;
    expect(current.headers.etag).toBe(`"${version}"`);
    const snoozed = await post(`${taskUrl}/snooze`, { until: '2026-12-01' }, t1.tokens.csm, {
      'if-match': `"${version}"`,
    });
    expect(snoozed.statusCode).toBe(200);
    expect(snoozed.json()).toMatchObject({ dueDate: '2026-12-01', version: version + 1 });
    const stale = await post(`${taskUrl}/complete`, { version }, t1.tokens.csm);
    expect(stale.statusCode).toBe(409);
    const backwards = await post(
      `${taskUrl}/snooze`,
      { until: '2026-11-02', version: version + 1 },
      t1.tokens.csm,
    );
    expect(backwards.statusCode).toBe(422);
    const reassignAsCsm = await post(
      `${taskUrl}/reassign`,
      { ownerUserId: 'U-csm2', version: version + 1 },
      t1.tokens.csm,
    );
    expect(reassignAsCsm.statusCode).toBe(403);
    const reassigned = await post(
      `${taskUrl}/reassign`,
      { ownerUserId: 'U-sales', version: version + 1 },
      t1.tokens.mgr,
    );
    expect(reassigned.json()).toMatchObject({ ownerUserId: 'U-sales' });
    const done = await post(`${taskUrl}/complete`, { version: reassigned.json().version }, t1.tokens.sales);
    expect(done.json()).toMatchObject({ status: 'done', completedOn: expect.any(String) });
    const mine = (await get('/tasks?owner=me&status=done', t1.tokens.sales)).json().items;
    expect(mine.map((t: { id: number }) => t.id)).toEqual([t1.taskId]);
    // Each task names its account, so "what is due for me" reads without a lookup per renewal.
    expect(mine[0]).toMatchObject({ contractId: 'C-1', accountId: 'A-1', accountName: 'Acme' });
    const audit = (await get(`/audit?entity=task&entityId=${t1.taskId}`, t1.tokens.adm)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['complete', 'reassign', 'snooze']);
    expect(audit[2].changes).toEqual({ dueDate: { old: '2026-11-01', new: '2026-12-01' } });
  });

  it('serves accounts with health history and drivers, and contracts', async () => {
    const account = (await get('/accounts/A-1')).json();
    expect(account).toMatchObject({
      name: 'Acme',
      health: { score: 55, band: 'yellow', asOf: '2026-11-23' },
    });
    expect(account.healthDrivers[0].factor).toBe('usage_trend');
    const history = (await get('/accounts/A-1/health?limit=1')).json();
    expect(history.items[0].asOf).toBe('2026-11-23');
    const older = (await get(`/accounts/A-1/health?limit=1&cursor=${history.nextCursor}`)).json();
    expect(older.items[0]).toMatchObject({ asOf: '2026-11-22', score: 58 });
    expect((await get('/contracts/C-2')).json().arr).toEqual({ amount: '45000.50', currency: 'EUR' });
    expect((await get('/accounts?owner=me', t1.tokens.csm)).json().items).toHaveLength(1);
  });

  it('answers problem documents without internals', async () => {
    const missing = await get('/renewals/C-404');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.json()).toEqual({
      type: 'urn:perennial:problem:not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
      detail: 'no renewal C-404',
      instance: '/api/v1/renewals/C-404',
    });
    const noRoute = await get('/nope');
    expect(noRoute.statusCode).toBe(404);
    expect(noRoute.json().code).toBe('not_found');
    const badJson = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/renewals/C-1/notes`,
      token: t1.tokens.csm,
      headers: { 'content-type': 'application/json' },
      payload: '{"text":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.body).not.toMatch(/at .*\.ts:\d+/);
  });
});
