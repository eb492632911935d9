/** Accounts: the list, one account with its contracts and people, and its health history. */
import { formatMoney } from '../../domain/money.ts';
import type { SqlSession } from '../../store/store.ts';
import { decodeCursor, type Page, params, toPage } from './page.ts';

export type AccountView = {
  accountId: string;
  name: string;
  industry: string | null;
  country: string | null;
  currency: string;
  fiscalYearStartMonth: number;
  segmentOverride: string | null;
  strategic: boolean;
  ownerCsm: string | null;
  ownerSales: string | null;
  timezone: string;
  attributes: Record<string, string>;
  health: { score: number; band: string; asOf: string } | null;
};

type AccountRow = {
  account_id: string;
  name: string;
  industry: string | null;
  country: string | null;
  currency: string;
  fiscal_year_start_month: number;
  segment_override: string | null;
  strategic: boolean;
  owner_csm: string | null;
  owner_sales: string | null;
  timezone: string;
  attributes: Record<string, string>;
  health_score: number | null;
  health_band: string | null;
  health_as_of: string | null;
};

const ACCOUNT_SELECT = `SELECT a.account_id, a.name, a.industry, a.country, a.currency, a.fiscal_year_start_month,
    a.segment_override, a.strategic, a.owner_csm, a.owner_sales, a.timezone, a.attributes,
    h.score AS health_score, h.band AS health_band, h.as_of AS health_as_of
  FROM accounts a
  LEFT JOIN LATERAL (SELECT score, band, as_of FROM health_snapshots s
     WHERE s.tenant_id = a.tenant_id AND s.account_id = a.account_id ORDER BY as_of DESC LIMIT 1) h ON true`;

function toAccountView(row: AccountRow): AccountView {
  return {
    accountId: row.account_id,
    name: row.name,
    industry: row.industry,
    country: row.country,
    currency: row.currency,
    fiscalYearStartMonth: row.fiscal_year_start_month,
    segmentOverride: row.segment_override,
    strategic: row.strategic,
    ownerCsm: row.owner_csm,
    ownerSales: row.owner_sales,
    timezone: row.timezone,
    attributes: row.attributes,
    health:
      row.health_score === null
        ? null
        : { score: row.health_score, band: row.health_band!, asOf: row.health_as_of! },
  };
}

