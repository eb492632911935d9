/**
 * Reads account snapshots from the store in batches (keyset pagination by account id), one query per
 * table per batch, so the daily run's memory is flat in the number of accounts.
 */
import { addDays, type CalendarDate } from '../domain/calendar.ts';
import type {
  AccountRecord,
  AccountSnapshot,
  ContractRecord,
  RenewalRecord,
  SignalRecord,
  StakeholderRecord,
  SurveyRecord,
  TicketRecord,
  UsageRecord,
  UserRecord,
} from '../domain/records.ts';
import type { SqlSession } from '../store/store.ts';
import { HISTORY_DAYS } from './load-csv-portfolio.ts';

type Row = Record<string, unknown>;

const str = (value: unknown) => value as string;
const strOrNull = (value: unknown) => (value ?? null) as string | null;
const numOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function toAccount(row: Row): AccountRecord {
  return {
    accountId: str(row.account_id),
    name: str(row.name),
    industry: strOrNull(row.industry),
    country: strOrNull(row.country),
    currency: str(row.currency),
    fiscalYearStartMonth: Number(row.fiscal_year_start_month),
    segmentOverride: strOrNull(row.segment_override) as AccountRecord['segmentOverride'],
    strategic: Boolean(row.strategic),
    ownerCsm: strOrNull(row.owner_csm),
    ownerSales: strOrNull(row.owner_sales),
    timezone: str(row.timezone),
    attributes: (row.attributes ?? {}) as Record<string, string>,
  };
}

function toContract(row: Row): ContractRecord {
  return {
    contractId: str(row.contract_id),
    accountId: str(row.account_id),
    startDate: str(row.start_date),
    endDate: str(row.end_date),
    arrMinor: Number(row.arr_minor),
    currency: str(row.currency),
    seats: numOrNull(row.seats),
    autoRenew: Boolean(row.auto_renew),
    paymentOnFile: Boolean(row.payment_on_file),
    noticeDays: numOrNull(row.notice_days),
    status: str(row.status) as ContractRecord['status'],
    previousContractId: strOrNull(row.previous_contract_id),
  };
}

const toUsage = (row: Row): UsageRecord => ({
  accountId: str(row.account_id),
  date: str(row.date),
  activeUsers: Number(row.active_users),
  licensedSeats: numOrNull(row.licensed_seats),
  coreFeatureAdoptionPct: numOrNull(row.core_feature_adoption_pct),
});

const toTicket = (row: Row): TicketRecord => ({
  ticketId: str(row.ticket_id),
  accountId: str(row.account_id),
  openedOn: str(row.opened_on),
  closedOn: strOrNull(row.closed_on),
  priority: str(row.priority) as TicketRecord['priority'],
  csat: numOrNull(row.csat),
});

const toSurvey = (row: Row): SurveyRecord => ({
  accountId: str(row.account_id),
  date: str(row.date),
  kind: str(row.kind) as SurveyRecord['kind'],
  score: Number(row.score),
  comment: strOrNull(row.comment),
});

const toStakeholder = (row: Row): StakeholderRecord => ({
  stakeholderId: str(row.stakeholder_id),
  accountId: str(row.account_id),
  name: str(row.name),
  email: strOrNull(row.email),
  role: str(row.role) as StakeholderRecord['role'],
  strength: strOrNull(row.strength) as StakeholderRecord['strength'],
  stance: strOrNull(row.stance) as StakeholderRecord['stance'],
  lastContactOn: strOrNull(row.last_contact_on),
  leftOn: strOrNull(row.left_on),
});

const toSignal = (row: Row): SignalRecord => ({
  accountId: str(row.account_id),
  date: str(row.date),
  kind: str(row.kind) as SignalRecord['kind'],
  note: strOrNull(row.note),
});

const toRenewal = (row: Row): RenewalRecord => ({
  contractId: str(row.contract_id),
  outcome: str(row.outcome) as RenewalRecord['outcome'],
  closedOn: strOrNull(row.closed_on),
  stage: strOrNull(row.stage),
  renewedArrMinor: numOrNull(row.renewed_arr_minor),
  termYears: numOrNull(row.term_years),
  reasons: (row.reasons ?? []) as string[],
  competitor: strOrNull(row.competitor),
  signedDaysEarly: numOrNull(row.signed_days_early),
});

