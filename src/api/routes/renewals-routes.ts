/** Renewals: the list people work from, one renewal in full, changes under If-Match, notes, history. */
import { z } from 'zod';
import { ALL_ROLES, checkFields, EDITOR_ROLES, type FieldRule, MANAGING_ROLES } from '../../auth/roles.ts';
import { listAuditEntries } from '../../engine/queries/audit-trail.ts';
import { getRenewal } from '../../engine/queries/get-renewal.ts';
import { listRenewals, RENEWAL_SORTS, type RenewalSort } from '../../engine/queries/list-renewals.ts';
import { addRenewalNote, listRenewalNotes } from '../../engine/queries/renewal-notes.ts';
import { type RenewalChanges, updateRenewal } from '../../engine/queries/update-renewal.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import {
  CalendarDateSchema,
  cursorKey,
  expectedVersion,
  PageQuerySchema,
  pageOf,
  QueryBoolean,
  setEtag,
} from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { AuditEntrySchema } from './audit-routes.ts';
import { RenewalDetailSchema, RenewalPatchSchema, RenewalSchema } from './renewal-schemas.ts';

const editors: FieldRule = {
  writableBy: EDITOR_ROLES,
  why: 'the renewal’s owners, their managers and admins',
};
const managing: FieldRule = { writableBy: MANAGING_ROLES, why: 'set by a manager or an admin' };
const never = (why: string): FieldRule => ({ writableBy: [], why });

/** Which renewal fields each role may write; anything not listed is unknown (400). */
export const RENEWAL_FIELD_RULES: Record<string, FieldRule> = {
  stage: editors,
  outcome: editors,
  closedOn: editors,
  reasons: editors,
  competitor: editors,
  termYears: editors,
  csmCategory: editors,
  csmNote: editors,
  renewedArr: { ...managing, why: 'booked ARR is recorded by a manager or an admin' },
  ownerUserId: { ...managing, why: 'owners are assigned by a manager or an admin' },
  tenantId: never('the workspace comes from your sign-in, never from a request'),
  tenant_id: never('the workspace comes from your sign-in, never from a request'),
  contractId: never('the identity of the record'),
  accountId: never('the identity of the record'),
  accountName: never('comes from the account'),
  arr: never('contract ARR comes from the contract (import)'),
  dueDate: never('comes from the contract end date'),
  segment: never('computed by the engine'),
  type: never('computed by the engine'),
  motion: never('computed by the engine'),
  owner: never('computed by the engine; reassign with ownerUserId'),
  accountOwners: never('comes from the account (import)'),
  health: never('computed by the engine'),
  riskFlags: never('computed by the engine'),
  atRiskSince: never('computed by the engine'),
  probability: never('computed by the engine'),
  earlyQualified: never('computed by the engine'),
  evaluatedOn: never('computed by the engine'),
  forecast: never('write csmCategory and csmNote instead'),
  signedDaysEarly: never('derived from the signature date'),
  updatedAt: never('set by the server'),
};

const ListQuery = PageQuerySchema.extend({
  dueFrom: CalendarDateSchema.optional(),
  dueTo: CalendarDateSchema.optional(),
  segment: z.enum(['enterprise', 'mid_market', 'smb']).optional(),
  band: z.enum(['green', 'yellow', 'red']).optional(),
  owner: z.string().max(200).optional().describe('a user id, or `me`'),
  stage: z.string().max(40).optional(),
  riskFlag: z.string().max(40).optional(),
  atRisk: QueryBoolean.optional(),
  status: z.enum(['open', 'closed']).optional(),
  accountId: z.string().max(200).optional(),
  category: z.enum(['commit', 'probable', 'upside', 'at_risk']).optional(),
  sort: z
    .enum(Object.keys(RENEWAL_SORTS).flatMap((key) => [key, `-${key}`]) as [string, ...string[]])
    .default('dueDate')
    .describe('field to sort by; a leading - sorts descending'),
});

const NoteSchema = z
  .object({ id: z.number().int(), at: z.string(), author: z.string(), text: z.string() })
  .meta({ id: 'Note' });

const Params = z.object({ contractId: z.string().min(1).max(200) });
const renewalRecord = { record: { kind: 'renewal' as const, param: 'contractId' } };

