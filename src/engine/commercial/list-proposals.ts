/** The proposals of a tenant, latest version of each renewal first by due date (all versions on request). */
import type { SqlSession } from '../../store/store.ts';
import { PROPOSAL_COLUMNS, type ProposalRecord, toProposalRecord } from './proposal-records.ts';

export type ListProposalsOptions = {
  session: SqlSession;
  tenantId: string;
  /** Include superseded versions. */
  allVersions?: boolean;
  status?: string;
  /** One renewal's proposals only. */
  contractId?: string;
};

export async function listProposals({
  session,
  tenantId,
  allVersions = false,
  status,
  contractId,
}: ListProposalsOptions): Promise<ProposalRecord[]> {
  const rows = await session.query<Record<string, unknown>>(
    `SELECT * FROM (SELECT ${PROPOSAL_COLUMNS} FROM proposals p
       WHERE p.tenant_id = $1 AND ($4::text IS NULL OR p.contract_id = $4)) x
     WHERE ($2::boolean OR x.version = x.latest_version) AND ($3::text IS NULL OR x.status = $3)
     ORDER BY x.terms #>> '{renewal,dueDate}', x.contract_id, x.version`,
    [tenantId, allVersions, status ?? null, contractId ?? null],
  );
  return rows.map(toProposalRecord);
}
