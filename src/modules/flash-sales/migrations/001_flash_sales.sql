-- Flash sales (秒杀): one SKU at unit_price during [starts_at, ends_at), from `quantity` dedicated
-- units moved out of the SKU's sellable stock into an inventory hold under the sale's id.
-- `sold` is the counter orders take units from (sold <= quantity is the no-oversell rule);
-- settled_at is set when the unsold units went back to the SKU (at the end, or on cancel).
CREATE TABLE flash_sales (
  id text PRIMARY KEY,
  merchant_id text NOT NULL,
  product_id text NOT NULL,
  sku_id text NOT NULL,
  campaign_id text,
  list_price bigint NOT NULL,
  unit_price bigint NOT NULL CHECK (unit_price > 0 AND unit_price < list_price),
  quantity int NOT NULL CHECK (quantity > 0),
  sold int NOT NULL DEFAULT 0 CHECK (sold >= 0 AND sold <= quantity),
  per_person_limit int NOT NULL CHECK (per_person_limit >= 1),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  cancelled_at timestamptz,
  settled_at timestamptz,
  returned int,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flash_sales_sku ON flash_sales (sku_id, ends_at);
CREATE INDEX flash_sales_merchant ON flash_sales (merchant_id, starts_at DESC);
CREATE INDEX flash_sales_window ON flash_sales (ends_at, starts_at) WHERE cancelled_at IS NULL;
CREATE INDEX flash_sales_product ON flash_sales (product_id, ends_at);
CREATE INDEX flash_sales_campaign ON flash_sales (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX flash_sales_unsettled ON flash_sales (ends_at) WHERE settled_at IS NULL;
-- Units each person holds of a sale (unpaid and paid orders), for the per-person limit.
CREATE TABLE flash_sale_buyers (
  sale_id text NOT NULL REFERENCES flash_sales (id),
  buyer_id text NOT NULL,
  bought int NOT NULL CHECK (bought >= 0),
  PRIMARY KEY (sale_id, buyer_id)
);
-- Which order took units of which sale, so a cancelled or expired order gives them back once.
CREATE TABLE flash_sale_orders (
  order_id text NOT NULL,
  sale_id text NOT NULL REFERENCES flash_sales (id),
  sku_id text NOT NULL,
  buyer_id text NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0),
  status text NOT NULL DEFAULT 'reserved' CHECK (status IN ('reserved', 'released')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, sale_id)
);
CREATE INDEX flash_sale_orders_sale ON flash_sale_orders (sale_id);
