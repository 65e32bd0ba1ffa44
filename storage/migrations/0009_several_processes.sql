-- Several processes on one database (bot/processes.py): what a reply needs lives here, not
-- in one process's memory, and each piece of background work is claimed by one process.

-- Texts a button stands for (a /search query, a follow offered by a deep link): callback data
-- holds 64 bytes, so the button carries this row's id; any process can answer the press.
CREATE TABLE button_texts (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,                 -- search, follow
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX button_texts_of_chat ON button_texts (chat_id, kind, id);

-- Every running process, with its heartbeat (seconds since the epoch, every 2 s): a process
-- whose heartbeat is older than the lease is dead, and what it claimed returns to the others.
CREATE TABLE processes (
    id          INTEGER PRIMARY KEY,
    role        TEXT NOT NULL,                 -- bot, receiver, worker
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  REAL NOT NULL,
    beat_at     REAL NOT NULL
);

-- The process delivering the chat's due digest / its open alerts; NULL: nobody.
ALTER TABLE chats ADD COLUMN digest_claimed_by INTEGER;
ALTER TABLE chats ADD COLUMN alerts_claimed_by INTEGER;
-- A process's claims, found to release them (few at any moment).
CREATE INDEX chats_digest_claimed ON chats (digest_claimed_by) WHERE digest_claimed_by IS NOT NULL;
CREATE INDEX chats_alerts_claimed ON chats (alerts_claimed_by) WHERE alerts_claimed_by IS NOT NULL;

-- Work one process at a time does (feed polling): who holds it.  Held while its holder lives.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      INTEGER NOT NULL,
    taken_at    REAL NOT NULL
) WITHOUT ROWID;

-- Bumped in the transaction of every change to follows and mutes: a process whose matcher
-- was built at an older version reads them again (each process matches stories itself).
CREATE TABLE versions (
    name        TEXT PRIMARY KEY,
    value       INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO versions (name, value) VALUES ('follows', 0);
