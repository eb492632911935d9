/**
 * Hours on tasks over HTTP: completing a task with the hours it took, and reading them back beside
 * the playbook estimate wherever a task is shown (one task, the task list, the renewal) — on PGlite,
 * or PostgreSQL with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/api/build-app.ts';
import type { ApiApp } from '../src/api/types.ts';
import { buildTestApp, call, type SeededTenant, seedTenant } from './api-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

type TaskBody = {
  id: number;
  status: string;
  spentHours: number | null;
  estimateHours: number | null;
  version: number;
};

describe('logged hours on tasks', () => {
  let test: TestStore;
  let app: ApiApp;
  let t1: SeededTenant;

  beforeAll(async () => {
    test = await openTestStore();
    t1 = await seedTenant(test.store, 't1', '');
    // The playbook planned 4 hours for the account review; the value review has no estimate.
    await test.store.execute('UPDATE tasks SET estimate_hours = 4 WHERE tenant_id = $1 AND id = $2', [
      't1',
      t1.taskId,
    ]);
    app = await buildTestApp(test.store);
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
  });

  const get = (url: string, token = t1.tokens.csm) =>
    call(app, { method: 'GET', url: `${API_PREFIX}${url}`, token });
  const post = (url: string, payload: object, token = t1.tokens.csm) =>
    call(app, { method: 'POST', url: `${API_PREFIX}${url}`, token, payload });

  it('reads an open task with its estimate and no hours logged', async () => {
    const task = (await get(`/tasks/${t1.taskId}`)).json() as TaskBody;
    expect(task).toMatchObject({ status: 'open', estimateHours: 4, spentHours: null });
  });

  it('refuses hours outside 0–200 and leaves the task open', async () => {
    const { version } = (await get(`/tasks/${t1.taskId}`)).json() as TaskBody;
    const tooMany = await post(`/tasks/${t1.taskId}/complete`, { version, spentHours: 201 });
    expect(tooMany.statusCode).toBe(400);
    const negative = await post(`/tasks/${t1.taskId}/complete`, { version, spentHours: -1 });
    expect(negative.statusCode).toBe(400);
    expect((await get(`/tasks/${t1.taskId}`)).json()).toMatchObject({ status: 'open', spentHours: null });
  });

  it('completes with the hours spent and shows them against the estimate in every task read', async () => {
    const { version } = (await get(`/tasks/${t1.taskId}`)).json() as TaskBody;
    const done = await post(`/tasks/${t1.taskId}/complete`, { version, spentHours: 5.5 });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', spentHours: 5.5, estimateHours: 4 });

    expect((await get(`/tasks/${t1.taskId}`)).json()).toMatchObject({ spentHours: 5.5, estimateHours: 4 });
    const listed = (await get('/tasks?owner=me&status=done')).json().items as TaskBody[];
    expect(listed.map(({ id, spentHours, estimateHours }) => ({ id, spentHours, estimateHours }))).toEqual([
      { id: t1.taskId, spentHours: 5.5, estimateHours: 4 },
    ]);
    const renewal = (await get('/renewals/C-1')).json() as { tasks: TaskBody[] };
    expect(renewal.tasks.find((task) => task.id === t1.taskId)).toMatchObject({
      spentHours: 5.5,
      estimateHours: 4,
    });
  });

  it('keeps the hours when the task is reopened, and replaces them when it is completed again', async () => {
    const { version } = (await get(`/tasks/${t1.taskId}`)).json() as TaskBody;
    const reopened = await post(`/tasks/${t1.taskId}/reopen`, { version });
    expect(reopened.json()).toMatchObject({ status: 'open', spentHours: 5.5 });
    const again = await post(`/tasks/${t1.taskId}/complete`, {
      version: reopened.json().version,
      spentHours: 3,
    });
    expect(again.json()).toMatchObject({ status: 'done', spentHours: 3 });
    const audit = (await get(`/audit?entity=task&entityId=${t1.taskId}`, t1.tokens.adm)).json().items as {
      action: string;
      changes: Record<string, unknown>;
    }[];
    expect(audit[0]).toMatchObject({ action: 'complete', changes: { spentHours: { old: 5.5, new: 3 } } });
  });

  it('completes without hours as before: nothing logged', async () => {
    const task = (await get(`/tasks/${t1.otherTaskId}`, t1.tokens.csm2)).json() as TaskBody;
    const done = await post(`/tasks/${t1.otherTaskId}/complete`, { version: task.version }, t1.tokens.csm2);
    expect(done.json()).toMatchObject({ status: 'done', spentHours: null, estimateHours: null });
  });
});
