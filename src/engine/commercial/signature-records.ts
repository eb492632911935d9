/** Signature requests: a random token handed to the signer once; only its sha256 is stored. */
import { createHash, randomBytes } from 'node:crypto';
import type { SqlSession } from '../../store/store.ts';
import { CommercialError } from './commercial-error.ts';

/** A signing link is valid this many days after it was sent; later it counts as expired. */
export const SIGNATURE_VALID_DAYS = 30;

export function newSignatureToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type SignatureRecord = {
  id: number;
  proposalId: number;
  documentId: number;
  signerName: string;
  signerEmail: string;
  status: 'sent' | 'viewed' | 'signed' | 'declined' | 'expired';
  sentAt: string;
  completedAt: string | null;
};

function instant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

export async function findSignatureByToken(
  session: SqlSession,
  token: string,
  { forUpdate = false } = {},
): Promise<SignatureRecord & { tenantId: string }> {
  const [row] = await session.query<Record<string, unknown>>(
    `SELECT * FROM signatures WHERE token_hash = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [hashToken(token.trim())],
  );
  if (!row) throw new CommercialError('signature_not_found', 'no signature request matches this token');
  return {
    tenantId: String(row.tenant_id),
    id: Number(row.id),
    proposalId: Number(row.proposal_id),
    documentId: Number(row.document_id),
    signerName: String(row.signer_name),
    signerEmail: String(row.signer_email),
    status: String(row.status) as SignatureRecord['status'],
    sentAt: instant(row.sent_at)!,
    completedAt: instant(row.completed_at),
  };
}

export function isExpired(signature: Pick<SignatureRecord, 'sentAt'>, at: string): boolean {
  return Date.parse(at) > Date.parse(signature.sentAt) + SIGNATURE_VALID_DAYS * 86_400_000;
}
