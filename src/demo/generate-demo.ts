/**
 * Writes a deterministic demo portfolio of the fictional vendor "Lumen Analytics" as the canonical
 * CSV files of DATA-CONTRACT §1, ready for `perennial import` or `perennial evaluate --input`.
 *
 * Accounts are generated one at a time and written in chunks through file streams that respect
 * backpressure, so memory stays flat whatever the account count (100K accounts ≈ 5M usage rows).
 * The same `seed`, `asOf` and `accounts` give byte-identical files, and account i's rows do not
 * depend on how many accounts were asked for.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { type CalendarDate, dateProblem } from '../domain/calendar.ts';
import { formatMinor } from '../domain/money.ts';
import type {
  AccountRecord,
  ContractRecord,
  RenewalRecord,
  SignalRecord,
  StakeholderRecord,
  SurveyRecord,
  TicketRecord,
  UsageRecord,
  UserRecord,
} from '../domain/records.ts';
import {
  buildDemoAccount,
  type DemoAccount,
  type DemoIdCounters,
  TROUBLED_STORIES,
} from './build-demo-account.ts';
import { buildDemoUsers } from './build-demo-users.ts';

/** Custom CRM fields written as extra accounts.csv columns. */
export const DEMO_ACCOUNT_ATTRIBUTES = ['plan', 'payment_method', 'onboarding_year'] as const;

/** Header of every file, exactly as DATA-CONTRACT §1 names the columns (accounts plus custom fields). */
export const DEMO_COLUMNS = {
  users: ['user_id', 'name', 'email', 'role', 'manager_id'],
  accounts: [
    'account_id',
    'name',
    'industry',
    'country',
    'currency',
    'fiscal_year_start_month',
    'segment_override',
    'strategic',
    'owner_csm',
    'owner_sales',
    'timezone',
    ...DEMO_ACCOUNT_ATTRIBUTES,
  ],
  contracts: [
    'contract_id',
    'account_id',
    'start_date',
    'end_date',
    'arr',
    'currency',
    'seats',
    'auto_renew',
    'payment_on_file',
    'notice_days',
    'status',
    'previous_contract_id',
  ],
  usage: ['account_id', 'date', 'active_users', 'licensed_seats', 'core_feature_adoption_pct'],
  tickets: ['ticket_id', 'account_id', 'opened_on', 'closed_on', 'priority', 'csat'],
  surveys: ['account_id', 'date', 'kind', 'score', 'comment'],
  stakeholders: [
    'stakeholder_id',
    'account_id',
    'name',
    'email',
    'role',
    'strength',
    'stance',
    'last_contact_on',
    'left_on',
  ],
  signals: ['account_id', 'date', 'kind', 'note'],
  renewals: [
    'contract_id',
    'outcome',
    'closed_on',
    'stage',
    'renewed_arr',
    'term_years',
    'reasons',
    'competitor',
    'signed_days_early',
  ],
} as const satisfies Record<string, readonly string[]>;

export type DemoFile = keyof typeof DEMO_COLUMNS;
export const DEMO_FILES = Object.keys(DEMO_COLUMNS) as DemoFile[];

export type GenerateDemoOptions = {
  accounts: number;
  seed: number;
  asOf: CalendarDate;
  outputDir: string;
  /** The vendor whose staff appear in users.csv (e-mail domain); default "Lumen Analytics". */
  tenantName?: string;
  /** Called after each chunk with the total number of data rows written so far. */
  onProgress?: (rowsWritten: number) => void;
};

export type DemoSummary = {
  outputDir: string;
  /** Absolute or as-given path of each written file. */
  files: Record<DemoFile, string>;
  /** Data rows (without the header) per file. */
  counts: Record<DemoFile, number>;
  totalRows: number;
  accounts: { total: number; active: number; churned: number; troubled: number };
};

