-- Feeds and pages the bot polls, and what admins do to articles by hand.

CREATE TABLE sources (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'page')),
    lang             TEXT NOT NULL DEFAULT 'ar',
    default_topic    TEXT,                       -- a topic slug every item gets, if set
    boilerplate      TEXT NOT NULL DEFAULT '',   -- this site's own boilerplate lines, one per line
    interval_s       INTEGER NOT NULL DEFAULT 900,
    etag             TEXT,
    last_modified    TEXT,
    next_poll_at     TEXT NOT NULL,
    last_ok_at       TEXT,
    last_error       TEXT,
    errors           INTEGER NOT NULL DEFAULT 0, -- consecutive failures
    paused           INTEGER NOT NULL DEFAULT 0, -- an admin's pause
    disabled_reason  TEXT,                       -- set after repeated failure; admins told once
    disabled_notified INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL
);
-- The poller's one query: enabled sources whose time has come.
CREATE INDEX sources_due ON sources (next_poll_at) WHERE paused = 0 AND disabled_reason IS NULL;

ALTER TABLE articles ADD COLUMN guid TEXT;
ALTER TABLE articles ADD COLUMN source_id INTEGER REFERENCES sources (id) ON DELETE SET NULL;
-- A pinned story opens the digests composed before this instant.
ALTER TABLE articles ADD COLUMN pinned_until TEXT;
-- The first rule of de-duplication for feed items: one article per (source, guid).
CREATE UNIQUE INDEX articles_by_guid ON articles (source_id, guid) WHERE guid IS NOT NULL;
CREATE INDEX articles_pinned ON articles (pinned_until) WHERE pinned_until IS NOT NULL;
-- The third rule: a feed that republishes an item under a new guid and link is caught by its
-- content (normalized title and text).
CREATE UNIQUE INDEX articles_by_source_content ON articles (source_id, content_hash) WHERE source_id IS NOT NULL;
