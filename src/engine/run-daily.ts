/**
 * The daily run: evaluates every account as of a day and turns the evaluation into work — renewal
 * records for contracts inside their playbook horizon, a health snapshot per account, the tasks,
 * customer emails (queued in the outbox) and escalations whose milestone has come, and an alert the
 * day a renewal turns at-risk.
 *
 * A day runs in one transaction, in account batches (memory flat in account count), with set-based
 * writes. Every write is keyed — task (renewal × step), alert (renewal × key), email (renewal × step ×
 * recipient), snapshot (account × day) — and inserted with ON CONFLICT DO NOTHING or updated only when
 * a value changed, so re-running a day changes nothing and a catch-up does each missed step once.
 *
 * An incremental run (a re-run of a day already run, after imports or edits) evaluates only the
 * accounts whose inputs changed since the last run of that day and writes exactly what a full run
 * would: every other account's evaluation depends on nothing that changed, and the full run's writes
 * for it would all be no-ops. Anything tenant-wide that changed (policy, people, a different day) makes
 * it a full run; a refitted renewal model makes the forecast step a full one.
 */
import { createHash } from 'node:crypto';
import { addDays, type CalendarDate, daysBetween } from '../domain/calendar.ts';
import type { AccountEvaluation, RenewalEvaluation } from '../domain/evaluate-account.ts';
import { planEscalations } from '../domain/plan-escalations.ts';
import type { AccountSnapshot, StakeholderRecord, UserRecord } from '../domain/records.ts';
import { analyzeIfChanged } from '../import/analyze-changed.ts';
import type { SqlSession, Store } from '../store/store.ts';
import { evaluatePortfolio, specialistsOf } from './evaluate-portfolio.ts';
import { snapshotForecast, startForecastInBatches } from './forecast/snapshot-forecast.ts';
import { loadStoreSnapshots, loadUsers } from './load-store-snapshots.ts';
import { loadPolicy } from './policy-store.ts';
import { MANUAL_OWNER_RULE } from './queries/owner-override.ts';
import { enqueueWebhookEvents, subscribedEvents } from './queries/webhook-events.ts';

export type DayReport = {
  asOf: CalendarDate;
  policyVersion: number;
  accounts: number;
  renewalsOpened: number;
  renewalsUpdated: number;
  healthSnapshots: number;
  tasksOpened: number;
  alertsRaised: number;
  emailsQueued: number;
  /** Tasks and emails recorded as skipped because they fell due long before the tenant's first run. */
  stepsSkipped: number;
  newlyAtRisk: string[];
  /** True when nothing at all was written (a re-run of a day already done). */
  unchanged: boolean;
};

/**
 * On a tenant's first run, steps that fell due more than this many days earlier are recorded as
 * skipped rather than opened: nobody wants 600 overdue tasks (or stale customer emails) on day one.
 */
export const ONBOARDING_BACKFILL_DAYS = 14;

type ExistingRenewal = {
  contract_id: string;
  outcome: string;
  stage: string | null;
  at_risk_since: string | null;
  owner_override_user_id: string | null;
};

/** The renewal as routed, or with the owner a person assigned in place of the routed one. */
function withOwnerOverride(renewal: RenewalEvaluation, override: string | null): RenewalEvaluation {
  if (override === null) return renewal;
  return { ...renewal, owner: { ...renewal.owner, userId: override, rule: MANUAL_OWNER_RULE } };
}

type Recipients = { users: Map<string, UserRecord>; executives: string[] };

function resolveUser(
  role: string,
  renewal: RenewalEvaluation,
  snapshot: AccountSnapshot,
  people: Recipients,
) {
  if (role === renewal.owner.role && renewal.owner.userId) return renewal.owner.userId;
  if (role === 'owner') return renewal.owner.userId ?? snapshot.account.ownerCsm;
  if (role === 'csm') return snapshot.account.ownerCsm;
  if (role === 'sales') return snapshot.account.ownerSales;
  if (role === 'manager') {
    const owner = renewal.owner.userId ?? snapshot.account.ownerCsm;
    return owner ? (people.users.get(owner)?.managerId ?? null) : null;
  }
  if (role === 'executive') return people.executives[0] ?? null;
  return null;
}

