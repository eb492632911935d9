/**
 * The PostgreSQL schema, shared by PGlite and PostgreSQL. Every table carries `tenant_id` and every
 * key starts with it. Money is `bigint` minor units beside a `char(3)` ISO 4217 code; calendar dates
 * are `date` columns read as `YYYY-MM-DD` strings.
 *
 * Imported records are keyed by their external ids (the CSV ids), so an import is an upsert by key.
 * High-volume fact tables (usage, tickets, surveys, signals) carry no foreign keys: the importer checks
 * references set-based before it writes, and the keys that matter for joins are indexed.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const tenantId = () => text('tenant_id').notNull();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const day = (name: string) => date(name, { mode: 'string' });
const minor = (name: string) => bigint(name, { mode: 'number' });

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    tenantId: tenantId(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    managerId: text('manager_id'),
    disabled: boolean('disabled').notNull().default(false),
    /** argon2id hash; null for users who cannot sign in (imported people without an account yet). */
    passwordHash: text('password_hash'),
    locale: text('locale').notNull().default('en'),
    /** sha256 of the secret in the user's calendar (ICS) feed URL. */
    calendarTokenHash: text('calendar_token_hash'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    uniqueIndex('users_email_idx').on(t.tenantId, sql`lower(${t.email})`),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    tenantId: tenantId(),
    accountId: text('account_id').notNull(),
    name: text('name').notNull(),
    industry: text('industry'),
    country: text('country'),
    currency: text('currency').notNull(),
    fiscalYearStartMonth: smallint('fiscal_year_start_month').notNull().default(1),
    segmentOverride: text('segment_override'),
    strategic: boolean('strategic').notNull().default(false),
    ownerCsm: text('owner_csm'),
    ownerSales: text('owner_sales'),
    timezone: text('timezone').notNull().default('UTC'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.accountId] }),
    index('accounts_owner_csm_idx').on(t.tenantId, t.ownerCsm),
    // The incremental daily run finds changed accounts by a range read instead of a scan.
    index('accounts_updated_idx').on(t.tenantId, t.updatedAt),
  ],
);

export const contracts = pgTable(
  'contracts',
  {
    tenantId: tenantId(),
    contractId: text('contract_id').notNull(),
    accountId: text('account_id').notNull(),
    startDate: day('start_date').notNull(),
    endDate: day('end_date').notNull(),
    arrMinor: minor('arr_minor').notNull(),
    currency: text('currency').notNull(),
    seats: integer('seats'),
    autoRenew: boolean('auto_renew').notNull().default(false),
    paymentOnFile: boolean('payment_on_file').notNull().default(false),
    noticeDays: integer('notice_days'),
    status: text('status').notNull().default('active'),
    previousContractId: text('previous_contract_id'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.contractId] }),
    foreignKey({
      columns: [t.tenantId, t.accountId],
      foreignColumns: [accounts.tenantId, accounts.accountId],
    }),
    index('contracts_account_idx').on(t.tenantId, t.accountId),
    // The renewal list's orders (due date of closed history, ARR), with the id as tie-breaker.
    index('contracts_end_date_idx').on(t.tenantId, t.endDate, t.contractId),
    index('contracts_arr_idx').on(t.tenantId, t.arrMinor, t.contractId),
    index('contracts_previous_idx').on(t.tenantId, t.previousContractId),
    index('contracts_updated_idx').on(t.tenantId, t.updatedAt),
  ],
);

export const usage = pgTable(
  'usage',
  {
    tenantId: tenantId(),
    accountId: text('account_id').notNull(),
    date: day('date').notNull(),
    activeUsers: integer('active_users').notNull(),
    licensedSeats: integer('licensed_seats'),
    coreFeatureAdoptionPct: doublePrecision('core_feature_adoption_pct'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.accountId, t.date] })],
);

export const tickets = pgTable(
  'tickets',
  {
    tenantId: tenantId(),
    ticketId: text('ticket_id').notNull(),
    accountId: text('account_id').notNull(),
    openedOn: day('opened_on').notNull(),
    closedOn: day('closed_on'),
    priority: text('priority').notNull().default('normal'),
    csat: smallint('csat'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ticketId] }),
    index('tickets_account_idx').on(t.tenantId, t.accountId),
  ],
);

export const surveys = pgTable(
  'surveys',
  {
    tenantId: tenantId(),
    accountId: text('account_id').notNull(),
    date: day('date').notNull(),
    kind: text('kind').notNull(),
    /** Several responses of one kind on one day are kept apart by their order in the file. */
    seq: smallint('seq').notNull().default(1),
    score: smallint('score').notNull(),
    comment: text('comment'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.accountId, t.date, t.kind, t.seq] })],
);

