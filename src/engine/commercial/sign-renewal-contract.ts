/**
 * Records the customer's signature on a renewal agreement (the signing link's token) and closes the
 * renewal, all in one transaction:
 * - the signature request → signed (with the name typed, the time and the signer's IP when known);
 * - the proposal → signed (the domain workflow, recorded by the e-signature system actor);
 * - the renewal → closed won (outcome, closed_on, stage closed_won, renewed ARR = year 1 of the
 *   option, term years, days signed before the end date);
 * - the old contract → renewed, and the next term's contract is created (chain kept through
 *   previous_contract_id) with its pending renewal row.
 * Idempotent: a token already signed changes nothing and reports the same outcome, so a retried
 * request (or a webhook delivered three times) creates exactly one next term.
 */
import { daysBetween } from '../../domain/calendar.ts';
import { markSigned } from '../../domain/pricing/approval-workflow.ts';
import type { SqlSession, Store } from '../../store/store.ts';
import { raiseRenewalEvents } from '../queries/raise-renewal-events.ts';
import { CommercialError } from './commercial-error.ts';
import { openCloseTasks } from './open-close-tasks.ts';
import { type NextTerm, planNextTerm } from './plan-next-term.ts';
import { loadProposal, requireLatest, saveWorkflowChange, unwrap, writeAudit } from './proposal-records.ts';
import { findSignatureById } from './signature-lookup.ts';
import { findSignatureByToken, isExpired } from './signature-records.ts';

/** The actor the e-signature flow records customer actions under (not a user of the tenant). */
export const ESIGN_ACTOR = { userId: 'esign', role: 'admin' } as const;

export type SignRenewalContractOptions = {
  store: Store;
  tenantId: string;
  /** The signing link's token, or (from a signed provider webhook) the signature request id. */
  token?: string;
  signatureId?: number;
  signerName: string;
  at: string;
  signerIp?: string;
};

export type SignedRenewal = {
  alreadySigned: boolean;
  proposalId: number;
  signatureId: number;
  renewedContractId: string;
  nextTerm: NextTerm;
  renewedArrMinor: number;
  currency: string;
  termYears: number;
  signedDaysEarly: number;
  closedOn: string;
};

export function signRenewalContract({
  store,
  ...options
}: SignRenewalContractOptions): Promise<SignedRenewal> {
  return store.transaction((tx) => signRenewalContractIn(tx, options));
}

