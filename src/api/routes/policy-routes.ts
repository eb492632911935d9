/**
 * The renewal policy: everyone reads the version in force; an admin stores a new version (under
 * If-Match when the caller sends the version it edited); admins and managers preview what a
 * candidate would change before anyone stores it.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ADMIN_ONLY, ALL_ROLES, MANAGING_ROLES } from '../../auth/roles.ts';
import { checkPolicy, type PolicyCheck } from '../../domain/policy/check-policy.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { loadPolicy, PolicyError, savePolicy } from '../../engine/policy-store.ts';
import { previewPolicyImpact } from '../../engine/preview-policy-impact.ts';
import { writeAuditEntry } from '../../engine/queries/audit-trail.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import { setEtag } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { todayOf } from './workspace-routes.ts';

const IssueSchema = z.object({ path: z.string(), message: z.string() });

const PolicyResponse = z
  .object({
    version: z.number().int().describe('0 = the built-in default'),
    source: z.enum(['default', 'store']),
    policy: z.record(z.string(), z.unknown()),
    warnings: z.array(IssueSchema),
  })
  .meta({ id: 'PolicyInForce' });

const PolicyDocument = z
  .record(z.string(), z.unknown())
  .describe('the policy document (as `perennial policy set` reads)');

const IfMatch = z.object({
  'if-match': z
    .string()
    .optional()
    .describe(
      'the version you edited, as the ETag GET /policy handed out; 409 when another was stored since',
    ),
});

const Example = z.object({
  accountId: z.string(),
  accountName: z.string(),
  contractId: z.string().nullable(),
  scoreBefore: z.number(),
  scoreAfter: z.number(),
});
const Move = z.object({
  from: z.string(),
  to: z.string(),
  count: z.number().int(),
  examples: z.array(Example),
});
const Flip = z.object({ count: z.number().int(), examples: z.array(Example) });
const BandCounts = z.object({ green: z.number().int(), yellow: z.number().int(), red: z.number().int() });

const PolicyPreviewResponse = z
  .object({
    asOf: z.string(),
    currentVersion: z.number().int().describe('the version the candidate is compared with (0 = default)'),
    warnings: z.array(IssueSchema).describe('values the product accepts but the guides advise against'),
    accounts: z.number().int().describe('accounts evaluated: those with an open renewal'),
    openRenewals: z.number().int().describe('open renewals compared'),
    bands: z.object({ before: BandCounts, after: BandCounts }),
    healthMoves: z.array(Move).describe('accounts moving between health bands, largest first'),
    segmentMoves: z.array(Move),
    forecastMoves: z
      .array(Move)
      .describe("open renewals whose model forecast category changes (from the engine's prior probability)"),
    earlyRenewal: z.object({ gained: Flip, lost: Flip }),
    atRisk: z.object({ gained: Flip, lost: Flip }),
  })
  .meta({ id: 'PolicyPreview' });

/** Checks a document exactly as PUT does: errors (with their paths) answer 422. */
function checkedPolicy(body: unknown): { policy: Policy; check: PolicyCheck } {
  const check = checkPolicy(body);
  if (!check.ok || !check.policy) throw new PolicyError('the policy has errors', check);
  return { policy: check.policy, check };
}

/** The version named by If-Match, or null when the caller sent none. */
function ifMatchVersion(request: FastifyRequest): number | null {
  const header = request.headers['if-match'];
  if (typeof header !== 'string') return null;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw new ApiError('invalid_request', 'If-Match must be an ETag this API handed out, e.g. "7"');
  return Number(match[1]);
}

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
    async (request, reply) => {
      const stored = await loadPolicy(deps.store, principalOf(request).tenantId);
      setEtag(reply, stored.version);
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
        summary:
          'Check a policy document and store it as the new version (admin); with If-Match, 409 when another version was stored since',
        headers: IfMatch,
        body: PolicyDocument,
        response: { 200: PolicyResponse, ...problemResponses(400, 401, 403, 409, 422) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin') },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const expected = ifMatchVersion(request);
      const { policy, check } = checkedPolicy(request.body);
      const now = deps.now();
      const version = await deps.store.transaction(async (tx) => {
        // Two admins saving at once: the second waits here, then sees the first one's version.
        await tx.query('SELECT id FROM tenants WHERE id = $1 FOR UPDATE', [principal.tenantId]);
        const before = await loadPolicy(tx, principal.tenantId);
        if (expected !== null && expected !== before.version) {
          throw new ApiError(
            'version_conflict',
            `the policy is now at version ${before.version}; your edit was based on version ${expected}. Reload it and apply your change again.`,
            { currentVersion: before.version },
          );
        }
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
      setEtag(reply, version);
      return {
        version,
        source: 'store' as const,
        policy: policy as unknown as Record<string, unknown>,
        warnings: check.warnings,
      };
    },
  );

  app.post(
    '/policy/preview',
    {
      schema: {
        operationId: 'previewPolicy',
        tags: ['policy'],
        summary:
          'What a candidate policy would change (health bands, segments, forecast categories, early renewal) — nothing is stored',
        body: PolicyDocument,
        response: { 200: PolicyPreviewResponse, ...problemResponses(400, 401, 403, 422) },
      },
      config: { access: allow(MANAGING_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      const { policy: candidate, check } = checkedPolicy(request.body);
      const current = await loadPolicy(deps.store, principal.tenantId);
      const impact = await previewPolicyImpact({
        store: deps.store,
        tenantId: principal.tenantId,
        current: current.policy,
        candidate,
        asOf: await todayOf(deps, principal.tenantId),
      });
      return { ...impact, currentVersion: current.version, warnings: check.warnings };
    },
  );
}
