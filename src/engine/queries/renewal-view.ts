/** How a renewal reads outside the store: one shape for lists, details and change results. */
import { formatMoney } from '../../domain/money.ts';
import type { SqlSession } from '../../store/store.ts';
import { toIso } from './page.ts';

export type MoneyView = { amount: string; currency: string };

export type RenewalView = {
  contractId: string;
  accountId: string;
  accountName: string;
  dueDate: string;
  arr: MoneyView;
  segment: string | null;
  type: string | null;
  motion: string | null;
  stage: string | null;
  outcome: string;
  closedOn: string | null;
  /** `manual` is true when a person assigned the owner: the daily run keeps it. */
  owner: { role: string | null; userId: string | null; rule: string | null; manual: boolean };
  accountOwners: { csm: string | null; sales: string | null };
  executiveEngagement: boolean | null;
  health: { score: number | null; band: string | null };
  riskFlags: string[];
  atRiskSince: string | null;
  probability: number | null;
  earlyQualified: boolean | null;
  evaluatedOn: string | null;
  forecast: {
    modelCategory: string | null;
    csmCategory: string | null;
    csmCategoryBy: string | null;
    csmCategoryAt: string | null;
    csmNote: string | null;
    category: string | null;
  };
  renewedArr: MoneyView | null;
  termYears: number | null;
  reasons: string[];
  competitor: string | null;
  signedDaysEarly: number | null;
  /** The close-out as recorded: won / lost / downgraded / churned (null while open or for history). */
  closeOutcome: string | null;
  lessons: string | null;
  version: number;
  updatedAt: string;
};

export type RenewalRow = {
  contract_id: string;
  account_id: string;
  account_name: string;
  owner_csm: string | null;
  owner_sales: string | null;
  due: string;
  arr_minor: number;
  currency: string;
  segment: string | null;
  type: string | null;
  motion: string | null;
  stage: string | null;
  outcome: string;
  closed_on: string | null;
  owner_role: string | null;
  owner_user_id: string | null;
  owner_rule: string | null;
  executive_engagement: boolean | null;
  health_score: number | null;
  health_band: string | null;
  risk_flags: string[];
  at_risk_since: string | null;
  probability: number | null;
  early_qualified: boolean | null;
  evaluated_on: string | null;
  forecast_category: string | null;
  csm_category: string | null;
  csm_category_by: string | null;
  csm_category_at: Date | string | null;
  csm_note: string | null;
  renewed_arr_minor: number | null;
  term_years: number | null;
  reasons: string[];
  competitor: string | null;
  signed_days_early: number | null;
  close_outcome: string | null;
  lessons: string | null;
  owner_override_user_id: string | null;
  version: number;
  updated_at: Date | string;
};

export const RENEWAL_SELECT = `SELECT r.contract_id, r.account_id, a.name AS account_name, a.owner_csm, a.owner_sales,
    coalesce(r.due_date, c.end_date) AS due, c.arr_minor, c.currency, r.segment, r.type, r.motion, r.stage, r.outcome,
    r.closed_on, r.owner_role, r.owner_user_id, r.owner_rule, r.executive_engagement, r.health_score, r.health_band,
    r.risk_flags, r.at_risk_since, r.probability, r.early_qualified, r.evaluated_on, r.forecast_category,
    r.csm_category, r.csm_category_by, r.csm_category_at, r.csm_note, r.renewed_arr_minor, r.term_years, r.reasons,
    r.competitor, r.signed_days_early, r.close_outcome, r.lessons, r.owner_override_user_id, r.version, r.updated_at
  FROM renewals r
  JOIN contracts c ON c.tenant_id = r.tenant_id AND c.contract_id = r.contract_id
  JOIN accounts a ON a.tenant_id = r.tenant_id AND a.account_id = r.account_id`;

export function toRenewalView(row: RenewalRow): RenewalView {
  return {
    contractId: row.contract_id,
    accountId: row.account_id,
    accountName: row.account_name,
    dueDate: row.due,
    arr: formatMoney({ minor: Number(row.arr_minor), currency: row.currency }),
    segment: row.segment,
    type: row.type,
    motion: row.motion,
    stage: row.stage,
    outcome: row.outcome,
    closedOn: row.closed_on,
    owner: {
      role: row.owner_role,
      userId: row.owner_user_id,
      rule: row.owner_rule,
      manual: row.owner_override_user_id !== null,
    },
    accountOwners: { csm: row.owner_csm, sales: row.owner_sales },
    executiveEngagement: row.executive_engagement,
    health: { score: row.health_score, band: row.health_band },
    riskFlags: row.risk_flags,
    atRiskSince: row.at_risk_since,
    probability: row.probability,
    earlyQualified: row.early_qualified,
    evaluatedOn: row.evaluated_on,
    forecast: {
      modelCategory: row.forecast_category,
      csmCategory: row.csm_category,
      csmCategoryBy: row.csm_category_by,
      csmCategoryAt: toIso(row.csm_category_at),
      csmNote: row.csm_note,
      category: row.csm_category ?? row.forecast_category,
    },
    renewedArr:
      row.renewed_arr_minor === null
        ? null
        : formatMoney({ minor: Number(row.renewed_arr_minor), currency: row.currency }),
    termYears: row.term_years,
    reasons: row.reasons,
    competitor: row.competitor,
    signedDaysEarly: row.signed_days_early,
    closeOutcome: row.close_outcome,
    lessons: row.lessons,
    version: row.version,
    updatedAt: toIso(row.updated_at)!,
  };
}

export async function findRenewal(
  session: SqlSession,
  tenantId: string,
  contractId: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<RenewalRow | null> {
  const [row] = await session.query<RenewalRow>(
    `${RENEWAL_SELECT} WHERE r.tenant_id = $1 AND r.contract_id = $2${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [tenantId, contractId],
  );
  return row ?? null;
}
