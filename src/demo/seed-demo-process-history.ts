/**
 * Gives the demo's closed history a renewal process, so the process metrics (docs/METRICS.md) show
 * something: playbook tasks at the segment's milestones (some done late, some left open, about half
 * with logged hours) and audited stage changes up to the close. The canonical CSVs carry neither, so
 * this writes to the store after the demo is imported. Deterministic for a seed; a second call on
 * the same tenant writes nothing. Lost renewals kept their playbook less well than won ones, as the
 * guides say they do.
 */
import { type CalendarDate, fromDayNumber, toDayNumber } from '../domain/calendar.ts';
import { DEFAULT_POLICY, type Policy } from '../domain/policy/policy-schema.ts';
import { toReportingCurrency } from '../domain/policy/to-reporting-currency.ts';
import type { Segment } from '../domain/records.ts';
import { segmentForArr } from '../domain/segment-account.ts';
import type { SqlSession, Store } from '../store/store.ts';
import { deriveSeed, Random } from './random.ts';

/** Days before the due date of each milestone worked, per segment (DOMAIN.md §4). */
const MILESTONES: Record<Segment, readonly number[]> = {
  enterprise: [120, 90, 60, 45, 30, 14],
  mid_market: [90, 60, 45, 30, 14],
  smb: [60, 30, 14],
};

/** Stages a renewal goes through before it closes, with the day (before T-0) each usually starts. */
const STAGES: readonly (readonly [string, number])[] = [
  ['proposal', 45],
  ['negotiation', 30],
];

const TASK_KEY_PREFIX = 'demo-history';

function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

type ClosedRow = {
  contract_id: string;
  account_id: string;
  outcome: 'won' | 'lost';
  closed_on: CalendarDate;
  end_date: CalendarDate;
  arr_minor: number | string;
  currency: string;
};

type TaskRow = {
  contract_id: string;
  account_id: string;
  key: string;
  milestone: string;
  title: string;
  due_date: CalendarDate;
  estimate_hours: number;
  spent_hours: number | null;
  status: string;
  created_on: CalendarDate;
  completed_on: CalendarDate | null;
};

type StageRow = { contract_id: string; at: string; changes: string };

export type SeedDemoProcessHistoryOptions = {
  store: Store;
  tenantId: string;
  seed: number;
  policy?: Policy;
};

/** What was written: renewals given a process, task rows, stage-change audit rows (all 0 on a re-run). */
export type SeededProcessHistory = { renewals: number; tasks: number; stageChanges: number };

export async function seedDemoProcessHistory({
  store,
  tenantId,
  seed,
  policy = DEFAULT_POLICY,
}: SeedDemoProcessHistoryOptions): Promise<SeededProcessHistory> {
  // One transaction, serialized per tenant: the check below and both inserts land together, so a
  // failed or concurrent second call can neither leave tasks without their stage changes nor write
  // the history twice.
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [TASK_KEY_PREFIX, tenantId]);
    return writeHistory({ session: tx, tenantId, seed, policy });
  });
}

