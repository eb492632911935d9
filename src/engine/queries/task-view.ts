/** How a playbook task reads outside the store. */
import type { SqlSession } from '../../store/store.ts';

export type TaskView = {
  id: number;
  contractId: string;
  accountId: string;
  /** The account's name, so a list of tasks across renewals reads without a lookup per renewal. */
  accountName: string;
  key: string;
  milestone: string;
  title: string;
  ownerRole: string;
  ownerUserId: string | null;
  dueDate: string;
  /** Planned hours from the playbook step, when it has one. */
  estimateHours: number | null;
  /** Hours the team logged when completing the task; `null` when none were logged. */
  spentHours: number | null;
  status: string;
  createdOn: string;
  completedOn: string | null;
  version: number;
};

export type TaskRow = {
  id: number;
  contract_id: string;
  account_id: string;
  account_name: string;
  key: string;
  milestone: string;
  title: string;
  owner_role: string;
  owner_user_id: string | null;
  due_date: string;
  estimate_hours: number | null;
  spent_hours: number | null;
  status: string;
  created_on: string;
  completed_on: string | null;
  version: number;
};

/** The columns of a task (alias `t`), with its account's name read by primary key. */
export const TASK_COLUMNS =
  't.id, t.contract_id, t.account_id, (SELECT a.name FROM accounts a WHERE a.tenant_id = t.tenant_id AND a.account_id = t.account_id) AS account_name, t.key, t.milestone, t.title, t.owner_role, t.owner_user_id, t.due_date, t.estimate_hours, t.spent_hours, t.status, t.created_on, t.completed_on, t.version';

export function toTaskView(row: TaskRow): TaskView {
  return {
    id: Number(row.id),
    contractId: row.contract_id,
    accountId: row.account_id,
    accountName: row.account_name,
    key: row.key,
    milestone: row.milestone,
    title: row.title,
    ownerRole: row.owner_role,
    ownerUserId: row.owner_user_id,
    dueDate: row.due_date,
    estimateHours: row.estimate_hours,
    spentHours: row.spent_hours,
    status: row.status,
    createdOn: row.created_on,
    completedOn: row.completed_on,
    version: row.version,
  };
}

export async function findTask(
  session: SqlSession,
  tenantId: string,
  id: number,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<TaskRow | null> {
  const [row] = await session.query<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.tenant_id = $1 AND t.id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  return row ?? null;
}
