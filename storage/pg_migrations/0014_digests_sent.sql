-- How each digest ended, noted by the sending process as its send ends and dropped when the
-- delivery is recorded (delivery records are written in batches, a little later): a process
-- killed in between leaves here what it sent, and the others record it before claiming due
-- chats, rather than sending those digests again (bot/delivery_journal.py).  PostgreSQL's; a
-- lone SQLite process keeps the same notes in a file beside the database.
CREATE TABLE digests_sent (
    chat_id       BIGINT NOT NULL,
    local_date    text NOT NULL,
    process_id    BIGINT NOT NULL,
    due_utc       text NOT NULL,
    state         text NOT NULL,
    next_due_utc  text NOT NULL,
    message_ids   text,
    error         text,
    PRIMARY KEY (chat_id, local_date)
);
CREATE INDEX digests_sent_by_process ON digests_sent (process_id);
