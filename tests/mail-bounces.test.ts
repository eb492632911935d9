/**
 * Asynchronous bounces: delivery status notifications (RFC 3464) that arrive in the bounce mailbox
 * after SMTP accepted a message. The originals are real messages written by the delivery pass (the
 * development `.eml` transport); the reports around them follow Postfix's layout (and a headers-only
 * variant as Exchange and others send). Hard vs soft vs delayed, matching by the signed reference and
 * by Message-ID, unknown and forged reports, idempotency, and the `perennial mail bounces` command.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMail } from '../src/cli/commands/mail-command.ts';
import type { CliContext } from '../src/cli/context.ts';
import { loadConfig } from '../src/config/config.ts';
import { runDay } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import { deliverDue } from '../src/jobs/deliver-due.ts';
import { processBounceFiles } from '../src/jobs/process-bounce-files.ts';
import { createLogger } from '../src/logging/logger.ts';
import { BOUNCE_REFERENCE_HEADER, bounceReference } from '../src/mail/bounce-reference.ts';
import type { MailSettings } from '../src/mail/compose-email.ts';
import { mailSettingsFrom } from '../src/mail/mail-settings.ts';
import { createMailDirTransport } from '../src/mail/mail-transport.ts';
import { readDeliveryStatus } from '../src/mail/read-delivery-status.ts';
import { openPgliteStore } from '../src/store/pglite-store.ts';
import { openPostgresStore } from '../src/store/postgres-store.ts';
import type { Store } from '../src/store/store.ts';
import { writeCsvSet } from './support/csv-fixture.ts';
import {
  createTestDatabase,
  dumpTenant,
  openTestStore,
  type TestStore,
  testDatabaseUrl,
} from './support/test-store.ts';

const MAIL: MailSettings = {
  from: 'Acme Renewals <renewals@vendor.example>',
  publicUrl: 'https://perennial.vendor.example',
  unsubscribeSecret: 'bounce-test-secret',
};
const SENT_AT = new Date('2026-11-23T09:00:00Z');
/** 12:00 UTC on the 24th is already the 25th in Auckland (UTC+13 in November). */
const PROCESSED_AT = new Date('2026-11-24T12:00:00Z');

let testStore: TestStore;

beforeAll(async () => {
  testStore = await openTestStore();
});
afterAll(async () => {
  await testStore?.close();
});

type Report = {
  original: string;
  recipient: string;
  action: 'failed' | 'delayed' | 'delivered';
  status: string;
  diagnostic: string;
  /** `text/rfc822-headers` (headers only) instead of Postfix's full `message/rfc822`. */
  headersOnly?: boolean;
  id?: string;
};

