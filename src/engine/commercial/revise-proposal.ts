/**
 * Revises a proposal: re-prices the renewal as of a date with the chosen option and makes the next
 * version (draft, fresh approvals) as a new row. The revised version's row is left exactly as it was,
 * so a sent version stays frozen as the customer saw it. Only the latest version can be revised;
 * a signed proposal is closed.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import { revise } from '../../domain/pricing/approval-workflow.ts';
import type { Store } from '../../store/store.ts';
import { CommercialError } from './commercial-error.ts';
import { priceProposalTerms } from './price-proposal-terms.ts';
import {
  checkExpectedSequence,
  isUniqueViolation,
  loadActor,
  loadProposal,
  type ProposalRecord,
  requireLatest,
  storedWorkflow,
  unwrap,
  writeAudit,
} from './proposal-records.ts';
import type { ValueAssumptionsInput } from './summarize-value-delivered.ts';

export type ReviseProposalOptions = {
  store: Store;
  tenantId: string;
  proposalId: number;
  actorId: string;
  asOf: CalendarDate;
  at: string;
  /** The option of the new version; defaults to the current version's. */
  optionKey?: string;
  seatsChange?: number;
  customTerms?: string;
  comment?: string;
  expectedSequence?: number;
  valueAssumptions?: ValueAssumptionsInput;
};

export async function reviseProposal({
  store,
  tenantId,
  proposalId,
  actorId,
  asOf,
  at,
  optionKey,
  seatsChange,
  customTerms,
  comment,
  expectedSequence,
  valueAssumptions,
}: ReviseProposalOptions): Promise<ProposalRecord> {
  try {
    return await store.transaction(async (tx) => {
      const actor = await loadActor(tx, tenantId, actorId);
      const record = await loadProposal(tx, tenantId, proposalId);
      requireLatest(record);
      checkExpectedSequence(record, expectedSequence);
      if (record.status === 'signed') {
        throw new CommercialError(
          'proposal_closed',
          `proposal ${record.id} is signed; the next term's renewal needs a new proposal`,
        );
      }
      const terms = await priceProposalTerms({
        session: tx,
        tenantId,
        contractId: record.contractId,
        optionKey: optionKey ?? record.terms.chosenOptionKey,
        asOf,
        ...(seatsChange === undefined ? {} : { seatsChange }),
        ...(customTerms === undefined ? {} : { customTerms }),
        ...(valueAssumptions ? { valueAssumptions } : {}),
      });
      const next = unwrap(
        revise(record.workflow, {
          actor,
          at,
          terms,
          requiredApprovals: terms.chosen.requiredApprovals,
          startNewVersion: true,
          ...(comment ? { comment } : {}),
        }),
      );
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO proposals (tenant_id, contract_id, account_id, version, status, currency, terms, workflow,
           sequence, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
        [
          tenantId,
          record.contractId,
          record.accountId,
          next.version,
          next.status,
          terms.contract.currency,
          JSON.stringify(terms),
          JSON.stringify(storedWorkflow(next)),
          next.sequence,
          actor.userId,
          at,
        ],
      );
      const id = Number(row!.id);
      await writeAudit(tx, {
        tenantId,
        at,
        actor: actor.userId,
        action: 'proposal.revise',
        entity: 'proposal',
        entityId: String(id),
        changes: {
          revises: record.id,
          version: { old: record.version, new: next.version },
          status: { old: record.status, new: next.status },
          option: { old: record.terms.chosenOptionKey, new: terms.chosenOptionKey },
          totalContractValueMinor: {
            old: record.terms.chosen.totalContractValueMinor,
            new: terms.chosen.totalContractValueMinor,
          },
          requiredApprovals: { old: record.workflow.requiredApprovals, new: next.requiredApprovals },
          ...(next.audit.at(-1)?.comment ? { comment: next.audit.at(-1)?.comment } : {}),
        },
      });
      return loadProposal(tx, tenantId, id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new CommercialError(
        'conflict',
        `proposal ${proposalId} was revised concurrently; reload and retry`,
      );
    }
    throw error;
  }
}
