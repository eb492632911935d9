/**
 * The signature webhook (HMAC, replay-safe), T+0 tasks on signing, closing a renewal by hand, the
 * audited stage moves of the commercial flow, and each signer's status on the proposal — on PGlite,
 * or PostgreSQL with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../src/api/types.ts';
import { createApiToken } from '../src/auth/api-tokens.ts';
import { approveProposal } from '../src/engine/commercial/approve-proposal.ts';
import { checkCloseRenewal, closeRenewal } from '../src/engine/commercial/close-renewal.ts';
import {
  acceptanceLinkSecret,
  acceptanceToken,
  signatureWebhookSecret,
  signWebhookPayload,
} from '../src/engine/commercial/commercial-secrets.ts';
import { createProposal } from '../src/engine/commercial/create-proposal.ts';
import { generateRenewalContract } from '../src/engine/commercial/generate-renewal-contract.ts';
import { requestProposalApproval } from '../src/engine/commercial/request-proposal-approval.ts';
import { sendProposal } from '../src/engine/commercial/send-proposal.ts';
import { RecordError } from '../src/engine/queries/record-error.ts';
import { importFiles } from '../src/import/import-files.ts';
import { buildTestApp, testConfig } from './api-fixture.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { dumpTenant, openTestStore, type TestStore } from './support/test-store.ts';

const AS_OF = '2026-11-23';
const NOW = new Date(`${AS_OF}T15:00:00Z`);

const FILES: Record<string, string> = {
  'users.csv': `${BASE_FILES['users.csv']}\nU-4,Farah Haddad,farah@vendor.example,finance,U-1\nU-5,Elena Novak,elena@vendor.example,executive,`,
  'accounts.csv': `${BASE_FILES['accounts.csv']}\nA-9,Northwind Analytics,software,US,USD,1,,true,U-2,U-3,America/Chicago,enterprise`,
  'contracts.csv': `${BASE_FILES['contracts.csv']}\nC-9,A-9,2026-10-01,2027-09-30,100000.00,USD,80,false,false,,active,`,
  'stakeholders.csv': `${BASE_FILES['stakeholders.csv']}
S-91,A-9,Dana Whitfield,dana@northwind.example,economic_buyer,strong,supporter,2026-11-10,`,
};

let testStore: TestStore;
let csvDir: string;
let app: ApiApp;
let seq = 0;
const config = testConfig();
const secret = signatureWebhookSecret(config);

/**
 * A tenant whose proposal for C-9 was approved, sent, and its agreement sent for signature;
 * `prepare` runs after the import, before the flow.
 */
async function sentContract({ prepare }: { prepare?: (tenantId: string) => Promise<void> } = {}) {
  seq += 1;
  const { store } = testStore;
  const tenantId = `s${process.pid}-${seq}`;
  await importFiles({ store, tenantId, inputs: [csvDir] });
  await prepare?.(tenantId);
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
  return { tenantId, proposalId: created.id, contract };
}

function deliver(
  event: Record<string, unknown>,
  { sign = true, timestamp = String(Math.floor(NOW.getTime() / 1000)), provider = 'docusign' } = {},
) {
  const body = JSON.stringify(event);
  return app.inject({
    method: 'POST',
    url: `/api/v1/signatures/webhook/${provider}`,
    headers: {
      'content-type': 'application/json',
      'x-signature': sign ? signWebhookPayload(secret, body) : signWebhookPayload('wrong', body),
      'x-signature-timestamp': timestamp,
    },
    payload: body,
  });
}

const stateOf = async (tenantId: string) => {
  const dump = await dumpTenant(testStore.store, tenantId);
  return JSON.stringify(dump);
};

beforeAll(async () => {
  testStore = await openTestStore();
  csvDir = await writeCsvSet(FILES);
  app = await buildTestApp(testStore.store, { config, now: () => NOW });
});
afterAll(async () => {
  await app?.close();
  await testStore?.close();
});

