-- How each digest ended, noted by the sending process as its send ends and dropped when the
-- delivery is recorded (delivery records are written in batches, a little later): a process
-- killed in between leaves here what it sent, and the others record it before claiming due
-- chats, rather than sending those digests again (bot/delivery_journal.py).  PostgreSQL's; a
-- lone SQLite process keeps the same notes in a file beside the database.
CREATE TABLE digests_sent (
    chat_id       INTEGER NOT NULL,
    local_date    TEXT NOT NULL,
    process_id    INTEGER NOT NULL,
    due_utc       TEXT NOT NULL,
    state         TEXT NOT NULL,
    next_due_utc  TEXT NOT NULL,
    message_ids   TEXT,
    error         TEXT,
    PRIMARY KEY (chat_id, local_date)
);
CREATE INDEX digests_sent_by_process ON digests_sent (process_id);
