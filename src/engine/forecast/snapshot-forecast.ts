/**
 * The daily run's forecast step: one `forecast_snapshots` row per open renewal for the day, written
 * with ON CONFLICT DO NOTHING so a day's snapshot is never rewritten (the backtest measures what was
 * forecast then, not what we think now), and the model's category on `renewals.forecast_category`
 * (the CSM's call stays in `csm_category`, beside it).
 *
 * The probability is the tenant's fitted model when its history is deep enough, else the engine's
 * transparent prior; each row's `factors` keeps the model used, the prior and the base rate, so the
 * backtest can score the model against both baselines from the snapshots alone.
 */
import { createHash } from 'node:crypto';
import type { CalendarDate } from '../../domain/calendar.ts';
import { categorizeForecast, type ForecastCategory } from '../../domain/forecast/categorize-forecast.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { toReportingCurrency } from '../../domain/policy/to-reporting-currency.ts';
import type { AccountSnapshot } from '../../domain/records.ts';
import type { HealthBand } from '../../domain/vocabulary.ts';
import type { SqlSession } from '../../store/store.ts';
import { specialistsOf } from '../evaluate-portfolio.ts';
import { loadRenewals, loadStoreSnapshots, loadUsers } from '../load-store-snapshots.ts';
import { viewRenewal } from './renewal-features.ts';
import { type RenewalModel, type ScoredRenewal, scoreRenewal } from './renewal-model.ts';
import { loadTenantModel } from './tenant-model.ts';

type OpenRow = {
  contract_id: string;
  account_id: string;
  due_date: string;
  segment: string | null;
  owner_user_id: string | null;
  health_band: HealthBand | null;
  risk_flags: string[];
  probability: number;
  stage: string | null;
  csm_category: ForecastCategory | null;
  arr_minor: number | string;
  currency: string;
};

export type ForecastSnapshotReport = {
  renewals: number;
  snapshotsWritten: number;
  categoriesChanged: number;
  /** sha256 of the model used; null when no renewal was open (no model loaded). */
  modelHash: string | null;
};

export type SnapshotForecastOptions = {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  policy: Policy;
  /**
   * An incremental re-run of the day: only these accounts' renewals (and any open renewal without a
   * snapshot for the day) — provided the model is still the one hashed `ifModel`, the one this day's
   * earlier run used; otherwise every open renewal, as in a full run.
   */
  onlyAccounts?: { accountIds: readonly string[]; ifModel: string | null };
};

const OPEN_RENEWALS = `SELECT r.contract_id, r.account_id, r.due_date, r.segment, r.owner_user_id, r.health_band, r.risk_flags,
            r.probability, r.stage, r.csm_category, c.arr_minor, c.currency
       FROM renewals r JOIN contracts c ON c.tenant_id = r.tenant_id AND c.contract_id = r.contract_id
      WHERE r.tenant_id = $1 AND r.outcome = 'pending' AND r.due_date IS NOT NULL AND r.probability IS NOT NULL`;

const hashModel = (model: unknown) => createHash('sha256').update(JSON.stringify(model)).digest('hex');

type Scored = Map<string, { scored: ScoredRenewal; healthBand: HealthBand | null; riskFlags: string[] }>;

function scoreSnapshots({
  snapshots,
  wanted,
  model,
  asOf,
  policy,
  specialists,
  into,
}: {
  snapshots: readonly AccountSnapshot[];
  wanted: ReadonlySet<string>;
  model: RenewalModel;
  asOf: CalendarDate;
  policy: Policy;
  specialists: readonly string[];
  into: Scored;
}): void {
  for (const snapshot of snapshots) {
    for (const contract of snapshot.contracts) {
      if (!wanted.has(contract.contractId)) continue;
      const view = viewRenewal({ snapshot, contract, asOf, policy, specialists, keepStage: true });
      into.set(contract.contractId, {
        scored: scoreRenewal(model, view),
        healthBand: view.healthBand,
        riskFlags: view.riskFlags,
      });
    }
  }
}

