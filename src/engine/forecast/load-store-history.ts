/**
 * A tenant's whole history from the store (every dated record, not the engine's look-back window), for
 * the forecasting commands that replay the past.
 */
import type { AccountSnapshot } from '../../domain/records.ts';
import type { SqlSession } from '../../store/store.ts';
import { loadStoreSnapshots, loadUsers } from '../load-store-snapshots.ts';
import type { PortfolioHistory } from './portfolio-history.ts';

export type LoadStoreHistoryOptions = {
  session: SqlSession;
  tenantId: string;
  /** Only these accounts; every account when omitted. */
  accountIds?: readonly string[];
  batchSize?: number;
};

export async function loadStoreHistory({
  session,
  tenantId,
  accountIds,
  batchSize = 2000,
}: LoadStoreHistoryOptions): Promise<PortfolioHistory> {
  const snapshots: AccountSnapshot[] = [];
  for await (const batch of loadStoreSnapshots({ session, tenantId, accountIds, batchSize }))
    snapshots.push(...batch);
  return { snapshots, users: await loadUsers(session, tenantId), warnings: [] };
}
