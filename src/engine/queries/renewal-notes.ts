/**
 * Notes on a renewal. There is no notes table: a note is an audit entry with action `note` on the
 * renewal (append-only, attributed, timestamped — which is what a note needs to be).
 */
import type { SqlSession, Store } from '../../store/store.ts';
import { writeAuditEntry } from './audit-trail.ts';
import { type Page, params, toIso, toPage } from './page.ts';

export type NoteView = { id: number; at: string; author: string; text: string };

export async function addRenewalNote({
  store,
  tenantId,
  contractId,
  author,
  text,
  now,
}: {
  store: Store;
  tenantId: string;
  contractId: string;
  author: string;
  text: string;
  now: Date;
}): Promise<NoteView> {
  return store.transaction(async (tx) => {
    const id = await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor: author,
      action: 'note',
      entity: 'renewal',
      entityId: contractId,
      changes: { note: { old: null, new: text } },
    });
    return { id, at: now.toISOString(), author, text };
  });
}

export async function listRenewalNotes({
  session,
  tenantId,
  contractId,
  cursor,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  contractId: string;
  cursor: readonly (string | number)[] | null;
  limit: number;
}): Promise<Page<NoteView>> {
  const { list, p } = params();
  const where = [
    `tenant_id = ${p(tenantId)}`,
    `entity = 'renewal'`,
    `entity_id = ${p(contractId)}`,
    `action = 'note'`,
  ];
  if (cursor) where.push(`id < ${p(Number(cursor[0]))}`);
  const rows = await session.query<{
    id: number;
    at: Date | string;
    actor: string;
    changes: { note?: { new?: string } };
  }>(
    `SELECT id, at, actor, changes FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(
    rows,
    limit,
    (row) => [Number(row.id)],
    (row) => ({
      id: Number(row.id),
      at: toIso(row.at)!,
      author: row.actor,
      text: row.changes.note?.new ?? '',
    }),
  );
}
