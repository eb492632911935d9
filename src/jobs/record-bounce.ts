/**
 * Records one delivery status notification (a bounce that arrived after SMTP had accepted the
 * message) against the outbox message it reports on.
 *
 * Finding the message: its signed `X-Perennial-Ref` header when the report returned it; otherwise its
 * Message-ID (derived from tenant and idempotency key) among the messages to the reported recipients.
 * A report that matches neither is `unmatched` and changes nothing.
 *
 * Effects, in one transaction with the outbox row locked (so two processes reading the same report
 * record it once):
 * - **hard bounce** (Action `failed`, Status 5.x.x): the message becomes `bounced`; a
 *   `delivery_failed` alert (high) lands on the renewal for its owner; the address is suppressed for
 *   customer sequences (`email_opt_outs`, source `bounce`) and its queued customer emails withdrawn.
 * - **soft bounce** (Action `failed`, Status 4.x.x — the remote MTA gave up after temporary
 *   failures): the message becomes `bounced` (unless a hard bounce is already recorded), a medium
 *   alert lands on the renewal, the address is kept (`perennial outbox retry` sends it again).
 * - **delayed** (Action `delayed`): a warning; only the delivery attempt is recorded.
 * Every recorded report adds a `delivery_attempts` row whose detail starts `dsn:<notice key>`: the
 * same report processed again finds it and changes nothing (`duplicate`).
 */
import { tenantToday } from '../engine/queries/tenant-today.ts';
import { readBounceReference } from '../mail/bounce-reference.ts';
import { messageIdDigest } from '../mail/compose-email.ts';
import { headerValue } from '../mail/header-value.ts';
import type { DeliveryStatusNotice, RecipientStatus } from '../mail/read-delivery-status.ts';
import { recordOptOut } from '../mail/unsubscribe-token.ts';
import type { Store } from '../store/store.ts';
import { EMAIL_KINDS } from './deliver-due.ts';

export type BounceKind = 'hard' | 'soft' | 'delayed';

export type RecordedBounce = {
  outcome: 'recorded' | 'duplicate';
  kind: BounceKind;
  tenantId: string;
  outboxId: number;
  messageKind: string;
  template: string;
  recipient: string;
  status: string;
  diagnostic: string | null;
  contractId: string | null;
  /** A hard bounce of a customer email: the address now receives no automated renewal emails. */
  suppressed: boolean;
  /** Queued customer emails to the address withdrawn by the suppression. */
  withdrawn: number;
  alertRaised: boolean;
};

export type RecordBounceResult =
  | RecordedBounce
  | { outcome: 'unmatched'; reason: string }
  | { outcome: 'not_a_bounce'; reason: string };

export type RecordBounceOptions = {
  store: Store;
  notice: DeliveryStatusNotice;
  /** Signs `X-Perennial-Ref` (the mail settings' secret). */
  secret: string;
  /** When the report is processed: the attempt time, and (in the tenant's zone) the alert's day. */
  now: Date;
  /** Only messages of this tenant; every tenant when omitted (one bounce mailbox per installation). */
  tenantId?: string;
};

type MessageRow = {
  id: number;
  tenant_id: string;
  idempotency_key: string;
  kind: string;
  contract_id: string | null;
  recipient: string | null;
  template: string;
  status: string;
};

const COLUMNS = 'id, tenant_id, idempotency_key, kind, contract_id, recipient, template, status';

async function findMessage(
  { store, notice, secret, tenantId }: RecordBounceOptions,
  recipients: string[],
): Promise<MessageRow | string> {
  const { reference, messageId } = notice.original;
  if (reference) {
    const named = readBounceReference({ secret, reference });
    if (named && (tenantId === undefined || named.tenantId === tenantId)) {
      const [row] = await store.query<MessageRow>(
        `SELECT ${COLUMNS} FROM outbox WHERE tenant_id = $1 AND id = $2 AND kind = ANY($3::text[])`,
        [named.tenantId, named.outboxId, EMAIL_KINDS],
      );
      if (row) return row;
    }
  }
  const digest = messageId ? /^<?([0-9a-f]{40})@[^>\s]+>?$/.exec(messageId)?.[1] : undefined;
  if (!digest) {
    if (reference)
      return `${reference} is not a message of ${tenantId ? `tenant ${tenantId}` : 'this installation'}`;
    return messageId
      ? `Message-ID ${messageId} is not one Perennial sends`
      : 'the report did not return the original headers (no Message-ID, no X-Perennial-Ref)';
  }
  const candidates = await store.query<MessageRow>(
    `SELECT ${COLUMNS} FROM outbox
      WHERE lower(recipient) = ANY($1::text[]) AND kind = ANY($2::text[]) AND ($3::text IS NULL OR tenant_id = $3)`,
    [recipients, EMAIL_KINDS, tenantId ?? null],
  );
  return (
    candidates.find((row) => messageIdDigest(row.tenant_id, row.idempotency_key) === digest) ??
    `no outbox message to ${recipients.join(', ')} has Message-ID ${messageId}`
  );
}

/** The report's block for the message's recipient; a single-recipient report counts (forwarded mail). */
function statusFor(notice: DeliveryStatusNotice, recipient: string): RecipientStatus | undefined {
  const address = recipient.toLowerCase();
  return (
    notice.recipients.find((r) => r.finalRecipient === address || r.originalRecipient === address) ??
    (notice.recipients.length === 1 ? notice.recipients[0] : undefined)
  );
}

