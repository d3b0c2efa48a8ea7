CREATE TABLE shipments (
  order_id text PRIMARY KEY,
  merchant_id text NOT NULL,
  carrier text NOT NULL,
  tracking_no text NOT NULL,
  shipped_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (carrier, tracking_no)
);
