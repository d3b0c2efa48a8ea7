-- Consent per purpose, append-only: the latest row per (user, purpose) is in force.
CREATE TABLE consents (
  id bigserial PRIMARY KEY,
  user_id text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('personalization', 'cross_source_fusion', 'marketing')),
  granted boolean NOT NULL,
  -- where it was given or withdrawn: registration, privacy_centre, api
  via text NOT NULL,
  notice_version text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_user ON consents (user_id, purpose, id DESC);
CREATE TABLE erasures (
  user_id text PRIMARY KEY,
  pseudonym text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  summary jsonb NOT NULL
);
