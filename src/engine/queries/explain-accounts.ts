/**
 * Evaluates a few accounts live, as of a day, for the screens that explain a renewal: health drivers
 * with the way back to green, risk evidence, the milestone plan, early-renewal qualification with its
 * reasons, and recent signals. The daily run stores scores, not explanations; this recomputes them for
 * the handful of accounts a person is looking at (never a whole book per request).
 */
import type { CalendarDate } from '../../domain/calendar.ts';
import { type AccountEvaluation, evaluateAccount } from '../../domain/evaluate-account.ts';
import type { SignalRecord } from '../../domain/records.ts';
import type { SqlSession } from '../../store/store.ts';
import { specialistsOf } from '../evaluate-portfolio.ts';
import { loadStoreSnapshots, loadUsers } from '../load-store-snapshots.ts';
import { loadPolicy } from '../policy-store.ts';

export type ExplainedAccount = { evaluation: AccountEvaluation; signals: SignalRecord[] };

export type ExplainAccountsOptions = {
  session: SqlSession;
  tenantId: string;
  accountIds: readonly string[];
  asOf: CalendarDate;
};

export async function explainAccounts({
  session,
  tenantId,
  accountIds,
  asOf,
}: ExplainAccountsOptions): Promise<Map<string, ExplainedAccount>> {
  const explained = new Map<string, ExplainedAccount>();
  if (accountIds.length === 0) return explained;
  const { policy } = await loadPolicy(session, tenantId);
  const specialists = specialistsOf(await loadUsers(session, tenantId));
  for await (const batch of loadStoreSnapshots({ session, tenantId, asOf, accountIds })) {
    for (const snapshot of batch) {
      explained.set(snapshot.account.accountId, {
        evaluation: evaluateAccount({ snapshot, policy, asOf, specialists }),
        signals: snapshot.signals
          .filter((signal) => signal.date <= asOf)
          .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
          .slice(0, 20),
      });
    }
  }
  return explained;
}
