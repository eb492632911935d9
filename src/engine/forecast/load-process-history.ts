/**
 * What the process metrics need from the store, per renewal: its playbook tasks, its stage changes
 * from the audit trail, and the day its process began (the earliest of the renewal row's creation and
 * its first task's, i.e. its first evaluation by the daily run). Segment, due date, ARR and outcome come
 * from the retention rows, so both metrics documents describe the same cohort.
 */
import { z } from 'zod';
import type { CalendarDate } from '../../domain/calendar.ts';
import type { RetentionRow } from '../../domain/forecast/compute-retention-metrics.ts';
import type { ProcessRenewal, ProcessTask, StageChange } from '../../domain/forecast/process-metrics.ts';
import type { SqlSession } from '../../store/store.ts';

/** A stage change as audited: `{ old, new }` (record updates) or `{ from, to }` (close-outs). */
const AuditedStage = z.union([
  z.object({ old: z.string().nullable(), new: z.string().nullable() }),
  z.object({ from: z.string().nullable(), to: z.string().nullable() }),
]);

function utcDay(value: Date | string): CalendarDate {
  return (value instanceof Date ? value : new Date(value)).toISOString().slice(0, 10);
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

export async function loadProcessHistory({
  session,
  tenantId,
  rows,
}: {
  session: SqlSession;
  tenantId: string;
  /** The renewals to describe (segment, due date, ARR in the reporting currency, outcome). */
  rows: readonly RetentionRow[];
}): Promise<ProcessRenewal[]> {
  const ids = rows.map((row) => row.contractId);
  const renewals = await session.query<{
    contract_id: string;
    stage: string | null;
    created_at: Date | string;
  }>('SELECT contract_id, stage, created_at FROM renewals WHERE tenant_id = $1 AND contract_id = ANY($2)', [
    tenantId,
    ids,
  ]);
  const tasks = await session.query<{
    contract_id: string;
    milestone: string;
    due_date: string;
    status: string;
    completed_on: string | null;
    estimate_hours: number | null;
    spent_hours: number | null;
    created_on: string;
  }>(
    `SELECT contract_id, milestone, due_date, status, completed_on, estimate_hours, spent_hours, created_on
       FROM tasks WHERE tenant_id = $1 AND contract_id = ANY($2)`,
    [tenantId, ids],
  );
  const changes = await session.query<{ entity_id: string; at: Date | string; stage: unknown }>(
    `SELECT entity_id, at, changes -> 'stage' AS stage FROM audit_log
      WHERE tenant_id = $1 AND entity = 'renewal' AND entity_id = ANY($2) AND changes -> 'stage' IS NOT NULL
      ORDER BY at, id`,
    [tenantId, ids],
  );

  const recordOf = new Map(renewals.map((row) => [row.contract_id, row]));
  const tasksOf = new Map<string, ProcessTask[]>();
  const firstTaskOn = new Map<string, CalendarDate>();
  for (const row of tasks) {
    push(tasksOf, row.contract_id, {
      milestone: row.milestone,
      dueDate: row.due_date,
      status: row.status,
      completedOn: row.completed_on,
      estimateHours: row.estimate_hours === null ? null : Number(row.estimate_hours),
      spentHours: row.spent_hours === null ? null : Number(row.spent_hours),
    });
    const first = firstTaskOn.get(row.contract_id);
    if (first === undefined || row.created_on < first) firstTaskOn.set(row.contract_id, row.created_on);
  }
  const changesOf = new Map<string, StageChange[]>();
  for (const row of changes) {
    const parsed = AuditedStage.safeParse(row.stage);
    if (!parsed.success) continue;
    const pair = parsed.data;
    const [from, to] = 'old' in pair ? [pair.old, pair.new] : [pair.from, pair.to];
    push(changesOf, row.entity_id, { on: utcDay(row.at), from, to });
  }

  return rows.map((row) => {
    const record = recordOf.get(row.contractId);
    const created = record ? utcDay(record.created_at) : null;
    const firstTask = firstTaskOn.get(row.contractId) ?? null;
    const startedOn =
      created === null ? firstTask : firstTask !== null && firstTask < created ? firstTask : created;
    return {
      contractId: row.contractId,
      segment: row.segment,
      dueDate: row.dueDate,
      arrMinor: row.arrMinor,
      outcome: row.outcome,
      closedOn: row.closedOn,
      startedOn,
      stage: record?.stage ?? null,
      stageChanges: changesOf.get(row.contractId) ?? [],
      tasks: tasksOf.get(row.contractId) ?? [],
    };
  });
}