function customerRecipient(audience: string, stakeholders: readonly StakeholderRecord[], asOf: CalendarDate) {
  const active = stakeholders.filter((s) => (s.leftOn === null || s.leftOn > asOf) && s.email);
  const byRole = (role: string) => active.find((s) => s.role === role) ?? null;
  if (audience === 'primary_contact')
    return byRole('champion') ?? byRole('economic_buyer') ?? active[0] ?? null;
  return byRole(audience);
}

function lastContact(stakeholders: readonly StakeholderRecord[]): CalendarDate | null {
  let latest: CalendarDate | null = null;
  for (const s of stakeholders)
    if (s.lastContactOn && (latest === null || s.lastContactOn > latest)) latest = s.lastContactOn;
  return latest;
}

/**
 * Inserts rows given as one JSON array parameter; returns how many were actually inserted, and of
 * those how many with status `skipped` (for tables that have a status).
 */
async function insertJson(
  tx: SqlSession,
  sql: string,
  tenantId: string,
  rows: readonly Record<string, unknown>[],
  { hasStatus = false }: { hasStatus?: boolean } = {},
): Promise<{ inserted: number; skipped: number }> {
  if (rows.length === 0) return { inserted: 0, skipped: 0 };
  const [result] = await tx.query<{ inserted: number; skipped: number }>(
    `WITH ins AS (${sql} RETURNING ${hasStatus ? 'status' : "'' AS status"})
     SELECT count(*)::int AS inserted, (count(*) FILTER (WHERE status = 'skipped'))::int AS skipped FROM ins`,
    [tenantId, JSON.stringify(rows)],
  );
  return { inserted: result?.inserted ?? 0, skipped: result?.skipped ?? 0 };
}

