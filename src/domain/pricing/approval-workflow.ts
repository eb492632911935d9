/**
 * The approval workflow of a renewal proposal as a pure state machine (DOMAIN.md 4 "T-45" and 7,
 * issue 4 §2). Every action takes the current state and returns the next one, or a typed error and
 * no change; every change appends one audit entry. The caller supplies the instant (`at`, ISO 8601
 * with offset) — nothing here reads a clock.
 *
 *   draft ──request──▶ pending_approval ──approve (last step)──▶ approved ──send──▶ sent ──▶ signed
 *     ▲                      │ reject                                                  └──▶ declined
 *     └──── revise ◀─────────┴─ rejected
 *
 * Rules:
 * - The manager approves every proposal: `manager` is always among the required approvals.
 * - Segregation of duties: neither the author of the current version nor the person who requested the
 *   approvals may approve or reject it.
 * - A step is decided by its own role, or by the executive for any discount step (manager, finance,
 *   sales leadership); legal steps only by legal. Users who are viewers cannot act at all.
 * - Send is refused until every required approval is approved. Once sent, the terms are frozen:
 *   revise is refused unless the caller explicitly starts a new version (the sent version is kept in
 *   `previousVersions`, unchanged). A signed proposal is closed.
 * - Revise always makes a new version with fresh approvals.
 * - `sequence` grows by one per accepted action: a store saves with "where sequence = n" so that two
 *   concurrent approvals of the same step change the state once.
 */
import { z } from 'zod';
import type { UserRole } from '../records.ts';
import { APPROVAL_ROLES, type ApprovalRole } from './pricing-policy.ts';
import { canDecideStep } from './required-approvals.ts';

export const PROPOSAL_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'sent',
  'signed',
  'declined',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export type ActorRole = UserRole | ApprovalRole;
export type Actor = { userId: string; role: ActorRole };

export type StepStatus = 'pending' | 'approved' | 'rejected';
export type ApprovalStep = {
  role: ApprovalRole;
  status: StepStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
};

export type WorkflowAction =
  | 'create'
  | 'request_approvals'
  | 'approve'
  | 'reject'
  | 'comment'
  | 'send'
  | 'sign'
  | 'decline'
  | 'revise';

export type AuditEntry = {
  at: string;
  actor: string;
  actorRole: ActorRole;
  action: WorkflowAction;
  version: number;
  from: ProposalStatus;
  to: ProposalStatus;
  step: ApprovalRole | null;
  comment: string | null;
};

/** A version as it stood when superseded (a sent version's terms exactly as sent). */
export type ProposalVersion<TTerms> = {
  version: number;
  terms: TTerms;
  status: ProposalStatus;
  authoredBy: string;
  requestedBy: string | null;
  requiredApprovals: readonly ApprovalRole[];
  steps: readonly ApprovalStep[];
  sentAt: string | null;
};

export type ProposalWorkflow<TTerms> = {
  proposalId: string;
  version: number;
  status: ProposalStatus;
  terms: TTerms;
  authoredBy: string;
  requestedBy: string | null;
  requiredApprovals: readonly ApprovalRole[];
  steps: readonly ApprovalStep[];
  sentAt: string | null;
  previousVersions: readonly ProposalVersion<TTerms>[];
  sequence: number;
  audit: readonly AuditEntry[];
};

export type WorkflowErrorCode =
  | 'invalid_instant'
  | 'not_permitted'
  | 'invalid_transition'
  | 'self_approval'
  | 'insufficient_authority'
  | 'no_such_step'
  | 'step_already_decided'
  | 'approvals_incomplete'
  | 'terms_frozen'
  | 'proposal_closed'
  | 'comment_required';

export type WorkflowError = { code: WorkflowErrorCode; message: string };

export type WorkflowResult<TTerms> =
  | { ok: true; state: ProposalWorkflow<TTerms> }
  | { ok: false; error: WorkflowError };

const InstantSchema = z.iso.datetime({ offset: true });

function fail<TTerms>(code: WorkflowErrorCode, message: string): WorkflowResult<TTerms> {
  return { ok: false, error: { code, message } };
}

function checkActor(actor: Actor, at: string): WorkflowError | null {
  if (!InstantSchema.safeParse(at).success) {
    return { code: 'invalid_instant', message: `${at} is not an ISO 8601 instant` };
  }
  if (actor.role === 'viewer' || actor.userId.trim() === '') {
    return { code: 'not_permitted', message: `${actor.userId || '(no user)'} may not act on proposals` };
  }
  return null;
}

function normaliseApprovals(roles: readonly ApprovalRole[]): ApprovalRole[] {
  const wanted = new Set<ApprovalRole>([...roles, 'manager']);
  return APPROVAL_ROLES.filter((role) => wanted.has(role));
}

function freshSteps(roles: readonly ApprovalRole[]): ApprovalStep[] {
  return roles.map((role) => ({ role, status: 'pending', decidedBy: null, decidedAt: null, comment: null }));
}

