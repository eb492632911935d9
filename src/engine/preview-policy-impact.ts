/**
 * What a candidate policy would change, before anyone stores it: the accounts with an open renewal
 * (outcome pending — the book the team works) are evaluated as of one day under the policy in force
 * and under the candidate, through the same engine as the daily run (`evaluatePortfolio` over store
 * snapshots read in batches), and the two evaluations are compared. The result counts accounts moving
 * between health bands and segments, and renewals whose model forecast category, early-renewal
 * qualification or at-risk status changes — each move with a few example accounts.
 *
 * Reading the accounts' history is most of the cost (usage rows above all), so the preview reads only
 * the accounts it reports on; each is read once and evaluated twice.
 *
 * Nothing is written: the work runs in one READ ONLY transaction (a write would fail, not land).
 * The forecast category is the model's call from the engine's transparent prior probability under
 * each policy: a tenant's fitted model is refitted per policy, which a preview does not do.
 */
import type { CalendarDate } from '../domain/calendar.ts';
import type { AccountEvaluation } from '../domain/evaluate-account.ts';
import { categorizeForecast, type ForecastCategory } from '../domain/forecast/categorize-forecast.ts';
import type { Policy } from '../domain/policy/policy-schema.ts';
import type { AccountSnapshot } from '../domain/records.ts';
import type { HealthBand } from '../domain/vocabulary.ts';
import type { Store } from '../store/store.ts';
import { evaluatePortfolio, specialistsOf } from './evaluate-portfolio.ts';
import { loadStoreSnapshots, loadUsers } from './load-store-snapshots.ts';

export type ImpactExample = {
  accountId: string;
  accountName: string;
  contractId: string | null;
  /** Health score under the policy in force and under the candidate. */
  scoreBefore: number;
  scoreAfter: number;
};

export type ImpactMove<T extends string> = { from: T; to: T; count: number; examples: ImpactExample[] };
export type ImpactFlip = { count: number; examples: ImpactExample[] };

export type PolicyImpact = {
  asOf: CalendarDate;
  /** Accounts evaluated: those with an open renewal. */
  accounts: number;
  openRenewals: number;
  /** Accounts per band under the policy in force and under the candidate. */
  bands: { before: Record<HealthBand, number>; after: Record<HealthBand, number> };
  healthMoves: ImpactMove<string>[];
  segmentMoves: ImpactMove<string>[];
  /** Open renewals whose model forecast category changes. */
  forecastMoves: ImpactMove<ForecastCategory>[];
  earlyRenewal: { gained: ImpactFlip; lost: ImpactFlip };
  atRisk: { gained: ImpactFlip; lost: ImpactFlip };
};

export type PreviewPolicyImpactOptions = {
  store: Store;
  tenantId: string;
  current: Policy;
  candidate: Policy;
  asOf: CalendarDate;
  batchSize?: number;
  examplesPerMove?: number;
};

type Tally<T extends string> = Map<string, ImpactMove<T>>;

function tallyMove<T extends string>(
  tally: Tally<T>,
  from: T,
  to: T,
  example: ImpactExample,
  limit: number,
): void {
  if (from === to) return;
  const key = `${from}>${to}`;
  let move = tally.get(key);
  if (!move) {
    move = { from, to, count: 0, examples: [] };
    tally.set(key, move);
  }
  move.count += 1;
  if (move.examples.length < limit) move.examples.push(example);
}

function tallyFlip(flip: ImpactFlip, example: ImpactExample, limit: number): void {
  flip.count += 1;
  if (flip.examples.length < limit) flip.examples.push(example);
}