export const stakeholders = pgTable(
  'stakeholders',
  {
    tenantId: tenantId(),
    stakeholderId: text('stakeholder_id').notNull(),
    accountId: text('account_id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role').notNull(),
    strength: text('strength'),
    stance: text('stance'),
    lastContactOn: day('last_contact_on'),
    leftOn: day('left_on'),
    version: integer('version').notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.stakeholderId] }),
    foreignKey({
      columns: [t.tenantId, t.accountId],
      foreignColumns: [accounts.tenantId, accounts.accountId],
    }),
    index('stakeholders_account_idx').on(t.tenantId, t.accountId),
    index('stakeholders_updated_idx').on(t.tenantId, t.updatedAt),
  ],
);

export const signals = pgTable(
  'signals',
  {
    tenantId: tenantId(),
    accountId: text('account_id').notNull(),
    date: day('date').notNull(),
    kind: text('kind').notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.accountId, t.date, t.kind] })],
);

/**
 * One row per renewal opportunity, keyed by the contract it renews. Imported history (renewals.csv)
 * fills the outcome columns; the daily run fills the engine columns for open renewals.
 */
export const renewals = pgTable(
  'renewals',
  {
    tenantId: tenantId(),
    contractId: text('contract_id').notNull(),
    accountId: text('account_id').notNull(),
    outcome: text('outcome').notNull().default('pending'),
    closedOn: day('closed_on'),
    stage: text('stage'),
    renewedArrMinor: minor('renewed_arr_minor'),
    termYears: smallint('term_years'),
    reasons: text('reasons').array().notNull().default(sql`'{}'::text[]`),
    competitor: text('competitor'),
    signedDaysEarly: integer('signed_days_early'),
    // The close-out as recorded by hand: won / lost / downgraded / churned, and what we learned.
    closeOutcome: text('close_outcome'),
    lessons: text('lessons'),
    // A manager's reassignment sticks: the daily run routes the owner but never overrides this.
    ownerOverrideUserId: text('owner_override_user_id'),
    // Engine outputs (the daily run), null for closed history.
    dueDate: day('due_date'),
    segment: text('segment'),
    type: text('type'),
    motion: text('motion'),
    ownerRole: text('owner_role'),
    ownerUserId: text('owner_user_id'),
    ownerRule: text('owner_rule'),
    executiveEngagement: boolean('executive_engagement'),
    healthScore: smallint('health_score'),
    healthBand: text('health_band'),
    riskFlags: text('risk_flags').array().notNull().default(sql`'{}'::text[]`),
    atRiskSince: day('at_risk_since'),
    probability: doublePrecision('probability'),
    earlyQualified: boolean('early_qualified'),
    evaluatedOn: day('evaluated_on'),
    // Forecast: the model's category and the CSM's call beside it (both kept; disagreements surface).
    forecastCategory: text('forecast_category'),
    csmCategory: text('csm_category'),
    csmCategoryBy: text('csm_category_by'),
    csmCategoryAt: timestamp('csm_category_at', { withTimezone: true }),
    csmNote: text('csm_note'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.contractId] }),
    foreignKey({
      columns: [t.tenantId, t.contractId],
      foreignColumns: [contracts.tenantId, contracts.contractId],
    }),
    // The renewal list by due date, all and open only, with the id as tie-breaker (keyset pages).
    index('renewals_due_idx').on(t.tenantId, t.dueDate, t.contractId),
    index('renewals_outcome_due_idx').on(t.tenantId, t.outcome, t.dueDate, t.contractId),
    index('renewals_account_idx').on(t.tenantId, t.accountId),
    index('renewals_owner_idx').on(t.tenantId, t.ownerUserId, t.dueDate),
    // The pipeline's filters and sorts at 100K renewals (docs/PERFORMANCE.md): each one index-driven.
    index('renewals_segment_due_idx').on(t.tenantId, t.segment, t.dueDate, t.contractId),
    index('renewals_band_due_idx').on(t.tenantId, t.healthBand, t.dueDate, t.contractId),
    index('renewals_stage_due_idx').on(t.tenantId, t.stage, t.dueDate, t.contractId),
    index('renewals_risk_flags_idx').using('gin', t.riskFlags),
    index('renewals_health_idx').on(t.tenantId, sql`coalesce(${t.healthScore}, -1)`, t.contractId),
    index('renewals_probability_idx').on(t.tenantId, sql`coalesce(${t.probability}, -1)`, t.contractId),
    index('renewals_undated_idx').on(t.tenantId, t.contractId).where(sql`${t.dueDate} IS NULL`),
  ],
);

