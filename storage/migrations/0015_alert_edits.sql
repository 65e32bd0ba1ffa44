-- An alert already sent is edited to say how many more sources have told its story since
-- ("+2 sources"), rather than a second alert (news/services/alerts.py says when).

-- When a story noted for alerts last grew (an article of another source joined it), written
-- by ingestion in the transaction that stores that article; the alert job looks only at the
-- stories grown in the last day.
ALTER TABLE alert_stories ADD COLUMN grown_at TEXT;
CREATE INDEX alert_stories_grown ON alert_stories (grown_at) WHERE grown_at IS NOT NULL;

-- On a sent alert (message_id is the message Telegram gave it): how many more sources the
-- message says now (0: as sent), when it was last edited, which edit is under way (a process
-- claims it, until it is recorded or a few minutes have passed), and why it can no longer be
-- edited (the reader deleted it, the chat blocked the bot): never tried again.
ALTER TABLE alerts ADD COLUMN shown_sources INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN edited_at TEXT;
ALTER TABLE alerts ADD COLUMN edit_claimed_at TEXT;
ALTER TABLE alerts ADD COLUMN edit_error TEXT;
CREATE INDEX alerts_by_story ON alerts (story_id) WHERE state = 'sent';
