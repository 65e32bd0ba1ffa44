-- The alerts outbox is pruned (news/services/alerts.py, ALERT_RETENTION): an alert done (sent,
-- summed, failed: closed as stale or unfollowed, a chat gone) and the note of a story whose
-- alerts were all written, once older than the retention (30 days unless
-- AKHBAR_ALERT_RETENTION_DAYS says otherwise), a batch at a time.  Before, a chat that never
-- came back kept its closed rows for ever.  These find the oldest rows without reading the table.
CREATE INDEX alerts_created ON alerts (created_at);
CREATE INDEX alert_stories_created ON alert_stories (created_at);
