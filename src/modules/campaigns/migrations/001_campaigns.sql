-- Marketing campaigns (大促, MECHANISMS.md 11): dated phases, each enabling platform-funded
-- price rules for the products merchants enrolled. starts_at/ends_at span the phases.
CREATE TABLE campaigns (
  id text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  enrolment_ends_at timestamptz NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_ends ON campaigns (ends_at, starts_at);
-- Phases in time order, never overlapping; rules are stored in fen:
-- {kind: cross_store_reduction, every, off, maxOff} | {kind: instant_discount, offer: {type: percent_off, percentBps} | {type: per_unit, off}}.
CREATE TABLE campaign_phases (
  campaign_id text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  position int NOT NULL,
  kind text NOT NULL CHECK (kind IN ('warm_up', 'presale', 'burst', 'second_wave', 'encore')),
  name text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  rules jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (campaign_id, position)
);
-- Products a store enrolled (报名) while enrolment was open.
CREATE TABLE campaign_products (
  campaign_id text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  product_id text NOT NULL,
  merchant_id text NOT NULL,
  enrolled_by text NOT NULL,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, product_id)
);
CREATE INDEX campaign_products_merchant ON campaign_products (merchant_id, campaign_id);
