/**
 * Brute-force lockout, kept in `login_failures` so every API process sees the same count: after
 * `maxPerEmail` failures for one email (or `maxPerIp` from one address) within the window, sign-in
 * is refused with 429 until the oldest counted failure leaves the window.
 */
import type { SqlSession } from '../store/store.ts';

export type LockoutPolicy = { windowMs: number; maxPerEmail: number; maxPerIp: number };

export const DEFAULT_LOCKOUT: LockoutPolicy = { windowMs: 15 * 60 * 1000, maxPerEmail: 5, maxPerIp: 50 };

/** Emails are compared case-insensitively; the key is per tenant so tenants do not lock each other. */
export function emailKey(tenantId: string, email: string): string {
  return `${tenantId}:${email.trim().toLowerCase()}`;
}

/** Seconds until sign-in is allowed again, or null when it is allowed now. */
export async function lockedFor({
  session,
  key,
  ip,
  now,
  policy = DEFAULT_LOCKOUT,
}: {
  session: SqlSession;
  key: string;
  ip: string;
  now: Date;
  policy?: LockoutPolicy;
}): Promise<number | null> {
  const since = new Date(now.getTime() - policy.windowMs).toISOString();
  const [row] = await session.query<{
    by_email: number;
    by_ip: number;
    email_unlock: string | null;
    ip_unlock: string | null;
  }>(
    `SELECT
       (SELECT count(*)::int FROM login_failures WHERE email_key = $1 AND at > $3) AS by_email,
       (SELECT count(*)::int FROM login_failures WHERE ip = $2 AND at > $3) AS by_ip,
       (SELECT at FROM login_failures WHERE email_key = $1 AND at > $3 ORDER BY at DESC OFFSET $4 - 1 LIMIT 1)::text AS email_unlock,
       (SELECT at FROM login_failures WHERE ip = $2 AND at > $3 ORDER BY at DESC OFFSET $5 - 1 LIMIT 1)::text AS ip_unlock`,
    [key, ip, since, policy.maxPerEmail, policy.maxPerIp],
  );
  if (!row) return null;
  const unlockAt = [
    row.by_email >= policy.maxPerEmail ? row.email_unlock : null,
    row.by_ip >= policy.maxPerIp ? row.ip_unlock : null,
  ]
    .filter((value): value is string => value !== null)
    .map((value) => new Date(value).getTime() + policy.windowMs);
  if (unlockAt.length === 0) return null;
  return Math.max(1, Math.ceil((Math.max(...unlockAt) - now.getTime()) / 1000));
}

export async function recordFailure(session: SqlSession, key: string, ip: string, now: Date): Promise<void> {
  await session.execute('INSERT INTO login_failures (email_key, ip, at) VALUES ($1, $2, $3)', [
    key,
    ip,
    now.toISOString(),
  ]);
}

export async function clearFailures(session: SqlSession, key: string): Promise<void> {
  await session.execute('DELETE FROM login_failures WHERE email_key = $1', [key]);
}
