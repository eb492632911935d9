/**
 * Outgoing webhook events. A change that raises an event writes one outbox row per active
 * subscription in its own transaction (kind `webhook`, recipient = the URL, template = the event
 * name); the delivery worker signs and sends them. The idempotency key makes a retried change
 * enqueue nothing twice.
 */
import type { SqlSession } from '../../store/store.ts';

export const WEBHOOK_EVENTS = [
  'renewal.at_risk',
  'renewal.stage_changed',
  'renewal.closed',
  'proposal.approved',
  'health.band_changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Enqueues `event` for every active subscription to it; returns how many deliveries were queued. */
export async function enqueueWebhookEvent({
  session,
  tenantId,
  event,
  eventKey,
  data,
  contractId = null,
  at,
}: {
  session: SqlSession;
  tenantId: string;
  event: WebhookEvent;
  /** Unique per occurrence of the event (e.g. `C-1:v7`), so re-running the change queues nothing new. */
  eventKey: string;
  data: Record<string, unknown>;
  contractId?: string | null;
  at: Date;
}): Promise<number> {
  return session.execute(
    `INSERT INTO outbox (tenant_id, idempotency_key, kind, contract_id, recipient, template, payload, status, due_on)
     SELECT w.tenant_id, 'webhook:' || w.id || ':' || $2 || ':' || $3, 'webhook', $4, w.url, $2,
            jsonb_build_object('webhookId', w.id, 'event', $2::text, 'occurredAt', $6::text, 'data', $5::jsonb),
            'queued', $7::date
       FROM webhooks w
      WHERE w.tenant_id = $1 AND w.active AND $2 = ANY(w.events)
     ON CONFLICT (tenant_id, idempotency_key) DO NOTHING`,
    [
      tenantId,
      event,
      eventKey,
      contractId,
      JSON.stringify(data),
      at.toISOString(),
      at.toISOString().slice(0, 10),
    ],
  );
}

/** The events some active subscription of the tenant listens to. */
export async function subscribedEvents(session: SqlSession, tenantId: string): Promise<Set<WebhookEvent>> {
  const rows = await session.query<{ event: WebhookEvent }>(
    'SELECT DISTINCT unnest(events) AS event FROM webhooks WHERE tenant_id = $1 AND active',
    [tenantId],
  );
  return new Set(rows.map((row) => row.event));
}

/**
 * Enqueues many occurrences of one event in one statement (the daily run raises them by the
 * thousand on a large book); same keys and payload shape as `enqueueWebhookEvent`.
 */
export async function enqueueWebhookEvents({
  session,
  tenantId,
  event,
  occurrences,
  at,
}: {
  session: SqlSession;
  tenantId: string;
  event: WebhookEvent;
  occurrences: readonly { eventKey: string; contractId: string | null; data: Record<string, unknown> }[];
  at: Date;
}): Promise<number> {
  if (occurrences.length === 0) return 0;
  return session.execute(
    `INSERT INTO outbox (tenant_id, idempotency_key, kind, contract_id, recipient, template, payload, status, due_on)
     SELECT w.tenant_id, 'webhook:' || w.id || ':' || $2 || ':' || x.event_key, 'webhook', x.contract_id, w.url, $2,
            jsonb_build_object('webhookId', w.id, 'event', $2::text, 'occurredAt', $4::text, 'data', x.data),
            'queued', $5::date
       FROM webhooks w
      CROSS JOIN jsonb_to_recordset($3::jsonb) AS x(event_key text, contract_id text, data jsonb)
      WHERE w.tenant_id = $1 AND w.active AND $2 = ANY(w.events)
     ON CONFLICT (tenant_id, idempotency_key) DO NOTHING`,
    [
      tenantId,
      event,
      JSON.stringify(
        occurrences.map((o) => ({ event_key: o.eventKey, contract_id: o.contractId, data: o.data })),
      ),
      at.toISOString(),
      at.toISOString().slice(0, 10),
    ],
  );
}