export async function listAccounts({
  session,
  tenantId,
  filters,
  cursor = null,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  filters: { ownerUserId?: string | undefined; band?: string | undefined; q?: string | undefined };
  cursor?: string | null;
  limit: number;
}): Promise<Page<AccountView>> {
  const { list, p } = params();
  const where = [`a.tenant_id = ${p(tenantId)}`];
  if (filters.ownerUserId) {
    const owner = p(filters.ownerUserId);
    where.push(`(a.owner_csm = ${owner} OR a.owner_sales = ${owner})`);
  }
  if (filters.band) where.push(`h.band = ${p(filters.band)}`);
  if (filters.q) where.push(`a.name ILIKE ${p(`%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  if (cursor) {
    const [name, id] = decodeCursor(cursor, 2);
    where.push(`(a.name, a.account_id) > (${p(String(name))}, ${p(String(id))})`);
  }
  const rows = await session.query<AccountRow>(
    `${ACCOUNT_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.name, a.account_id LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(rows, limit, (row) => [row.name, row.account_id], toAccountView);
}

export async function getAccount(
  session: SqlSession,
  tenantId: string,
  accountId: string,
): Promise<AccountView | null> {
  const [row] = await session.query<AccountRow>(
    `${ACCOUNT_SELECT} WHERE a.tenant_id = $1 AND a.account_id = $2`,
    [tenantId, accountId],
  );
  return row ? toAccountView(row) : null;
}

export type HealthPoint = {
  asOf: string;
  score: number;
  band: string;
  drivers: { factor: string; impact: number; detail: string }[];
};

/** Daily health snapshots, newest first, with the drivers that explain each score. */
export async function listHealthHistory({
  session,
  tenantId,
  accountId,
  from,
  cursor = null,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  accountId: string;
  from?: string | undefined;
  cursor?: string | null;
  limit: number;
}): Promise<Page<HealthPoint>> {
  const { list, p } = params();
  const where = [`tenant_id = ${p(tenantId)}`, `account_id = ${p(accountId)}`];
  if (from) where.push(`as_of >= ${p(from)}::date`);
  if (cursor) {
    const [asOf] = decodeCursor(cursor, 1);
    where.push(`as_of < ${p(asOf)}::date`);
  }
  const rows = await session.query<{
    as_of: string;
    score: number;
    band: string;
    drivers: HealthPoint['drivers'];
  }>(
    `SELECT as_of, score, band, drivers FROM health_snapshots WHERE ${where.join(' AND ')}
      ORDER BY as_of DESC LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(
    rows,
    limit,
    (row) => [row.as_of],
    (row) => ({
      asOf: row.as_of,
      score: row.score,
      band: row.band,
      drivers: Array.isArray(row.drivers) ? row.drivers : [],
    }),
  );
}

export type ContractView = {
  contractId: string;
  accountId: string;
  startDate: string;
  endDate: string;
  arr: { amount: string; currency: string };
  seats: number | null;
  autoRenew: boolean;
  paymentOnFile: boolean;
  noticeDays: number | null;
  status: string;
  previousContractId: string | null;
};

type ContractRow = {
  contract_id: string;
  account_id: string;
  start_date: string;
  end_date: string;
  arr_minor: number;
  currency: string;
  seats: number | null;
  auto_renew: boolean;
  payment_on_file: boolean;
  notice_days: number | null;
  status: string;
  previous_contract_id: string | null;
};

const CONTRACT_SELECT = `SELECT contract_id, account_id, start_date, end_date, arr_minor, currency, seats, auto_renew,
    payment_on_file, notice_days, status, previous_contract_id FROM contracts`;

function toContractView(row: ContractRow): ContractView {
  return {
    contractId: row.contract_id,
    accountId: row.account_id,
    startDate: row.start_date,
    endDate: row.end_date,
    arr: formatMoney({ minor: Number(row.arr_minor), currency: row.currency }),
    seats: row.seats,
    autoRenew: row.auto_renew,
    paymentOnFile: row.payment_on_file,
    noticeDays: row.notice_days,
    status: row.status,
    previousContractId: row.previous_contract_id,
  };
}

export async function listContracts({
  session,
  tenantId,
  filters,
  cursor = null,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  filters: {
    accountId?: string | undefined;
    status?: string | undefined;
    endFrom?: string | undefined;
    endTo?: string | undefined;
  };
  cursor?: string | null;
  limit: number;
}): Promise<Page<ContractView>> {
  const { list, p } = params();
  const where = [`tenant_id = ${p(tenantId)}`];
  if (filters.accountId) where.push(`account_id = ${p(filters.accountId)}`);
  if (filters.status) where.push(`status = ${p(filters.status)}`);
  if (filters.endFrom) where.push(`end_date >= ${p(filters.endFrom)}::date`);
  if (filters.endTo) where.push(`end_date <= ${p(filters.endTo)}::date`);
  if (cursor) {
    const [end, id] = decodeCursor(cursor, 2);
    where.push(`(end_date, contract_id) > (${p(end)}::date, ${p(String(id))})`);
  }
  const rows = await session.query<ContractRow>(
    `${CONTRACT_SELECT} WHERE ${where.join(' AND ')} ORDER BY end_date, contract_id LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(rows, limit, (row) => [row.end_date, row.contract_id], toContractView);
}

export async function getContract(
  session: SqlSession,
  tenantId: string,
  contractId: string,
): Promise<ContractView | null> {
  const [row] = await session.query<ContractRow>(
    `${CONTRACT_SELECT} WHERE tenant_id = $1 AND contract_id = $2`,
    [tenantId, contractId],
  );
  return row ? toContractView(row) : null;
}