async function writeBatch({
  tx,
  tenantId,
  asOf,
  snapshots,
  evaluations,
  people,
  report,
  skipBefore,
}: {
  tx: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  snapshots: readonly AccountSnapshot[];
  evaluations: readonly AccountEvaluation[];
  people: Recipients;
  report: DayReport;
  /** Steps due before this day are recorded as skipped (a tenant's first run); null: none. */
  skipBefore: CalendarDate | null;
}): Promise<void> {
  const stale = (dueDate: CalendarDate) => skipBefore !== null && dueDate < skipBefore;
  const contractIds = evaluations.flatMap((e) => (e.renewal ? [e.renewal.contractId] : []));
  const existing = new Map(
    (
      await tx.query<ExistingRenewal>(
        `SELECT contract_id, outcome, stage, at_risk_since, owner_override_user_id
           FROM renewals WHERE tenant_id = $1 AND contract_id = ANY($2)`,
        [tenantId, contractIds],
      )
    ).map((row) => [row.contract_id, row]),
  );

  const health: Record<string, unknown>[] = [];
  const renewals: Record<string, unknown>[] = [];
  const tasks: Record<string, unknown>[] = [];
  const alerts: Record<string, unknown>[] = [];
  const emails: Record<string, unknown>[] = [];
  const atRiskEvents: Record<string, unknown>[] = [];

  evaluations.forEach((evaluation, index) => {
    const snapshot = snapshots[index]!;
    health.push({
      account_id: evaluation.accountId,
      score: evaluation.health.score,
      band: evaluation.health.band,
      drivers: evaluation.health.drivers,
    });
    if (!evaluation.renewal) return;
    const previous = existing.get(evaluation.renewal.contractId);
    const renewal = withOwnerOverride(evaluation.renewal, previous?.owner_override_user_id ?? null);
    const first = renewal.timeline.milestones[0];
    const inHorizon = first !== undefined && first.date <= asOf;
    if (!inHorizon && !previous) return;
    if (previous && previous.outcome !== 'pending') return; // closed: the engine leaves it alone
    const atRisk = renewal.atRiskReasons.length > 0;
    const becameAtRisk = atRisk && (previous?.at_risk_since ?? null) === null;
    renewals.push({
      contract_id: renewal.contractId,
      account_id: evaluation.accountId,
      due_date: renewal.dueDate,
      segment: evaluation.segment,
      type: renewal.type,
      motion: renewal.motion,
      owner_role: renewal.owner.role,
      owner_user_id: renewal.owner.userId,
      owner_rule: renewal.owner.rule,
      executive_engagement: renewal.executiveEngagement,
      health_score: evaluation.health.score,
      health_band: evaluation.health.band,
      risk_flags: renewal.riskFlags,
      at_risk_since: atRisk ? (previous?.at_risk_since ?? asOf) : null,
      probability: renewal.probability,
      early_qualified: renewal.earlyRenewal.qualified,
    });
    if (becameAtRisk) {
      report.newlyAtRisk.push(renewal.contractId);
      atRiskEvents.push({
        contractId: renewal.contractId,
        accountId: evaluation.accountId,
        accountName: snapshot.account.name,
        dueDate: renewal.dueDate,
        reasons: renewal.atRiskReasons,
        riskFlags: renewal.riskFlags,
        healthScore: evaluation.health.score,
        healthBand: evaluation.health.band,
        ownerUserId: renewal.owner.userId,
      });
      for (const role of [renewal.owner.role, 'manager']) {
        alerts.push({
          contract_id: renewal.contractId,
          account_id: evaluation.accountId,
          key: `at-risk:${asOf}:${role}`,
          kind: 'at_risk',
          severity: 'high',
          recipient_role: role,
          recipient_user_id: resolveUser(role, renewal, snapshot, people),
          message: `${snapshot.account.name} is at risk (${renewal.atRiskReasons.join('; ')}); renewal due ${renewal.dueDate}`,
        });
      }
    }
    const estimates = new Map(
      renewal.timeline.milestones.flatMap((m) => m.tasks.map((t) => [t.key, t.estimateHours])),
    );
    for (const task of renewal.dueTasks) {
      tasks.push({
        contract_id: renewal.contractId,
        account_id: evaluation.accountId,
        key: task.key,
        milestone: task.milestone,
        title: task.title,
        owner_role: task.ownerRole,
        owner_user_id: resolveUser(task.ownerRole, renewal, snapshot, people),
        due_date: task.dueDate,
        estimate_hours: estimates.get(task.key) ?? null,
        status: stale(task.dueDate) ? 'skipped' : 'open',
      });
    }
    if (renewal.riskFlags.includes('champion_left') && !renewal.timeline.lapsed) {
      tasks.push({
        contract_id: renewal.contractId,
        account_id: evaluation.accountId,
        key: 're-engage-after-champion-left',
        milestone: renewal.dueTasks[0]?.milestone ?? first?.key ?? 'T-0',
        title: 'Champion left: find and engage a new champion',
        owner_role: renewal.owner.role,
        owner_user_id: renewal.owner.userId,
        due_date: asOf,
        estimate_hours: 1,
        status: 'open',
      });
    }
    for (const email of renewal.dueEmails) {
      const recipient = customerRecipient(email.audience, snapshot.stakeholders, asOf);
      const address = recipient?.email ?? null;
      emails.push({
        idempotency_key: `${renewal.contractId}:${email.key}:${address ?? email.audience}`,
        kind: 'customer_email',
        contract_id: renewal.contractId,
        recipient: address,
        template: email.template,
        status: stale(email.dueDate) ? 'skipped' : address ? 'queued' : 'no_recipient',
        due_on: email.dueDate,
        payload: {
          accountId: evaluation.accountId,
          accountName: snapshot.account.name,
          recipientName: recipient?.name ?? null,
          audience: email.audience,
          milestone: email.milestone,
          dueDate: renewal.dueDate,
          noticeDeadline: renewal.noticeDeadline,
          arr: renewal.arr,
          timezone: snapshot.account.timezone,
        },
      });
    }
    const escalations = planEscalations({
      milestones: renewal.timeline.milestones,
      asOf,
      lapsed: renewal.timeline.lapsed,
      stage: previous?.stage ?? null,
      outcome: 'pending',
      lastContactOn: lastContact(snapshot.stakeholders),
    });
    for (const escalation of escalations) {
      alerts.push({
        contract_id: renewal.contractId,
        account_id: evaluation.accountId,
        key: `escalation:${escalation.key}`,
        kind: 'escalation',
        severity: escalation.milestone === 'T-7' ? 'critical' : 'high',
        recipient_role: escalation.to,
        recipient_user_id: resolveUser(escalation.to, renewal, snapshot, people),
        message: `${snapshot.account.name}: ${escalation.reason}; renewal due ${renewal.dueDate} (${daysBetween(asOf, renewal.dueDate)} days)`,
      });
      // An escalation is work, not only news: the person it goes to gets a task (keyed like the alert).
      tasks.push({
        contract_id: renewal.contractId,
        account_id: evaluation.accountId,
        key: `escalation:${escalation.key}`,
        milestone: escalation.milestone,
        title: `Escalation: ${escalation.reason} — unblock the renewal`,
        owner_role: escalation.to,
        owner_user_id: resolveUser(escalation.to, renewal, snapshot, people),
        due_date: asOf,
        estimate_hours: 0.5,
        status: stale(escalation.dueDate) ? 'skipped' : 'open',
      });
    }
  });

  const snapshotsWritten = await insertJson(
    tx,
    `INSERT INTO health_snapshots AS h (tenant_id, account_id, as_of, score, band, drivers)
     SELECT $1, x.account_id, '${asOf}'::date, x.score, x.band, x.drivers
       FROM jsonb_to_recordset($2::jsonb) AS x(account_id text, score smallint, band text, drivers jsonb)
     ON CONFLICT (tenant_id, account_id, as_of) DO UPDATE
       SET score = EXCLUDED.score, band = EXCLUDED.band, drivers = EXCLUDED.drivers
       WHERE (h.score, h.band, h.drivers) IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.band, EXCLUDED.drivers)`,
    tenantId,
    health,
  );
  report.healthSnapshots += snapshotsWritten.inserted;

  if (renewals.length > 0) {
    const [counts] = await tx.query<{ inserted: number; updated: number }>(
      `WITH up AS (
         INSERT INTO renewals AS r (tenant_id, contract_id, account_id, due_date, segment, type, motion, owner_role,
           owner_user_id, owner_rule, executive_engagement, health_score, health_band, risk_flags, at_risk_since,
           probability, early_qualified, evaluated_on)
         SELECT $1, x.contract_id, x.account_id, x.due_date, x.segment, x.type, x.motion, x.owner_role, x.owner_user_id,
           x.owner_rule, x.executive_engagement, x.health_score, x.health_band,
           ARRAY(SELECT jsonb_array_elements_text(x.risk_flags)), x.at_risk_since, x.probability, x.early_qualified, $3::date
         FROM jsonb_to_recordset($2::jsonb) AS x(contract_id text, account_id text, due_date date, segment text, type text,
           motion text, owner_role text, owner_user_id text, owner_rule text, executive_engagement boolean,
           health_score smallint, health_band text, risk_flags jsonb, at_risk_since date, probability double precision,
           early_qualified boolean)
         ON CONFLICT (tenant_id, contract_id) DO UPDATE SET
           due_date = EXCLUDED.due_date, segment = EXCLUDED.segment, type = EXCLUDED.type, motion = EXCLUDED.motion,
           owner_role = EXCLUDED.owner_role, owner_user_id = EXCLUDED.owner_user_id, owner_rule = EXCLUDED.owner_rule,
           executive_engagement = EXCLUDED.executive_engagement, health_score = EXCLUDED.health_score,
           health_band = EXCLUDED.health_band, risk_flags = EXCLUDED.risk_flags, at_risk_since = EXCLUDED.at_risk_since,
           probability = EXCLUDED.probability, early_qualified = EXCLUDED.early_qualified,
           evaluated_on = EXCLUDED.evaluated_on, version = r.version + 1, updated_at = now()
         WHERE r.outcome = 'pending' AND (r.due_date, r.segment, r.type, r.motion, r.owner_role, r.owner_user_id,
           r.owner_rule, r.executive_engagement, r.health_score, r.health_band, r.risk_flags, r.at_risk_since,
           r.probability, r.early_qualified)
           IS DISTINCT FROM (EXCLUDED.due_date, EXCLUDED.segment, EXCLUDED.type, EXCLUDED.motion, EXCLUDED.owner_role,
           EXCLUDED.owner_user_id, EXCLUDED.owner_rule, EXCLUDED.executive_engagement, EXCLUDED.health_score,
           EXCLUDED.health_band, EXCLUDED.risk_flags, EXCLUDED.at_risk_since, EXCLUDED.probability, EXCLUDED.early_qualified)
         RETURNING (xmax = 0) AS inserted)
       SELECT (count(*) FILTER (WHERE inserted))::int AS inserted, (count(*) FILTER (WHERE NOT inserted))::int AS updated FROM up`,
      [tenantId, JSON.stringify(renewals), asOf],
    );
    report.renewalsOpened += counts?.inserted ?? 0;
    report.renewalsUpdated += counts?.updated ?? 0;
  }

  const tasksWritten = await insertJson(
    tx,
    `INSERT INTO tasks (tenant_id, contract_id, account_id, key, milestone, title, owner_role, owner_user_id, due_date,
       estimate_hours, status, created_on)
     SELECT $1, x.contract_id, x.account_id, x.key, x.milestone, x.title, x.owner_role, x.owner_user_id, x.due_date,
       x.estimate_hours, x.status, '${asOf}'::date
       FROM jsonb_to_recordset($2::jsonb) AS x(contract_id text, account_id text, key text, milestone text, title text,
         owner_role text, owner_user_id text, due_date date, estimate_hours double precision, status text)
       JOIN renewals r ON r.tenant_id = $1 AND r.contract_id = x.contract_id
     ON CONFLICT (tenant_id, contract_id, key) DO NOTHING`,
    tenantId,
    tasks,
    { hasStatus: true },
  );
  report.tasksOpened += tasksWritten.inserted - tasksWritten.skipped;
  report.stepsSkipped += tasksWritten.skipped;

  const alertsWritten = await insertJson(
    tx,
    `INSERT INTO alerts (tenant_id, contract_id, account_id, key, kind, severity, recipient_role, recipient_user_id,
       message, created_on)
     SELECT $1, x.contract_id, x.account_id, x.key, x.kind, x.severity, x.recipient_role, x.recipient_user_id, x.message,
       '${asOf}'::date
       FROM jsonb_to_recordset($2::jsonb) AS x(contract_id text, account_id text, key text, kind text, severity text,
         recipient_role text, recipient_user_id text, message text)
     ON CONFLICT (tenant_id, contract_id, key) DO NOTHING`,
    tenantId,
    alerts,
  );
  report.alertsRaised += alertsWritten.inserted;

  const emailsWritten = await insertJson(
    tx,
    `INSERT INTO outbox (tenant_id, idempotency_key, kind, contract_id, recipient, template, payload, status, due_on)
     SELECT $1, x.idempotency_key, x.kind, x.contract_id, x.recipient, x.template, x.payload, x.status, x.due_on
       FROM jsonb_to_recordset($2::jsonb) AS x(idempotency_key text, kind text, contract_id text, recipient text,
         template text, payload jsonb, status text, due_on date)
     ON CONFLICT (tenant_id, idempotency_key) DO NOTHING`,
    tenantId,
    emails,
    { hasStatus: true },
  );
  report.emailsQueued += emailsWritten.inserted - emailsWritten.skipped;
  report.stepsSkipped += emailsWritten.skipped;

  await raiseWebhookEvents({ tx, tenantId, asOf, evaluations, atRiskEvents });
}

