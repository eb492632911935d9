/**
 * The canonical CSV files (`../shared/DATA-CONTRACT.md` section 1): for each, its columns, the zod
 * schema that turns a row into a domain record, and how that record maps onto its table. The
 * importer, the exporter and the dry-run loader all work from these descriptions.
 */
import { z } from 'zod';
import { parseMoney } from '../domain/money.ts';
import {
  type AccountRecord,
  CONTRACT_STATUSES,
  type ContractRecord,
  RENEWAL_OUTCOMES,
  type RenewalRecord,
  SEGMENTS,
  SIGNAL_KINDS,
  type SignalRecord,
  STAKEHOLDER_ROLES,
  STANCES,
  STRENGTHS,
  type StakeholderRecord,
  SURVEY_KINDS,
  type SurveyRecord,
  TICKET_PRIORITIES,
  type TicketRecord,
  USER_ROLES,
  type UsageRecord,
  type UserRecord,
} from '../domain/records.ts';
import {
  currencyCodeField,
  decimalAmountField,
  FALLBACK,
  type Fallback,
  type Field,
  field,
  identifierField,
  optionalBooleanField,
  optionalDateField,
  optionalDecimalAmountField,
  optionalDecimalField,
  optionalEnumField,
  optionalIdentifierField,
  optionalIntegerField,
  optionalTextField,
  requiredDateField,
  requiredEnumField,
  requiredIntegerField,
  requiredTextField,
  timezoneNameField,
} from './fast-fields.ts';

export type RawRow = Record<string, string | undefined>;
export type CellValue = string | number | boolean | null | readonly string[] | Record<string, string>;

/** A table column and the CSV column it comes from (null: derived, not in the file). */
export type ColumnMap = { db: string; csv: string | null };

export type Reference = {
  /** CSV column holding the id. */
  column: string;
  /** Staging/table column holding the id. */
  dbColumn: string;
  target: 'accounts' | 'contracts' | 'users';
};

export type CanonicalFile<R> = {
  file: string;
  table: string;
  /** CSV columns in canonical order; required ones must be in the header. */
  columns: readonly { name: string; required: boolean }[];
  /** Extra columns are kept (accounts.csv custom fields) rather than ignored with a warning. */
  keepsExtraColumns: boolean;
  schema: z.ZodType<R, RawRow>;
  /** The same as `schema` for a plainly valid row, without zod; FALLBACK: ask `schema` (`fast-fields.ts`). */
  fastParse: (raw: RawRow) => R | Fallback;
  /** Table columns staged and upserted, in `toRow` order. */
  dbColumns: readonly ColumnMap[];
  key: readonly string[];
  /**
   * Rows without an id of their own (several survey responses on one day): the key ends in `seq`,
   * the row's order among rows sharing these columns, so a re-import matches the same rows again.
   */
  sequenceWithin?: readonly string[];
  toRow(record: R, extras: Record<string, string>): CellValue[];
  references: readonly Reference[];
};

/** Where a row's checks across columns report a problem: zod's refinement context, or a flag. */
type IssueSink = { addIssue(issue: { code: 'custom'; path: string[]; message: string }): void };
type RowOf<F> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/**
 * A file's row schema from its columns' fields and a function of the typed row: zod's object schema
 * (every message) and the fast path (`fastParse`), both calling the same `toRecord`.
 */
