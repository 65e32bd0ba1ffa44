-- Follows and mutes, quiet hours, and the alerts outbox.

-- What a chat follows (an alert for each new story that matches) or, with mute = 1, never
-- wants to see.  `terms` is what matching compares (news.model.Follow): space-separated
-- normalized words, a topic slug or a wilaya code; `text` is what the reader typed.
CREATE TABLE follows (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('words', 'phrase', 'topic', 'wilaya')),
    text        TEXT NOT NULL,
    terms       TEXT NOT NULL,
    mute        INTEGER NOT NULL DEFAULT 0,
    thread_id   INTEGER,                       -- a forum topic of the chat, where alerts go
    created_at  TEXT NOT NULL,
    UNIQUE (chat_id, mute, kind, terms)
);

-- The outbox, in two steps.  A story new to the store and fresh is written here in the
-- transaction that stores it (one row, whatever the number of followers: ingestion does not
-- slow down with follows); the alert job then matches it against the follows and writes one
-- `alerts` row per chat it owes an alert to, and marks it expanded, in one transaction.  A
-- process killed anywhere between the commit and the sends still sends them after restart.
CREATE TABLE alert_stories (
    story_id    INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    expanded    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alert_stories_open ON alert_stories (story_id) WHERE expanded = 0;

-- One row per (chat, story) an alert is owed for.  pending: to send; held: quiet hours; capped: over the hourly cap, summed up
-- when that hour ends; sent, summed, failed: done.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    story_id    INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    matched     TEXT NOT NULL,                 -- what the chat follows that matched, one per line
    thread_id   INTEGER,
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'held', 'capped', 'sent', 'summed', 'failed')),
    created_at  TEXT NOT NULL,
    hour        TEXT,                          -- capped: the UTC hour (YYYY-MM-DDTHH) it was over
    sent_at     TEXT,
    message_id  INTEGER,
    error       TEXT,
    UNIQUE (chat_id, story_id)
);
CREATE INDEX alerts_open ON alerts (chat_id, id) WHERE state IN ('pending', 'held', 'capped');
CREATE INDEX alerts_sent ON alerts (chat_id, sent_at) WHERE state = 'sent';

-- In a forum supergroup, the topic the chat subscribed from: its digests go there.
ALTER TABLE chats ADD COLUMN thread_id INTEGER;
-- Quiet hours, local HH:MM in the chat's zone (may span midnight); NULL: none.
ALTER TABLE chats ADD COLUMN quiet_start TEXT;
ALTER TABLE chats ADD COLUMN quiet_end TEXT;
