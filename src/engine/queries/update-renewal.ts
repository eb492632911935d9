/**
 * Changes a renewal under optimistic locking: the caller names the version it read; if the row has
 * moved on, nothing is written and the caller gets `version_conflict` with the current version. The
 * change, its audit entry (each field's old and new value) and any webhook events commit together.
 */
import { parseMoney } from '../../domain/money.ts';
import type { Store } from '../../store/store.ts';
import { diffFields, writeAuditEntry } from './audit-trail.ts';
import { MANUAL_OWNER_RULE } from './owner-override.ts';
import { raiseRenewalEvents } from './raise-renewal-events.ts';
import { RecordError, requireVersion } from './record-error.ts';
import { findRenewal, type RenewalRow, type RenewalView, toRenewalView } from './renewal-view.ts';
import { tenantToday } from './tenant-today.ts';

export type RenewalChanges = {
  stage?: string | null;
  outcome?: 'won' | 'lost' | 'pending';
  closedOn?: string | null;
  reasons?: string[];
  competitor?: string | null;
  termYears?: number | null;
  /** Decimal amount in the contract's currency. */
  renewedArr?: string | null;
  csmCategory?: string | null;
  csmNote?: string | null;
  ownerUserId?: string | null;
  closeOutcome?: string | null;
  lessons?: string | null;
};

/** The API field each change writes, with its column and how the current row reads it. */
const FIELDS = {
  stage: { column: 'stage', read: (row: RenewalRow) => row.stage },
  outcome: { column: 'outcome', read: (row: RenewalRow) => row.outcome },
  closedOn: { column: 'closed_on', read: (row: RenewalRow) => row.closed_on },
  reasons: { column: 'reasons', read: (row: RenewalRow) => row.reasons },
  competitor: { column: 'competitor', read: (row: RenewalRow) => row.competitor },
  termYears: { column: 'term_years', read: (row: RenewalRow) => row.term_years },
  renewedArrMinor: {
    column: 'renewed_arr_minor',
    read: (row: RenewalRow) => (row.renewed_arr_minor === null ? null : Number(row.renewed_arr_minor)),
  },
  csmCategory: { column: 'csm_category', read: (row: RenewalRow) => row.csm_category },
  csmNote: { column: 'csm_note', read: (row: RenewalRow) => row.csm_note },
  ownerUserId: { column: 'owner_user_id', read: (row: RenewalRow) => row.owner_user_id },
  closeOutcome: { column: 'close_outcome', read: (row: RenewalRow) => row.close_outcome },
  lessons: { column: 'lessons', read: (row: RenewalRow) => row.lessons },
} as const;
type Field = keyof typeof FIELDS;

export async function updateRenewal({
  store,
  tenantId,
  contractId,
  expectedVersion,
  changes,
  actor,
  now,
}: {
  store: Store;
  tenantId: string;
  contractId: string;
  expectedVersion: number;
  changes: RenewalChanges;
  actor: string;
  now: Date;
}): Promise<{ renewal: RenewalView; changed: string[] }> {
  return store.transaction(async (tx) => {
    const row = requireVersion(await findRenewal(tx, tenantId, contractId, { forUpdate: true }), {
      label: `renewal ${contractId}`,
      expectedVersion,
    });
    const next: Partial<Record<Field, unknown>> = {};
    for (const key of [
      'stage',
      'closedOn',
      'reasons',
      'competitor',
      'termYears',
      'csmNote',
      'closeOutcome',
      'lessons',
    ] as const) {
      if (changes[key] !== undefined) next[key] = changes[key];
    }
    if (changes.outcome !== undefined) {
      next.outcome = changes.outcome;
      if (changes.outcome === 'pending') {
        next.closedOn = null;
        next.closeOutcome = null;
      } else if (changes.closedOn === undefined && row.closed_on === null)
        next.closedOn = await tenantToday(tx, tenantId, now);
    }
    if (changes.renewedArr !== undefined) {
      if (changes.renewedArr === null) next.renewedArrMinor = null;
      else {
        const parsed = parseMoney(changes.renewedArr, row.currency);
        if ('problem' in parsed) {
          throw new RecordError('invalid_value', `renewedArr: ${parsed.problem}`, { field: 'renewedArr' });
        }
        next.renewedArrMinor = parsed.minor;
      }
    }
    if (changes.csmCategory !== undefined) next.csmCategory = changes.csmCategory;
    if (changes.ownerUserId !== undefined && changes.ownerUserId !== null) {
      const [user] = await tx.query(
        'SELECT 1 FROM users WHERE tenant_id = $1 AND user_id = $2 AND NOT disabled',
        [tenantId, changes.ownerUserId],
      );
      if (!user) {
        throw new RecordError('unknown_user', `no active user ${changes.ownerUserId} in this workspace`, {
          field: 'ownerUserId',
        });
      }
    }
    if (changes.ownerUserId !== undefined) next.ownerUserId = changes.ownerUserId;

    const before = Object.fromEntries(
      (Object.keys(next) as Field[]).map((field) => [field, FIELDS[field].read(row)]),
    );
    const diff = diffFields(before, next);
    const changed = Object.keys(diff) as Field[];
    if (changed.length === 0) return { renewal: toRenewalView(row), changed: [] };

    const values: unknown[] = [tenantId, contractId, now.toISOString()];
    const assignments = changed.map((field) => {
      values.push(next[field]);
      return `${FIELDS[field].column} = $${values.length}`;
    });
    if (changed.includes('ownerUserId')) {
      // A person chose this owner: the daily run keeps it (null hands the renewal back to routing).
      values.push(next.ownerUserId, next.ownerUserId === null ? null : MANUAL_OWNER_RULE);
      assignments.push(`owner_override_user_id = $${values.length - 1}`, `owner_rule = $${values.length}`);
    }
    if (changed.includes('csmCategory')) {
      values.push(actor);
      assignments.push(`csm_category_by = $${values.length}`, 'csm_category_at = $3');
    }
    await tx.execute(
      `UPDATE renewals SET ${assignments.join(', ')}, version = version + 1, updated_at = $3
        WHERE tenant_id = $1 AND contract_id = $2`,
      values,
    );
    await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor,
      action: 'update',
      entity: 'renewal',
      entityId: contractId,
      changes: diff,
    });
    await raiseRenewalEvents({
      session: tx,
      tenantId,
      contractId,
      before: { stage: row.stage, outcome: row.outcome },
      actor,
      at: now,
    });
    const after = (await findRenewal(tx, tenantId, contractId))!;
    return { renewal: toRenewalView(after), changed };
  });
}
