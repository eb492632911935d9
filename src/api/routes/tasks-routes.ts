/** Playbook tasks: what is due, and complete (with the hours spent) / reopen / snooze / reassign under If-Match. */
import { z } from 'zod';
import { ALL_ROLES, EDITOR_ROLES, MANAGING_ROLES } from '../../auth/roles.ts';
import { listTasks } from '../../engine/queries/list-tasks.ts';
import { findTask, toTaskView } from '../../engine/queries/task-view.ts';
import { MAX_SPENT_HOURS, type TaskChange, updateTask } from '../../engine/queries/update-task.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import { CalendarDateSchema, expectedVersion, PageQuerySchema, pageOf, setEtag } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { TaskSchema } from './renewal-schemas.ts';

const Params = z.object({ taskId: z.string().regex(/^\d{1,18}$/, 'a task id') });
const taskRecord = { record: { kind: 'task' as const, param: 'taskId' } };
const Version = z.number().int().min(1).optional().describe('the version you read, unless sent as If-Match');

export function registerTaskRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/tasks',
    {
      schema: {
        operationId: 'listTasks',
        tags: ['tasks'],
        summary: 'Tasks by due date (owner=me for your own)',
        querystring: PageQuerySchema.extend({
          owner: z.string().max(200).optional().describe('a user id, or `me`'),
          status: z.enum(['open', 'done', 'skipped']).optional(),
          dueBefore: CalendarDateSchema.optional(),
          contractId: z.string().max(200).optional(),
        }),
        response: { 200: pageOf(TaskSchema), ...problemResponses(400, 401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      const { cursor, limit, owner, ...filters } = request.query;
      return listTasks({
        session: deps.store,
        tenantId: principal.tenantId,
        filters: { ...filters, ownerUserId: owner === 'me' ? principal.userId : owner },
        cursor: cursor ?? null,
        limit,
      });
    },
  );

  app.get(
    '/tasks/:taskId',
    {
      schema: {
        operationId: 'getTask',
        tags: ['tasks'],
        summary: 'One task; ETag = version',
        params: Params,
        response: { 200: TaskSchema, ...problemResponses(401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'read', taskRecord) },
    },
    async (request, reply) => {
      const row = await findTask(deps.store, principalOf(request).tenantId, Number(request.params.taskId));
      if (!row) throw new ApiError('not_found');
      setEtag(reply, row.version);
      return toTaskView(row);
    },
  );

  const actions: {
    path: string;
    operationId: string;
    summary: string;
    body: z.ZodObject;
    roles: typeof EDITOR_ROLES;
    change: (body: Record<string, unknown>) => TaskChange;
  }[] = [
    {
      path: 'complete',
      operationId: 'completeTask',
      summary: 'Mark the task done, optionally logging the hours it took',
      body: z.strictObject({
        version: Version,
        spentHours: z
          .number()
          .min(0)
          .max(MAX_SPENT_HOURS)
          .optional()
          .describe(`hours the team spent on the task (0–${MAX_SPENT_HOURS}); feeds the team-hours metric`),
      }),
      roles: EDITOR_ROLES,
      change: (body) =>
        body.spentHours === undefined
          ? { action: 'complete' }
          : { action: 'complete', spentHours: body.spentHours as number },
    },
    {
      path: 'reopen',
      operationId: 'reopenTask',
      summary: 'Reopen a done task',
      body: z.strictObject({ version: Version }),
      roles: EDITOR_ROLES,
      change: () => ({ action: 'reopen' }),
    },
    {
      path: 'snooze',
      operationId: 'snoozeTask',
      summary: 'Move the due date later',
      body: z.strictObject({ version: Version, until: CalendarDateSchema }),
      roles: EDITOR_ROLES,
      change: (body) => ({ action: 'snooze', until: body.until as string }),
    },
    {
      path: 'reassign',
      operationId: 'reassignTask',
      summary: 'Give the task to someone else (admin, manager)',
      body: z.strictObject({ version: Version, ownerUserId: z.string().min(1).max(200) }),
      roles: MANAGING_ROLES,
      change: (body) => ({ action: 'reassign', ownerUserId: body.ownerUserId as string }),
    },
  ];

  for (const action of actions) {
    app.post(
      `/tasks/:taskId/${action.path}`,
      {
        schema: {
          operationId: action.operationId,
          tags: ['tasks'],
          summary: `${action.summary}; needs If-Match (or version); 409 when stale`,
          params: Params,
          headers: z.object({ 'if-match': z.string().optional() }),
          body: action.body,
          response: { 200: TaskSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 428) },
        },
        config: { access: allow(action.roles, 'write', { ...taskRecord, editorsOnly: true }) },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const body = request.body as Record<string, unknown>;
        const task = await updateTask({
          store: deps.store,
          tenantId: principal.tenantId,
          taskId: Number(request.params.taskId),
          expectedVersion: expectedVersion(request, body.version as number | undefined),
          change: action.change(body),
          actor: principal.userId,
          now: deps.now(),
        });
        setEtag(reply, task.version);
        return task;
      },
    );
  }
}
