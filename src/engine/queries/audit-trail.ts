/**
 * The audit trail: append-only `audit_log` rows written in the transaction of the change they
 * describe — who, when (UTC), which record, and each field's old and new value.
 */
import type { SqlSession } from '../../store/store.ts';
import { type Page, params, toIso, toPage } from './page.ts';

export type FieldChange = { old: unknown; new: unknown };

export type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  changes: Record<string, unknown>;
};

/** Old/new pairs for the fields whose value differs (compared as JSON). */
export function diffFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const [field, value] of Object.entries(after)) {
    const old = before[field] ?? null;
    if (JSON.stringify(old) !== JSON.stringify(value ?? null)) changes[field] = { old, new: value ?? null };
  }
  return changes;
}

export async function writeAuditEntry(
  session: SqlSession,
  entry: {
    tenantId: string;
    at: Date;
    actor: string;
    action: string;
    entity: string;
    entityId: string;
    changes: Record<string, unknown>;
  },
): Promise<number> {
  const [row] = await session.query<{ id: number }>(
    `INSERT INTO audit_log (tenant_id, at, actor, action, entity, entity_id, changes)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      entry.tenantId,
      entry.at.toISOString(),
      entry.actor,
      entry.action,
      entry.entity,
      entry.entityId,
      JSON.stringify(entry.changes),
    ],
  );
  return Number(row!.id);
}

type AuditRow = {
  id: number;
  at: Date | string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  changes: Record<string, unknown>;
};

/** The trail, newest first, optionally for one record or one action. */
export async function listAuditEntries({
  session,
  tenantId,
  entity,
  entityId,
  action,
  cursor,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  cursor: readonly (string | number)[] | null;
  limit: number;
}): Promise<Page<AuditEntry>> {
  const { list, p } = params();
  const where = [`tenant_id = ${p(tenantId)}`];
  if (entity) where.push(`entity = ${p(entity)}`);
  if (entityId) where.push(`entity_id = ${p(entityId)}`);
  if (action) where.push(`action = ${p(action)}`);
  if (cursor) where.push(`id < ${p(Number(cursor[0]))}`);
  const rows = await session.query<AuditRow>(
    `SELECT id, at, actor, action, entity, entity_id, changes FROM audit_log
      WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(
    rows,
    limit,
    (row) => [Number(row.id)],
    (row) => ({
      id: Number(row.id),
      at: toIso(row.at)!,
      actor: row.actor,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      changes: row.changes,
    }),
  );
}
