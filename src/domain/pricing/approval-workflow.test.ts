import { describe, expect, it } from 'vitest';
import {
  type Actor,
  approve,
  comment,
  createProposal,
  markDeclined,
  markSigned,
  type ProposalWorkflow,
  reject,
  requestApprovals,
  revise,
  send,
  type WorkflowResult,
} from './approval-workflow.ts';

type Terms = { optionKey: string; totalMinor: number };

const csm: Actor = { userId: 'U-csm', role: 'csm' };
const manager: Actor = { userId: 'U-mgr', role: 'manager' };
const otherManager: Actor = { userId: 'U-mgr2', role: 'manager' };
const finance: Actor = { userId: 'U-fin', role: 'finance' };
const salesLead: Actor = { userId: 'U-sl', role: 'sales_leadership' };
const executive: Actor = { userId: 'U-exec', role: 'executive' };
const legal: Actor = { userId: 'U-legal', role: 'legal' };
const viewer: Actor = { userId: 'U-view', role: 'viewer' };

const T0 = '2026-10-01T09:00:00Z';
const T1 = '2026-10-01T10:00:00Z';
const T2 = '2026-10-02T10:00:00+02:00';
const T3 = '2026-10-03T10:00:00Z';

function ok<T>(result: WorkflowResult<T>): ProposalWorkflow<T> {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.state;
}

function errorOf<T>(result: WorkflowResult<T>): string {
  if (result.ok) throw new Error('expected an error');
  return result.error.code;
}

const terms: Terms = { optionKey: 'best', totalMinor: 9_102_000 };

function draft(roles: Parameters<typeof createProposal>[0]['requiredApprovals'] = ['manager', 'finance']) {
  return ok(createProposal({ proposalId: 'P-1', terms, requiredApprovals: roles, actor: csm, at: T0 }));
}

function pending(roles?: Parameters<typeof draft>[0]) {
  return ok(requestApprovals(draft(roles), { actor: csm, at: T1 }));
}

function approved() {
  let state = pending();
  state = ok(approve(state, { actor: manager, at: T1 }));
  return ok(approve(state, { actor: finance, at: T2, comment: 'within guardrails' }));
}

describe('createProposal', () => {
  it('starts a draft at version 1 with pending steps; the manager is always required', () => {
    const state = draft(['legal', 'finance']);
    expect(state).toMatchObject({
      proposalId: 'P-1',
      version: 1,
      status: 'draft',
      terms,
      authoredBy: 'U-csm',
      requestedBy: null,
      requiredApprovals: ['manager', 'finance', 'legal'],
      sentAt: null,
      previousVersions: [],
      sequence: 1,
    });
    expect(state.steps.map((step) => [step.role, step.status])).toEqual([
      ['manager', 'pending'],
      ['finance', 'pending'],
      ['legal', 'pending'],
    ]);
    expect(state.audit).toEqual([
      {
        at: T0,
        actor: 'U-csm',
        actorRole: 'csm',
        action: 'create',
        version: 1,
        from: 'draft',
        to: 'draft',
        step: null,
        comment: null,
      },
    ]);
  });

  it('refuses a bad instant and a viewer', () => {
    const base = { proposalId: 'P-1', terms, requiredApprovals: [] };
    expect(errorOf(createProposal({ ...base, actor: csm, at: '2026-10-01' }))).toBe('invalid_instant');
    expect(errorOf(createProposal({ ...base, actor: csm, at: '2026-10-01T09:00:00' }))).toBe(
      'invalid_instant',
    );
    expect(errorOf(createProposal({ ...base, actor: viewer, at: T0 }))).toBe('not_permitted');
    expect(errorOf(createProposal({ ...base, actor: { userId: ' ', role: 'csm' }, at: T0 }))).toBe(
      'not_permitted',
    );
  });
});

