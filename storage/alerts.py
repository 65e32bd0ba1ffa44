"""The alerts outbox: the only SQL that touches it.

A story that may owe alerts is noted by ArticleRepository.add_many in the transaction that
stores it (`insert_alert_stories`); the alert service expands it into one row per chat
(`expand`) and moves those along: held, capped, sent, summed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from news.model import Alert, EditWindow, NewAlert
from news.repositories import AlertStore
from storage.db import utc_from_text, utc_text
from storage.engine import Database, Row, Tx


def _alert(row: Row) -> Alert:
    return Alert(
        id=row["id"],
        chat_id=row["chat_id"],
        story_id=row["story_id"],
        article_id=row["article_id"],
        matched=tuple(row["matched"].split("\n")),
        thread_id=row["thread_id"],
        state=row["state"],
        created_at=utc_from_text(row["created_at"]),
        hour=row["hour"],
        message_id=row["message_id"],
        shown_sources=row["shown_sources"],
        edit_error=row["edit_error"],
        away=bool(row["away"]),
        bundle_begun=bool(row["bundle_begun"]),
    )


async def note_grown_stories(tx: Tx, story_ids: Iterable[int], now: datetime) -> None:
    """These stories, maybe noted for alerts, were joined by another article (the caller's
    transaction): the alerts they sent may be edited to say so."""
    await tx.executemany(
        "UPDATE alert_stories SET grown_at = ? WHERE story_id = ?", [(utc_text(now), story_id) for story_id in story_ids]
    )


async def gather_missed_alerts(tx: Tx, chat_id: int) -> None:
    """The chat is back (unblocked the bot, added it again): every alert still open for it —
    owed while it was away, or refused when it left (403) — is held and marked away, for one
    "while you were away" bundle (news.services.alerts); in the caller's transaction."""
    await tx.execute(
        "UPDATE alerts SET state = 'held', away = 1, bundle_begun = 0 "
        "WHERE chat_id = ? AND state IN ('pending', 'held', 'capped')",
        (chat_id,),
    )


async def insert_alert_stories(tx: Tx, stories: Iterable[tuple[int, int]], now: datetime) -> None:
    """Note (story id, article id) of stories that may owe alerts, in the caller's transaction."""
    await tx.executemany(
        "INSERT INTO alert_stories (story_id, article_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(story_id, article_id, utc_text(now)) for story_id, article_id in stories],
    )


async def _record_sent(tx: Tx, sent: Sequence[tuple[int, str, int | None]], at: datetime) -> None:
    await tx.executemany(
        "UPDATE alerts SET state = ?, sent_at = ?, message_id = ? WHERE id = ?",
        [(state, utc_text(at), message_id, alert_id) for alert_id, state, message_id in sent],
    )


class AlertRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def unexpanded(self, limit: int = 100) -> list[tuple[int, int]]:
        """(story id, article id) of stories not yet matched against the follows, oldest first."""
        rows = await self._db.fetch(
            "SELECT story_id, article_id FROM alert_stories WHERE expanded = 0 ORDER BY story_id LIMIT ?", (limit,)
        )
        return [(row[0], row[1]) for row in rows]

    async def expand(self, story_id: int, alerts: Sequence[NewAlert], now: datetime) -> None:
        """The alerts a story owes, written with the mark that it was matched: one transaction."""
        created = utc_text(now)
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO alerts (chat_id, story_id, article_id, matched, thread_id, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(a.chat_id, a.story_id, a.article_id, "\n".join(a.matched), a.thread_id, created) for a in alerts],
            )
            await tx.execute("UPDATE alert_stories SET expanded = 1 WHERE story_id = ?", (story_id,))

    async def open(self, after: int = 0, limit: int = 1000, claimed_by: int | None = None) -> list[Alert]:
        """Alerts not done yet (pending, held, capped) of active chats, oldest first, from the
        one after `after` (keyset paging); with `claimed_by`, only of the chats that process
        claimed (`claim_chats`)."""
        mine = "" if claimed_by is None else " AND c.alerts_claimed_by = ?"
        rows = await self._db.fetch(
            "SELECT a.* FROM alerts a JOIN chats c ON c.id = a.chat_id "
            f"WHERE a.state IN ('pending', 'held', 'capped') AND c.active = 1{mine} AND a.id > ? ORDER BY a.id LIMIT ?",
            (after, limit) if claimed_by is None else (claimed_by, after, limit),
        )
        return [_alert(row) for row in rows]

    async def claim_chats(self, process_id: int, live_since: float, limit: int = 500) -> int:
        """Claim for `process_id` up to `limit` active chats with open alerts that no live
        process holds (heartbeat at or after `live_since`); how many.  A chat's alerts go out
        from one process at a time: its hourly cap and quiet-hours bundle are decided in one
        place.  On PostgreSQL the rows another claim is taking are passed over (SKIP LOCKED)."""
        async with self._db.transaction() as tx:
            rows = await tx.fetch(
                "UPDATE chats SET alerts_claimed_by = ? WHERE id IN ("
                "SELECT id FROM chats WHERE active = 1 AND id IN "
                "(SELECT chat_id FROM alerts WHERE state IN ('pending', 'held', 'capped')) "
                "AND (alerts_claimed_by IS NULL OR alerts_claimed_by NOT IN (SELECT id FROM processes WHERE beat_at >= ?)) "
                f"ORDER BY id LIMIT ?{self._db.dialect.skip_locked}) RETURNING id",
                (process_id, live_since, limit),
            )
        return len(rows)

    async def release_chats(self, process_id: int) -> None:
        """The chats `process_id` claimed are anyone's again (their alerts sent, or left open)."""
        await self._db.execute("UPDATE chats SET alerts_claimed_by = NULL WHERE alerts_claimed_by = ?", (process_id,))

    async def sent_since(self, chat_ids: Sequence[int], since: datetime) -> dict[int, int]:
        """How many alerts each of these chats was sent since `since`."""
        counts: dict[int, int] = {}
        for first in range(0, len(chat_ids), 500):
            chunk = list(chat_ids[first : first + 500])
            rows = await self._db.fetch(
                f"SELECT chat_id, count(*) FROM alerts WHERE state = 'sent' AND sent_at >= ? "
                f"AND chat_id IN ({','.join('?' * len(chunk))}) GROUP BY chat_id",
                (utc_text(since), *chunk),
            )
            counts.update({row[0]: row[1] for row in rows})
        return counts

    async def set_state(self, alert_ids: Sequence[int], state: str, hour: str | None = None) -> None:
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE alerts SET state = ?, hour = coalesce(?, hour) WHERE id = ?",
                [(state, hour, alert_id) for alert_id in alert_ids],
            )

    async def record_sent(self, sent: Sequence[tuple[int, str, int | None]], at: datetime) -> None:
        """Done, for each (alert id, state, message id): state "sent" (an alert) or "summed" (in a
        quiet-hours bundle or an hour's summary); one transaction for them all."""
        async with self._db.transaction() as tx:
            await _record_sent(tx, sent, at)

    async def record_sent_in_part(self, sent: Sequence[tuple[int, str, int | None]], rest: Sequence[int], at: datetime) -> None:
        """As `record_sent` for the alerts on the pages of a bundle that went out, and the
        alerts of its pages that did not marked `bundle_begun`, in one transaction."""
        async with self._db.transaction() as tx:
            await _record_sent(tx, sent, at)
            await tx.executemany("UPDATE alerts SET bundle_begun = 1 WHERE id = ?", [(alert_id,) for alert_id in rest])

    async def drop_open_before(self, before: datetime, error: str) -> int:
        """Every alert still open (pending, held, capped) made before `before`, whatever its
        chat, failed with `error`; how many."""
        return await self._db.execute(
            "UPDATE alerts SET state = 'failed', error = ? WHERE state IN ('pending', 'held', 'capped') AND created_at < ?",
            (error, utc_text(before)),
        )

    async def prune_done_before(self, before: datetime, limit: int) -> int:
        """Up to `limit` alerts done (sent, summed, failed) made before `before`, and up to
        `limit` notes of stories made before it whose alerts were all written (expanded) and
        none of which is still open, deleted in one transaction; how many rows.  A story is
        noted once, by the article that begins it (an id never given again): its note gone,
        it is never matched again, so no reader is alerted twice."""
        cutoff = utc_text(before)
        async with self._db.transaction() as tx:
            alerts = await tx.execute(
                "DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE created_at < ? "
                "AND state IN ('sent', 'summed', 'failed') ORDER BY created_at LIMIT ?)",
                (cutoff, limit),
            )
            # (NOT IN: the open alerts, a day's at most, read once — not once per story.)
            stories = await tx.execute(
                "DELETE FROM alert_stories WHERE story_id IN (SELECT story_id FROM alert_stories "
                "WHERE created_at < ? AND expanded = 1 AND story_id NOT IN "
                "(SELECT story_id FROM alerts WHERE state IN ('pending', 'held', 'capped')) ORDER BY created_at LIMIT ?)",
                (cutoff, limit),
            )
        return alerts + stories

    async def record_failed(self, alert_ids: Sequence[int], error: str) -> None:
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE alerts SET state = 'failed', error = ? WHERE id = ?", [(error, alert_id) for alert_id in alert_ids]
            )

    async def claim_edits(
        self, window: EditWindow, process_id: int, live_since: float, limit: int
    ) -> list[tuple[Alert, int]]:
        """Claim for `process_id` up to `limit` sent alerts whose story has grown past what
        their message says, sent before `window.sent_before`, last edited before
        `window.edited_before` (or never), of stories grown since `window.since`, of active
        chats, that no live process (heartbeat at or after `live_since`) holds: each with the
        story's size less one (its other sources).  A claim holds until the edit is recorded
        or released, or its process dies — however long the edit waits for its turn.  Only
        the stories noted grown in that window are looked at.  On PostgreSQL the rows another
        claim is taking are passed over (SKIP LOCKED)."""
        skip = " FOR UPDATE OF a SKIP LOCKED" if self._db.dialect.name == "postgresql" else ""
        since = utc_text(window.since)
        async with self._db.transaction() as tx:
            claimed = await tx.fetch(
                "UPDATE alerts SET edit_claimed_by = ? WHERE id IN ("
                "SELECT a.id FROM alert_stories g JOIN stories s ON s.id = g.story_id "
                "JOIN alerts a ON a.story_id = g.story_id JOIN chats c ON c.id = a.chat_id "
                "WHERE g.grown_at >= ? AND a.state = 'sent' AND a.message_id IS NOT NULL AND a.edit_error IS NULL "
                "AND a.shown_sources < s.size - 1 AND a.sent_at >= ? AND a.sent_at <= ? "
                "AND (a.edited_at IS NULL OR a.edited_at <= ?) AND c.active = 1 "
                "AND (a.edit_claimed_by IS NULL OR a.edit_claimed_by NOT IN (SELECT id FROM processes WHERE beat_at >= ?)) "
                f"ORDER BY a.id LIMIT ?{skip}) RETURNING id",
                (
                    process_id, since, since, utc_text(window.sent_before), utc_text(window.edited_before),
                    live_since, limit,
                ),
            )
            ids = sorted(row[0] for row in claimed)
            if not ids:
                return []
            rows = await tx.fetch(
                "SELECT a.*, s.size AS story_size FROM alerts a JOIN stories s ON s.id = a.story_id "
                f"WHERE a.id IN ({','.join('?' * len(ids))}) ORDER BY a.id",
                ids,
            )
        return [(_alert(row), row["story_size"] - 1) for row in rows]

    async def record_edits(self, edited: Sequence[tuple[int, int]], at: datetime, process_id: int) -> int:
        """Each (alert id, sources) now says `sources` more sources, as of `at`; claims ended —
        of the edits `process_id` still holds: one another process took over since (this one
        out of the database's reach too long) is that process's to make and record.  How many
        were recorded."""
        recorded = 0
        async with self._db.transaction() as tx:
            for alert_id, sources in edited:
                recorded += await tx.execute(
                    "UPDATE alerts SET shown_sources = ?, edited_at = ?, edit_claimed_by = NULL "
                    "WHERE id = ? AND edit_claimed_by = ?",
                    (sources, utc_text(at), alert_id, process_id),
                )
        return recorded

    async def record_edit_failed(self, alert_ids: Sequence[int], error: str, process_id: int) -> int:
        """These alerts' messages can no longer be edited (`error` says why): never tried again —
        those `process_id` still holds (as `record_edits`).  How many were recorded."""
        recorded = 0
        async with self._db.transaction() as tx:
            for alert_id in alert_ids:
                recorded += await tx.execute(
                    "UPDATE alerts SET edit_error = ?, edit_claimed_by = NULL WHERE id = ? AND edit_claimed_by = ?",
                    (error[:200], alert_id, process_id),
                )
        return recorded

    async def release_edits(self, alert_ids: Sequence[int], process_id: int) -> None:
        """These edits `process_id` claimed were not made (a flood wait, the network, shutdown):
        anyone's again — those it still holds, not those another process took over since."""
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE alerts SET edit_claimed_by = NULL WHERE id = ? AND edit_claimed_by = ?",
                [(alert_id, process_id) for alert_id in alert_ids],
            )

    async def release_edits_of(self, process_id: int) -> None:
        """Every edit `process_id` claimed and did not record is anyone's again."""
        await self._db.execute("UPDATE alerts SET edit_claimed_by = NULL WHERE edit_claimed_by = ?", (process_id,))

    async def of_chat(self, chat_id: int) -> list[Alert]:
        return [_alert(row) for row in await self._db.fetch("SELECT * FROM alerts WHERE chat_id = ? ORDER BY id", (chat_id,))]


if TYPE_CHECKING:  # mypy holds the repository to the interface the news core asks for
    _conforms: type[AlertStore] = AlertRepository
