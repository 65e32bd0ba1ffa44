-- An alert's edit is claimed by a process and held while that process's heartbeat is fresh,
-- as every other claim is (storage/migrations/0016 says why).
ALTER TABLE alerts ADD COLUMN edit_claimed_by bigint;
ALTER TABLE alerts DROP COLUMN edit_claimed_at;
CREATE INDEX alerts_edit_claimed ON alerts (edit_claimed_by) WHERE edit_claimed_by IS NOT NULL;