describe('signature webhook', () => {
  it('refuses a bad signature or a stale timestamp with 401 and changes nothing', async () => {
    const { tenantId, contract } = await sentContract();
    const before = await stateOf(tenantId);
    const event = {
      eventId: 'ev-bad',
      type: 'signed',
      signatureRequestId: contract.signatureId,
      signerName: 'Dana Whitfield',
      occurredAt: `${AS_OF}T14:00:00Z`,
    };
    const bad = await deliver(event, { sign: false });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    const stale = await deliver(event, { timestamp: String(Math.floor(NOW.getTime() / 1000) - 301) });
    expect(stale.statusCode).toBe(401);
    expect(await stateOf(tenantId)).toBe(before);
    const events = await testStore.store.query('SELECT * FROM signature_events WHERE event_id = $1', [
      'ev-bad',
    ]);
    expect(events).toEqual([]);
  });

  it('applies `signed` once: three deliveries (one replayed) make exactly one next term and one set of T+0 tasks', async () => {
    const { tenantId, contract } = await sentContract();
    const { store } = testStore;
    const event = (eventId: string) => ({
      eventId,
      type: 'signed',
      signatureRequestId: contract.signatureId,
      signerName: 'Dana Whitfield',
      occurredAt: `${AS_OF}T14:00:00Z`,
    });
    const first = await deliver(event(`${tenantId}-1`));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ duplicate: false, effect: 'signed', nextContractId: 'C-9-T2' });
    const afterFirst = await stateOf(tenantId);
    const replay = await deliver(event(`${tenantId}-1`));
    expect(replay.json()).toMatchObject({ duplicate: true });
    expect(await stateOf(tenantId)).toBe(afterFirst);
    const again = await deliver(event(`${tenantId}-2`));
    expect(again.json()).toMatchObject({ duplicate: false, effect: 'already_signed' });

    const next = await store.query(
      'SELECT contract_id, previous_contract_id FROM contracts WHERE tenant_id = $1 AND previous_contract_id = $2',
      [tenantId, 'C-9'],
    );
    expect(next).toEqual([{ contract_id: 'C-9-T2', previous_contract_id: 'C-9' }]);
    expect(
      await store.query('SELECT outcome, stage FROM renewals WHERE tenant_id = $1 AND contract_id = $2', [
        tenantId,
        'C-9',
      ]),
    ).toEqual([{ outcome: 'won', stage: 'closed_won' }]);
    const tasks = await store.query<{ key: string; owner_user_id: string }>(
      `SELECT key, owner_user_id FROM tasks WHERE tenant_id = $1 AND contract_id = 'C-9' AND milestone = 'T+0' ORDER BY key`,
      [tenantId],
    );
    expect(tasks.map((task) => task.key)).toEqual(['t0:next_check_ins', 't0:record_terms', 't0:thank_you']);
    expect(tasks.every((task) => task.owner_user_id === 'U-3')).toBe(true);
  });

  it('tells webhook subscribers that the signature closed the renewal won, once', async () => {
    const { tenantId, contract } = await sentContract({
      prepare: async (tenantId) => {
        await testStore.store.execute(
          `INSERT INTO webhooks (tenant_id, url, secret, events)
           VALUES ($1, 'https://hooks.example/crm', 'whsec-test', '{renewal.stage_changed,renewal.closed}')`,
          [tenantId],
        );
      },
    });
    const sign = (eventId: string) =>
      deliver({
        eventId,
        type: 'signed',
        signatureRequestId: contract.signatureId,
        signerName: 'Dana Whitfield',
        occurredAt: `${AS_OF}T14:00:00Z`,
      });
    expect((await sign(`${tenantId}-1`)).json()).toMatchObject({ effect: 'signed' });
    expect((await sign(`${tenantId}-2`)).json()).toMatchObject({ effect: 'already_signed' });
    const events = await testStore.store.query<{
      template: string;
      payload: { data: Record<string, unknown> };
    }>(`SELECT template, payload FROM outbox WHERE tenant_id = $1 AND kind = 'webhook' ORDER BY id`, [
      tenantId,
    ]);
    const fromSignature = events.filter((event) => event.payload.data.changedBy === 'esign');
    expect(fromSignature.map((event) => event.template)).toEqual(['renewal.stage_changed', 'renewal.closed']);
    expect(fromSignature[0]!.payload.data).toMatchObject({ from: 'contract_sent', to: 'closed_won' });
    expect(fromSignature[1]!.payload.data).toMatchObject({
      contractId: 'C-9',
      outcome: 'won',
      renewedArr: { currency: 'USD' },
    });
  });

  it('records `viewed` once, and `expired` returns the renewal to negotiation with an alert', async () => {
    const { tenantId, contract } = await sentContract();
    const { store } = testStore;
    const viewed = await deliver({
      eventId: `${tenantId}-v`,
      type: 'viewed',
      token: contract.token,
      occurredAt: `${AS_OF}T10:00:00Z`,
    });
    expect(viewed.json()).toMatchObject({ effect: 'viewed' });
    const [row] = await store.query<{ status: string; viewed_at: Date }>(
      'SELECT status, viewed_at FROM signatures WHERE id = $1',
      [contract.signatureId],
    );
    expect(row!.status).toBe('viewed');
    expect(new Date(row!.viewed_at).toISOString()).toBe(`${AS_OF}T10:00:00.000Z`);

    const expired = await deliver({
      eventId: `${tenantId}-x`,
      type: 'expired',
      signatureRequestId: String(contract.signatureId),
      occurredAt: `${AS_OF}T11:00:00Z`,
    });
    expect(expired.json()).toMatchObject({ effect: 'expired' });
    expect(
      await store.query('SELECT stage, outcome FROM renewals WHERE tenant_id = $1 AND contract_id = $2', [
        tenantId,
        'C-9',
      ]),
    ).toEqual([{ stage: 'negotiation', outcome: 'pending' }]);
    expect(
      await store.query('SELECT kind, recipient_user_id FROM alerts WHERE tenant_id = $1', [tenantId]),
    ).toEqual([{ kind: 'signature_expired', recipient_user_id: 'U-3' }]);
    const late = await deliver({
      eventId: `${tenantId}-s`,
      type: 'signed',
      signatureRequestId: contract.signatureId,
      occurredAt: `${AS_OF}T12:00:00Z`,
    });
    expect(late.statusCode).toBe(422);
    expect(
      await store.query('SELECT 1 FROM signature_events WHERE event_id = $1', [`${tenantId}-s`]),
    ).toEqual([]);
  });

  it('rejects a malformed event after a valid signature (400) and an unknown request (404)', async () => {
    const malformed = await deliver({ eventId: 'm-1', type: 'signed', occurredAt: `${AS_OF}T12:00:00Z` });
    expect(malformed.statusCode).toBe(400);
    const unknown = await deliver({
      eventId: 'm-2',
      type: 'viewed',
      signatureRequestId: 999999999,
      occurredAt: `${AS_OF}T12:00:00Z`,
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('closing a renewal by hand', () => {
  it('requires the fields of each outcome', () => {
    expect(checkCloseRenewal({ contractId: 'C', outcome: 'won' }).map((p) => p.field)).toEqual([
      'renewedArr',
      'termYears',
    ]);
    expect(checkCloseRenewal({ contractId: 'C', outcome: 'downgraded', renewedArr: '1.00' })).toHaveLength(1);
    expect(checkCloseRenewal({ contractId: 'C', outcome: 'lost' }).map((p) => p.field)).toEqual(['reasons']);
    expect(checkCloseRenewal({ contractId: 'C', outcome: 'churned', reasons: [' ', ''] })).toHaveLength(1);
    expect(checkCloseRenewal({ contractId: 'C', outcome: 'churned', reasons: ['budget'] })).toEqual([]);
    expect(
      checkCloseRenewal({ contractId: 'C', outcome: 'won', renewedArr: '1.00', termYears: 0 }).map(
        (p) => p.field,
      ),
    ).toEqual(['termYears']);
  });

  it('closes lost with reasons and competitor, downgraded as won, and records the detailed outcome and lessons with an audit trail', async () => {
    seq += 1;
    const { store } = testStore;
    const tenantId = `s${process.pid}-${seq}`;
    await importFiles({ store, tenantId, inputs: [csvDir] });
    await store.execute(
      `INSERT INTO renewals (tenant_id, contract_id, account_id, due_date) VALUES ($1, 'C-9', 'A-9', '2027-09-30')
       ON CONFLICT DO NOTHING`,
      [tenantId],
    );
    const before = JSON.stringify(await dumpTenant(store, tenantId));
    await expect(
      closeRenewal({
        store,
        tenantId,
        actorId: 'U-2',
        at: NOW,
        input: { contractId: 'C-9', outcome: 'lost' },
      }),
    ).rejects.toBeInstanceOf(RecordError);
    expect(JSON.stringify(await dumpTenant(store, tenantId))).toBe(before);

    await closeRenewal({
      store,
      tenantId,
      actorId: 'U-2',
      at: NOW,
      input: {
        contractId: 'C-9',
        outcome: 'churned',
        reasons: ['budget', 'consolidation'],
        competitor: 'Acme BI',
        lessons: 'engage finance earlier',
      },
    });
    expect(
      await store.query(
        `SELECT outcome, close_outcome, stage, reasons, competitor, lessons, closed_on::text AS closed_on
           FROM renewals WHERE tenant_id = $1 AND contract_id = $2`,
        [tenantId, 'C-9'],
      ),
    ).toEqual([
      {
        outcome: 'lost',
        close_outcome: 'churned',
        stage: 'closed_lost',
        reasons: ['budget', 'consolidation'],
        competitor: 'Acme BI',
        lessons: 'engage finance earlier',
        closed_on: AS_OF,
      },
    ]);
    // The close-out and its old values are in the renewal's audit trail, in the same write.
    const [audit] = await store.query<{ changes: Record<string, unknown> }>(
      `SELECT changes FROM audit_log WHERE tenant_id = $1 AND entity = 'renewal' AND entity_id = 'C-9'
        ORDER BY id DESC LIMIT 1`,
      [tenantId],
    );
    expect(audit!.changes).toMatchObject({
      closeOutcome: { old: null, new: 'churned' },
      lessons: { old: null, new: 'engage finance earlier' },
      outcome: { old: 'pending', new: 'lost' },
    });

    await closeRenewal({
      store,
      tenantId,
      actorId: 'U-2',
      at: NOW,
      input: { contractId: 'C-9', outcome: 'downgraded', renewedArr: '80000.00', termYears: 1 },
    });
    expect(
      await store.query(
        'SELECT outcome, stage, renewed_arr_minor::text AS arr, term_years FROM renewals WHERE tenant_id = $1 AND contract_id = $2',
        [tenantId, 'C-9'],
      ),
    ).toEqual([{ outcome: 'won', stage: 'closed_won', arr: '8000000', term_years: 1 }]);
    const [closed] = await store.query<{ close_outcome: string }>(
      'SELECT close_outcome FROM renewals WHERE tenant_id = $1 AND contract_id = $2',
      [tenantId, 'C-9'],
    );
    expect(closed!.close_outcome).toBe('downgraded');
  });
});

describe('one-click acceptance', () => {
  it('shows the offer on GET, accepts once on POST, and refuses a forged or expired link', async () => {
    const { tenantId, proposalId } = await sentContract();
    const { store } = testStore;
    const linkSecret = acceptanceLinkSecret(config);
    const token = acceptanceToken(linkSecret, proposalId, new Date(NOW.getTime() + 86_400_000));
    const shown = await app.inject({ method: 'GET', url: `/api/v1/accept/${token}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Accept the renewal');
    expect(
      await store.query('SELECT outcome FROM renewals WHERE tenant_id = $1 AND contract_id = $2', [
        tenantId,
        'C-9',
      ]),
    ).toEqual([{ outcome: 'pending' }]);

    const forged = `${token.slice(0, -2)}xx`;
    expect((await app.inject({ method: 'POST', url: `/api/v1/accept/${forged}` })).statusCode).toBe(400);
    const expired = acceptanceToken(linkSecret, proposalId, new Date(NOW.getTime() - 1000));
    expect((await app.inject({ method: 'GET', url: `/api/v1/accept/${expired}` })).statusCode).toBe(410);
    expect((await app.inject({ method: 'POST', url: `/api/v1/accept/${expired}` })).statusCode).toBe(400);

    const accepted = await app.inject({ method: 'POST', url: `/api/v1/accept/${token}` });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const again = await app.inject({ method: 'POST', url: `/api/v1/accept/${token}` });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('already');
    expect(
      await store.query('SELECT outcome, stage FROM renewals WHERE tenant_id = $1 AND contract_id = $2', [
        tenantId,
        'C-9',
      ]),
    ).toEqual([{ outcome: 'won', stage: 'closed_won' }]);
    expect(
      await store.query(
        'SELECT contract_id FROM contracts WHERE tenant_id = $1 AND previous_contract_id = $2',
        [tenantId, 'C-9'],
      ),
    ).toEqual([{ contract_id: 'C-9-T2' }]);
    expect(
      await store.query(`SELECT count(*)::int AS n FROM tasks WHERE tenant_id = $1 AND milestone = 'T+0'`, [
        tenantId,
      ]),
    ).toEqual([{ n: 3 }]);
  });
});

describe('stage changes of the commercial flow', () => {
  const stageAudit = async (tenantId: string) =>
    (
      await testStore.store.query<{ actor: string; action: string; at: Date | string; changes: unknown }>(
        `SELECT actor, action, at, changes FROM audit_log
          WHERE tenant_id = $1 AND entity = 'renewal' AND entity_id = 'C-9' AND changes -> 'stage' IS NOT NULL
          ORDER BY id`,
        [tenantId],
      )
    ).map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
  const renewalRow = async (tenantId: string) =>
    (
      await testStore.store.query<{ stage: string; version: number; updated_at: Date | string }>(
        'SELECT stage, version, updated_at FROM renewals WHERE tenant_id = $1 AND contract_id = $2',
        [tenantId, 'C-9'],
      )
    ).map((row) => ({ ...row, updated_at: new Date(row.updated_at).toISOString() }));

  it('audits each move (send, contract out, decline) with who, when and the old and new stage, bumps the version and raises renewal.stage_changed', async () => {
    const { tenantId, proposalId, contract } = await sentContract({
      prepare: async (tenantId) => {
        // The daily run made the renewal row and a webhook listens for stage changes.
        await testStore.store.execute(
          `INSERT INTO renewals (tenant_id, contract_id, account_id, due_date, stage)
           VALUES ($1, 'C-9', 'A-9', '2027-09-30', 'value_review')`,
          [tenantId],
        );
        await testStore.store.execute(
          `INSERT INTO webhooks (tenant_id, url, secret, events)
           VALUES ($1, 'https://hooks.example/perennial', 'whsec-test', '{renewal.stage_changed}')`,
          [tenantId],
        );
      },
    });
    const declined = await deliver({
      eventId: `${tenantId}-d`,
      type: 'declined',
      signatureRequestId: contract.signatureId,
      signerName: 'Dana Whitfield',
      reason: 'budget frozen',
      occurredAt: `${AS_OF}T13:00:00Z`,
    });
    expect(declined.json()).toMatchObject({ effect: 'declined' });

    expect(await stageAudit(tenantId)).toEqual([
      {
        actor: 'U-2',
        action: 'update',
        at: `${AS_OF}T09:03:00.000Z`,
        changes: { stage: { old: 'value_review', new: 'proposal' }, proposalId },
      },
      {
        actor: 'U-2',
        action: 'update',
        at: `${AS_OF}T09:04:00.000Z`,
        changes: { stage: { old: 'proposal', new: 'contract_sent' }, proposalId },
      },
      {
        actor: 'esign',
        action: 'update',
        at: `${AS_OF}T13:00:00.000Z`,
        changes: { stage: { old: 'contract_sent', new: 'negotiation' }, proposalId },
      },
    ]);
    expect(await renewalRow(tenantId)).toEqual([
      { stage: 'negotiation', version: 4, updated_at: `${AS_OF}T13:00:00.000Z` },
    ]);
    const events = await testStore.store.query<{ idempotency_key: string; payload: { data: unknown } }>(
      `SELECT idempotency_key, payload FROM outbox
        WHERE tenant_id = $1 AND kind = 'webhook' AND template = 'renewal.stage_changed' ORDER BY id`,
      [tenantId],
    );
    expect(events.map((event) => event.payload.data)).toEqual([
      {
        contractId: 'C-9',
        accountId: 'A-9',
        from: 'value_review',
        to: 'proposal',
        version: 2,
        changedBy: 'U-2',
      },
      {
        contractId: 'C-9',
        accountId: 'A-9',
        from: 'proposal',
        to: 'contract_sent',
        version: 3,
        changedBy: 'U-2',
      },
      {
        contractId: 'C-9',
        accountId: 'A-9',
        from: 'contract_sent',
        to: 'negotiation',
        version: 4,
        changedBy: 'esign',
      },
    ]);
    expect(new Set(events.map((event) => event.idempotency_key)).size).toBe(3);
  });

  it('creates the renewal row when the daily run has not yet, auditing its first stage from none', async () => {
    const { tenantId } = await sentContract();
    expect((await stageAudit(tenantId)).map((row) => [row.actor, row.changes])).toEqual([
      ['U-2', expect.objectContaining({ stage: { old: null, new: 'proposal' } })],
      ['U-2', expect.objectContaining({ stage: { old: 'proposal', new: 'contract_sent' } })],
    ]);
    expect(await renewalRow(tenantId)).toEqual([
      { stage: 'contract_sent', version: 2, updated_at: `${AS_OF}T09:04:00.000Z` },
    ]);
  });
});

describe('signer status on the proposal', () => {
  const proposalOf = async (tenantId: string, at: Date = NOW) => {
    const { token } = await createApiToken({
      session: testStore.store,
      tenantId,
      userId: 'U-2',
      name: 'test',
      scopes: ['read'],
      now: NOW,
    });
    const reader = at === NOW ? app : await buildTestApp(testStore.store, { config, now: () => at });
    try {
      const response = await reader.inject({
        method: 'GET',
        url: '/api/v1/renewals/C-9/proposal',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().proposal as { status: string; signatures: Record<string, unknown>[] };
    } finally {
      if (reader !== app) await reader.close();
    }
  };

  it('lists each signature request with the signer, status and dates as the provider reports them', async () => {
    const { tenantId, proposalId, contract } = await sentContract();
    const sent = await proposalOf(tenantId);
    expect(sent.signatures).toEqual([
      {
        id: contract.signatureId,
        signerName: 'Dana Whitfield',
        signerEmail: 'dana@northwind.example',
        status: 'sent',
        sentAt: `${AS_OF}T09:04:00.000Z`,
        viewedAt: null,
        completedAt: null,
        expiresAt: '2026-12-23T09:04:00.000Z',
      },
    ]);

    await deliver({
      eventId: `${tenantId}-v`,
      type: 'viewed',
      signatureRequestId: contract.signatureId,
      occurredAt: `${AS_OF}T10:00:00Z`,
    });
    expect((await proposalOf(tenantId)).signatures[0]).toMatchObject({
      status: 'viewed',
      viewedAt: `${AS_OF}T10:00:00.000Z`,
    });

    // A second agreement for another signer expires the first request; the new one is signed.
    const second = await generateRenewalContract({
      store: testStore.store,
      tenantId,
      proposalId,
      actorId: 'U-2',
      at: `${AS_OF}T11:00:00Z`,
      signer: { name: 'Lee Park', email: 'lee@northwind.example' },
    });
    await deliver({
      eventId: `${tenantId}-s`,
      type: 'signed',
      signatureRequestId: second.signatureId,
      signerName: 'Lee Park',
      occurredAt: `${AS_OF}T12:00:00Z`,
    });
    const signed = await proposalOf(tenantId);
    expect(signed.status).toBe('signed');
    expect(
      signed.signatures.map(({ signerName, status, viewedAt, completedAt }) => ({
        signerName,
        status,
        viewedAt,
        completedAt,
      })),
    ).toEqual([
      {
        signerName: 'Dana Whitfield',
        status: 'expired',
        viewedAt: `${AS_OF}T10:00:00.000Z`,
        completedAt: `${AS_OF}T11:00:00.000Z`,
      },
      {
        signerName: 'Lee Park',
        status: 'signed',
        viewedAt: `${AS_OF}T12:00:00.000Z`,
        completedAt: `${AS_OF}T12:00:00.000Z`,
      },
    ]);
  });

  it('reads a request left unsigned past its 30 days as expired, and shows none before the contract is sent', async () => {
    const { tenantId } = await sentContract();
    const lapsed = await proposalOf(tenantId, new Date('2026-12-23T09:05:00Z'));
    expect(lapsed.signatures).toEqual([
      expect.objectContaining({
        status: 'expired',
        completedAt: null,
        expiresAt: '2026-12-23T09:04:00.000Z',
      }),
    ]);
    expect((await proposalOf(tenantId, new Date('2026-12-23T09:03:00Z'))).signatures[0]).toMatchObject({
      status: 'sent',
    });

    seq += 1;
    const fresh = `s${process.pid}-${seq}`;
    await importFiles({ store: testStore.store, tenantId: fresh, inputs: [csvDir] });
    await testStore.store.execute(
      `INSERT INTO renewals (tenant_id, contract_id, account_id, due_date) VALUES ($1, 'C-9', 'A-9', '2027-09-30')`,
      [fresh],
    );
    await createProposal({
      store: testStore.store,
      tenantId: fresh,
      contractId: 'C-9',
      optionKey: 'good',
      actorId: 'U-2',
      asOf: AS_OF,
      at: `${AS_OF}T09:00:00Z`,
    });
    expect(await proposalOf(fresh)).toMatchObject({ status: 'draft', signatures: [] });
  });
});
