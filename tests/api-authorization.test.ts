/**
 * The authorization matrix: every route × role × {own tenant, other tenant} × {owner, not owner}.
 * Expectations are written here, independently of the routes' own rules: anonymous → 401; another
 * tenant's record → 404 whatever the role; a role the route does not admit → 403; an editor-only
 * route for someone not on the record → 403; otherwise success. A route missing from this table (or
 * without an access rule) fails the suite. Lists must never carry another tenant's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import { mayEdit, ROLES, type Role } from '../src/auth/roles.ts';
import { approveProposal } from '../src/engine/commercial/approve-proposal.ts';
import { createProposal } from '../src/engine/commercial/create-proposal.ts';
import type { ProposalRecord } from '../src/engine/commercial/proposal-records.ts';
import { requestProposalApproval } from '../src/engine/commercial/request-proposal-approval.ts';
import { loadPolicy } from '../src/engine/policy-store.ts';
import {
  buildTestApp,
  call,
  FIXTURE_NOW,
  OTHER,
  OWNER_VARIANTS,
  type Person,
  type SeededTenant,
  seedTenant,
} from './api-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const ALL: readonly Role[] = ROLES;
const EDITORS: readonly Role[] = ['admin', 'manager', 'csm', 'sales', 'specialist'];
const MANAGING: readonly Role[] = ['admin', 'manager'];
const ADMIN: readonly Role[] = ['admin'];

type Ctx = { store: TestStore['store']; own: SeededTenant; other: SeededTenant; actor: Person; seq: number };
type Built = { url: string; payload?: unknown; headers?: Record<string, string> };
type Spec = {
  roles: readonly Role[];
  /** The route is about one record: the other-tenant variant uses the other tenant's record. */
  record?: boolean;
  editorsOnly?: boolean;
  build: (ctx: Ctx, tenant: SeededTenant, variant: 'owner' | 'notOwner') => Promise<Built> | Built;
  /** Overrides the default expectation (own tenant). */
  expectOwn?: (role: Role, variant: 'owner' | 'notOwner') => 'ok' | 403;
};

const c1 = (t: SeededTenant) => `${t.prefix}C-1`;
const version = async (ctx: Ctx, t: SeededTenant) =>
  (
    await ctx.store.query<{ version: number }>(
      'SELECT version FROM renewals WHERE tenant_id = $1 AND contract_id = $2',
      [t.tenantId, c1(t)],
    )
  )[0]?.version ?? 1;
const task = async (ctx: Ctx, t: SeededTenant) =>
  (
    await ctx.store.query<{ version: number; due_date: string }>(
      'SELECT version, due_date FROM tasks WHERE tenant_id = $1 AND id = $2',
      [t.tenantId, t.taskId],
    )
  )[0] ?? { version: 1, due_date: '2026-11-01' };
const dayAfter = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const newWebhook = async (ctx: Ctx, t: SeededTenant) =>
  Number(
    (
      await ctx.store.query<{ id: number }>(
        `INSERT INTO webhooks (tenant_id, url, secret, events) VALUES ($1, 'https://hooks.example/x', 's', '{renewal.closed}') RETURNING id`,
        [t.tenantId],
      )
    )[0]!.id,
  );
const newImportRun = async (ctx: Ctx, t: SeededTenant) =>
  Number(
    (
      await ctx.store.query<{ id: number }>(
        `INSERT INTO import_runs (tenant_id, started_at, status, files, summary, problems)
         VALUES ($1, now(), 'failed', '["accounts.csv"]', '{}', '{"count": 0, "items": []}') RETURNING id`,
        [t.tenantId],
      )
    )[0]!.id,
  );
const newToken = async (ctx: Ctx, t: SeededTenant, userId: string) =>
  Number(
    (
      await ctx.store.query<{ id: number }>(
        `INSERT INTO api_tokens (tenant_id, user_id, name, token_hash, scopes) VALUES ($1, $2, 'm', md5(random()::text), '{read}') RETURNING id`,
        [t.tenantId, userId],
      )
    )[0]!.id,
  );

