-- One profile per person, folded from behaviour events as they arrive and recomputable
-- from them. `state` holds the decayed affinities and histograms; the columns are what
-- crowds and tag rules filter on.
CREATE TABLE profiles (
  person_id text PRIMARY KEY,
  state jsonb NOT NULL,
  events int NOT NULL DEFAULT 0,
  first_at timestamptz,
  last_at timestamptz,
  orders int NOT NULL DEFAULT 0,
  monetary bigint NOT NULL DEFAULT 0,
  last_order_at timestamptz,
  price_band text,
  top_categories text[] NOT NULL DEFAULT '{}',
  top_brands text[] NOT NULL DEFAULT '{}',
  channels text[] NOT NULL DEFAULT '{}',
  tags text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profiles_last_at ON profiles (last_at);
CREATE INDEX profiles_tags ON profiles USING gin (tags);
-- Daily rollup per person of what they did, by category and brand: crowds ask
-- "bought beauty in the last 90 days" here instead of scanning raw events.
CREATE TABLE profile_activity (
  person_id text NOT NULL,
  day date NOT NULL,
  type text NOT NULL,
  category text NOT NULL DEFAULT '',
  brand text NOT NULL DEFAULT '',
  count int NOT NULL,
  amount bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (person_id, type, category, brand, day)
);
CREATE INDEX profile_activity_type_day ON profile_activity (type, day);
-- Tags a shopper deleted: not shown again unless behaviour after `deleted_at` supports them.
CREATE TABLE profile_tag_suppressions (
  person_id text NOT NULL,
  tag_id text NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, tag_id)
);
