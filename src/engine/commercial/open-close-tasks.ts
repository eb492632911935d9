/**
 * The T+0 tasks of a signed renewal: thank the customer, record the final terms and the lessons
 * learned, and set the next term's check-ins. Keyed (contract × step) in `tasks`, so signing again
 * (a retried webhook, a second click) opens nothing new.
 */
import { addDays, type CalendarDate } from '../../domain/calendar.ts';
import type { SqlSession } from '../../store/store.ts';

export const CLOSE_TASKS = [
  { key: 't0:thank_you', title: 'Thank the customer for renewing', days: 0, hours: 0.25 },
  {
    key: 't0:record_terms',
    title: 'Record the final terms and the lessons learned from this renewal',
    days: 2,
    hours: 0.5,
  },
  { key: 't0:next_check_ins', title: "Set the next term's check-ins (kick-off, QBRs)", days: 7, hours: 0.5 },
] as const;

export async function openCloseTasks(
  session: SqlSession,
  {
    tenantId,
    contractId,
    accountId,
    ownerUserId,
    closedOn,
  }: {
    tenantId: string;
    contractId: string;
    accountId: string;
    ownerUserId: string | null;
    closedOn: CalendarDate;
    nextTermStart?: CalendarDate;
  },
): Promise<number> {
  let opened = 0;
  for (const task of CLOSE_TASKS) {
    opened += await session.execute(
      `INSERT INTO tasks (tenant_id, contract_id, account_id, key, milestone, title, owner_role, owner_user_id,
         due_date, estimate_hours, status, created_on)
       VALUES ($1, $2, $3, $4, 'T+0', $5, 'csm', $6, $7, $8, 'open', $9)
       ON CONFLICT (tenant_id, contract_id, key) DO NOTHING`,
      [
        tenantId,
        contractId,
        accountId,
        task.key,
        task.title,
        ownerUserId,
        addDays(closedOn, task.days),
        task.hours,
        closedOn,
      ],
    );
  }
  return opened;
}
