-- Ranking policies are versioned: editing a policy adds a version; one version is live.
CREATE TABLE search_policies (
  id text PRIMARY KEY,
  name text NOT NULL,
  version int NOT NULL,
  weights jsonb NOT NULL,
  note text NOT NULL DEFAULT '',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, version)
);
CREATE TABLE search_live_policy (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  policy_id text NOT NULL REFERENCES search_policies(id),
  switched_by text NOT NULL,
  switched_at timestamptz NOT NULL DEFAULT now()
);
-- Operator-managed synonyms: terms that mean the same; `when_terms` limits one to queries holding one of them.
CREATE TABLE search_synonyms (
  id text PRIMARY KEY,
  terms text[] NOT NULL,
  when_terms text[] NOT NULL DEFAULT '{}',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- What shoppers typed: feeds suggestions and zero-result reports.
CREATE TABLE search_queries (
  q text PRIMARY KEY,
  count int NOT NULL DEFAULT 1,
  last_results int NOT NULL,
  last_at timestamptz NOT NULL DEFAULT now()
);
-- Result clicks: with orders they give each product's conversion rate from search.
CREATE TABLE search_clicks (
  id bigserial PRIMARY KEY,
  product_id text NOT NULL,
  visitor text NOT NULL,
  q text NOT NULL,
  position int NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_clicks_product ON search_clicks (product_id, at);
