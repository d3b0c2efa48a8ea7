-- What the price engine decided for each line, kept so refunds and settlement never price again (MECHANISMS 5).
ALTER TABLE order_lines ADD COLUMN list_price bigint;
UPDATE order_lines SET list_price = unit_price;
ALTER TABLE order_lines ALTER COLUMN list_price SET NOT NULL;
ALTER TABLE order_lines ADD COLUMN price_source text NOT NULL DEFAULT 'list';
ALTER TABLE order_lines ADD COLUMN merchant_funded bigint NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN platform_funded bigint NOT NULL DEFAULT 0;
-- A presale balance line's deposit, paid in an earlier order; a deposit line's balance, still owed.
ALTER TABLE order_lines ADD COLUMN paid_before bigint NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN pay_later bigint NOT NULL DEFAULT 0;
-- Refunded so far: units, money returned, and the platform-funded discount those units no longer earn.
ALTER TABLE order_lines ADD COLUMN refunded_quantity int NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN refunded_amount bigint NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN refunded_platform_funded bigint NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_refund_within CHECK (
  refunded_quantity BETWEEN 0 AND quantity AND refunded_amount BETWEEN 0 AND payable AND refunded_platform_funded BETWEEN 0 AND platform_funded);

ALTER TABLE orders ADD COLUMN merchant_funded bigint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN platform_funded bigint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN refunded bigint NOT NULL DEFAULT 0 CHECK (refunded >= 0);
ALTER TABLE orders ADD COLUMN refunded_platform_funded bigint NOT NULL DEFAULT 0;

-- Each partial refund of an order: which units of which lines, and what went back.
CREATE TABLE order_refunds (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders(id),
  lines jsonb NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  platform_funded bigint NOT NULL DEFAULT 0,
  reason text NOT NULL,
  requested_by text NOT NULL,
  after_settlement boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_refunds_order ON order_refunds (order_id, created_at);
