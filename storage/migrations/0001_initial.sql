-- Articles, their topics, and the chats that read them.
-- Times are ISO 8601 UTC text ('2026-11-29T06:40:00Z'): they sort as strings and read plainly.

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL CHECK (length(trim(title)) > 0),
    title_key     TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    url           TEXT,
    source        TEXT NOT NULL DEFAULT '',
    published_at  TEXT,
    fetched_at    TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT 'ar',
    content_hash  TEXT NOT NULL,
    hidden        INTEGER NOT NULL DEFAULT 0
);

-- The two de-duplication rules: one article per URL, one per (source, normalized title).
CREATE UNIQUE INDEX articles_by_url ON articles (url) WHERE url IS NOT NULL;
CREATE UNIQUE INDEX articles_by_source_title ON articles (source, title_key);
CREATE INDEX articles_by_content_hash ON articles (content_hash);
-- Listings are newest first by publication time, falling back to when we fetched it.
CREATE INDEX articles_newest ON articles (coalesce(published_at, fetched_at) DESC, id DESC);

CREATE TABLE article_topics (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    PRIMARY KEY (article_id, topic)
) WITHOUT ROWID;
CREATE INDEX article_topics_by_topic ON article_topics (topic, article_id);

CREATE TABLE chats (
    id               INTEGER PRIMARY KEY,          -- Telegram chat id
    type             TEXT NOT NULL,                -- private, group, supergroup, channel
    title            TEXT NOT NULL DEFAULT '',
    lang             TEXT NOT NULL DEFAULT 'ar',   -- interface language: ar, fr, en
    tz               TEXT NOT NULL,                -- IANA zone of the digest
    digest_time      TEXT NOT NULL,                -- local HH:MM of the digest
    subscribed       INTEGER NOT NULL DEFAULT 0,
    -- Soft-disable: a chat that blocked the bot is kept, only marked inactive.
    active           INTEGER NOT NULL DEFAULT 1,
    inactive_reason  TEXT,
    inactive_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX chats_subscribed_active ON chats (id) WHERE subscribed = 1 AND active = 1;
