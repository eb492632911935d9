/**
 * Deterministic builders of valid domain records for tests: each takes overrides of its own fields.
 * Defaults describe one plain account: A-1, a USD 50,000 contract for 100 seats ending 2026-12-31.
 */
import { addDays, type CalendarDate } from './calendar.ts';
import type {
  AccountRecord,
  AccountSnapshot,
  ContractRecord,
  RenewalRecord,
  SignalRecord,
  StakeholderRecord,
  SurveyRecord,
  TicketRecord,
  UsageRecord,
} from './records.ts';

export function makeAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    accountId: 'A-1',
    name: 'Acme Corp',
    industry: null,
    country: 'US',
    currency: 'USD',
    fiscalYearStartMonth: 1,
    segmentOverride: null,
    strategic: false,
    ownerCsm: 'U-csm',
    ownerSales: 'U-sales',
    timezone: 'UTC',
    attributes: {},
    ...overrides,
  };
}

export function makeContract(overrides: Partial<ContractRecord> = {}): ContractRecord {
  return {
    contractId: 'C-1',
    accountId: 'A-1',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    arrMinor: 5_000_000,
    currency: 'USD',
    seats: 100,
    autoRenew: false,
    paymentOnFile: false,
    noticeDays: null,
    status: 'active',
    previousContractId: null,
    ...overrides,
  };
}

export function makeUsage(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    accountId: 'A-1',
    date: '2026-09-01',
    activeUsers: 80,
    licensedSeats: 100,
    coreFeatureAdoptionPct: 70,
    ...overrides,
  };
}

export type WeeklyUsageOptions = {
  accountId?: string;
  /** The last (most recent) week's date; weeks go back from it. */
  until: CalendarDate;
  weeks: number;
  /** Active users per week, by index from the oldest week (0) to the latest (weeks − 1). */
  activeUsers: number | ((week: number) => number);
  licensedSeats?: number | null;
  coreFeatureAdoptionPct?: number | null;
};

/** One usage record per week, oldest first. */
export function weeklyUsage({
  accountId = 'A-1',
  until,
  weeks,
  activeUsers,
  licensedSeats = 100,
  coreFeatureAdoptionPct = 70,
}: WeeklyUsageOptions): UsageRecord[] {
  const records: UsageRecord[] = [];
  for (let week = 0; week < weeks; week += 1) {
    records.push({
      accountId,
      date: addDays(until, -7 * (weeks - 1 - week)),
      activeUsers: typeof activeUsers === 'number' ? activeUsers : activeUsers(week),
      licensedSeats,
      coreFeatureAdoptionPct,
    });
  }
  return records;
}

export function makeTicket(overrides: Partial<TicketRecord> = {}): TicketRecord {
  return {
    ticketId: 'T-1',
    accountId: 'A-1',
    openedOn: '2026-09-01',
    closedOn: '2026-09-03',
    priority: 'normal',
    csat: null,
    ...overrides,
  };
}

export function makeSurvey(overrides: Partial<SurveyRecord> = {}): SurveyRecord {
  return { accountId: 'A-1', date: '2026-09-01', kind: 'nps', score: 8, comment: null, ...overrides };
}

export function makeStakeholder(overrides: Partial<StakeholderRecord> = {}): StakeholderRecord {
  return {
    stakeholderId: 'S-1',
    accountId: 'A-1',
    name: 'Jane Doe',
    email: 'jane@example.com',
    role: 'champion',
    strength: 'strong',
    stance: 'supporter',
    lastContactOn: '2026-09-01',
    leftOn: null,
    ...overrides,
  };
}

export function makeSignal(overrides: Partial<SignalRecord> = {}): SignalRecord {
  return { accountId: 'A-1', date: '2026-09-01', kind: 'expansion_interest', note: null, ...overrides };
}

export function makeRenewal(overrides: Partial<RenewalRecord> = {}): RenewalRecord {
  return {
    contractId: 'C-1',
    outcome: 'pending',
    closedOn: null,
    stage: null,
    renewedArrMinor: null,
    termYears: null,
    reasons: [],
    competitor: null,
    signedDaysEarly: null,
    ...overrides,
  };
}

export type SnapshotOverrides = Partial<Omit<AccountSnapshot, 'account'>> & {
  account?: Partial<AccountRecord>;
};

/** An account with one default contract and no activity, unless overridden. */
export function makeSnapshot(overrides: SnapshotOverrides = {}): AccountSnapshot {
  const account = makeAccount(overrides.account);
  return {
    account,
    contracts: overrides.contracts ?? [makeContract({ accountId: account.accountId })],
    usage: overrides.usage ?? [],
    tickets: overrides.tickets ?? [],
    surveys: overrides.surveys ?? [],
    stakeholders: overrides.stakeholders ?? [],
    signals: overrides.signals ?? [],
    renewals: overrides.renewals ?? [],
  };
}

/** The well-run stakeholder map of a healthy account: champion, sponsor, economic buyer, user. */
export function healthyStakeholders(lastContactOn: CalendarDate): StakeholderRecord[] {
  return [
    makeStakeholder({ stakeholderId: 'S-1', name: 'Jane Doe', role: 'champion', lastContactOn }),
    makeStakeholder({ stakeholderId: 'S-2', name: 'Raj Patel', role: 'executive_sponsor', lastContactOn }),
    makeStakeholder({ stakeholderId: 'S-3', name: 'Mia Chen', role: 'economic_buyer', lastContactOn }),
    makeStakeholder({
      stakeholderId: 'S-4',
      name: 'Tom Berg',
      role: 'user',
      stance: 'neutral',
      lastContactOn,
    }),
  ];
}

/**
 * A healthy account as of `asOf`: a year of steady weekly usage at 85 of 100 seats, a promoter NPS,
 * a full stakeholder map contacted a week ago, no tickets, no risk events.
 */
export function makeHealthySnapshot(asOf: CalendarDate, overrides: SnapshotOverrides = {}): AccountSnapshot {
  return makeSnapshot({
    usage: weeklyUsage({ until: asOf, weeks: 52, activeUsers: 85, coreFeatureAdoptionPct: 75 }),
    surveys: [makeSurvey({ date: addDays(asOf, -30), kind: 'nps', score: 9 })],
    stakeholders: healthyStakeholders(addDays(asOf, -7)),
    ...overrides,
  });
}
