-- One checkout makes one order group, split into one order per merchant.
CREATE TABLE order_groups (
  id text PRIMARY KEY,
  buyer_id text NOT NULL,
  payable bigint NOT NULL,
  currency text NOT NULL DEFAULT 'CNY',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX order_groups_buyer ON order_groups (buyer_id);
CREATE TABLE orders (
  id text PRIMARY KEY,
  group_id text NOT NULL REFERENCES order_groups(id),
  merchant_id text NOT NULL,
  buyer_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'shipped', 'completed', 'cancelled')),
  list_total bigint NOT NULL,
  discount_total bigint NOT NULL DEFAULT 0,
  payable bigint NOT NULL,
  currency text NOT NULL DEFAULT 'CNY',
  -- the merchant's rate when the order was placed; settlement charges this one.
  commission_rate_bps int NOT NULL,
  address jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  paid_at timestamptz,
  shipped_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text
);
CREATE INDEX orders_group ON orders (group_id);
CREATE INDEX orders_buyer ON orders (buyer_id, created_at DESC);
CREATE INDEX orders_merchant ON orders (merchant_id, status, created_at DESC);
CREATE INDEX orders_pending_expiry ON orders (expires_at) WHERE status = 'pending_payment';
CREATE TABLE order_lines (
  order_id text NOT NULL REFERENCES orders(id),
  line_no int NOT NULL,
  sku_id text NOT NULL,
  product_id text NOT NULL,
  title text NOT NULL,
  sku_attributes jsonb NOT NULL DEFAULT '{}',
  quantity int NOT NULL CHECK (quantity > 0),
  unit_price bigint NOT NULL,
  list_total bigint NOT NULL,
  discounts jsonb NOT NULL DEFAULT '[]',
  payable bigint NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
