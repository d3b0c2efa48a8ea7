-- Keys compared in byte order ("C"): cheaper than the locale's rules on every insert into
-- the rollup, and a category prefix (LIKE '美妆/%') can use the index.
ALTER TABLE profiles ALTER COLUMN person_id TYPE text COLLATE "C";
ALTER TABLE profile_activity ALTER COLUMN person_id TYPE text COLLATE "C";
ALTER TABLE profile_activity ALTER COLUMN type TYPE text COLLATE "C";
ALTER TABLE profile_activity ALTER COLUMN category TYPE text COLLATE "C";
ALTER TABLE profile_activity ALTER COLUMN brand TYPE text COLLATE "C";
