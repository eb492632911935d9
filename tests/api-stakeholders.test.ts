/**
 * Stakeholder edits over the API: add a contact, change one under If-Match (a stale version is 409
 * and changes nothing), every change in the audit trail, invalid values refused with the field named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../src/api/types.ts';
import { buildTestApp, call, type SeededTenant, seedTenant } from './api-fixture.ts';
import { dumpTenant, openTestStore, type TestStore } from './support/test-store.ts';

describe('stakeholder edits', () => {
  let test: TestStore;
  let app: ApiApp;
  let t: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    t = await seedTenant(test.store, 'st1', '');
    app = await buildTestApp(test.store);
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  it('adds a contact, records a departure under If-Match, and refuses a stale version with 409', async () => {
    const created = await call(app, {
      method: 'POST',
      url: '/api/v1/accounts/A-1/stakeholders',
      token: t.tokens.csm,
      payload: {
        stakeholderId: 'S-CFO',
        name: 'Carl Finance',
        role: 'economic_buyer',
        email: 'carl@acme.example',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      stakeholderId: 'S-CFO',
      accountId: 'A-1',
      version: 1,
      stance: null,
    });

    const departed = await call(app, {
      method: 'PATCH',
      url: '/api/v1/stakeholders/S-1',
      token: t.tokens.csm,
      headers: { 'if-match': '"1"' },
      payload: { leftOn: '2026-11-20', stance: 'neutral' },
    });
    expect(departed.statusCode, departed.body).toBe(200);
    expect(departed.json()).toMatchObject({ leftOn: '2026-11-20', stance: 'neutral', version: 2 });
    expect(departed.headers.etag).toBe('"2"');
    expect(departed.json().changed.sort()).toEqual(['leftOn', 'stance']);

    // API token `last_used_at` is bookkeeping, not data: compare every business row.
    const businessRows = async () => {
      const { api_tokens: _tokens, ...rest } = await dumpTenant(test.store, 'st1');
      return JSON.stringify(rest);
    };
    const before = await businessRows();
    const stale = await call(app, {
      method: 'PATCH',
      url: '/api/v1/stakeholders/S-1',
      token: t.tokens.mgr,
      headers: { 'if-match': '"1"' },
      payload: { strength: 'weak' },
    });
    expect(stale.statusCode).toBe(409);
    expect(await businessRows()).toBe(before);

    const audit = await test.store.query<{ actor: string; changes: Record<string, unknown> }>(
      `SELECT actor, changes FROM audit_log WHERE tenant_id = 'st1' AND entity = 'stakeholder' AND entity_id = 'S-1'`,
    );
    expect(audit).toEqual([
      {
        actor: t.userId('csm'),
        changes: { leftOn: { old: null, new: '2026-11-20' }, stance: { old: 'supporter', new: 'neutral' } },
      },
    ]);

    const detail = await call(app, { method: 'GET', url: '/api/v1/accounts/A-1', token: t.tokens.view });
    expect(detail.json().stakeholders.map((s: { stakeholderId: string }) => s.stakeholderId)).toEqual([
      'S-1',
      'S-CFO',
    ]);
  });

  it('refuses unknown fields and invalid values, naming the field, and duplicates of an id', async () => {
    const unknown = await call(app, {
      method: 'PATCH',
      url: '/api/v1/stakeholders/S-1',
      token: t.tokens.adm,
      payload: { version: 2, accountId: 'A-2' },
    });
    expect(unknown.statusCode).toBe(400);
    const badDate = await call(app, {
      method: 'PATCH',
      url: '/api/v1/stakeholders/S-1',
      token: t.tokens.adm,
      payload: { version: 2, lastContactOn: '2026-02-30' },
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('lastContactOn');
    const duplicate = await call(app, {
      method: 'POST',
      url: '/api/v1/accounts/A-1/stakeholders',
      token: t.tokens.adm,
      payload: { stakeholderId: 'S-1', name: 'Again', role: 'user' },
    });
    expect(duplicate.statusCode).toBe(422);
  });
});
