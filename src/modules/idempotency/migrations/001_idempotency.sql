-- First answer to each (caller, Idempotency-Key), replayed on retries.
CREATE TABLE idempotency_keys (
  owner_id text NOT NULL,
  key text NOT NULL,
  route text NOT NULL,
  request_hash text NOT NULL,
  status_code int NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner_id, key)
);