describe('approvals', () => {
  it('request → each step approved → approved, with one audit entry per action', () => {
    let state = pending();
    expect(state.status).toBe('pending_approval');
    expect(state.requestedBy).toBe('U-csm');
    state = ok(approve(state, { actor: manager, at: T1 }));
    expect(state.status).toBe('pending_approval');
    state = ok(approve(state, { actor: finance, at: T2, comment: ' within guardrails ' }));
    expect(state.status).toBe('approved');
    expect(state.steps).toEqual([
      { role: 'manager', status: 'approved', decidedBy: 'U-mgr', decidedAt: T1, comment: null },
      {
        role: 'finance',
        status: 'approved',
        decidedBy: 'U-fin',
        decidedAt: T2,
        comment: 'within guardrails',
      },
    ]);
    expect(state.audit.map((entry) => [entry.action, entry.from, entry.to, entry.step, entry.actor])).toEqual(
      [
        ['create', 'draft', 'draft', null, 'U-csm'],
        ['request_approvals', 'draft', 'pending_approval', null, 'U-csm'],
        ['approve', 'pending_approval', 'pending_approval', 'manager', 'U-mgr'],
        ['approve', 'pending_approval', 'approved', 'finance', 'U-fin'],
      ],
    );
    expect(state.sequence).toBe(state.audit.length);
  });

  it('the requester cannot approve or reject their own proposal', () => {
    const selfRequested = ok(requestApprovals(draft(), { actor: manager, at: T1 }));
    expect(errorOf(approve(selfRequested, { actor: manager, at: T1 }))).toBe('self_approval');
    expect(errorOf(reject(selfRequested, { actor: manager, at: T1, comment: 'no' }))).toBe('self_approval');
  });

  it('the author of the version cannot approve it either, even if someone else requested', () => {
    const authored = ok(
      createProposal({ proposalId: 'P', terms, requiredApprovals: [], actor: manager, at: T0 }),
    );
    const requested = ok(requestApprovals(authored, { actor: csm, at: T1 }));
    expect(errorOf(approve(requested, { actor: manager, at: T1 }))).toBe('self_approval');
    expect(ok(approve(requested, { actor: otherManager, at: T1 })).status).toBe('approved');
  });

  it('only a role with enough authority decides a step', () => {
    const state = pending(['manager', 'finance', 'sales_leadership', 'legal']);
    expect(errorOf(approve(state, { actor: finance, at: T1, step: 'sales_leadership' }))).toBe(
      'insufficient_authority',
    );
    expect(errorOf(approve(state, { actor: manager, at: T1, step: 'finance' }))).toBe(
      'insufficient_authority',
    );
    expect(errorOf(approve(state, { actor: executive, at: T1, step: 'legal' }))).toBe(
      'insufficient_authority',
    );
    expect(
      errorOf(approve(state, { actor: { userId: 'U-adm', role: 'admin' }, at: T1, step: 'manager' })),
    ).toBe('insufficient_authority');
    expect(errorOf(approve(state, { actor: csm, at: T1 }))).toBe('self_approval');
    expect(errorOf(approve(state, { actor: { userId: 'U-c2', role: 'csm' }, at: T1 }))).toBe('no_such_step');
    const byExec = ok(approve(state, { actor: executive, at: T1, step: 'finance' }));
    expect(byExec.steps[1]).toMatchObject({ role: 'finance', status: 'approved', decidedBy: 'U-exec' });
    expect(ok(approve(state, { actor: legal, at: T1 })).steps[3]?.status).toBe('approved');
    expect(ok(approve(state, { actor: salesLead, at: T1 })).steps[2]?.status).toBe('approved');
  });

  it('an executive step exists only when required', () => {
    expect(errorOf(approve(pending(), { actor: executive, at: T1 }))).toBe('no_such_step');
    const state = pending(['executive']);
    expect(ok(approve(state, { actor: executive, at: T1 })).status).toBe('pending_approval'); // manager still due
  });

  it('a step is decided once: the second of two concurrent approvals is refused', () => {
    const state = pending();
    const first = ok(approve(state, { actor: manager, at: T1 }));
    expect(errorOf(approve(first, { actor: otherManager, at: T1 }))).toBe('step_already_decided');
    expect(errorOf(approve(first, { actor: manager, at: T1 }))).toBe('step_already_decided');
    // from the same starting state both succeed in isolation; the store keeps one by `sequence`
    const second = ok(approve(state, { actor: otherManager, at: T1 }));
    expect(first.sequence).toBe(second.sequence);
  });

  it('rejection needs a reason and moves to rejected; a rejected proposal is revised, not re-requested', () => {
    const state = pending();
    expect(errorOf(reject(state, { actor: finance, at: T1 }))).toBe('comment_required');
    expect(errorOf(reject(state, { actor: finance, at: T1, comment: '   ' }))).toBe('comment_required');
    const rejected = ok(reject(state, { actor: finance, at: T1, comment: 'discount too deep' }));
    expect(rejected.status).toBe('rejected');
    expect(rejected.audit.at(-1)).toMatchObject({
      action: 'reject',
      from: 'pending_approval',
      to: 'rejected',
      step: 'finance',
      comment: 'discount too deep',
    });
    expect(errorOf(approve(rejected, { actor: manager, at: T2 }))).toBe('invalid_transition');
    expect(errorOf(requestApprovals(rejected, { actor: csm, at: T2 }))).toBe('invalid_transition');
    expect(errorOf(send(rejected, { actor: csm, at: T2 }))).toBe('approvals_incomplete');
  });

  it('cannot decide a draft', () => {
    expect(errorOf(approve(draft(), { actor: manager, at: T1 }))).toBe('invalid_transition');
    expect(errorOf(requestApprovals(pending(), { actor: csm, at: T1 }))).toBe('invalid_transition');
  });
});