function textOrNull(comment: string | undefined): string | null {
  const trimmed = comment?.trim();
  return trimmed ? trimmed : null;
}

function advance<TTerms>(
  state: ProposalWorkflow<TTerms>,
  changes: Partial<ProposalWorkflow<TTerms>>,
  entry: Omit<AuditEntry, 'version' | 'from' | 'to'> & { to?: ProposalStatus },
): WorkflowResult<TTerms> {
  const next: ProposalWorkflow<TTerms> = { ...state, ...changes };
  const auditEntry: AuditEntry = {
    at: entry.at,
    actor: entry.actor,
    actorRole: entry.actorRole,
    action: entry.action,
    version: next.version,
    from: state.status,
    to: next.status,
    step: entry.step,
    comment: entry.comment,
  };
  return { ok: true, state: { ...next, sequence: state.sequence + 1, audit: [...state.audit, auditEntry] } };
}

export type CreateProposalOptions<TTerms> = {
  proposalId: string;
  terms: TTerms;
  requiredApprovals: readonly ApprovalRole[];
  actor: Actor;
  at: string;
  comment?: string;
};

export function createProposal<TTerms>({
  proposalId,
  terms,
  requiredApprovals,
  actor,
  at,
  comment,
}: CreateProposalOptions<TTerms>): WorkflowResult<TTerms> {
  const problem = checkActor(actor, at);
  if (problem) return { ok: false, error: problem };
  const roles = normaliseApprovals(requiredApprovals);
  const state: ProposalWorkflow<TTerms> = {
    proposalId,
    version: 1,
    status: 'draft',
    terms,
    authoredBy: actor.userId,
    requestedBy: null,
    requiredApprovals: roles,
    steps: freshSteps(roles),
    sentAt: null,
    previousVersions: [],
    sequence: 0,
    audit: [],
  };
  return advance(
    state,
    {},
    {
      at,
      actor: actor.userId,
      actorRole: actor.role,
      action: 'create',
      step: null,
      comment: textOrNull(comment),
    },
  );
}

export type ActionOptions = { actor: Actor; at: string; comment?: string };

export function requestApprovals<TTerms>(
  state: ProposalWorkflow<TTerms>,
  { actor, at, comment }: ActionOptions,
): WorkflowResult<TTerms> {
  const problem = checkActor(actor, at);
  if (problem) return { ok: false, error: problem };
  if (state.status !== 'draft') {
    return fail(
      'invalid_transition',
      `approvals can be requested for a draft, not a ${state.status} proposal${state.status === 'rejected' ? ' (revise it first)' : ''}`,
    );
  }
  return advance(
    state,
    { status: 'pending_approval', requestedBy: actor.userId, steps: freshSteps(state.requiredApprovals) },
    {
      at,
      actor: actor.userId,
      actorRole: actor.role,
      action: 'request_approvals',
      step: null,
      comment: textOrNull(comment),
    },
  );
}

export type DecideOptions = ActionOptions & {
  /** The step decided; defaults to the step of the actor's own role. */
  step?: ApprovalRole;
};

function decide<TTerms>(
  state: ProposalWorkflow<TTerms>,
  { actor, at, comment, step }: DecideOptions,
  decision: 'approve' | 'reject',
): WorkflowResult<TTerms> {
  const problem = checkActor(actor, at);
  if (problem) return { ok: false, error: problem };
  if (state.status !== 'pending_approval') {
    return fail('invalid_transition', `a ${state.status} proposal has no approval to ${decision}`);
  }
  if (actor.userId === state.requestedBy || actor.userId === state.authoredBy) {
    return fail(
      'self_approval',
      `${actor.userId} wrote or submitted version ${state.version} and cannot ${decision} it`,
    );
  }
  const role = step ?? (APPROVAL_ROLES as readonly string[]).find((candidate) => candidate === actor.role);
  const index = state.steps.findIndex((candidate) => candidate.role === role);
  if (role === undefined || index === -1) {
    return fail('no_such_step', `version ${state.version} has no ${role ?? actor.role} approval step`);
  }
  const current = state.steps[index]!;
  if (current.status !== 'pending') {
    return fail('step_already_decided', `the ${current.role} step is already ${current.status}`);
  }
  if (!canDecideStep(actor.role, current.role)) {
    return fail('insufficient_authority', `a ${actor.role} cannot decide the ${current.role} step`);
  }
  const text = textOrNull(comment);
  if (decision === 'reject' && text === null) {
    return fail('comment_required', 'a rejection needs a comment saying why');
  }
  const steps = state.steps.map((candidate, position) =>
    position === index
      ? {
          ...candidate,
          status: decision === 'approve' ? ('approved' as const) : ('rejected' as const),
          decidedBy: actor.userId,
          decidedAt: at,
          comment: text,
        }
      : candidate,
  );
  const status: ProposalStatus =
    decision === 'reject'
      ? 'rejected'
      : steps.every((candidate) => candidate.status === 'approved')
        ? 'approved'
        : 'pending_approval';
  return advance(
    state,
    { steps, status },
    { at, actor: actor.userId, actorRole: actor.role, action: decision, step: current.role, comment: text },
  );
}

