/**
 * Applies one e-signature provider event (already HMAC-verified by the caller) in one transaction:
 * the event id is recorded first in `signature_events` (primary key provider × event id), so a
 * replayed delivery changes nothing and reports `duplicate`. Then:
 * - `sent`: nothing more (the request was opened by `proposal contract`);
 * - `viewed`: the request → viewed, `viewed_at` set once;
 * - `signed`: the signing use case (closes the renewal won, next term, T+0 tasks) — idempotent;
 * - `declined` / `expired`: the decline path (renewal back to negotiation, alert to the owner).
 * A failure rolls the event back too, so the provider's retry is applied once the cause is fixed.
 */
import { z } from 'zod';
import type { Store } from '../../store/store.ts';
import { CommercialError } from './commercial-error.ts';
import { declineRenewalContractIn } from './decline-renewal-contract.ts';
import { signRenewalContractIn } from './sign-renewal-contract.ts';
import { findSignatureById } from './signature-lookup.ts';
import { findSignatureByToken } from './signature-records.ts';

export const SIGNATURE_EVENT_TYPES = ['sent', 'viewed', 'signed', 'declined', 'expired'] as const;

export const SignatureEventSchema = z
  .object({
    eventId: z.string().min(1).max(200),
    type: z.enum(SIGNATURE_EVENT_TYPES),
    signatureRequestId: z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/)]).optional(),
    token: z.string().min(10).max(500).optional(),
    signerName: z.string().max(300).optional(),
    occurredAt: z.iso.datetime({ offset: true }),
    reason: z.string().max(2000).optional(),
  })
  .refine((event) => (event.signatureRequestId === undefined) !== (event.token === undefined), {
    message: 'name exactly one of signatureRequestId or token',
  });
export type SignatureEvent = z.infer<typeof SignatureEventSchema>;

export type SignatureEventResult = {
  duplicate: boolean;
  type: SignatureEvent['type'];
  signatureId: number;
  proposalId: number;
  /** What the event did: `recorded`, `viewed`, `signed`, `already_signed`, `declined`, `expired`, `unchanged`. */
  effect: string;
  nextContractId?: string;
};

export async function applySignatureEvent({
  store,
  provider,
  event,
}: {
  store: Store;
  provider: string;
  event: SignatureEvent;
}): Promise<SignatureEventResult> {
  return store.transaction(async (tx) => {
    const signature =
      event.token !== undefined
        ? await findSignatureByToken(tx, event.token, { forUpdate: true })
        : await findSignatureById(tx, Number(event.signatureRequestId), { forUpdate: true });
    const inserted = await tx.execute(
      `INSERT INTO signature_events (provider, event_id, tenant_id, signature_id, kind, received_at)
       VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (provider, event_id) DO NOTHING`,
      [provider, event.eventId, signature.tenantId, signature.id, event.type],
    );
    const base = { type: event.type, signatureId: signature.id, proposalId: signature.proposalId };
    if (inserted === 0) return { ...base, duplicate: true, effect: 'unchanged' };
    const at = new Date(event.occurredAt).toISOString();
    const ref = { tenantId: signature.tenantId, signatureId: signature.id, at };
    switch (event.type) {
      case 'sent':
        return { ...base, duplicate: false, effect: 'recorded' };
      case 'viewed': {
        const changed = await tx.execute(
          `UPDATE signatures SET viewed_at = coalesce(viewed_at, $2),
             status = CASE WHEN status = 'sent' THEN 'viewed' ELSE status END
           WHERE id = $1 AND viewed_at IS NULL`,
          [signature.id, at],
        );
        return { ...base, duplicate: false, effect: changed > 0 ? 'viewed' : 'unchanged' };
      }
      case 'signed': {
        const signed = await signRenewalContractIn(tx, {
          ...ref,
          signerName: event.signerName?.trim() || signature.signerName,
        });
        return {
          ...base,
          duplicate: false,
          effect: signed.alreadySigned ? 'already_signed' : 'signed',
          nextContractId: signed.nextTerm.contractId,
        };
      }
      case 'declined':
      case 'expired': {
        if (event.type === 'expired' && signature.status === 'signed') {
          throw new CommercialError('signature_closed', 'this signature request was already signed');
        }
        const done = await declineRenewalContractIn(tx, {
          ...ref,
          signerName: event.signerName ?? '',
          as: event.type,
          ...(event.reason ? { reason: event.reason } : {}),
        });
        return { ...base, duplicate: false, effect: done.alreadyDeclined ? 'unchanged' : event.type };
      }
    }
  });
}
