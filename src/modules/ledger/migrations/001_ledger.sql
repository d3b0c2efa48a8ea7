-- Double entry: every posting's entries sum to zero. Debits positive, credits negative.
CREATE TABLE ledger_postings (
  id text PRIMARY KEY,
  kind text NOT NULL,
  ref text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, ref)
);
CREATE TABLE ledger_entries (
  posting_id text NOT NULL REFERENCES ledger_postings(id),
  line_no int NOT NULL,
  account text NOT NULL,
  amount bigint NOT NULL,
  currency text NOT NULL DEFAULT 'CNY',
  PRIMARY KEY (posting_id, line_no)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account);
