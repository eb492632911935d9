/** The playbook library over HTTP: built-ins merged with a workspace's edits, If-Match, roles, tenants, audit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import { DEFAULT_PLAYBOOK } from '../src/domain/playbook/default-playbook.ts';
import { CUSTOMER_TEMPLATE_KEYS } from '../src/mail/customer-templates.ts';
import { buildTestApp, call, OTHER, type SeededTenant, seedTenant } from './api-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

type Entry = {
  id: string;
  kind: string;
  milestone: string | null;
  language: string;
  title: string;
  body: string;
  version: number;
  edited: boolean;
  updatedBy: string | null;
};

const NOW = new Date('2026-05-04T09:30:00.000Z');

describe('playbook API', () => {
  let test: TestStore;
  let app: ApiApp;
  let t1: SeededTenant;
  let t2: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    t1 = await seedTenant(test.store, 't1', '');
    t2 = await seedTenant(test.store, 't2', OTHER);
    app = await buildTestApp(test.store, { now: () => NOW });
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  const list = async (query: string, token = t1.tokens.csm) => {
    const response = await call(app, { method: 'GET', url: `${API_PREFIX}/playbook${query}`, token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items as Entry[];
  };
  const put = (entryId: string, payload: object, token: string, ifMatch?: string) =>
    call(app, {
      method: 'PUT',
      url: `${API_PREFIX}/playbook/${entryId}`,
      token,
      payload,
      ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
    });
  const reset = (entryId: string, token: string, ifMatch?: string) =>
    call(app, {
      method: 'DELETE',
      url: `${API_PREFIX}/playbook/${entryId}`,
      token,
      ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
    });
  const edit = {
    title: 'Value review, our way',
    body: '1. Outcomes\n2. Roadmap\n3. Terms',
    milestone: 'T-60',
  };

  it('serves the built-in library, filtered by milestone and kind, unedited at version 0', async () => {
    const all = await list('');
    expect(all.map((entry) => entry.id).sort()).toEqual(DEFAULT_PLAYBOOK.map((entry) => entry.id).sort());
    expect(all.every((entry) => entry.version === 0 && !entry.edited)).toBe(true);

    const t30Objections = await list('?milestone=T-30&kind=objection&language=en');
    expect(t30Objections.map((entry) => entry.title)).toEqual([
      'Objection: "The price is too high"',
      'Objection: "We need more time"',
      'Objection: a concern about a feature',
      'Objection: "We are evaluating alternatives"',
    ]);
    const bad = await call(app, {
      method: 'GET',
      url: `${API_PREFIX}/playbook?milestone=T-61`,
      token: t1.tokens.csm,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('names only automated emails that exist', () => {
    for (const entry of DEFAULT_PLAYBOOK) {
      if (entry.automatedEmail) expect(CUSTOMER_TEMPLATE_KEYS).toContain(entry.automatedEmail);
    }
  });

  it('lets a manager edit an entry; everyone in the workspace then reads the edit, audited', async () => {
    const saved = await put('value-review-agenda', edit, t1.tokens.mgr, '"0"');
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.headers.etag).toBe('"1"');
    expect(saved.json()).toMatchObject({
      ...edit,
      version: 1,
      edited: true,
      updatedBy: 'U-mgr',
      kind: 'agenda',
    });

    const seen = (await list('?milestone=T-60', t1.tokens.view)).find((e) => e.id === 'value-review-agenda');
    expect(seen).toMatchObject({ title: edit.title, body: edit.body, version: 1, edited: true });

    const audit = await test.store.query<{ actor: string; action: string; changes: Record<string, unknown> }>(
      `SELECT actor, action, changes FROM audit_log WHERE tenant_id = 't1' AND entity = 'playbook_entry' AND entity_id = 'value-review-agenda'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'U-mgr', action: 'update' });
    expect(audit[0]!.changes).toHaveProperty('title.new', edit.title);
    expect(audit[0]!.changes).not.toHaveProperty('milestone');
  });

  it('answers 409 to an edit based on a stale version, and 428 without one; nothing changes', async () => {
    const current = (await list('?milestone=T-60')).find((e) => e.id === 'value-review-agenda')!;
    const stale = await put('value-review-agenda', { ...edit, title: 'Stale' }, t1.tokens.adm, '"0"');
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', currentVersion: current.version });
    const missing = await put('value-review-agenda', { ...edit, title: 'No version' }, t1.tokens.adm);
    expect(missing.statusCode).toBe(428);
    const after = (await list('?milestone=T-60')).find((e) => e.id === 'value-review-agenda')!;
    expect(after).toEqual(current);

    const next = await put(
      'value-review-agenda',
      { ...edit, version: current.version, milestone: 'T-45' },
      t1.tokens.adm,
    );
    expect(next.statusCode).toBe(200);
    expect(next.json()).toMatchObject({ version: current.version + 1, milestone: 'T-45' });
    expect((await list('?milestone=T-60')).some((e) => e.id === 'value-review-agenda')).toBe(false);
  });

  it('refuses edits by CSMs and viewers (403), unknown entries (404) and bad bodies (400)', async () => {
    for (const token of [t1.tokens.csm, t1.tokens.view, t1.tokens.exec]) {
      const response = await put('objection-price', { ...edit, milestone: 'T-30' }, token, '"0"');
      expect(response.statusCode).toBe(403);
      expect((await reset('objection-price', token)).statusCode).toBe(403);
    }
    expect((await put('no-such-entry', edit, t1.tokens.mgr, '"0"')).statusCode).toBe(404);
    const empty = await put('objection-price', { ...edit, title: '  ' }, t1.tokens.mgr, '"0"');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toMatch(/title/);
    expect(
      (await put('objection-price', { ...edit, milestone: 'T-99' }, t1.tokens.mgr, '"0"')).statusCode,
    ).toBe(400);
    expect((await list('?kind=objection')).every((entry) => !entry.edited)).toBe(true);
  });

  it('keeps one workspace’s edit out of another workspace', async () => {
    const theirs = await list('?milestone=T-60', t2.tokens.mgr);
    const agenda = theirs.find((e) => e.id === 'value-review-agenda')!;
    expect(agenda).toMatchObject({ version: 0, edited: false });
    expect(agenda.title).toBe(DEFAULT_PLAYBOOK.find((e) => e.id === 'value-review-agenda')!.title);
    expect(JSON.stringify(theirs)).not.toContain(edit.title);
    // Their own edit of the same id starts from version 0 and does not touch ours.
    expect(
      (await put('value-review-agenda', { ...edit, title: 'Theirs' }, t2.tokens.mgr, '"0"')).statusCode,
    ).toBe(200);
    const ours = (await list('')).find((e) => e.id === 'value-review-agenda')!;
    expect(ours.title).toBe(edit.title);
  });

  it('resets an entry to the built-in text (guarded by If-Match when sent)', async () => {
    const before = (await list('')).find((e) => e.id === 'value-review-agenda')!;
    expect(before.edited).toBe(true);
    expect((await reset('value-review-agenda', t1.tokens.mgr, '"1"')).statusCode).toBe(409);
    const response = await reset('value-review-agenda', t1.tokens.mgr, `"${before.version}"`);
    expect(response.statusCode).toBe(200);
    const builtIn = DEFAULT_PLAYBOOK.find((e) => e.id === 'value-review-agenda')!;
    expect(response.json()).toMatchObject({
      title: builtIn.title,
      milestone: 'T-60',
      version: 0,
      edited: false,
    });
    const after = (await list('?milestone=T-60')).find((e) => e.id === 'value-review-agenda')!;
    expect(after).toMatchObject({ body: builtIn.body, edited: false });
    const [row] = await test.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = 't1' AND entity = 'playbook_entry' AND action = 'reset'`,
    );
    expect(row!.n).toBe(1);
    // Resetting an unedited entry changes nothing and writes no audit row.
    expect((await reset('value-review-agenda', t1.tokens.mgr)).statusCode).toBe(200);
    const [again] = await test.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = 't1' AND entity = 'playbook_entry' AND action = 'reset'`,
    );
    expect(again!.n).toBe(1);
  });
});
