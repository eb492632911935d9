/**
 * Finds a record in the caller's tenant and the people on it (owners, and those owners' managers),
 * for the authorization check that runs before any handler. Null means "no such record in this
 * tenant" — the caller answers 404 whether it exists elsewhere or not at all.
 */
import type { SqlSession } from '../../store/store.ts';

export const RECORD_KINDS = [
  'account',
  'contract',
  'renewal',
  'task',
  'account_team',
  'stakeholder',
  'user',
  'webhook',
  'token',
  'import',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export type RecordScope = { owners: string[]; managers: string[] };

const OWNERS_SQL: Record<RecordKind, string> = {
  account: `SELECT ARRAY[a.owner_csm, a.owner_sales] AS owners FROM accounts a
             WHERE a.tenant_id = $1 AND a.account_id = $2`,
  contract: `SELECT ARRAY[a.owner_csm, a.owner_sales] AS owners FROM contracts c
              JOIN accounts a ON a.tenant_id = c.tenant_id AND a.account_id = c.account_id
             WHERE c.tenant_id = $1 AND c.contract_id = $2`,
  renewal: `SELECT ARRAY[r.owner_user_id, a.owner_csm, a.owner_sales] AS owners FROM renewals r
              JOIN accounts a ON a.tenant_id = r.tenant_id AND a.account_id = r.account_id
             WHERE r.tenant_id = $1 AND r.contract_id = $2`,
  task: `SELECT ARRAY[t.owner_user_id, r.owner_user_id, a.owner_csm, a.owner_sales] AS owners FROM tasks t
           LEFT JOIN renewals r ON r.tenant_id = t.tenant_id AND r.contract_id = t.contract_id
           LEFT JOIN accounts a ON a.tenant_id = t.tenant_id AND a.account_id = t.account_id
          WHERE t.tenant_id = $1 AND t.id = $2::bigint`,
  // The people who work the account: its owners and the owners of its open renewals.
  account_team: `SELECT ARRAY[a.owner_csm, a.owner_sales] || ARRAY(
                   SELECT r.owner_user_id FROM renewals r
                    WHERE r.tenant_id = a.tenant_id AND r.account_id = a.account_id AND r.outcome = 'pending') AS owners
                   FROM accounts a WHERE a.tenant_id = $1 AND a.account_id = $2`,
  stakeholder: `SELECT ARRAY[a.owner_csm, a.owner_sales] || ARRAY(
                  SELECT r.owner_user_id FROM renewals r
                   WHERE r.tenant_id = a.tenant_id AND r.account_id = a.account_id AND r.outcome = 'pending') AS owners
                  FROM stakeholders s JOIN accounts a ON a.tenant_id = s.tenant_id AND a.account_id = s.account_id
                 WHERE s.tenant_id = $1 AND s.stakeholder_id = $2`,
  user: 'SELECT ARRAY[u.user_id] AS owners FROM users u WHERE u.tenant_id = $1 AND u.user_id = $2',
  webhook: `SELECT ARRAY[]::text[] AS owners FROM webhooks w WHERE w.tenant_id = $1 AND w.id = $2::bigint`,
  token: 'SELECT ARRAY[t.user_id] AS owners FROM api_tokens t WHERE t.tenant_id = $1 AND t.id = $2::bigint',
  import: `SELECT ARRAY[]::text[] AS owners FROM import_runs i WHERE i.tenant_id = $1 AND i.id = $2::bigint`,
};

const NUMERIC_IDS: ReadonlySet<RecordKind> = new Set(['task', 'webhook', 'token', 'import']);

export async function findRecordScope(
  session: SqlSession,
  tenantId: string,
  kind: RecordKind,
  id: string,
): Promise<RecordScope | null> {
  if (NUMERIC_IDS.has(kind) && !/^[1-9][0-9]{0,17}$/.test(id)) return null;
  const [row] = await session.query<{ owners: (string | null)[] }>(OWNERS_SQL[kind], [tenantId, id]);
  if (!row) return null;
  const owners = [...new Set(row.owners.filter((owner): owner is string => owner !== null))];
  if (owners.length === 0) return { owners, managers: [] };
  const managers = await session.query<{ manager_id: string }>(
    `SELECT DISTINCT manager_id FROM users WHERE tenant_id = $1 AND user_id = ANY($2) AND manager_id IS NOT NULL`,
    [tenantId, owners],
  );
  return { owners, managers: managers.map((m) => m.manager_id) };
}