/** Daily health history, one row per account and day evaluated. */
export const healthSnapshots = pgTable(
  'health_snapshots',
  {
    tenantId: tenantId(),
    accountId: text('account_id').notNull(),
    asOf: day('as_of').notNull(),
    score: smallint('score').notNull(),
    band: text('band').notNull(),
    drivers: jsonb('drivers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.accountId, t.asOf] })],
);

/** Playbook tasks; (renewal × step) is unique so a re-run never opens a task twice. */
export const tasks = pgTable(
  'tasks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    contractId: text('contract_id').notNull(),
    accountId: text('account_id').notNull(),
    key: text('key').notNull(),
    milestone: text('milestone').notNull(),
    title: text('title').notNull(),
    ownerRole: text('owner_role').notNull(),
    ownerUserId: text('owner_user_id'),
    dueDate: day('due_date').notNull(),
    estimateHours: doublePrecision('estimate_hours'),
    // Hours the team logged when completing the task (null: not logged; metrics fall back to the estimate).
    spentHours: doublePrecision('spent_hours'),
    status: text('status').notNull().default('open'),
    createdOn: day('created_on').notNull(),
    completedOn: day('completed_on'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('tasks_step_idx').on(t.tenantId, t.contractId, t.key),
    index('tasks_owner_idx').on(t.tenantId, t.ownerUserId, t.status, t.dueDate),
  ],
);

/** Internal alerts and escalations; (renewal × key) is unique. */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    contractId: text('contract_id').notNull(),
    accountId: text('account_id').notNull(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    recipientRole: text('recipient_role').notNull(),
    recipientUserId: text('recipient_user_id'),
    message: text('message').notNull(),
    createdOn: day('created_on').notNull(),
  },
  (t) => [
    uniqueIndex('alerts_key_idx').on(t.tenantId, t.contractId, t.key),
    index('alerts_created_idx').on(t.tenantId, t.createdOn),
  ],
);

/** Transactional outbox: every outgoing message, written with the step that caused it. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    idempotencyKey: text('idempotency_key').notNull(),
    kind: text('kind').notNull(),
    contractId: text('contract_id'),
    recipient: text('recipient'),
    template: text('template').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    dueOn: day('due_on').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('outbox_key_idx').on(t.tenantId, t.idempotencyKey),
    index('outbox_status_idx').on(t.status, t.dueOn),
  ],
);

/** Each completed daily run, so catch-up knows which days are done. */
export const dailyRuns = pgTable(
  'daily_runs',
  {
    tenantId: tenantId(),
    asOf: day('as_of').notNull(),
    policyVersion: integer('policy_version').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
    summary: jsonb('summary').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.asOf] })],
);

/** Versioned policy documents; the highest version is in force. */
export const policies = pgTable(
  'policies',
  {
    tenantId: tenantId(),
    version: integer('version').notNull(),
    document: jsonb('document').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.version] })],
);

/** One row per import run: what was given, what changed, what was wrong. */
export const importRuns = pgTable(
  'import_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    // Null while an uploaded import is still running.
    finishedAt: timestamp('finished_at', { withTimezone: true }).defaultNow(),
    // queued | running | done | failed (CLI imports are recorded when done).
    status: text('status').notNull().default('done'),
    progress: jsonb('progress'),
    // A failed import's problems, `{ count, items: [{ file, line, column, problem }] }`, for the report.
    problems: jsonb('problems'),
    files: jsonb('files').notNull(),
    summary: jsonb('summary').notNull(),
  },
  (t) => [index('import_runs_tenant_idx').on(t.tenantId, t.startedAt)],
);

/** The forecast as it stood each day, per renewal: never rewritten, so accuracy can be measured later. */
export const forecastSnapshots = pgTable(
  'forecast_snapshots',
  {
    tenantId: tenantId(),
    asOf: day('as_of').notNull(),
    contractId: text('contract_id').notNull(),
    accountId: text('account_id').notNull(),
    dueDate: day('due_date').notNull(),
    segment: text('segment'),
    ownerUserId: text('owner_user_id'),
    arrReportingMinor: minor('arr_reporting_minor').notNull(),
    reportingCurrency: text('reporting_currency').notNull(),
    probability: doublePrecision('probability').notNull(),
    modelCategory: text('model_category').notNull(),
    csmCategory: text('csm_category'),
    category: text('category').notNull(),
    healthBand: text('health_band'),
    riskFlags: text('risk_flags').array().notNull().default(sql`'{}'::text[]`),
    factors: jsonb('factors'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.asOf, t.contractId] }),
    index('forecast_snapshots_due_idx').on(t.tenantId, t.dueDate),
  ],
);

/**
 * Renewal proposals: one row per version. `terms` holds the priced options and the chosen one;
 * `workflow` the approval state machine (steps, decisions, audit). `sequence` is the optimistic lock:
 * every change is `UPDATE … WHERE sequence = n`. A sent version is frozen; changes make a new version.
 */