function kindOf(status: RecipientStatus): BounceKind | null {
  if (status.action === 'delayed') return 'delayed';
  if (status.action !== 'failed') return null;
  return status.status.startsWith('5.') ? 'hard' : 'soft';
}

export async function recordBounce(options: RecordBounceOptions): Promise<RecordBounceResult> {
  const { store, notice, now } = options;
  const failing = notice.recipients.filter((r) => r.action === 'failed' || r.action === 'delayed');
  if (failing.length === 0)
    return {
      outcome: 'not_a_bounce',
      reason: `the report says ${notice.recipients.map((r) => `${r.finalRecipient} ${r.action}`).join(', ')}`,
    };
  const addresses = [
    ...new Set(
      notice.recipients.flatMap((r) => [
        r.finalRecipient,
        ...(r.originalRecipient ? [r.originalRecipient] : []),
      ]),
    ),
  ];
  const found = await findMessage(options, addresses);
  if (typeof found === 'string') return { outcome: 'unmatched', reason: found };
  const recipient = (found.recipient ?? '').toLowerCase();
  const status = statusFor(notice, recipient);
  if (!status)
    return {
      outcome: 'unmatched',
      reason: `the report names ${addresses.join(', ')}, not the message's recipient ${recipient}`,
    };
  const kind = kindOf(status);
  if (!kind) return { outcome: 'not_a_bounce', reason: `the report says ${recipient} ${status.action}` };

  const tenantId = found.tenant_id;
  const outboxId = Number(found.id);
  const marker = `dsn:${notice.noticeKey}`;
  const summary = headerValue(
    `${kind} bounce ${status.status}${notice.reportingMta ? ` reported by ${notice.reportingMta}` : ''}` +
      (status.diagnostic ? `: ${status.diagnostic}` : ''),
  ).slice(0, 900);
  const base: RecordedBounce = {
    outcome: 'recorded',
    kind,
    tenantId,
    outboxId,
    messageKind: found.kind,
    template: found.template,
    recipient,
    status: status.status,
    diagnostic: status.diagnostic,
    contractId: found.contract_id,
    suppressed: false,
    withdrawn: 0,
    alertRaised: false,
  };

  return store.transaction(async (tx): Promise<RecordBounceResult> => {
    const [locked] = await tx.query<{ status: string; last_error: string | null }>(
      'SELECT status, last_error FROM outbox WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, outboxId],
    );
    const [seen] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM delivery_attempts
        WHERE tenant_id = $1 AND outbox_id = $2 AND starts_with(detail, $3)`,
      [tenantId, outboxId, `${marker} `],
    );
    if (!locked) return { outcome: 'unmatched', reason: `outbox message ${outboxId} was deleted` };
    if ((seen?.n ?? 0) > 0) return { ...base, outcome: 'duplicate' };

    await tx.execute(
      `INSERT INTO delivery_attempts (tenant_id, outbox_id, at, outcome, detail)
       VALUES ($1, $2, $3::timestamptz, $4, $5)`,
      [
        tenantId,
        outboxId,
        now.toISOString(),
        kind === 'hard' ? 'bounced' : kind === 'soft' ? 'soft_bounce' : 'delayed',
        `${marker} ${summary}`,
      ],
    );
    if (kind === 'delayed') return base;

    const hardAlready = locked.status === 'bounced' && (locked.last_error ?? '').startsWith('hard bounce');
    if (kind === 'hard' || !hardAlready)
      await tx.execute(
        `UPDATE outbox SET status = 'bounced', last_error = $3 WHERE tenant_id = $1 AND id = $2`,
        [tenantId, outboxId, summary],
      );

    let alertRaised = false;
    if (found.kind === 'customer_email' && found.contract_id) {
      const suppression =
        kind === 'hard'
          ? ' Automated renewal emails to this address are suppressed.'
          : ' The address is kept.';
      alertRaised =
        (await tx.execute(
          `INSERT INTO alerts (tenant_id, contract_id, account_id, key, kind, severity, recipient_role,
                               recipient_user_id, message, created_on)
           SELECT r.tenant_id, r.contract_id, r.account_id, $3, 'delivery_failed', $4,
                  coalesce(r.owner_role, 'csm'), r.owner_user_id, $5, $6::date
             FROM renewals r WHERE r.tenant_id = $1 AND r.contract_id = $2
           ON CONFLICT (tenant_id, contract_id, key) DO NOTHING`,
          [
            tenantId,
            found.contract_id,
            `bounce:${outboxId}:${kind}`,
            kind === 'hard' ? 'high' : 'medium',
            headerValue(`Email "${found.template}" to ${recipient} bounced (${summary}).${suppression}`),
            await tenantToday(tx, tenantId, now),
          ],
        )) > 0;
    }
    if (kind === 'hard' && found.kind === 'customer_email') {
      const { withdrawn } = await recordOptOut({ session: tx, tenantId, email: recipient, source: 'bounce' });
      return { ...base, alertRaised, suppressed: true, withdrawn };
    }
    return { ...base, alertRaised };
  });
}
