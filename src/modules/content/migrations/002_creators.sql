-- Creators (达人): accounts an operator certified, with the title their notes carry (美妆达人).
-- Anyone may write notes; the certification is what shoppers see beside a creator's name.
CREATE TABLE content_creators (
  user_id text PRIMARY KEY,
  title text NOT NULL,
  certified_by text NOT NULL,
  certified_at timestamptz NOT NULL DEFAULT now()
);
