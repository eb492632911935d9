/**
 * Webhook subscriptions (admin). The signing secret is generated here and shown once at creation;
 * it is kept in the table because the delivery worker needs it to sign each body.
 */
import { randomBytes } from 'node:crypto';
import type { SqlSession, Store } from '../../store/store.ts';
import { diffFields, writeAuditEntry } from './audit-trail.ts';
import { toIso } from './page.ts';
import { RecordError } from './record-error.ts';

export type WebhookView = { id: number; url: string; events: string[]; active: boolean; createdAt: string };

type WebhookRow = { id: number; url: string; events: string[]; active: boolean; created_at: Date | string };

function toView(row: WebhookRow): WebhookView {
  return {
    id: Number(row.id),
    url: row.url,
    events: row.events,
    active: row.active,
    createdAt: toIso(row.created_at)!,
  };
}

export async function listWebhooks(session: SqlSession, tenantId: string): Promise<WebhookView[]> {
  const rows = await session.query<WebhookRow>(
    'SELECT id, url, events, active, created_at FROM webhooks WHERE tenant_id = $1 ORDER BY id',
    [tenantId],
  );
  return rows.map(toView);
}

export async function getWebhook(
  session: SqlSession,
  tenantId: string,
  id: number,
): Promise<WebhookView | null> {
  const [row] = await session.query<WebhookRow>(
    'SELECT id, url, events, active, created_at FROM webhooks WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  return row ? toView(row) : null;
}

export async function createWebhook({
  store,
  tenantId,
  url,
  events,
  actor,
  now,
}: {
  store: Store;
  tenantId: string;
  url: string;
  events: readonly string[];
  actor: string;
  now: Date;
}): Promise<{ webhook: WebhookView; secret: string }> {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  return store.transaction(async (tx) => {
    const [row] = await tx.query<WebhookRow>(
      `INSERT INTO webhooks (tenant_id, url, secret, events, active, created_at) VALUES ($1, $2, $3, $4, true, $5)
       RETURNING id, url, events, active, created_at`,
      [tenantId, url, secret, [...new Set(events)], now.toISOString()],
    );
    const webhook = toView(row!);
    await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor,
      action: 'create',
      entity: 'webhook',
      entityId: String(webhook.id),
      changes: diffFields({}, { url: webhook.url, events: webhook.events, active: true }),
    });
    return { webhook, secret };
  });
}

export async function updateWebhook({
  store,
  tenantId,
  id,
  changes,
  actor,
  now,
}: {
  store: Store;
  tenantId: string;
  id: number;
  changes: { url?: string | undefined; events?: string[] | undefined; active?: boolean | undefined };
  actor: string;
  now: Date;
}): Promise<WebhookView> {
  return store.transaction(async (tx) => {
    const current = await getWebhook(tx, tenantId, id);
    if (!current) throw new RecordError('not_found', `no webhook ${id}`);
    const next = {
      url: changes.url ?? current.url,
      events: changes.events ? [...new Set(changes.events)] : current.events,
      active: changes.active ?? current.active,
    };
    const diff = diffFields({ url: current.url, events: current.events, active: current.active }, next);
    if (Object.keys(diff).length === 0) return current;
    await tx.execute(
      'UPDATE webhooks SET url = $3, events = $4, active = $5 WHERE tenant_id = $1 AND id = $2',
      [tenantId, id, next.url, next.events, next.active],
    );
    await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor,
      action: 'update',
      entity: 'webhook',
      entityId: String(id),
      changes: diff,
    });
    return { ...current, ...next };
  });
}

export async function deleteWebhook({
  store,
  tenantId,
  id,
  actor,
  now,
}: {
  store: Store;
  tenantId: string;
  id: number;
  actor: string;
  now: Date;
}): Promise<void> {
  await store.transaction(async (tx) => {
    const current = await getWebhook(tx, tenantId, id);
    if (!current) throw new RecordError('not_found', `no webhook ${id}`);
    await tx.execute('DELETE FROM webhooks WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor,
      action: 'delete',
      entity: 'webhook',
      entityId: String(id),
      changes: diffFields(
        { url: current.url, events: current.events, active: current.active },
        { url: null, events: null, active: null },
      ),
    });
  });
}
