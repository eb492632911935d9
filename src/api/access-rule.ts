/**
 * Access rules: every route declares one in `config.access`. A route is either public (with the
 * reason written down) or names the roles it admits, the token scope it needs, and — for routes on
 * one record — which record its id param names and whether only the record's editors may call it.
 */
import type { Role, Scope } from '../auth/roles.ts';
import type { RecordKind } from '../engine/queries/record-scope.ts';

export type AccessRule =
  | { public: true; why: string }
  | {
      public?: false;
      roles: readonly Role[];
      scope: Scope;
      record?: { kind: RecordKind; param: string };
      /** Only the record's owners, their managers and admins (see `mayEdit`). */
      editorsOnly?: boolean;
    };

export function publicRoute(why: string): AccessRule {
  return { public: true, why };
}

export function allow(
  roles: readonly Role[],
  scope: Scope,
  options: { record?: { kind: RecordKind; param: string }; editorsOnly?: boolean } = {},
): AccessRule {
  return { roles, scope, ...options };
}
