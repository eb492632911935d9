/**
 * Delivers what is due in the transactional outbox: customer emails, internal digests, webhooks.
 *
 * Steps, each its own short transaction so a crash anywhere leaves a state the next pass resolves:
 * 1. **Claim** (per tenant, under a per-tenant advisory lock so the daily send cap is exact across
 *    workers): withdraw messages to opted-out addresses (`opted_out`), then pick due messages with
 *    `FOR UPDATE SKIP LOCKED` — `queued` ones whose back-off has elapsed, and `sending` ones whose
 *    lease expired (their worker died) — mark them `sending`, count the attempt, and write a
 *    `delivery_attempts` row (outcome `sending`, at = claim time: the lease clock).
 * 2. **Send** outside any transaction, with the idempotency key on the wire (Message-ID derived from
 *    it; `X-Perennial-Delivery` for webhooks).
 * 3. **Record**: `sent`, or `queued` again for a transient failure (exponential back-off from the
 *    attempt's time), or `failed`/`bounced` for a permanent one or after `maxAttempts`. The record is
 *    fenced on the attempt number, so a worker that lost its lease cannot overwrite a newer attempt.
 *
 * At-least-once with an idempotency key: a crash between send and record leaves the message
 * `sending`; after the lease it is sent again with the same Message-ID, and its earlier attempt is
 * marked `abandoned`, so the row ends `sent_possible_duplicate` — repeated at most once per crash,
 * and flagged. A permanent failure of a customer email also raises a `delivery_failed` alert on the
 * renewal for its owner.
 *
 * The daily send cap (tenant_settings.daily_send_cap) counts customer emails sent (or in flight)
 * since local midnight in the tenant's zone; what is over the cap stays queued for the next day.
 * Digests and webhooks are internal and not capped.
 */
import { hostname } from 'node:os';
import type { CalendarDate } from '../domain/calendar.ts';
import type { Logger } from '../logging/logger.ts';
import {
  type AccountFacts,
  CustomerEmailPayload,
  composeCustomerEmail,
  composeDigestEmail,
  DigestPayload,
  type MailSettings,
  type OutboxMessage,
  type OutgoingMail,
} from '../mail/compose-email.ts';
import { addressProblem, headerValue } from '../mail/header-value.ts';
import { DeliveryError, type MailTransport } from '../mail/mail-transport.ts';
import { type PostWebhook, postWebhook, WebhookPayload } from '../mail/post-webhook.ts';
import type { SqlSession, Store } from '../store/store.ts';
import { DEFAULT_ZONE, localDate, startOfLocalDay } from './daily-run-schedule.ts';

export const EMAIL_KINDS = ['customer_email', 'digest'] as const;
export const CAPPED_KINDS = ['customer_email'] as const;

export type DeliveryReport = {
  claimed: number;
  sent: number;
  /** Sent again after a worker died mid-send: flagged `sent_possible_duplicate`. */
  possibleDuplicates: number;
  retried: number;
  failed: number;
  bounced: number;
  optedOut: number;
  /** Tenants whose daily send cap held messages back this pass. */
  cappedTenants: string[];
  /** Emails left queued because no mail transport is configured. */
  waitingForTransport: number;
};

export type DeliverDueOptions = {
  store: Store;
  /** null: no SMTP and no mail directory — emails wait, webhooks still go. */
  transport: MailTransport | null;
  /** The clock: a fixed instant (tests, `outbox flush`) or a function read at each claim and record. */
  now: Date | (() => Date);
  tenantId?: string;
  mail: MailSettings;
  batchSize?: number;
  /** How long a claimed message may stay `sending` before another worker takes it over. */
  leaseSeconds?: number;
  maxAttempts?: number;
  retryBaseSeconds?: number;
  retryMaxSeconds?: number;
  /** Claim rounds per call (each round claims up to `batchSize` per tenant). */
  maxRounds?: number;
  concurrency?: number;
  post?: PostWebhook;
  log?: Logger;
  workerId?: string;
  /** Test hook: called after a message was handed to the transport and before the result is recorded. */
  afterSend?: (message: OutboxMessage) => Promise<void> | void;
};

type Claimed = OutboxMessage & { attemptId: number; reclaimed: boolean; claimedAt: number };

type ClaimRow = {
  id: number;
  tenant_id: string;
  idempotency_key: string;
  kind: string;
  contract_id: string | null;
  recipient: string | null;
  template: string;
  payload: unknown;
  due_on: string;
  attempts: number;
  previous_status: string;
};

const LOCK_NAMESPACE = 7_320_552;

