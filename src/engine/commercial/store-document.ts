/**
 * Stores a generated document (base64 text with its sha256) once: the same bytes for the same
 * proposal and kind reuse the existing row, so regenerating a frozen version changes nothing.
 */
import { createHash } from 'node:crypto';
import type { SqlSession } from '../../store/store.ts';
import { writeAudit } from './proposal-records.ts';

export type StoredDocument = {
  documentId: number;
  sha256: string;
  fileName: string;
  bytes: number;
  created: boolean;
};

export async function storeDocument({
  session,
  tenantId,
  kind,
  proposalId,
  contractId,
  fileName,
  mediaType = 'application/pdf',
  content,
  at,
  actor,
}: {
  session: SqlSession;
  tenantId: string;
  kind: 'proposal' | 'contract';
  proposalId: number;
  contractId: string;
  fileName: string;
  /** `application/pdf` unless said otherwise (`text/html; charset=utf-8`). */
  mediaType?: string;
  content: Buffer;
  at: string;
  actor: string;
}): Promise<StoredDocument> {
  const sha256 = createHash('sha256').update(content).digest('hex');
  const [existing] = await session.query<{ id: number }>(
    `SELECT id FROM documents WHERE tenant_id = $1 AND proposal_id = $2 AND kind = $3 AND sha256 = $4
     ORDER BY id LIMIT 1`,
    [tenantId, proposalId, kind, sha256],
  );
  if (existing) {
    return { documentId: Number(existing.id), sha256, fileName, bytes: content.length, created: false };
  }
  const [row] = await session.query<{ id: number }>(
    `INSERT INTO documents (tenant_id, kind, proposal_id, contract_id, file_name, media_type, sha256, content, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [tenantId, kind, proposalId, contractId, fileName, mediaType, sha256, content.toString('base64'), at],
  );
  const documentId = Number(row!.id);
  await writeAudit(session, {
    tenantId,
    at,
    actor,
    action: `document.${kind}`,
    entity: 'document',
    entityId: String(documentId),
    changes: { proposalId, contractId, fileName, sha256: { old: null, new: sha256 }, bytes: content.length },
  });
  return { documentId, sha256, fileName, bytes: content.length, created: true };
}
