-- An operator may stop a campaign early (提前结束: a rule set wrong, a recall): its rules stop
-- at once, its plan stays as it was for the record.
ALTER TABLE campaigns ADD COLUMN stopped_at timestamptz;
ALTER TABLE campaigns ADD COLUMN stop_reason text;
