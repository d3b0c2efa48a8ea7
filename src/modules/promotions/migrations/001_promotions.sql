-- Coupon definitions (券): a store's (merchant-funded, merchant_id set) or the platform's
-- (platform-funded). Codes are unique per issuer, ignoring case. `issued` counts every claim
-- and grant against total_quantity (发行量; NULL = unlimited).
CREATE TABLE coupons (
  id text PRIMARY KEY,
  code text NOT NULL,
  funded_by text NOT NULL CHECK (funded_by IN ('merchant', 'platform')),
  merchant_id text,
  kind text NOT NULL CHECK (kind IN ('threshold', 'no_threshold', 'percent')),
  threshold bigint NOT NULL DEFAULT 0 CHECK (threshold >= 0),
  off bigint CHECK (off > 0),
  percent_bps int CHECK (percent_bps BETWEEN 1 AND 9900),
  cap bigint CHECK (cap > 0),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  per_user_limit int NOT NULL DEFAULT 1 CHECK (per_user_limit > 0),
  total_quantity int CHECK (total_quantity > 0),
  issued int NOT NULL DEFAULT 0,
  scope jsonb NOT NULL DEFAULT '{}',
  crowd_id text,
  audience_label text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped')),
  stopped_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((funded_by = 'merchant') = (merchant_id IS NOT NULL)),
  CHECK (starts_at < ends_at),
  CHECK (total_quantity IS NULL OR issued <= total_quantity),
  CHECK (kind = 'percent' OR (off IS NOT NULL AND percent_bps IS NULL)),
  CHECK (kind <> 'percent' OR (percent_bps IS NOT NULL AND off IS NULL)),
  CHECK (kind <> 'threshold' OR threshold > off),
  CHECK (kind <> 'no_threshold' OR threshold = 0)
);
CREATE UNIQUE INDEX coupons_issuer_code ON coupons (coalesce(merchant_id, ''), lower(code));
CREATE INDEX coupons_code ON coupons (lower(code));
CREATE INDEX coupons_merchant ON coupons (merchant_id, created_at DESC);
-- A coupon a shopper holds: claimed (source 'claim') or granted (e.g. a membership's monthly
-- allowance). held -> used by an order group -> held again when all its orders are cancelled.
CREATE TABLE coupon_claims (
  id text PRIMARY KEY,
  coupon_id text NOT NULL REFERENCES coupons (id),
  buyer_id text NOT NULL,
  source text NOT NULL DEFAULT 'claim',
  status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'used')),
  order_group_id text,
  order_id text,
  used_at timestamptz,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'used') = (order_group_id IS NOT NULL))
);
CREATE INDEX coupon_claims_buyer ON coupon_claims (buyer_id, status, claimed_at);
CREATE INDEX coupon_claims_coupon ON coupon_claims (coupon_id, status);
CREATE INDEX coupon_claims_group ON coupon_claims (order_group_id);
-- Claims per shopper and coupon, so the per-person limit holds under concurrent claims.
CREATE TABLE coupon_holders (
  coupon_id text NOT NULL REFERENCES coupons (id),
  buyer_id text NOT NULL,
  claimed int NOT NULL,
  PRIMARY KEY (coupon_id, buyer_id)
);
-- What a claim took off each order it was used on (a platform coupon spans the stores of a group).
CREATE TABLE coupon_redemptions (
  claim_id text NOT NULL REFERENCES coupon_claims (id),
  order_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  redeemed_at timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz,
  PRIMARY KEY (claim_id, order_id)
);
CREATE INDEX coupon_redemptions_order ON coupon_redemptions (order_id);
-- Price rules without a claim: cross-store reductions (跨店满减, platform) and instant
-- discounts (立减, platform- or merchant-funded). Ended by hand or by their window.
CREATE TABLE promotions (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('cross_store_reduction', 'instant_discount')),
  funded_by text NOT NULL CHECK (funded_by IN ('merchant', 'platform')),
  merchant_id text,
  title text NOT NULL,
  every bigint CHECK (every > 0),
  off bigint CHECK (off > 0),
  max_off bigint CHECK (max_off > 0),
  offer_type text CHECK (offer_type IN ('per_unit', 'percent_off')),
  percent_bps int CHECK (percent_bps BETWEEN 1 AND 9900),
  scope jsonb NOT NULL DEFAULT '{}',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  ended_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((funded_by = 'merchant') = (merchant_id IS NOT NULL)),
  CHECK (starts_at < ends_at)
);
CREATE INDEX promotions_active ON promotions (status, ends_at);
CREATE INDEX promotions_merchant ON promotions (merchant_id, created_at DESC);
CREATE TABLE promotion_redemptions (
  promotion_id text NOT NULL REFERENCES promotions (id),
  order_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  redeemed_at timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz,
  PRIMARY KEY (promotion_id, order_id)
);
CREATE INDEX promotion_redemptions_order ON promotion_redemptions (order_id);