/**
 * The daily run's webhook events, in the run's transaction: `renewal.at_risk` the day a renewal
 * becomes at risk, and `health.band_changed` when an account's band differs from its last snapshot
 * before this day. Keyed by day, so a re-run of the day queues nothing new. Skipped entirely (no
 * queries) when no active subscription listens to them.
 */
async function raiseWebhookEvents({
  tx,
  tenantId,
  asOf,
  evaluations,
  atRiskEvents,
}: {
  tx: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  evaluations: readonly AccountEvaluation[];
  atRiskEvents: readonly Record<string, unknown>[];
}): Promise<void> {
  const subscribed = await subscribedEvents(tx, tenantId);
  const at = new Date(`${asOf}T00:00:00Z`);
  if (subscribed.has('renewal.at_risk') && atRiskEvents.length > 0) {
    await enqueueWebhookEvents({
      session: tx,
      tenantId,
      event: 'renewal.at_risk',
      at,
      occurrences: atRiskEvents.map((data) => ({
        eventKey: `${String(data.contractId)}:at-risk:${asOf}`,
        contractId: String(data.contractId),
        data: { ...data, asOf },
      })),
    });
  }
  if (subscribed.has('health.band_changed') && evaluations.length > 0) {
    const previous = await tx.query<{ account_id: string; band: string; score: number }>(
      `SELECT DISTINCT ON (account_id) account_id, band, score FROM health_snapshots
        WHERE tenant_id = $1 AND account_id = ANY($2) AND as_of < $3
        ORDER BY account_id, as_of DESC`,
      [tenantId, evaluations.map((e) => e.accountId), asOf],
    );
    const before = new Map(previous.map((row) => [row.account_id, row]));
    const changes = evaluations.flatMap((evaluation) => {
      const last = before.get(evaluation.accountId);
      if (!last || last.band === evaluation.health.band) return [];
      return [
        {
          eventKey: `${evaluation.accountId}:band:${asOf}`,
          contractId: evaluation.renewal?.contractId ?? null,
          data: {
            accountId: evaluation.accountId,
            from: last.band,
            to: evaluation.health.band,
            scoreBefore: Number(last.score),
            score: evaluation.health.score,
            drivers: evaluation.health.drivers,
            asOf,
          },
        },
      ];
    });
    await enqueueWebhookEvents({
      session: tx,
      tenantId,
      event: 'health.band_changed',
      at,
      occurrences: changes,
    });
  }
}

