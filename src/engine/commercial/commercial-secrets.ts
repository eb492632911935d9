/**
 * Per-installation secrets of the commercial flow, derived like the unsubscribe secret
 * (`src/mail/mail-settings.ts`): from `PERENNIAL_SECRET`, else from the store location, so every
 * process of one installation derives the same value.
 * - the signature webhook secret: providers sign the raw request body with it (HMAC-SHA256);
 * - the acceptance-link secret: one-click acceptance links carry an HMAC over proposal id + expiry.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config/config.ts';

type SecretSource = Pick<Config, 'databaseUrl' | 'dataDir' | 'secret'>;

function derive(purpose: string, config: SecretSource): string {
  return createHash('sha256')
    .update(`perennial-${purpose}\n${config.secret ?? config.databaseUrl ?? config.dataDir}`)
    .digest('hex');
}

export function signatureWebhookSecret(config: SecretSource): string {
  return derive('signature-webhook', config);
}

export function acceptanceLinkSecret(config: SecretSource): string {
  return derive('acceptance-link', config);
}

/** The `X-Signature` header value for a raw body: `sha256=<hex>`. */
export function signWebhookPayload(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Constant-time check of an `X-Signature` header against the raw body. */
export function verifyWebhookPayload(secret: string, rawBody: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookPayload(secret, rawBody), 'utf8');
  const given = Buffer.from(header.trim(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Days a one-click acceptance link stays valid by default. */
export const ACCEPTANCE_LINK_DAYS = 14;

function acceptanceMac(secret: string, proposalId: number, expiresAt: number): string {
  return createHmac('sha256', secret).update(`accept\n${proposalId}\n${expiresAt}`).digest('base64url');
}

/** `<proposalId>.<expiry epoch seconds>.<mac>` — URL-safe, no database row needed. */
export function acceptanceToken(secret: string, proposalId: number, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${proposalId}.${expires}.${acceptanceMac(secret, proposalId, expires)}`;
}

/** The proposal an acceptance token names, or why not (`invalid`, `expired`). */
export function readAcceptanceToken(
  secret: string,
  token: string,
  now: Date,
): { ok: true; proposalId: number; expiresAt: Date } | { ok: false; problem: 'invalid' | 'expired' } {
  const match = /^(\d{1,15})\.(\d{1,12})\.([\w-]{43})$/.exec(token);
  if (!match) return { ok: false, problem: 'invalid' };
  const proposalId = Number(match[1]);
  const expires = Number(match[2]);
  const expected = Buffer.from(acceptanceMac(secret, proposalId, expires));
  const given = Buffer.from(match[3]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, problem: 'invalid' };
  if (now.getTime() > expires * 1000) return { ok: false, problem: 'expired' };
  return { ok: true, proposalId, expiresAt: new Date(expires * 1000) };
}
