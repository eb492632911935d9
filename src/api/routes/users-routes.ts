/** People of the workspace: everyone may look people up; admins add, change and disable them. */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwords.ts';
import { ADMIN_ONLY, ALL_ROLES, ROLES } from '../../auth/roles.ts';
import { addUser, updateUser } from '../../auth/user-accounts.ts';
import { writeAuditEntry } from '../../engine/queries/audit-trail.ts';
import { getUser, listUsers } from '../../engine/queries/users.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import { PageQuerySchema, pageOf, QueryBoolean } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const RoleSchema = z.enum(ROLES as [string, ...string[]]);

const UserSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    managerId: z.string().nullable(),
    disabled: z.boolean(),
    canSignIn: z.boolean(),
    locale: z.string(),
  })
  .meta({ id: 'User' });

const Params = z.object({ userId: z.string().min(1).max(200) });

export function registerUserRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/users',
    {
      schema: {
        operationId: 'listUsers',
        tags: ['users'],
        summary: 'People of the workspace',
        querystring: PageQuerySchema.extend({
          role: RoleSchema.optional(),
          managerId: z.string().max(200).optional(),
          includeDisabled: QueryBoolean.optional(),
        }),
        response: { 200: pageOf(UserSchema), ...problemResponses(400, 401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query;
      return listUsers({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        filters,
        cursor: cursor ?? null,
        limit,
      });
    },
  );

  app.get(
    '/users/:userId',
    {
      schema: {
        operationId: 'getUser',
        tags: ['users'],
        summary: 'One person',
        params: Params,
        response: { 200: UserSchema, ...problemResponses(401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'read', { record: { kind: 'user', param: 'userId' } }) },
    },
    async (request) => {
      const user = await getUser(deps.store, principalOf(request).tenantId, request.params.userId);
      if (!user) throw new ApiError('not_found');
      return user;
    },
  );

  app.post(
    '/users',
    {
      schema: {
        operationId: 'createUser',
        tags: ['users'],
        summary: 'Add a person who can sign in (or give an imported person a password) — admin',
        body: z.strictObject({
          email: z.email().max(320),
          name: z.string().trim().min(1).max(200),
          role: RoleSchema,
          managerId: z.string().max(200).nullable().optional(),
          password: z.string().max(MAX_PASSWORD_LENGTH).optional().describe('at least 12 characters'),
        }),
        response: { 201: UserSchema, ...problemResponses(400, 401, 403, 409, 422) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin') },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const now = deps.now();
      const user = await deps.store.transaction(async (tx) => {
        const { user, activated } = await addUser({
          session: tx,
          tenantId: principal.tenantId,
          email: request.body.email,
          name: request.body.name,
          role: request.body.role as (typeof ROLES)[number],
          password: request.body.password ?? null,
          managerId: request.body.managerId ?? null,
        });
        await writeAuditEntry(tx, {
          tenantId: principal.tenantId,
          at: now,
          actor: principal.userId,
          action: activated ? 'activate' : 'create',
          entity: 'user',
          entityId: user.userId,
          changes: {
            email: { old: null, new: user.email },
            role: { old: null, new: user.role },
            managerId: { old: null, new: user.managerId },
          },
        });
        return user;
      });
      deps.log.info(
        { event: 'user_added', tenantId: principal.tenantId, userId: user.userId, by: principal.userId },
        'user added',
      );
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/users/:userId',
    {
      schema: {
        operationId: 'updateUser',
        tags: ['users'],
        summary:
          'Change name, role, manager, locale, or disable a user (admin); disabling ends their sessions',
        params: Params,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          role: RoleSchema.optional(),
          managerId: z.string().max(200).nullable().optional(),
          disabled: z.boolean().optional(),
          locale: z.string().min(2).max(20).optional(),
        }),
        response: { 200: UserSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin', { record: { kind: 'user', param: 'userId' } }) },
    },
    async (request) => {
      const principal = principalOf(request);
      const user = await updateUser({
        store: deps.store,
        tenantId: principal.tenantId,
        userId: request.params.userId,
        changes: { ...request.body, role: request.body.role as (typeof ROLES)[number] | undefined },
        actor: principal.userId,
        now: deps.now(),
      });
      if (request.body.disabled === true) {
        deps.log.info(
          { event: 'user_disabled', tenantId: principal.tenantId, userId: user.userId, by: principal.userId },
          'user disabled',
        );
      }
      return user;
    },
  );
}
