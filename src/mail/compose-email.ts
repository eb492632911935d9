/**
 * Turns an outbox row into a complete email: language, subject, text and HTML bodies with the
 * renewal's real numbers, and headers. Pure: the caller passes the account facts it loaded and `now`.
 *
 * - The Message-ID is derived from (tenant, idempotency key), so a repeated delivery of one outbox
 *   message carries the same Message-ID and receivers (and our tests) can tell it is the same message.
 * - Every header value goes through `headerValue` (no CR/LF): names and subjects come from imported
 *   CSVs and must not be able to add headers.
 * - `X-Perennial-Ref` names the outbox message (signed; `bounce-reference.ts`), so a bounce report that
 *   arrives later can be matched to it.
 * - Customer emails carry an unsubscribe link and `List-Unsubscribe` / `List-Unsubscribe-Post`
 *   (RFC 8058 one-click); all automated mail carries `Auto-Submitted: auto-generated` (RFC 3834).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type CalendarDate, daysBetween } from '../domain/calendar.ts';
import { parseMoney } from '../domain/money.ts';
import { BOUNCE_REFERENCE_HEADER, bounceReference } from './bounce-reference.ts';
import { chooseCustomerLanguage, formattingLocale, type Language, userLanguage } from './choose-language.ts';
import { type CustomerText, customerText, WORDS } from './customer-templates.ts';
import { digestText } from './digest-template.ts';
import { formatAmount, formatDay } from './format-for-reader.ts';
import { headerValue, senderDomain } from './header-value.ts';
import { unsubscribeToken, unsubscribeUrl } from './unsubscribe-token.ts';

export type OutgoingMail = {
  /** Without angle brackets. */
  messageId: string;
  from: string;
  to: { name: string | null; address: string };
  subject: string;
  text: string;
  html: string;
  date: Date;
  headers: Record<string, string>;
  language: Language;
  /** A file-name-safe, readable name for development `.eml` files. */
  fileName: string;
};

export type MailSettings = {
  from: string;
  publicUrl: string;
  /** Signs unsubscribe links. */
  unsubscribeSecret: string;
};

export type OutboxMessage = {
  id: number;
  tenantId: string;
  idempotencyKey: string;
  kind: string;
  contractId: string | null;
  recipient: string | null;
  template: string;
  payload: unknown;
  dueOn: CalendarDate;
  attempts: number;
};

export const CustomerEmailPayload = z.object({
  accountId: z.string(),
  accountName: z.string(),
  recipientName: z.string().nullable(),
  audience: z.string(),
  milestone: z.string(),
  dueDate: z.string(),
  noticeDeadline: z.string().nullable(),
  /** The daily run's decimal string in the contract currency (`120000.00`, `9000000` for JPY). */
  arr: z.object({ amount: z.string().regex(/^-?\d+(\.\d+)?$/), currency: z.string().regex(/^[A-Z]{3}$/) }),
  timezone: z.string().nullable().optional(),
  /** Set by the proposal flow when a one-click renewal link exists. */
  renewUrl: z.url().optional(),
});
export type CustomerEmailPayload = z.infer<typeof CustomerEmailPayload>;

export const DigestPayload = z.object({
  userId: z.string(),
  userName: z.string(),
  locale: z.string().nullable(),
  day: z.string(),
  alerts: z.array(z.object({ severity: z.string(), kind: z.string(), message: z.string() })),
  tasks: z.array(
    z.object({ title: z.string(), accountName: z.string(), dueDate: z.string(), milestone: z.string() }),
  ),
  tasksTotal: z.number().int(),
});
export type DigestPayload = z.infer<typeof DigestPayload>;

export type AccountFacts = {
  country: string | null;
  timezone: string | null;
  usage: { activeUsers: number; licensedSeats: number | null } | null;
};

function arrMinor(arr: CustomerEmailPayload['arr']): number {
  const parsed = parseMoney(arr.amount, arr.currency);
  if ('problem' in parsed) throw new RangeError(`ARR ${arr.amount} ${arr.currency}: ${parsed.problem}`);
  return parsed.minor;
}

/** The local part of the Message-ID: 40 hex characters of SHA-256 over (tenant, idempotency key). */
export function messageIdDigest(tenantId: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${tenantId}\n${idempotencyKey}`).digest('hex').slice(0, 40);
}

export function messageIdFor(tenantId: string, idempotencyKey: string, from: string): string {
  return `${messageIdDigest(tenantId, idempotencyKey)}@${senderDomain(from)}`;
}

const reference = (message: OutboxMessage, settings: MailSettings) =>
  bounceReference({ secret: settings.unsubscribeSecret, tenantId: message.tenantId, outboxId: message.id });

function displayName(from: string): string {
  const match = /^\s*"?([^"<]+?)"?\s*</.exec(from);
  return match?.[1]?.trim() || 'Perennial';
}

const escapeHtml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

function fileName(message: OutboxMessage, day: CalendarDate): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40);
  const hash = createHash('sha256').update(`${message.tenantId}\n${message.idempotencyKey}`).digest('hex');
  return `${day}_${safe(message.tenantId)}_${safe(message.template)}_${hash.slice(0, 10)}.eml`;
}

function htmlDocument(language: Language, title: string, body: string): string {
  return [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f6f7f9;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d2430;line-height:1.5">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:28px">',
    body,
    '</div></body></html>',
  ].join('\n');
}

function button(action: { label: string; url: string }): string {
  return `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#2f6f4f;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>`;
}

