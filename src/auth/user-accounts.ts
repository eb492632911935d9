/**
 * People who can sign in: adding them (or giving an imported person a password), disabling them, and
 * the first admin of a fresh install. The CLI and the API both come through here.
 */
import { writeAuditEntry } from '../engine/queries/audit-trail.ts';
import type { SqlSession, Store } from '../store/store.ts';
import { revokeUserTokens } from './api-tokens.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import type { Role } from './roles.ts';
import { randomSecret } from './secrets.ts';
import { revokeUserSessions } from './sessions.ts';

export type AuthErrorCode =
  | 'user_exists'
  | 'user_not_found'
  | 'password_too_short'
  | 'unknown_manager'
  | 'invalid_input';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export type UserSummary = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  managerId: string | null;
  disabled: boolean;
  canSignIn: boolean;
  locale: string;
};

type UserRow = {
  user_id: string;
  name: string;
  email: string;
  role: string;
  manager_id: string | null;
  disabled: boolean;
  can_sign_in: boolean;
  locale: string;
};

export const USER_COLUMNS =
  'user_id, name, email, role, manager_id, disabled, password_hash IS NOT NULL AS can_sign_in, locale';

export function toUserSummary(row: UserRow): UserSummary {
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role as Role,
    managerId: row.manager_id,
    disabled: row.disabled,
    canSignIn: row.can_sign_in,
    locale: row.locale,
  };
}

export async function findUserByEmail(
  session: SqlSession,
  tenantId: string,
  email: string,
): Promise<UserSummary | null> {
  const [row] = await session.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND lower(email) = lower($2)`,
    [tenantId, email.trim()],
  );
  return row ? toUserSummary(row) : null;
}

/** The password hash of an enabled user, for sign-in; null hash when there is none. */
export async function findSignInCandidate(
  session: SqlSession,
  tenantId: string,
  email: string,
): Promise<{ userId: string; passwordHash: string | null } | null> {
  const [row] = await session.query<{ user_id: string; password_hash: string | null }>(
    'SELECT user_id, password_hash FROM users WHERE tenant_id = $1 AND lower(email) = lower($2) AND NOT disabled',
    [tenantId, email.trim()],
  );
  return row ? { userId: row.user_id, passwordHash: row.password_hash } : null;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AuthError('password_too_short', `password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

/** A readable id for people added outside a CSV import (`usr-` + 10 random characters). */
export function newUserId(): string {
  return `usr-${randomSecret('', 8).replace(/[-_]/g, 'x').slice(0, 10).toLowerCase()}`;
}

/**
 * Adds a user who can sign in. An imported person without a password (same email) is activated
 * instead, keeping their id; someone who can already sign in is refused (`user_exists`).
 */
export async function addUser({
  session,
  tenantId,
  email,
  name,
  role,
  password,
  managerId = null,
  userId,
}: {
  session: SqlSession;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  password: string | null;
  managerId?: string | null;
  userId?: string;
}): Promise<{ user: UserSummary; activated: boolean }> {
  if (password !== null) checkPassword(password);
  if (managerId !== null) {
    const [manager] = await session.query('SELECT 1 FROM users WHERE tenant_id = $1 AND user_id = $2', [
      tenantId,
      managerId,
    ]);
    if (!manager) throw new AuthError('unknown_manager', `no user ${managerId} to report to`);
  }
  const passwordHash = password === null ? null : await hashPassword(password);
  await session.execute('INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [
    tenantId,
  ]);
  const existing = await findUserByEmail(session, tenantId, email);
  if (existing) {
    if (existing.canSignIn) throw new AuthError('user_exists', `${email} already has an account`);
    const [row] = await session.query<UserRow>(
      `UPDATE users SET name = $3, role = $4, manager_id = coalesce($5, manager_id), password_hash = $6,
         disabled = false, updated_at = now()
       WHERE tenant_id = $1 AND user_id = $2 RETURNING ${USER_COLUMNS}`,
      [tenantId, existing.userId, name, role, managerId, passwordHash],
    );
    return { user: toUserSummary(row!), activated: true };
  }
  const [row] = await session.query<UserRow>(
    `INSERT INTO users (tenant_id, user_id, name, email, role, manager_id, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${USER_COLUMNS}`,
    [tenantId, userId ?? newUserId(), name, email.trim(), role, managerId, passwordHash],
  );
  return { user: toUserSummary(row!), activated: false };
}

export async function setPassword({
  session,
  tenantId,
  userId,
  password,
}: {
  session: SqlSession;
  tenantId: string;
  userId: string;
  password: string;
}): Promise<void> {
  checkPassword(password);
  const changed = await session.execute(
    'UPDATE users SET password_hash = $3, updated_at = now() WHERE tenant_id = $1 AND user_id = $2',
    [tenantId, userId, await hashPassword(password)],
  );
  if (changed === 0) throw new AuthError('user_not_found', `no user ${userId}`);
}

