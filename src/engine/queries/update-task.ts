/**
 * Task changes — complete (optionally logging the hours spent), snooze (move the due date later),
 * reassign — under optimistic locking, audited in the same transaction. Logged hours stay when a task
 * is reopened (the work was done); completing it again with hours replaces them.
 */
import type { Store } from '../../store/store.ts';
import { diffFields, writeAuditEntry } from './audit-trail.ts';
import { RecordError, requireVersion } from './record-error.ts';
import { findTask, type TaskRow, type TaskView, toTaskView } from './task-view.ts';
import { tenantToday } from './tenant-today.ts';

/** Bounds of hours logged on one task. */
export const MAX_SPENT_HOURS = 200;

export type TaskChange =
  | { action: 'complete'; spentHours?: number }
  | { action: 'reopen' }
  | { action: 'snooze'; until: string }
  | { action: 'reassign'; ownerUserId: string };

export async function updateTask({
  store,
  tenantId,
  taskId,
  expectedVersion,
  change,
  actor,
  now,
}: {
  store: Store;
  tenantId: string;
  taskId: number;
  expectedVersion: number;
  change: TaskChange;
  actor: string;
  now: Date;
}): Promise<TaskView> {
  return store.transaction(async (tx) => {
    const row = requireVersion(await findTask(tx, tenantId, taskId, { forUpdate: true }), {
      label: `task ${taskId}`,
      expectedVersion,
    });
    const today = await tenantToday(tx, tenantId, now);
    let next: Partial<
      Pick<TaskRow, 'status' | 'completed_on' | 'due_date' | 'owner_user_id' | 'spent_hours'>
    >;
    switch (change.action) {
      case 'complete':
        next = { status: 'done', completed_on: row.completed_on ?? today };
        if (change.spentHours !== undefined) {
          const hours = change.spentHours;
          if (!Number.isFinite(hours) || hours < 0 || hours > MAX_SPENT_HOURS) {
            throw new RecordError(
              'invalid_value',
              `spentHours must be a number of hours from 0 to ${MAX_SPENT_HOURS}, got ${hours}`,
              { field: 'spentHours' },
            );
          }
          next.spent_hours = hours;
        }
        break;
      case 'reopen':
        next = { status: 'open', completed_on: null };
        break;
      case 'snooze':
        if (change.until <= row.due_date) {
          throw new RecordError('invalid_value', `until must be after the current due date ${row.due_date}`, {
            field: 'until',
          });
        }
        next = { due_date: change.until, status: row.status === 'done' ? row.status : 'open' };
        break;
      case 'reassign': {
        const [user] = await tx.query(
          'SELECT 1 FROM users WHERE tenant_id = $1 AND user_id = $2 AND NOT disabled',
          [tenantId, change.ownerUserId],
        );
        if (!user) {
          throw new RecordError('unknown_user', `no active user ${change.ownerUserId} in this workspace`, {
            field: 'ownerUserId',
          });
        }
        next = { owner_user_id: change.ownerUserId };
        break;
      }
    }
    const before = Object.fromEntries(Object.keys(next).map((key) => [key, row[key as keyof TaskRow]]));
    const diff = diffFields(before, next);
    if (Object.keys(diff).length === 0) return toTaskView(row);
    const values: unknown[] = [tenantId, taskId];
    const assignments = Object.keys(diff).map((column) => {
      values.push(next[column as keyof typeof next]);
      return `${column} = $${values.length}`;
    });
    await tx.execute(
      `UPDATE tasks SET ${assignments.join(', ')}, version = version + 1 WHERE tenant_id = $1 AND id = $2`,
      values,
    );
    const apiName: Record<string, string> = {
      status: 'status',
      completed_on: 'completedOn',
      due_date: 'dueDate',
      owner_user_id: 'ownerUserId',
      spent_hours: 'spentHours',
    };
    await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor,
      action: change.action,
      entity: 'task',
      entityId: String(taskId),
      changes: Object.fromEntries(
        Object.entries(diff).map(([column, pair]) => [apiName[column] ?? column, pair]),
      ),
    });
    return toTaskView((await findTask(tx, tenantId, taskId))!);
  });
}