export const proposals = pgTable(
  'proposals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    contractId: text('contract_id').notNull(),
    accountId: text('account_id').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    currency: text('currency').notNull(),
    terms: jsonb('terms').notNull(),
    workflow: jsonb('workflow').notNull(),
    sequence: integer('sequence').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    signedAt: timestamp('signed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('proposals_version_idx').on(t.tenantId, t.contractId, t.version),
    index('proposals_status_idx').on(t.tenantId, t.status),
  ],
);

/** Generated documents (proposal and contract PDFs), content-addressed. */
export const documents = pgTable(
  'documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    kind: text('kind').notNull(),
    proposalId: bigint('proposal_id', { mode: 'number' }),
    contractId: text('contract_id').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sha256: text('sha256').notNull(),
    content: text('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('documents_contract_idx').on(t.tenantId, t.contractId)],
);

/** E-signature requests and their status (sent → viewed → signed | declined | expired). */
export const signatures = pgTable(
  'signatures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    proposalId: bigint('proposal_id', { mode: 'number' }).notNull(),
    documentId: bigint('document_id', { mode: 'number' }).notNull(),
    signerName: text('signer_name').notNull(),
    signerEmail: text('signer_email').notNull(),
    tokenHash: text('token_hash').notNull(),
    status: text('status').notNull().default('sent'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    viewedAt: timestamp('viewed_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    signerIp: text('signer_ip'),
  },
  (t) => [
    uniqueIndex('signatures_token_idx').on(t.tokenHash),
    index('signatures_proposal_idx').on(t.tenantId, t.proposalId),
  ],
);

/** Append-only audit trail: who changed what, when (UTC), each field's old and new value. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    changes: jsonb('changes').notNull(),
  },
  (t) => [index('audit_entity_idx').on(t.tenantId, t.entity, t.entityId, t.at)],
);

/** Sign-in sessions; the cookie holds a random token, the table only its sha256. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    tenantId: tenantId(),
    userId: text('user_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.tenantId, t.userId)],
);

/** Personal API tokens for integrations: hashed at rest, scoped, revocable. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_tokens_hash_idx').on(t.tokenHash),
    index('api_tokens_user_idx').on(t.tenantId, t.userId),
  ],
);

/** Failed sign-ins, for brute-force lockout across stateless API processes. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    emailKey: text('email_key').notNull(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('login_failures_email_idx').on(t.emailKey, t.at),
    index('login_failures_ip_idx').on(t.ip, t.at),
  ],
);

/** Outgoing webhook subscriptions (HMAC-signed deliveries go through the outbox). */
export const webhooks = pgTable(
  'webhooks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    events: text('events').array().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhooks_tenant_idx').on(t.tenantId)],
);

/** Customer addresses that opted out of automated renewal sequences. */
export const emailOptOuts = pgTable(
  'email_opt_outs',
  {
    tenantId: tenantId(),
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    source: text('source').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.email] })],
);

/** Delivery attempts of outbox messages (emails, webhooks): the audit of what was sent, when, and how it failed. */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    outboxId: bigint('outbox_id', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    outcome: text('outcome').notNull(),
    detail: text('detail'),
  },
  (t) => [index('delivery_attempts_outbox_idx').on(t.tenantId, t.outboxId)],
);

/** Per-tenant settings the scheduler needs (local run time and zone, daily send cap). */
/**
 * The playbook library: email templates, talk tracks, meeting agendas and objection handling, each
 * attached to the milestone where it is used. Built-in entries are served until a manager edits one;
 * an edit stores the tenant's own copy under the same id (version for optimistic locking).
 */
export const playbookEntries = pgTable(
  'playbook_entries',
  {
    tenantId: tenantId(),
    entryId: text('entry_id').notNull(),
    kind: text('kind').notNull(),
    milestone: text('milestone'),
    language: text('language').notNull().default('en'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.entryId] }),
    index('playbook_entries_milestone_idx').on(t.tenantId, t.milestone),
  ],
);

export const tenantSettings = pgTable('tenant_settings', {
  tenantId: text('tenant_id').primaryKey(),
  timezone: text('timezone').notNull().default('UTC'),
  dailyRunTime: text('daily_run_time').notNull().default('06:00'),
  dailySendCap: integer('daily_send_cap').notNull().default(1000),
  updatedAt: updatedAt(),
});

/** Fitted renewal models, keyed by a fingerprint of what they were fitted on (so any process reuses them). */
export const renewalModels = pgTable(
  'renewal_models',
  {
    tenantId: tenantId(),
    fingerprint: text('fingerprint').notNull(),
    fittedOn: day('fitted_on').notNull(),
    model: jsonb('model').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.fingerprint] })],
);

/** E-signature provider events already applied: a replayed event id changes nothing. */
export const signatureEvents = pgTable(
  'signature_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    tenantId: tenantId(),
    signatureId: bigint('signature_id', { mode: 'number' }),
    kind: text('kind').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);
