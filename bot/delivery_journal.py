"""Digests sent but not yet recorded in the database: in a small file beside a SQLite database,
in a table of PostgreSQL's.

A digest's delivery record is written in a batch shortly after the send (bot.batching), and
not at all while the database refuses writes (disk full, read-only).  In between, the only
trace that the chat got its digest was in the process's memory: a crash then sent those
digests again.  Each outcome is appended here as soon as its send ends — one line, one
write(2) on a file opened for appending, which a killed process cannot half-do (the kernel
has it; only a power cut could lose it) — and the file is emptied once every outcome it
holds is in the database.  The next start records what a dead process left here before it
sends anything, so a crash repeats only the sends in flight at that moment.

Recording an outcome again is harmless (a day's record is replaced by the same one), so
the file is replayed whole, whichever of its lines made it to the database before the crash.

On PostgreSQL several processes, maybe on several machines, share the broadcast: a file of one
machine would be out of the others' reach when they take a dead process's chats over.  There
each outcome is noted in the database instead (`digests_sent`, one single-row insert as the
send ends, dropped in the transaction that records it), and whichever process claims due chats
next records first what dead processes noted (news.services.DigestService.claimed_pages).  The
cost, measured by benchmarks/workers_benchmark.py, is in the README.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from datetime import datetime
from pathlib import Path

from bot.batching import GroupWrites
from news.claims import Claimant
from news.model import DeliveryOutcome
from news.repositories import StorageError
from news.services import DigestService

log = logging.getLogger(__name__)


def journal_path(db_path: str, database_url: str | None) -> Path | None:
    """The journal beside a SQLite database file; None for PostgreSQL (several processes
    share the database, no file is theirs alone) and an in-memory database."""
    if database_url is not None or db_path == ":memory:":
        return None
    return Path(db_path).expanduser().with_name(Path(db_path).name + "-digests-sent")


def _line(outcome: DeliveryOutcome) -> bytes:
    record = {
        "chat": outcome.chat_id, "date": outcome.local_date, "due": outcome.due.isoformat(),
        "state": outcome.state, "next": outcome.next_due.isoformat(),
        "ids": list(outcome.message_ids), "error": outcome.error,
    }
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def _outcome(line: str) -> DeliveryOutcome:
    record = json.loads(line)
    return DeliveryOutcome(
        chat_id=int(record["chat"]), local_date=str(record["date"]), due=datetime.fromisoformat(record["due"]),
        state=str(record["state"]), next_due=datetime.fromisoformat(record["next"]),
        message_ids=tuple(int(i) for i in record["ids"]), error=record["error"],
    )


class DeliveryJournal:
    """Outcomes of sends, appended as they end; read back at start; emptied once recorded.

    One process at a time keeps the file (an exclusive lock: `akhbar digest` run beside the
    bot must not empty the bot's).  Without a path (an in-memory database), or when the file is
    another process's or cannot be written, nothing is kept: the engine then works from memory
    alone, and a crash may repeat what was not recorded."""

    def __init__(self, path: Path | None) -> None:
        self.path: Path | None = None
        self._fd: int | None = None
        self._lines = 0  # appended since the file was last emptied
        if path is None:
            return
        try:
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as error:
            log.error("cannot open %s (%s): digests sent but not yet recorded are kept in memory only", path, error)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            log.warning("%s is kept by another Akhbar process; this one keeps its sends in memory", path)
            return
        self.path, self._fd = path, fd

    def left_behind(self) -> list[DeliveryOutcome]:
        """What the file holds now: at start, the outcomes a process that died left unrecorded."""
        if self.path is None:
            return []
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            log.error("cannot read %s (%s): its digests may be sent again", self.path, error)
            return []
        outcomes = []
        for line in text.splitlines():
            try:
                outcomes.append(_outcome(line))
            except (ValueError, KeyError, TypeError):
                # The last line of a file whose disk filled up mid-write: that send is lost to
                # the record, as one in flight is.
                log.warning("%s: skipping an unreadable line %r", self.path, line[:80])
        self._lines = len(outcomes)
        return outcomes

    async def append(self, outcome: DeliveryOutcome) -> None:
        if self._fd is None:
            return
        try:
            os.write(self._fd, _line(outcome))
            self._lines += 1
        except OSError as error:  # a full disk: the database will refuse too, memory keeps it
            log.error("cannot note a sent digest in %s: %s", self.path, error)

    def clear(self) -> None:
        """Everything appended is in the database now."""
        if self._fd is None or self._lines == 0:
            return
        try:
            os.ftruncate(self._fd, 0)
            self._lines = 0
        except OSError as error:
            log.error("cannot empty %s: %s (its digests are recorded; replaying them is harmless)", self.path, error)

    def close(self) -> None:
        """Let the file go (and its lock); empty or not, it stays for the next start."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


class DatabaseJournal:
    """PostgreSQL's: each outcome noted in the database as its send ends, under the process
    that sent it; recording it drops the note.  What a process that died left noted is recorded
    by the next claim of due chats, by any process (nothing to replay at start here)."""

    path: Path | None = None

    def __init__(self, digests: DigestService, claimant: Claimant) -> None:
        self._digests, self._claimant = digests, claimant
        # One insert per send cost a round trip each (a third more CPU per digest, measured):
        # the notes of sends that end together are written together, each send's worker
        # waiting for its own before it sends again, so a crash still repeats only those in flight.
        self._notes: GroupWrites[DeliveryOutcome] = GroupWrites(self._write)

    def left_behind(self) -> list[DeliveryOutcome]:
        return []

    async def append(self, outcome: DeliveryOutcome) -> None:
        try:
            await self._notes.add(outcome)
        except StorageError as error:
            # The database out of reach or refusing writes: its record will be refused too and
            # the broadcast stops; the outcome stays in memory until it can be recorded.
            log.error("cannot note a sent digest in the database: %s", error)

    async def _write(self, outcomes: list[DeliveryOutcome]) -> None:
        await self._digests.note_sent(self._claimant, outcomes)

    def clear(self) -> None:
        """Recording the outcomes dropped their notes, in the same transaction."""

    def close(self) -> None:
        pass
