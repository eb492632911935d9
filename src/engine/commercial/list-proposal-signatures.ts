/**
 * Where each signer of a proposal stands: the signature requests opened for a proposal version, oldest
 * first, with when each was sent, first viewed and completed. A request still open after its signing
 * link lapsed (SIGNATURE_VALID_DAYS) reads as `expired`, as signing it would be refused.
 */
import type { SqlSession } from '../../store/store.ts';
import { isExpired, SIGNATURE_VALID_DAYS, type SignatureRecord } from './signature-records.ts';

export type SignerStatus = {
  /** The signature request id (what a provider webhook names). */
  id: number;
  signerName: string;
  signerEmail: string;
  status: SignatureRecord['status'];
  sentAt: string;
  viewedAt: string | null;
  /** When it was signed, declined or marked expired; null while open or when the link merely lapsed. */
  completedAt: string | null;
  /** When the signing link lapses (or lapsed). */
  expiresAt: string;
};

export type ListProposalSignaturesOptions = {
  session: SqlSession;
  tenantId: string;
  proposalIds: readonly number[];
  /** The instant the statuses are read at, ISO 8601 (a lapsed link reads `expired` after it). */
  at: string;
};

type Row = {
  id: number | string;
  proposal_id: number | string;
  signer_name: string;
  signer_email: string;
  status: string;
  sent_at: Date | string;
  viewed_at: Date | string | null;
  completed_at: Date | string | null;
};

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** The signers of each proposal id asked for (an empty list for a proposal never sent for signature). */
export async function listProposalSignatures({
  session,
  tenantId,
  proposalIds,
  at,
}: ListProposalSignaturesOptions): Promise<Map<number, SignerStatus[]>> {
  const byProposal = new Map<number, SignerStatus[]>(proposalIds.map((id) => [id, []]));
  if (proposalIds.length === 0) return byProposal;
  const rows = await session.query<Row>(
    `SELECT id, proposal_id, signer_name, signer_email, status, sent_at, viewed_at, completed_at
       FROM signatures WHERE tenant_id = $1 AND proposal_id = ANY($2::bigint[])
      ORDER BY sent_at, id`,
    [tenantId, [...proposalIds]],
  );
  for (const row of rows) {
    const sentAt = iso(row.sent_at);
    const stored = row.status as SignatureRecord['status'];
    const open = stored === 'sent' || stored === 'viewed';
    byProposal.get(Number(row.proposal_id))?.push({
      id: Number(row.id),
      signerName: row.signer_name,
      signerEmail: row.signer_email,
      status: open && isExpired({ sentAt }, at) ? 'expired' : stored,
      sentAt,
      viewedAt: row.viewed_at === null ? null : iso(row.viewed_at),
      completedAt: row.completed_at === null ? null : iso(row.completed_at),
      expiresAt: new Date(Date.parse(sentAt) + SIGNATURE_VALID_DAYS * 86_400_000).toISOString(),
    });
  }
  return byProposal;
}
