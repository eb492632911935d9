/**
 * Typed failures of the commercial use cases (quotes, proposals, approvals, contracts, signatures).
 * Each carries a code and a message the user can act on; the CLI reports them as `error: message`
 * (exit 2) through `reportError`, an API would map the code to an HTTP status.
 */
import type { WorkflowError } from '../../domain/pricing/approval-workflow.ts';

export const COMMERCIAL_ERROR_CODES = [
  'account_not_found',
  'contract_not_found',
  'no_renewal',
  'option_not_found',
  'proposal_not_found',
  'proposal_exists',
  'proposal_superseded',
  'user_not_found',
  'not_permitted',
  'invalid_transition',
  'forbidden_self_approval',
  'insufficient_authority',
  'no_such_step',
  'step_already_decided',
  'approval_required',
  'terms_frozen',
  'proposal_closed',
  'comment_required',
  'invalid_instant',
  'conflict',
  'proposal_not_sent',
  'signer_unknown',
  'signature_not_found',
  'signature_closed',
  'contract_id_taken',
] as const;
export type CommercialErrorCode = (typeof COMMERCIAL_ERROR_CODES)[number];

export class CommercialError extends Error {
  readonly code: CommercialErrorCode;
  constructor(code: CommercialErrorCode, message: string) {
    super(message);
    this.name = 'CommercialError';
    this.code = code;
  }
}

const WORKFLOW_CODES: Record<WorkflowError['code'], CommercialErrorCode> = {
  invalid_instant: 'invalid_instant',
  not_permitted: 'not_permitted',
  invalid_transition: 'invalid_transition',
  self_approval: 'forbidden_self_approval',
  insufficient_authority: 'insufficient_authority',
  no_such_step: 'no_such_step',
  step_already_decided: 'step_already_decided',
  approvals_incomplete: 'approval_required',
  terms_frozen: 'terms_frozen',
  proposal_closed: 'proposal_closed',
  comment_required: 'comment_required',
};

/** The domain workflow's refusal as a commercial error (same message, the public code). */
export function fromWorkflowError(error: WorkflowError): CommercialError {
  return new CommercialError(WORKFLOW_CODES[error.code], error.message);
}
