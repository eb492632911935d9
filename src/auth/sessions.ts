/**
 * Sign-in sessions. The cookie carries a random id; the table keeps only its sha256, so a database
 * leak does not hand out live sessions. Every request re-reads the session and its user, so logout
 * and disabling a user take effect on the next request.
 */
import type { SqlSession } from '../store/store.ts';
import type { Principal, Role } from './roles.ts';
import { randomSecret, sha256Hex } from './secrets.ts';

/** Absolute session lifetime. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type NewSession = { id: string; csrfToken: string; expiresAt: Date };

export async function createSession({
  session,
  tenantId,
  userId,
  now,
}: {
  session: SqlSession;
  tenantId: string;
  userId: string;
  now: Date;
}): Promise<NewSession> {
  const id = randomSecret('', 32);
  const csrfToken = randomSecret('', 24);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await session.execute(
    `INSERT INTO sessions (id_hash, tenant_id, user_id, csrf_token, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [sha256Hex(id), tenantId, userId, csrfToken, now.toISOString(), expiresAt.toISOString()],
  );
  return { id, csrfToken, expiresAt };
}

type PrincipalRow = {
  tenant_id: string;
  user_id: string;
  role: string;
  name: string;
  email: string;
  csrf_token: string;
};

/** The signed-in user behind a session id, or null (unknown, expired, revoked, or user disabled). */
export async function findSessionPrincipal(
  session: SqlSession,
  id: string,
  now: Date,
): Promise<Principal | null> {
  const idHash = sha256Hex(id);
  const [row] = await session.query<PrincipalRow>(
    `SELECT s.tenant_id, s.user_id, u.role, u.name, u.email, s.csrf_token
       FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.user_id = s.user_id
      WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND NOT u.disabled`,
    [idHash, now.toISOString()],
  );
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    userId: row.user_id,
    role: row.role as Role,
    name: row.name,
    email: row.email,
    via: 'session',
    scopes: ['read', 'write', 'admin'],
    credentialId: idHash,
    csrfToken: row.csrf_token,
  };
}

export async function revokeSession(session: SqlSession, id: string, now: Date): Promise<void> {
  await session.execute('UPDATE sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL', [
    sha256Hex(id),
    now.toISOString(),
  ]);
}

export async function revokeUserSessions(
  session: SqlSession,
  tenantId: string,
  userId: string,
  now: Date,
): Promise<number> {
  return session.execute(
    'UPDATE sessions SET revoked_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL',
    [tenantId, userId, now.toISOString()],
  );
}
