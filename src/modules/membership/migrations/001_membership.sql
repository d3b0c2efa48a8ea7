-- Paid membership (88VIP style, MECHANISMS.md 6): plans are operator configuration.
CREATE TABLE membership_plans (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- fee for shoppers whose loyalty score reaches eligibility_score; full_fee for the others
  fee bigint NOT NULL CHECK (fee >= 0),
  full_fee bigint NOT NULL CHECK (full_fee >= fee),
  eligibility_score int NOT NULL CHECK (eligibility_score >= 0),
  discount_bps int NOT NULL CHECK (discount_bps BETWEEN 1 AND 5000),
  -- the price engine's Scope: {categoryIds?, brandIds?, merchantIds?}
  scope jsonb NOT NULL DEFAULT '{}',
  -- [{couponCode, count}]: platform coupons granted once per calendar month (Asia/Shanghai)
  monthly_coupons jsonb NOT NULL DEFAULT '[]',
  duration_days int NOT NULL CHECK (duration_days > 0),
  -- inactive plans are no longer sold; their members keep the benefits until their term ends
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One purchase (or renewal) of a plan: paid through the payments module (purpose 'membership').
CREATE TABLE membership_purchases (
  id text PRIMARY KEY,
  buyer_id text NOT NULL,
  plan_id text NOT NULL REFERENCES membership_plans(id),
  amount bigint NOT NULL CHECK (amount >= 0),
  -- the loyalty score the fee was chosen by
  score int NOT NULL,
  status text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'closed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  paid_at timestamptz,
  closed_at timestamptz,
  -- the term this purchase added
  period_start timestamptz,
  period_end timestamptz
);
CREATE INDEX membership_purchases_buyer ON membership_purchases (buyer_id, created_at DESC);
CREATE INDEX membership_purchases_plan_paid ON membership_purchases (plan_id) WHERE status = 'paid';
CREATE INDEX membership_purchases_pending_expiry ON membership_purchases (expires_at) WHERE status = 'pending_payment';
-- A shopper's membership of a plan: renewals extend `until`; `since` is the start of the unbroken term.
CREATE TABLE memberships (
  buyer_id text NOT NULL,
  plan_id text NOT NULL REFERENCES membership_plans(id),
  since timestamptz NOT NULL,
  until timestamptz NOT NULL,
  PRIMARY KEY (buyer_id, plan_id)
);
CREATE INDEX memberships_plan_until ON memberships (plan_id, until);
-- Each month's coupon allowance, given once per (member, plan, month, coupon code).
CREATE TABLE membership_coupon_grants (
  buyer_id text NOT NULL,
  plan_id text NOT NULL REFERENCES membership_plans(id),
  -- YYYY-MM in Asia/Shanghai
  month text NOT NULL,
  coupon_code text NOT NULL,
  allowance int NOT NULL,
  -- fewer than the allowance when the promotions module could not grant more (coupon ended, out of stock...)
  coupon_ids text[] NOT NULL DEFAULT '{}',
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (buyer_id, plan_id, month, coupon_code)
);
