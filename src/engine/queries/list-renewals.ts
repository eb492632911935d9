/** The renewals list: filters people work by, a choice of sort, keyset pages. */
import type { SqlSession } from '../../store/store.ts';
import { decodeCursor, type Page, params, toPage } from './page.ts';
import { RENEWAL_SELECT, type RenewalRow, type RenewalView, toRenewalView } from './renewal-view.ts';

const DUE = 'coalesce(r.due_date, c.end_date)';

export const RENEWAL_SORTS = {
  dueDate: { expr: DUE, cast: 'date', key: (row: RenewalRow) => row.due },
  arr: { expr: 'c.arr_minor', cast: 'bigint', key: (row: RenewalRow) => Number(row.arr_minor) },
  health: {
    expr: 'coalesce(r.health_score, -1)',
    cast: 'int',
    key: (row: RenewalRow) => row.health_score ?? -1,
  },
  probability: {
    expr: 'coalesce(r.probability, -1)',
    cast: 'float8',
    key: (row: RenewalRow) => row.probability ?? -1,
  },
  accountName: { expr: 'a.name', cast: 'text', key: (row: RenewalRow) => row.account_name },
} as const;
export type RenewalSort = keyof typeof RENEWAL_SORTS;

export type RenewalFilters = {
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
  segment?: string | undefined;
  band?: string | undefined;
  ownerUserId?: string | undefined;
  stage?: string | undefined;
  riskFlag?: string | undefined;
  atRisk?: boolean | undefined;
  status?: 'open' | 'closed' | undefined;
  accountId?: string | undefined;
  category?: string | undefined;
};

/**
 * The due date is the renewal's or, for closed history the engine never dated, its contract's end: two
 * index orders (renewals by due date, contracts by end date), each cut at the page size, then merged —
 * instead of sorting every renewal of the tenant for one page. When a filter on the renewal itself is
 * given, the undated branch starts from the renewals that pass it (few, often none: open renewals are
 * dated) rather than walking every contract in end-date order looking for them.
 *
 * The page is chosen on keys alone (the dated branch reads renewals only, the undated one renewals and
 * contracts); accounts and the rest of the row are joined for the page's rows after the LIMIT, so no
 * plan can hash the tenant's accounts to find 50 renewals.
 */
function dueDateQuery(where: readonly string[], direction: string, take: string): string {
  const dated = where.join(' AND ').replaceAll(DUE, 'r.due_date');
  const onRenewal = where.filter((condition) => !condition.includes(DUE));
  const onDate = where
    .filter((condition) => condition.includes(DUE))
    .map((c) => c.replaceAll(DUE, 'c.end_date'));
  const contracts = 'JOIN contracts c ON c.tenant_id = r.tenant_id AND c.contract_id = r.contract_id';
  const undated =
    onRenewal.length > 1
      ? `SELECT r.contract_id, c.end_date AS due
           FROM (SELECT r.tenant_id, r.contract_id FROM renewals r
                  WHERE r.due_date IS NULL AND ${onRenewal.join(' AND ')} OFFSET 0) r ${contracts}
           ${onDate.length > 0 ? `WHERE ${onDate.join(' AND ')}` : ''}`
      : `SELECT r.contract_id, c.end_date AS due FROM renewals r ${contracts}
          WHERE r.due_date IS NULL AND ${where.join(' AND ').replaceAll(DUE, 'c.end_date')}`;
  return `WITH page AS MATERIALIZED (
      SELECT * FROM (
        (SELECT r.contract_id, r.due_date AS due FROM renewals r WHERE r.due_date IS NOT NULL AND ${dated}
          ORDER BY r.due_date ${direction}, r.contract_id ${direction} LIMIT ${take})
        UNION ALL
        (${undated} ORDER BY c.end_date ${direction}, c.contract_id ${direction} LIMIT ${take})
      ) u ORDER BY due ${direction}, contract_id ${direction} LIMIT ${take})
    ${RENEWAL_SELECT} JOIN page ON page.contract_id = r.contract_id
     WHERE ${where[0]} ORDER BY page.due ${direction}, page.contract_id ${direction}`;
}

export async function listRenewals({
  session,
  tenantId,
  filters,
  sort = 'dueDate',
  descending = false,
  cursor = null,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  filters: RenewalFilters;
  sort?: RenewalSort;
  descending?: boolean;
  cursor?: string | null;
  limit: number;
}): Promise<Page<RenewalView>> {
  const { list, p } = params();
  const order = RENEWAL_SORTS[sort];
  const where = [`r.tenant_id = ${p(tenantId)}`];
  if (filters.dueFrom) where.push(`${DUE} >= ${p(filters.dueFrom)}::date`);
  if (filters.dueTo) where.push(`${DUE} <= ${p(filters.dueTo)}::date`);
  if (filters.segment) where.push(`r.segment = ${p(filters.segment)}`);
  if (filters.band) where.push(`r.health_band = ${p(filters.band)}`);
  if (filters.ownerUserId) where.push(`r.owner_user_id = ${p(filters.ownerUserId)}`);
  if (filters.stage) where.push(`r.stage = ${p(filters.stage)}`);
  // Containment rather than `= ANY(…)`: the same rows, and a GIN index on risk_flags can answer it.
  if (filters.riskFlag) where.push(`r.risk_flags @> ARRAY[${p(filters.riskFlag)}]::text[]`);
  if (filters.atRisk !== undefined) where.push(`r.at_risk_since IS ${filters.atRisk ? 'NOT ' : ''}NULL`);
  if (filters.status === 'open') where.push(`r.outcome = 'pending'`);
  if (filters.status === 'closed') where.push(`r.outcome <> 'pending'`);
  if (filters.accountId) where.push(`r.account_id = ${p(filters.accountId)}`);
  if (filters.category) where.push(`coalesce(r.csm_category, r.forecast_category) = ${p(filters.category)}`);
  const direction = descending ? 'DESC' : 'ASC';
  if (cursor) {
    const [value, id] = decodeCursor(cursor, 2);
    where.push(
      `(${order.expr}, r.contract_id) ${descending ? '<' : '>'} (${p(value)}::${order.cast}, ${p(String(id))})`,
    );
  }
  const take = p(limit + 1);
  const rows = await session.query<RenewalRow>(
    sort === 'dueDate'
      ? dueDateQuery(where, direction, take)
      : `${RENEWAL_SELECT} WHERE ${where.join(' AND ')}
         ORDER BY ${order.expr} ${direction}, r.contract_id ${direction} LIMIT ${take}`,
    list,
  );
  return toPage(rows, limit, (row) => [order.key(row), row.contract_id], toRenewalView);
}