/** Writes the day's snapshot rows (never rewritten) and, unless a later day exists, the model's categories. */
async function writeForecast({
  session,
  tenantId,
  asOf,
  policy,
  rows,
  model,
  scored,
  laterDayExists,
}: {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  policy: Policy;
  rows: readonly OpenRow[];
  model: RenewalModel;
  scored: Scored;
  laterDayExists: boolean;
}): Promise<{ snapshotsWritten: number; categoriesChanged: number }> {
  const snapshots = rows.map((row) => {
    const fitted = scored.get(row.contract_id);
    const probability = fitted?.scored.probability ?? row.probability;
    const healthBand = fitted?.healthBand ?? row.health_band ?? 'yellow';
    const call = categorizeForecast({
      probability,
      healthBand,
      stage: row.stage,
      csmCategory: row.csm_category,
      policy: policy.forecast.categories,
    });
    return {
      contract_id: row.contract_id,
      account_id: row.account_id,
      due_date: row.due_date,
      segment: row.segment,
      owner_user_id: row.owner_user_id,
      arr_reporting_minor: toReportingCurrency({
        minor: Number(row.arr_minor),
        currency: row.currency,
        policy,
      }),
      probability,
      model_category: call.modelCategory,
      csm_category: row.csm_category,
      category: call.category,
      health_band: healthBand,
      risk_flags: fitted?.riskFlags ?? row.risk_flags,
      factors: {
        model: model.kind,
        prior: row.probability,
        baseRate: model.baseRate,
        rule: call.modelRule,
        factors: fitted?.scored.factors ?? [],
      },
    };
  });

  const [written] = await session.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO forecast_snapshots (tenant_id, as_of, contract_id, account_id, due_date, segment, owner_user_id,
         arr_reporting_minor, reporting_currency, probability, model_category, csm_category, category, health_band,
         risk_flags, factors)
       SELECT $1, $3::date, x.contract_id, x.account_id, x.due_date, x.segment, x.owner_user_id, x.arr_reporting_minor,
         $4, x.probability, x.model_category, x.csm_category, x.category, x.health_band,
         ARRAY(SELECT jsonb_array_elements_text(x.risk_flags)), x.factors
       FROM jsonb_to_recordset($2::jsonb) AS x(contract_id text, account_id text, due_date date, segment text,
         owner_user_id text, arr_reporting_minor bigint, probability double precision, model_category text,
         csm_category text, category text, health_band text, risk_flags jsonb, factors jsonb)
       ON CONFLICT (tenant_id, as_of, contract_id) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [tenantId, JSON.stringify(snapshots), asOf, policy.reportingCurrency],
  );

  // A backfill of an earlier day must not overwrite the category of a later day's forecast.
  let categoriesChanged = 0;
  if (!laterDayExists) {
    const [changed] = await session.query<{ n: number }>(
      `WITH up AS (
         UPDATE renewals r SET forecast_category = x.model_category
           FROM jsonb_to_recordset($2::jsonb) AS x(contract_id text, model_category text)
          WHERE r.tenant_id = $1 AND r.contract_id = x.contract_id
            AND r.forecast_category IS DISTINCT FROM x.model_category
         RETURNING 1)
       SELECT count(*)::int AS n FROM up`,
      [
        tenantId,
        JSON.stringify(
          snapshots.map((s) => ({ contract_id: s.contract_id, model_category: s.model_category })),
        ),
      ],
    );
    categoriesChanged = changed?.n ?? 0;
  }
  return { snapshotsWritten: written?.n ?? 0, categoriesChanged };
}

async function laterDay(session: SqlSession, tenantId: string, asOf: CalendarDate): Promise<boolean> {
  const [later] = await session.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM forecast_snapshots WHERE tenant_id = $1 AND as_of > $2',
    [tenantId, asOf],
  );
  return (later?.n ?? 0) > 0;
}

/**
 * The forecast step folded into the daily run's batches: after a batch's renewals are written, its
 * open renewals are scored from the snapshots already in memory (their renewal rows re-read, as the
 * batch just wrote them) — the same rows a separate pass would write, without reading the inputs twice.
 * The model is loaded at the first batch with an open renewal, as the separate pass loads it only when
 * one exists.
 */
