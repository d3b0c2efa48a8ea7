// Shapes of the membership API (src/modules/membership/routes.ts).
import type { Money } from '../shared/types';

export interface PlanScope { categoryIds?: string[]; brandIds?: string[]; merchantIds?: string[]; match?: 'all' | 'any' }
export interface Named { id: string; name: string }

export interface Plan {
  id: string; name: string; fee: Money; fullFee: Money; eligibilityScore: number; discountBps: number;
  scope: PlanScope; scopeNames: { categories: Named[]; brands: Named[]; merchants: Named[] };
  monthlyCoupons: { couponCode: string; count: number }[]; durationDays: number; active: boolean;
  createdAt: string; updatedAt: string;
}

export interface AdminPlan extends Plan { memberCount: number; paidPurchases: number; feeRevenue: Money }
export interface AdminPlans { items: AdminPlan[]; memberCount: number; feeRevenue: Money }
export interface ScopeOptions { brands: Named[]; categories: Named[]; merchants: (Named & { kind: string })[] }

export interface Purchase {
  id: string; planId: string; planName: string; amount: Money; score: number;
  status: 'pending_payment' | 'paid' | 'closed';
  createdAt: string; expiresAt: string; paidAt: string | null; closedAt: string | null;
  periodStart: string | null; periodEnd: string | null;
  payment: { id: string; status: string } | null;
}

export interface MyMembership {
  score: { value: number; cap: number; orders: number; gmv: Money; since: string };
  formula: { zh: string; en: string };
  plans: (Plan & { eligible: boolean; feeForMe: Money })[];
  memberships: { planId: string; planName: string; discountBps: number; since: string; until: string; status: 'active' | 'expired' }[];
  allowance: { month: string; items: { planId: string; planName: string; couponCode: string; count: number; granted: number | null; couponIds: string[] }[] };
  purchases: Purchase[];
}
