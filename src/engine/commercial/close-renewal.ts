/**
 * Closes a renewal by hand: won / lost / downgraded / churned, with the fields each outcome needs
 * (won and downgraded: renewed ARR and term years; lost and churned: at least one reason), the
 * competitor, and lessons learned. Written through the same engine function as
 * `PATCH /renewals/:contractId` (`updateRenewal`: optimistic lock, each field's old and new value in
 * the audit trail, `renewal.closed` webhook, all in one transaction): outcome won/lost, stage
 * closed_won/closed_lost, and the detailed outcome and lessons in their own columns.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import type { Store } from '../../store/store.ts';
import { RecordError } from '../queries/record-error.ts';
import { findRenewal, type RenewalView } from '../queries/renewal-view.ts';
import { updateRenewal } from '../queries/update-renewal.ts';
import { loadActor } from './proposal-records.ts';

export const CLOSE_OUTCOMES = ['won', 'lost', 'downgraded', 'churned'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export type CloseRenewalInput = {
  contractId: string;
  outcome: CloseOutcome;
  reasons?: string[];
  competitor?: string;
  /** Decimal amount in the contract's currency ("123.45"). */
  renewedArr?: string;
  termYears?: number;
  lessons?: string;
  closedOn?: CalendarDate;
};

/** The problems with a close-out, field by field (empty when it may be recorded). */
export function checkCloseRenewal(input: CloseRenewalInput): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  const reasons = (input.reasons ?? []).map((reason) => reason.trim()).filter(Boolean);
  if (input.outcome === 'won' || input.outcome === 'downgraded') {
    if (!input.renewedArr?.trim())
      problems.push({ field: 'renewedArr', problem: `${input.outcome} needs the renewed ARR` });
    if (input.termYears === undefined)
      problems.push({ field: 'termYears', problem: `${input.outcome} needs the term in years` });
  } else if (reasons.length === 0) {
    problems.push({ field: 'reasons', problem: `${input.outcome} needs at least one reason` });
  }
  if (
    input.termYears !== undefined &&
    !(Number.isInteger(input.termYears) && input.termYears >= 1 && input.termYears <= 10)
  ) {
    problems.push({ field: 'termYears', problem: 'term years is a whole number from 1 to 10' });
  }
  return problems;
}

export async function closeRenewal({
  store,
  tenantId,
  actorId,
  at,
  input,
}: {
  store: Store;
  tenantId: string;
  actorId: string;
  at: Date;
  input: CloseRenewalInput;
}): Promise<{ renewal: RenewalView; changed: string[] }> {
  const problems = checkCloseRenewal(input);
  if (problems.length > 0) {
    throw new RecordError('invalid_value', problems.map((p) => p.problem).join('; '), { fields: problems });
  }
  const actor = await loadActor(store, tenantId, actorId);
  const row = await findRenewal(store, tenantId, input.contractId);
  if (!row) throw new RecordError('not_found', `no renewal ${input.contractId}`);
  const won = input.outcome === 'won' || input.outcome === 'downgraded';
  const reasons = (input.reasons ?? []).map((reason) => reason.trim()).filter(Boolean);
  return updateRenewal({
    store,
    tenantId,
    contractId: input.contractId,
    expectedVersion: row.version,
    actor: actor.userId,
    now: at,
    changes: {
      outcome: won ? 'won' : 'lost',
      stage: won ? 'closed_won' : 'closed_lost',
      closeOutcome: input.outcome,
      ...(input.lessons?.trim() ? { lessons: input.lessons.trim() } : {}),
      ...(input.closedOn ? { closedOn: input.closedOn } : {}),
      ...(reasons.length > 0 ? { reasons } : {}),
      ...(input.competitor?.trim() ? { competitor: input.competitor.trim() } : {}),
      ...(input.renewedArr?.trim() ? { renewedArr: input.renewedArr.trim() } : {}),
      ...(input.termYears !== undefined ? { termYears: input.termYears } : {}),
    },
  });
}
