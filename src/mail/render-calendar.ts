/**
 * A user's renewal calendar as an iCalendar feed (RFC 5545): one all-day VEVENT per open task they own
 * and per milestone (T-n, the notice deadline, T-0) of each open renewal they own, between `from` and
 * `to`. Milestone dates come from the same timeline the daily run uses (`planRenewalTimeline` with the
 * tenant's policy), so the calendar and the emails never disagree.
 *
 * All-day events use `DTSTART;VALUE=DATE` with an exclusive `DTEND` the next day and are transparent
 * (they do not block free/busy). Text is escaped (`\\ \; \, \n`), lines are folded at 75 octets
 * without splitting a UTF-8 character, and lines end in CRLF. UIDs are stable, so a subscribed client
 * updates events instead of duplicating them.
 */
import { createHash } from 'node:crypto';
import { addDays, type CalendarDate } from '../domain/calendar.ts';
import { planRenewalTimeline } from '../domain/plan-renewal-timeline.ts';
import type { ContractRecord, ContractStatus, Segment } from '../domain/records.ts';
import type { Motion, OwnerRole } from '../domain/vocabulary.ts';
import { loadPolicy } from '../engine/policy-store.ts';
import type { SqlSession } from '../store/store.ts';

export class CalendarError extends Error {
  readonly code = 'calendar_user_not_found';
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

/** RFC 5545 TEXT escaping. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line at 75 octets (continuations start with a space), never inside a character. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const icsDate = (day: CalendarDate) => day.replaceAll('-', '');
const icsStamp = (at: Date) =>
  `${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}`;
const uid = (...parts: string[]) =>
  `${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32)}@perennial`;

type CalendarEvent = {
  uid: string;
  day: CalendarDate;
  summary: string;
  description: string;
  categories: string[];
};

function eventLines(event: CalendarEvent, stamp: string): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${icsDate(event.day)}`,
    `DTEND;VALUE=DATE:${icsDate(addDays(event.day, 1))}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `CATEGORIES:${event.categories.map(escapeText).join(',')}`, // a list: the separating commas stay bare
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

export async function renderCalendar({
  store,
  tenantId,
  userId,
  from,
  to,
  now = new Date(),
}: {
  store: SqlSession;
  tenantId: string;
  userId: string;
  from: CalendarDate;
  to: CalendarDate;
  now?: Date;
}): Promise<string> {
  const [user] = await store.query<{ name: string }>(
    'SELECT name FROM users WHERE tenant_id = $1 AND user_id = $2',
    [tenantId, userId],
  );
  if (!user) throw new CalendarError(`no user ${JSON.stringify(userId)} in tenant ${tenantId}`);
  const events: CalendarEvent[] = [];

  const tasks = await store.query<{
    id: number;
    title: string;
    due_date: string;
    milestone: string;
    contract_id: string;
    account_name: string | null;
  }>(
    `SELECT t.id, t.title, t.due_date, t.milestone, t.contract_id, a.name AS account_name
       FROM tasks t LEFT JOIN accounts a ON a.tenant_id = t.tenant_id AND a.account_id = t.account_id
      WHERE t.tenant_id = $1 AND t.owner_user_id = $2 AND t.status = 'open'
        AND t.due_date >= $3::date AND t.due_date <= $4::date
      ORDER BY t.due_date, t.id`,
    [tenantId, userId, from, to],
  );
  for (const task of tasks) {
    const account = task.account_name ?? task.contract_id;
    events.push({
      uid: uid('task', tenantId, String(task.id)),
      day: task.due_date,
      summary: `${task.title} (${account})`,
      description: `Task for the ${account} renewal (contract ${task.contract_id}), milestone ${task.milestone}.`,
      categories: ['Perennial', 'Task'],
    });
  }

  const renewals = await store.query<{
    contract_id: string;
    account_id: string;
    account_name: string;
    segment: Segment;
    motion: Motion;
    owner_role: OwnerRole;
    at_risk_since: string | null;
    start_date: string;
    end_date: string;
    arr_minor: number;
    currency: string;
    seats: number | null;
    auto_renew: boolean;
    payment_on_file: boolean;
    notice_days: number | null;
    status: ContractStatus;
    previous_contract_id: string | null;
  }>(
    `SELECT r.contract_id, r.account_id, a.name AS account_name, r.segment, r.motion, r.owner_role, r.at_risk_since,
            c.start_date, c.end_date, c.arr_minor, c.currency, c.seats, c.auto_renew, c.payment_on_file,
            c.notice_days, c.status, c.previous_contract_id
       FROM renewals r
       JOIN contracts c ON c.tenant_id = r.tenant_id AND c.contract_id = r.contract_id
       JOIN accounts a ON a.tenant_id = r.tenant_id AND a.account_id = r.account_id
      WHERE r.tenant_id = $1 AND r.owner_user_id = $2 AND r.outcome = 'pending'
        AND r.segment IS NOT NULL AND r.motion IS NOT NULL AND r.owner_role IS NOT NULL
      ORDER BY c.end_date, r.contract_id`,
    [tenantId, userId],
  );
  if (renewals.length > 0) {
    const { policy } = await loadPolicy(store, tenantId);
    for (const renewal of renewals) {
      const contract: ContractRecord = {
        contractId: renewal.contract_id,
        accountId: renewal.account_id,
        startDate: renewal.start_date,
        endDate: renewal.end_date,
        arrMinor: renewal.arr_minor,
        currency: renewal.currency,
        seats: renewal.seats,
        autoRenew: renewal.auto_renew,
        paymentOnFile: renewal.payment_on_file,
        noticeDays: renewal.notice_days,
        status: renewal.status,
        previousContractId: renewal.previous_contract_id,
      };
      const timeline = planRenewalTimeline({
        contract,
        segment: renewal.segment,
        atRisk: renewal.at_risk_since !== null,
        motion: renewal.motion,
        ownerRole: renewal.owner_role,
        policy,
        asOf: from,
      });
      const name = renewal.account_name;
      for (const milestone of timeline.milestones) {
        if (milestone.date < from || milestone.date > to) continue;
        const work = [
          ...milestone.tasks.map((t) => `- ${t.title}`),
          ...milestone.emails.map((e) => `- customer email: ${e.template}`),
        ];
        events.push({
          uid: uid('milestone', tenantId, renewal.contract_id, milestone.key),
          day: milestone.date,
          summary:
            milestone.key === 'T-0'
              ? `${name}: renewal due (T-0)`
              : `${name}: ${milestone.key} renewal milestone`,
          description: [
            `Renewal of contract ${renewal.contract_id}, ends ${renewal.end_date}; playbook ${timeline.playbook}.`,
            ...(work.length > 0 ? ['', ...work] : []),
          ].join('\n'),
          categories: ['Perennial', 'Milestone'],
        });
      }
      if (timeline.noticeDeadline && timeline.noticeDeadline >= from && timeline.noticeDeadline <= to) {
        events.push({
          uid: uid('notice', tenantId, renewal.contract_id),
          day: timeline.noticeDeadline,
          summary: `${name}: notice deadline (last day to cancel)`,
          description: `Auto-renewing contract ${renewal.contract_id} renews on ${renewal.end_date}; after this day the customer can no longer cancel.`,
          categories: ['Perennial', 'Milestone'],
        });
      }
    }
  }

  events.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.uid < b.uid ? -1 : 1));
  const stamp = icsStamp(now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Perennial//Renewal calendar//EN',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(`Perennial renewals — ${user.name}`)}`,
    ...events.flatMap((event) => eventLines(event, stamp)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
