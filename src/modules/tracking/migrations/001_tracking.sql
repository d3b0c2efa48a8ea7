-- Behaviour events, append-only. Partitioned by month of receipt so that retention drops
-- whole partitions; the partitions themselves are created by the tracking service.
CREATE SEQUENCE behavior_event_ids;
CREATE TABLE behavior_events (
  id bigint NOT NULL DEFAULT nextval('behavior_event_ids'),
  received_at timestamptz NOT NULL DEFAULT now(),
  at timestamptz NOT NULL,
  -- the identifier the event came with: 'device:<id>', 'account:<userId>', 'wechat_openid:<id>', ...
  subject text NOT NULL,
  type text NOT NULL,
  -- web, platform, import:<name> or partner:<name>
  source text NOT NULL,
  product_id text,
  category text,
  brand text,
  price bigint,
  quantity int,
  amount bigint,
  order_id text,
  query text,
  results int,
  position int,
  content_id text,
  page text,
  channel text,
  campaign text
) PARTITION BY RANGE (received_at);
CREATE INDEX behavior_events_subject ON behavior_events (subject, at);
-- Arrival from tracked links (?ch=douyin&cmp=618): the last touch within the attribution
-- window is written on the orders a session leads to.
CREATE TABLE arrival_touches (
  subject text NOT NULL,
  at timestamptz NOT NULL,
  channel text NOT NULL,
  campaign text NOT NULL DEFAULT '',
  PRIMARY KEY (subject, at, channel, campaign)
);
-- Items known only from imported behaviour (e.g. the Taobao UserBehavior file): id and category.
CREATE TABLE tracked_items (
  id text PRIMARY KEY,
  source text NOT NULL,
  category text
);