export const ZGenerateDemoOptions = z.object({
  accounts: z.number().int().min(0).max(5_000_000),
  seed: z.number().int().min(-0x8000_0000).max(0xffff_ffff),
  asOf: z.string().refine((value) => dateProblem(value) === null, { message: 'asOf must be YYYY-MM-DD' }),
  outputDir: z.string().min(1),
  tenantName: z.string().min(1).optional(),
});

export class DemoOptionsError extends Error {
  readonly code = 'demo_invalid_options';
  constructor(readonly problems: string[]) {
    super(`invalid demo options: ${problems.join('; ')}`);
    this.name = 'DemoOptionsError';
  }
}

/** Accounts generated per write; bounds memory (a chunk holds ~50 rows per account). */
const CHUNK_ACCOUNTS = 250;

type Cell = string;
type Row = Cell[];

const text = (value: string | null): Cell => value ?? '';
const int = (value: number | null): Cell => (value === null ? '' : String(value));
const bool = (value: boolean): Cell => (value ? 'true' : 'false');
const amount = (minor: number | null, currency: string): Cell =>
  minor === null ? '' : formatMinor(minor, currency);

function userRow(user: UserRecord): Row {
  return [user.userId, user.name, user.email, user.role, text(user.managerId)];
}

function accountRow(account: AccountRecord): Row {
  return [
    account.accountId,
    account.name,
    text(account.industry),
    text(account.country),
    account.currency,
    String(account.fiscalYearStartMonth),
    text(account.segmentOverride),
    bool(account.strategic),
    text(account.ownerCsm),
    text(account.ownerSales),
    account.timezone,
    ...DEMO_ACCOUNT_ATTRIBUTES.map((key) => account.attributes[key] ?? ''),
  ];
}

function contractRow(contract: ContractRecord): Row {
  return [
    contract.contractId,
    contract.accountId,
    contract.startDate,
    contract.endDate,
    amount(contract.arrMinor, contract.currency),
    contract.currency,
    int(contract.seats),
    bool(contract.autoRenew),
    bool(contract.paymentOnFile),
    int(contract.noticeDays),
    contract.status,
    text(contract.previousContractId),
  ];
}

function usageRow(usage: UsageRecord): Row {
  return [
    usage.accountId,
    usage.date,
    String(usage.activeUsers),
    int(usage.licensedSeats),
    int(usage.coreFeatureAdoptionPct),
  ];
}

function ticketRow(ticket: TicketRecord): Row {
  return [
    ticket.ticketId,
    ticket.accountId,
    ticket.openedOn,
    text(ticket.closedOn),
    ticket.priority,
    int(ticket.csat),
  ];
}

function surveyRow(survey: SurveyRecord): Row {
  return [survey.accountId, survey.date, survey.kind, String(survey.score), text(survey.comment)];
}

function stakeholderRow(stakeholder: StakeholderRecord): Row {
  return [
    stakeholder.stakeholderId,
    stakeholder.accountId,
    stakeholder.name,
    text(stakeholder.email),
    stakeholder.role,
    text(stakeholder.strength),
    text(stakeholder.stance),
    text(stakeholder.lastContactOn),
    text(stakeholder.leftOn),
  ];
}

function signalRow(signal: SignalRecord): Row {
  return [signal.accountId, signal.date, signal.kind, text(signal.note)];
}

function renewalRow(renewal: RenewalRecord, currency: string): Row {
  return [
    renewal.contractId,
    renewal.outcome,
    text(renewal.closedOn),
    text(renewal.stage),
    amount(renewal.renewedArrMinor, currency),
    int(renewal.termYears),
    renewal.reasons.join(';'),
    text(renewal.competitor),
    int(renewal.signedDaysEarly),
  ];
}