const LAST_ATTEMPT_AT =
  '(SELECT max(a.at) FROM delivery_attempts a WHERE a.tenant_id = o.tenant_id AND a.outbox_id = o.id)';

async function claim(
  tx: SqlSession,
  {
    tenantId,
    kinds,
    today,
    now,
    limit,
    retryBaseSeconds,
    retryMaxSeconds,
    leaseSeconds,
  }: {
    tenantId: string;
    kinds: readonly string[];
    today: CalendarDate;
    now: Date;
    limit: number;
    retryBaseSeconds: number;
    retryMaxSeconds: number;
    leaseSeconds: number;
  },
): Promise<ClaimRow[]> {
  if (limit <= 0 || kinds.length === 0) return [];
  return tx.query<ClaimRow>(
    `WITH due AS (
       SELECT o.id, o.status AS previous_status
         FROM outbox o
        WHERE o.tenant_id = $1 AND o.kind = ANY($2::text[]) AND o.due_on <= $3::date
          AND ((o.status = 'queued' AND (o.attempts = 0 OR coalesce(${LAST_ATTEMPT_AT}, '-infinity') <=
                 $4::timestamptz - make_interval(secs => least($5::float8 * power(2, o.attempts - 1), $6::float8))))
            OR (o.status = 'sending' AND coalesce(${LAST_ATTEMPT_AT}, '-infinity') <=
                 $4::timestamptz - make_interval(secs => $7::float8)))
        ORDER BY o.due_on, o.id
        LIMIT $8
        FOR UPDATE OF o SKIP LOCKED)
     UPDATE outbox u SET status = 'sending', attempts = u.attempts + 1
       FROM due WHERE u.id = due.id
     RETURNING u.id, u.tenant_id, u.idempotency_key, u.kind, u.contract_id, u.recipient, u.template, u.payload,
       u.due_on, u.attempts, due.previous_status`,
    [tenantId, kinds, today, now.toISOString(), retryBaseSeconds, retryMaxSeconds, leaseSeconds, limit],
  );
}

type TenantRow = { tenant_id: string; zone: string; cap: number };

async function dueTenants(store: Store, tenantId: string | undefined): Promise<TenantRow[]> {
  return store.query<TenantRow>(
    `SELECT o.tenant_id, coalesce(s.timezone, '${DEFAULT_ZONE}') AS zone, coalesce(s.daily_send_cap, 1000) AS cap
       FROM (SELECT DISTINCT tenant_id FROM outbox WHERE status IN ('queued', 'sending')
              AND ($1::text IS NULL OR tenant_id = $1)) o
       LEFT JOIN tenant_settings s ON s.tenant_id = o.tenant_id
      ORDER BY o.tenant_id`,
    [tenantId ?? null],
  );
}

function safeZone(zone: string, log: Logger | undefined, tenantId: string): string {
  try {
    localDate(zone, new Date(0));
    return zone;
  } catch {
    log?.warn({ tenantId, zone }, 'unknown time zone in tenant settings; using UTC for delivery');
    return DEFAULT_ZONE;
  }
}

