/** The renewal policy: everyone reads the version in force; an admin stores a new version. */
import { z } from 'zod';
import { ADMIN_ONLY, ALL_ROLES } from '../../auth/roles.ts';
import { checkPolicy } from '../../domain/policy/check-policy.ts';
import { loadPolicy, PolicyError, savePolicy } from '../../engine/policy-store.ts';
import { writeAuditEntry } from '../../engine/queries/audit-trail.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { problemResponses } from '../problem.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const IssueSchema = z.object({ path: z.string(), message: z.string() });

const PolicyResponse = z
  .object({
    version: z.number().int().describe('0 = the built-in default'),
    source: z.enum(['default', 'store']),
    policy: z.record(z.string(), z.unknown()),
    warnings: z.array(IssueSchema),
  })
  .meta({ id: 'PolicyInForce' });

export function registerPolicyRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/policy',
    {
      schema: {
        operationId: 'getPolicy',
        tags: ['policy'],
        summary: 'The policy in force',
        response: { 200: PolicyResponse, ...problemResponses(401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const stored = await loadPolicy(deps.store, principalOf(request).tenantId);
      return {
        version: stored.version,
        source: stored.source,
        policy: stored.policy as unknown as Record<string, unknown>,
        warnings: [],
      };
    },
  );

  app.put(
    '/policy',
    {
      schema: {
        operationId: 'setPolicy',
        tags: ['policy'],
        summary: 'Check a policy document and store it as the new version (admin)',
        body: z
          .record(z.string(), z.unknown())
          .describe('the policy document (as `perennial policy set` reads)'),
        response: { 200: PolicyResponse, ...problemResponses(400, 401, 403, 422) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin') },
    },
    async (request) => {
      const principal = principalOf(request);
      const check = checkPolicy(request.body);
      if (!check.ok || !check.policy) throw new PolicyError('the policy has errors', check);
      const policy = check.policy;
      const now = deps.now();
      const version = await deps.store.transaction(async (tx) => {
        const before = await loadPolicy(tx, principal.tenantId);
        const stored = await savePolicy({
          session: tx,
          tenantId: principal.tenantId,
          policy,
          createdBy: principal.userId,
        });
        if (stored !== before.version) {
          await writeAuditEntry(tx, {
            tenantId: principal.tenantId,
            at: now,
            actor: principal.userId,
            action: 'update',
            entity: 'policy',
            entityId: principal.tenantId,
            changes: { version: { old: before.version, new: stored } },
          });
        }
        return stored;
      });
      return {
        version,
        source: 'store' as const,
        policy: policy as unknown as Record<string, unknown>,
        warnings: check.warnings,
      };
    },
  );
}
