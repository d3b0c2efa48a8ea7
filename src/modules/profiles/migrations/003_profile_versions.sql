-- Every write of a profile takes a new number from this sequence, so a writer that read a
-- profile can store its fold only if nobody wrote the profile since (and a profile deleted
-- and created again never repeats a number).
CREATE SEQUENCE profile_versions;
ALTER TABLE profiles ADD COLUMN version bigint NOT NULL DEFAULT 0;
