/**
 * A tenant's portfolio with its whole history, as the forecasting commands read it (from CSVs or from
 * the store): every account snapshot with all its dated records, the users, and load warnings.
 */
import type { AccountSnapshot, UserRecord } from '../../domain/records.ts';

export type PortfolioHistory = { snapshots: AccountSnapshot[]; users: UserRecord[]; warnings: string[] };
