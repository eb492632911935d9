/** The audit trail of the workspace, for admins and managers (filter by record to export one history). */
import { z } from 'zod';
import { listAuditEntries } from '../../engine/queries/audit-trail.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { problemResponses } from '../problem.ts';
import { cursorKey, PageQuerySchema, pageOf } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string().describe('UTC'),
    actor: z.string().describe('user id, or cli / engine'),
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    changes: z.record(z.string(), z.unknown()).describe('field → { old, new }'),
  })
  .meta({ id: 'AuditEntry' });

export function registerAuditRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/audit',
    {
      schema: {
        operationId: 'listAudit',
        tags: ['audit'],
        summary: 'The audit trail, newest first; page through it to export',
        querystring: PageQuerySchema.extend({
          entity: z.string().max(40).optional(),
          entityId: z.string().max(200).optional(),
          action: z.string().max(40).optional(),
        }),
        response: { 200: pageOf(AuditEntrySchema), ...problemResponses(400, 401, 403) },
      },
      config: { access: allow(['admin', 'manager'], 'read') },
    },
    async (request) =>
      listAuditEntries({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        entity: request.query.entity,
        entityId: request.query.entityId,
        action: request.query.action,
        cursor: cursorKey(request.query.cursor, 1),
        limit: request.query.limit,
      }),
  );
}
