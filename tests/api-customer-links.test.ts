import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../src/api/types.ts';
import { mailSettingsFrom } from '../src/mail/mail-settings.ts';
import { unsubscribeToken } from '../src/mail/unsubscribe-token.ts';
import { buildTestApp, call, type SeededTenant, seedTenant, testConfig } from './api-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

describe('customer links', () => {
  let test: TestStore;
  let app: ApiApp;
  let t: SeededTenant;
  const config = testConfig();

  beforeAll(async () => {
    test = await openTestStore();
    t = await seedTenant(test.store, 't1', '');
    app = await buildTestApp(test.store, { config });
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  it('shows a confirmation on GET and opts the address out on the one-click POST', async () => {
    const { unsubscribeSecret } = mailSettingsFrom(config);
    const token = unsubscribeToken({
      secret: unsubscribeSecret,
      tenantId: 't1',
      email: 'Buyer@Customer.example',
    });
    await test.store.execute(
      `INSERT INTO outbox (tenant_id, idempotency_key, kind, recipient, template, payload, status, due_on)
       VALUES ('t1', 'k1', 'customer_email', 'buyer@customer.example', 'renewal-notice', '{}', 'queued', '2026-11-23')`,
    );
    const shown = await call(app, {
      method: 'GET',
      url: `/api/v1/unsubscribe?token=${encodeURIComponent(token)}`,
    });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toContain('text/html');
    expect(shown.body).toContain('buyer@customer.example');
    const before = await test.store.query("SELECT 1 FROM email_opt_outs WHERE tenant_id = 't1'");
    expect(before).toEqual([]);

    const done = await call(app, {
      method: 'POST',
      url: `/api/v1/unsubscribe?token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.statusCode).toBe(200);
    const optOuts = await test.store.query<{ email: string }>(
      "SELECT email FROM email_opt_outs WHERE tenant_id = 't1'",
    );
    expect(optOuts).toEqual([{ email: 'buyer@customer.example' }]);
    const [queued] = await test.store.query<{ status: string }>(
      "SELECT status FROM outbox WHERE idempotency_key = 'k1'",
    );
    expect(queued?.status).toBe('opted_out');
  });

  it('refuses a tampered unsubscribe token', async () => {
    const forged = await call(app, {
      method: 'POST',
      url: '/api/v1/unsubscribe?token=dDE.YUBiLmV4YW1wbGU.forgedsignature',
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('invalid_request');
  });

  it('gives a user a calendar feed URL that serves iCalendar until replaced', async () => {
    const created = await call(app, { method: 'POST', url: '/api/v1/me/calendar-feed', token: t.tokens.csm });
    expect(created.statusCode).toBe(200);
    const { url } = created.json() as { url: string };
    const path = new URL(url).pathname;
    const feed = await call(app, { method: 'GET', url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.body.startsWith('BEGIN:VCALENDAR')).toBe(true);
    await call(app, { method: 'POST', url: '/api/v1/me/calendar-feed', token: t.tokens.csm });
    expect((await call(app, { method: 'GET', url: path })).statusCode).toBe(404);
  });
});
