/**
 * How proposals live in the store (`proposals`, one row per version; `audit_log`), shared by the
 * proposal use cases. The row's `terms` holds what was priced and chosen; `workflow` holds the
 * approval state machine of `src/domain/pricing/approval-workflow.ts` without the terms (kept once,
 * in `terms`) and without earlier versions (each keeps its own row, unchanged).
 *
 * Every change is one transaction: read the row, run the pure workflow action, then
 * `UPDATE … WHERE sequence = n` (and no newer version exists). Zero rows updated means someone else
 * changed the proposal in between: a `conflict`, and nothing is written.
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import type {
  Actor,
  ProposalStatus,
  ProposalWorkflow,
  WorkflowResult,
} from '../../domain/pricing/approval-workflow.ts';
import type { QuoteOption, QuoteWarning } from '../../domain/pricing/quote-renewal-options.ts';
import type { Segment, StakeholderRole, UserRole } from '../../domain/records.ts';
import type { HealthBand, Motion, OpportunityType } from '../../domain/vocabulary.ts';
import type { SqlSession } from '../../store/store.ts';
import { CommercialError, fromWorkflowError } from './commercial-error.ts';
import type { ValueReview } from './summarize-value-delivered.ts';

/** Everything a version of a proposal offers, frozen with the version (terms of a sent version never change). */
export type ProposalTerms = {
  asOf: CalendarDate;
  account: {
    accountId: string;
    name: string;
    industry: string | null;
    country: string | null;
    segment: Segment;
  };
  contract: {
    contractId: string;
    startDate: CalendarDate;
    endDate: CalendarDate;
    arrMinor: number;
    currency: string;
    seats: number | null;
    autoRenew: boolean;
  };
  renewal: {
    dueDate: CalendarDate;
    daysToRenewal: number;
    healthScore: number;
    healthBand: HealthBand;
    type: OpportunityType;
    motion: Motion;
    monthsEarly: number;
    earlyQualified: boolean;
    expansionSignal: boolean;
    milestones: { key: string; date: CalendarDate }[];
  };
  chosenOptionKey: string;
  chosen: QuoteOption;
  /** Every option priced with it (good / better / best and the rest), for the proposal document. */
  options: QuoteOption[];
  quoteWarnings: QuoteWarning[];
  seatsChange: number | null;
  customTerms: string | null;
  value: ValueReview;
  contacts: { name: string; role: StakeholderRole; email: string | null }[];
  owner: { userId: string; name: string; email: string } | null;
};

export type StoredWorkflow = Omit<ProposalWorkflow<ProposalTerms>, 'terms' | 'previousVersions'>;

export type ProposalRecord = {
  id: number;
  contractId: string;
  accountId: string;
  version: number;
  latestVersion: number;
  status: ProposalStatus;
  currency: string;
  terms: ProposalTerms;
  workflow: ProposalWorkflow<ProposalTerms>;
  sequence: number;
  createdBy: string;
  createdAt: string;
  sentAt: string | null;
  signedAt: string | null;
};

export type UserActor = Actor & { name: string; email: string; role: UserRole };

type Row = Record<string, unknown>;

function instant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function toProposalRecord(row: Row): ProposalRecord {
  const terms = jsonOf<ProposalTerms>(row.terms);
  const stored = jsonOf<StoredWorkflow>(row.workflow);
  return {
    id: Number(row.id),
    contractId: String(row.contract_id),
    accountId: String(row.account_id),
    version: Number(row.version),
    latestVersion: Number(row.latest_version ?? row.version),
    status: String(row.status) as ProposalStatus,
    currency: String(row.currency),
    terms,
    workflow: { ...stored, terms, previousVersions: [] },
    sequence: Number(row.sequence),
    createdBy: String(row.created_by),
    createdAt: instant(row.created_at)!,
    sentAt: instant(row.sent_at),
    signedAt: instant(row.signed_at),
  };
}

export const PROPOSAL_COLUMNS = `p.*, (SELECT max(l.version) FROM proposals l
  WHERE l.tenant_id = p.tenant_id AND l.contract_id = p.contract_id) AS latest_version`;

export async function loadProposal(
  session: SqlSession,
  tenantId: string,
  proposalId: number,
): Promise<ProposalRecord> {
  const [row] = await session.query<Row>(
    `SELECT ${PROPOSAL_COLUMNS} FROM proposals p WHERE p.tenant_id = $1 AND p.id = $2`,
    [tenantId, proposalId],
  );
  if (!row) throw new CommercialError('proposal_not_found', `proposal ${proposalId} does not exist`);
  return toProposalRecord(row);
}

