-- The alerts outbox is pruned past its retention (storage/migrations/0022 says why).
CREATE INDEX alerts_created ON alerts (created_at);
CREATE INDEX alert_stories_created ON alert_stories (created_at);
