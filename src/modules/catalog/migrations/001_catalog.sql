CREATE TABLE merchants (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('self_operated', 'marketplace')),
  commission_rate_bps int NOT NULL CHECK (commission_rate_bps BETWEEN 0 AND 10000),
  owner_user_id text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE categories (
  id text PRIMARY KEY,
  parent_id text REFERENCES categories(id),
  name text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  path text NOT NULL UNIQUE
);
CREATE TABLE brands (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE
);
CREATE TABLE products (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  title text NOT NULL,
  title_en text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  brand_id text REFERENCES brands(id),
  category_id text REFERENCES categories(id),
  attributes jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  sales int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_merchant ON products (merchant_id, created_at);
CREATE INDEX products_category ON products (category_id);
CREATE TABLE skus (
  id text PRIMARY KEY,
  product_id text NOT NULL REFERENCES products(id),
  merchant_id text NOT NULL REFERENCES merchants(id),
  code text NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}',
  price_amount bigint NOT NULL CHECK (price_amount > 0),
  currency text NOT NULL DEFAULT 'CNY',
  UNIQUE (merchant_id, code)
);
CREATE INDEX skus_product ON skus (product_id);