export function registerRenewalRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/renewals',
    {
      schema: {
        operationId: 'listRenewals',
        tags: ['renewals'],
        summary: 'Renewals, filtered and sorted, in pages',
        querystring: ListQuery,
        response: { 200: pageOf(RenewalSchema), ...problemResponses(400, 401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      const { cursor, limit, sort, owner, ...filters } = request.query;
      const descending = sort.startsWith('-');
      return listRenewals({
        session: deps.store,
        tenantId: principal.tenantId,
        filters: { ...filters, ownerUserId: owner === 'me' ? principal.userId : owner },
        sort: (descending ? sort.slice(1) : sort) as RenewalSort,
        descending,
        cursor: cursor ?? null,
        limit,
      });
    },
  );

  app.get(
    '/renewals/:contractId',
    {
      schema: {
        operationId: 'getRenewal',
        tags: ['renewals'],
        summary: 'One renewal with its tasks, alerts, stakeholders and health drivers; ETag = version',
        params: Params,
        response: { 200: RenewalDetailSchema, ...problemResponses(401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'read', renewalRecord) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const renewal = await getRenewal(deps.store, principal.tenantId, request.params.contractId);
      if (!renewal) throw new ApiError('not_found');
      setEtag(reply, renewal.version);
      return renewal;
    },
  );

  app.patch(
    '/renewals/:contractId',
    {
      schema: {
        operationId: 'updateRenewal',
        tags: ['renewals'],
        summary: 'Change stage, outcome, forecast call, owner…; needs If-Match (or version); 409 when stale',
        params: Params,
        headers: z.object({ 'if-match': z.string().optional() }),
        body: RenewalPatchSchema,
        response: {
          200: RenewalSchema.extend({ changed: z.array(z.string()) }),
          ...problemResponses(400, 401, 403, 404, 409, 422, 428),
        },
      },
      config: { access: allow(EDITOR_ROLES, 'write', { ...renewalRecord, editorsOnly: true }) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { version, ...fields } = request.body;
      const given = Object.keys(fields);
      const { unknown, forbidden } = checkFields(principal.role, given, RENEWAL_FIELD_RULES);
      if (unknown.length > 0) {
        throw new ApiError('unknown_field', `unknown fields: ${unknown.join(', ')}; nothing was changed`, {
          fields: unknown,
        });
      }
      if (forbidden.length > 0) {
        deps.log.warn(
          {
            event: 'field_denied',
            tenantId: principal.tenantId,
            userId: principal.userId,
            fields: forbidden.map((f) => f.field),
          },
          'protected fields refused',
        );
        throw new ApiError(
          'field_not_writable',
          `your role (${principal.role}) may not write ${forbidden.map((f) => f.field).join(', ')}; nothing was changed`,
          { fields: forbidden },
        );
      }
      if (given.length === 0) throw new ApiError('invalid_request', 'name at least one field to change');
      const { renewal, changed } = await updateRenewal({
        store: deps.store,
        tenantId: principal.tenantId,
        contractId: request.params.contractId,
        expectedVersion: expectedVersion(request, version),
        changes: fields as RenewalChanges,
        actor: principal.userId,
        now: deps.now(),
      });
      setEtag(reply, renewal.version);
      return { ...renewal, changed };
    },
  );

  app.get(
    '/renewals/:contractId/notes',
    {
      schema: {
        operationId: 'listRenewalNotes',
        tags: ['renewals'],
        summary: 'Notes on the renewal, newest first',
        params: Params,
        querystring: PageQuerySchema,
        response: { 200: pageOf(NoteSchema), ...problemResponses(400, 401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'read', renewalRecord) },
    },
    async (request) =>
      listRenewalNotes({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        contractId: request.params.contractId,
        cursor: cursorKey(request.query.cursor, 1),
        limit: request.query.limit,
      }),
  );

  app.post(
    '/renewals/:contractId/notes',
    {
      schema: {
        operationId: 'addRenewalNote',
        tags: ['renewals'],
        summary: 'Add a note (kept in the audit trail with action `note`)',
        params: Params,
        body: z.strictObject({ text: z.string().trim().min(1).max(10_000) }),
        response: { 201: NoteSchema, ...problemResponses(400, 401, 403, 404) },
      },
      config: { access: allow(EDITOR_ROLES, 'write', { ...renewalRecord, editorsOnly: true }) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const note = await addRenewalNote({
        store: deps.store,
        tenantId: principal.tenantId,
        contractId: request.params.contractId,
        author: principal.userId,
        text: request.body.text,
        now: deps.now(),
      });
      return reply.status(201).send(note);
    },
  );

  app.get(
    '/renewals/:contractId/audit',
    {
      schema: {
        operationId: 'listRenewalAudit',
        tags: ['renewals', 'audit'],
        summary: 'Every change to the renewal: who, when, each field’s old and new value',
        params: Params,
        querystring: PageQuerySchema,
        response: { 200: pageOf(AuditEntrySchema), ...problemResponses(400, 401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'read', renewalRecord) },
    },
    async (request) =>
      listAuditEntries({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        entity: 'renewal',
        entityId: request.params.contractId,
        cursor: cursorKey(request.query.cursor, 1),
        limit: request.query.limit,
      }),
  );
}
