/**
 * Creates the proposal for a renewal (version 1, draft) from the current quote and a chosen option,
 * in one transaction with its audit row. One proposal per renewal: later changes are versions of it
 * (`reviseProposal`), so a second create is `proposal_exists`.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import { createProposal as createWorkflow } from '../../domain/pricing/approval-workflow.ts';
import type { Store } from '../../store/store.ts';
import { CommercialError } from './commercial-error.ts';
import { priceProposalTerms } from './price-proposal-terms.ts';
import {
  isUniqueViolation,
  loadActor,
  loadProposal,
  type ProposalRecord,
  storedWorkflow,
  unwrap,
  writeAudit,
} from './proposal-records.ts';
import type { ValueAssumptionsInput } from './summarize-value-delivered.ts';

export type CreateProposalOptions = {
  store: Store;
  tenantId: string;
  contractId: string;
  optionKey: string;
  actorId: string;
  /** The date the quote is priced as of (months early, evaluation). */
  asOf: CalendarDate;
  /** The instant of the action, ISO 8601 with offset. */
  at: string;
  seatsChange?: number;
  customTerms?: string;
  comment?: string;
  valueAssumptions?: ValueAssumptionsInput;
};

export async function createProposal({
  store,
  tenantId,
  contractId,
  optionKey,
  actorId,
  asOf,
  at,
  seatsChange,
  customTerms,
  comment,
  valueAssumptions,
}: CreateProposalOptions): Promise<ProposalRecord> {
  try {
    return await store.transaction(async (tx) => {
      const actor = await loadActor(tx, tenantId, actorId);
      const [existing] = await tx.query<{ id: number }>(
        'SELECT id FROM proposals WHERE tenant_id = $1 AND contract_id = $2 ORDER BY version DESC LIMIT 1',
        [tenantId, contractId],
      );
      if (existing) {
        throw new CommercialError(
          'proposal_exists',
          `renewal ${contractId} already has proposal ${existing.id}; revise it to change the terms`,
        );
      }
      const terms = await priceProposalTerms({
        session: tx,
        tenantId,
        contractId,
        optionKey,
        asOf,
        ...(seatsChange === undefined ? {} : { seatsChange }),
        ...(customTerms === undefined ? {} : { customTerms }),
        ...(valueAssumptions ? { valueAssumptions } : {}),
      });
      const workflow = unwrap(
        createWorkflow({
          proposalId: `${contractId}`,
          terms,
          requiredApprovals: terms.chosen.requiredApprovals,
          actor,
          at,
          ...(comment ? { comment } : {}),
        }),
      );
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO proposals (tenant_id, contract_id, account_id, version, status, currency, terms, workflow,
           sequence, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
        [
          tenantId,
          contractId,
          terms.account.accountId,
          workflow.version,
          workflow.status,
          terms.contract.currency,
          JSON.stringify(terms),
          JSON.stringify(storedWorkflow(workflow)),
          workflow.sequence,
          actor.userId,
          at,
        ],
      );
      const id = Number(row!.id);
      await writeAudit(tx, {
        tenantId,
        at,
        actor: actor.userId,
        action: 'proposal.create',
        entity: 'proposal',
        entityId: String(id),
        changes: {
          status: { old: null, new: workflow.status },
          version: { old: null, new: workflow.version },
          option: { old: null, new: terms.chosenOptionKey },
          totalContractValueMinor: { old: null, new: terms.chosen.totalContractValueMinor },
          requiredApprovals: { old: null, new: workflow.requiredApprovals },
        },
      });
      return loadProposal(tx, tenantId, id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new CommercialError(
        'conflict',
        `renewal ${contractId} got a proposal concurrently; reload and retry`,
      );
    }
    throw error;
  }
}
