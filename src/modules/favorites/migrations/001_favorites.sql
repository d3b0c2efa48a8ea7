-- A shopper's saved products (收藏夹).
CREATE TABLE favorites (
  user_id text NOT NULL,
  product_id text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, product_id)
);