function rowSchema<F extends Record<string, Field<unknown>>, R>(
  fields: F,
  toRecord: (row: RowOf<F>, ctx: IssueSink) => R,
): { schema: z.ZodType<R, RawRow>; fastParse: (raw: RawRow) => R | Fallback } {
  const entries = Object.entries(fields);
  const shape = Object.fromEntries(entries.map(([name, { schema }]) => [name, schema]));
  const schema = z
    .object(shape)
    .transform((row, ctx) => toRecord(row as RowOf<F>, ctx)) as unknown as z.ZodType<R, RawRow>;
  const fasts = entries.map(([name, { fast }]) => [name, fast] as const);
  let failed = false;
  const flag: IssueSink = {
    addIssue() {
      failed = true;
    },
  };
  const fastParse = (raw: RawRow): R | Fallback => {
    const row: Record<string, unknown> = {};
    for (const [name, fast] of fasts) {
      const value = fast(raw[name]);
      if (value === FALLBACK) return FALLBACK;
      row[name] = value;
    }
    failed = false;
    const record = toRecord(row as RowOf<F>, flag);
    return failed ? FALLBACK : record;
  };
  return { schema, fastParse };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const emailField = field(
  z.string({ error: 'is required' }).regex(EMAIL, { error: 'is not an email address' }),
  (cell) => (cell !== undefined && EMAIL.test(cell) ? cell : FALLBACK),
);

const col = (name: string, required = false) => ({ name, required });
const map = (db: string, csv: string | null = db): ColumnMap => ({ db, csv });

function moneyIssue(ctx: IssueSink, column: string, amount: string, currency: string): number {
  const parsed = parseMoney(amount, currency);
  if ('problem' in parsed) {
    ctx.addIssue({ code: 'custom', path: [column], message: parsed.problem });
    return 0;
  }
  return parsed.minor;
}

export const usersFile: CanonicalFile<UserRecord> = {
  file: 'users.csv',
  table: 'users',
  columns: [
    col('user_id', true),
    col('name', true),
    col('email', true),
    col('role', true),
    col('manager_id'),
  ],
  keepsExtraColumns: false,
  ...rowSchema(
    {
      user_id: identifierField,
      name: requiredTextField,
      email: emailField,
      role: requiredEnumField(USER_ROLES),
      manager_id: optionalIdentifierField,
    },
    (row) => ({
      userId: row.user_id,
      name: row.name,
      email: row.email,
      role: row.role,
      managerId: row.manager_id,
    }),
  ),
  dbColumns: [map('user_id'), map('name'), map('email'), map('role'), map('manager_id')],
  key: ['user_id'],
  toRow: (r) => [r.userId, r.name, r.email, r.role, r.managerId],
  references: [{ column: 'manager_id', dbColumn: 'manager_id', target: 'users' }],
};

export const accountsFile: CanonicalFile<AccountRecord> = {
  file: 'accounts.csv',
  table: 'accounts',
  columns: [
    col('account_id', true),
    col('name', true),
    col('industry'),
    col('country'),
    col('currency', true),
    col('fiscal_year_start_month'),
    col('segment_override'),
    col('strategic'),
    col('owner_csm'),
    col('owner_sales'),
    col('timezone'),
  ],
  keepsExtraColumns: true,
  ...rowSchema(
    {
      account_id: identifierField,
      name: requiredTextField,
      industry: optionalTextField,
      country: optionalTextField,
      currency: currencyCodeField,
      fiscal_year_start_month: optionalIntegerField(1, 12),
      segment_override: optionalEnumField(SEGMENTS),
      strategic: optionalBooleanField,
      owner_csm: optionalIdentifierField,
      owner_sales: optionalIdentifierField,
      timezone: timezoneNameField,
    },
    (row) => ({
      accountId: row.account_id,
      name: row.name,
      industry: row.industry?.toLowerCase() ?? null,
      country: row.country,
      currency: row.currency,
      fiscalYearStartMonth: row.fiscal_year_start_month ?? 1,
      segmentOverride: row.segment_override,
      strategic: row.strategic ?? false,
      ownerCsm: row.owner_csm,
      ownerSales: row.owner_sales,
      timezone: row.timezone,
      attributes: {},
    }),
  ),
  dbColumns: [
    map('account_id'),
    map('name'),
    map('industry'),
    map('country'),
    map('currency'),
    map('fiscal_year_start_month'),
    map('segment_override'),
    map('strategic'),
    map('owner_csm'),
    map('owner_sales'),
    map('timezone'),
    map('attributes', null),
  ],
  key: ['account_id'],
  toRow: (r, extras) => [
    r.accountId,
    r.name,
    r.industry,
    r.country,
    r.currency,
    r.fiscalYearStartMonth,
    r.segmentOverride,
    r.strategic,
    r.ownerCsm,
    r.ownerSales,
    r.timezone,
    extras,
  ],
  references: [],
};

export const contractsFile: CanonicalFile<ContractRecord> = {
  file: 'contracts.csv',
  table: 'contracts',
  columns: [
    col('contract_id', true),
    col('account_id', true),
    col('start_date', true),
    col('end_date', true),
    col('arr', true),
    col('currency', true),
    col('seats'),
    col('auto_renew'),
    col('payment_on_file'),
    col('notice_days'),
    col('status'),
    col('previous_contract_id'),
  ],
  keepsExtraColumns: false,
  ...rowSchema(
    {
      contract_id: identifierField,
      account_id: identifierField,
      start_date: requiredDateField,
      end_date: requiredDateField,
      arr: decimalAmountField,
      currency: currencyCodeField,
      seats: optionalIntegerField(0, 10_000_000),
      auto_renew: optionalBooleanField,
      payment_on_file: optionalBooleanField,
      notice_days: optionalIntegerField(0, 3650),
      status: optionalEnumField(CONTRACT_STATUSES),
      previous_contract_id: optionalIdentifierField,
    },
    (row, ctx) => {
      if (row.end_date <= row.start_date) {
        ctx.addIssue({
          code: 'custom',
          path: ['end_date'],
          message: `${row.end_date} is not after start_date ${row.start_date}`,
        });
      }
      if (row.previous_contract_id === row.contract_id) {
        ctx.addIssue({
          code: 'custom',
          path: ['previous_contract_id'],
          message: 'a contract cannot renew itself',
        });
      }
      return {
        contractId: row.contract_id,
        accountId: row.account_id,
        startDate: row.start_date,
        endDate: row.end_date,
        arrMinor: moneyIssue(ctx, 'arr', row.arr, row.currency),
        currency: row.currency,
        seats: row.seats,
        autoRenew: row.auto_renew ?? false,
        paymentOnFile: row.payment_on_file ?? false,
        noticeDays: row.notice_days,
        status: row.status ?? 'active',
        previousContractId: row.previous_contract_id,
      };
    },
  ),
  dbColumns: [
    map('contract_id'),
    map('account_id'),
    map('start_date'),
    map('end_date'),
    map('arr_minor', 'arr'),
    map('currency'),
    map('seats'),
    map('auto_renew'),
    map('payment_on_file'),
    map('notice_days'),
    map('status'),
    map('previous_contract_id'),
  ],
  key: ['contract_id'],
  toRow: (r) => [
    r.contractId,
    r.accountId,
    r.startDate,
    r.endDate,
    r.arrMinor,
    r.currency,
    r.seats,
    r.autoRenew,
    r.paymentOnFile,
    r.noticeDays,
    r.status,
    r.previousContractId,
  ],
  references: [
    { column: 'account_id', dbColumn: 'account_id', target: 'accounts' },
    { column: 'previous_contract_id', dbColumn: 'previous_contract_id', target: 'contracts' },
  ],
};

export const usageFile: CanonicalFile<UsageRecord> = {
  file: 'usage.csv',
  table: 'usage',
  columns: [
    col('account_id', true),
    col('date', true),
    col('active_users', true),
    col('licensed_seats'),
    col('core_feature_adoption_pct'),
  ],
  keepsExtraColumns: false,
  ...rowSchema(
    {
      account_id: identifierField,
      date: requiredDateField,
      active_users: requiredIntegerField(0, 100_000_000),
      licensed_seats: optionalIntegerField(0, 100_000_000),
      core_feature_adoption_pct: optionalDecimalField(0, 100),
    },
    (row) => ({
      accountId: row.account_id,
      date: row.date,
      activeUsers: row.active_users,
      licensedSeats: row.licensed_seats,
      coreFeatureAdoptionPct: row.core_feature_adoption_pct,
    }),
  ),
  dbColumns: [
    map('account_id'),
    map('date'),
    map('active_users'),
    map('licensed_seats'),
    map('core_feature_adoption_pct'),
  ],
  key: ['account_id', 'date'],
  toRow: (r) => [r.accountId, r.date, r.activeUsers, r.licensedSeats, r.coreFeatureAdoptionPct],
  references: [{ column: 'account_id', dbColumn: 'account_id', target: 'accounts' }],
};

export const ticketsFile: CanonicalFile<TicketRecord> = {
  file: 'tickets.csv',
  table: 'tickets',
  columns: [
    col('ticket_id', true),
    col('account_id', true),
    col('opened_on', true),
    col('closed_on'),
    col('priority'),
    col('csat'),
  ],
  keepsExtraColumns: false,
  ...rowSchema(
    {
      ticket_id: identifierField,
      account_id: identifierField,
      opened_on: requiredDateField,
      closed_on: optionalDateField,
      priority: optionalEnumField(TICKET_PRIORITIES),
      csat: optionalIntegerField(1, 5),
    },
    (row, ctx) => {
      if (row.closed_on !== null && row.closed_on < row.opened_on) {
        ctx.addIssue({
          code: 'custom',
          path: ['closed_on'],
          message: `${row.closed_on} is before opened_on ${row.opened_on}`,
        });
      }
      return {
        ticketId: row.ticket_id,
        accountId: row.account_id,
        openedOn: row.opened_on,
        closedOn: row.closed_on,
        priority: row.priority ?? 'normal',
        csat: row.csat,
      };
    },
  ),
  dbColumns: [
    map('ticket_id'),
    map('account_id'),
    map('opened_on'),
    map('closed_on'),
    map('priority'),
    map('csat'),
  ],
  key: ['ticket_id'],
  toRow: (r) => [r.ticketId, r.accountId, r.openedOn, r.closedOn, r.priority, r.csat],
  references: [{ column: 'account_id', dbColumn: 'account_id', target: 'accounts' }],
};

export const surveysFile: CanonicalFile<SurveyRecord> = {
  file: 'surveys.csv',
  table: 'surveys',
  columns: [
    col('account_id', true),
    col('date', true),
    col('kind', true),
    col('score', true),
    col('comment'),
  ],
  keepsExtraColumns: false,
  ...rowSchema(
    {
      account_id: identifierField,
      date: requiredDateField,
      kind: requiredEnumField(SURVEY_KINDS),
      score: requiredIntegerField(0, 10),
      comment: optionalTextField,
    },
    (row, ctx) => {
      if (row.kind === 'csat' && (row.score < 1 || row.score > 5)) {
        ctx.addIssue({ code: 'custom', path: ['score'], message: `${row.score} is not a CSAT score (1–5)` });
      }
      return {
        accountId: row.account_id,
        date: row.date,
        kind: row.kind,
        score: row.score,
        comment: row.comment,
      };
    },
  ),
  dbColumns: [map('account_id'), map('date'), map('kind'), map('score'), map('comment')],
  key: ['account_id', 'date', 'kind', 'seq'],
  sequenceWithin: ['account_id', 'date', 'kind'],
  toRow: (r) => [r.accountId, r.date, r.kind, r.score, r.comment],
  references: [{ column: 'account_id', dbColumn: 'account_id', target: 'accounts' }],
};

export const stakeholdersFile: CanonicalFile<StakeholderRecord> = {
  file: 'stakeholders.csv',
  table: 'stakeholders',
  columns: [
    col('stakeholder_id', true),
    col('account_id', true),
    col('name', true),
    col('email'),
    col('role', true),
    col('strength'),
    col('stance'),
    col('last_contact_on'),
    col('left_on'),
  ],
  keepsExtraColumns: false,
  ...rowSchema(
    {
      stakeholder_id: identifierField,
      account_id: identifierField,
      name: requiredTextField,
      email: optionalTextField,
      role: requiredEnumField(STAKEHOLDER_ROLES),
      strength: optionalEnumField(STRENGTHS),
      stance: optionalEnumField(STANCES),
      last_contact_on: optionalDateField,
      left_on: optionalDateField,
    },
    (row) => ({
      stakeholderId: row.stakeholder_id,
      accountId: row.account_id,
      name: row.name,
      email: row.email,
      role: row.role,
      strength: row.strength,
      stance: row.stance,
      lastContactOn: row.last_contact_on,
      leftOn: row.left_on,
    }),
  ),
  dbColumns: [
    map('stakeholder_id'),
    map('account_id'),
    map('name'),
    map('email'),
    map('role'),
    map('strength'),
    map('stance'),
    map('last_contact_on'),
    map('left_on'),
  ],
  key: ['stakeholder_id'],
  toRow: (r) => [
    r.stakeholderId,
    r.accountId,
    r.name,
    r.email,
    r.role,
    r.strength,
    r.stance,
    r.lastContactOn,
    r.leftOn,
  ],
  references: [{ column: 'account_id', dbColumn: 'account_id', target: 'accounts' }],
};

export const signalsFile: CanonicalFile<SignalRecord> = {
  file: 'signals.csv',
  table: 'signals',
  columns: [col('account_id', true), col('date', true), col('kind', true), col('note')],
  keepsExtraColumns: false,
  ...rowSchema(
    {
      account_id: identifierField,
      date: requiredDateField,
      kind: requiredEnumField(SIGNAL_KINDS),
      note: optionalTextField,
    },
    (row) => ({ accountId: row.account_id, date: row.date, kind: row.kind, note: row.note }),
  ),
  dbColumns: [map('account_id'), map('date'), map('kind'), map('note')],
  key: ['account_id', 'date', 'kind'],
  toRow: (r) => [r.accountId, r.date, r.kind, r.note],
  references: [{ column: 'account_id', dbColumn: 'account_id', target: 'accounts' }],
};

/**
 * renewals.csv: the amount is in the renewed contract's currency, which lives in contracts.csv or
 * the store, so the row keeps the decimal text (`renewedArrText`) and the importer converts it to
 * minor units once the contract's currency is known.
 */
export type RenewalRow = Omit<RenewalRecord, 'renewedArrMinor'> & { renewedArrText: string | null };

export const renewalsFile: CanonicalFile<RenewalRow> = {
  file: 'renewals.csv',
  table: 'renewals',
  columns: [
    col('contract_id', true),
    col('outcome', true),
    col('closed_on'),
    col('stage'),
    col('renewed_arr'),
    col('term_years'),
    col('reasons'),
    col('competitor'),
    col('signed_days_early'),
  ],
  keepsExtraColumns: false,
  ...rowSchema(
    {
      contract_id: identifierField,
      outcome: requiredEnumField(RENEWAL_OUTCOMES),
      closed_on: optionalDateField,
      stage: optionalTextField,
      renewed_arr: optionalDecimalAmountField,
      term_years: optionalIntegerField(1, 10),
      reasons: optionalTextField,
      competitor: optionalTextField,
      signed_days_early: optionalIntegerField(-3650, 3650),
    },
    (row, ctx) => {
      if (row.outcome !== 'pending' && row.closed_on === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['closed_on'],
          message: `is required when outcome is ${row.outcome}`,
        });
      }
      return {
        contractId: row.contract_id,
        outcome: row.outcome,
        closedOn: row.closed_on,
        stage: row.stage,
        renewedArrText: row.renewed_arr,
        termYears: row.term_years,
        reasons: (row.reasons ?? '')
          .split(';')
          .map((reason) => reason.trim())
          .filter((reason) => reason !== ''),
        competitor: row.competitor,
        signedDaysEarly: row.signed_days_early,
      };
    },
  ),
  dbColumns: [
    map('contract_id'),
    map('outcome'),
    map('closed_on'),
    map('stage'),
    map('renewed_arr_text', 'renewed_arr'),
    map('term_years'),
    map('reasons'),
    map('competitor'),
    map('signed_days_early'),
  ],
  key: ['contract_id'],
  toRow: (r) => [
    r.contractId,
    r.outcome,
    r.closedOn,
    r.stage,
    r.renewedArrText,
    r.termYears,
    r.reasons,
    r.competitor,
    r.signedDaysEarly,
  ],
  references: [{ column: 'contract_id', dbColumn: 'contract_id', target: 'contracts' }],
};

/** In dependency order: a file's references point only at files before it. */
export const CANONICAL_FILES = [
  usersFile,
  accountsFile,
  contractsFile,
  stakeholdersFile,
  usageFile,
  ticketsFile,
  surveysFile,
  signalsFile,
  renewalsFile,
] as const satisfies readonly CanonicalFile<unknown>[];

export type AnyCanonicalFile = (typeof CANONICAL_FILES)[number];

export function canonicalFileByName(name: string): AnyCanonicalFile | undefined {
  return CANONICAL_FILES.find((spec) => spec.file === name);
}
