CREATE TABLE payments (
  id text PRIMARY KEY,
  group_id text NOT NULL,
  buyer_id text NOT NULL,
  provider text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL DEFAULT 'CNY',
  -- refunded: money arrived for a group that was cancelled or already paid, and went straight back.
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
  provider_txn_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  succeeded_at timestamptz
);
CREATE INDEX payments_group ON payments (group_id);
-- At most one successful payment per order group.
CREATE UNIQUE INDEX payments_group_succeeded ON payments (group_id) WHERE status = 'succeeded';
-- Each provider notification handled once, whatever the retries.
CREATE TABLE payment_notifications (
  provider text NOT NULL,
  event_id text NOT NULL,
  payment_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_id)
);
CREATE TABLE refunds (
  id text PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments(id),
  order_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  reason text NOT NULL,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, reason)
);
