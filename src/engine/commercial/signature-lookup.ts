/** Finds a signature request by its id (a provider webhook names the request, not the token). */
import type { SqlSession } from '../../store/store.ts';
import { CommercialError } from './commercial-error.ts';
import type { SignatureRecord } from './signature-records.ts';

function instant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

export async function findSignatureById(
  session: SqlSession,
  signatureId: number,
  { forUpdate = false } = {},
): Promise<SignatureRecord & { tenantId: string }> {
  const [row] = Number.isSafeInteger(signatureId)
    ? await session.query<Record<string, unknown>>(
        `SELECT * FROM signatures WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
        [signatureId],
      )
    : [];
  if (!row) throw new CommercialError('signature_not_found', `no signature request ${signatureId}`);
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
