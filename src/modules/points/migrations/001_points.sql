-- Shopper points (积分): earned when an order completes, spent at checkout as the price
-- engine's last step (1 point = 1 fen off, platform-funded), given back on cancel and refund.
CREATE TABLE point_balances (
  user_id text PRIMARY KEY,
  balance bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Every change, signed (+ earned, returned; - spent, taken back), with the order and refund it
-- came from. One row per (kind, order, refund): a replayed event or a retried call changes nothing twice.
CREATE TABLE point_movements (
  id bigserial PRIMARY KEY,
  user_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('earned', 'spent', 'returned', 'taken_back')),
  points bigint NOT NULL,
  order_id text NOT NULL,
  refund_id text NOT NULL DEFAULT '',
  at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, order_id, refund_id)
);
CREATE INDEX point_movements_user ON point_movements (user_id, at DESC, id DESC);