/**
 * What an incremental re-run of the day needs from the last run that wrote something, kept in that
 * day's `daily_runs.summary.incremental`.
 */
type IncrementalState = {
  /** The run's transaction time: the `updated_at` of the renewals it wrote itself. */
  txTime: string;
  /**
   * Changes stamped at or after this are looked at: the run's start, lowered to the start of the
   * oldest transaction open at that moment (an import that commits later stamps rows with its start).
   */
  watermark: string;
  usersDigest: string;
  /** The renewal model the forecast step used; null when it used none. */
  modelHash: string | null;
};

/**
 * API edits of a renewal stamp `updated_at` with the application's clock, which may lag the
 * database's: renewals stamped this long before the watermark count as changed too, unless the stamp is
 * an import's or a run's own transaction time (those are the database's clock, already covered).
 */
const APP_CLOCK_MARGIN = '5 minutes';

async function runClock(tx: SqlSession): Promise<{ txTime: string; watermark: string }> {
  const [clock] = await tx.query<{ tx_time: string; watermark: string }>(
    `SELECT now()::text AS tx_time,
            (least(now(), (SELECT min(xact_start) FROM pg_stat_activity
                            WHERE pid <> pg_backend_pid() AND datname = current_database() AND xact_start IS NOT NULL))
            )::text AS watermark`,
  );
  return { txTime: clock!.tx_time, watermark: clock!.watermark };
}

