/** The people of a workspace, for pickers and admin screens (never password hashes). */
import type { SqlSession } from '../../store/store.ts';
import { decodeCursor, type Page, params, toPage } from './page.ts';

export type UserView = {
  userId: string;
  name: string;
  email: string;
  role: string;
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

const USER_SELECT = `SELECT user_id, name, email, role, manager_id, disabled, password_hash IS NOT NULL AS can_sign_in, locale
  FROM users`;

function toUserView(row: UserRow): UserView {
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role,
    managerId: row.manager_id,
    disabled: row.disabled,
    canSignIn: row.can_sign_in,
    locale: row.locale,
  };
}

export async function listUsers({
  session,
  tenantId,
  filters,
  cursor = null,
  limit,
}: {
  session: SqlSession;
  tenantId: string;
  filters: {
    role?: string | undefined;
    managerId?: string | undefined;
    includeDisabled?: boolean | undefined;
  };
  cursor?: string | null;
  limit: number;
}): Promise<Page<UserView>> {
  const { list, p } = params();
  const where = [`tenant_id = ${p(tenantId)}`];
  if (filters.role) where.push(`role = ${p(filters.role)}`);
  if (filters.managerId) where.push(`manager_id = ${p(filters.managerId)}`);
  if (!filters.includeDisabled) where.push('NOT disabled');
  if (cursor) {
    const [id] = decodeCursor(cursor, 1);
    where.push(`user_id > ${p(String(id))}`);
  }
  const rows = await session.query<UserRow>(
    `${USER_SELECT} WHERE ${where.join(' AND ')} ORDER BY user_id LIMIT ${p(limit + 1)}`,
    list,
  );
  return toPage(rows, limit, (row) => [row.user_id], toUserView);
}

export async function getUser(
  session: SqlSession,
  tenantId: string,
  userId: string,
): Promise<UserView | null> {
  const [row] = await session.query<UserRow>(`${USER_SELECT} WHERE tenant_id = $1 AND user_id = $2`, [
    tenantId,
    userId,
  ]);
  return row ? toUserView(row) : null;
}
