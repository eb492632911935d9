/**
 * The portfolio as the domain sees it: one record type per canonical CSV file
 * (`../shared/DATA-CONTRACT.md` section 1), already validated and typed. Money is integer minor units
 * beside its ISO 4217 currency; dates are `YYYY-MM-DD`; an unknown value is `null`.
 */
import type { CalendarDate } from './calendar.ts';

export const SEGMENTS = ['enterprise', 'mid_market', 'smb'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const CONTRACT_STATUSES = ['active', 'renewed', 'churned', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const SURVEY_KINDS = ['nps', 'csat'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const STAKEHOLDER_ROLES = [
  'user',
  'champion',
  'economic_buyer',
  'decision_maker',
  'procurement',
  'legal',
  'technical',
  'executive_sponsor',
] as const;
export type StakeholderRole = (typeof STAKEHOLDER_ROLES)[number];

export const STRENGTHS = ['strong', 'medium', 'weak'] as const;
export type Strength = (typeof STRENGTHS)[number];

export const STANCES = ['supporter', 'neutral', 'detractor'] as const;
export type Stance = (typeof STANCES)[number];

export const SIGNAL_KINDS = [
  'competitor_evaluation',
  'leadership_change',
  'acquisition',
  'budget_freeze',
  'expansion_interest',
  'usage_near_limit',
  'major_incident',
  'price_increase_announced',
  'major_release',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const RENEWAL_OUTCOMES = ['won', 'lost', 'pending'] as const;
export type RenewalOutcome = (typeof RENEWAL_OUTCOMES)[number];

export const USER_ROLES = [
  'admin',
  'manager',
  'csm',
  'sales',
  'specialist',
  'finance',
  'executive',
  'viewer',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

export type AccountRecord = {
  accountId: string;
  name: string;
  industry: string | null;
  country: string | null;
  currency: string;
  fiscalYearStartMonth: number;
  segmentOverride: Segment | null;
  strategic: boolean;
  ownerCsm: string | null;
  ownerSales: string | null;
  timezone: string;
  /** Extra columns of accounts.csv (a CRM's custom fields), kept as text. */
  attributes: Record<string, string>;
};

export type ContractRecord = {
  contractId: string;
  accountId: string;
  startDate: CalendarDate;
  endDate: CalendarDate;
  arrMinor: number;
  currency: string;
  seats: number | null;
  autoRenew: boolean;
  paymentOnFile: boolean;
  noticeDays: number | null;
  status: ContractStatus;
  previousContractId: string | null;
};

export type UsageRecord = {
  accountId: string;
  date: CalendarDate;
  activeUsers: number;
  licensedSeats: number | null;
  coreFeatureAdoptionPct: number | null;
};

export type TicketRecord = {
  ticketId: string;
  accountId: string;
  openedOn: CalendarDate;
  closedOn: CalendarDate | null;
  priority: TicketPriority;
  csat: number | null;
};

export type SurveyRecord = {
  accountId: string;
  date: CalendarDate;
  kind: SurveyKind;
  score: number;
  comment: string | null;
};

export type StakeholderRecord = {
  stakeholderId: string;
  accountId: string;
  name: string;
  email: string | null;
  role: StakeholderRole;
  strength: Strength | null;
  stance: Stance | null;
  lastContactOn: CalendarDate | null;
  leftOn: CalendarDate | null;
};

export type SignalRecord = {
  accountId: string;
  date: CalendarDate;
  kind: SignalKind;
  note: string | null;
};

export type RenewalRecord = {
  contractId: string;
  outcome: RenewalOutcome;
  closedOn: CalendarDate | null;
  stage: string | null;
  renewedArrMinor: number | null;
  termYears: number | null;
  reasons: string[];
  competitor: string | null;
  signedDaysEarly: number | null;
};

export type UserRecord = {
  userId: string;
  name: string;
  email: string;
  role: UserRole;
  managerId: string | null;
};

/** Everything the engine needs to evaluate one account, gathered from CSVs or from the store. */
export type AccountSnapshot = {
  account: AccountRecord;
  contracts: ContractRecord[];
  usage: UsageRecord[];
  tickets: TicketRecord[];
  surveys: SurveyRecord[];
  stakeholders: StakeholderRecord[];
  signals: SignalRecord[];
  /** Renewal records (closed history and the current stage) keyed by contract id. */
  renewals: RenewalRecord[];
};
