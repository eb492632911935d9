/**
 * Outbox delivery against a real store and a real SMTP server (and a real HTTP server for webhooks):
 * idempotency, header injection, opt-outs, the daily send cap, bounces, retries, a crash between send
 * and record, webhook signatures, digests to the right people, and development `.eml` files.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDay } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import { deliverDue } from '../src/jobs/deliver-due.ts';
import { queueDigests } from '../src/jobs/queue-digests.ts';
import { type MailSettings, messageIdFor } from '../src/mail/compose-email.ts';
import {
  createMailDirTransport,
  createSmtpTransport,
  type MailTransport,
} from '../src/mail/mail-transport.ts';
import { recordOptOut } from '../src/mail/unsubscribe-token.ts';
import type { Store } from '../src/store/store.ts';
import { writeCsvSet } from './support/csv-fixture.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const MAIL: MailSettings = {
  from: 'Acme Renewals <renewals@vendor.example>',
  publicUrl: 'https://perennial.vendor.example',
  unsubscribeSecret: 'test-secret',
};
const NOW = new Date('2026-11-23T09:00:00Z');
const seconds = (s: number) => new Date(NOW.getTime() + s * 1000);

let testStore: TestStore;
let sink: SmtpSink;
let transport: MailTransport;

beforeAll(async () => {
  testStore = await openTestStore();
  sink = await startSmtpSink({ refuse: (address) => address.startsWith('bounce@') });
  transport = createSmtpTransport(sink.url);
});
afterAll(async () => {
  await transport?.close();
  await sink?.close();
  await testStore?.close();
});

type Queued = {
  key?: string;
  recipient: string | null;
  template?: string;
  accountName?: string;
  recipientName?: string | null;
  contractId?: string | null;
  amount?: string;
  currency?: string;
  kind?: string;
  payload?: unknown;
};

async function queue(store: Store, tenantId: string, messages: Queued[]): Promise<number[]> {
  await store.execute('INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [tenantId]);
  const rows = messages.map((m, i) => ({
    key: m.key ?? `${tenantId}:${i}:${m.recipient}`,
    kind: m.kind ?? 'customer_email',
    contract_id: m.contractId ?? null,
    recipient: m.recipient,
    template: m.template ?? 'renewal-heads-up',
    payload: m.payload ?? {
      accountId: 'A-X',
      accountName: m.accountName ?? 'Acme Retail',
      recipientName: m.recipientName === undefined ? 'Jane Doe' : m.recipientName,
      audience: 'primary_contact',
      milestone: 'T-60',
      dueDate: '2027-01-22',
      noticeDeadline: null,
      arr: { amount: m.amount ?? '4200.00', currency: m.currency ?? 'USD' },
      timezone: 'UTC',
    },
  }));
  const inserted = await store.query<{ id: number }>(
    `INSERT INTO outbox (tenant_id, idempotency_key, kind, contract_id, recipient, template, payload, status, due_on)
     SELECT $1, x.key, x.kind, x.contract_id, x.recipient, x.template, x.payload, 'queued', '2026-11-23'
       FROM jsonb_to_recordset($2::jsonb) AS x(key text, kind text, contract_id text, recipient text, template text, payload jsonb)
     RETURNING id`,
    [tenantId, JSON.stringify(rows)],
  );
  return inserted.map((row) => Number(row.id));
}

async function statusOf(store: Store, id: number) {
  const [row] = await store.query<{ status: string; attempts: number; last_error: string | null }>(
    'SELECT status, attempts, last_error FROM outbox WHERE id = $1',
    [id],
  );
  return row;
}

const to = (address: string) => sink.received.filter((mail) => mail.envelopeTo.includes(address));

describe('outbox delivery', () => {
  it('delivers once, with the Message-ID from the idempotency key and an attempt row; a second pass sends nothing', async () => {
    const { store } = testStore;
    const [id] = await queue(store, 'once', [
      { key: 'C-1:renewal-heads-up:jane@once.example', recipient: 'jane@once.example' },
    ]);
    const report = await deliverDue({ store, transport, now: NOW, tenantId: 'once', mail: MAIL });
    expect(report).toMatchObject({ claimed: 1, sent: 1, failed: 0, possibleDuplicates: 0 });
    expect(
      await deliverDue({ store, transport, now: seconds(3600), tenantId: 'once', mail: MAIL }),
    ).toMatchObject({
      claimed: 0,
      sent: 0,
    });
    const received = to('jane@once.example');
    expect(received).toHaveLength(1);
    expect(received[0]?.messageId).toBe(
      `<${messageIdFor('once', 'C-1:renewal-heads-up:jane@once.example', MAIL.from)}>`,
    );
    expect(received[0]?.subject).toBe('Your Acme Retail renewal is coming up on January 22, 2027');
    const lines = new Map(received[0]?.headerLines.map((h) => [h.key, h.line]));
    expect(lines.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(lines.get('list-unsubscribe')).toMatch(
      /^List-Unsubscribe:\s+<https:\/\/perennial\.vendor\.example\/api\/v1\/unsubscribe\?token=[\w.-]+>$/,
    );
    expect(lines.get('auto-submitted')).toBe('Auto-Submitted: auto-generated');
    expect(received[0]?.date?.toISOString()).toBe(NOW.toISOString());
    expect(received[0]?.text).toContain('$4,200.00 a year');
    expect(await statusOf(store, id!)).toEqual({ status: 'sent', attempts: 1, last_error: null });
    const attempts = await store.query<{ outcome: string }>(
      'SELECT outcome FROM delivery_attempts WHERE outbox_id = $1',
      [id],
    );
    expect(attempts).toEqual([{ outcome: 'sent' }]);
  });

  it('makes header injection impossible: CR/LF in names and subjects add no header and no recipient', async () => {
    const { store } = testStore;
    const [good, evilAddress] = await queue(store, 'inject', [
      {
        recipient: 'jane@inject.example',
        accountName: 'Acme\r\nBcc: attacker@evil.example\r\nX-Injected: yes',
        recipientName: 'Jane\r\nCc: attacker@evil.example',
      },
      { recipient: 'victim@inject.example\r\nBcc: attacker@evil.example' },
    ]);
    await deliverDue({ store, transport, now: NOW, tenantId: 'inject', mail: MAIL });
    const received = to('jane@inject.example');
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.envelopeTo).toEqual(['jane@inject.example']);
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.headers.has('cc')).toBe(false);
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(mail.headerLines.map((line) => line.key)).not.toContain('x-injected');
    expect(mail.raw).not.toMatch(/^(Bcc|Cc|X-Injected):/im);
    expect(mail.subject).toBe(
      'Your Acme Bcc: attacker@evil.example X-Injected: yes renewal is coming up on January 22, 2027',
    );
    expect(to('attacker@evil.example')).toEqual([]);
    expect(await statusOf(store, good!)).toMatchObject({ status: 'sent' });
    // An address with a line break is refused outright, permanently.
    expect(await statusOf(store, evilAddress!)).toMatchObject({
      status: 'failed',
      last_error: expect.stringContaining('line break'),
    });
  });

  it('respects opt-outs: withdrawn when recorded, and at delivery time (any case)', async () => {
    const { store } = testStore;
    const [first, second, other] = await queue(store, 'optout', [
      { recipient: 'gone@optout.example' },
      { recipient: 'Gone@OptOut.example' },
      { recipient: 'stays@optout.example' },
    ]);
    const { withdrawn } = await recordOptOut({
      session: store,
      tenantId: 'optout',
      email: 'GONE@optout.example',
      source: 'test',
    });
    expect(withdrawn).toBe(2);
    // One more queued after the opt-out (e.g. by the next daily run), and one opted out directly in the table.
    const [later] = await queue(store, 'optout', [{ key: 'later', recipient: 'gone@optout.example' }]);
    await store.execute(
      "INSERT INTO email_opt_outs (tenant_id, email, source) VALUES ('optout', 'stays2@optout.example', 'api')",
    );
    const [direct] = await queue(store, 'optout', [{ key: 'direct', recipient: 'stays2@optout.example' }]);
    const report = await deliverDue({ store, transport, now: NOW, tenantId: 'optout', mail: MAIL });
    expect(report).toMatchObject({ sent: 1, optedOut: 2 });
    for (const id of [first, second, later, direct])
      expect((await statusOf(store, id!))?.status).toBe('opted_out');
    expect((await statusOf(store, other!))?.status).toBe('sent');
    expect(to('gone@optout.example')).toEqual([]);
    expect(to('stays2@optout.example')).toEqual([]);
  });

  it('holds customer emails over the daily send cap until the next local day (Tokyo); digests are not capped', async () => {
    const { store } = testStore;
    await store.execute(
      "INSERT INTO tenant_settings (tenant_id, timezone, daily_send_cap) VALUES ('cap', 'Asia/Tokyo', 3)",
    );
    const ids = await queue(
      store,
      'cap',
      Array.from({ length: 5 }, (_, i) => ({ recipient: `c${i}@cap.example` })),
    );
    const [digest] = await queue(store, 'cap', [
      {
        kind: 'digest',
        key: 'digest:U-1:2027-01-10',
        recipient: 'csm@vendor.example',
        template: 'daily-digest',
        payload: {
          userId: 'U-1',
          userName: 'Kenji Ito',
          locale: 'en',
          day: '2027-01-10',
          alerts: [],
          tasks: [
            { title: 'Quick health check', accountName: 'Acme', dueDate: '2027-01-10', milestone: 'T-60' },
          ],
          tasksTotal: 1,
        },
      },
    ]);
    const first = await deliverDue({
      store,
      transport,
      now: new Date('2027-01-10T10:00:00Z'),
      tenantId: 'cap',
      mail: MAIL,
    });
    expect(first).toMatchObject({ sent: 4, cappedTenants: ['cap'] });
    expect((await statusOf(store, digest!))?.status).toBe('sent');
    // Still 10 January in Tokyo at 14:59Z: nothing more.
    expect(
      (
        await deliverDue({
          store,
          transport,
          now: new Date('2027-01-10T14:59:00Z'),
          tenantId: 'cap',
          mail: MAIL,
        })
      ).sent,
    ).toBe(0);
    // Midnight in Tokyo (15:00Z): a new day, the remaining two go.
    expect(
      (
        await deliverDue({
          store,
          transport,
          now: new Date('2027-01-10T15:00:00Z'),
          tenantId: 'cap',
          mail: MAIL,
        })
      ).sent,
    ).toBe(2);
    const statuses = await Promise.all(ids.map(async (id) => (await statusOf(store, id))?.status));
    expect(statuses).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
  });

  it('records a bounce on the message and as an alert on the renewal for its owner', async () => {
    const { store } = testStore;
    const tenantId = 'bounce';
    await importFiles({ store, tenantId, inputs: [await writeCsvSet()] });
    await runDay({ store, tenantId, asOf: '2026-11-23' });
    const [id] = await queue(store, tenantId, [
      { key: 'C-1:renewal-notice:bounce', recipient: 'bounce@acme.example', contractId: 'C-1' },
    ]);
    const report = await deliverDue({ store, transport, now: NOW, tenantId, mail: MAIL });
    expect(report.bounced).toBe(1);
    expect(await statusOf(store, id!)).toMatchObject({
      status: 'bounced',
      last_error: expect.stringContaining('550'),
    });
    const [owner] = await store.query<{ owner_user_id: string }>(
      "SELECT owner_user_id FROM renewals WHERE tenant_id = $1 AND contract_id = 'C-1'",
      [tenantId],
    );
    const alerts = await store.query<{ kind: string; recipient_user_id: string; message: string }>(
      "SELECT kind, recipient_user_id, message FROM alerts WHERE tenant_id = $1 AND kind = 'delivery_failed'",
      [tenantId],
    );
    expect(alerts).toEqual([
      {
        kind: 'delivery_failed',
        recipient_user_id: owner!.owner_user_id,
        message: expect.stringMatching(/^Email "renewal-heads-up" to bounce@acme\.example bounced: SMTP 550/),
      },
    ]);
  });

  it('retries a transient failure with back-off', async () => {
    const { store } = testStore;
    const [id] = await queue(store, 'retry', [{ recipient: 'later@retry.example' }]);
    const down = createSmtpTransport('smtp://127.0.0.1:1');
    const failed = await deliverDue({ store, transport: down, now: NOW, tenantId: 'retry', mail: MAIL });
    await down.close();
    expect(failed.retried).toBe(1);
    expect(await statusOf(store, id!)).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: expect.any(String),
    });
    // Back-off: 60 s after the first attempt.
    expect(
      (await deliverDue({ store, transport, now: seconds(59), tenantId: 'retry', mail: MAIL })).claimed,
    ).toBe(0);
    expect(
      (await deliverDue({ store, transport, now: seconds(60), tenantId: 'retry', mail: MAIL })).sent,
    ).toBe(1);
    expect(await statusOf(store, id!)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    const outcomes = await store.query<{ outcome: string }>(
      'SELECT outcome FROM delivery_attempts WHERE outbox_id = $1 ORDER BY id',
      [id],
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['retry', 'sent']);
  });

  it('a crash between send and record repeats the message once, with the same Message-ID, and flags it', async () => {
    const { store } = testStore;
    const [id] = await queue(store, 'crash', [{ recipient: 'twice@crash.example' }]);
    await expect(
      deliverDue({
        store,
        transport,
        now: NOW,
        tenantId: 'crash',
        mail: MAIL,
        afterSend: () => {
          throw new Error('process killed');
        },
      }),
    ).rejects.toThrow('process killed');
    expect((await statusOf(store, id!))?.status).toBe('sending');
    // Within the lease nobody touches it; after the lease another worker sends it again.
    expect(
      (await deliverDue({ store, transport, now: seconds(119), tenantId: 'crash', mail: MAIL })).claimed,
    ).toBe(0);
    const report = await deliverDue({ store, transport, now: seconds(120), tenantId: 'crash', mail: MAIL });
    expect(report).toMatchObject({ sent: 1, possibleDuplicates: 1 });
    expect(await statusOf(store, id!)).toMatchObject({ status: 'sent_possible_duplicate', attempts: 2 });
    const received = to('twice@crash.example');
    expect(received).toHaveLength(2);
    expect(received[0]?.messageId).toBe(received[1]?.messageId);
    const outcomes = await store.query<{ outcome: string }>(
      'SELECT outcome FROM delivery_attempts WHERE outbox_id = $1 ORDER BY id',
      [id],
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['abandoned', 'sent_possible_duplicate']);
  });
});

describe('webhooks', () => {
  let server: Server;
  let url: string;
  const requests: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        requests.push({ path: request.url ?? '', headers: request.headers, body });
        response.statusCode = request.url === '/gone' ? 410 : request.url === '/flaky' ? 503 : 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs signed JSON with event and delivery headers; 410 is permanent, 503 is retried', async () => {
    const { store } = testStore;
    const tenantId = 'hooks';
    const [hook] = await store.query<{ id: number }>(
      "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES ($1, $2, 'whsec_test', '{renewal.at_risk}') RETURNING id",
      [tenantId, `${url}/hook`],
    );
    const webhookId = Number(hook!.id);
    const payload = {
      webhookId,
      event: 'renewal.at_risk',
      data: { contractId: 'C-1', reasons: ['competitor'] },
    };
    const [ok, gone, flaky] = await queue(store, tenantId, [
      { kind: 'webhook', key: 'wh:1', recipient: `${url}/hook`, template: 'renewal.at_risk', payload },
      { kind: 'webhook', key: 'wh:2', recipient: `${url}/gone`, template: 'renewal.at_risk', payload },
      { kind: 'webhook', key: 'wh:3', recipient: `${url}/flaky`, template: 'renewal.at_risk', payload },
    ]);
    // Webhooks go out even without a mail transport.
    const report = await deliverDue({ store, transport: null, now: NOW, tenantId, mail: MAIL });
    expect(report).toMatchObject({ sent: 1, failed: 1, retried: 1 });
    const delivered = requests.find((r) => r.path === '/hook')!;
    expect(JSON.parse(delivered.body)).toEqual({ id: 'wh:1', event: 'renewal.at_risk', data: payload.data });
    expect(delivered.headers['content-type']).toBe('application/json');
    expect(delivered.headers['x-perennial-event']).toBe('renewal.at_risk');
    expect(delivered.headers['x-perennial-delivery']).toBe('wh:1');
    expect(delivered.headers['x-perennial-signature']).toBe(
      `sha256=${createHmac('sha256', 'whsec_test').update(delivered.body).digest('hex')}`,
    );
    expect((await statusOf(store, ok!))?.status).toBe('sent');
    expect(await statusOf(store, gone!)).toMatchObject({
      status: 'failed',
      last_error: 'webhook answered HTTP 410',
    });
    expect(await statusOf(store, flaky!)).toMatchObject({ status: 'queued', attempts: 1 });
    // A retry sends the same bytes, so the same signature.
    await deliverDue({ store, transport: null, now: seconds(60), tenantId, mail: MAIL });
    const flakyBodies = requests.filter((r) => r.path === '/flaky');
    expect(flakyBodies).toHaveLength(2);
    expect(flakyBodies[0]?.body).toBe(flakyBodies[1]?.body);
    expect(flakyBodies[0]?.headers['x-perennial-signature']).toBe(
      flakyBodies[1]?.headers['x-perennial-signature'],
    );
  });
});

describe('internal digests', () => {
  it('queue one digest per user and day to users.email with their alerts and due tasks; unassigned alerts go to admins', async () => {
    const { store } = testStore;
    const tenantId = 'digest';
    await importFiles({ store, tenantId, inputs: [await writeCsvSet()] });
    await store.execute(
      "INSERT INTO users (tenant_id, user_id, name, email, role, locale) VALUES ($1, 'U-9', 'Ada Admin', 'ada@vendor.example', 'admin', 'de')",
      [tenantId],
    );
    await runDay({ store, tenantId, asOf: '2026-11-23' });
    await store.execute(
      `INSERT INTO alerts (tenant_id, contract_id, account_id, key, kind, severity, recipient_role, recipient_user_id, message, created_on)
       VALUES ($1, 'C-2', 'A-2', 'escalation:test', 'escalation', 'critical', 'manager', NULL, 'Kobe Tax KK: nobody to escalate to', '2026-11-23')`,
      [tenantId],
    );
    expect((await queueDigests({ session: store, tenantId, day: '2026-11-23' })).queued).toBeGreaterThan(0);
    expect((await queueDigests({ session: store, tenantId, day: '2026-11-23' })).queued).toBe(0);

    const expected = await store.query<{ user_id: string; email: string }>(
      `SELECT u.user_id, u.email FROM users u WHERE u.tenant_id = $1 AND (
         EXISTS (SELECT 1 FROM tasks t WHERE t.tenant_id = u.tenant_id AND t.owner_user_id = u.user_id
                  AND t.status = 'open' AND t.due_date <= '2026-11-23')
         OR EXISTS (SELECT 1 FROM alerts a LEFT JOIN renewals r ON r.tenant_id = a.tenant_id AND r.contract_id = a.contract_id
                     WHERE a.tenant_id = u.tenant_id AND a.created_on = '2026-11-23'
                       AND (a.recipient_user_id = u.user_id
                         OR (a.recipient_user_id IS NULL AND a.recipient_role = 'owner' AND r.owner_user_id = u.user_id)
                         OR (a.recipient_user_id IS NULL AND a.recipient_role <> 'owner' AND u.role = 'admin'))))
       ORDER BY u.user_id`,
      [tenantId],
    );
    const digests = await store.query<{
      recipient: string;
      payload: { userId: string; alerts: { message: string }[] };
    }>(
      "SELECT recipient, payload FROM outbox WHERE tenant_id = $1 AND kind = 'digest' ORDER BY payload->>'userId'",
      [tenantId],
    );
    expect(digests.map((d) => [d.payload.userId, d.recipient])).toEqual(
      expected.map((u) => [u.user_id, u.email]),
    );
    // Alerts whose role resolved to nobody (here: ours, and the daily run's own) reach the admin.
    const unassigned = await store.query<{ message: string }>(
      "SELECT message FROM alerts WHERE tenant_id = $1 AND recipient_user_id IS NULL AND recipient_role <> 'owner' AND created_on = '2026-11-23'",
      [tenantId],
    );
    const admin = digests.find((d) => d.payload.userId === 'U-9');
    expect(admin?.payload.alerts.map((a) => a.message).sort()).toEqual(
      unassigned.map((a) => a.message).sort(),
    );
    expect(admin?.payload.alerts.map((a) => a.message)[0]).toBe('Kobe Tax KK: nobody to escalate to'); // critical first

    await deliverDue({ store, transport, now: NOW, tenantId, mail: MAIL });
    const adminMail = to('ada@vendor.example');
    expect(adminMail).toHaveLength(1);
    expect(adminMail[0]?.subject).toMatch(/^Ihre Verlängerungen heute \(23\. November 2026\)/);
    expect(adminMail[0]?.text).toContain('[KRITISCH] Kobe Tax KK: nobody to escalate to');
    for (const user of expected) expect(to(user.email)).toHaveLength(1);
  });
});

describe('development mail directory', () => {
  it('writes each message as a readable .eml file (Japanese and German render)', async () => {
    const { store } = testStore;
    const tenantId = 'eml';
    await importFiles({ store, tenantId, inputs: [await writeCsvSet()] });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-mail-'));
    const files = createMailDirTransport(dir);
    await queue(store, tenantId, [
      {
        key: 'C-2:renewal-proposal:aiko@kobe.example',
        recipient: 'aiko@kobe.example',
        template: 'renewal-one-click',
        accountName: 'Kobe Tax KK',
        recipientName: '佐藤 愛子',
        amount: '9000000',
        currency: 'JPY',
        payload: {
          accountId: 'A-2',
          accountName: 'Kobe Tax KK',
          recipientName: '佐藤 愛子',
          audience: 'primary_contact',
          milestone: 'T-30',
          dueDate: '2027-03-31',
          noticeDeadline: '2027-01-30',
          arr: { amount: '9000000', currency: 'JPY' },
          timezone: 'Asia/Tokyo',
        },
      },
      {
        key: 'C-3:renewal-notice-champion:anna@schulen.example',
        recipient: 'anna@schulen.example',
        template: 'renewal-notice',
        payload: {
          accountId: 'A-3',
          accountName: 'Berlin Schulen, e.V.',
          recipientName: 'Anna Schmidt',
          audience: 'champion',
          milestone: 'T-60',
          dueDate: '2027-08-31',
          noticeDeadline: '2027-06-02',
          arr: { amount: '45000.50', currency: 'EUR' },
          timezone: 'Europe/Berlin',
        },
      },
    ]);
    const report = await deliverDue({ store, transport: files, now: NOW, tenantId, mail: MAIL });
    await files.close();
    expect(report.sent).toBe(2);
    const names = (await readdir(dir)).sort();
    expect(names).toEqual([
      expect.stringMatching(/^2026-11-23_eml_renewal-notice_[0-9a-f]{10}\.eml$/),
      expect.stringMatching(/^2026-11-23_eml_renewal-one-click_[0-9a-f]{10}\.eml$/),
    ]);
    const [german, japanese] = await Promise.all(names.map((name) => readFile(path.join(dir, name), 'utf8')));
    expect(german).toMatch(/^From: Acme Renewals <renewals@vendor\.example>$/m);
    expect(german).toMatch(/^To: Anna Schmidt <anna@schulen\.example>$/m);
    expect(german).toMatch(/^Content-Type: multipart\/alternative;/m);
    const de = await simpleParser(german!);
    expect(de.subject).toBe(
      'Verlängerungshinweis: Ihr Abonnement für Berlin Schulen, e.V. endet am 31. August 2027',
    );
    expect(de.text).toContain('Aktueller Jahreswert: 45.000,50\u00a0€.');
    const ja = await simpleParser(japanese!);
    expect(ja.subject).toBe('Kobe Tax KK 様 ご契約更新のご提案（ワンクリックで更新）');
    expect(ja.text).toContain('年額 ￥9,000,000');
    expect(ja.text).toContain('2027年3月31日');
    // The account's latest usage feeds the value line: 12 of 40 seats in the fixture.
    expect(ja.text).toContain('ライセンス 40 件のうち 12 名（30%）');
    expect(ja.html).toContain('<html lang="ja">');
    // Delivering again overwrites nothing and adds nothing: the messages are sent.
    expect((await deliverDue({ store, transport: files, now: NOW, tenantId, mail: MAIL })).claimed).toBe(0);
  });
});
