/**
 * Stakeholders from the renewal room: add a contact to an account, or change one (role, strength,
 * stance, last contact, departure) under If-Match. The account's team (its owners and the owners of
 * its open renewals), their managers and admins may write; everyone in the workspace reads them
 * through accounts and renewals.
 */
import { z } from 'zod';
import { EDITOR_ROLES } from '../../auth/roles.ts';
import { STAKEHOLDER_ROLES, STANCES, STRENGTHS } from '../../domain/records.ts';
import {
  createStakeholder,
  type StakeholderFields,
  updateStakeholder,
} from '../../engine/queries/stakeholders.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import { CalendarDateSchema, expectedVersion, setEtag } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const StakeholderRecordSchema = z
  .object({
    stakeholderId: z.string(),
    accountId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    role: z.enum(STAKEHOLDER_ROLES),
    strength: z.enum(STRENGTHS).nullable(),
    stance: z.enum(STANCES).nullable(),
    lastContactOn: z.string().nullable(),
    leftOn: z
      .string()
      .nullable()
      .describe('the day the contact left the customer (departed contacts stay on record)'),
    version: z.number().int().describe('send back as If-Match (or version) when changing the stakeholder'),
  })
  .meta({ id: 'StakeholderRecord' });

const editable = {
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320).nullable(),
  role: z.enum(STAKEHOLDER_ROLES),
  strength: z.enum(STRENGTHS).nullable(),
  stance: z.enum(STANCES).nullable(),
  lastContactOn: CalendarDateSchema.nullable(),
  leftOn: CalendarDateSchema.nullable(),
};

const CreateSchema = z
  .strictObject({
    stakeholderId: z
      .string()
      .regex(/^[\w.:-]{1,100}$/, 'letters, digits, _ . : - (up to 100)')
      .optional()
      .describe('your CRM contact id; generated when omitted'),
    name: editable.name,
    role: editable.role,
    email: editable.email.optional(),
    strength: editable.strength.optional(),
    stance: editable.stance.optional(),
    lastContactOn: editable.lastContactOn.optional(),
    leftOn: editable.leftOn.optional(),
  })
  .meta({ id: 'StakeholderCreate' });

const PatchSchema = z
  .strictObject({
    version: z.number().int().min(1).optional().describe('the version you read, unless sent as If-Match'),
    name: editable.name.optional(),
    email: editable.email.optional(),
    role: editable.role.optional(),
    strength: editable.strength.optional(),
    stance: editable.stance.optional(),
    lastContactOn: editable.lastContactOn.optional(),
    leftOn: editable.leftOn.optional(),
  })
  .describe('Only the fields to change; unknown fields are refused (400) and nothing changes.')
  .meta({ id: 'StakeholderPatch' });

export function registerStakeholderRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post(
    '/accounts/:accountId/stakeholders',
    {
      schema: {
        operationId: 'createStakeholder',
        tags: ['accounts'],
        summary: 'Add a contact to the account’s stakeholder map',
        params: z.object({ accountId: z.string().min(1).max(200) }),
        body: CreateSchema,
        response: { 201: StakeholderRecordSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
      config: {
        access: allow(EDITOR_ROLES, 'write', {
          record: { kind: 'account_team', param: 'accountId' },
          editorsOnly: true,
        }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { stakeholderId, ...given } = request.body;
      const fields: StakeholderFields = {
        name: given.name,
        role: given.role,
        email: given.email ?? null,
        strength: given.strength ?? null,
        stance: given.stance ?? null,
        lastContactOn: given.lastContactOn ?? null,
        leftOn: given.leftOn ?? null,
      };
      const stakeholder = await createStakeholder({
        store: deps.store,
        tenantId: principal.tenantId,
        accountId: request.params.accountId,
        stakeholderId: stakeholderId ?? `S-${crypto.randomUUID()}`,
        fields,
        actor: principal.userId,
        now: deps.now(),
      });
      setEtag(reply, stakeholder.version);
      return reply.code(201).send(stakeholder);
    },
  );

  app.patch(
    '/stakeholders/:stakeholderId',
    {
      schema: {
        operationId: 'updateStakeholder',
        tags: ['accounts'],
        summary:
          'Change a stakeholder (strength, stance, last contact, departure…); needs If-Match; 409 when stale',
        params: z.object({ stakeholderId: z.string().min(1).max(200) }),
        headers: z.object({ 'if-match': z.string().optional() }),
        body: PatchSchema,
        response: {
          200: StakeholderRecordSchema.extend({ changed: z.array(z.string()) }),
          ...problemResponses(400, 401, 403, 404, 409, 422, 428),
        },
      },
      config: {
        access: allow(EDITOR_ROLES, 'write', {
          record: { kind: 'stakeholder', param: 'stakeholderId' },
          editorsOnly: true,
        }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { version, ...changes } = request.body;
      if (Object.keys(changes).length === 0)
        throw new ApiError('invalid_request', 'name at least one field to change');
      const { stakeholder, changed } = await updateStakeholder({
        store: deps.store,
        tenantId: principal.tenantId,
        stakeholderId: request.params.stakeholderId,
        expectedVersion: expectedVersion(request, version),
        changes,
        actor: principal.userId,
        now: deps.now(),
      });
      setEtag(reply, stakeholder.version);
      return { ...stakeholder, changed };
    },
  );
}
