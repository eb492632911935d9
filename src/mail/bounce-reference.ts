/**
 * The `X-Perennial-Ref` header on every outgoing email: which outbox message it is (tenant and outbox
 * id), signed with HMAC-SHA256 so a forged bounce report cannot mark an arbitrary message bounced or
 * suppress an arbitrary address. Mail servers return the original headers inside a delivery status
 * notification (RFC 3464), which is how `perennial mail bounces` finds the message again.
 *
 * Format: `<tenant as base64url>.<outbox id>.<first 22 characters of the base64url HMAC>` (128 bits).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const BOUNCE_REFERENCE_HEADER = 'X-Perennial-Ref';

function signature(secret: string, tenantId: string, outboxId: number): string {
  return createHmac('sha256', secret)
    .update(`bounce-reference\n${tenantId}\n${outboxId}`)
    .digest('base64url')
    .slice(0, 22);
}

export function bounceReference({
  secret,
  tenantId,
  outboxId,
}: {
  secret: string;
  tenantId: string;
  outboxId: number;
}): string {
  return `${Buffer.from(tenantId, 'utf8').toString('base64url')}.${outboxId}.${signature(secret, tenantId, outboxId)}`;
}

/** The message a reference names, or null when it is malformed or was not signed with `secret`. */
export function readBounceReference({
  secret,
  reference,
}: {
  secret: string;
  reference: string;
}): { tenantId: string; outboxId: number } | null {
  const match = /^([A-Za-z0-9_-]+)\.(\d{1,15})\.([A-Za-z0-9_-]{22})$/.exec(reference.trim());
  if (!match) return null;
  const [, tenantPart, idPart, given] = match as unknown as [string, string, string, string];
  const tenantId = Buffer.from(tenantPart, 'base64url').toString('utf8');
  const outboxId = Number(idPart);
  const expected = Buffer.from(signature(secret, tenantId, outboxId));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { tenantId, outboxId };
}
