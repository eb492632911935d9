/**
 * Evaluates a set of account snapshots with one policy as of one date: the shared core of the
 * dry-run `evaluate` and the daily run.
 */
import type { CalendarDate } from '../domain/calendar.ts';
import { type AccountEvaluation, evaluateAccount } from '../domain/evaluate-account.ts';
import type { Policy } from '../domain/policy/policy-schema.ts';
import type { AccountSnapshot, UserRecord } from '../domain/records.ts';

export function specialistsOf(users: readonly UserRecord[]): string[] {
  return users
    .filter((user) => user.role === 'specialist')
    .map((user) => user.userId)
    .sort();
}

export function evaluatePortfolio({
  snapshots,
  policy,
  asOf,
  specialists,
}: {
  snapshots: readonly AccountSnapshot[];
  policy: Policy;
  asOf: CalendarDate;
  specialists: readonly string[];
}): AccountEvaluation[] {
  return snapshots.map((snapshot) => evaluateAccount({ snapshot, policy, asOf, specialists }));
}

export type EvaluationDocument = {
  asOf: CalendarDate;
  policy: { name: string; version: string };
  accounts: AccountEvaluation[];
};

export function evaluationDocument(
  asOf: CalendarDate,
  policy: Policy,
  accounts: AccountEvaluation[],
): EvaluationDocument {
  return { asOf, policy: { name: policy.name, version: policy.version }, accounts };
}