async function claimForTenant(
  store: Store,
  tenant: TenantRow,
  options: Required<
    Pick<
      DeliverDueOptions,
      'batchSize' | 'retryBaseSeconds' | 'retryMaxSeconds' | 'leaseSeconds' | 'workerId'
    >
  > & { now: Date; withEmail: boolean; log: Logger | undefined },
  report: DeliveryReport,
): Promise<{ claimed: Claimed[]; today: CalendarDate }> {
  const zone = safeZone(tenant.zone, options.log, tenant.tenant_id);
  const today = localDate(zone, options.now);
  const dayStart = startOfLocalDay(zone, today);
  const tenantId = tenant.tenant_id;
  const claimed = await store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, tenantId]);
    report.optedOut += await tx.execute(
      `UPDATE outbox o SET status = 'opted_out', last_error = 'recipient opted out'
        WHERE o.tenant_id = $1 AND o.kind = 'customer_email' AND o.status IN ('queued', 'sending')
          AND EXISTS (SELECT 1 FROM email_opt_outs x WHERE x.tenant_id = o.tenant_id AND lower(x.email) = lower(o.recipient))`,
      [tenantId],
    );
    const common = {
      tenantId,
      today,
      now: options.now,
      retryBaseSeconds: options.retryBaseSeconds,
      retryMaxSeconds: options.retryMaxSeconds,
      leaseSeconds: options.leaseSeconds,
    };
    const rows: ClaimRow[] = [];
    if (options.withEmail) {
      const [count] = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox
          WHERE tenant_id = $1 AND kind = ANY($2::text[])
            AND (status = 'sending' OR (status IN ('sent', 'sent_possible_duplicate') AND sent_at >= $3))`,
        [tenantId, CAPPED_KINDS, dayStart.toISOString()],
      );
      const remaining = Math.max(0, tenant.cap - (count?.n ?? 0));
      const limit = Math.min(options.batchSize, remaining);
      const capped = await claim(tx, { ...common, kinds: CAPPED_KINDS, limit });
      rows.push(...capped);
      if (capped.length === remaining && !report.cappedTenants.includes(tenantId)) {
        const [waiting] = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND kind = ANY($2::text[])
             AND status = 'queued' AND due_on <= $3::date`,
          [tenantId, CAPPED_KINDS, today],
        );
        if ((waiting?.n ?? 0) > 0) report.cappedTenants.push(tenantId);
      }
    }
    const uncapped = options.withEmail ? ['digest', 'webhook'] : ['webhook'];
    rows.push(...(await claim(tx, { ...common, kinds: uncapped, limit: options.batchSize })));
    if (rows.length === 0) return [];

    const reclaimed = rows.filter((row) => row.previous_status === 'sending').map((row) => row.id);
    if (reclaimed.length > 0) {
      await tx.execute(
        `UPDATE delivery_attempts SET outcome = 'abandoned',
                detail = coalesce(detail, '') || ' — lease expired while sending; the message may have gone out'
          WHERE tenant_id = $1 AND outbox_id = ANY($2::bigint[]) AND outcome = 'sending'`,
        [tenantId, reclaimed],
      );
    }
    const attempts = await tx.query<{ id: number; outbox_id: number }>(
      `INSERT INTO delivery_attempts (tenant_id, outbox_id, at, outcome, detail)
       SELECT $1, x, $3::timestamptz, 'sending', $4 FROM unnest($2::bigint[]) AS x
       RETURNING id, outbox_id`,
      [tenantId, rows.map((row) => row.id), options.now.toISOString(), `claimed by ${options.workerId}`],
    );
    const attemptOf = new Map(attempts.map((a) => [a.outbox_id, a.id]));
    return rows.map(
      (row): Claimed => ({
        id: row.id,
        tenantId: row.tenant_id,
        idempotencyKey: row.idempotency_key,
        kind: row.kind,
        contractId: row.contract_id,
        recipient: row.recipient,
        template: row.template,
        payload: row.payload,
        dueOn: row.due_on,
        attempts: row.attempts,
        attemptId: attemptOf.get(row.id)!,
        reclaimed: row.previous_status === 'sending',
        claimedAt: options.now.getTime(),
      }),
    );
  });
  return { claimed, today };
}

type Context = {
  accounts: Map<string, AccountFacts>;
  webhooks: Map<number, { secret: string; active: boolean }>;
};

async function loadContext(store: Store, tenantId: string, claimed: readonly Claimed[], today: string) {
  const accountIds = [
    ...new Set(
      claimed.flatMap((m) => {
        const parsed = CustomerEmailPayload.safeParse(m.payload);
        return m.kind === 'customer_email' && parsed.success ? [parsed.data.accountId] : [];
      }),
    ),
  ];
  const webhookIds = [
    ...new Set(
      claimed.flatMap((m) => {
        const parsed = WebhookPayload.safeParse(m.payload);
        return m.kind === 'webhook' && parsed.success ? [parsed.data.webhookId] : [];
      }),
    ),
  ];
  const context: Context = { accounts: new Map(), webhooks: new Map() };
  if (accountIds.length > 0) {
    const rows = await store.query<{
      account_id: string;
      country: string | null;
      timezone: string | null;
      active_users: number | null;
      licensed_seats: number | null;
    }>(
      `SELECT a.account_id, a.country, a.timezone, u.active_users, u.licensed_seats
         FROM accounts a
         LEFT JOIN LATERAL (SELECT active_users, licensed_seats FROM usage
                             WHERE tenant_id = a.tenant_id AND account_id = a.account_id AND date <= $3::date
                             ORDER BY date DESC LIMIT 1) u ON true
        WHERE a.tenant_id = $1 AND a.account_id = ANY($2::text[])`,
      [tenantId, accountIds, today],
    );
    for (const row of rows) {
      context.accounts.set(row.account_id, {
        country: row.country,
        timezone: row.timezone,
        usage:
          row.active_users === null
            ? null
            : { activeUsers: row.active_users, licensedSeats: row.licensed_seats },
      });
    }
  }
  if (webhookIds.length > 0) {
    const rows = await store.query<{ id: number; secret: string; active: boolean }>(
      'SELECT id, secret, active FROM webhooks WHERE tenant_id = $1 AND id = ANY($2::bigint[])',
      [tenantId, webhookIds],
    );
    for (const row of rows) context.webhooks.set(Number(row.id), { secret: row.secret, active: row.active });
  }
  return context;
}

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Composes the email for a claimed message; throws a permanent DeliveryError when it cannot be sent. */
export function composeFor(
  message: OutboxMessage,
  {
    accounts,
    mail,
    now,
    today,
  }: { accounts: Map<string, AccountFacts>; mail: MailSettings; now: Date; today: CalendarDate },
): OutgoingMail {
  const problem = addressProblem(message.recipient);
  if (problem) throw new DeliveryError(problem, true);
  if (message.kind === 'digest') {
    const payload = DigestPayload.safeParse(message.payload);
    if (!payload.success) throw new DeliveryError(`digest payload: ${issues(payload.error)}`, true);
    return composeDigestEmail({ message, payload: payload.data, settings: mail, now });
  }
  const payload = CustomerEmailPayload.safeParse(message.payload);
  if (!payload.success) throw new DeliveryError(`customer email payload: ${issues(payload.error)}`, true);
  const account = accounts.get(payload.data.accountId) ?? {
    country: null,
    timezone: payload.data.timezone ?? null,
    usage: null,
  };
  return composeCustomerEmail({ message, payload: payload.data, account, settings: mail, now, today });
}

