-- Daily digests: each chat's schedule and choices, and a durable record of every delivery.

-- When the chat's next digest is due, as a UTC instant computed from its local date, time
-- and zone (news.schedule); NULL while it is not subscribed.
ALTER TABLE chats ADD COLUMN next_due_utc TEXT;
-- The due instant of the last digest it got: the next digest covers what came after it.
ALTER TABLE chats ADD COLUMN last_digest_due_utc TEXT;
-- Topic slugs the digest carries, comma-separated; empty = every topic.
ALTER TABLE chats ADD COLUMN topics TEXT NOT NULL DEFAULT '';
-- On a day with nothing new: 1 = send a short note, 0 = send nothing.
ALTER TABLE chats ADD COLUMN empty_note INTEGER NOT NULL DEFAULT 1;
-- The one query the scheduler runs every tick.
CREATE INDEX chats_due ON chats (next_due_utc) WHERE subscribed = 1 AND active = 1;

-- One row per chat and local day, written with the chat's next due instant in the same
-- transaction once the day's digest is sent (or found empty, skipped as stale, or failed):
-- after a crash a chat is either still due or done for the day, never half of each.
CREATE TABLE deliveries (
    chat_id      INTEGER NOT NULL,
    local_date   TEXT NOT NULL,              -- YYYY-MM-DD in the chat's zone
    due_utc      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('sent', 'empty', 'failed', 'skipped')),
    sent_at      TEXT,
    message_ids  TEXT,                       -- comma-separated Telegram message ids
    error        TEXT,
    PRIMARY KEY (chat_id, local_date)
) WITHOUT ROWID;
CREATE INDEX deliveries_by_state ON deliveries (state, local_date);

-- Counters the operator reads in /stats: 429s seen, retries, …, per UTC day.
CREATE TABLE counters (
    day    TEXT NOT NULL,
    name   TEXT NOT NULL,
    value  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, name)
) WITHOUT ROWID;

-- A digest covers what arrived since the previous one: by fetch time, so an item whose
-- publication date lags behind is still seen once.
CREATE INDEX articles_by_fetched ON articles (fetched_at);
