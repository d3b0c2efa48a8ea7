-- 预售: a merchant sells a SKU ahead of stock: a deposit now, the balance in a later window.
CREATE TABLE presales (
  id text PRIMARY KEY,
  merchant_id text NOT NULL,
  sku_id text NOT NULL,
  product_id text NOT NULL,
  unit_price bigint NOT NULL CHECK (unit_price > 0),
  unit_deposit bigint NOT NULL CHECK (unit_deposit > 0),
  unit_deposit_value bigint NOT NULL CHECK (unit_deposit_value >= unit_deposit),
  deposit_starts_at timestamptz NOT NULL,
  deposit_ends_at timestamptz NOT NULL,
  balance_starts_at timestamptz NOT NULL,
  balance_ends_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (deposit_starts_at < deposit_ends_at AND deposit_ends_at <= balance_starts_at AND balance_starts_at < balance_ends_at)
);
CREATE INDEX presales_sku ON presales (sku_id, deposit_starts_at);
CREATE INDEX presales_merchant ON presales (merchant_id, created_at DESC);

-- One shopper's presale purchase: its deposit order, then the order that pays the balance.
CREATE TABLE presale_orders (
  id text PRIMARY KEY,
  presale_id text NOT NULL REFERENCES presales(id),
  buyer_id text NOT NULL,
  merchant_id text NOT NULL,
  sku_id text NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0),
  deposit_order_id text NOT NULL UNIQUE,
  balance_order_id text,
  state text NOT NULL CHECK (state IN ('awaiting_deposit', 'deposit_paid', 'balance_ordered', 'balance_paid', 'closed', 'forfeited', 'refunded')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX presale_orders_buyer ON presale_orders (buyer_id, created_at DESC);
CREATE INDEX presale_orders_presale ON presale_orders (presale_id, state);
CREATE UNIQUE INDEX presale_orders_balance ON presale_orders (balance_order_id) WHERE balance_order_id IS NOT NULL;
