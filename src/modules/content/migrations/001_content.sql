-- Seeding notes (种草笔记): written by a shopper (author_kind 'user') or by a store's staff
-- in the store's name (author_kind 'merchant'). Hidden notes stay for their author and operators.
CREATE TABLE content_notes (
  id text PRIMARY KEY,
  author_kind text NOT NULL CHECK (author_kind IN ('user', 'merchant')),
  author_id text NOT NULL,
  written_by text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  images jsonb NOT NULL DEFAULT '[]',
  product_ids text[] NOT NULL,
  status text NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden')),
  hidden_reason text,
  hidden_by text,
  hidden_at timestamptz,
  like_count int NOT NULL DEFAULT 0,
  comment_count int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX content_notes_feed ON content_notes (created_at DESC, id DESC) WHERE status = 'visible';
CREATE INDEX content_notes_author ON content_notes (author_kind, author_id, created_at DESC);
CREATE TABLE content_likes (
  note_id text NOT NULL REFERENCES content_notes (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (note_id, user_id)
);
CREATE INDEX content_likes_user ON content_likes (user_id);
CREATE TABLE content_comments (
  id text PRIMARY KEY,
  note_id text NOT NULL REFERENCES content_notes (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  body text NOT NULL,
  removed_by text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX content_comments_note ON content_comments (note_id, created_at);
-- Livestreams (直播) of one store: scheduled -> live -> ended, or scheduled -> cancelled.
CREATE TABLE live_sessions (
  id text PRIMARY KEY,
  merchant_id text NOT NULL,
  title text NOT NULL,
  cover_url text,
  scheduled_start timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended', 'cancelled')),
  started_at timestamptz,
  ended_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX live_sessions_merchant ON live_sessions (merchant_id, scheduled_start DESC);
CREATE INDEX live_sessions_status ON live_sessions (status, scheduled_start);
-- A SKU sold in a session at a live-only price (直播价), below its list price, valid while live.
CREATE TABLE live_session_skus (
  session_id text NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
  sku_id text NOT NULL,
  product_id text NOT NULL,
  live_price bigint NOT NULL CHECK (live_price > 0),
  position int NOT NULL,
  PRIMARY KEY (session_id, sku_id)
);
CREATE INDEX live_session_skus_product ON live_session_skus (product_id);
-- Orders that followed a view of a note or a live session linking their products (种草转化).
-- One row per order and content; each product of the order counts for the last content viewed
-- that links it, so an order's amount is never counted twice.
CREATE TABLE content_attributions (
  order_id text NOT NULL,
  content_id text NOT NULL,
  content_kind text NOT NULL CHECK (content_kind IN ('note', 'live')),
  author_kind text NOT NULL,
  author_id text NOT NULL,
  buyer_id text NOT NULL,
  merchant_id text NOT NULL,
  product_ids text[] NOT NULL,
  amount bigint NOT NULL,
  viewed_at timestamptz NOT NULL,
  cancelled boolean NOT NULL DEFAULT false,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, content_id)
);
CREATE INDEX content_attributions_content ON content_attributions (content_id);
CREATE INDEX content_attributions_author ON content_attributions (author_kind, author_id);
