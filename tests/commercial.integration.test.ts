/**
 * Renewal commercials end to end on a real store (PGlite, or PostgreSQL with DATABASE_URL): the
 * dry-run quote, a proposal through approvals, sending, versioning, documents, the contract and the
 * signature that closes the renewal and opens the next term.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/domain/policy/policy-schema.ts';
import { formatQuote } from '../src/domain/pricing/format-quote.ts';
import { approveProposal } from '../src/engine/commercial/approve-proposal.ts';
import { CommercialError } from '../src/engine/commercial/commercial-error.ts';
import { createProposal } from '../src/engine/commercial/create-proposal.ts';
import { declineRenewalContract } from '../src/engine/commercial/decline-renewal-contract.ts';
import { generateProposalDocument } from '../src/engine/commercial/generate-proposal-document.ts';
import { generateRenewalContract } from '../src/engine/commercial/generate-renewal-contract.ts';
import { listProposals } from '../src/engine/commercial/list-proposals.ts';
import { loadProposal } from '../src/engine/commercial/proposal-records.ts';
import { quoteAccount } from '../src/engine/commercial/quote-account.ts';
import { rejectProposal } from '../src/engine/commercial/reject-proposal.ts';
import { requestProposalApproval } from '../src/engine/commercial/request-proposal-approval.ts';
import { reviseProposal } from '../src/engine/commercial/revise-proposal.ts';
import { sendProposal } from '../src/engine/commercial/send-proposal.ts';
import { signRenewalContract } from '../src/engine/commercial/sign-renewal-contract.ts';
import { loadCsvPortfolio } from '../src/engine/load-csv-portfolio.ts';
import { importFiles } from '../src/import/import-files.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/perennial');
const AS_OF = '2026-11-23';

/** Weekly usage for A-9, growing from 58 to 68 active users of 80 seats. */
function northwindUsage(): string {
  const rows: string[] = [];
  let users = 58;
  let day = Date.parse('2026-05-04T00:00:00Z');
  for (let week = 0; day <= Date.parse('2026-11-16T00:00:00Z'); week++, day += 7 * 86_400_000) {
    if (week % 3 === 0) users += 1;
    rows.push(`A-9,${new Date(day).toISOString().slice(0, 10)},${users},80,${60 + Math.floor(week / 2)}`);
  }
  return rows.join('\n');
}

/**
 * The shared fixture plus a finance user, an executive and A-9 (Northwind Analytics): healthy,
 * multi-threaded with an executive sponsor, ten months before its end date, so it qualifies for a
 * 15 % early-renewal discount that needs manager, finance and sales-leadership approval.
 */
const COMMERCIAL_FILES: Record<string, string> = {
  'users.csv': `${BASE_FILES['users.csv']}\nU-4,Farah Haddad,farah@vendor.example,finance,U-1\nU-5,Elena Novak,elena@vendor.example,executive,\nU-6,Vic Viewer,vic@vendor.example,viewer,U-1`,
  'accounts.csv': `${BASE_FILES['accounts.csv']}\nA-9,Northwind Analytics,software,US,USD,1,,true,U-2,U-3,America/Chicago,enterprise`,
  'contracts.csv': `${BASE_FILES['contracts.csv']}\nC-9,A-9,2026-10-01,2027-09-30,100000.00,USD,80,false,false,,active,`,
  'usage.csv': `${BASE_FILES['usage.csv']}\n${northwindUsage()}`,
  'stakeholders.csv': `${BASE_FILES['stakeholders.csv']}
S-91,A-9,Dana Whitfield,dana@northwind.example,economic_buyer,strong,supporter,2026-11-10,
S-92,A-9,Omar Said,omar@northwind.example,champion,strong,supporter,2026-11-18,
S-93,A-9,Grace Liu,grace@northwind.example,executive_sponsor,strong,supporter,2026-10-28,`,
  'surveys.csv': `${BASE_FILES['surveys.csv']}\nA-9,2026-10-12,nps,9,Saves our analysts hours every week`,
  'tickets.csv': `${BASE_FILES['tickets.csv']}\nT-91,A-9,2026-09-01,2026-09-02,normal,5`,
};