/** Largest moves first; ties in a stable order. */
function sorted<T extends string>(tally: Tally<T>): ImpactMove<T>[] {
  return [...tally.values()].sort(
    (a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
}

/** The model's forecast category of an open renewal under one policy (null: no open renewal). */
function categoryOf(
  evaluation: AccountEvaluation,
  stage: string | null,
  policy: Policy,
): ForecastCategory | null {
  if (!evaluation.renewal) return null;
  return categorizeForecast({
    probability: evaluation.renewal.probability,
    healthBand: evaluation.health.band,
    stage,
    policy: policy.forecast.categories,
  }).modelCategory;
}

const emptyFlip = (): ImpactFlip => ({ count: 0, examples: [] });

export async function previewPolicyImpact({
  store,
  tenantId,
  current,
  candidate,
  asOf,
  batchSize = 1000,
  examplesPerMove = 5,
}: PreviewPolicyImpactOptions): Promise<PolicyImpact> {
  return store.transaction(async (tx) => {
    await tx.execute('SET TRANSACTION READ ONLY');
    const specialists = specialistsOf(await loadUsers(tx, tenantId));
    const withOpenRenewal = (
      await tx.query<{ account_id: string }>(
        `SELECT DISTINCT account_id FROM renewals WHERE tenant_id = $1 AND outcome = 'pending' ORDER BY account_id`,
        [tenantId],
      )
    ).map((row) => row.account_id);
    const health: Tally<string> = new Map();
    const segments: Tally<string> = new Map();
    const forecast: Tally<ForecastCategory> = new Map();
    const bands: PolicyImpact['bands'] = {
      before: { green: 0, yellow: 0, red: 0 },
      after: { green: 0, yellow: 0, red: 0 },
    };
    const early = { gained: emptyFlip(), lost: emptyFlip() };
    const atRisk = { gained: emptyFlip(), lost: emptyFlip() };
    let accounts = 0;
    let openRenewals = 0;

    const compare = (snapshots: readonly AccountSnapshot[]) => {
      const before = evaluatePortfolio({ snapshots, policy: current, asOf, specialists });
      const after = evaluatePortfolio({ snapshots, policy: candidate, asOf, specialists });
      snapshots.forEach((snapshot, index) => {
        const was = before[index]!;
        const now = after[index]!;
        accounts += 1;
        bands.before[was.health.band] += 1;
        bands.after[now.health.band] += 1;
        const example: ImpactExample = {
          accountId: snapshot.account.accountId,
          accountName: snapshot.account.name,
          contractId: null,
          scoreBefore: was.health.score,
          scoreAfter: now.health.score,
        };
        tallyMove(health, was.health.band, now.health.band, example, examplesPerMove);
        tallyMove(segments, was.segment, now.segment, example, examplesPerMove);

        // Renewal-level changes concern the open renewal the daily run opened (outcome pending). A
        // candidate that picks another contract (a changed overdue grace) leaves it out of these counts.
        const contractId = was.renewal?.contractId ?? null;
        const record = snapshot.renewals.find(
          (renewal) => renewal.contractId === contractId && renewal.outcome === 'pending',
        );
        if (!record || !was.renewal || now.renewal?.contractId !== contractId) return;
        openRenewals += 1;
        const renewalExample = { ...example, contractId };
        const from = categoryOf(was, record.stage, current);
        const to = categoryOf(now, record.stage, candidate);
        if (from && to) tallyMove(forecast, from, to, renewalExample, examplesPerMove);
        const qualifiedBefore = was.renewal.earlyRenewal.qualified;
        const qualifiedAfter = now.renewal.earlyRenewal.qualified;
        if (!qualifiedBefore && qualifiedAfter) tallyFlip(early.gained, renewalExample, examplesPerMove);
        if (qualifiedBefore && !qualifiedAfter) tallyFlip(early.lost, renewalExample, examplesPerMove);
        const riskBefore = was.renewal.atRiskReasons.length > 0;
        const riskAfter = now.renewal.atRiskReasons.length > 0;
        if (!riskBefore && riskAfter) tallyFlip(atRisk.gained, renewalExample, examplesPerMove);
        if (riskBefore && !riskAfter) tallyFlip(atRisk.lost, renewalExample, examplesPerMove);
      });
    };

    if (withOpenRenewal.length > 0) {
      for await (const snapshots of loadStoreSnapshots({
        session: tx,
        tenantId,
        asOf,
        batchSize,
        accountIds: withOpenRenewal,
      })) {
        compare(snapshots);
      }
    }
    return {
      asOf,
      accounts,
      openRenewals,
      bands,
      healthMoves: sorted(health),
      segmentMoves: sorted(segments),
      forecastMoves: sorted(forecast),
      earlyRenewal: early,
      atRisk,
    };
  });
}
