/**
 * The playbook library of a workspace: the built-in entries merged with the workspace's edits
 * (`playbook_entries`), an edit under optimistic locking, and a reset to the built-in text — each
 * change audited in its own transaction.
 */
import { DEFAULT_PLAYBOOK, type PlaybookEntry } from '../../domain/playbook/default-playbook.ts';
import {
  builtInEntry,
  type LibraryEntry,
  mergePlaybook,
  type PlaybookEdit,
  type PlaybookFilter,
} from '../../domain/playbook/merge-playbook.ts';
import type { SqlSession, Store } from '../../store/store.ts';
import { diffFields, writeAuditEntry } from './audit-trail.ts';
import { toIso } from './page.ts';
import { RecordError } from './record-error.ts';

type EditRow = {
  entry_id: string;
  kind: string;
  milestone: string | null;
  language: string;
  title: string;
  body: string;
  version: number;
  updated_by: string | null;
  updated_at: Date | string | null;
};

const COLUMNS = 'entry_id, kind, milestone, language, title, body, version, updated_by, updated_at';

function toEdit(row: EditRow): PlaybookEdit {
  return {
    entryId: row.entry_id,
    kind: row.kind,
    milestone: row.milestone,
    language: row.language,
    title: row.title,
    body: row.body,
    version: Number(row.version),
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at),
  };
}

export async function listPlaybook({
  session,
  tenantId,
  filter = {},
  builtIns = DEFAULT_PLAYBOOK,
}: {
  session: SqlSession;
  tenantId: string;
  filter?: PlaybookFilter;
  builtIns?: readonly PlaybookEntry[];
}): Promise<LibraryEntry[]> {
  const rows = await session.query<EditRow>(`SELECT ${COLUMNS} FROM playbook_entries WHERE tenant_id = $1`, [
    tenantId,
  ]);
  return mergePlaybook({ builtIns, edits: rows.map(toEdit), filter });
}

async function currentEntry(
  tx: SqlSession,
  tenantId: string,
  entryId: string,
  builtIns: readonly PlaybookEntry[],
): Promise<{ builtIn: PlaybookEntry; stored: PlaybookEdit | null }> {
  const builtIn = builtIns.find((candidate) => candidate.id === entryId);
  if (!builtIn) throw new RecordError('not_found', `no playbook entry ${entryId}`);
  const [row] = await tx.query<EditRow>(
    `SELECT ${COLUMNS} FROM playbook_entries WHERE tenant_id = $1 AND entry_id = $2 FOR UPDATE`,
    [tenantId, entryId],
  );
  return { builtIn, stored: row ? toEdit(row) : null };
}

function conflict(entryId: string, current: number, expected: number): RecordError {
  return new RecordError(
    'version_conflict',
    `playbook entry ${entryId} is at version ${current}, not ${expected}; reload it and apply your change again`,
    { currentVersion: current },
  );
}

type PlaybookChange = { title: string; body: string; milestone: string | null };

/** Stores the workspace's text for one built-in entry (version 0 = the built-in, unedited). */
export async function savePlaybookEntry({
  store,
  tenantId,
  entryId,
  expectedVersion,
  change,
  actor,
  now,
  builtIns = DEFAULT_PLAYBOOK,
}: {
  store: Store;
  tenantId: string;
  entryId: string;
  expectedVersion: number;
  change: PlaybookChange;
  actor: string;
  now: Date;
  builtIns?: readonly PlaybookEntry[];
}): Promise<LibraryEntry> {
  return store.transaction(async (tx) => {
    const { builtIn, stored } = await currentEntry(tx, tenantId, entryId, builtIns);
    const version = stored?.version ?? 0;
    if (version !== expectedVersion) throw conflict(entryId, version, expectedVersion);
    const before = stored ?? { title: builtIn.title, body: builtIn.body, milestone: builtIn.milestone };
    const diff = diffFields(
      { title: before.title, body: before.body, milestone: before.milestone },
      { title: change.title, body: change.body, milestone: change.milestone },
    );
    if (Object.keys(diff).length > 0) {
      const written = stored
        ? await tx.execute(
            `UPDATE playbook_entries SET title = $3, body = $4, milestone = $5, version = version + 1,
                    updated_by = $6, updated_at = $7
              WHERE tenant_id = $1 AND entry_id = $2 AND version = $8`,
            [
              tenantId,
              entryId,
              change.title,
              change.body,
              change.milestone,
              actor,
              now.toISOString(),
              version,
            ],
          )
        : await tx.execute(
            `INSERT INTO playbook_entries (tenant_id, entry_id, kind, milestone, language, title, body, version, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) ON CONFLICT (tenant_id, entry_id) DO NOTHING`,
            [
              tenantId,
              entryId,
              builtIn.kind,
              change.milestone,
              builtIn.language,
              change.title,
              change.body,
              actor,
              now.toISOString(),
            ],
          );
      // A concurrent first edit inserted the row after our read: theirs stands, ours is stale.
      if (written === 0) throw conflict(entryId, version + 1, expectedVersion);
      await writeAuditEntry(tx, {
        tenantId,
        at: now,
        actor,
        action: 'update',
        entity: 'playbook_entry',
        entityId: entryId,
        changes: diff,
      });
    }
    const [entry] = await listPlaybookEntry(tx, tenantId, entryId, builtIns);
    return entry!;
  });
}

/** Drops the workspace's copy so the built-in text is served again; `expectedVersion` guards it when given. */
export async function resetPlaybookEntry({
  store,
  tenantId,
  entryId,
  expectedVersion,
  actor,
  now,
  builtIns = DEFAULT_PLAYBOOK,
}: {
  store: Store;
  tenantId: string;
  entryId: string;
  expectedVersion: number | null;
  actor: string;
  now: Date;
  builtIns?: readonly PlaybookEntry[];
}): Promise<LibraryEntry> {
  return store.transaction(async (tx) => {
    const { builtIn, stored } = await currentEntry(tx, tenantId, entryId, builtIns);
    const version = stored?.version ?? 0;
    if (expectedVersion !== null && version !== expectedVersion) {
      throw conflict(entryId, version, expectedVersion);
    }
    if (stored) {
      await tx.execute('DELETE FROM playbook_entries WHERE tenant_id = $1 AND entry_id = $2', [
        tenantId,
        entryId,
      ]);
      await writeAuditEntry(tx, {
        tenantId,
        at: now,
        actor,
        action: 'reset',
        entity: 'playbook_entry',
        entityId: entryId,
        changes: diffFields(
          { title: stored.title, body: stored.body, milestone: stored.milestone },
          { title: builtIn.title, body: builtIn.body, milestone: builtIn.milestone },
        ),
      });
    }
    return builtInEntry(builtIn);
  });
}

async function listPlaybookEntry(
  session: SqlSession,
  tenantId: string,
  entryId: string,
  builtIns: readonly PlaybookEntry[],
): Promise<LibraryEntry[]> {
  const rows = await session.query<EditRow>(
    `SELECT ${COLUMNS} FROM playbook_entries WHERE tenant_id = $1 AND entry_id = $2`,
    [tenantId, entryId],
  );
  return mergePlaybook({
    builtIns: builtIns.filter((candidate) => candidate.id === entryId),
    edits: rows.map(toEdit),
  });
}
