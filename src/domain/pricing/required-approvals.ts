/**
 * The approval authority matrix (DOMAIN.md 4 "T-45 proposal" and 7): who must approve a proposal
 * before the customer sees it.
 *
 * - The manager approves every proposal (the whole proposal), whatever its discount.
 * - A discount above zero is approved by the role(s) with the lowest limit that still covers it
 *   (default: manager up to 10 %, finance *and* sales leadership up to 20 %, executive above). Roles
 *   sharing that limit are all required.
 * - A discount above the policy cap always needs the executive, whatever the matrix says.
 * - Custom terms need legal.
 *
 * Discounts are compared in whole basis points; callers holding an exact discount pass it rounded up
 * (see `discountBpsCeiling`), so nothing slips under a limit by rounding.
 */
import { APPROVAL_ROLES, type ApprovalRole, type PricingPolicy } from './pricing-policy.ts';

export type RequiredApprovalsOptions = {
  discountBps: number;
  customTerms: boolean;
  policy: Pick<PricingPolicy, 'approvals' | 'discount'>;
};

export function requiredApprovals({
  discountBps,
  customTerms,
  policy,
}: RequiredApprovalsOptions): ApprovalRole[] {
  const roles = new Set<ApprovalRole>(['manager']);
  if (discountBps > 0) {
    const covering = policy.approvals.discountAuthority.filter(
      (tier) => tier.maxDiscountBps === null || tier.maxDiscountBps >= discountBps,
    );
    if (covering.length === 0) {
      roles.add('executive');
    } else {
      const limits = covering.map((tier) => tier.maxDiscountBps ?? Number.POSITIVE_INFINITY);
      const lowest = Math.min(...limits);
      for (const tier of covering) {
        if ((tier.maxDiscountBps ?? Number.POSITIVE_INFINITY) === lowest) roles.add(tier.role);
      }
    }
  }
  if (discountBps > policy.discount.capBps) roles.add('executive');
  if (customTerms) roles.add('legal');
  return APPROVAL_ROLES.filter((role) => roles.has(role));
}

/**
 * Whether a person acting in `actorRole` may decide an approval step of `stepRole`: the same role,
 * or the executive for any discount step (manager, finance, sales leadership). Legal steps are
 * legal's alone.
 */
export function canDecideStep(actorRole: string, stepRole: ApprovalRole): boolean {
  if (actorRole === stepRole) return true;
  return actorRole === 'executive' && stepRole !== 'legal';
}