async function send(
  message: Claimed,
  context: Context,
  options: DeliverDueOptions,
  today: CalendarDate,
): Promise<{ response: string }> {
  if (message.kind === 'webhook') {
    const payload = WebhookPayload.safeParse(message.payload);
    if (!payload.success) throw new DeliveryError(`webhook payload: ${issues(payload.error)}`, true);
    const hook = context.webhooks.get(payload.data.webhookId);
    if (!hook?.active) throw new DeliveryError('the webhook was deleted or deactivated', true);
    return postWebhook({
      url: message.recipient ?? '',
      secret: hook.secret,
      idempotencyKey: message.idempotencyKey,
      payload: payload.data,
      post: options.post,
    });
  }
  if (!options.transport) throw new DeliveryError('no mail transport configured', false);
  const now = typeof options.now === 'function' ? options.now() : options.now;
  const mail = composeFor(message, { accounts: context.accounts, mail: options.mail, now, today });
  return options.transport.send(mail);
}

/**
 * Gives a claimed message back unsent (its lease is half gone, e.g. behind slow sends): it returns to
 * `queued` with the attempt undone, rather than being sent late while another worker may take it over.
 */
async function release(store: Store, message: Claimed): Promise<void> {
  await store.transaction(async (tx) => {
    const released = await tx.execute(
      `UPDATE outbox SET status = 'queued', attempts = attempts - 1
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [message.id, message.attempts],
    );
    if (released > 0)
      await tx.execute("UPDATE delivery_attempts SET outcome = 'released', detail = $2 WHERE id = $1", [
        message.attemptId,
        'lease half gone before sending; released unsent',
      ]);
  });
}

async function recordSent(store: Store, message: Claimed, now: Date, detail: string): Promise<string> {
  const [row] = await store.query<{ outcome: string }>(
    `WITH done AS (
       UPDATE outbox o SET
         status = CASE WHEN EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.tenant_id = o.tenant_id
                                      AND a.outbox_id = o.id AND a.outcome = 'abandoned')
                       THEN 'sent_possible_duplicate' ELSE 'sent' END,
         sent_at = $3::timestamptz, last_error = NULL
        WHERE o.id = $1 AND o.status = 'sending' AND o.attempts = $2
       RETURNING o.status)
     UPDATE delivery_attempts SET outcome = coalesce((SELECT status FROM done), 'sent_superseded'), detail = $5
      WHERE id = $4
     RETURNING outcome`,
    [message.id, message.attempts, now.toISOString(), message.attemptId, detail],
  );
  return row?.outcome ?? 'sent_superseded';
}

async function recordFailure(
  store: Store,
  message: Claimed,
  error: DeliveryError,
  { maxAttempts, today }: { maxAttempts: number; today: CalendarDate },
): Promise<'queued' | 'failed' | 'bounced'> {
  const status = error.permanent ? error.status : message.attempts >= maxAttempts ? 'failed' : 'queued';
  const detail = headerValue(error.message).slice(0, 1000);
  await store.transaction(async (tx) => {
    const updated = await tx.execute(
      `UPDATE outbox SET status = $3, last_error = $4 WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [message.id, message.attempts, status, detail],
    );
    await tx.execute('UPDATE delivery_attempts SET outcome = $2, detail = $3 WHERE id = $1', [
      message.attemptId,
      status === 'queued' ? 'retry' : status,
      detail,
    ]);
    if (updated > 0 && status !== 'queued' && message.kind === 'customer_email' && message.contractId) {
      // The failure lands on the renewal: its owner sees it (and in the next digest).
      await tx.execute(
        `INSERT INTO alerts (tenant_id, contract_id, account_id, key, kind, severity, recipient_role,
                             recipient_user_id, message, created_on)
         SELECT r.tenant_id, r.contract_id, r.account_id, 'delivery:' || $3::text, 'delivery_failed', 'high',
                coalesce(r.owner_role, 'csm'), r.owner_user_id, $4, $5::date
           FROM renewals r WHERE r.tenant_id = $1 AND r.contract_id = $2
         ON CONFLICT (tenant_id, contract_id, key) DO NOTHING`,
        [
          message.tenantId,
          message.contractId,
          String(message.id),
          `Email "${message.template}" to ${message.recipient ?? '(no address)'} ${status}: ${detail}`,
          today,
        ],
      );
    }
  });
  return status;
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(runners);
}

