-- Subjects are opaque identifiers: byte order ("C") compares them with memcmp instead of
-- the locale's rules, which made every index insert on the write path measurably slower.
ALTER TABLE behavior_events ALTER COLUMN subject TYPE text COLLATE "C";
ALTER TABLE arrival_touches ALTER COLUMN subject TYPE text COLLATE "C";