/**
 * A fresh proposal on C-1 for the web workspace's proposal routes: written by the CSM, taken as far
 * as `stage` (draft, submitted, approved by the manager) through the engine, never the API.
 */
const APPROVERS: readonly Role[] = ['manager', 'finance', 'executive'];
const freshProposal = async (
  ctx: Ctx,
  t: SeededTenant,
  stage: 'none' | 'draft' | 'submitted' | 'approved',
): Promise<ProposalRecord | null> => {
  await ctx.store.execute('DELETE FROM proposals WHERE tenant_id = $1 AND contract_id = $2', [
    t.tenantId,
    c1(t),
  ]);
  if (stage === 'none') return null;
  const at = FIXTURE_NOW.toISOString();
  const base = { store: ctx.store, tenantId: t.tenantId, at };
  let record = await createProposal({
    ...base,
    contractId: c1(t),
    optionKey: 'good',
    actorId: t.userId('csm'),
    asOf: at.slice(0, 10),
  });
  if (stage === 'draft') return record;
  record = await requestProposalApproval({ ...base, proposalId: record.id, actorId: t.userId('csm') });
  if (stage === 'submitted') return record;
  return approveProposal({ ...base, proposalId: record.id, actorId: t.userId('mgr') });
};
const proposalAction =
  (action: string, stage: 'draft' | 'submitted' | 'approved', extra: object = {}) =>
  async (ctx: Ctx, t: SeededTenant): Promise<Built> => {
    const record = await freshProposal(ctx, t, stage);
    return {
      url: `/renewals/${c1(t)}/proposal/${action}`,
      payload: { sequence: record?.sequence ?? 0, ...extra },
    };
  };
/** Managers decide their own team's proposals; finance cannot decide the manager's step; executives can. */
const approverExpectation = (role: Role, variant: 'owner' | 'notOwner'): 'ok' | 403 =>
  role === 'finance' || (role === 'manager' && variant === 'notOwner') ? 403 : 'ok';