/** The same, inside the caller's transaction (the signature webhook records its event with it). */
export async function signRenewalContractIn(
  tx: SqlSession,
  { tenantId, token, signatureId, signerName, at, signerIp }: Omit<SignRenewalContractOptions, 'store'>,
): Promise<SignedRenewal> {
  const name = signerName.trim();
  if (name === '') throw new CommercialError('comment_required', 'type the signer name to sign');
  {
    const signature =
      token !== undefined
        ? await findSignatureByToken(tx, token, { forUpdate: true })
        : await findSignatureById(tx, signatureId ?? -1, { forUpdate: true });
    if (signature.tenantId !== tenantId) {
      throw new CommercialError('signature_not_found', 'no signature request matches this token');
    }
    const record = await loadProposal(tx, tenantId, signature.proposalId);
    const chosen = record.terms.chosen;
    const closedOn = (signature.completedAt ?? at).slice(0, 10);
    const outcome = (alreadySigned: boolean): SignedRenewal => ({
      alreadySigned,
      proposalId: record.id,
      signatureId: signature.id,
      renewedContractId: record.contractId,
      nextTerm: planNextTerm({
        contractId: record.contractId,
        endDate: record.terms.contract.endDate,
        termYears: chosen.termYears,
      }),
      renewedArrMinor: chosen.years[0]?.amountMinor ?? 0,
      currency: record.currency,
      termYears: chosen.termYears,
      signedDaysEarly: daysBetween(closedOn, record.terms.contract.endDate),
      closedOn,
    });
    if (signature.status === 'signed') return outcome(true);
    if (signature.status === 'declined' || signature.status === 'expired') {
      throw new CommercialError('signature_closed', `this signature request was ${signature.status}`);
    }
    if (isExpired(signature, at)) {
      throw new CommercialError('signature_closed', `this signing link expired (sent ${signature.sentAt})`);
    }
    requireLatest(record);
    const result = outcome(false);
    const next = result.nextTerm;

    const updated = await tx.execute(
      `UPDATE signatures SET status = 'signed', completed_at = $2, viewed_at = coalesce(viewed_at, $2),
         signer_name = $3, signer_ip = $4
       WHERE id = $1 AND status IN ('sent', 'viewed')`,
      [signature.id, at, name, signerIp ?? null],
    );
    if (updated !== 1)
      throw new CommercialError('conflict', 'the signature request changed meanwhile; retry');
    await writeAudit(tx, {
      tenantId,
      at,
      actor: `signer:${signature.signerEmail}`,
      action: 'signature.sign',
      entity: 'signature',
      entityId: String(signature.id),
      changes: {
        status: { old: signature.status, new: 'signed' },
        signerName: { old: signature.signerName, new: name },
        ...(signerIp ? { signerIp } : {}),
      },
    });

    const signed = unwrap(
      markSigned(record.workflow, {
        actor: ESIGN_ACTOR,
        at,
        comment: `signed by ${name} <${signature.signerEmail}>`,
      }),
    );
    await saveWorkflowChange({
      session: tx,
      tenantId,
      record,
      next: signed,
      at,
      actor: ESIGN_ACTOR.userId,
      action: 'sign',
      extraChanges: { signatureId: signature.id },
    });

    const [before] = await tx.query<{ outcome: string; stage: string | null }>(
      'SELECT outcome, stage FROM renewals WHERE tenant_id = $1 AND contract_id = $2 FOR UPDATE',
      [tenantId, record.contractId],
    );
    await tx.execute(
      `INSERT INTO renewals AS r (tenant_id, contract_id, account_id, due_date, outcome, closed_on, stage,
         renewed_arr_minor, term_years, signed_days_early)
       VALUES ($1, $2, $3, $4, 'won', $5, 'closed_won', $6, $7, $8)
       ON CONFLICT (tenant_id, contract_id) DO UPDATE SET outcome = 'won', closed_on = EXCLUDED.closed_on,
         stage = 'closed_won', renewed_arr_minor = EXCLUDED.renewed_arr_minor, term_years = EXCLUDED.term_years,
         signed_days_early = EXCLUDED.signed_days_early, version = r.version + 1, updated_at = now()
       WHERE r.outcome = 'pending'`,
      [
        tenantId,
        record.contractId,
        record.accountId,
        record.terms.renewal.dueDate,
        result.closedOn,
        result.renewedArrMinor,
        result.termYears,
        result.signedDaysEarly,
      ],
    );
    // Subscribers hear of the close like any other: the stage moved and the renewal closed won.
    await raiseRenewalEvents({
      session: tx,
      tenantId,
      contractId: record.contractId,
      before: { stage: before?.stage ?? null, outcome: before?.outcome ?? 'pending' },
      actor: ESIGN_ACTOR.userId,
      at: new Date(at),
    });
    await writeAudit(tx, {
      tenantId,
      at,
      actor: ESIGN_ACTOR.userId,
      action: 'renewal.close_won',
      entity: 'renewal',
      entityId: record.contractId,
      changes: {
        outcome: { old: before?.outcome ?? null, new: 'won' },
        stage: { old: before?.stage ?? null, new: 'closed_won' },
        closedOn: { old: null, new: result.closedOn },
        renewedArrMinor: { old: null, new: result.renewedArrMinor },
        termYears: { old: null, new: result.termYears },
        signedDaysEarly: { old: null, new: result.signedDaysEarly },
      },
    });

    const renewed = await tx.execute(
      `UPDATE contracts SET status = 'renewed', updated_at = now()
       WHERE tenant_id = $1 AND contract_id = $2 AND status = 'active'`,
      [tenantId, record.contractId],
    );
    if (renewed > 0) {
      await writeAudit(tx, {
        tenantId,
        at,
        actor: ESIGN_ACTOR.userId,
        action: 'contract.renewed',
        entity: 'contract',
        entityId: record.contractId,
        changes: { status: { old: 'active', new: 'renewed' }, renewedBy: next.contractId },
      });
    }
    const created = await tx.execute(
      `INSERT INTO contracts (tenant_id, contract_id, account_id, start_date, end_date, arr_minor, currency, seats,
         auto_renew, payment_on_file, notice_days, status, previous_contract_id)
       SELECT tenant_id, $3, account_id, $4, $5, $6, currency, $7, auto_renew, payment_on_file, notice_days,
         'active', contract_id
       FROM contracts WHERE tenant_id = $1 AND contract_id = $2
       ON CONFLICT (tenant_id, contract_id) DO NOTHING`,
      [
        tenantId,
        record.contractId,
        next.contractId,
        next.startDate,
        next.endDate,
        result.renewedArrMinor,
        chosen.seats ?? record.terms.contract.seats,
      ],
    );
    if (created === 0) {
      const [existing] = await tx.query<{ previous_contract_id: string | null }>(
        'SELECT previous_contract_id FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
        [tenantId, next.contractId],
      );
      if (existing?.previous_contract_id !== record.contractId) {
        throw new CommercialError(
          'contract_id_taken',
          `contract id ${next.contractId} for the next term is already used by another contract`,
        );
      }
    } else {
      await writeAudit(tx, {
        tenantId,
        at,
        actor: ESIGN_ACTOR.userId,
        action: 'contract.create',
        entity: 'contract',
        entityId: next.contractId,
        changes: {
          previousContractId: record.contractId,
          startDate: next.startDate,
          endDate: next.endDate,
          arrMinor: result.renewedArrMinor,
          currency: record.currency,
          seats: chosen.seats,
          fromProposal: record.id,
        },
      });
    }
    await tx.execute(
      `INSERT INTO renewals (tenant_id, contract_id, account_id, due_date)
       VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, contract_id) DO NOTHING`,
      [tenantId, next.contractId, record.accountId, next.endDate],
    );
    await openCloseTasks(tx, {
      tenantId,
      contractId: record.contractId,
      accountId: record.accountId,
      ownerUserId: record.terms.owner?.userId ?? null,
      closedOn: result.closedOn,
      nextTermStart: next.startDate,
    });
    return result;
  }
}
