/**
 * What a manager looks at for a team: renewals that are slipping (due date passed, still open),
 * stalled (due soon but not yet at a late stage, or marked stalled) or behind on their playbook
 * (overdue tasks), and each person's activity completion over a recent window.
 */
import { addDays, type CalendarDate } from '../../domain/calendar.ts';
import { formatMinor } from '../../domain/money.ts';
import { LATE_STAGES } from '../../domain/plan-escalations.ts';
import type { SqlSession } from '../../store/store.ts';

export type AttentionReason = 'slipping' | 'stalled' | 'behind_playbook';

export type AttentionRenewal = {
  contractId: string;
  accountName: string;
  dueDate: CalendarDate;
  arr: { amount: string; currency: string };
  stage: string | null;
  ownerUserId: string | null;
  healthBand: string | null;
  overdueTasks: number;
  reason: AttentionReason;
};

export type ActivityCompletion = {
  userId: string;
  name: string;
  role: string;
  due: number;
  done: number;
  overdue: number;
  completionRate: number | null;
};

export type TeamAttentionOptions = {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  /** Only renewals and tasks owned by these users; the whole workspace when null. */
  members: readonly string[] | null;
  /** Renewals due within this many days that are not at a late stage count as stalled. */
  stalledWithinDays?: number;
  /** Task completion is measured over tasks due in this many days before asOf. */
  activityWindowDays?: number;
  limit?: number;
};

export async function teamAttention({
  session,
  tenantId,
  asOf,
  members,
  stalledWithinDays = 45,
  activityWindowDays = 30,
  limit = 50,
}: TeamAttentionOptions): Promise<{ renewals: AttentionRenewal[]; activity: ActivityCompletion[] }> {
  const rows = await session.query<{
    contract_id: string;
    account_name: string;
    due: string;
    arr_minor: number;
    currency: string;
    stage: string | null;
    owner_user_id: string | null;
    health_band: string | null;
    overdue_tasks: number;
  }>(
    `SELECT r.contract_id, a.name AS account_name, coalesce(r.due_date, c.end_date)::text AS due,
            c.arr_minor, c.currency, r.stage, r.owner_user_id, r.health_band,
            (SELECT count(*)::int FROM tasks t WHERE t.tenant_id = r.tenant_id AND t.contract_id = r.contract_id
               AND t.status = 'open' AND t.due_date < $2::date) AS overdue_tasks
       FROM renewals r
       JOIN contracts c ON c.tenant_id = r.tenant_id AND c.contract_id = r.contract_id
       JOIN accounts a ON a.tenant_id = r.tenant_id AND a.account_id = r.account_id
      WHERE r.tenant_id = $1 AND r.outcome = 'pending'
        AND ($3::text[] IS NULL OR r.owner_user_id = ANY($3))
        AND coalesce(r.due_date, c.end_date) <= $4::date
        AND coalesce(r.due_date, c.end_date) >= $2::date - 120
      ORDER BY coalesce(r.due_date, c.end_date), r.contract_id`,
    [tenantId, asOf, members, addDays(asOf, stalledWithinDays)],
  );
  const late = new Set(LATE_STAGES.map((stage) => stage.toLowerCase()));
  const renewals: AttentionRenewal[] = [];
  for (const row of rows) {
    let reason: AttentionReason | null = null;
    if (row.due < asOf) reason = 'slipping';
    else if (row.stage === 'stalled' || !late.has((row.stage ?? '').toLowerCase())) reason = 'stalled';
    else if (row.overdue_tasks > 0) reason = 'behind_playbook';
    if (reason === null) continue;
    renewals.push({
      contractId: row.contract_id,
      accountName: row.account_name,
      dueDate: row.due,
      arr: { amount: formatMinor(Number(row.arr_minor), row.currency), currency: row.currency },
      stage: row.stage,
      ownerUserId: row.owner_user_id,
      healthBand: row.health_band,
      overdueTasks: Number(row.overdue_tasks),
      reason,
    });
    if (renewals.length >= limit) break;
  }
  const activity = await session.query<{
    user_id: string;
    name: string;
    role: string;
    due: number;
    done: number;
    overdue: number;
  }>(
    `SELECT u.user_id, u.name, u.role,
            count(t.id)::int AS due,
            count(t.id) FILTER (WHERE t.status = 'done')::int AS done,
            count(t.id) FILTER (WHERE t.status = 'open' AND t.due_date < $2::date)::int AS overdue
       FROM tasks t JOIN users u ON u.tenant_id = t.tenant_id AND u.user_id = t.owner_user_id
      WHERE t.tenant_id = $1 AND t.due_date BETWEEN $4::date AND $2::date AND t.status <> 'skipped'
        AND ($3::text[] IS NULL OR t.owner_user_id = ANY($3))
      GROUP BY u.user_id, u.name, u.role ORDER BY u.name`,
    [tenantId, asOf, members, addDays(asOf, -activityWindowDays)],
  );
  return {
    renewals,
    activity: activity.map((row) => ({
      userId: row.user_id,
      name: row.name,
      role: row.role,
      due: Number(row.due),
      done: Number(row.done),
      overdue: Number(row.overdue),
      completionRate: Number(row.due) === 0 ? null : Number(row.done) / Number(row.due),
    })),
  };
}

/** The people a manager answers for: themselves and their direct reports. */
export async function teamOf(session: SqlSession, tenantId: string, managerId: string): Promise<string[]> {
  const rows = await session.query<{ user_id: string }>(
    'SELECT user_id FROM users WHERE tenant_id = $1 AND (manager_id = $2 OR user_id = $2)',
    [tenantId, managerId],
  );
  return rows.map((row) => row.user_id);
}
