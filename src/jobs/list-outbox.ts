/** What the outbox holds, for `perennial outbox list` and admins: per status, and message by message. */
import type { SqlSession } from '../store/store.ts';

export const OUTBOX_STATUSES = [
  'queued',
  'sending',
  'sent',
  'sent_possible_duplicate',
  'failed',
  'bounced',
  'opted_out',
  'no_recipient',
  'skipped',
] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** `--failed`: what did not reach its recipient, or may have reached it twice. */
export const FAILED_STATUSES: OutboxStatus[] = ['failed', 'bounced', 'sent_possible_duplicate'];

export type OutboxListing = {
  id: number;
  kind: string;
  status: string;
  recipient: string | null;
  template: string;
  dueOn: string;
  attempts: number;
  sentAt: string | null;
  lastError: string | null;
  idempotencyKey: string;
};

export async function listOutbox({
  session,
  tenantId,
  statuses,
  limit = 100,
}: {
  session: SqlSession;
  tenantId: string;
  statuses?: readonly string[];
  limit?: number;
}): Promise<OutboxListing[]> {
  const rows = await session.query<{
    id: number;
    kind: string;
    status: string;
    recipient: string | null;
    template: string;
    due_on: string;
    attempts: number;
    sent_at: Date | string | null;
    last_error: string | null;
    idempotency_key: string;
  }>(
    `SELECT id, kind, status, recipient, template, due_on, attempts, sent_at, last_error, idempotency_key
       FROM outbox WHERE tenant_id = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[]))
      ORDER BY due_on DESC, id DESC LIMIT $3`,
    [tenantId, statuses && statuses.length > 0 ? statuses : null, limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    status: row.status,
    recipient: row.recipient,
    template: row.template,
    dueOn: row.due_on,
    attempts: row.attempts,
    sentAt: row.sent_at === null ? null : new Date(row.sent_at).toISOString(),
    lastError: row.last_error,
    idempotencyKey: row.idempotency_key,
  }));
}

export async function countOutbox({
  session,
  tenantId,
}: {
  session: SqlSession;
  tenantId: string;
}): Promise<{ status: string; kind: string; count: number }[]> {
  return session.query<{ status: string; kind: string; count: number }>(
    `SELECT status, kind, count(*)::int AS count FROM outbox WHERE tenant_id = $1
      GROUP BY status, kind ORDER BY status, kind`,
    [tenantId],
  );
}

/** Puts failed or bounced messages back in the queue for an immediate new attempt (admin action). */
export async function requeueMessages({
  session,
  tenantId,
  ids,
}: {
  session: SqlSession;
  tenantId: string;
  /** null: every failed and bounced message of the tenant. */
  ids: readonly number[] | null;
}): Promise<number> {
  return session.execute(
    `UPDATE outbox SET status = 'queued', attempts = 0, last_error = NULL
      WHERE tenant_id = $1 AND status IN ('failed', 'bounced') AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
    [tenantId, ids],
  );
}
