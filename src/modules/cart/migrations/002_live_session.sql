-- A line added from a live room (直播间) remembers its session: checkout applies the session's
-- live price while the session is live, and the list price after.
ALTER TABLE cart_items ADD COLUMN live_session_id text;