/** The state of the tenant's last run when it is this day's under the same policy and people; else null. */
async function previousState(
  tx: SqlSession,
  tenantId: string,
  asOf: CalendarDate,
  policyVersion: number,
  usersDigest: string,
): Promise<IncrementalState | null> {
  const [last] = await tx.query<{ as_of: string; policy_version: number; state: IncrementalState | null }>(
    `SELECT as_of, policy_version, summary->'incremental' AS state FROM daily_runs
      WHERE tenant_id = $1 ORDER BY as_of DESC LIMIT 1`,
    [tenantId],
  );
  if (!last?.state || last.as_of !== asOf || last.policy_version !== policyVersion) return null;
  return last.state.usersDigest === usersDigest ? last.state : null;
}

/**
 * Accounts with an input row stamped since the watermark (imports stamp the account for fact rows;
 * the renewals the last run wrote itself carry its transaction time and are not changes).
 */
async function changedAccounts(tx: SqlSession, tenantId: string, state: IncrementalState): Promise<string[]> {
  const rows = await tx.query<{ account_id: string }>(
    `SELECT account_id FROM accounts WHERE tenant_id = $1 AND updated_at >= $2::timestamptz
     UNION SELECT account_id FROM contracts WHERE tenant_id = $1 AND updated_at >= $2::timestamptz
     UNION SELECT account_id FROM stakeholders WHERE tenant_id = $1 AND updated_at >= $2::timestamptz
     UNION SELECT account_id FROM renewals r
            WHERE tenant_id = $1 AND updated_at <> $3::timestamptz
              AND (updated_at >= $2::timestamptz
                   OR updated_at >= $2::timestamptz - interval '${APP_CLOCK_MARGIN}'
                      AND NOT EXISTS (SELECT 1 FROM import_runs i WHERE i.tenant_id = $1 AND i.finished_at = r.updated_at)
                      AND NOT EXISTS (SELECT 1 FROM daily_runs d WHERE d.tenant_id = $1 AND d.finished_at = r.updated_at))`,
    [tenantId, state.watermark, state.txTime],
  );
  return rows.map((row) => row.account_id).sort();
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** Runs one day for one tenant in one transaction. */
export async function runDay({
  store,
  tenantId,
  asOf,
  batchSize = 1000,
  now = () => new Date(),
  incremental = false,
}: {
  store: Store;
  tenantId: string;
  asOf: CalendarDate;
  batchSize?: number;
  now?: () => Date;
  /** Re-evaluate only the accounts changed since this day's last run (falls back to a full run). */
  incremental?: boolean;
}): Promise<DayReport> {
  const startedAt = now();
  return store.transaction(async (tx) => {
    const clock = await runClock(tx);
    const { policy, version } = await loadPolicy(tx, tenantId);
    const users = await loadUsers(tx, tenantId);
    const usersDigest = digest(users);
    const previousRun = incremental ? await previousState(tx, tenantId, asOf, version, usersDigest) : null;
    const accountIds = previousRun ? await changedAccounts(tx, tenantId, previousRun) : undefined;
    const people: Recipients = {
      users: new Map(users.map((user) => [user.userId, user])),
      executives: users.filter((user) => user.role === 'executive').map((user) => user.userId),
    };
    const report: DayReport = {
      asOf,
      policyVersion: version,
      accounts: 0,
      renewalsOpened: 0,
      renewalsUpdated: 0,
      healthSnapshots: 0,
      tasksOpened: 0,
      alertsRaised: 0,
      emailsQueued: 0,
      stepsSkipped: 0,
      newlyAtRisk: [],
      unchanged: true,
    };
    const specialists = specialistsOf(users);
    const [previous] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM daily_runs WHERE tenant_id = $1 AND as_of < $2',
      [tenantId, asOf],
    );
    const skipBefore = (previous?.n ?? 0) === 0 ? addDays(asOf, -ONBOARDING_BACKFILL_DAYS) : null;
    const forecastSteps = await startForecastInBatches({ session: tx, tenantId, asOf, policy, specialists });
    for await (const snapshots of loadStoreSnapshots({
      session: tx,
      tenantId,
      asOf,
      batchSize,
      accountIds,
    })) {
      const evaluations = evaluatePortfolio({ snapshots, policy, asOf, specialists });
      report.accounts += snapshots.length;
      await writeBatch({ tx, tenantId, asOf, snapshots, evaluations, people, report, skipBefore });
      await forecastSteps.addBatch(snapshots);
    }
    report.unchanged =
      report.renewalsOpened +
        report.renewalsUpdated +
        report.healthSnapshots +
        report.tasksOpened +
        report.alertsRaised +
        report.emailsQueued +
        report.stepsSkipped ===
      0;
    // The API's renewal list is planned from these statistics: refresh them after a bulk change.
    await analyzeIfChanged(tx, 'renewals', report.renewalsOpened + report.renewalsUpdated);
    let forecast = forecastSteps.report();
    if (previousRun) {
      // The changed accounts' renewals are done; the others need the step only when the model changed
      // since the earlier run (then all of them, as a full run) or when one lacks today's snapshot.
      const rest = await snapshotForecast({
        session: tx,
        tenantId,
        asOf,
        policy,
        onlyAccounts: { accountIds: [], ifModel: previousRun.modelHash },
      });
      forecast = {
        renewals: forecast.renewals + rest.renewals,
        snapshotsWritten: forecast.snapshotsWritten + rest.snapshotsWritten,
        categoriesChanged: forecast.categoriesChanged + rest.categoriesChanged,
        modelHash: rest.modelHash ?? forecast.modelHash,
      };
    }
    const state: IncrementalState = { ...clock, usersDigest, modelHash: forecast.modelHash };
    // A re-run that wrote nothing leaves the day's row alone (re-running a day changes nothing); the
    // state it would replace still describes a run whose outputs are current.
    const wrote = !report.unchanged || forecast.snapshotsWritten > 0 || forecast.categoriesChanged > 0;
    await tx.execute(
      `INSERT INTO daily_runs (tenant_id, as_of, policy_version, started_at, summary) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, as_of) ${
         wrote
           ? `DO UPDATE SET summary = jsonb_set(daily_runs.summary, '{incremental}', EXCLUDED.summary->'incremental')
              WHERE daily_runs.policy_version = EXCLUDED.policy_version`
           : 'DO NOTHING'
       }`,
      [tenantId, asOf, version, startedAt.toISOString(), JSON.stringify({ ...report, incremental: state })],
    );
    return report;
  });
}

