-- The identity graph: identifiers are nodes, links are edges, a person is a connected
-- component (kept as person_id on each identifier, the union-find root).
CREATE TABLE persons (
  id text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- set when this person was absorbed by a merge; lookups follow it
  merged_into text,
  erased_at timestamptz
);
CREATE TABLE person_identifiers (
  -- '<kind>:<value>', e.g. 'account:usr_..', 'device:..', 'phone:<sha256>', 'wechat_unionid:..'
  key text PRIMARY KEY,
  kind text NOT NULL,
  person_id text NOT NULL REFERENCES persons(id),
  source text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_identifiers_person ON person_identifiers (person_id);
CREATE TABLE identity_links (
  id text PRIMARY KEY,
  a_key text NOT NULL,
  b_key text NOT NULL,
  source text NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  undone_at timestamptz,
  undone_by text
);
CREATE INDEX identity_links_a ON identity_links (a_key) WHERE undone_at IS NULL;
CREATE INDEX identity_links_b ON identity_links (b_key) WHERE undone_at IS NULL;
-- What happened to persons: merges by a link, splits when a link was undone.
CREATE TABLE person_history (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('merge', 'split')),
  link_id text NOT NULL,
  person_id text NOT NULL,
  other_person_id text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_history_person ON person_history (person_id);
CREATE INDEX person_history_other ON person_history (other_person_id);
-- A partner source may send identities and events only under a recorded consent that
-- names the source and the purposes (PIPL Art. 23: separate consent for sharing).
CREATE TABLE source_consents (
  id text PRIMARY KEY,
  source text NOT NULL,
  purposes text[] NOT NULL,
  basis text NOT NULL,
  notice_version text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE TABLE partner_imports (
  id text PRIMARY KEY,
  source text NOT NULL,
  consent_id text NOT NULL REFERENCES source_consents(id),
  imported_by text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  summary jsonb NOT NULL
);