/** Disables a user: their sessions and tokens stop working on the next request (and are revoked). */
export async function disableUser({
  session,
  tenantId,
  email,
  now,
}: {
  session: SqlSession;
  tenantId: string;
  email: string;
  now: Date;
}): Promise<UserSummary> {
  const user = await findUserByEmail(session, tenantId, email);
  if (!user) throw new AuthError('user_not_found', `no user with email ${email}`);
  await session.execute(
    'UPDATE users SET disabled = true, updated_at = now() WHERE tenant_id = $1 AND user_id = $2',
    [tenantId, user.userId],
  );
  await revokeUserSessions(session, tenantId, user.userId, now);
  await revokeUserTokens(session, tenantId, user.userId, now);
  return { ...user, disabled: true };
}

/**
 * On first start: when the tenant has no admin who can sign in, creates one — from the configured
 * email and password, or with a generated password returned to be printed once.
 */
export async function ensureFirstAdmin({
  store,
  tenantId,
  admin,
  fallbackEmail,
}: {
  store: Store;
  tenantId: string;
  admin: { email: string; password: string | undefined } | undefined;
  fallbackEmail: string;
}): Promise<{ email: string; generatedPassword: string | null } | null> {
  return store.transaction(async (tx) => {
    const [existing] = await tx.query(
      `SELECT 1 FROM users WHERE tenant_id = $1 AND role = 'admin' AND password_hash IS NOT NULL AND NOT disabled`,
      [tenantId],
    );
    if (existing) return null;
    const email = admin?.email ?? fallbackEmail;
    const generatedPassword = admin?.password ? null : randomSecret('', 18);
    const password = admin?.password ?? generatedPassword!;
    const current = await findUserByEmail(tx, tenantId, email);
    if (current) {
      await tx.execute(
        `UPDATE users SET role = 'admin', disabled = false, updated_at = now() WHERE tenant_id = $1 AND user_id = $2`,
        [tenantId, current.userId],
      );
      await setPassword({ session: tx, tenantId, userId: current.userId, password });
    } else {
      await addUser({ session: tx, tenantId, email, name: 'Administrator', role: 'admin', password });
    }
    return { email, generatedPassword };
  });
}

export type UserChanges = {
  name?: string | undefined;
  role?: Role | undefined;
  managerId?: string | null | undefined;
  disabled?: boolean | undefined;
  locale?: string | undefined;
};

/**
 * An admin's change to a user, audited field by field; disabling also revokes the user's sessions
 * and tokens (they would stop working on the next request anyway).
 */
export async function updateUser({
  store,
  tenantId,
  userId,
  changes,
  actor,
  now,
}: {
  store: Store;
  tenantId: string;
  userId: string;
  changes: UserChanges;
  actor: string;
  now: Date;
}): Promise<UserSummary> {
  return store.transaction(async (tx) => {
    const [row] = await tx.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE`,
      [tenantId, userId],
    );
    if (!row) throw new AuthError('user_not_found', `no user ${userId}`);
    const current = toUserSummary(row);
    if (changes.managerId) {
      if (changes.managerId === userId)
        throw new AuthError('invalid_input', 'a user cannot report to themselves');
      const [manager] = await tx.query('SELECT 1 FROM users WHERE tenant_id = $1 AND user_id = $2', [
        tenantId,
        changes.managerId,
      ]);
      if (!manager) throw new AuthError('unknown_manager', `no user ${changes.managerId} to report to`);
    }
    if (changes.disabled === true && userId === actor) {
      throw new AuthError('invalid_input', 'you cannot disable yourself');
    }
    const next: UserSummary = {
      ...current,
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(changes.managerId === undefined ? {} : { managerId: changes.managerId }),
      ...(changes.disabled === undefined ? {} : { disabled: changes.disabled }),
      ...(changes.locale === undefined ? {} : { locale: changes.locale }),
    };
    const diff: Record<string, { old: unknown; new: unknown }> = {};
    for (const field of ['name', 'role', 'managerId', 'disabled', 'locale'] as const) {
      if (current[field] !== next[field]) diff[field] = { old: current[field], new: next[field] };
    }
    if (Object.keys(diff).length === 0) return current;
    await tx.execute(
      `UPDATE users SET name = $3, role = $4, manager_id = $5, disabled = $6, locale = $7, updated_at = $8
        WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId, next.name, next.role, next.managerId, next.disabled, next.locale, now.toISOString()],
    );
    if (diff.disabled && next.disabled) {
      await revokeUserSessions(tx, tenantId, userId, now);
      await revokeUserTokens(tx, tenantId, userId, now);
    }
    await writeAuditEntry(tx, {
      tenantId,
      at: now,
      actor,
      action: 'update',
      entity: 'user',
      entityId: userId,
      changes: diff,
    });
    return next;
  });
}
