/**
 * The proposal of a renewal over HTTP: the priced options (good / better / best and the rest, with
 * the approvals each needs), the proposal itself (one per renewal, versioned), and its workflow —
 * submit for approval, approve or reject a step, send to the customer. Every change names the
 * `sequence` it was based on; a stale one is a 409. The approvals queue lists what the caller may
 * decide now.
 */
import { z } from 'zod';
import { ALL_ROLES, EDITOR_ROLES, mayEdit, type Principal, type Role } from '../../auth/roles.ts';
import { formatMinor } from '../../domain/money.ts';
import { APPROVAL_ROLES, type ApprovalRole } from '../../domain/pricing/pricing-policy.ts';
import type { QuoteOption } from '../../domain/pricing/quote-renewal-options.ts';
import { canDecideStep } from '../../domain/pricing/required-approvals.ts';
import { approveProposal } from '../../engine/commercial/approve-proposal.ts';
import { CommercialError, type CommercialErrorCode } from '../../engine/commercial/commercial-error.ts';
import { createProposal } from '../../engine/commercial/create-proposal.ts';
import { renderProposalDocument } from '../../engine/commercial/generate-proposal-document.ts';
import {
  listProposalSignatures,
  type SignerStatus,
} from '../../engine/commercial/list-proposal-signatures.ts';
import { listProposals } from '../../engine/commercial/list-proposals.ts';
import { priceProposalTerms } from '../../engine/commercial/price-proposal-terms.ts';
import type { ProposalRecord } from '../../engine/commercial/proposal-records.ts';
import { rejectProposal } from '../../engine/commercial/reject-proposal.ts';
import { requestProposalApproval } from '../../engine/commercial/request-proposal-approval.ts';
import { reviseProposal } from '../../engine/commercial/revise-proposal.ts';
import { sendProposal } from '../../engine/commercial/send-proposal.ts';
import { findRecordScope } from '../../engine/queries/record-scope.ts';
import { LANGUAGES } from '../../mail/choose-language.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, type ProblemCode, problemResponses } from '../problem.ts';
import { MoneySchema } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { todayOf } from './workspace-routes.ts';

const YearSchema = z.object({ year: z.number().int(), amount: z.string() });

const QuoteOptionSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    termYears: z.number().int(),
    schedule: z.string(),
    seats: z.number().int().nullable(),
    years: z.array(YearSchema),
    total: MoneySchema,
    listTotal: MoneySchema,
    effectiveDiscountBps: z.number().int(),
    requiredApprovals: z.array(z.enum(APPROVAL_ROLES)),
    incentives: z.array(z.object({ label: z.string(), value: MoneySchema.nullable() })),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'QuoteOption' });

const QuoteSchema = z
  .object({
    contractId: z.string(),
    asOf: z.string(),
    currency: z.string(),
    currentArr: MoneySchema,
    options: z.array(QuoteOptionSchema),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'Quote' });

const StepSchema = z.object({
  role: z.enum(APPROVAL_ROLES),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
});

const SignerStatusSchema = z
  .object({
    id: z.number().int().describe('the signature request id'),
    signerName: z.string(),
    signerEmail: z.string(),
    status: z
      .enum(['sent', 'viewed', 'signed', 'declined', 'expired'])
      .describe('expired also when the signing link lapsed unsigned (30 days after it was sent)'),
    sentAt: z.string(),
    viewedAt: z.string().nullable().describe('first opened by the signer'),
    completedAt: z.string().nullable().describe('signed, declined or reported expired'),
    expiresAt: z.string().describe('when the signing link lapses'),
  })
  .meta({ id: 'SignerStatus' });

