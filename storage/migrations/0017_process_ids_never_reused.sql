-- A process's id is never given twice (AUTOINCREMENT).  SQLite handed out max(id) + 1, so the
-- id of a process whose row was dropped (dead, or silent for an hour: a machine asleep) went to
-- the next process to register; the sleeper, awake, made its row again under the same id, and
-- the two shared one id and each other's claims.  The table is made again, as SQLite asks for
-- AUTOINCREMENT; the ids already given, and any id a claim or lease still names, are never
-- given again.
CREATE TABLE processes_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    role        TEXT NOT NULL,                 -- bot, receiver, worker
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  REAL NOT NULL,
    beat_at     REAL NOT NULL
);
INSERT INTO processes_new (id, role, host, pid, started_at, beat_at)
    SELECT id, role, host, pid, started_at, beat_at FROM processes;
DROP TABLE processes;
ALTER TABLE processes_new RENAME TO processes;
DELETE FROM sqlite_sequence WHERE name IN ('processes', 'processes_new');
INSERT INTO sqlite_sequence (name, seq) SELECT 'processes', max(
    coalesce((SELECT max(id) FROM processes), 0),
    coalesce((SELECT max(digest_claimed_by) FROM chats), 0),
    coalesce((SELECT max(alerts_claimed_by) FROM chats), 0),
    coalesce((SELECT max(edit_claimed_by) FROM alerts), 0),
    coalesce((SELECT max(holder) FROM leases), 0)
);