const ROUTES: Record<string, Spec> = {
  'POST /auth/logout': { roles: ALL, build: () => ({ url: '/auth/logout' }) },
  'GET /auth/me': { roles: ALL, build: () => ({ url: '/auth/me' }) },
  'GET /auth/tokens': { roles: ALL, build: () => ({ url: '/auth/tokens' }) },
  'POST /auth/tokens': {
    roles: ALL,
    build: () => ({ url: '/auth/tokens', payload: { name: 'ci', scopes: ['read'] } }),
  },
  'DELETE /auth/tokens/:tokenId': {
    roles: ALL,
    record: true,
    build: async (ctx, t, variant) => {
      const ownerId =
        variant === 'owner'
          ? t.userId(ctx.actor)
          : t.userId('view') === t.userId(ctx.actor)
            ? t.userId('fin')
            : t.userId('view');
      return { url: `/auth/tokens/${await newToken(ctx, t, ownerId)}` };
    },
    expectOwn: (role, variant) => (variant === 'owner' || role === 'admin' ? 'ok' : 403),
  },
  'GET /accounts': { roles: ALL, build: () => ({ url: '/accounts' }) },
  'GET /accounts/:accountId': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/accounts/${t.prefix}A-1` }),
  },
  'POST /accounts/:accountId/stakeholders': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: (ctx, t) => ({
      url: `/accounts/${t.prefix}A-1/stakeholders`,
      payload: { stakeholderId: `${t.prefix}S-new-${ctx.seq}`, name: 'New Contact', role: 'user' },
    }),
  },
  'PATCH /stakeholders/:stakeholderId': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: async (ctx, t) => {
      const [row] = await ctx.store.query<{ stakeholder_id: string; version: number }>(
        `SELECT stakeholder_id, version FROM stakeholders WHERE tenant_id = $1 AND account_id = $2
          ORDER BY stakeholder_id LIMIT 1`,
        [t.tenantId, `${t.prefix}A-1`],
      );
      return {
        url: `/stakeholders/${row!.stakeholder_id}`,
        payload: { lastContactOn: dayAfter(`2026-01-${String((ctx.seq % 28) + 1).padStart(2, '0')}`) },
        headers: { 'if-match': `"${row!.version}"` },
      };
    },
  },
  'GET /accounts/:accountId/health': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/accounts/${t.prefix}A-1/health` }),
  },
  'GET /contracts': { roles: ALL, build: () => ({ url: '/contracts' }) },
  'GET /contracts/:contractId': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/contracts/${c1(t)}` }),
  },
  'GET /renewals': { roles: ALL, build: () => ({ url: '/renewals?limit=200' }) },
  'GET /renewals/:contractId': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/renewals/${c1(t)}` }),
  },
  'PATCH /renewals/:contractId': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: async (ctx, t) => ({
      url: `/renewals/${c1(t)}`,
      payload: { csmNote: `note ${ctx.seq}` },
      headers: { 'if-match': `"${await version(ctx, t)}"` },
    }),
  },
  'GET /renewals/:contractId/notes': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/renewals/${c1(t)}/notes` }),
  },
  'POST /renewals/:contractId/notes': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: (ctx, t) => ({ url: `/renewals/${c1(t)}/notes`, payload: { text: `note ${ctx.seq}` } }),
  },
  'GET /renewals/:contractId/audit': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/renewals/${c1(t)}/audit` }),
  },
  'GET /tasks': { roles: ALL, build: () => ({ url: '/tasks' }) },
  'GET /tasks/:taskId': { roles: ALL, record: true, build: (_c, t) => ({ url: `/tasks/${t.taskId}` }) },
  'POST /tasks/:taskId/complete': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: async (ctx, t) => ({
      url: `/tasks/${t.taskId}/complete`,
      payload: { version: (await task(ctx, t)).version },
    }),
  },
  'POST /tasks/:taskId/reopen': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: async (ctx, t) => ({
      url: `/tasks/${t.taskId}/reopen`,
      payload: { version: (await task(ctx, t)).version },
    }),
  },
  'POST /tasks/:taskId/snooze': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: async (ctx, t) => {
      const current = await task(ctx, t);
      return {
        url: `/tasks/${t.taskId}/snooze`,
        payload: { version: current.version, until: dayAfter(current.due_date) },
      };
    },
  },
  'POST /tasks/:taskId/reassign': {
    roles: MANAGING,
    record: true,
    editorsOnly: true,
    build: async (ctx, t) => ({
      url: `/tasks/${t.taskId}/reassign`,
      payload: { version: (await task(ctx, t)).version, ownerUserId: t.userId('csm') },
    }),
  },
  'GET /policy': { roles: ALL, build: () => ({ url: '/policy' }) },
  'PUT /policy': {
    roles: ADMIN,
    build: async (ctx, t) => ({ url: '/policy', payload: (await loadPolicy(ctx.store, t.tenantId)).policy }),
  },
  'POST /policy/preview': {
    roles: MANAGING,
    build: async (ctx, t) => ({
      url: '/policy/preview',
      payload: (await loadPolicy(ctx.store, t.tenantId)).policy,
    }),
  },
  'POST /imports': {
    roles: ADMIN,
    build: (_c, t) => ({
      url: '/imports',
      payload: {
        files: {
          'accounts.csv': `account_id,name,currency,owner_csm,owner_sales\n${t.prefix}A-1,${t.prefix}Acme,USD,${t.userId('csm')},${t.userId('sales')}\n`,
        },
      },
    }),
  },
  'GET /imports': { roles: MANAGING, build: () => ({ url: '/imports' }) },
  'POST /imports/uploads': {
    roles: ADMIN,
    build: async (_c, t) => {
      const form = new FormData();
      const csv = `account_id,name,currency,owner_csm,owner_sales\n${t.prefix}A-1,${t.prefix}Acme,USD,${t.userId('csm')},${t.userId('sales')}\n`;
      form.append('files', new Blob([csv], { type: 'text/csv' }), 'accounts.csv');
      const encoded = new Response(form);
      return {
        url: '/imports/uploads',
        payload: Buffer.from(await encoded.arrayBuffer()),
        headers: { 'content-type': encoded.headers.get('content-type')! },
      };
    },
  },
  'GET /imports/:importId': {
    roles: MANAGING,
    record: true,
    build: async (ctx, t) => ({ url: `/imports/${await newImportRun(ctx, t)}` }),
  },
  'GET /imports/:importId/problems.csv': {
    roles: MANAGING,
    record: true,
    build: async (ctx, t) => ({ url: `/imports/${await newImportRun(ctx, t)}/problems.csv` }),
  },
  'GET /users': { roles: ALL, build: () => ({ url: '/users?limit=200&includeDisabled=true' }) },
  'GET /users/:userId': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/users/${t.userId('csm')}` }),
  },
  'POST /users': {
    roles: ADMIN,
    build: (ctx) => ({
      url: '/users',
      payload: { email: `new${ctx.seq}@example.com`, name: 'New', role: 'viewer' },
    }),
  },
  'PATCH /users/:userId': {
    roles: ADMIN,
    record: true,
    build: (_c, t) => ({ url: `/users/${t.userId('view')}`, payload: { locale: 'en' } }),
  },
  'GET /webhooks': { roles: ADMIN, build: () => ({ url: '/webhooks' }) },
  'POST /webhooks': {
    roles: ADMIN,
    build: () => ({
      url: '/webhooks',
      payload: { url: 'https://hooks.example/in', events: ['renewal.closed'] },
    }),
  },
  'GET /webhooks/:webhookId': {
    roles: ADMIN,
    record: true,
    build: async (ctx, t) => ({ url: `/webhooks/${await newWebhook(ctx, t)}` }),
  },
  'PATCH /webhooks/:webhookId': {
    roles: ADMIN,
    record: true,
    build: async (ctx, t) => ({ url: `/webhooks/${await newWebhook(ctx, t)}`, payload: { active: false } }),
  },
  'DELETE /webhooks/:webhookId': {
    roles: ADMIN,
    record: true,
    build: async (ctx, t) => ({ url: `/webhooks/${await newWebhook(ctx, t)}` }),
  },
  'GET /audit': { roles: MANAGING, build: () => ({ url: '/audit?limit=200' }) },
  // The web workspace's read models.
  'GET /workspace': { roles: ALL, build: () => ({ url: '/workspace' }) },
  'GET /renewals/:contractId/insight': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/renewals/${c1(t)}/insight` }),
  },
  'GET /early-renewals': { roles: ALL, build: () => ({ url: '/early-renewals' }) },
  'GET /team/attention': {
    roles: ['admin', 'manager', 'executive', 'finance', 'viewer'],
    build: () => ({ url: '/team/attention' }),
  },
  'GET /forecast': { roles: ALL, build: () => ({ url: '/forecast' }) },
  'GET /metrics': { roles: ALL, build: () => ({ url: '/metrics' }) },
  // Proposals.
  'GET /renewals/:contractId/quote': {
    roles: ALL,
    record: true,
    build: (_c, t) => ({ url: `/renewals/${c1(t)}/quote?seatsChange=2` }),
  },
  'GET /renewals/:contractId/proposal': {
    roles: ALL,
    record: true,
    build: async (ctx, t) => {
      await freshProposal(ctx, t, 'draft');
      return { url: `/renewals/${c1(t)}/proposal` };
    },
  },
  'GET /renewals/:contractId/proposal/document': {
    roles: ALL,
    record: true,
    build: async (ctx, t) => {
      await freshProposal(ctx, t, 'draft');
      return { url: `/renewals/${c1(t)}/proposal/document?format=html` };
    },
  },
  'PUT /renewals/:contractId/proposal': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: async (ctx, t) => {
      await freshProposal(ctx, t, 'none');
      return { url: `/renewals/${c1(t)}/proposal`, payload: { optionKey: 'good' } };
    },
  },
  'POST /renewals/:contractId/proposal/submit': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: proposalAction('submit', 'draft'),
  },
  'POST /renewals/:contractId/proposal/approve': {
    roles: APPROVERS,
    record: true,
    build: proposalAction('approve', 'submitted'),
    expectOwn: approverExpectation,
  },
  'POST /renewals/:contractId/proposal/reject': {
    roles: APPROVERS,
    record: true,
    build: proposalAction('reject', 'submitted', { comment: 'price too low' }),
    expectOwn: approverExpectation,
  },
  'POST /renewals/:contractId/proposal/send': {
    roles: EDITORS,
    record: true,
    editorsOnly: true,
    build: proposalAction('send', 'approved'),
  },
  'GET /approvals': { roles: ALL, build: () => ({ url: '/approvals' }) },
  'POST /me/calendar-feed': { roles: ALL, build: () => ({ url: '/me/calendar-feed' }) },
  // The playbook library: everyone reads; managers and admins edit (If-Match) and reset.
  'GET /playbook': { roles: ALL, build: () => ({ url: '/playbook?milestone=T-60' }) },
  'PUT /playbook/:entryId': {
    roles: MANAGING,
    build: async (ctx, t) => {
      const [row] = await ctx.store.query<{ version: number }>(
        `SELECT version FROM playbook_entries WHERE tenant_id = $1 AND entry_id = 'value-review-agenda'`,
        [t.tenantId],
      );
      return {
        url: '/playbook/value-review-agenda',
        payload: { title: `Value review ${ctx.seq}`, body: 'Our agenda', milestone: 'T-60' },
        headers: { 'if-match': `"${row?.version ?? 0}"` },
      };
    },
  },
  'DELETE /playbook/:entryId': { roles: MANAGING, build: () => ({ url: '/playbook/kickoff-agenda' }) },
};