/** The renewal rows of some accounts, by account (re-read after the daily run wrote a batch). */
export async function loadRenewals(
  session: SqlSession,
  tenantId: string,
  accountIds: readonly string[],
): Promise<Map<string, RenewalRecord[]>> {
  const rows = await session.query<Row>(
    'SELECT * FROM renewals WHERE tenant_id = $1 AND account_id = ANY($2)',
    [tenantId, accountIds],
  );
  const byAccount = new Map<string, RenewalRecord[]>();
  for (const row of rows) {
    const list = byAccount.get(str(row.account_id)) ?? [];
    list.push(toRenewal(row));
    byAccount.set(str(row.account_id), list);
  }
  return byAccount;
}

export async function loadUsers(session: SqlSession, tenantId: string): Promise<UserRecord[]> {
  const rows = await session.query<Row>(
    'SELECT user_id, name, email, role, manager_id FROM users WHERE tenant_id = $1 AND NOT disabled ORDER BY user_id',
    [tenantId],
  );
  return rows.map((row) => ({
    userId: str(row.user_id),
    name: str(row.name),
    email: str(row.email),
    role: str(row.role) as UserRecord['role'],
    managerId: strOrNull(row.manager_id),
  }));
}

export async function* loadStoreSnapshots({
  session,
  tenantId,
  asOf,
  batchSize = 1000,
  accountIds,
}: {
  session: SqlSession;
  tenantId: string;
  /** Usage, tickets and surveys within the engine's look-back before this day; all history when omitted. */
  asOf?: CalendarDate;
  batchSize?: number;
  /** Only these accounts (an incremental run); all accounts when omitted. */
  accountIds?: readonly string[];
}): AsyncGenerator<AccountSnapshot[]> {
  const since = asOf === undefined ? null : addDays(asOf, -HISTORY_DAYS);
  let after = '';
  while (true) {
    const accounts = await session.query<Row>(
      `SELECT * FROM accounts WHERE tenant_id = $1 AND account_id > $2
         ${accountIds ? 'AND account_id = ANY($4)' : ''}
       ORDER BY account_id LIMIT $3`,
      accountIds ? [tenantId, after, batchSize, accountIds] : [tenantId, after, batchSize],
    );
    if (accounts.length === 0) return;
    const ids = accounts.map((row) => str(row.account_id));
    const byId = new Map<string, AccountSnapshot>();
    for (const row of accounts) {
      byId.set(str(row.account_id), {
        account: toAccount(row),
        contracts: [],
        usage: [],
        tickets: [],
        surveys: [],
        stakeholders: [],
        signals: [],
        renewals: [],
      });
    }
    const params = [tenantId, ids];
    const windowed = since === null ? params : [tenantId, ids, since, asOf];
    const within = (column: string) => (since === null ? '' : ` AND ${column} >= $3 AND ${column} <= $4`);
    // One after another: a transaction is one connection, and pg does not pipeline queries on it.
    const select = (table: string, where: string, values: unknown[], order = '') =>
      session.query<Row>(
        `SELECT * FROM ${table} WHERE tenant_id = $1 AND account_id = ANY($2)${where}${order}`,
        values,
      );
    const contracts = await select('contracts', '', params);
    const usage = await select('usage', within('date'), windowed, ' ORDER BY account_id, date');
    const tickets = await select('tickets', within('opened_on'), windowed);
    const surveys = await select('surveys', within('date'), windowed);
    const stakeholders = await select('stakeholders', '', params);
    const signals =
      asOf === undefined
        ? await select('signals', '', params)
        : await select('signals', ' AND date <= $3', [tenantId, ids, asOf]);
    const renewals = await select('renewals', '', params);
    for (const row of contracts) byId.get(str(row.account_id))?.contracts.push(toContract(row));
    for (const row of usage) byId.get(str(row.account_id))?.usage.push(toUsage(row));
    for (const row of tickets) byId.get(str(row.account_id))?.tickets.push(toTicket(row));
    for (const row of surveys) byId.get(str(row.account_id))?.surveys.push(toSurvey(row));
    for (const row of stakeholders) byId.get(str(row.account_id))?.stakeholders.push(toStakeholder(row));
    for (const row of signals) byId.get(str(row.account_id))?.signals.push(toSignal(row));
    for (const row of renewals) byId.get(str(row.account_id))?.renewals.push(toRenewal(row));
    yield [...byId.values()];
    after = ids[ids.length - 1]!;
    if (accounts.length < batchSize) return;
  }
}
