/** Playbook tasks across renewals: "what is due for me", by due date. */
import type { SqlSession } from '../../store/store.ts';
import { decodeCursor, type Page, params, toPage } from './page.ts';
import { TASK_COLUMNS, type TaskRow, type TaskView, toTaskView } from './task-view.ts';

export type TaskFilters = {
  ownerUserId?: string | undefined;
  status?: string | undefined;
  dueBefore?: string | undefined;
  contractId?: string | undefined;
};

export async function listTasks({
  session,
  tenantId,
  filters,
  cursor = null,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  filters: TaskFilters;
  cursor?: string | null;
  limit: number;
}): Promise<Page<TaskView>> {
  const { list, p } = params();
  const where = [`t.tenant_id = ${p(tenantId)}`];
  if (filters.ownerUserId) where.push(`t.owner_user_id = ${p(filters.ownerUserId)}`);
  if (filters.status) where.push(`t.status = ${p(filters.status)}`);
  if (filters.dueBefore) where.push(`t.due_date <= ${p(filters.dueBefore)}::date`);
  if (filters.contractId) where.push(`t.contract_id = ${p(filters.contractId)}`);
  if (cursor) {
    const [due, id] = decodeCursor(cursor, 2);
    where.push(`(t.due_date, t.id) > (${p(due)}::date, ${p(Number(id))}::bigint)`);
  }
  const rows = await session.query<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${where.join(' AND ')} ORDER BY t.due_date, t.id LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(rows, limit, (row) => [row.due_date, Number(row.id)], toTaskView);
}
