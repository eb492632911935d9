/**
 * Who may do what. Route-level rules name the roles a route admits; record-level rules decide who
 * may change a given renewal or task (its owners, their managers, admins); field-level rules decide
 * which fields a role may write at all.
 */
import { USER_ROLES, type UserRole } from '../domain/records.ts';

export type Role = UserRole;
export const ROLES: readonly Role[] = USER_ROLES;

/** What an API token may be used for; a session carries every scope its role allows. */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The authenticated caller. The tenant comes from here only, never from the request. */
export type Principal = {
  tenantId: string;
  userId: string;
  role: Role;
  name: string;
  email: string;
  via: 'session' | 'token';
  scopes: readonly Scope[];
  /** sha256 of the session id (sessions) or the token row id (tokens). */
  credentialId: string;
  csrfToken: string | null;
};

/** Everyone signed in. */
export const ALL_ROLES: readonly Role[] = ROLES;
/** Roles that work renewals; a record-level check then limits them to their own (or their team's). */
export const EDITOR_ROLES: readonly Role[] = ['admin', 'manager', 'csm', 'sales', 'specialist'];
/** Roles that may reassign owners and write booked ARR. */
export const MANAGING_ROLES: readonly Role[] = ['admin', 'manager'];
export const ADMIN_ONLY: readonly Role[] = ['admin'];

/** The people on a record: its owners and the managers of those owners. */
export type RecordScope = { owners: readonly string[]; managers: readonly string[] };

/**
 * May this caller change a record with this scope? Admins always; managers when they or their
 * reports own it; csm, sales and specialists when they own it; nobody else.
 */
export function mayEdit(principal: Pick<Principal, 'role' | 'userId'>, scope: RecordScope): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'manager':
      return scope.owners.includes(principal.userId) || scope.managers.includes(principal.userId);
    case 'csm':
    case 'sales':
    case 'specialist':
      return scope.owners.includes(principal.userId);
    default:
      return false;
  }
}

export type FieldRule = { writableBy: readonly Role[]; why: string };

/**
 * Checks a write against field rules: which given fields are not known at all, and which the role
 * may not write. Callers refuse the whole write when either list is non-empty (nothing changes).
 */
export function checkFields(
  role: Role,
  given: readonly string[],
  rules: Readonly<Record<string, FieldRule>>,
): { unknown: string[]; forbidden: { field: string; why: string }[] } {
  const unknown: string[] = [];
  const forbidden: { field: string; why: string }[] = [];
  for (const field of given) {
    const rule = rules[field];
    if (!rule) unknown.push(field);
    else if (!rule.writableBy.includes(role)) forbidden.push({ field, why: rule.why });
  }
  return { unknown, forbidden };
}
