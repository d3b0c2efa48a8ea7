-- The tracked link a checkout's session arrived from (?ch=douyin&cmp=618), for attribution.
ALTER TABLE orders ADD COLUMN arrival_channel text;
ALTER TABLE orders ADD COLUMN arrival_campaign text;
