/**
 * The internal daily digest per user ("your renewals today"), queued in the outbox after a tenant's
 * daily run: the alerts raised for the user since their previous digest (escalations, at-risk flags,
 * failed deliveries) and their open tasks due that day or overdue. One digest per user and day
 * (idempotency key `digest:<user>:<day>`), only when there is something in it, to `users.email`.
 *
 * Alerts are addressed to a user by the daily run (`recipient_user_id`: owner, manager, executive).
 * When that is empty: an alert for the role `owner` goes to the renewal's owner; any other alert whose
 * role resolved to nobody (e.g. a CSM without a manager) goes to the tenant's admins, or to the
 * renewal's owner when there is no admin — no escalation is silently dropped.
 */
import { addDays, type CalendarDate, maxDate, minDate } from '../domain/calendar.ts';
import type { DigestPayload } from '../mail/compose-email.ts';
import type { SqlSession } from '../store/store.ts';

/** Tasks listed per digest; the rest is counted. */
export const DIGEST_TASK_LIMIT = 20;

type UserRow = { user_id: string; name: string; email: string; locale: string | null; role: string };

export async function queueDigests({
  session,
  tenantId,
  day,
}: {
  session: SqlSession;
  tenantId: string;
  day: CalendarDate;
}): Promise<{ queued: number }> {
  const users = await session.query<UserRow>(
    `SELECT user_id, name, email, locale, role FROM users
      WHERE tenant_id = $1 AND NOT disabled AND email <> '' ORDER BY user_id`,
    [tenantId],
  );
  if (users.length === 0) return { queued: 0 };
  const admins = users.filter((u) => u.role === 'admin').map((u) => u.user_id);

  const previous = new Map(
    (
      await session.query<{ user_id: string; day: string }>(
        `SELECT payload->>'userId' AS user_id, max(due_on)::text AS day FROM outbox
          WHERE tenant_id = $1 AND kind = 'digest' AND due_on < $2::date GROUP BY 1`,
        [tenantId, day],
      )
    ).map((row) => [row.user_id, row.day]),
  );
  // Alerts since the oldest "previous digest" of anyone (at most a week back), filtered per user below.
  const oldest = [...previous.values()].reduce(minDate, addDays(day, -1));
  const since = maxDate(oldest, addDays(day, -7));
  const alerts = await session.query<{
    recipient_user_id: string | null;
    renewal_owner: string | null;
    severity: string;
    kind: string;
    message: string;
    created_on: string;
  }>(
    `SELECT coalesce(a.recipient_user_id, CASE WHEN a.recipient_role = 'owner' THEN r.owner_user_id END)
              AS recipient_user_id,
            r.owner_user_id AS renewal_owner, a.severity, a.kind, a.message, a.created_on
       FROM alerts a LEFT JOIN renewals r ON r.tenant_id = a.tenant_id AND r.contract_id = a.contract_id
      WHERE a.tenant_id = $1 AND a.created_on > $2::date AND a.created_on <= $3::date
      ORDER BY CASE a.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, a.id`,
    [tenantId, since, day],
  );
  const addressee = (alert: (typeof alerts)[number]): string[] => {
    if (alert.recipient_user_id !== null) return [alert.recipient_user_id];
    if (admins.length > 0) return admins;
    return alert.renewal_owner !== null ? [alert.renewal_owner] : [];
  };
  const tasks = await session.query<{
    owner_user_id: string;
    title: string;
    account_name: string;
    due_date: string;
    milestone: string;
    total: number;
    rank: number;
  }>(
    `SELECT * FROM (
       SELECT t.owner_user_id, t.title, coalesce(a.name, t.account_id) AS account_name, t.due_date, t.milestone,
              count(*) OVER (PARTITION BY t.owner_user_id)::int AS total,
              row_number() OVER (PARTITION BY t.owner_user_id ORDER BY t.due_date, t.id)::int AS rank
         FROM tasks t LEFT JOIN accounts a ON a.tenant_id = t.tenant_id AND a.account_id = t.account_id
        WHERE t.tenant_id = $1 AND t.status = 'open' AND t.due_date <= $2::date AND t.owner_user_id IS NOT NULL) x
      WHERE rank <= $3`,
    [tenantId, day, DIGEST_TASK_LIMIT],
  );

  const rows: Record<string, unknown>[] = [];
  for (const user of users) {
    const after = previous.get(user.user_id) ?? addDays(day, -1);
    const mine = alerts.filter((a) => a.created_on > after && addressee(a).includes(user.user_id));
    const myTasks = tasks.filter((t) => t.owner_user_id === user.user_id);
    if (mine.length === 0 && myTasks.length === 0) continue;
    const payload: DigestPayload = {
      userId: user.user_id,
      userName: user.name,
      locale: user.locale,
      day,
      alerts: mine.map((a) => ({ severity: a.severity, kind: a.kind, message: a.message })),
      tasks: myTasks.map((t) => ({
        title: t.title,
        accountName: t.account_name,
        dueDate: t.due_date,
        milestone: t.milestone,
      })),
      tasksTotal: myTasks[0]?.total ?? 0,
    };
    rows.push({
      idempotency_key: `digest:${user.user_id}:${day}`,
      recipient: user.email,
      payload,
    });
  }
  if (rows.length === 0) return { queued: 0 };
  const [result] = await session.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO outbox (tenant_id, idempotency_key, kind, recipient, template, payload, status, due_on)
       SELECT $1, x.idempotency_key, 'digest', x.recipient, 'daily-digest', x.payload, 'queued', $3::date
         FROM jsonb_to_recordset($2::jsonb) AS x(idempotency_key text, recipient text, payload jsonb)
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [tenantId, JSON.stringify(rows), day],
  );
  return { queued: result?.n ?? 0 };
}