async function writeHistory({
  session,
  tenantId,
  seed,
  policy,
}: {
  session: SqlSession;
  tenantId: string;
  seed: number;
  policy: Policy;
}): Promise<SeededProcessHistory> {
  const [seeded] = await session.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM tasks WHERE tenant_id = $1 AND key LIKE $2',
    [tenantId, `${TASK_KEY_PREFIX}:%`],
  );
  if ((seeded?.n ?? 0) > 0) return { renewals: 0, tasks: 0, stageChanges: 0 };
  const closed = await session.query<ClosedRow>(
    `SELECT r.contract_id, r.account_id, r.outcome, r.closed_on, c.end_date, c.arr_minor, c.currency
       FROM renewals r JOIN contracts c ON c.tenant_id = r.tenant_id AND c.contract_id = r.contract_id
      WHERE r.tenant_id = $1 AND r.outcome IN ('won', 'lost') AND r.closed_on IS NOT NULL
      ORDER BY r.contract_id`,
    [tenantId],
  );
  const tasks: TaskRow[] = [];
  const stages: StageRow[] = [];
  let renewals = 0;
  for (const row of closed) {
    const rng = new Random(deriveSeed(seed, hashText(row.contract_id)));
    const lost = row.outcome === 'lost';
    const due = toDayNumber(row.end_date);
    const close = toDayNumber(row.closed_on);
    const arr = toReportingCurrency({ minor: Number(row.arr_minor), currency: row.currency, policy });
    const segment = segmentForArr(arr, policy);
    const worked = MILESTONES[segment].filter((days) => due - days <= close);
    if (worked.length === 0) continue;
    renewals++;
    const budget = policy.effortBudgets[segment];
    // The segment's mid-budget spread over the milestones worked before the close.
    const perTask = Math.round(((budget.minHours + budget.maxHours) / 2 / worked.length) * 4) / 4;
    const started = due - (worked[0] as number) - 7;
    for (const days of worked) {
      const taskDue = due - days;
      const missed = lost && rng.chance(0.25);
      const late = !missed && rng.chance(lost ? 0.45 : 0.15);
      const completed = missed ? null : Math.min(close, taskDue + (late ? rng.int(2, 14) : -rng.int(0, 5)));
      const onDay = completed === null ? null : Math.max(started, completed);
      tasks.push({
        contract_id: row.contract_id,
        account_id: row.account_id,
        key: `${TASK_KEY_PREFIX}:T-${days}`,
        milestone: `T-${days}`,
        title: `T-${days} milestone`,
        due_date: fromDayNumber(taskDue),
        estimate_hours: perTask,
        spent_hours:
          onDay !== null && rng.chance(0.55)
            ? Math.round(perTask * rng.float(0.6, lost ? 2.2 : 1.5) * 4) / 4
            : null,
        status: onDay === null ? 'open' : 'done',
        created_on: fromDayNumber(started),
        completed_on: onDay === null ? null : fromDayNumber(onDay),
      });
    }
    // Stage changes: value review from the start, then proposal and negotiation around T-45 and T-30
    // (a lost renewal often never got that far), then the close.
    let current = 'value_review';
    const reached = lost ? rng.int(0, STAGES.length) : STAGES.length;
    for (const [stage, days] of STAGES.slice(0, reached)) {
      const on = due - days + rng.int(-10, 10);
      if (on <= started || on >= close) break;
      stages.push({
        contract_id: row.contract_id,
        at: `${fromDayNumber(on)}T12:00:00.000Z`,
        changes: JSON.stringify({ stage: { old: current, new: stage } }),
      });
      current = stage;
    }
    stages.push({
      contract_id: row.contract_id,
      at: `${row.closed_on}T12:00:00.000Z`,
      changes: JSON.stringify({ stage: { old: current, new: lost ? 'closed_lost' : 'closed_won' } }),
    });
  }
  await session.execute(
    `INSERT INTO tasks (tenant_id, contract_id, account_id, key, milestone, title, owner_role, due_date,
       estimate_hours, spent_hours, status, created_on, completed_on)
     SELECT $1, x.contract_id, x.account_id, x.key, x.milestone, x.title, 'csm', x.due_date, x.estimate_hours,
       x.spent_hours, x.status, x.created_on, x.completed_on
       FROM jsonb_to_recordset($2::jsonb) AS x(contract_id text, account_id text, key text, milestone text,
         title text, due_date date, estimate_hours double precision, spent_hours double precision, status text,
         created_on date, completed_on date)
     ON CONFLICT (tenant_id, contract_id, key) DO NOTHING`,
    [tenantId, JSON.stringify(tasks)],
  );
  await session.execute(
    `INSERT INTO audit_log (tenant_id, at, actor, action, entity, entity_id, changes)
     SELECT $1, x.at, 'demo', 'update', 'renewal', x.contract_id, x.changes::jsonb
       FROM jsonb_to_recordset($2::jsonb) AS x(contract_id text, at timestamptz, changes text)`,
    [tenantId, JSON.stringify(stages)],
  );
  return { renewals, tasks: tasks.length, stageChanges: stages.length };
}
