-- A campaign may be prepared as a draft (草稿): only operators see it, its rules do not price,
-- stores cannot enrol, until it is published. Campaigns created before drafts existed were
-- published when created.
ALTER TABLE campaigns ADD COLUMN published_at timestamptz;
UPDATE campaigns SET published_at = created_at;