const ProposalSchema = z
  .object({
    id: z.number().int(),
    contractId: z.string(),
    accountId: z.string(),
    accountName: z.string(),
    dueDate: z.string(),
    currentArr: MoneySchema,
    version: z.number().int(),
    status: z.enum(['draft', 'pending_approval', 'approved', 'rejected', 'sent', 'signed', 'declined']),
    sequence: z.number().int().describe('send back as `sequence` with the next action'),
    option: QuoteOptionSchema,
    customTerms: z.string().nullable(),
    seatsChange: z.number().int().nullable(),
    requiredApprovals: z.array(z.enum(APPROVAL_ROLES)),
    steps: z.array(StepSchema),
    authoredBy: z.string(),
    requestedBy: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    signedAt: z.string().nullable(),
    signatures: z
      .array(SignerStatusSchema)
      .describe(
        'each signature request opened for this version, oldest first (empty until the contract is sent)',
      ),
    audit: z.array(
      z.object({
        at: z.string(),
        actor: z.string(),
        action: z.string(),
        from: z.string(),
        to: z.string(),
        step: z.string().nullable(),
        comment: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Proposal' });

const Params = z.object({ contractId: z.string().min(1).max(200) });
const renewalRecord = { record: { kind: 'renewal' as const, param: 'contractId' } };
const Sequence = z.number().int().min(0).describe('the proposal’s sequence you read; 409 when it moved on');
/** Roles that decide approval steps (the domain then checks which step each may decide). */
const APPROVER_ROLES: readonly Role[] = ['manager', 'finance', 'executive'];

const PROBLEM_OF: Partial<Record<CommercialErrorCode, ProblemCode>> = {
  account_not_found: 'not_found',
  contract_not_found: 'not_found',
  proposal_not_found: 'not_found',
  user_not_found: 'unknown_user',
  conflict: 'version_conflict',
  not_permitted: 'forbidden',
  forbidden_self_approval: 'forbidden',
  insufficient_authority: 'forbidden',
};

/** A commercial refusal as a problem document: its code travels as `reason`. */
async function commercial<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CommercialError) {
      throw new ApiError(PROBLEM_OF[error.code] ?? 'invalid_value', error.message, { reason: error.code });
    }
    throw error;
  }
}

function money(minor: number, currency: string) {
  return { amount: formatMinor(minor, currency), currency };
}

function optionView(option: QuoteOption, currency: string) {
  return {
    key: option.key,
    label: option.label,
    termYears: option.termYears,
    schedule: option.schedule,
    seats: option.seats,
    years: option.years.map((year) => ({ year: year.year, amount: formatMinor(year.amountMinor, currency) })),
    total: money(option.totalContractValueMinor, currency),
    listTotal: money(option.listTotalMinor, currency),
    effectiveDiscountBps: option.effectiveDiscountBps,
    requiredApprovals: option.requiredApprovals,
    incentives: option.incentives.map((incentive) => ({
      label: incentive.label,
      value: incentive.valueMinor === null ? null : money(incentive.valueMinor, currency),
    })),
    warnings: option.warnings.map((warning) => warning.message),
  };
}

function proposalView(record: ProposalRecord, signatures: readonly SignerStatus[]) {
  const { terms, workflow } = record;
  return {
    id: record.id,
    contractId: record.contractId,
    accountId: record.accountId,
    accountName: terms.account.name,
    dueDate: terms.renewal.dueDate,
    currentArr: money(terms.contract.arrMinor, terms.contract.currency),
    version: record.version,
    status: record.status,
    sequence: record.sequence,
    option: optionView(terms.chosen, record.currency),
    customTerms: terms.customTerms,
    seatsChange: terms.seatsChange,
    requiredApprovals: [...workflow.requiredApprovals],
    steps: workflow.steps.map((step) => ({ ...step })),
    authoredBy: workflow.authoredBy,
    requestedBy: workflow.requestedBy,
    createdAt: record.createdAt,
    sentAt: record.sentAt,
    signedAt: record.signedAt,
    signatures: [...signatures],
    audit: workflow.audit.map((entry) => ({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      from: entry.from,
      to: entry.to,
      step: entry.step,
      comment: entry.comment,
    })),
  };
}

/** The response shape of each record, with its signers as of now. */
async function proposalViews(deps: ApiDeps, tenantId: string, records: readonly ProposalRecord[]) {
  const signatures = await listProposalSignatures({
    session: deps.store,
    tenantId,
    proposalIds: records.map((record) => record.id),
    at: deps.now().toISOString(),
  });
  return records.map((record) => proposalView(record, signatures.get(record.id) ?? []));
}

async function proposalViewOf(deps: ApiDeps, tenantId: string, record: ProposalRecord) {
  return (await proposalViews(deps, tenantId, [record]))[0]!;
}

async function latestProposal(deps: ApiDeps, tenantId: string, contractId: string) {
  const [proposal] = await listProposals({ session: deps.store, tenantId, contractId });
  return proposal ?? null;
}

async function requireProposal(deps: ApiDeps, tenantId: string, contractId: string) {
  const proposal = await latestProposal(deps, tenantId, contractId);
  if (!proposal) throw new ApiError('not_found', `renewal ${contractId} has no proposal yet`);
  return proposal;
}

/** The steps of a pending proposal this person may decide now (segregation of duties included). */
function decidableSteps(principal: Principal, record: ProposalRecord): ApprovalRole[] {
  if (record.status !== 'pending_approval') return [];
  const { workflow } = record;
  if (workflow.authoredBy === principal.userId || workflow.requestedBy === principal.userId) return [];
  return workflow.steps
    .filter((step) => step.status === 'pending' && canDecideStep(principal.role, step.role))
    .map((step) => step.role);
}

/** A manager decides approvals for their own team's renewals only. */
async function checkApprover(request: { recordScope: unknown }, principal: Principal): Promise<void> {
  const scope = request.recordScope as { owners: string[]; managers: string[] } | null;
  if (principal.role === 'manager' && (!scope || !mayEdit(principal, scope))) {
    throw new ApiError('not_owner', 'a manager decides approvals for their own team’s renewals');
  }
}

export function registerProposalRoutes(app: ApiApp, deps: ApiDeps): void {
  const now = () => deps.now().toISOString();

  app.get(
    '/renewals/:contractId/quote',
    {
      schema: {
        operationId: 'quoteRenewal',
        tags: ['proposals'],
        summary: 'Every priced option for the renewal today, with totals and the approvals each needs',
        params: Params,
        querystring: z.object({
          seatsChange: z.coerce.number().int().min(-100_000).max(100_000).optional(),
          customTerms: z.string().max(2000).optional(),
        }),
        response: { 200: QuoteSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
      config: { access: allow(ALL_ROLES, 'read', renewalRecord) },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const asOf = await todayOf(deps, tenantId);
      const terms = await commercial(() =>
        priceProposalTerms({
          session: deps.store,
          tenantId,
          contractId: request.params.contractId,
          optionKey: 'good',
          asOf,
          ...(request.query.seatsChange ? { seatsChange: request.query.seatsChange } : {}),
          ...(request.query.customTerms ? { customTerms: request.query.customTerms } : {}),
        }),
      );
      const currency = terms.contract.currency;
      return {
        contractId: request.params.contractId,
        asOf,
        currency,
        currentArr: money(terms.contract.arrMinor, currency),
        options: terms.options.map((option) => optionView(option, currency)),
        warnings: terms.quoteWarnings.map((warning) => warning.message),
      };
    },
  );

  app.get(
    '/renewals/:contractId/proposal',
    {
      schema: {
        operationId: 'getProposal',
        tags: ['proposals'],
        summary: 'The latest version of the renewal’s proposal (null when none was made)',
        params: Params,
        response: {
          200: z.object({ proposal: ProposalSchema.nullable() }),
          ...problemResponses(401, 403, 404),
        },
      },
      config: { access: allow(ALL_ROLES, 'read', renewalRecord) },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const proposal = await latestProposal(deps, tenantId, request.params.contractId);
      return { proposal: proposal ? await proposalViewOf(deps, tenantId, proposal) : null };
    },
  );

  app.get(
    '/renewals/:contractId/proposal/document',
    {
      schema: {
        operationId: 'getProposalDocument',
        tags: ['proposals'],
        summary:
          'The latest proposal version as a document: a standalone HTML page or a PDF, in the account’s language (English, Japanese or German) unless `language` says otherwise',
        params: Params,
        querystring: z.object({
          format: z.enum(['html', 'pdf']).default('html'),
          language: z.enum(LANGUAGES).optional(),
        }),
        response: {
          200: z.unknown().describe('text/html (UTF-8) or application/pdf bytes, per `format`'),
          ...problemResponses(400, 401, 403, 404),
        },
      },
      config: { access: allow(ALL_ROLES, 'read', renewalRecord) },
    },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      const proposal = await requireProposal(deps, tenantId, request.params.contractId);
      const document = await commercial(() =>
        renderProposalDocument({
          session: deps.store,
          tenantId,
          proposalId: proposal.id,
          format: request.query.format,
          ...(request.query.language ? { language: request.query.language } : {}),
        }),
      );
      reply
        .type(document.mediaType)
        .header('content-disposition', `inline; filename="${document.fileName}"`)
        .header('content-language', document.language)
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        );
      return reply.send(document.format === 'html' ? document.content.toString('utf8') : document.content);
    },
  );

  app.put(
    '/renewals/:contractId/proposal',
    {
      schema: {
        operationId: 'saveProposal',
        tags: ['proposals'],
        summary:
          'Create the proposal with the chosen option, or revise it (a new draft version with fresh approvals)',
        params: Params,
        body: z.strictObject({
          optionKey: z.string().min(1).max(60),
          seatsChange: z.number().int().min(-100_000).max(100_000).optional(),
          customTerms: z.string().trim().max(2000).optional(),
          comment: z.string().trim().max(2000).optional(),
          sequence: Sequence.optional().describe('required when revising'),
        }),
        response: {
          200: ProposalSchema,
          201: ProposalSchema,
          ...problemResponses(400, 401, 403, 404, 409, 422),
        },
      },
      config: { access: allow(EDITOR_ROLES, 'write', { ...renewalRecord, editorsOnly: true }) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { contractId } = request.params;
      const { optionKey, seatsChange, customTerms, comment, sequence } = request.body;
      const existing = await latestProposal(deps, principal.tenantId, contractId);
      const common = {
        store: deps.store,
        tenantId: principal.tenantId,
        actorId: principal.userId,
        asOf: await todayOf(deps, principal.tenantId),
        at: now(),
        optionKey,
        ...(seatsChange ? { seatsChange } : {}),
        ...(customTerms ? { customTerms } : {}),
        ...(comment ? { comment } : {}),
      };
      if (!existing) {
        const created = await commercial(() => createProposal({ ...common, contractId }));
        return reply.status(201).send(await proposalViewOf(deps, principal.tenantId, created));
      }
      if (sequence === undefined) {
        throw new ApiError(
          'precondition_required',
          'the renewal has a proposal: send the sequence you read to revise it',
        );
      }
      const revised = await commercial(() =>
        reviseProposal({ ...common, proposalId: existing.id, expectedSequence: sequence }),
      );
      return proposalViewOf(deps, principal.tenantId, revised);
    },
  );

  const actionBody = z.strictObject({
    sequence: Sequence,
    comment: z.string().trim().max(2000).optional(),
    step: z.enum(APPROVAL_ROLES).optional().describe('the approval step decided (default: your role’s)'),
  });

  const actions = [
    {
      path: 'submit',
      operationId: 'submitProposal',
      summary: 'Submit the proposal for its required approvals (draft → pending approval)',
      roles: EDITOR_ROLES,
      editorsOnly: true,
      run: requestProposalApproval,
    },
    {
      path: 'approve',
      operationId: 'approveProposal',
      summary: 'Approve a step (manager of the team, finance, executive — as the approval matrix says)',
      roles: APPROVER_ROLES,
      editorsOnly: false,
      run: approveProposal,
    },
    {
      path: 'reject',
      operationId: 'rejectProposal',
      summary: 'Reject a step, with a comment saying why',
      roles: APPROVER_ROLES,
      editorsOnly: false,
      run: rejectProposal,
    },
    {
      path: 'send',
      operationId: 'sendProposal',
      summary: 'Send the approved proposal to the customer (the renewal moves to the proposal stage)',
      roles: EDITOR_ROLES,
      editorsOnly: true,
      run: sendProposal,
    },
  ] as const;

  for (const action of actions) {
    app.post(
      `/renewals/:contractId/proposal/${action.path}`,
      {
        schema: {
          operationId: action.operationId,
          tags: ['proposals'],
          summary: `${action.summary}; 409 when the sequence is stale`,
          params: Params,
          body: actionBody,
          response: { 200: ProposalSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
        },
        config: {
          access: allow(action.roles, 'write', { ...renewalRecord, editorsOnly: action.editorsOnly }),
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (!action.editorsOnly) await checkApprover(request, principal);
        const proposal = await requireProposal(deps, principal.tenantId, request.params.contractId);
        const { sequence, comment } = request.body;
        let step = request.body.step;
        if (!action.editorsOnly && !step) {
          // The step this person decides: their own role's, else one their authority covers.
          const pending = proposal.workflow.steps.filter((candidate) => candidate.status === 'pending');
          step = (
            pending.find((candidate) => candidate.role === principal.role) ??
            pending.find((candidate) => canDecideStep(principal.role, candidate.role))
          )?.role;
          if (!step && proposal.status === 'pending_approval') {
            throw new ApiError(
              'forbidden',
              `the ${principal.role} role decides none of the pending steps (${pending.map((p) => p.role).join(', ')})`,
            );
          }
        }
        const record = await commercial(() =>
          action.run({
            store: deps.store,
            tenantId: principal.tenantId,
            proposalId: proposal.id,
            actorId: principal.userId,
            at: now(),
            expectedSequence: sequence,
            ...(comment ? { comment } : {}),
            ...(step ? { step } : {}),
          }),
        );
        return proposalViewOf(deps, principal.tenantId, record);
      },
    );
  }

  app.get(
    '/approvals',
    {
      schema: {
        operationId: 'listApprovals',
        tags: ['proposals'],
        summary: 'Proposals waiting for a step you may decide now (a manager: their team’s)',
        response: {
          200: z.object({
            items: z.array(ProposalSchema.extend({ decidableSteps: z.array(z.enum(APPROVAL_ROLES)) })),
          }),
          ...problemResponses(401),
        },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      if (!APPROVER_ROLES.includes(principal.role)) return { items: [] };
      const pending = await listProposals({
        session: deps.store,
        tenantId: principal.tenantId,
        status: 'pending_approval',
      });
      const decidable: { proposal: ProposalRecord; steps: ApprovalRole[] }[] = [];
      for (const proposal of pending) {
        const steps = decidableSteps(principal, proposal);
        if (steps.length === 0) continue;
        if (principal.role === 'manager') {
          const scope = await findRecordScope(deps.store, principal.tenantId, 'renewal', proposal.contractId);
          if (!scope || !mayEdit(principal, scope)) continue;
        }
        decidable.push({ proposal, steps });
      }
      const views = await proposalViews(
        deps,
        principal.tenantId,
        decidable.map(({ proposal }) => proposal),
      );
      return { items: views.map((view, index) => ({ ...view, decidableSteps: decidable[index]!.steps })) };
    },
  );
}
