-- available: can be sold now; reserved: held by unpaid orders. Neither goes below zero.
CREATE TABLE stock_levels (
  sku_id text PRIMARY KEY,
  available int NOT NULL CHECK (available >= 0),
  reserved int NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  sold int NOT NULL DEFAULT 0 CHECK (sold >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One row per order line holding stock: reserved -> committed (paid) or released.
CREATE TABLE stock_reservations (
  order_id text NOT NULL,
  sku_id text NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0),
  status text NOT NULL DEFAULT 'reserved' CHECK (status IN ('reserved', 'committed', 'released', 'returned')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, sku_id)
);
