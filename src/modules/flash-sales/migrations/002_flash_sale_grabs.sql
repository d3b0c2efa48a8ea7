-- Grabs (抢购): a shopper's units of a flash sale, taken by one statement (the sale's counter,
-- the buyer's count and this row together); a worker then places the order behind it.
-- taken: the units are held, the order is being written; ordered: order_id holds them now;
-- failed: the checkout refused (failure_code says why) and the units went back to the sale.
-- The Idempotency-Key lives here: a grab is only written when it took units.
CREATE TABLE flash_sale_grabs (
  id text PRIMARY KEY,
  sale_id text NOT NULL REFERENCES flash_sales (id),
  buyer_id text NOT NULL,
  sku_id text NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0),
  address jsonb NOT NULL,
  device_id text,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  status text NOT NULL DEFAULT 'taken' CHECK (status IN ('taken', 'ordered', 'failed')),
  order_id text,
  failure_code text,
  attempts int NOT NULL DEFAULT 0,
  grabbed_at timestamptz NOT NULL,
  done_at timestamptz
);
CREATE UNIQUE INDEX flash_sale_grabs_key ON flash_sale_grabs (buyer_id, idempotency_key);
CREATE INDEX flash_sale_grabs_buyer ON flash_sale_grabs (buyer_id, grabbed_at DESC);
CREATE INDEX flash_sale_grabs_taken ON flash_sale_grabs (grabbed_at) WHERE status = 'taken';
CREATE INDEX flash_sale_grabs_sale_taken ON flash_sale_grabs (sale_id) WHERE status = 'taken';
-- The buyer's count carries the sale's limit so the database itself refuses a count above it:
-- a grab's single statement fails (and takes nothing) when one person's racing grabs would pass it.
ALTER TABLE flash_sale_buyers ADD COLUMN per_person_limit int;
ALTER TABLE flash_sale_buyers ADD CONSTRAINT flash_sale_buyers_within_limit CHECK (per_person_limit IS NULL OR bought <= per_person_limit);