/** The record, provided it is the latest version of its proposal (earlier versions are history). */
export function requireLatest(record: ProposalRecord): void {
  if (record.version !== record.latestVersion) {
    throw new CommercialError(
      'proposal_superseded',
      `proposal ${record.id} is version ${record.version} of the ${record.contractId} renewal; version ${record.latestVersion} supersedes it`,
    );
  }
}

/** When the caller saw a sequence, the proposal must still be at it (optimistic lock). */
export function checkExpectedSequence(record: ProposalRecord, expectedSequence: number | undefined): void {
  if (expectedSequence !== undefined && expectedSequence !== record.sequence) {
    throw new CommercialError(
      'conflict',
      `proposal ${record.id} changed since sequence ${expectedSequence} (now ${record.sequence}); reload and retry`,
    );
  }
}

export async function loadActor(session: SqlSession, tenantId: string, userId: string): Promise<UserActor> {
  const [row] = await session.query<Row>(
    'SELECT user_id, name, email, role FROM users WHERE tenant_id = $1 AND user_id = $2 AND NOT disabled',
    [tenantId, userId],
  );
  if (!row) throw new CommercialError('user_not_found', `user ${userId} does not exist (or is disabled)`);
  return {
    userId: String(row.user_id),
    name: String(row.name),
    email: String(row.email),
    role: String(row.role) as UserRole,
  };
}

export function unwrap<T>(result: WorkflowResult<T>): ProposalWorkflow<T> {
  if (!result.ok) throw fromWorkflowError(result.error);
  return result.state;
}

export function storedWorkflow(workflow: ProposalWorkflow<ProposalTerms>): StoredWorkflow {
  const { terms: _terms, previousVersions: _previous, ...stored } = workflow;
  return stored;
}

export type AuditRow = {
  tenantId: string;
  at: string;
  actor: string;
  action: string;
  entity: 'proposal' | 'contract' | 'renewal' | 'signature' | 'document';
  entityId: string;
  changes: Record<string, unknown>;
};

export async function writeAudit(session: SqlSession, row: AuditRow): Promise<void> {
  await session.execute(
    `INSERT INTO audit_log (tenant_id, at, actor, action, entity, entity_id, changes)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.tenantId, row.at, row.actor, row.action, row.entity, row.entityId, JSON.stringify(row.changes)],
  );
}

/**
 * Saves a workflow change to the record's row with the optimistic lock, and audits it. Throws
 * `conflict` when the row moved on (another sequence, or a newer version appeared).
 */
export async function saveWorkflowChange({
  session,
  tenantId,
  record,
  next,
  at,
  actor,
  action,
  extraChanges = {},
}: {
  session: SqlSession;
  tenantId: string;
  record: ProposalRecord;
  next: ProposalWorkflow<ProposalTerms>;
  at: string;
  actor: string;
  action: string;
  extraChanges?: Record<string, unknown>;
}): Promise<ProposalRecord> {
  const updated = await session.execute(
    `UPDATE proposals p SET status = $3, workflow = $4, sequence = $5, updated_at = $6,
       sent_at = CASE WHEN $3 = 'sent' AND p.sent_at IS NULL THEN $6::timestamptz ELSE p.sent_at END,
       signed_at = CASE WHEN $3 = 'signed' AND p.signed_at IS NULL THEN $6::timestamptz ELSE p.signed_at END
     WHERE p.tenant_id = $1 AND p.id = $2 AND p.sequence = $7
       AND NOT EXISTS (SELECT 1 FROM proposals n WHERE n.tenant_id = p.tenant_id
         AND n.contract_id = p.contract_id AND n.version > p.version)`,
    [
      tenantId,
      record.id,
      next.status,
      JSON.stringify(storedWorkflow(next)),
      next.sequence,
      at,
      record.sequence,
    ],
  );
  if (updated !== 1) {
    throw new CommercialError(
      'conflict',
      `proposal ${record.id} was changed by someone else while you acted (sequence ${record.sequence}); reload and retry`,
    );
  }
  const last = next.audit.at(-1);
  await writeAudit(session, {
    tenantId,
    at,
    actor,
    action: `proposal.${action}`,
    entity: 'proposal',
    entityId: String(record.id),
    changes: {
      status: { old: record.status, new: next.status },
      sequence: { old: record.sequence, new: next.sequence },
      version: record.version,
      ...(last?.step ? { step: last.step } : {}),
      ...(last?.comment ? { comment: last.comment } : {}),
      ...extraChanges,
    },
  });
  return loadProposal(session, tenantId, record.id);
}

/** True when a database error is a unique-key violation (two writers raced for the same key). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}
