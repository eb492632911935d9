/**
 * Unsubscribe links for customer sequences: the token names the tenant and the address and carries an
 * HMAC-SHA256 over both, so a link cannot be edited to opt someone else out. The API route that
 * receives it calls `readUnsubscribeToken` and then `recordOptOut`; deliveries skip opted-out
 * addresses (status `opted_out`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SqlSession } from '../store/store.ts';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const unb64 = (text: string) => Buffer.from(text, 'base64url').toString('utf8');

function signature(secret: string, tenantId: string, email: string): string {
  return createHmac('sha256', secret).update(`unsubscribe\n${tenantId}\n${email}`).digest('base64url');
}

export function unsubscribeToken({
  secret,
  tenantId,
  email,
}: {
  secret: string;
  tenantId: string;
  email: string;
}): string {
  const address = email.toLowerCase();
  return `${b64(tenantId)}.${b64(address)}.${signature(secret, tenantId, address)}`;
}

/** The tenant and address a token names, or null when it was not signed with `secret`. */
export function readUnsubscribeToken({
  secret,
  token,
}: {
  secret: string;
  token: string;
}): { tenantId: string; email: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [tenantPart, emailPart, given] = parts as [string, string, string];
  const tenantId = unb64(tenantPart);
  const email = unb64(emailPart);
  const expected = Buffer.from(signature(secret, tenantId, email));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { tenantId, email };
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** Records an opt-out (idempotent) and marks the address's queued customer emails `opted_out`. */
export async function recordOptOut({
  session,
  tenantId,
  email,
  source,
}: {
  session: SqlSession;
  tenantId: string;
  email: string;
  source: string;
}): Promise<{ withdrawn: number }> {
  const address = email.trim().toLowerCase();
  await session.execute(
    `INSERT INTO email_opt_outs (tenant_id, email, source) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, email) DO NOTHING`,
    [tenantId, address, source],
  );
  const withdrawn = await session.execute(
    `UPDATE outbox SET status = 'opted_out', last_error = 'recipient opted out'
      WHERE tenant_id = $1 AND kind = 'customer_email' AND status = 'queued' AND lower(recipient) = $2`,
    [tenantId, address],
  );
  return { withdrawn };
}
