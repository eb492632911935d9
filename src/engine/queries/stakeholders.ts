/**
 * Stakeholder edits from the renewal room: add a contact, or change one under optimistic locking
 * (the caller names the version it read; an import or another edit since then is a conflict). The
 * change, its audit entry and the `updated_at` stamp the incremental daily run watches commit together.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import type { StakeholderRole, Stance, Strength } from '../../domain/records.ts';
import type { SqlSession, Store } from '../../store/store.ts';
import { diffFields, writeAuditEntry } from './audit-trail.ts';
import { RecordError, requireVersion } from './record-error.ts';

export type StakeholderFields = {
  name: string;
  email: string | null;
  role: StakeholderRole;
  strength: Strength | null;
  stance: Stance | null;
  lastContactOn: CalendarDate | null;
  leftOn: CalendarDate | null;
};

export type StakeholderRecordView = StakeholderFields & {
  stakeholderId: string;
  accountId: string;
  version: number;
};

const COLUMNS: Record<keyof StakeholderFields, string> = {
  name: 'name',
  email: 'email',
  role: 'role',
  strength: 'strength',
  stance: 'stance',
  lastContactOn: 'last_contact_on',
  leftOn: 'left_on',
};

type Row = {
  stakeholder_id: string;
  account_id: string;
  name: string;
  email: string | null;
  role: StakeholderRole;
  strength: Strength | null;
  stance: Stance | null;
  last_contact_on: string | null;
  left_on: string | null;
  version: number;
};

function toView(row: Row): StakeholderRecordView {
  return {
    stakeholderId: row.stakeholder_id,
    accountId: row.account_id,
    name: row.name,
    email: row.email,
    role: row.role,
    strength: row.strength,
    stance: row.stance,
    lastContactOn: row.last_contact_on,
    leftOn: row.left_on,
    version: row.version,
  };
}

export async function findStakeholder(
  session: SqlSession,
  tenantId: string,
  stakeholderId: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<StakeholderRecordView | null> {
  const [row] = await session.query<Row>(
    `SELECT stakeholder_id, account_id, name, email, role, strength, stance, last_contact_on::text AS last_contact_on,
            left_on::text AS left_on, version
       FROM stakeholders WHERE tenant_id = $1 AND stakeholder_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, stakeholderId],
  );
  return row ? toView(row) : null;
}

export async function createStakeholder({
  store,
  tenantId,
  accountId,
  stakeholderId,
  fields,
  actor,
  now,
}: {
  store: Store;
  tenantId: string;
  accountId: string;
  stakeholderId: string;
  fields: StakeholderFields;
  actor: string;
  now: Date;
}): Promise<StakeholderRecordView> {
  return store.transaction(async (tx) => {
    const inserted = await tx.execute(
      `INSERT INTO stakeholders (tenant_id, stakeholder_id, account_id, name, email, role, strength, stance,
         last_contact_on, left_on, updated_at)
       SELECT $1, $2, a.account_id, $4, $5, $6, $7, $8, $9, $10, now()
         FROM accounts a WHERE a.tenant_id = $1 AND a.account_id = $3
       ON CONFLICT (tenant_id, stakeholder_id) DO NOTHING`,
      [
        tenantId,
        stakeholderId,
        accountId,
        fields.name,
        fields.email,
        fields.role,
        fields.strength,
        fields.stance,
        fields.lastContactOn,
        fields.leftOn,
      ],
    );
    if (inserted === 0) {
      const existing = await findStakeholder(tx, tenantId, stakeholderId);
      if (existing) {
        throw new RecordError('invalid_value', `stakeholder ${stakeholderId} already exists`, {
          field: 'stakeholderId',
        });
      }
      throw new RecordError('not_found', `no account ${accountId}`);
    }
    await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor,
      action: 'create',
      entity: 'stakeholder',
      entityId: stakeholderId,
      changes: diffFields({}, { accountId, ...fields }),
    });
    return (await findStakeholder(tx, tenantId, stakeholderId))!;
  });
}

export async function updateStakeholder({
  store,
  tenantId,
  stakeholderId,
  expectedVersion,
  changes,
  actor,
  now,
}: {
  store: Store;
  tenantId: string;
  stakeholderId: string;
  expectedVersion: number;
  changes: Partial<StakeholderFields>;
  actor: string;
  now: Date;
}): Promise<{ stakeholder: StakeholderRecordView; changed: string[] }> {
  return store.transaction(async (tx) => {
    const current = requireVersion(await findStakeholder(tx, tenantId, stakeholderId, { forUpdate: true }), {
      label: `stakeholder ${stakeholderId}`,
      expectedVersion,
    });
    const fields = (Object.keys(changes) as (keyof StakeholderFields)[]).filter(
      (field) => changes[field] !== undefined,
    );
    const before = Object.fromEntries(fields.map((field) => [field, current[field]]));
    const after = Object.fromEntries(fields.map((field) => [field, changes[field]]));
    const diff = diffFields(before, after);
    const changed = Object.keys(diff) as (keyof StakeholderFields)[];
    if (changed.length === 0) return { stakeholder: current, changed: [] };
    const values: unknown[] = [tenantId, stakeholderId];
    const assignments = changed.map((field) => {
      values.push(changes[field]);
      return `${COLUMNS[field]} = $${values.length}`;
    });
    await tx.execute(
      `UPDATE stakeholders SET ${assignments.join(', ')}, version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND stakeholder_id = $2`,
      values,
    );
    await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor,
      action: 'update',
      entity: 'stakeholder',
      entityId: stakeholderId,
      changes: diff,
    });
    return { stakeholder: (await findStakeholder(tx, tenantId, stakeholderId))!, changed };
  });
}
