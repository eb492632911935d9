/**
 * Reads a delivery status notification (RFC 3464: `multipart/report; report-type=delivery-status`,
 * or its RFC 6533 `global-delivery-status` form) into what the bounce processor needs: one status per
 * recipient (action, status code, diagnostic) and the identifying headers of the returned original
 * (`Message-ID`, `X-Perennial-Ref`), from its `message/rfc822` or `text/rfc822-headers` part.
 *
 * mailparser does the MIME work (transfer encodings, nesting); with `keepDeliveryStatus` the report
 * part stays a part of its own instead of being folded into the text body. The report's fields are
 * header-style blocks (one per message, then one per recipient) and are parsed here, then validated.
 */
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { z } from 'zod';
import { BOUNCE_REFERENCE_HEADER } from './bounce-reference.ts';
import { headerValue } from './header-value.ts';

const STATUS_PARTS = ['message/delivery-status', 'message/global-delivery-status'];
const ORIGINAL_PARTS = ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'];

/** `rfc822; jane@example.com` → `jane@example.com` (lower case, without angle brackets). */
function address(value: string | undefined): string | null {
  if (!value) return null;
  const typed = /^\s*[A-Za-z0-9-]+\s*;\s*(.*)$/.exec(value);
  const bare = (typed ? typed[1]! : value).trim().replace(/^<(.*)>$/, '$1');
  return bare === '' ? null : bare.toLowerCase();
}

const RecipientStatus = z.object({
  finalRecipient: z.string().min(1, 'Final-Recipient is missing'),
  originalRecipient: z.string().nullable(),
  action: z.enum(['failed', 'delayed', 'delivered', 'relayed', 'expanded'], {
    error: (issue) =>
      `Action ${JSON.stringify(issue.input)} is not one of failed, delayed, delivered, relayed, expanded`,
  }),
  status: z
    .string()
    .regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'Status must be an RFC 3463 code such as 5.1.1 or 4.2.2'),
  diagnostic: z.string().nullable(),
  remoteMta: z.string().nullable(),
});
export type RecipientStatus = z.infer<typeof RecipientStatus>;

export type DeliveryStatusNotice = {
  /** Stable for one notice: SHA-256 of its Message-ID (or of its bytes when it has none), 32 hex. */
  noticeKey: string;
  reportingMta: string | null;
  recipients: RecipientStatus[];
  /** Headers of the returned original message; null values when the MTA did not include them. */
  original: { messageId: string | null; reference: string | null };
};

export type ReadDeliveryStatusResult =
  | { notice: DeliveryStatusNotice }
  | { notADeliveryReport: string }
  | { problem: string };

/** Header-style fields (RFC 5322 unfolding), block by block; names lower case, the first value wins. */
function headerBlocks(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.size > 0) blocks.push(current);
      current = new Map();
      last = null;
      continue;
    }
    if (/^[ \t]/.test(line) && last !== null) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = null;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    // A repeated field is ignored, continuation lines included.
    last = current.has(name) ? null : name;
    if (last !== null) current.set(name, line.slice(colon + 1).trim());
  }
  if (current.size > 0) blocks.push(current);
  return blocks;
}

function onlyHeaders(text: string): string {
  const end = /\r?\n\r?\n/.exec(text);
  return end ? text.slice(0, end.index) : text;
}

export async function readDeliveryStatus(raw: Buffer): Promise<ReadDeliveryStatusResult> {
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextLinks: true });
  } catch (error) {
    return { problem: `not a readable email: ${(error as Error).message}` };
  }
  const contentType = parsed.headers.get('content-type') as { value?: string } | undefined;
  const statusPart = parsed.attachments.find((part) => STATUS_PARTS.includes(part.contentType));
  if (!statusPart)
    return {
      notADeliveryReport: `${contentType?.value ?? 'text/plain'} without a message/delivery-status part`,
    };

  const [perMessage, ...perRecipient] = headerBlocks(statusPart.content.toString('utf8'));
  if (!perMessage || perRecipient.length === 0)
    return { problem: 'the delivery-status part names no recipient' };
  const recipients: RecipientStatus[] = [];
  for (const [index, block] of perRecipient.entries()) {
    const candidate = {
      finalRecipient: address(block.get('final-recipient')) ?? '',
      originalRecipient: address(block.get('original-recipient')),
      action: (block.get('action') ?? '').toLowerCase().replace(/\s*\(.*\)$/, ''),
      status: (block.get('status') ?? '').replace(/\s*\(.*\)$/, '').trim(),
      diagnostic: block.has('diagnostic-code')
        ? headerValue(block.get('diagnostic-code')!).slice(0, 500)
        : null,
      remoteMta: address(block.get('remote-mta')),
    };
    const checked = RecipientStatus.safeParse(candidate);
    if (!checked.success)
      return {
        problem: `delivery-status recipient ${index + 1}: ${checked.error.issues.map((i) => i.message).join('; ')}`,
      };
    recipients.push(checked.data);
  }

  const originalPart = parsed.attachments.find((part) => ORIGINAL_PARTS.includes(part.contentType));
  const originalHeaders = originalPart
    ? (headerBlocks(onlyHeaders(originalPart.content.toString('utf8')))[0] ?? new Map<string, string>())
    : new Map<string, string>();
  const messageId = originalHeaders.get('message-id')?.trim() || null;
  const reference = originalHeaders.get(BOUNCE_REFERENCE_HEADER.toLowerCase())?.trim() || null;

  const identity = parsed.messageId ? `message-id\n${parsed.messageId}` : raw;
  return {
    notice: {
      noticeKey: createHash('sha256').update(identity).digest('hex').slice(0, 32),
      reportingMta: address(perMessage.get('reporting-mta')),
      recipients,
      original: { messageId, reference },
    },
  };
}
