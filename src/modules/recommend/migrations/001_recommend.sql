-- Trained recommendation models, one row per training run. `data` is the model itself
-- (typed arrays, v8-serialised), so every node loads the active one and an operator can
-- switch back to an earlier version.
CREATE TABLE reco_models (
  version serial PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('training', 'ready', 'failed')),
  trigger text NOT NULL,
  -- 0..1 while training
  progress real NOT NULL DEFAULT 0,
  stage text NOT NULL DEFAULT '',
  settings jsonb NOT NULL DEFAULT '{}',
  -- people, items and interactions learned from; validation hit rate
  stats jsonb NOT NULL DEFAULT '{}',
  error text,
  data bytea,
  active boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  activated_at timestamptz
);
CREATE UNIQUE INDEX reco_models_one_active ON reco_models (active) WHERE active;
-- What was shown where and by which recaller; a click marks the row, so click-through
-- per surface and per recaller is one GROUP BY.
CREATE TABLE reco_impressions (
  request_id text NOT NULL,
  position int NOT NULL,
  surface text NOT NULL,
  product_id text NOT NULL,
  recaller text NOT NULL,
  person_id text,
  model_version int,
  shown_at timestamptz NOT NULL DEFAULT now(),
  clicked_at timestamptz,
  PRIMARY KEY (request_id, position)
);
CREATE INDEX reco_impressions_shown ON reco_impressions (shown_at);
-- "Not interested": the shopper's own block on a product in their feed.
CREATE TABLE reco_blocks (
  person_id text NOT NULL,
  product_id text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, product_id)
);
-- Editorial picks: what an operator puts in everyone's feed, the non-personalised one included.
CREATE TABLE reco_editorial (
  product_id text PRIMARY KEY,
  note text NOT NULL DEFAULT '',
  added_by text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now()
);