let testStore: TestStore;
let csvDir: string;
let tenantSeq = 0;

async function newTenant(): Promise<string> {
  tenantSeq += 1;
  const tenantId = `c${process.pid}-${tenantSeq}`;
  await importFiles({ store: testStore.store, tenantId, inputs: [csvDir] });
  return tenantId;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CommercialError) return error.code;
    throw error;
  }
  throw new Error('expected a CommercialError');
}

/** Minor units of an exact decimal string ("44400.00" → 4440000n, "9000000" → 9000000n). */
function minorOf(amount: string): bigint {
  return BigInt(amount.replace('.', ''));
}

/** Text drawn by an uncompressed PDF: the hex strings of every TJ array, decoded and joined. */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const parts: string[] = [];
  for (const match of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    const hexes = [...match[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) =>
      Buffer.from(hex[1]!, 'hex').toString('latin1'),
    );
    parts.push(hexes.join(''));
  }
  return parts.join(' ');
}

beforeAll(async () => {
  testStore = await openTestStore();
  csvDir = await writeCsvSet(COMMERCIAL_FILES);
});
afterAll(async () => {
  await testStore?.close();
});

describe('dry-run quote', () => {
  it('prices every option with years that sum exactly to the TCV, JPY without decimals', async () => {
    const portfolio = await loadCsvPortfolio({ inputDir: csvDir, asOf: AS_OF });
    for (const snapshot of portfolio.snapshots) {
      const { quote } = quoteAccount({ snapshot, policy: DEFAULT_POLICY, asOf: AS_OF });
      const json = formatQuote(quote);
      expect(json.accountId).toBe(snapshot.account.accountId);
      expect(json.options.map((option) => option.key)).toContain('good');
      for (const option of json.options) {
        expect(option.years).toHaveLength(option.termYears);
        expect(option.totalContractValue.currency).toBe(json.currency);
        const sum = option.years.reduce((total, year) => total + minorOf(year.amount), 0n);
        expect(sum).toBe(minorOf(option.totalContractValue.amount));
        expect(option.requiredApprovals).toContain('manager');
        expect(typeof option.effectiveDiscountPct).toBe('number');
        for (const year of option.years) {
          expect(year.amount).toMatch(json.currency === 'JPY' ? /^\d+$/ : /^\d+\.\d{2}$/);
        }
      }
    }
    const northwind = portfolio.snapshots.find((snapshot) => snapshot.account.accountId === 'A-9')!;
    const json = formatQuote(
      quoteAccount({ snapshot: northwind, policy: DEFAULT_POLICY, asOf: AS_OF }).quote,
    );
    expect(json).toMatchObject({ accountId: 'A-9', contractId: 'C-9', currency: 'USD', monthsEarly: 10.2 });
    expect(json.options.find((option) => option.key === 'early_renewal')).toMatchObject({
      termYears: 1,
      years: [{ year: 1, amount: '85000.00' }],
      totalContractValue: { amount: '85000.00', currency: 'USD' },
      effectiveDiscountPct: 15,
      requiredApprovals: ['manager', 'finance', 'sales_leadership'],
    });
  });

  it('runs as `perennial quote --json`, and an unknown account exits 1', async () => {
    const env = { ...process.env, PERENNIAL_DATA_DIR: '/nonexistent/never-opened' };
    const { stdout } = await run(
      BIN,
      ['quote', '--input', csvDir, '--as-of', AS_OF, '--account', 'A-2', '--json'],
      {
        env,
      },
    );
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ accountId: 'A-2', contractId: 'C-2', currency: 'JPY' });
    expect(json.options[0]).toMatchObject({
      key: 'good',
      years: [{ year: 1, amount: '9000000' }],
      totalContractValue: { amount: '9000000', currency: 'JPY' },
    });
    const failed = await run(BIN, ['quote', '--input', csvDir, '--as-of', AS_OF, '--account', 'A-404'], {
      env,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('unknown account A-404');
  });
});

