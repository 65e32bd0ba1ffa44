-- An alert already sent is edited to say how many more sources have told its story since
-- (storage/migrations/0015 says how these are used).

ALTER TABLE alert_stories ADD COLUMN grown_at text;
CREATE INDEX alert_stories_grown ON alert_stories (grown_at) WHERE grown_at IS NOT NULL;

ALTER TABLE alerts ADD COLUMN shown_sources integer NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN edited_at text;
ALTER TABLE alerts ADD COLUMN edit_claimed_at text;
ALTER TABLE alerts ADD COLUMN edit_error text;
CREATE INDEX alerts_by_story ON alerts (story_id) WHERE state = 'sent';
