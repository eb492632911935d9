/**
 * The policy in force for a tenant: the highest stored version, or the built-in default (the domain
 * brief's values) when none was set. `setPolicy` stores a new version only when the document checks.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { checkPolicy, type PolicyCheck } from '../domain/policy/check-policy.ts';
import { DEFAULT_POLICY, type Policy } from '../domain/policy/policy-schema.ts';
import type { SqlSession } from '../store/store.ts';

export type StoredPolicy = { policy: Policy; version: number; source: 'default' | 'store' };

export class PolicyError extends Error {
  readonly code = 'policy_invalid';
  constructor(
    message: string,
    readonly check: PolicyCheck | null,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Reads a YAML or JSON policy file and checks it; throws PolicyError listing every violation. */
export async function readPolicyFile(file: string): Promise<{ policy: Policy; check: PolicyCheck }> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PolicyError(`${file}: ${(error as Error).message}`, null);
  }
  const check = checkPolicy(raw ?? {});
  if (!check.ok || !check.policy) {
    const lines = check.errors.map(({ path, message }) => `${file}: ${path || '(root)'}: ${message}`);
    throw new PolicyError(lines.join('\n'), check);
  }
  return { policy: check.policy, check };
}

export async function loadPolicy(session: SqlSession, tenantId: string): Promise<StoredPolicy> {
  const [row] = await session.query<{ version: number; document: unknown }>(
    'SELECT version, document FROM policies WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1',
    [tenantId],
  );
  if (!row) return { policy: DEFAULT_POLICY, version: 0, source: 'default' };
  const check = checkPolicy(row.document);
  if (!check.ok || !check.policy) {
    throw new PolicyError(
      `stored policy version ${row.version} no longer checks: ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      check,
    );
  }
  return { policy: check.policy, version: row.version, source: 'store' };
}

export async function savePolicy({
  session,
  tenantId,
  policy,
  createdBy,
}: {
  session: SqlSession;
  tenantId: string;
  policy: Policy;
  createdBy: string | null;
}): Promise<number> {
  const current = await loadPolicy(session, tenantId);
  if (current.source === 'store' && JSON.stringify(current.policy) === JSON.stringify(policy))
    return current.version;
  await session.execute('INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [
    tenantId,
  ]);
  const [row] = await session.query<{ version: number }>(
    `INSERT INTO policies (tenant_id, version, document, created_by)
     SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM policies WHERE tenant_id = $1
     RETURNING version`,
    [tenantId, JSON.stringify(policy), createdBy],
  );
  return row!.version;
}
