CREATE TABLE cart_items (
  user_id text NOT NULL,
  sku_id text NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, sku_id)
);
