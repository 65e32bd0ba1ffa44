-- An alert's edit is claimed by a process (bot/processes.py) and held while that process's
-- heartbeat is fresh, as every other claim is: not for a fixed ten minutes (0015), which an
-- edit waiting behind a long broadcast or a flood wait outlived while its process still meant
-- to make it — another process then made it too.  A process that dies leaves its edits to the
-- others after its lease; a clean stop frees them at once.
ALTER TABLE alerts ADD COLUMN edit_claimed_by INTEGER;
ALTER TABLE alerts DROP COLUMN edit_claimed_at;
-- A process's claims, found to release them (few at any moment).
CREATE INDEX alerts_edit_claimed ON alerts (edit_claimed_by) WHERE edit_claimed_by IS NOT NULL;