export function approve<TTerms>(
  state: ProposalWorkflow<TTerms>,
  options: DecideOptions,
): WorkflowResult<TTerms> {
  return decide(state, options, 'approve');
}

export function reject<TTerms>(
  state: ProposalWorkflow<TTerms>,
  options: DecideOptions,
): WorkflowResult<TTerms> {
  return decide(state, options, 'reject');
}

export function comment<TTerms>(
  state: ProposalWorkflow<TTerms>,
  { actor, at, comment: text }: ActionOptions,
): WorkflowResult<TTerms> {
  const problem = checkActor(actor, at);
  if (problem) return { ok: false, error: problem };
  const body = textOrNull(text);
  if (body === null) return fail('comment_required', 'a comment cannot be empty');
  return advance(
    state,
    {},
    { at, actor: actor.userId, actorRole: actor.role, action: 'comment', step: null, comment: body },
  );
}

export function send<TTerms>(
  state: ProposalWorkflow<TTerms>,
  { actor, at, comment: text }: ActionOptions,
): WorkflowResult<TTerms> {
  const problem = checkActor(actor, at);
  if (problem) return { ok: false, error: problem };
  const missing = state.steps.filter((step) => step.status !== 'approved').map((step) => step.role);
  if (state.status === 'draft' || state.status === 'pending_approval' || state.status === 'rejected') {
    return fail(
      'approvals_incomplete',
      `version ${state.version} cannot be sent before it is approved (waiting for: ${missing.join(', ') || 'a request for approval'})`,
    );
  }
  if (state.status !== 'approved')
    return fail('invalid_transition', `a ${state.status} proposal cannot be sent`);
  if (missing.length > 0) {
    return fail('approvals_incomplete', `version ${state.version} lacks approvals: ${missing.join(', ')}`);
  }
  return advance(
    state,
    { status: 'sent', sentAt: at },
    { at, actor: actor.userId, actorRole: actor.role, action: 'send', step: null, comment: textOrNull(text) },
  );
}

function close<TTerms>(
  state: ProposalWorkflow<TTerms>,
  { actor, at, comment: text }: ActionOptions,
  outcome: 'signed' | 'declined',
): WorkflowResult<TTerms> {
  const problem = checkActor(actor, at);
  if (problem) return { ok: false, error: problem };
  if (state.status !== 'sent') {
    return fail('invalid_transition', `only a sent proposal can be ${outcome}, this one is ${state.status}`);
  }
  return advance(
    state,
    { status: outcome },
    {
      at,
      actor: actor.userId,
      actorRole: actor.role,
      action: outcome === 'signed' ? 'sign' : 'decline',
      step: null,
      comment: textOrNull(text),
    },
  );
}

export function markSigned<TTerms>(
  state: ProposalWorkflow<TTerms>,
  options: ActionOptions,
): WorkflowResult<TTerms> {
  return close(state, options, 'signed');
}

export function markDeclined<TTerms>(
  state: ProposalWorkflow<TTerms>,
  options: ActionOptions,
): WorkflowResult<TTerms> {
  return close(state, options, 'declined');
}

export type ReviseOptions<TTerms> = ActionOptions & {
  terms: TTerms;
  requiredApprovals: readonly ApprovalRole[];
  /** Required once the proposal was sent (or declined): the sent version stays frozen as it was. */
  startNewVersion?: boolean;
};

export function revise<TTerms>(
  state: ProposalWorkflow<TTerms>,
  { actor, at, comment: text, terms, requiredApprovals, startNewVersion }: ReviseOptions<TTerms>,
): WorkflowResult<TTerms> {
  const problem = checkActor(actor, at);
  if (problem) return { ok: false, error: problem };
  if (state.status === 'signed') {
    return fail('proposal_closed', `version ${state.version} is signed; a new term needs a new proposal`);
  }
  if ((state.status === 'sent' || state.status === 'declined') && startNewVersion !== true) {
    return fail(
      'terms_frozen',
      `version ${state.version} was sent to the customer: its terms are frozen; start a new version to change them`,
    );
  }
  const superseded: ProposalVersion<TTerms> = {
    version: state.version,
    terms: state.terms,
    status: state.status,
    authoredBy: state.authoredBy,
    requestedBy: state.requestedBy,
    requiredApprovals: state.requiredApprovals,
    steps: state.steps,
    sentAt: state.sentAt,
  };
  const roles = normaliseApprovals(requiredApprovals);
  return advance(
    state,
    {
      version: state.version + 1,
      status: 'draft',
      terms,
      authoredBy: actor.userId,
      requestedBy: null,
      requiredApprovals: roles,
      steps: freshSteps(roles),
      sentAt: null,
      previousVersions: [...state.previousVersions, superseded],
    },
    {
      at,
      actor: actor.userId,
      actorRole: actor.role,
      action: 'revise',
      step: null,
      comment: textOrNull(text),
    },
  );
}