describe('send, sign, decline', () => {
  it('send is refused until every approval is in', () => {
    expect(errorOf(send(draft(), { actor: csm, at: T1 }))).toBe('approvals_incomplete');
    const partly = ok(approve(pending(), { actor: manager, at: T1 }));
    const refused = send(partly, { actor: csm, at: T2 });
    expect(errorOf(refused)).toBe('approvals_incomplete');
    expect(refused.ok ? '' : refused.error.message).toContain('finance');
  });

  it('sends an approved proposal, then records signature or decline', () => {
    const sent = ok(send(approved(), { actor: csm, at: T3 }));
    expect(sent).toMatchObject({ status: 'sent', sentAt: T3 });
    expect(errorOf(send(sent, { actor: csm, at: T3 }))).toBe('invalid_transition');
    expect(ok(markSigned(sent, { actor: csm, at: T3 })).status).toBe('signed');
    expect(ok(markDeclined(sent, { actor: csm, at: T3, comment: 'budget' })).audit.at(-1)).toMatchObject({
      action: 'decline',
      from: 'sent',
      to: 'declined',
      comment: 'budget',
    });
    expect(errorOf(markSigned(approved(), { actor: csm, at: T3 }))).toBe('invalid_transition');
    expect(errorOf(markDeclined(draft(), { actor: csm, at: T3 }))).toBe('invalid_transition');
  });
});

describe('revise', () => {
  const newTerms: Terms = { optionKey: 'better', totalMinor: 4_884_000 };

  it('before sending: a new version with fresh approvals, the old one kept', () => {
    const state = ok(
      revise(approved(), { actor: csm, at: T3, terms: newTerms, requiredApprovals: ['finance', 'legal'] }),
    );
    expect(state).toMatchObject({
      version: 2,
      status: 'draft',
      terms: newTerms,
      requestedBy: null,
      requiredApprovals: ['manager', 'finance', 'legal'],
    });
    expect(state.steps.every((step) => step.status === 'pending')).toBe(true);
    expect(state.previousVersions).toHaveLength(1);
    expect(state.previousVersions[0]).toMatchObject({ version: 1, status: 'approved', terms });
    expect(state.audit.at(-1)).toMatchObject({ action: 'revise', version: 2, from: 'approved', to: 'draft' });
    expect(errorOf(send(state, { actor: csm, at: T3 }))).toBe('approvals_incomplete');
  });

  it('a revision by a manager makes that manager the author: another must approve', () => {
    const revised = ok(revise(pending(), { actor: manager, at: T2, terms: newTerms, requiredApprovals: [] }));
    const requested = ok(requestApprovals(revised, { actor: csm, at: T2 }));
    expect(errorOf(approve(requested, { actor: manager, at: T3 }))).toBe('self_approval');
    expect(ok(approve(requested, { actor: otherManager, at: T3 })).status).toBe('approved');
  });

  it('after sending, terms are frozen unless a new version is started explicitly', () => {
    const sent = ok(send(approved(), { actor: csm, at: T3 }));
    expect(errorOf(revise(sent, { actor: csm, at: T3, terms: newTerms, requiredApprovals: [] }))).toBe(
      'terms_frozen',
    );
    const next = ok(
      revise(sent, { actor: csm, at: T3, terms: newTerms, requiredApprovals: [], startNewVersion: true }),
    );
    expect(next.version).toBe(2);
    expect(next.previousVersions[0]).toMatchObject({ version: 1, status: 'sent', sentAt: T3, terms });
    expect(sent.terms).toEqual(terms); // the input state is untouched
  });

  it('a declined proposal may start a new version; a signed one is closed', () => {
    const sent = ok(send(approved(), { actor: csm, at: T3 }));
    const declined = ok(markDeclined(sent, { actor: csm, at: T3 }));
    expect(errorOf(revise(declined, { actor: csm, at: T3, terms: newTerms, requiredApprovals: [] }))).toBe(
      'terms_frozen',
    );
    expect(
      ok(
        revise(declined, {
          actor: csm,
          at: T3,
          terms: newTerms,
          requiredApprovals: [],
          startNewVersion: true,
        }),
      ).status,
    ).toBe('draft');
    const signed = ok(markSigned(sent, { actor: csm, at: T3 }));
    expect(
      errorOf(
        revise(signed, { actor: csm, at: T3, terms: newTerms, requiredApprovals: [], startNewVersion: true }),
      ),
    ).toBe('proposal_closed');
  });
});

describe('comment', () => {
  it('records a comment in any state without changing it', () => {
    const state = ok(comment(pending(), { actor: finance, at: T2, comment: 'why 15%?' }));
    expect(state.status).toBe('pending_approval');
    expect(state.audit.at(-1)).toEqual({
      at: T2,
      actor: 'U-fin',
      actorRole: 'finance',
      action: 'comment',
      version: 1,
      from: 'pending_approval',
      to: 'pending_approval',
      step: null,
      comment: 'why 15%?',
    });
    expect(errorOf(comment(state, { actor: finance, at: T2, comment: '' }))).toBe('comment_required');
    expect(errorOf(comment(state, { actor: viewer, at: T2, comment: 'hi' }))).toBe('not_permitted');
    expect(errorOf(comment(state, { actor: finance, at: 'yesterday', comment: 'hi' }))).toBe(
      'invalid_instant',
    );
  });
});
