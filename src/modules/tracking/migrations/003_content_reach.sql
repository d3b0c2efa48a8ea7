-- Views per note or live session for their authors' figures (浏览, 观看人数). Partial, so the
-- write path pays for content views only.
CREATE INDEX behavior_events_content_views ON behavior_events (content_id, subject) WHERE type = 'content_view';