function appendAccountRows(rows: Record<DemoFile, Row[]>, demo: DemoAccount): void {
  const currency = demo.account.currency;
  rows.accounts.push(accountRow(demo.account));
  for (const contract of demo.contracts) rows.contracts.push(contractRow(contract));
  for (const usage of demo.usage) rows.usage.push(usageRow(usage));
  for (const ticket of demo.tickets) rows.tickets.push(ticketRow(ticket));
  for (const survey of demo.surveys) rows.surveys.push(surveyRow(survey));
  for (const stakeholder of demo.stakeholders) rows.stakeholders.push(stakeholderRow(stakeholder));
  for (const signal of demo.signals) rows.signals.push(signalRow(signal));
  for (const renewal of demo.renewals) rows.renewals.push(renewalRow(renewal, currency));
}

function emptyRows(): Record<DemoFile, Row[]> {
  return {
    users: [],
    accounts: [],
    contracts: [],
    usage: [],
    tickets: [],
    surveys: [],
    stakeholders: [],
    signals: [],
    renewals: [],
  };
}

/** Writes `chunk`, waiting for the stream to drain when its buffer is full. */
async function writeChunk(stream: WriteStream, chunk: string): Promise<void> {
  if (chunk === '') return;
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function closeStream(stream: WriteStream): Promise<void> {
  const finished = once(stream, 'finish');
  stream.end();
  await finished;
}

export async function generateDemo(options: GenerateDemoOptions): Promise<DemoSummary> {
  const parsed = ZGenerateDemoOptions.safeParse(options);
  if (!parsed.success) {
    throw new DemoOptionsError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const { accounts, seed, asOf, outputDir, onProgress } = options;
  const tenantName = options.tenantName ?? 'Lumen Analytics';

  await mkdir(outputDir, { recursive: true });
  const files = {} as Record<DemoFile, string>;
  const counts = {} as Record<DemoFile, number>;
  const streams = {} as Record<DemoFile, WriteStream>;
  for (const file of DEMO_FILES) {
    files[file] = join(outputDir, `${file}.csv`);
    counts[file] = 0;
    streams[file] = createWriteStream(files[file], { encoding: 'utf8' });
  }
  // A stream that fails (disk full, permissions) rejects the run instead of hanging it.
  const failed = new Promise<never>((_, reject) => {
    for (const file of DEMO_FILES) streams[file].on('error', reject);
  });
  failed.catch(() => {});

  const write = async (rows: Record<DemoFile, Row[]>) => {
    for (const file of DEMO_FILES) {
      const fileRows = rows[file];
      if (fileRows.length === 0) continue;
      counts[file] += fileRows.length;
      await Promise.race([writeChunk(streams[file], stringify(fileRows)), failed]);
    }
  };

  let totalRows = 0;
  const tally = { active: 0, churned: 0, troubled: 0 };
  try {
    for (const file of DEMO_FILES) {
      await Promise.race([writeChunk(streams[file], stringify([[...DEMO_COLUMNS[file]]])), failed]);
    }
    const users = emptyRows();
    for (const user of buildDemoUsers({ accounts, seed, tenantName })) users.users.push(userRow(user));
    totalRows += users.users.length;
    await write(users);
    onProgress?.(totalRows);

    const ids: DemoIdCounters = { contract: 0, ticket: 0, stakeholder: 0 };
    for (let start = 0; start < accounts; start += CHUNK_ACCOUNTS) {
      const rows = emptyRows();
      const end = Math.min(accounts, start + CHUNK_ACCOUNTS);
      for (let index = start; index < end; index++) {
        const demo = buildDemoAccount({ index, seed, asOf, ids });
        if (demo.churned) tally.churned += 1;
        else tally.active += 1;
        if (TROUBLED_STORIES.includes(demo.story)) tally.troubled += 1;
        appendAccountRows(rows, demo);
      }
      for (const file of DEMO_FILES) totalRows += rows[file].length;
      await write(rows);
      onProgress?.(totalRows);
    }
    await Promise.race([Promise.all(DEMO_FILES.map((file) => closeStream(streams[file]))), failed]);
  } catch (error) {
    for (const file of DEMO_FILES) streams[file].destroy();
    throw error;
  }

  return {
    outputDir,
    files,
    counts,
    totalRows,
    accounts: { total: accounts, ...tally },
  };
}
