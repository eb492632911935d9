/**
 * The playbook library: everyone signed in reads it (filtered by milestone, kind, language);
 * managers and admins edit an entry under If-Match, or reset it to the built-in text.
 */
import { z } from 'zod';
import { ALL_ROLES, MANAGING_ROLES } from '../../auth/roles.ts';
import {
  PLAYBOOK_KINDS,
  PLAYBOOK_LANGUAGES,
  PLAYBOOK_MILESTONES,
} from '../../domain/playbook/default-playbook.ts';
import {
  listPlaybook,
  resetPlaybookEntry,
  savePlaybookEntry,
} from '../../engine/queries/playbook-entries.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { problemResponses } from '../problem.ts';
import { expectedVersion, setEtag } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const Milestone = z.enum(PLAYBOOK_MILESTONES);

const PlaybookEntrySchema = z
  .object({
    id: z.string(),
    kind: z.string().describe(`one of ${PLAYBOOK_KINDS.join(', ')}`),
    milestone: z.string().nullable().describe('the timeline milestone where it is used; null = any time'),
    language: z.string(),
    title: z.string(),
    body: z.string().describe('plain text; {placeholders} are filled in by the CSM'),
    automatedEmail: z
      .string()
      .nullable()
      .describe('the automated customer email (template key) this entry accompanies'),
    version: z.number().int().describe('0 = the built-in text; send it back as If-Match to edit'),
    edited: z.boolean().describe('the workspace’s own text replaces the built-in one'),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'PlaybookEntry' });

const Params = z.object({
  entryId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'a playbook entry id (lower-case letters, digits, dashes)'),
});

const EditBody = z.strictObject({
  version: z.number().int().min(0).optional().describe('the version you read, unless sent as If-Match'),
  title: z.string().trim().min(1, 'a title is required').max(200, 'at most 200 characters'),
  body: z.string().trim().min(1, 'the text is required').max(20_000, 'at most 20,000 characters'),
  milestone: Milestone.nullable().describe('where the entry is used; null = any time'),
});

export function registerPlaybookRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/playbook',
    {
      schema: {
        operationId: 'listPlaybook',
        tags: ['playbook'],
        summary: 'The playbook library: built-in entries with this workspace’s edits',
        querystring: z.object({
          milestone: Milestone.optional(),
          kind: z.enum(PLAYBOOK_KINDS).optional(),
          language: z.enum(PLAYBOOK_LANGUAGES).optional(),
        }),
        response: {
          200: z.object({ items: z.array(PlaybookEntrySchema) }),
          ...problemResponses(400, 401, 403),
        },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => ({
      items: await listPlaybook({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        filter: request.query,
      }),
    }),
  );

  app.put(
    '/playbook/:entryId',
    {
      schema: {
        operationId: 'editPlaybookEntry',
        tags: ['playbook'],
        summary:
          'Store this workspace’s text for an entry (manager, admin); needs If-Match (or version); 409 when stale',
        params: Params,
        headers: z.object({ 'if-match': z.string().optional() }),
        body: EditBody,
        response: { 200: PlaybookEntrySchema, ...problemResponses(400, 401, 403, 404, 409, 428) },
      },
      config: { access: allow(MANAGING_ROLES, 'write') },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { version, ...change } = request.body;
      const entry = await savePlaybookEntry({
        store: deps.store,
        tenantId: principal.tenantId,
        entryId: request.params.entryId,
        expectedVersion: expectedVersion(request, version),
        change,
        actor: principal.userId,
        now: deps.now(),
      });
      setEtag(reply, entry.version);
      return entry;
    },
  );

  app.delete(
    '/playbook/:entryId',
    {
      schema: {
        operationId: 'resetPlaybookEntry',
        tags: ['playbook'],
        summary: 'Reset an entry to the built-in text (manager, admin); If-Match optional; 409 when stale',
        params: Params,
        headers: z.object({ 'if-match': z.string().optional() }),
        response: { 200: PlaybookEntrySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
      config: { access: allow(MANAGING_ROLES, 'write') },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const guarded = request.headers['if-match'] !== undefined;
      const entry = await resetPlaybookEntry({
        store: deps.store,
        tenantId: principal.tenantId,
        entryId: request.params.entryId,
        expectedVersion: guarded ? expectedVersion(request, undefined) : null,
        actor: principal.userId,
        now: deps.now(),
      });
      setEtag(reply, entry.version);
      return entry;
    },
  );
}
