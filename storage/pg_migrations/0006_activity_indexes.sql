-- The daily figures of /stats's chart and `akhbar stats` (storage/activity.py) count what
-- happened in the last 30 days: each by an index on the time it counts by, so that a large
-- archive costs what those days hold, not its whole history.

-- Articles per day and source, read from the index alone.  It also serves everything the
-- index on fetched_at alone served (its first column), which it replaces.
CREATE INDEX articles_by_fetched_source ON articles (fetched_at, source);
DROP INDEX articles_by_fetched;
-- Digests and alerts sent per day (and `ChatStore.sent_on`, which read every delivery).  The
-- state is the deliveries index's first column: with a partial index on sent_at alone, SQLite
-- would rather take deliveries_by_state (state, local_date) and read every digest ever sent.
CREATE INDEX deliveries_sent ON deliveries (state, sent_at);
CREATE INDEX alerts_sent_at ON alerts (sent_at) WHERE state = 'sent';
