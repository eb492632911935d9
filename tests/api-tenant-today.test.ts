/**
 * The API's "today" is the workspace's own date (its time zone in tenant_settings), the same day the
 * daily run uses — not the server's UTC date. At 20:00 UTC on Nov 23 it is already Nov 24 in Tokyo:
 * a Tokyo team's workspace says so, and a task completed then is dated Nov 24. On PGlite, or PostgreSQL
 * with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import { buildTestApp, call, type SeededTenant, seedTenant } from './api-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const EVENING_UTC = new Date('2026-11-23T20:00:00Z');

describe("the workspace's today", () => {
  let test: TestStore;
  let app: ApiApp;
  let tokyo: SeededTenant;
  let utc: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    tokyo = await seedTenant(test.store, 't1', '');
    utc = await seedTenant(test.store, 't2', 'ZZ-');
    await test.store.execute("INSERT INTO tenant_settings (tenant_id, timezone) VALUES ('t1', 'Asia/Tokyo')");
    app = await buildTestApp(test.store, { now: () => EVENING_UTC });
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  it('is the date in the tenant’s zone, and UTC’s for a tenant without settings', async () => {
    const inTokyo = await call(app, {
      method: 'GET',
      url: `${API_PREFIX}/workspace`,
      token: tokyo.tokens.csm,
    });
    expect(inTokyo.statusCode).toBe(200);
    expect(inTokyo.json().today).toBe('2026-11-24');
    const inUtc = await call(app, { method: 'GET', url: `${API_PREFIX}/workspace`, token: utc.tokens.csm });
    expect(inUtc.json().today).toBe('2026-11-23');
  });

  it('dates the early-renewal view and a completed task by the tenant’s day', async () => {
    const early = await call(app, {
      method: 'GET',
      url: `${API_PREFIX}/early-renewals`,
      token: tokyo.tokens.mgr,
    });
    expect(early.statusCode).toBe(200);
    expect(early.json().asOf).toBe('2026-11-24');

    const task = await call(app, {
      method: 'GET',
      url: `${API_PREFIX}/tasks/${tokyo.taskId}`,
      token: tokyo.tokens.mgr,
    });
    const done = await call(app, {
      method: 'POST',
      url: `${API_PREFIX}/tasks/${tokyo.taskId}/complete`,
      token: tokyo.tokens.mgr,
      payload: { version: task.json().version },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', completedOn: '2026-11-24' });
  });
});