describe('proposal journey on the store', () => {
  it('goes from a quote to a signed next term, with approvals, frozen versions and an audit trail', async () => {
    const { store } = testStore;
    const tenantId = await newTenant();
    const base = { store, tenantId };
    const at = (time: string) => `${AS_OF}T${time}Z`;

    const created = await createProposal({
      ...base,
      contractId: 'C-9',
      optionKey: 'early_renewal',
      actorId: 'U-2',
      asOf: AS_OF,
      at: at('09:00:00'),
    });
    expect(created).toMatchObject({ version: 1, status: 'draft', currency: 'USD' });
    expect(created.workflow.requiredApprovals).toEqual(['manager', 'finance', 'sales_leadership']);
    expect(created.terms.chosen.years).toEqual([{ year: 1, amountMinor: 8_500_000 }]);
    expect(created.terms.value.roi).toMatchObject({
      activeUsers: 68,
      hoursPerYear: 3400,
      valuePerYearMinor: 51_000_000,
    });
    const id = created.id;
    await store.execute(
      `INSERT INTO webhooks (tenant_id, url, secret, events) VALUES ($1, 'https://hooks.example.com/p', 's', ARRAY['proposal.approved'])`,
      [tenantId],
    );
    const approvedEvents = () =>
      store.query<{ payload: { data: { proposalId: number; approvedBy: string } } }>(
        `SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'webhook' AND template = 'proposal.approved'`,
        [tenantId],
      );

    expect(
      await codeOf(
        createProposal({
          ...base,
          contractId: 'C-9',
          optionKey: 'good',
          actorId: 'U-2',
          asOf: AS_OF,
          at: at('09:01:00'),
        }),
      ),
    ).toBe('proposal_exists');
    expect(
      await codeOf(
        createProposal({
          ...base,
          contractId: 'C-1',
          optionKey: 'nope',
          actorId: 'U-2',
          asOf: AS_OF,
          at: at('09:01:00'),
        }),
      ),
    ).toBe('option_not_found');
    expect(await codeOf(sendProposal({ ...base, proposalId: id, actorId: 'U-2', at: at('09:02:00') }))).toBe(
      'approval_required',
    );

    await requestProposalApproval({ ...base, proposalId: id, actorId: 'U-2', at: at('09:03:00') });
    expect(
      await codeOf(
        approveProposal({ ...base, proposalId: id, actorId: 'U-2', at: at('09:04:00'), step: 'manager' }),
      ),
    ).toBe('forbidden_self_approval');
    expect(
      await codeOf(approveProposal({ ...base, proposalId: id, actorId: 'U-6', at: at('09:04:00') })),
    ).toBe('not_permitted');
    expect(
      await codeOf(approveProposal({ ...base, proposalId: id, actorId: 'U-404', at: at('09:04:00') })),
    ).toBe('user_not_found');
    expect(
      await codeOf(approveProposal({ ...base, proposalId: 999_999, actorId: 'U-1', at: at('09:04:00') })),
    ).toBe('proposal_not_found');
    await approveProposal({
      ...base,
      proposalId: id,
      actorId: 'U-1',
      at: at('09:05:00'),
      comment: 'fits the account plan',
    });
    await approveProposal({ ...base, proposalId: id, actorId: 'U-4', at: at('09:06:00') });
    expect(await approvedEvents()).toEqual([]); // partly approved: subscribers hear nothing yet
    expect(await codeOf(sendProposal({ ...base, proposalId: id, actorId: 'U-2', at: at('09:07:00') }))).toBe(
      'approval_required',
    );
    const approved = await approveProposal({
      ...base,
      proposalId: id,
      actorId: 'U-5',
      at: at('09:08:00'),
      step: 'sales_leadership',
    });
    expect(approved.status).toBe('approved');
    expect((await approvedEvents()).map((e) => e.payload.data)).toEqual([
      expect.objectContaining({ proposalId: id, approvedBy: 'U-5' }),
    ]);
    const sent = await sendProposal({ ...base, proposalId: id, actorId: 'U-2', at: at('09:10:00') });
    expect(sent).toMatchObject({ status: 'sent', sentAt: '2026-11-23T09:10:00.000Z' });
    const [renewalAfterSend] = await store.query<{ stage: string }>(
      'SELECT stage FROM renewals WHERE tenant_id = $1 AND contract_id = $2',
      [tenantId, 'C-9'],
    );
    expect(renewalAfterSend?.stage).toBe('proposal');

    // Revising a sent version makes version 2; version 1 stays exactly as sent.
    const v1Row = await store.query('SELECT * FROM proposals WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    const v2 = await reviseProposal({
      ...base,
      proposalId: id,
      actorId: 'U-2',
      asOf: AS_OF,
      at: at('10:00:00'),
      optionKey: 'multi_year_2_fixed',
      comment: 'customer asked for two years',
    });
    expect(v2).toMatchObject({ version: 2, status: 'draft', contractId: 'C-9' });
    expect(v2.id).not.toBe(id);
    expect(
      await store.query('SELECT * FROM proposals WHERE tenant_id = $1 AND id = $2', [tenantId, id]),
    ).toEqual(v1Row);
    expect(
      await codeOf(approveProposal({ ...base, proposalId: id, actorId: 'U-1', at: at('10:01:00') })),
    ).toBe('proposal_superseded');
    expect((await listProposals({ session: store, tenantId })).map((record) => record.id)).toEqual([v2.id]);

    // Version 2 goes through approvals (a rejection needs a comment), is sent, contracted and signed.
    await requestProposalApproval({ ...base, proposalId: v2.id, actorId: 'U-2', at: at('10:02:00') });
    expect(
      await codeOf(rejectProposal({ ...base, proposalId: v2.id, actorId: 'U-4', at: at('10:03:00') })),
    ).toBe('comment_required');
    for (const [actorId, step] of [
      ['U-1', undefined],
      ['U-4', undefined],
      ['U-5', 'sales_leadership'],
    ] as const) {
      await approveProposal({
        ...base,
        proposalId: v2.id,
        actorId,
        at: at('10:04:00'),
        ...(step ? { step } : {}),
      });
    }
    await sendProposal({ ...base, proposalId: v2.id, actorId: 'U-3', at: at('10:05:00') });
    expect(
      await codeOf(generateRenewalContract({ ...base, proposalId: id, actorId: 'U-2', at: at('10:06:00') })),
    ).toBe('proposal_superseded');
    const contract = await generateRenewalContract({
      ...base,
      proposalId: v2.id,
      actorId: 'U-2',
      at: at('10:06:00'),
      compress: false,
    });
    expect(contract.signer).toEqual({ name: 'Dana Whitfield', email: 'dana@northwind.example' });
    expect(contract.newContractId).toBe('C-9-T2');
    expect(contract.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfText(contract.content)).toContain('Northwind Analytics');
    const [signatureRow] = await store.query<{ token_hash: string }>(
      'SELECT token_hash FROM signatures WHERE tenant_id = $1 AND id = $2',
      [tenantId, contract.signatureId],
    );
    expect(signatureRow?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureRow?.token_hash).not.toContain(contract.token);

    const signed = await signRenewalContract({
      ...base,
      token: contract.token,
      signerName: 'Dana Whitfield',
      at: at('15:00:00'),
    });
    expect(signed).toMatchObject({
      alreadySigned: false,
      renewedContractId: 'C-9',
      nextTerm: { contractId: 'C-9-T2', startDate: '2027-10-01', endDate: '2029-09-30' },
      renewedArrMinor: 8_500_000,
      termYears: 2,
      signedDaysEarly: 311,
      closedOn: AS_OF,
    });
    const contracts = await store.query<Record<string, unknown>>(
      `SELECT contract_id, status, start_date, end_date, arr_minor, previous_contract_id, seats
       FROM contracts WHERE tenant_id = $1 AND account_id = 'A-9' ORDER BY contract_id`,
      [tenantId],
    );
    expect(contracts).toEqual([
      expect.objectContaining({ contract_id: 'C-9', status: 'renewed' }),
      expect.objectContaining({
        contract_id: 'C-9-T2',
        status: 'active',
        start_date: '2027-10-01',
        end_date: '2029-09-30',
        previous_contract_id: 'C-9',
        seats: 80,
      }),
    ]);
    expect(Number(contracts[1]!.arr_minor)).toBe(8_500_000);
    const renewals = await store.query<Record<string, unknown>>(
      `SELECT contract_id, outcome, closed_on, stage, renewed_arr_minor, term_years, signed_days_early, due_date
       FROM renewals WHERE tenant_id = $1 AND account_id = 'A-9' ORDER BY contract_id`,
      [tenantId],
    );
    expect(renewals).toEqual([
      expect.objectContaining({
        contract_id: 'C-9',
        outcome: 'won',
        closed_on: AS_OF,
        stage: 'closed_won',
        term_years: 2,
        signed_days_early: 311,
      }),
      expect.objectContaining({ contract_id: 'C-9-T2', outcome: 'pending', due_date: '2029-09-30' }),
    ]);
    expect(Number(renewals[0]!.renewed_arr_minor)).toBe(8_500_000);
    expect((await loadProposal(store, tenantId, v2.id)).status).toBe('signed');

    // Signing again changes nothing.
    const before = await store.query('SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY id', [tenantId]);
    const again = await signRenewalContract({
      ...base,
      token: contract.token,
      signerName: 'Dana Whitfield',
      at: at('16:00:00'),
    });
    expect(again).toMatchObject({ alreadySigned: true, nextTerm: { contractId: 'C-9-T2' } });
    expect(await store.query('SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY id', [tenantId])).toEqual(
      before,
    );
    expect(
      await store.query(
        `SELECT count(*)::int AS n FROM contracts WHERE tenant_id = $1 AND previous_contract_id = 'C-9'`,
        [tenantId],
      ),
    ).toEqual([{ n: 1 }]);
    expect(
      await codeOf(
        signRenewalContract({ ...base, token: 'not-a-token', signerName: 'X', at: at('16:00:00') }),
      ),
    ).toBe('signature_not_found');
    expect(
      await codeOf(
        reviseProposal({ ...base, proposalId: v2.id, actorId: 'U-2', asOf: AS_OF, at: at('16:01:00') }),
      ),
    ).toBe('proposal_closed');

    const actions = before.map((row) => (row as { action: string }).action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'proposal.create',
        'proposal.request_approval',
        'proposal.approve',
        'proposal.send',
        'proposal.revise',
        'document.contract',
        'signature.request',
        'signature.sign',
        'proposal.sign',
        'renewal.close_won',
        'contract.renewed',
        'contract.create',
      ]),
    );
    const approval = before.find((row) => (row as { action: string }).action === 'proposal.approve') as {
      actor: string;
      changes: Record<string, unknown>;
    };
    expect(approval.actor).toBe('U-1');
    expect(approval.changes).toMatchObject({
      status: { old: 'pending_approval', new: 'pending_approval' },
      step: 'manager',
      comment: 'fits the account plan',
    });
  });

  it('lets exactly one of two concurrent approvals at the same sequence through', async () => {
    const { store } = testStore;
    const tenantId = await newTenant();
    const base = { store, tenantId };
    const created = await createProposal({
      ...base,
      contractId: 'C-9',
      optionKey: 'early_renewal',
      actorId: 'U-2',
      asOf: AS_OF,
      at: `${AS_OF}T09:00:00Z`,
    });
    const pending = await requestProposalApproval({
      ...base,
      proposalId: created.id,
      actorId: 'U-2',
      at: `${AS_OF}T09:01:00Z`,
    });
    const results = await Promise.allSettled([
      approveProposal({
        ...base,
        proposalId: created.id,
        actorId: 'U-1',
        at: `${AS_OF}T09:02:00Z`,
        expectedSequence: pending.sequence,
      }),
      approveProposal({
        ...base,
        proposalId: created.id,
        actorId: 'U-4',
        at: `${AS_OF}T09:02:00Z`,
        expectedSequence: pending.sequence,
      }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(CommercialError);
    expect((failure.reason as CommercialError).code).toBe('conflict');
    const after = await loadProposal(store, tenantId, created.id);
    expect(after.sequence).toBe(pending.sequence + 1);
    expect(after.workflow.steps.filter((step) => step.status === 'approved')).toHaveLength(1);
  });

  it('renders the proposal PDF deterministically and stores it once', async () => {
    const { store } = testStore;
    const tenantId = await newTenant();
    const created = await createProposal({
      store,
      tenantId,
      contractId: 'C-1',
      optionKey: 'better',
      actorId: 'U-2',
      asOf: AS_OF,
      at: `${AS_OF}T09:00:00Z`,
    });
    const first = await generateProposalDocument({
      store,
      tenantId,
      proposalId: created.id,
      at: `${AS_OF}T09:05:00Z`,
      actor: 'U-2',
      compress: false,
    });
    expect(first.content.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(first.content);
    for (const expected of [
      'Acme Retail',
      'Executive summary',
      'Value delivered',
      'Current contract',
      'Proposed options',
      'Next steps',
    ]) {
      expect(text).toContain(expected);
    }
    const again = await generateProposalDocument({
      store,
      tenantId,
      proposalId: created.id,
      at: `${AS_OF}T09:06:00Z`,
      actor: 'U-2',
      compress: false,
    });
    expect(again).toMatchObject({ sha256: first.sha256, documentId: first.documentId, created: false });
    const compressed = await generateProposalDocument({
      store,
      tenantId,
      proposalId: created.id,
      at: `${AS_OF}T09:07:00Z`,
      actor: 'U-2',
    });
    const [row] = await store.query<{ sha256: string; content: string; media_type: string }>(
      'SELECT sha256, content, media_type FROM documents WHERE tenant_id = $1 AND id = $2',
      [tenantId, compressed.documentId],
    );
    expect(row?.media_type).toBe('application/pdf');
    expect(Buffer.from(row!.content, 'base64').equals(compressed.content)).toBe(true);
    expect(row?.sha256).toBe(compressed.sha256);
  });

  it('returns a declined agreement to negotiation with an alert', async () => {
    const { store } = testStore;
    const tenantId = await newTenant();
    const base = { store, tenantId };
    const created = await createProposal({
      ...base,
      contractId: 'C-9',
      optionKey: 'good',
      actorId: 'U-2',
      asOf: AS_OF,
      at: `${AS_OF}T09:00:00Z`,
    });
    await requestProposalApproval({
      ...base,
      proposalId: created.id,
      actorId: 'U-2',
      at: `${AS_OF}T09:01:00Z`,
    });
    await approveProposal({ ...base, proposalId: created.id, actorId: 'U-1', at: `${AS_OF}T09:02:00Z` });
    await sendProposal({ ...base, proposalId: created.id, actorId: 'U-2', at: `${AS_OF}T09:03:00Z` });
    const contract = await generateRenewalContract({
      ...base,
      proposalId: created.id,
      actorId: 'U-2',
      at: `${AS_OF}T09:04:00Z`,
    });
    const declined = await declineRenewalContract({
      ...base,
      token: contract.token,
      signerName: 'Dana Whitfield',
      reason: 'budget review',
      at: `${AS_OF}T12:00:00Z`,
    });
    expect(declined.alreadyDeclined).toBe(false);
    expect((await loadProposal(store, tenantId, created.id)).status).toBe('declined');
    expect(
      await store.query('SELECT stage, outcome FROM renewals WHERE tenant_id = $1 AND contract_id = $2', [
        tenantId,
        'C-9',
      ]),
    ).toEqual([{ stage: 'negotiation', outcome: 'pending' }]);
    expect(
      await store.query('SELECT kind, recipient_user_id FROM alerts WHERE tenant_id = $1', [tenantId]),
    ).toEqual([{ kind: 'signature_declined', recipient_user_id: 'U-3' }]);
    expect(
      await codeOf(
        signRenewalContract({ ...base, token: contract.token, signerName: 'Dana', at: `${AS_OF}T13:00:00Z` }),
      ),
    ).toBe('signature_closed');
  });
});