/** A customer email from a `customer_email` outbox row. */
export function composeCustomerEmail({
  message,
  payload,
  account,
  settings,
  now,
  today,
}: {
  message: OutboxMessage;
  payload: CustomerEmailPayload;
  account: AccountFacts;
  settings: MailSettings;
  now: Date;
  /** The send day in the tenant's zone (for "in N days"). */
  today: CalendarDate;
}): OutgoingMail {
  const address = message.recipient ?? '';
  const language = chooseCustomerLanguage({
    country: account.country,
    timezone: account.timezone ?? payload.timezone ?? null,
  });
  const locale = formattingLocale(language, account.country);
  const usage = account.usage
    ? {
        ...account.usage,
        percent:
          account.usage.licensedSeats && account.usage.licensedSeats > 0
            ? Math.round((account.usage.activeUsers / account.usage.licensedSeats) * 100)
            : null,
      }
    : null;
  const senderName = displayName(settings.from);
  const content: CustomerText = customerText(message.template, language, {
    accountName: headerValue(payload.accountName),
    recipientName: payload.recipientName ? headerValue(payload.recipientName) : null,
    dueDate: formatDay(payload.dueDate, locale),
    noticeDeadline: payload.noticeDeadline ? formatDay(payload.noticeDeadline, locale) : null,
    arr: formatAmount(arrMinor(payload.arr), payload.arr.currency, locale),
    daysLeft: Math.max(0, daysBetween(today, payload.dueDate)),
    usage,
    renewUrl: payload.renewUrl ?? null,
    senderName,
  });
  const words = WORDS[language];
  const optOut = unsubscribeUrl(
    settings.publicUrl,
    unsubscribeToken({ secret: settings.unsubscribeSecret, tenantId: message.tenantId, email: address }),
  );
  const greeting = words.greeting(payload.recipientName ? headerValue(payload.recipientName) : null);
  const text = [
    greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    words.closing,
    senderName,
    '',
    '-- ',
    `${words.unsubscribe} ${optOut}`,
    '',
  ].join('\n');
  const html = htmlDocument(
    language,
    content.subject,
    [
      `<p>${escapeHtml(greeting)}</p>`,
      ...content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      content.action ? button(content.action) : '',
      `<p>${escapeHtml(words.closing)}<br>${escapeHtml(senderName)}</p>`,
      `<hr style="border:none;border-top:1px solid #e3e6ea;margin:24px 0 12px">`,
      `<p style="font-size:12px;color:#6b7480">${escapeHtml(words.unsubscribe)} <a href="${escapeHtml(optOut)}" style="color:#6b7480">${escapeHtml(optOut)}</a></p>`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return {
    messageId: messageIdFor(message.tenantId, message.idempotencyKey, settings.from),
    from: headerValue(settings.from),
    to: {
      name: payload.recipientName ? headerValue(payload.recipientName) : null,
      address: headerValue(address),
    },
    subject: headerValue(content.subject),
    text,
    html,
    date: now,
    headers: {
      'List-Unsubscribe': `<${headerValue(optOut)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
      [BOUNCE_REFERENCE_HEADER]: reference(message, settings),
    },
    language,
    fileName: fileName(message, today),
  };
}

/** The internal daily digest from a `digest` outbox row. */
export function composeDigestEmail({
  message,
  payload,
  settings,
  now,
}: {
  message: OutboxMessage;
  payload: DigestPayload;
  settings: MailSettings;
  now: Date;
}): OutgoingMail {
  const language = userLanguage(payload.locale);
  const locale = formattingLocale(language, null);
  const content = digestText(language, {
    userName: headerValue(payload.userName),
    day: formatDay(payload.day, locale),
    alerts: payload.alerts,
    tasks: payload.tasks.map((t) => ({
      title: t.title,
      accountName: t.accountName,
      dueDate: t.dueDate,
      overdue: t.dueDate < payload.day,
    })),
    tasksTotal: payload.tasksTotal,
    appUrl: settings.publicUrl,
  });
  const text = [
    content.intro,
    '',
    ...content.sections.flatMap((s) => [s.heading, ...s.lines.map((l) => `  - ${l}`), '']),
    `${content.action.label}: ${content.action.url}`,
    '',
  ].join('\n');
  const html = htmlDocument(
    language,
    content.subject,
    [
      `<p>${escapeHtml(content.intro)}</p>`,
      ...content.sections.map(
        (s) =>
          `<h3 style="margin:20px 0 8px;font-size:15px">${escapeHtml(s.heading)}</h3>\n<ul style="padding-left:20px;margin:0">${s.lines
            .map((l) => `<li>${escapeHtml(l)}</li>`)
            .join('')}</ul>`,
      ),
      button(content.action),
    ].join('\n'),
  );
  return {
    messageId: messageIdFor(message.tenantId, message.idempotencyKey, settings.from),
    from: headerValue(settings.from),
    to: { name: headerValue(payload.userName), address: headerValue(message.recipient ?? '') },
    subject: headerValue(content.subject),
    text,
    html,
    date: now,
    headers: {
      'Auto-Submitted': 'auto-generated',
      [BOUNCE_REFERENCE_HEADER]: reference(message, settings),
    },
    language,
    fileName: fileName(message, payload.day),
  };
}
