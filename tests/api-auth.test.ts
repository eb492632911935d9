/** Sign-in, sessions, CSRF, lockout, API tokens, rate limits, body caps, headers and the OpenAPI document. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import { PROBLEM_CODES } from '../src/api/problem.ts';
import type { ApiApp } from '../src/api/types.ts';
import { ensureFirstAdmin, setPassword } from '../src/auth/user-accounts.ts';
import { buildTestApp, call, OTHER, type SeededTenant, seedTenant, testConfig } from './api-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const PASSWORD = 'correct horse battery staple';

function cookiesOf(response: { cookies: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(response.cookies.map((cookie) => [cookie.name, cookie.value]));
}

describe('authentication and transport security', () => {
  let test: TestStore;
  let app: ApiApp;
  let t1: SeededTenant;
  let clock = new Date('2026-11-23T09:00:00Z');

  beforeAll(async () => {
    test = await openTestStore();
    t1 = await seedTenant(test.store, 't1', '');
    await seedTenant(test.store, 't2', OTHER);
    for (const person of ['csm', 'adm', 'view', 'exec'] as const) {
      await setPassword({
        session: test.store,
        tenantId: 't1',
        userId: t1.userId(person),
        password: PASSWORD,
      });
    }
    app = await buildTestApp(test.store, { now: () => clock });
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  const login = (email: string, password = PASSWORD, cookie?: string) =>
    app.inject({
      method: 'POST',
      url: `${API_PREFIX}/auth/login`,
      payload: { email, password },
      ...(cookie ? { cookies: { perennial_session: cookie } } : {}),
    });

  it('signs in with a secure session cookie and a CSRF token', async () => {
    const response = await login(t1.email('csm').toUpperCase());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      userId: 'U-csm',
      role: 'csm',
      via: 'session',
      csrfToken: expect.any(String),
    });
    const session = response.cookies.find((c) => c.name === 'perennial_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session.secure).toBeFalsy(); // http://localhost in tests
    const csrf = response.cookies.find((c) => c.name === 'perennial_csrf')!;
    expect(csrf.httpOnly).toBeFalsy();
    expect(csrf.value).toBe(response.json().csrfToken);
    const me = await app.inject({
      method: 'GET',
      url: `${API_PREFIX}/auth/me`,
      cookies: { perennial_session: session.value },
    });
    expect(me.json()).toMatchObject({ userId: 'U-csm', csrfToken: csrf.value });
    const stored = await test.store.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
    expect(stored.map((s) => s.id_hash)).not.toContain(session.value);
  });

  it('marks cookies Secure when the public URL is https', async () => {
    const secureApp = await buildTestApp(test.store, {
      config: testConfig({ PERENNIAL_PUBLIC_URL: 'https://renewals.example.com' }),
    });
    try {
      const response = await secureApp.inject({
        method: 'POST',
        url: `${API_PREFIX}/auth/login`,
        payload: { email: t1.email('view'), password: PASSWORD },
      });
      expect(response.cookies).toHaveLength(2);
      expect(response.cookies.every((c) => c.secure === true)).toBe(true);
    } finally {
      await secureApp.close();
    }
  });

  it('requires the CSRF token on unsafe requests made with the session cookie', async () => {
    const signedIn = await login(t1.email('csm'));
    const { perennial_session: sessionId, perennial_csrf: csrf } = cookiesOf(signedIn);
    const version = (
      await call(app, { method: 'GET', url: `${API_PREFIX}/renewals/C-1`, token: t1.tokens.view })
    ).json().version;
    const request = (headers: Record<string, string>) =>
      app.inject({
        method: 'PATCH',
        url: `${API_PREFIX}/renewals/C-1`,
        cookies: { perennial_session: sessionId! },
        headers: { 'if-match': `"${version}"`, ...headers },
        payload: { stage: 'engaged' },
      });
    const without = await request({});
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('csrf_failed');
    const wrong = await request({ 'x-csrf-token': 'forged' });
    expect(wrong.statusCode).toBe(403);
    const right = await request({ 'x-csrf-token': csrf! });
    expect(right.statusCode).toBe(200);
    // Safe methods and bearer tokens need no CSRF token.
    const read = await app.inject({
      method: 'GET',
      url: `${API_PREFIX}/renewals`,
      cookies: { perennial_session: sessionId! },
    });
    expect(read.statusCode).toBe(200);
  });

  it('rotates the session at sign-in and ends it at sign-out', async () => {
    const first = cookiesOf(await login(t1.email('csm'))).perennial_session!;
    const second = await login(t1.email('csm'), PASSWORD, first);
    const secondId = cookiesOf(second).perennial_session!;
    expect(secondId).not.toBe(first);
    const old = await app.inject({
      method: 'GET',
      url: `${API_PREFIX}/auth/me`,
      cookies: { perennial_session: first },
    });
    expect(old.statusCode).toBe(401);
    const logout = await app.inject({
      method: 'POST',
      url: `${API_PREFIX}/auth/logout`,
      cookies: { perennial_session: secondId },
      headers: { 'x-csrf-token': second.json().csrfToken },
    });
    expect(logout.statusCode).toBe(204);
    const after = await app.inject({
      method: 'GET',
      url: `${API_PREFIX}/auth/me`,
      cookies: { perennial_session: secondId },
    });
    expect(after.statusCode).toBe(401);
  });

  it('cuts off a disabled user on the next request, session and tokens alike', async () => {
    const session = cookiesOf(await login(t1.email('exec'))).perennial_session!;
    const token = t1.tokens.exec;
    expect((await call(app, { method: 'GET', url: `${API_PREFIX}/auth/me`, token })).statusCode).toBe(200);
    const disabled = await call(app, {
      method: 'PATCH',
      url: `${API_PREFIX}/users/U-exec`,
      token: t1.tokens.adm,
      payload: { disabled: true },
    });
    expect(disabled.json()).toMatchObject({ disabled: true });
    expect((await call(app, { method: 'GET', url: `${API_PREFIX}/auth/me`, token })).statusCode).toBe(401);
    const viaSession = await app.inject({
      method: 'GET',
      url: `${API_PREFIX}/auth/me`,
      cookies: { perennial_session: session },
    });
    expect(viaSession.statusCode).toBe(401);
    expect((await login(t1.email('exec'))).statusCode).toBe(401);
    const self = await call(app, {
      method: 'PATCH',
      url: `${API_PREFIX}/users/U-adm`,
      token: t1.tokens.adm,
      payload: { disabled: true },
    });
    expect(self.statusCode).toBe(400);
  });

  it('locks an email out after 5 failures (429 + Retry-After), across API processes, until the window passes', async () => {
    const other = await buildTestApp(test.store, { now: () => clock });
    try {
      for (let i = 0; i < 5; i += 1) {
        const target = i % 2 === 0 ? app : other; // two processes share the count through the store
        const failed = await target.inject({
          method: 'POST',
          url: `${API_PREFIX}/auth/login`,
          payload: { email: t1.email('adm'), password: `wrong ${i}` },
        });
        expect(failed.statusCode).toBe(401);
        expect(failed.json().code).toBe('invalid_credentials');
      }
      const locked = await login(t1.email('adm'));
      expect(locked.statusCode).toBe(429);
      expect(locked.json().code).toBe('locked_out');
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      // Unknown emails answer like wrong passwords (no enumeration) and do not lock a real account.
      const unknown = await login('nobody@t1.example');
      expect(unknown.statusCode).toBe(401);
      expect((await login(t1.email('view'))).statusCode).toBe(200);
      clock = new Date(clock.getTime() + (retryAfter + 1) * 1000);
      expect((await login(t1.email('adm'))).statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('issues scoped tokens shown once and stored hashed; revocation takes effect at once', async () => {
    const created = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/auth/tokens`,
      token: t1.tokens.csm,
      payload: { name: 'CRM sync', scopes: ['read'] },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^prn_/);
    const rows = await test.store.query<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE id = $1',
      [id],
    );
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await test.store.query('SELECT * FROM api_tokens'))).not.toContain(token);
    expect((await call(app, { method: 'GET', url: `${API_PREFIX}/renewals`, token })).statusCode).toBe(200);
    const write = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/renewals/C-1/notes`,
      token,
      payload: { text: 'x' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('insufficient_scope');
    const escalate = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/auth/tokens`,
      token,
      payload: { name: 'more', scopes: ['write'] },
    });
    expect(escalate.statusCode).toBe(403);
    const listed = (
      await call(app, { method: 'GET', url: `${API_PREFIX}/auth/tokens`, token: t1.tokens.csm })
    ).json().items;
    expect(listed.some((t: { id: number; token?: string }) => t.id === id && t.token === undefined)).toBe(
      true,
    );
    const byOther = await call(app, {
      method: 'DELETE',
      url: `${API_PREFIX}/auth/tokens/${id}`,
      token: t1.tokens.view,
    });
    expect(byOther.statusCode).toBe(403);
    const revoked = await call(app, {
      method: 'DELETE',
      url: `${API_PREFIX}/auth/tokens/${id}`,
      token: t1.tokens.csm,
    });
    expect(revoked.statusCode).toBe(204);
    const after = await call(app, { method: 'GET', url: `${API_PREFIX}/renewals`, token });
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toMatch(/Bearer/);
    expect(
      (await call(app, { method: 'GET', url: `${API_PREFIX}/renewals`, token: 'prn_forged' })).statusCode,
    ).toBe(401);
  });

  it('rate-limits per token and per address with 429 and Retry-After', async () => {
    const limited = await buildTestApp(test.store, { limits: { perMinute: 3, loginPerMinute: 2 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push(
          (await call(limited, { method: 'GET', url: `${API_PREFIX}/policy`, token: t1.tokens.view }))
            .statusCode,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const last = await call(limited, { method: 'GET', url: `${API_PREFIX}/policy`, token: t1.tokens.view });
      expect(last.json().code).toBe('rate_limited');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      // Another token has its own budget.
      expect(
        (await call(limited, { method: 'GET', url: `${API_PREFIX}/policy`, token: t1.tokens.csm }))
          .statusCode,
      ).toBe(200);
      const logins = [];
      for (let i = 0; i < 3; i += 1) {
        logins.push(
          (
            await limited.inject({
              method: 'POST',
              url: `${API_PREFIX}/auth/login`,
              payload: { email: 'x@y.z', password: 'nope' },
            })
          ).statusCode,
        );
      }
      expect(logins).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    // A new email each time, so the per-email lockout stays out of the way of the per-address limit.
    let attempt = 0;
    const failedLogin = (app: ApiApp, forwardedFor: string) => {
      attempt += 1;
      return app.inject({
        method: 'POST',
        url: `${API_PREFIX}/auth/login`,
        headers: { 'x-forwarded-for': forwardedFor },
        payload: { email: `proxy-${attempt}@y.z`, password: 'nope' },
      });
    };
    // Without the setting a client cannot pick a fresh address for each attempt to dodge the limit.
    const direct = await buildTestApp(test.store, { limits: { loginPerMinute: 2 } });
    try {
      const statuses = [];
      for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        statuses.push((await failedLogin(direct, address)).statusCode);
      }
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await direct.close();
    }
    // Behind the named load balancer (inject connects from 127.0.0.1), each client has its own budget.
    const proxied = await buildTestApp(test.store, {
      config: testConfig({ PERENNIAL_TRUST_PROXY: '127.0.0.1' }),
      limits: { loginPerMinute: 2 },
    });
    try {
      const statuses = [];
      for (const address of ['198.51.100.1', '198.51.100.1', '198.51.100.1', '198.51.100.2']) {
        statuses.push((await failedLogin(proxied, address)).statusCode);
      }
      expect(statuses).toEqual([401, 401, 429, 401]);
    } finally {
      await proxied.close();
    }
  });

  it('caps body sizes and sends security headers', async () => {
    const huge = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/renewals/C-1/notes`,
      token: t1.tokens.csm,
      payload: { text: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('payload_too_large');
    const response = await call(app, { method: 'GET', url: `${API_PREFIX}/policy`, token: t1.tokens.view });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toMatch(/max-age/);
    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const form = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/renewals/C-1/notes`,
      token: t1.tokens.csm,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'text=hi',
    });
    expect(form.statusCode).toBe(415);
  });

  it('publishes a valid OpenAPI 3.1 document for every route, and the docs page', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const operationIds = new Set<string>();
    const routes = app.apiRoutes.filter((r) => r.url.startsWith(API_PREFIX) && r.method !== 'HEAD');
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${path} missing from the document`).toBeDefined();
      expect(operation.operationId, `${route.method} ${path} has no operationId`).toEqual(expect.any(String));
      expect(operationIds.has(operation.operationId)).toBe(false);
      operationIds.add(operation.operationId);
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        const param = operation.parameters.find(
          (p: { in: string; name: string }) => p.in === 'path' && `{${p.name}}` === name,
        );
        expect(param?.required, `${path} ${name}`).toBe(true);
      }
      for (const [status, entry] of Object.entries(
        operation.responses as Record<string, { description?: string; content?: object }>,
      )) {
        expect(/^[1-5]\d\d$/.test(status)).toBe(true);
        expect(entry.description).toEqual(expect.any(String));
      }
    }
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of refs) {
      const name = ref.split('/').pop()!.replace(/"$/, '');
      expect(doc.components.schemas[name], `unresolved ${ref}`).toBeDefined();
    }
    expect(doc.components.schemas.Problem.properties.code.enum.sort()).toEqual(
      Object.keys(PROBLEM_CODES).sort(),
    );
    const ui = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
  });

  it('creates the first admin once, from configuration or with a generated password', async () => {
    const fresh = await openTestStore();
    try {
      const generated = await ensureFirstAdmin({
        store: fresh.store,
        tenantId: 'acme',
        admin: undefined,
        fallbackEmail: 'admin@localhost',
      });
      expect(generated).toMatchObject({ email: 'admin@localhost', generatedPassword: expect.any(String) });
      expect(generated!.generatedPassword!.length).toBeGreaterThanOrEqual(20);
      expect(
        await ensureFirstAdmin({
          store: fresh.store,
          tenantId: 'acme',
          admin: undefined,
          fallbackEmail: 'x@y',
        }),
      ).toBeNull();
      const configured = await ensureFirstAdmin({
        store: fresh.store,
        tenantId: 'beta',
        admin: { email: 'ops@beta.example', password: 'a long enough password' },
        fallbackEmail: 'admin@localhost',
      });
      expect(configured).toEqual({ email: 'ops@beta.example', generatedPassword: null });
      const freshApp = await buildTestApp(fresh.store, { config: testConfig({ PERENNIAL_TENANT: 'beta' }) });
      const signedIn = await freshApp.inject({
        method: 'POST',
        url: `${API_PREFIX}/auth/login`,
        payload: { email: 'ops@beta.example', password: 'a long enough password' },
      });
      expect(signedIn.json()).toMatchObject({ role: 'admin', tenantId: 'beta' });
      await freshApp.close();
    } finally {
      await fresh.close();
    }
  });
});
