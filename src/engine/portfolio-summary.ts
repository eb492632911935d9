/** A one-screen picture of the book after a run: health bands, what is due, what is at risk. */
import { addDays, type CalendarDate } from '../domain/calendar.ts';
import { formatMinor } from '../domain/money.ts';
import type { SqlSession } from '../store/store.ts';

export type PortfolioSummary = {
  asOf: CalendarDate;
  accounts: number;
  bands: Record<'green' | 'yellow' | 'red', number>;
  renewalsDue90: number;
  atRisk: { contractId: string; accountName: string; dueDate: string; arr: string; flags: string[] }[];
  openTasks: number;
  overdueTasks: number;
  queuedEmails: number;
};

export async function summarizePortfolio(
  session: SqlSession,
  tenantId: string,
  asOf: CalendarDate,
): Promise<PortfolioSummary> {
  const [counts] = await session.query<{ accounts: number; green: number; yellow: number; red: number }>(
    `SELECT count(*)::int AS accounts,
            (count(*) FILTER (WHERE band = 'green'))::int AS green,
            (count(*) FILTER (WHERE band = 'yellow'))::int AS yellow,
            (count(*) FILTER (WHERE band = 'red'))::int AS red
       FROM health_snapshots WHERE tenant_id = $1 AND as_of = $2`,
    [tenantId, asOf],
  );
  const [due] = await session.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM renewals
      WHERE tenant_id = $1 AND outcome = 'pending' AND due_date BETWEEN $2 AND $3`,
    [tenantId, asOf, addDays(asOf, 90)],
  );
  const atRisk = await session.query<{
    contract_id: string;
    name: string;
    due_date: string;
    arr_minor: number;
    currency: string;
    risk_flags: string[];
  }>(
    `SELECT r.contract_id, a.name, r.due_date, c.arr_minor, c.currency, r.risk_flags
       FROM renewals r
       JOIN contracts c ON c.tenant_id = r.tenant_id AND c.contract_id = r.contract_id
       JOIN accounts a ON a.tenant_id = r.tenant_id AND a.account_id = r.account_id
      WHERE r.tenant_id = $1 AND r.outcome = 'pending' AND r.at_risk_since IS NOT NULL
      ORDER BY r.due_date, r.contract_id LIMIT 8`,
    [tenantId],
  );
  const [tasks] = await session.query<{ open: number; overdue: number }>(
    `SELECT (count(*) FILTER (WHERE status = 'open'))::int AS open,
            (count(*) FILTER (WHERE status = 'open' AND due_date < $2))::int AS overdue
       FROM tasks WHERE tenant_id = $1`,
    [tenantId, asOf],
  );
  const [emails] = await session.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND status = 'queued'",
    [tenantId],
  );
  return {
    asOf,
    accounts: counts?.accounts ?? 0,
    bands: { green: counts?.green ?? 0, yellow: counts?.yellow ?? 0, red: counts?.red ?? 0 },
    renewalsDue90: due?.n ?? 0,
    atRisk: atRisk.map((row) => ({
      contractId: row.contract_id,
      accountName: row.name,
      dueDate: row.due_date,
      arr: `${formatMinor(row.arr_minor, row.currency)} ${row.currency}`,
      flags: row.risk_flags,
    })),
    openTasks: tasks?.open ?? 0,
    overdueTasks: tasks?.overdue ?? 0,
    queuedEmails: emails?.n ?? 0,
  };
}