export type ForecastInBatches = {
  addBatch(snapshots: readonly AccountSnapshot[]): Promise<void>;
  report(): ForecastSnapshotReport;
};

export async function startForecastInBatches({
  session,
  tenantId,
  asOf,
  policy,
  specialists,
}: {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  policy: Policy;
  specialists: readonly string[];
}): Promise<ForecastInBatches> {
  const laterDayExists = await laterDay(session, tenantId, asOf);
  let model: RenewalModel | null = null;
  const totals = { renewals: 0, snapshotsWritten: 0, categoriesChanged: 0 };
  return {
    async addBatch(snapshots) {
      const accountIds = snapshots.map((snapshot) => snapshot.account.accountId);
      const rows = await session.query<OpenRow>(
        `${OPEN_RENEWALS} AND r.account_id = ANY($2) ORDER BY r.contract_id`,
        [tenantId, accountIds],
      );
      if (rows.length === 0) return;
      model ??= await loadTenantModel({ session, tenantId, policy, asOf });
      const scored: Scored = new Map();
      if (model.kind === 'logistic') {
        const renewals = await loadRenewals(session, tenantId, accountIds);
        const fresh = snapshots.map((snapshot) => ({
          ...snapshot,
          renewals: renewals.get(snapshot.account.accountId) ?? [],
        }));
        const wanted = new Set(rows.map((row) => row.contract_id));
        scoreSnapshots({ snapshots: fresh, wanted, model, asOf, policy, specialists, into: scored });
      }
      const written = await writeForecast({
        session,
        tenantId,
        asOf,
        policy,
        rows,
        model,
        scored,
        laterDayExists,
      });
      totals.renewals += rows.length;
      totals.snapshotsWritten += written.snapshotsWritten;
      totals.categoriesChanged += written.categoriesChanged;
    },
    report: () => ({ ...totals, modelHash: model ? hashModel(model) : null }),
  };
}

export async function snapshotForecast({
  session,
  tenantId,
  asOf,
  policy,
  onlyAccounts,
}: SnapshotForecastOptions): Promise<ForecastSnapshotReport> {
  // The model is loaded first only when the earlier run used one and renewals are still open (as a
  // full run would: it loads the model only when there are open renewals).
  const anyOpen =
    onlyAccounts?.ifModel != null && (await session.query(`${OPEN_RENEWALS} LIMIT 1`, [tenantId])).length > 0;
  const early = anyOpen ? await loadTenantModel({ session, tenantId, policy, asOf }) : null;
  const subset = early !== null && hashModel(early) === onlyAccounts?.ifModel;
  const rows = subset
    ? await session.query<OpenRow>(
        `${OPEN_RENEWALS} AND (r.account_id = ANY($2) OR NOT EXISTS (SELECT 1 FROM forecast_snapshots f
            WHERE f.tenant_id = r.tenant_id AND f.as_of = $3::date AND f.contract_id = r.contract_id))
          ORDER BY r.contract_id`,
        [tenantId, onlyAccounts!.accountIds, asOf],
      )
    : await session.query<OpenRow>(`${OPEN_RENEWALS} ORDER BY r.contract_id`, [tenantId]);
  if (rows.length === 0)
    return {
      renewals: 0,
      snapshotsWritten: 0,
      categoriesChanged: 0,
      modelHash: early ? hashModel(early) : null,
    };
  const model = early ?? (await loadTenantModel({ session, tenantId, policy, asOf }));

  const scored: Scored = new Map();
  if (model.kind === 'logistic') {
    const specialists = specialistsOf(await loadUsers(session, tenantId));
    const wanted = new Set(rows.map((row) => row.contract_id));
    const accountIds = [...new Set(rows.map((row) => row.account_id))];
    for await (const batch of loadStoreSnapshots({ session, tenantId, asOf, accountIds }))
      scoreSnapshots({ snapshots: batch, wanted, model, asOf, policy, specialists, into: scored });
  }
  const laterDayExists = await laterDay(session, tenantId, asOf);
  const written = await writeForecast({
    session,
    tenantId,
    asOf,
    policy,
    rows,
    model,
    scored,
    laterDayExists,
  });
  return { renewals: rows.length, ...written, modelHash: hashModel(model) };
}