/** Public routes, each on purpose. */
const PUBLIC = new Set([
  'POST /auth/login',
  'GET /unsubscribe',
  'POST /unsubscribe',
  'GET /calendar/:file',
  // e-signature providers: the HMAC of the raw body is the credential (tests/commercial-signatures.test.ts)
  'POST /signatures/webhook/:provider',
  // one-click renewal acceptance: the signed, expiring link is the credential (tests/commercial-signatures.test.ts)
  'GET /accept/:token',
  'POST /accept/:token',
]);

describe('authorization', () => {
  let test: TestStore;
  let app: ApiApp;
  let own: SeededTenant;
  let other: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    own = await seedTenant(test.store, 't1', '');
    other = await seedTenant(test.store, 't2', OTHER);
    app = await buildTestApp(test.store);
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  const apiRoutes = () =>
    app.apiRoutes
      .filter((route) => route.url.startsWith(API_PREFIX) && route.method !== 'HEAD')
      .map((route) => ({ ...route, key: `${route.method} ${route.url.slice(API_PREFIX.length)}` }));

  it('gives every route an access rule and a row in this matrix (deny by default)', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      expect(route.access, `${route.key} has no access rule`).toBeDefined();
      if (route.access?.public) expect(PUBLIC.has(route.key), `${route.key} is public`).toBe(true);
      else expect(ROUTES[route.key], `${route.key} is not in the authorization matrix`).toBeDefined();
    }
    const declared = new Set(routes.map((route) => route.key));
    for (const key of Object.keys(ROUTES)) expect(declared.has(key), `${key} no longer exists`).toBe(true);
  });

  it('refuses to build an app with a route that declares no rule', async () => {
    const { buildApp } = await import('../src/api/build-app.ts');
    const { createLogger } = await import('../src/logging/logger.ts');
    const { testConfig } = await import('./api-fixture.ts');
    await expect(
      buildApp({
        store: test.store,
        config: testConfig(),
        log: createLogger({ logLevel: 'silent' }),
        routes: [(api) => void api.get('/unguarded', async () => ({ ok: true }))],
      }),
    ).rejects.toThrow(/declares no access rule/);
  });

  it('answers 401 to anonymous callers on every non-public route', async () => {
    for (const route of apiRoutes().filter((r) => !PUBLIC.has(r.key))) {
      const url = route.url.replace(/:(\w+)/g, '1');
      const response = await app.inject({
        method: route.method as 'GET',
        url,
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      expect(response.statusCode, `${route.key}`).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('applies the matrix: role × tenant × ownership', async () => {
    const ctx: Ctx = { store: test.store, own, other, actor: 'adm', seq: 0 };
    const failures: string[] = [];
    let checked = 0;
    for (const [key, spec] of Object.entries(ROUTES)) {
      const [method] = key.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'];
      for (const role of ALL) {
        for (const variant of ['owner', 'notOwner'] as const) {
          const actor = OWNER_VARIANTS[role][variant];
          ctx.actor = actor;
          for (const tenant of spec.record ? [own, other] : [own]) {
            ctx.seq += 1;
            checked += 1;
            const built = await spec.build(ctx, tenant, variant);
            const response = await call(app, {
              method,
              url: `${API_PREFIX}${built.url}`,
              token: own.tokens[actor],
              ...(built.payload === undefined ? {} : { payload: built.payload as object }),
              ...(built.headers ? { headers: built.headers } : {}),
            });
            let expected: 'ok' | 403 | 404;
            if (tenant === other) expected = 404;
            else if (spec.expectOwn)
              expected = spec.roles.includes(role) ? spec.expectOwn(role, variant) : 403;
            else if (!spec.roles.includes(role)) expected = 403;
            else if (
              spec.editorsOnly &&
              !mayEdit(
                { role, userId: own.userId(actor) },
                {
                  owners: [own.userId('csm'), own.userId('sales'), own.userId('spec')],
                  managers: [own.userId('mgr')],
                },
              )
            )
              expected = 403;
            else expected = 'ok';
            const ok = expected === 'ok' ? response.statusCode < 300 : response.statusCode === expected;
            if (!ok) {
              failures.push(
                `${key} as ${role}/${actor} (${variant}, ${tenant === own ? 'own' : 'other'} tenant): expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 200)}`,
              );
            }
            if (response.statusCode < 300 && response.body.includes(OTHER)) {
              failures.push(`${key} as ${role}: the response carries another tenant's data`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(700);
  });

  it('never lists another tenant’s rows, whatever the filters', async () => {
    const token = own.tokens.adm;
    const urls = [
      '/renewals?limit=200',
      `/renewals?accountId=${OTHER}A-1`,
      `/renewals?owner=${other.userId('spec')}`,
      '/accounts?limit=200&q=Acme',
      `/contracts?accountId=${OTHER}A-1`,
      '/tasks?limit=200',
      `/tasks?contractId=${OTHER}C-1`,
      '/users?limit=200&includeDisabled=true',
      `/audit?entity=renewal&entityId=${OTHER}C-1`,
      '/webhooks',
      '/imports',
      '/auth/tokens?all=true',
    ];
    for (const url of urls) {
      const response = await call(app, { method: 'GET', url: `${API_PREFIX}${url}`, token });
      expect(response.statusCode, url).toBe(200);
      expect(response.body.includes(OTHER), url).toBe(false);
    }
    const theirs = await call(app, {
      method: 'GET',
      url: `${API_PREFIX}/renewals?limit=200`,
      token: other.tokens.view,
    });
    expect(
      theirs
        .json()
        .items.map((r: { contractId: string }) => r.contractId)
        .sort(),
    ).toEqual([`${OTHER}C-1`, `${OTHER}C-2`]);
  });

  it('ignores any tenant a client names: the token decides', async () => {
    const response = await call(app, {
      method: 'GET',
      url: `${API_PREFIX}/renewals?tenant=t2&tenantId=t2`,
      token: own.tokens.view,
    });
    // Unknown query parameters are dropped by the schema; the rows are the caller's tenant's.
    expect(response.statusCode).toBe(200);
    expect(response.body.includes(OTHER)).toBe(false);
  });
});