export function emptyDeliveryReport(): DeliveryReport {
  return {
    claimed: 0,
    sent: 0,
    possibleDuplicates: 0,
    retried: 0,
    failed: 0,
    bounced: 0,
    optedOut: 0,
    cappedTenants: [],
    waitingForTransport: 0,
  };
}

/** One delivery pass over everything due (see the module comment). Safe to run in any number of workers. */
export async function deliverDue(options: DeliverDueOptions): Promise<DeliveryReport> {
  const {
    store,
    now,
    batchSize = 10,
    leaseSeconds = 120,
    maxAttempts = 8,
    retryBaseSeconds = 60,
    retryMaxSeconds = 6 * 3600,
    maxRounds = 100,
    concurrency = 4,
    log,
    workerId = `${hostname()}:${process.pid}`,
  } = options;
  const clock = typeof now === 'function' ? now : () => now;
  const report = emptyDeliveryReport();
  const withEmail = options.transport !== null;
  for (let round = 0; round < maxRounds; round++) {
    let claimedThisRound = 0;
    for (const tenant of await dueTenants(store, options.tenantId)) {
      const { claimed, today } = await claimForTenant(
        store,
        tenant,
        {
          batchSize,
          retryBaseSeconds,
          retryMaxSeconds,
          leaseSeconds,
          workerId,
          now: clock(),
          withEmail,
          log,
        },
        report,
      );
      if (claimed.length === 0) continue;
      claimedThisRound += claimed.length;
      report.claimed += claimed.length;
      const context = await loadContext(store, tenant.tenant_id, claimed, today);
      await inPool(claimed, concurrency, async (message) => {
        if (clock().getTime() - message.claimedAt > (leaseSeconds * 1000) / 2) {
          await release(store, message);
          return;
        }
        let response: string;
        try {
          ({ response } = await send(message, context, { ...options, now: clock() }, today));
        } catch (caught) {
          const error =
            caught instanceof DeliveryError
              ? caught
              : new DeliveryError(`unexpected: ${(caught as Error)?.message ?? String(caught)}`, false);
          const status = await recordFailure(store, message, error, { maxAttempts, today });
          if (status === 'queued') report.retried++;
          else if (status === 'bounced') report.bounced++;
          else report.failed++;
          log?.warn(
            {
              tenantId: message.tenantId,
              outboxId: message.id,
              kind: message.kind,
              status,
              error: error.message,
            },
            'delivery failed',
          );
          return;
        }
        // Sent. If recording fails now (or the process dies), the row stays `sending`; after the lease
        // another pass sends it again with the same idempotency key and flags it a possible duplicate.
        await options.afterSend?.(message);
        const outcome = await recordSent(store, message, clock(), response);
        if (outcome === 'sent_possible_duplicate') report.possibleDuplicates++;
        if (outcome !== 'sent_superseded') report.sent++;
      });
    }
    if (claimedThisRound === 0) break;
  }
  if (!withEmail) {
    const [waiting] = await store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE status = 'queued' AND kind = ANY($1::text[])
         AND ($2::text IS NULL OR tenant_id = $2)`,
      [EMAIL_KINDS, options.tenantId ?? null],
    );
    report.waitingForTransport = waiting?.n ?? 0;
  }
  return report;
}