/** The days a run should cover: an explicit range, or every day since the last completed run. */
export async function daysToRun({
  session,
  tenantId,
  asOf,
  from,
  maxCatchUpDays = 60,
}: {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  from?: CalendarDate;
  maxCatchUpDays?: number;
}): Promise<{ days: CalendarDate[]; skippedBefore: CalendarDate | null }> {
  let start = from;
  if (start === undefined) {
    const [last] = await session.query<{ as_of: string | null }>(
      'SELECT max(as_of) AS as_of FROM daily_runs WHERE tenant_id = $1 AND as_of <= $2',
      [tenantId, asOf],
    );
    start = last?.as_of && last.as_of < asOf ? addDays(last.as_of, 1) : asOf;
  }
  let skippedBefore: CalendarDate | null = null;
  if (from === undefined && daysBetween(start, asOf) >= maxCatchUpDays) {
    skippedBefore = start;
    start = addDays(asOf, -(maxCatchUpDays - 1));
  }
  const days: CalendarDate[] = [];
  for (let day = start; day <= asOf; day = addDays(day, 1)) days.push(day);
  return { days, skippedBefore };
}

export async function runDays({
  store,
  tenantId,
  days,
  onDay,
  incremental = false,
}: {
  store: Store;
  tenantId: string;
  days: readonly CalendarDate[];
  onDay?: (report: DayReport) => void;
  incremental?: boolean;
}): Promise<DayReport[]> {
  const reports: DayReport[] = [];
  for (const day of days) {
    const report = await runDay({ store, tenantId, asOf: day, incremental });
    onDay?.(report);
    reports.push(report);
  }
  return reports;
}
