/**
 * Personal API tokens for integrations: `prn_` + 32 random bytes, shown once; only the sha256 is
 * stored. A token acts as its user (role re-read on every request) within its scopes.
 */
import type { SqlSession } from '../store/store.ts';
import type { Principal, Role, Scope } from './roles.ts';
import { randomSecret, sha256Hex } from './secrets.ts';

export const TOKEN_PREFIX = 'prn_';

export type ApiTokenInfo = {
  id: number;
  userId: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

type TokenRow = {
  id: number;
  user_id: string;
  name: string;
  scopes: string[];
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
};

const iso = (value: Date | string | null) =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();

function toInfo(row: TokenRow): ApiTokenInfo {
  return {
    id: Number(row.id),
    userId: row.user_id,
    name: row.name,
    scopes: row.scopes as Scope[],
    createdAt: iso(row.created_at)!,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

export async function createApiToken({
  session,
  tenantId,
  userId,
  name,
  scopes,
  now,
}: {
  session: SqlSession;
  tenantId: string;
  userId: string;
  name: string;
  scopes: readonly Scope[];
  now: Date;
}): Promise<{ token: string; info: ApiTokenInfo }> {
  const token = randomSecret(TOKEN_PREFIX, 32);
  const [row] = await session.query<TokenRow>(
    `INSERT INTO api_tokens (tenant_id, user_id, name, token_hash, scopes, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, user_id, name, scopes, created_at, last_used_at, revoked_at`,
    [tenantId, userId, name, sha256Hex(token), [...new Set(scopes)], now.toISOString()],
  );
  return { token, info: toInfo(row!) };
}

export async function listApiTokens(
  session: SqlSession,
  tenantId: string,
  userId: string | null,
): Promise<ApiTokenInfo[]> {
  const rows = await session.query<TokenRow>(
    `SELECT id, user_id, name, scopes, created_at, last_used_at, revoked_at FROM api_tokens
      WHERE tenant_id = $1 AND ($2::text IS NULL OR user_id = $2) ORDER BY id`,
    [tenantId, userId],
  );
  return rows.map(toInfo);
}

export async function findApiToken(
  session: SqlSession,
  tenantId: string,
  id: number,
): Promise<ApiTokenInfo | null> {
  const [row] = await session.query<TokenRow>(
    `SELECT id, user_id, name, scopes, created_at, last_used_at, revoked_at FROM api_tokens
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return row ? toInfo(row) : null;
}

/** Revokes a token of the tenant; false when there is no such (unrevoked) token. */
export async function revokeApiToken(
  session: SqlSession,
  tenantId: string,
  id: number,
  now: Date,
): Promise<boolean> {
  const changed = await session.execute(
    'UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL',
    [tenantId, id, now.toISOString()],
  );
  return changed > 0;
}

export async function revokeUserTokens(
  session: SqlSession,
  tenantId: string,
  userId: string,
  now: Date,
): Promise<number> {
  return session.execute(
    'UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL',
    [tenantId, userId, now.toISOString()],
  );
}

/** The user behind a bearer token, or null (unknown, revoked, or user disabled). */
export async function findTokenPrincipal(
  session: SqlSession,
  token: string,
  now: Date,
): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await session.query<{
    id: number;
    tenant_id: string;
    user_id: string;
    scopes: string[];
    role: string;
    name: string;
    email: string;
    last_used_at: Date | string | null;
  }>(
    `SELECT t.id, t.tenant_id, t.user_id, t.scopes, u.role, u.name, u.email, t.last_used_at
       FROM api_tokens t JOIN users u ON u.tenant_id = t.tenant_id AND u.user_id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled`,
    [sha256Hex(token)],
  );
  if (!row) return null;
  const lastUsed = row.last_used_at === null ? 0 : new Date(row.last_used_at).getTime();
  if (now.getTime() - lastUsed > 60_000) {
    // At most one write a minute per token: busy integrations do not turn every read into a write.
    await session.execute('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [
      row.id,
      now.toISOString(),
    ]);
  }
  return {
    tenantId: row.tenant_id,
    userId: row.user_id,
    role: row.role as Role,
    name: row.name,
    email: row.email,
    via: 'token',
    scopes: row.scopes as Scope[],
    credentialId: String(row.id),
    csrfToken: null,
  };
}