/** A bounce report laid out as Postfix writes one (notification, delivery report, undelivered message). */
function dsn({
  original,
  recipient,
  action,
  status,
  diagnostic,
  headersOnly = false,
  id = '4F2A81C0123',
}: Report) {
  const boundary = `${id}.1795510800/mx.vendor.example`;
  const headers = original.slice(0, original.search(/\r?\n\r?\n/));
  return [
    'Return-Path: <>',
    'Delivered-To: bounces@vendor.example',
    `Received: by mx.vendor.example (Postfix) id ${id}; Tue, 24 Nov 2026 08:59:58 +0000 (UTC)`,
    'Date: Tue, 24 Nov 2026 08:59:58 +0000 (UTC)',
    'From: MAILER-DAEMON@mx.vendor.example (Mail Delivery System)',
    `Subject: ${action === 'delayed' ? 'Delayed Mail (still being retried)' : 'Undelivered Mail Returned to Sender'}`,
    'To: renewals@vendor.example',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    `\tboundary="${boundary}"`,
    'Content-Transfer-Encoding: 8bit',
    `Message-Id: <20261124085958.${id}@mx.vendor.example>`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'This is the mail system at host mx.vendor.example.',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients.',
    '',
    `<${recipient}>: ${diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.vendor.example',
    `X-Postfix-Queue-ID: ${id}`,
    'X-Postfix-Sender: rfc822; renewals@vendor.example',
    'Arrival-Date: Mon, 23 Nov 2026 09:00:01 +0000 (UTC)',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822;${recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    'Remote-MTA: dns; mx.customer.example',
    // Folded at a space, as Postfix folds long diagnostics.
    `Diagnostic-Code: smtp; ${diagnostic.slice(0, diagnostic.indexOf(' ', 30))}`,
    `    ${diagnostic.slice(diagnostic.indexOf(' ', 30) + 1)}`,
    '',
    `--${boundary}`,
    headersOnly
      ? 'Content-Description: Undelivered Message Headers'
      : 'Content-Description: Undelivered Message',
    headersOnly ? 'Content-Type: text/rfc822-headers' : 'Content-Type: message/rfc822',
    'Content-Transfer-Encoding: 8bit',
    '',
    headersOnly ? headers : original,
    '',
    `--${boundary}--`,
    '',
  ].join('\n');
}

const USER_UNKNOWN =
  '550 5.1.1 <RECIPIENT>: Recipient address rejected: User unknown in virtual mailbox table';
const MAILBOX_FULL = '452 4.2.2 <RECIPIENT>: Mailbox full, over quota (in reply to RCPT TO command)';

type Sent = { id: number; raw: string };

/** A tenant with real renewals (owner U-2 on C-1), in Auckland time, and messages sent through the outbox. */
async function sendMessages(
  store: Store,
  tenantId: string,
  messages: { key: string; recipient: string; dueOn?: string; kind?: string }[],
  settings: MailSettings = MAIL,
): Promise<Sent[]> {
  await importFiles({ store, tenantId, inputs: [await writeCsvSet()] });
  await runDay({ store, tenantId, asOf: '2026-11-23' });
  await store.execute(
    `INSERT INTO tenant_settings (tenant_id, timezone) VALUES ($1, 'Pacific/Auckland')
     ON CONFLICT (tenant_id) DO UPDATE SET timezone = 'Pacific/Auckland'`,
    [tenantId],
  );
  // Only the messages of this test go out: the daily run's own emails are not due yet.
  await store.execute("UPDATE outbox SET due_on = '2099-01-01' WHERE tenant_id = $1", [tenantId]);
  const payload = {
    accountId: 'A-1',
    accountName: 'Acme Retail',
    recipientName: 'Jane Doe',
    audience: 'primary_contact',
    milestone: 'T-60',
    dueDate: '2027-02-28',
    noticeDeadline: null,
    arr: { amount: '120000.00', currency: 'USD' },
    timezone: 'America/New_York',
  };
  const ids: number[] = [];
  for (const m of messages) {
    const [row] = await store.query<{ id: number }>(
      `INSERT INTO outbox (tenant_id, idempotency_key, kind, contract_id, recipient, template, payload, status, due_on)
       VALUES ($1, $2, $3, 'C-1', $4, $5, $6::jsonb, 'queued', $7::date) RETURNING id`,
      [
        tenantId,
        m.key,
        m.kind ?? 'customer_email',
        m.recipient,
        m.kind === 'digest' ? 'digest' : 'renewal-heads-up',
        JSON.stringify(
          m.kind === 'digest'
            ? {
                userId: 'U-2',
                userName: 'Kenji Ito',
                locale: null,
                day: '2026-11-23',
                alerts: [],
                tasks: [],
                tasksTotal: 0,
              }
            : payload,
        ),
        m.dueOn ?? '2026-11-23',
      ],
    );
    ids.push(Number(row!.id));
  }
  const mailDir = await mkdtemp(path.join(os.tmpdir(), 'perennial-sent-'));
  const report = await deliverDue({
    store,
    transport: createMailDirTransport(mailDir),
    now: SENT_AT,
    tenantId,
    mail: settings,
  });
  expect(report.failed + report.bounced).toBe(0);
  const files = await Promise.all(
    (await readdir(mailDir)).map((name) => readFile(path.join(mailDir, name), 'utf8')),
  );
  return ids.map((id, i) => ({
    id,
    raw:
      files.find(
        (raw) =>
          raw.includes(`To: Jane Doe <${messages[i]!.recipient}>`) ||
          raw.includes(`<${messages[i]!.recipient}>`),
      ) ?? '',
  }));
}

async function bounceDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-bounces-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function outboxRow(store: Store, id: number) {
  const [row] = await store.query<{ status: string; last_error: string | null }>(
    'SELECT status, last_error FROM outbox WHERE id = $1',
    [id],
  );
  return row;
}

async function attempts(store: Store, id: number) {
  return store.query<{ outcome: string; detail: string }>(
    'SELECT outcome, detail FROM delivery_attempts WHERE outbox_id = $1 ORDER BY id',
    [id],
  );
}

async function bounceAlerts(store: Store, tenantId: string) {
  return store.query<{
    key: string;
    kind: string;
    severity: string;
    recipient_user_id: string;
    message: string;
    created_on: string;
  }>(
    `SELECT key, kind, severity, recipient_user_id, message, created_on FROM alerts
      WHERE tenant_id = $1 AND key LIKE 'bounce:%' ORDER BY key`,
    [tenantId],
  );
}

const processDir = (store: Store, dir: string) =>
  processBounceFiles({ store, dir, secret: MAIL.unsubscribeSecret, now: PROCESSED_AT });

describe('reading a delivery status notification', () => {
  it('reads each recipient block and the returned headers; a plain reply is not a report', async () => {
    const original = [
      'From: Acme Renewals <renewals@vendor.example>',
      'To: Jane Doe <jane@customer.example>',
      'Message-ID: <0123456789abcdef0123456789abcdef01234567@vendor.example>',
      `${BOUNCE_REFERENCE_HEADER}: dGVuYW50.7.AAAAAAAAAAAAAAAAAAAAAA`,
      '',
      'Hello',
    ].join('\n');
    const read = await readDeliveryStatus(
      Buffer.from(
        dsn({
          original,
          recipient: 'Jane@Customer.example',
          action: 'failed',
          status: '5.1.1',
          diagnostic: USER_UNKNOWN.replace('RECIPIENT', 'jane@customer.example'),
        }),
      ),
    );
    expect(read).toEqual({
      notice: {
        noticeKey: expect.stringMatching(/^[0-9a-f]{32}$/),
        reportingMta: 'mx.vendor.example',
        recipients: [
          {
            finalRecipient: 'jane@customer.example',
            originalRecipient: 'jane@customer.example',
            action: 'failed',
            status: '5.1.1',
            diagnostic: `smtp; ${USER_UNKNOWN.replace('RECIPIENT', 'jane@customer.example')}`,
            remoteMta: 'mx.customer.example',
          },
        ],
        original: {
          messageId: '<0123456789abcdef0123456789abcdef01234567@vendor.example>',
          reference: 'dGVuYW50.7.AAAAAAAAAAAAAAAAAAAAAA',
        },
      },
    });
    const reply = await readDeliveryStatus(
      Buffer.from(
        'From: jane@customer.example\nTo: renewals@vendor.example\nSubject: Re: renewal\n\nYes please.\n',
      ),
    );
    expect(reply).toEqual({ notADeliveryReport: 'text/plain without a message/delivery-status part' });
  });

  it('explains a report it cannot use: which recipient block, which field', async () => {
    const broken = dsn({
      original: 'Message-ID: <x@y>\n\nbody',
      recipient: 'jane@customer.example',
      action: 'failed',
      status: 'five',
      diagnostic: USER_UNKNOWN,
    });
    expect(await readDeliveryStatus(Buffer.from(broken))).toEqual({
      problem: 'delivery-status recipient 1: Status must be an RFC 3463 code such as 5.1.1 or 4.2.2',
    });
  });
});

describe('perennial mail bounces (processing the bounce mailbox)', () => {
  it('a hard bounce marks the message bounced, alerts the renewal owner, suppresses the address and withdraws its queued mail', async () => {
    const { store } = testStore;
    const tenantId = 'hard';
    const [sent, later] = await sendMessages(store, tenantId, [
      { key: 'C-1:T-60:jane', recipient: 'jane@customer.example' },
      { key: 'C-1:T-30:jane', recipient: 'jane@customer.example', dueOn: '2026-12-29' },
    ]);
    expect(sent!.raw).toContain(`${BOUNCE_REFERENCE_HEADER}: `);
    const dir = await bounceDir({
      'new/1795510798.V801I4bM1.mx': dsn({
        original: sent!.raw,
        recipient: 'jane@customer.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: USER_UNKNOWN.replace('RECIPIENT', 'jane@customer.example'),
      }),
    });

    const results = await processDir(store, dir);
    expect(results).toEqual([
      expect.objectContaining({
        file: path.join('new', '1795510798.V801I4bM1.mx'),
        movedTo: path.join('processed', '1795510798.V801I4bM1.mx'),
        outcome: 'recorded',
        kind: 'hard',
        tenantId,
        outboxId: sent!.id,
        recipient: 'jane@customer.example',
        status: '5.1.1',
        contractId: 'C-1',
        suppressed: true,
        withdrawn: 1,
        alertRaised: true,
      }),
    ]);
    expect(await outboxRow(store, sent!.id)).toEqual({
      status: 'bounced',
      last_error: expect.stringMatching(
        /^hard bounce 5\.1\.1 reported by mx\.vendor\.example: smtp; 550 5\.1\.1/,
      ),
    });
    expect((await attempts(store, sent!.id)).map((a) => a.outcome)).toEqual(['sent', 'bounced']);
    const [owner] = await store.query<{ owner_user_id: string }>(
      "SELECT owner_user_id FROM renewals WHERE tenant_id = $1 AND contract_id = 'C-1'",
      [tenantId],
    );
    expect(await bounceAlerts(store, tenantId)).toEqual([
      {
        key: `bounce:${sent!.id}:hard`,
        kind: 'delivery_failed',
        severity: 'high',
        recipient_user_id: owner!.owner_user_id,
        message: expect.stringMatching(
          /^Email "renewal-heads-up" to jane@customer\.example bounced \(hard bounce 5\.1\.1 .*User unknown.*\)\. Automated renewal emails to this address are suppressed\.$/,
        ),
        created_on: '2026-11-25',
      },
    ]);
    expect(
      await store.query('SELECT email, source FROM email_opt_outs WHERE tenant_id = $1', [tenantId]),
    ).toEqual([{ email: 'jane@customer.example', source: 'bounce' }]);
    expect((await outboxRow(store, later!.id))?.status).toBe('opted_out');
    expect(await readdir(path.join(dir, 'new'))).toEqual([]);
    expect(await readdir(path.join(dir, 'processed'))).toEqual(['1795510798.V801I4bM1.mx']);

    // The same report again (a copy fetched twice, or a crash before the move): nothing changes.
    const before = await dumpTenant(store, tenantId);
    await copyFile(path.join(dir, 'processed', '1795510798.V801I4bM1.mx'), path.join(dir, 'again.eml'));
    const again = await processDir(store, dir);
    expect(again).toEqual([
      expect.objectContaining({ file: 'again.eml', movedTo: 'processed/again.eml', outcome: 'duplicate' }),
    ]);
    expect(await dumpTenant(store, tenantId)).toEqual(before);
    expect(await processDir(store, dir)).toEqual([]);
  });

  it('a soft bounce (4.x.x, given up) is recorded with a medium alert and keeps the address; a later hard bounce wins', async () => {
    const { store } = testStore;
    const tenantId = 'soft';
    const [sent] = await sendMessages(store, tenantId, [
      { key: 'C-1:T-60:full', recipient: 'full@customer.example' },
    ]);
    const soft = dsn({
      original: sent!.raw,
      recipient: 'full@customer.example',
      action: 'failed',
      status: '4.2.2',
      diagnostic: MAILBOX_FULL.replace('RECIPIENT', 'full@customer.example'),
      headersOnly: true,
      id: '5A1B2C3D4E',
    });
    const results = await processDir(store, await bounceDir({ 'soft.eml': soft }));
    expect(results).toEqual([
      expect.objectContaining({
        outcome: 'recorded',
        kind: 'soft',
        status: '4.2.2',
        suppressed: false,
        alertRaised: true,
      }),
    ]);
    expect(await outboxRow(store, sent!.id)).toEqual({
      status: 'bounced',
      last_error: expect.stringMatching(/^soft bounce 4\.2\.2 .*Mailbox full/),
    });
    expect(await attempts(store, sent!.id)).toMatchObject([{ outcome: 'sent' }, { outcome: 'soft_bounce' }]);
    expect(await bounceAlerts(store, tenantId)).toMatchObject([
      {
        key: `bounce:${sent!.id}:soft`,
        severity: 'medium',
        message: expect.stringContaining('The address is kept.'),
      },
    ]);
    expect(await store.query('SELECT email FROM email_opt_outs WHERE tenant_id = $1', [tenantId])).toEqual(
      [],
    );

    const hard = dsn({
      original: sent!.raw,
      recipient: 'full@customer.example',
      action: 'failed',
      status: '5.2.1',
      diagnostic: '550 5.2.1 <full@customer.example>: mailbox disabled, not accepting messages',
      id: '6B2C3D4E5F',
    });
    expect(await processDir(store, await bounceDir({ 'hard.eml': hard }))).toEqual([
      expect.objectContaining({ outcome: 'recorded', kind: 'hard', suppressed: true }),
    ]);
    expect((await outboxRow(store, sent!.id))?.last_error).toMatch(/^hard bounce 5\.2\.1/);
    expect((await bounceAlerts(store, tenantId)).map((a) => a.severity)).toEqual(['high', 'medium']);
  });

  it('a delay warning is only noted; the message stays sent and nobody is alerted', async () => {
    const { store } = testStore;
    const tenantId = 'delayed';
    const [sent] = await sendMessages(store, tenantId, [
      { key: 'C-1:T-60:slow', recipient: 'slow@customer.example' },
    ]);
    const warning = dsn({
      original: sent!.raw,
      recipient: 'slow@customer.example',
      action: 'delayed',
      status: '4.4.1',
      diagnostic: 'connect to mx.customer.example[203.0.113.9]:25: Connection timed out',
    });
    expect(await processDir(store, await bounceDir({ 'delay.eml': warning }))).toEqual([
      expect.objectContaining({
        outcome: 'recorded',
        kind: 'delayed',
        alertRaised: false,
        suppressed: false,
      }),
    ]);
    expect((await outboxRow(store, sent!.id))?.status).toBe('sent');
    expect((await attempts(store, sent!.id)).map((a) => a.outcome)).toEqual(['sent', 'delayed']);
    expect(await bounceAlerts(store, tenantId)).toEqual([]);
  });

  it('finds the message by its Message-ID when the reference header was stripped; a digest bounce suppresses nobody', async () => {
    const { store } = testStore;
    const tenantId = 'by-message-id';
    const [customer, digest] = await sendMessages(store, tenantId, [
      { key: 'C-1:T-60:gone', recipient: 'gone@customer.example' },
      { key: 'digest:U-2:2026-11-23', recipient: 'kenji@vendor.example', kind: 'digest' },
    ]);
    const strip = (raw: string) => raw.replace(new RegExp(`^${BOUNCE_REFERENCE_HEADER}: .*\\n`, 'm'), '');
    expect(strip(customer!.raw)).not.toContain(BOUNCE_REFERENCE_HEADER);
    const dir = await bounceDir({
      'a.eml': dsn({
        original: strip(customer!.raw),
        recipient: 'gone@customer.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: USER_UNKNOWN.replace('RECIPIENT', 'gone@customer.example'),
        headersOnly: true,
      }),
      'b.eml': dsn({
        original: strip(digest!.raw),
        recipient: 'kenji@vendor.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: USER_UNKNOWN.replace('RECIPIENT', 'kenji@vendor.example'),
        id: '7C3D4E5F60',
      }),
    });
    const results = await processDir(store, dir);
    expect(results).toEqual([
      expect.objectContaining({
        file: 'a.eml',
        outcome: 'recorded',
        outboxId: customer!.id,
        suppressed: true,
      }),
      expect.objectContaining({
        file: 'b.eml',
        outcome: 'recorded',
        outboxId: digest!.id,
        suppressed: false,
        alertRaised: false,
      }),
    ]);
    expect((await outboxRow(store, digest!.id))?.status).toBe('bounced');
    expect(await store.query('SELECT email FROM email_opt_outs WHERE tenant_id = $1', [tenantId])).toEqual([
      { email: 'gone@customer.example' },
    ]);
  });

  it('reports and ignores a bounce of a message Perennial never sent, and a forged reference; leaves a reply in place', async () => {
    const { store } = testStore;
    const tenantId = 'unknown';
    const [sent] = await sendMessages(store, tenantId, [
      { key: 'C-1:T-60:real', recipient: 'real@customer.example' },
    ]);
    const forged = sent!.raw
      .replace(
        new RegExp(`^${BOUNCE_REFERENCE_HEADER}: .*$`, 'm'),
        `${BOUNCE_REFERENCE_HEADER}: ${bounceReference({ secret: 'not-our-secret', tenantId, outboxId: sent!.id })}`,
      )
      .replace(/^Message-ID: .*$/im, 'Message-ID: <forged@elsewhere.example>');
    const before = await dumpTenant(store, tenantId);
    const dir = await bounceDir({
      'foreign.eml': dsn({
        original:
          'From: someone@vendor.example\nTo: bob@other.example\nMessage-ID: <CAF=abc@mail.gmail.com>\n\nHi',
        recipient: 'bob@other.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: USER_UNKNOWN.replace('RECIPIENT', 'bob@other.example'),
      }),
      'forged.eml': dsn({
        original: forged,
        recipient: 'real@customer.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: USER_UNKNOWN.replace('RECIPIENT', 'real@customer.example'),
        id: '8D4E5F6071',
      }),
      'reply.eml':
        'From: Jane <real@customer.example>\nTo: renewals@vendor.example\nSubject: Re: Your renewal\n\nWe will renew.\n',
    });
    const results = await processDir(store, dir);
    expect(results).toEqual([
      {
        file: 'foreign.eml',
        movedTo: 'processed/foreign.eml',
        outcome: 'unmatched',
        reason: 'Message-ID <CAF=abc@mail.gmail.com> is not one Perennial sends',
      },
      expect.objectContaining({ file: 'forged.eml', movedTo: 'processed/forged.eml', outcome: 'unmatched' }),
      expect.objectContaining({ file: 'reply.eml', movedTo: null, outcome: 'not_a_report' }),
    ]);
    expect(await dumpTenant(store, tenantId)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['processed', 'reply.eml']);
  });
});

describe('the perennial mail bounces command', () => {
  it('records the reports in a directory, prints what it did, moves them to processed/; a re-run finds nothing new', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'perennial-bounce-cli-'));
    const env: Record<string, string | undefined> = {
      PERENNIAL_DATA_DIR: path.join(home, 'data'),
      PERENNIAL_TENANT: 'cli',
      PERENNIAL_SECRET: 'a-secret-of-at-least-thirty-two-characters',
      PERENNIAL_MAIL_FROM: MAIL.from,
      PERENNIAL_LOG_LEVEL: 'silent',
    };
    let drop: (() => Promise<void>) | null = null;
    if (testDatabaseUrl) {
      const database = await createTestDatabase(testDatabaseUrl);
      env.DATABASE_URL = database.url;
      drop = database.drop;
    }
    try {
      const config = loadConfig(env);
      const store = config.databaseUrl
        ? await openPostgresStore({ url: config.databaseUrl, poolSize: 2 })
        : await openPgliteStore({ dataDir: config.dataDir });
      let sent: Sent[];
      try {
        sent = await sendMessages(
          store,
          'cli',
          [{ key: 'C-1:T-60:cli', recipient: 'cli@customer.example' }],
          mailSettingsFrom(config),
        );
      } finally {
        await store.close();
      }
      const dir = await bounceDir({
        'new/1.eml': dsn({
          original: sent[0]!.raw,
          recipient: 'cli@customer.example',
          action: 'failed',
          status: '5.1.1',
          diagnostic: USER_UNKNOWN.replace('RECIPIENT', 'cli@customer.example'),
        }),
        'reply.eml': 'From: cli@customer.example\nSubject: Re: renewal\n\nYes.\n',
      });
      const perennial = async (...args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const context: CliContext = {
          config,
          log: createLogger({ logLevel: 'silent' }),
          out: (text) => out.push(text),
          err: (text) => err.push(text),
          interactive: false,
        };
        const program = new Command('perennial').exitOverride();
        registerMail(program, () => context);
        await program.parseAsync(['node', 'perennial', ...args]);
        return { out: out.join('\n'), err: err.join('\n') };
      };
      const first = await perennial('mail', 'bounces', '--dir', dir);
      expect(first.out.split('\n')).toEqual([
        'reply.eml: not a delivery status report (text/plain without a message/delivery-status part) (left in place)',
        `new/1.eml: hard bounce 5.1.1 cli@customer.example (renewal-heads-up, outbox ${sent[0]!.id}, tenant cli, renewal C-1)` +
          ' — address suppressed, 0 queued emails withdrawn; alert on the renewal → processed/1.eml',
        '2 files: 1 hard bounces, 0 soft bounces, 0 delays recorded; 0 already recorded, 0 unmatched, 0 not bounces; 1 left in place',
      ]);
      expect((await perennial('mail', 'bounces', '--dir', dir)).out).toMatch(
        /^reply\.eml: .*\n1 files: 0 hard bounces/,
      );
      await expect(perennial('mail', 'bounces', '--dir', path.join(dir, 'missing'))).rejects.toThrow(
        `--dir: ${path.join(dir, 'missing')} is not a directory`,
      );
    } finally {
      await drop?.();
    }
  }, 120_000); // an on-disk store opened three times: slow on a loaded 2-core machine
});
