-- Daily digests: each chat's schedule and choices, and a durable record of every delivery.

-- When the chat's next digest is due, as a UTC instant computed from its local date, time
-- and zone (news.schedule); NULL while it is not subscribed.
ALTER TABLE chats ADD COLUMN next_due_utc text;
-- The due instant of the last digest it got: the next digest covers what came after it.
ALTER TABLE chats ADD COLUMN last_digest_due_utc text;
-- Topic slugs the digest carries, comma-separated; empty = every topic.
ALTER TABLE chats ADD COLUMN topics text NOT NULL DEFAULT '';
-- On a day with nothing new: 1 = send a short note, 0 = send nothing.
ALTER TABLE chats ADD COLUMN empty_note integer NOT NULL DEFAULT 1;
-- The one query the scheduler runs every tick.
CREATE INDEX chats_due ON chats (next_due_utc) WHERE subscribed = 1 AND active = 1;

-- One row per chat and local day, written with the chat's next due instant in the same
-- transaction once the day's digest is sent (or found empty, skipped as stale, or failed).
CREATE TABLE deliveries (
    chat_id      bigint NOT NULL,
    local_date   text NOT NULL,              -- YYYY-MM-DD in the chat's zone
    due_utc      text NOT NULL,
    state        text NOT NULL CHECK (state IN ('sent', 'empty', 'failed', 'skipped')),
    sent_at      text,
    message_ids  text,                       -- comma-separated Telegram message ids
    error        text,
    PRIMARY KEY (chat_id, local_date)
);
CREATE INDEX deliveries_by_state ON deliveries (state, local_date);

-- Counters the operator reads in /stats: 429s seen, retries, …, per UTC day.
CREATE TABLE counters (
    day    text NOT NULL,
    name   text NOT NULL,
    value  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, name)
);

-- A digest covers what arrived since the previous one, by fetch time.
CREATE INDEX articles_by_fetched ON articles (fetched_at);
