"""Chats (readers, groups, channels) and their subscription: the only SQL that touches them.

A chat is never deleted: a reader who blocks the bot is marked inactive with the reason and the
time, and comes back with every setting intact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from news.model import Chat, Delivery, DeliveryOutcome, DigestBacklog, QuietHours
from news.repositories import ChatStore
from storage.alerts import gather_missed_alerts
from storage.db import parse_utc_text, utc_from_text, utc_text
from storage.engine import Database, Row, Tx
from storage.follows import FOLLOWS_CHANGED


def _chat(row: Row) -> Chat:
    return Chat(
        id=row["id"],
        type=row["type"],
        title=row["title"],
        lang=row["lang"],
        tz=row["tz"],
        digest_times=tuple(time.fromisoformat(at) for at in row["digest_time"].split()),
        subscribed=bool(row["subscribed"]),
        active=bool(row["active"]),
        inactive_reason=row["inactive_reason"],
        inactive_at=parse_utc_text(row["inactive_at"]),
        created_at=utc_from_text(row["created_at"]),
        updated_at=utc_from_text(row["updated_at"]),
        next_due_utc=parse_utc_text(row["next_due_utc"]),
        last_digest_due_utc=parse_utc_text(row["last_digest_due_utc"]),
        topics=tuple(row["topics"].split(",")) if row["topics"] else (),
        empty_note=bool(row["empty_note"]),
        quiet=QuietHours(time.fromisoformat(row["quiet_start"]), time.fromisoformat(row["quiet_end"]))
        if row["quiet_start"] and row["quiet_end"] else None,
        thread_id=row["thread_id"],
    )


def _delivery(row: Row) -> Delivery:
    return Delivery(
        chat_id=row["chat_id"],
        local_date=row["local_date"],
        due_utc=utc_from_text(row["due_utc"]),
        state=row["state"],
        sent_at=parse_utc_text(row["sent_at"]),
        message_ids=_message_ids(row["message_ids"]),
        error=row["error"],
    )


def _message_ids(text: str | None) -> tuple[int, ...]:
    return tuple(int(i) for i in text.split(",")) if text else ()


def _now() -> str:
    return utc_text(datetime.now(UTC))


async def _record(tx: Tx, outcomes: Sequence[DeliveryOutcome]) -> None:
    """Close each outcome's day record, move its chat to its next digest, and drop its note."""
    now = _now()
    await tx.executemany(
        """
        INSERT INTO deliveries (chat_id, local_date, due_utc, state, sent_at, message_ids, error)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (chat_id, local_date) DO UPDATE SET
            state = excluded.state, sent_at = excluded.sent_at,
            message_ids = excluded.message_ids, error = excluded.error
        """,
        [(o.chat_id, o.local_date, utc_text(o.due), o.state, now, ",".join(map(str, o.message_ids)) or None, o.error)
         for o in outcomes if o.recorded],
    )
    await tx.executemany(
        "UPDATE chats SET next_due_utc = ?, updated_at = ?, digest_claimed_by = NULL, "
        "last_digest_due_utc = CASE WHEN ? = 1 THEN ? ELSE last_digest_due_utc END WHERE id = ?",
        [(utc_text(o.next_due), now, int(o.delivered), utc_text(o.due), o.chat_id) for o in outcomes],
    )
    await tx.executemany(
        "DELETE FROM digests_sent WHERE chat_id = ? AND local_date = ?", [(o.chat_id, o.local_date) for o in outcomes]
    )


class ChatRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, chat_id: int) -> Chat | None:
        row = await self._db.fetchrow("SELECT * FROM chats WHERE id = ?", (chat_id,))
        return _chat(row) if row else None

    async def get_many(self, chat_ids: Sequence[int]) -> dict[int, Chat]:
        """The stored ones of these chats, by id (one query per 500)."""
        found: dict[int, Chat] = {}
        for first in range(0, len(chat_ids), 500):
            chunk = list(chat_ids[first : first + 500])
            rows = await self._db.fetch(f"SELECT * FROM chats WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            found.update((row["id"], _chat(row)) for row in rows)
        return found

    async def ensure(
        self, chat_id: int, *, type: str, title: str, lang: str, tz: str, digest_time: time
    ) -> Chat:
        """The stored chat, created with these defaults the first time the bot meets it."""
        now = _now()
        await self._db.execute(
            """
            INSERT INTO chats (id, type, title, lang, tz, digest_time, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING
            """,
            (chat_id, type, title, lang, tz, digest_time.strftime("%H:%M"), now, now),
        )
        chat = await self.get(chat_id)
        assert chat is not None
        return chat

    async def _update(self, chat_id: int, assignments: str, params: tuple[object, ...]) -> bool:
        return await self._db.execute(
            f"UPDATE chats SET {assignments}, updated_at = ? WHERE id = ?", (*params, _now(), chat_id)
        ) > 0

    async def set_subscribed(
        self, chat_id: int, subscribed: bool, next_due: datetime | None = None, thread_id: int | None = None
    ) -> bool:
        """Subscribe (with the first digest's instant, and in a forum the topic it goes to) or
        unsubscribe; settings are kept."""
        due = utc_text(next_due) if subscribed and next_due else None
        if not subscribed:
            return await self._update(chat_id, "subscribed = 0, next_due_utc = NULL", ())
        return await self._update(chat_id, "subscribed = 1, next_due_utc = ?, thread_id = ?", (due, thread_id))

    async def set_schedule(
        self, chat_id: int, *, digest_times: tuple[time, ...], tz: str, next_due: datetime | None
    ) -> bool:
        # The digest_time column holds every time of the day, space-separated ("07:00 19:00").
        times = " ".join(at.strftime("%H:%M") for at in digest_times)
        due = utc_text(next_due) if next_due else None
        return await self._update(chat_id, "digest_time = ?, tz = ?, next_due_utc = ?", (times, tz, due))

    async def set_next_due(self, chat_id: int, next_due: datetime) -> bool:
        return await self._update(chat_id, "next_due_utc = ?", (utc_text(next_due),))

    async def set_topics(self, chat_id: int, topics: tuple[str, ...]) -> bool:
        return await self._update(chat_id, "topics = ?", (",".join(topics),))

    async def set_empty_note(self, chat_id: int, empty_note: bool) -> bool:
        return await self._update(chat_id, "empty_note = ?", (int(empty_note),))

    async def set_quiet(self, chat_id: int, quiet: QuietHours | None) -> bool:
        start, end = (quiet.start.strftime("%H:%M"), quiet.end.strftime("%H:%M")) if quiet else (None, None)
        return await self._update(chat_id, "quiet_start = ?, quiet_end = ?", (start, end))

    async def due(
        self, now: datetime, limit: int = 1000, after: tuple[datetime, int] | None = None, chat_id: int | None = None
    ) -> list[Chat]:
        """Subscribed, active chats whose digest is due at `now`, earliest first (indexed).

        `after` = (next_due_utc, id) of the last chat of the previous page, for paging
        through a large broadcast without offsets.
        """
        sql = "SELECT * FROM chats WHERE subscribed = 1 AND active = 1 AND next_due_utc <= ?"
        params: list[object] = [utc_text(now)]
        if after is not None:
            sql += " AND (next_due_utc, id) > (?, ?)"
            params += [utc_text(after[0]), after[1]]
        if chat_id is not None:
            sql += " AND id = ?"
            params.append(chat_id)
        sql += " ORDER BY next_due_utc, id LIMIT ?"
        return [_chat(row) for row in await self._db.fetch(sql, (*params, limit))]

    async def claim_due(
        self, now: datetime, process_id: int, live_since: float, limit: int = 500, chat_id: int | None = None
    ) -> list[Chat]:
        """Claim for `process_id` up to `limit` chats whose digest is due at `now` and that no
        live process holds (heartbeat at or after `live_since`), earliest first.  Each due
        chat goes to one process: on PostgreSQL the rows another claim is taking are passed
        over (SKIP LOCKED), on SQLite claims take turns.  A claim ends when the delivery is
        recorded (`record_deliveries`), is released, or its process dies."""
        sql = (
            "UPDATE chats SET digest_claimed_by = ? WHERE id IN ("
            "SELECT id FROM chats WHERE subscribed = 1 AND active = 1 AND next_due_utc <= ? "
            "AND (digest_claimed_by IS NULL OR digest_claimed_by NOT IN (SELECT id FROM processes WHERE beat_at >= ?))"
        )
        params: list[object] = [process_id, utc_text(now), live_since]
        if chat_id is not None:
            sql += " AND id = ?"
            params.append(chat_id)
        sql += f" ORDER BY next_due_utc, id LIMIT ?{self._db.dialect.skip_locked}) RETURNING *"
        async with self._db.transaction() as tx:
            rows = await tx.fetch(sql, (*params, limit))
        chats = [_chat(row) for row in rows]  # RETURNING keeps no order
        chats.sort(key=lambda chat: (chat.next_due_utc or datetime.min.replace(tzinfo=UTC), chat.id))
        return chats

    async def release_due(self, process_id: int) -> None:
        """Let go of the digests `process_id` claimed and did not record: due for anyone again."""
        await self._db.execute("UPDATE chats SET digest_claimed_by = NULL WHERE digest_claimed_by = ?", (process_id,))

    async def due_backlog(self, now: datetime) -> DigestBacklog:
        """How many chats are due at `now` and the earliest due instant: one count over the
        chats_due index, cheap enough for every scrape of /metrics."""
        row = await self._db.fetchrow(
            "SELECT count(*) AS due, min(next_due_utc) AS oldest FROM chats"
            " WHERE subscribed = 1 AND active = 1 AND next_due_utc <= ?",
            (utc_text(now),),
        )
        assert row is not None  # an aggregate always gives one row
        return DigestBacklog(int(row["due"]), parse_utc_text(row["oldest"]))

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup with a new id: the chat, its settings, follows, alerts and
        delivery history move to the new id (rows the new id got meanwhile give way)."""
        # Telegram tells it twice (a service message in each chat), and the bot may take both at
        # once: the second waits for the first, then finds no old chat and moves nothing — where
        # it used to delete, as "rows the new id got meanwhile", everything the first had moved.
        async with self._db.transaction() as tx:
            if await tx.fetchrow(f"SELECT 1 FROM chats WHERE id = ?{self._db.dialect.for_update}", (old_id,)):
                await tx.execute("DELETE FROM chats WHERE id = ?", (new_id,))
                for table in ("deliveries", "follows", "alerts"):
                    await tx.execute(f"DELETE FROM {table} WHERE chat_id = ?", (new_id,))
                await tx.execute(
                    "UPDATE chats SET id = ?, type = 'supergroup', updated_at = ? WHERE id = ?", (new_id, _now(), old_id)
                )
                for table in ("deliveries", "follows", "alerts"):
                    await tx.execute(f"UPDATE {table} SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
                # Every process matches stories against the follows it holds: the moved ones are
                # read again, or each new story's alerts go on being written for the old id.
                await tx.execute(FOLLOWS_CHANGED)

    # --- deliveries ---------------------------------------------------------------------

    async def delivery(self, chat_id: int, local_date: str) -> Delivery | None:
        row = await self._db.fetchrow("SELECT * FROM deliveries WHERE chat_id = ? AND local_date = ?", (chat_id, local_date))
        return _delivery(row) if row else None

    async def day_records(self, days: Sequence[tuple[int, str]]) -> dict[tuple[int, str], Delivery]:
        """The records of these (chat, local date) pairs that have one."""
        found: dict[tuple[int, str], Delivery] = {}
        wanted = set(days)
        ids = sorted({chat_id for chat_id, _ in wanted})
        dates = sorted({day for _, day in wanted})  # a page's chats are due on a day or two
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            rows = await self._db.fetch(
                f"SELECT * FROM deliveries WHERE chat_id IN ({','.join('?' * len(chunk))}) "
                f"AND local_date IN ({','.join('?' * len(dates))})",
                (*chunk, *dates),
            )
            for row in rows:
                if (pair := (row["chat_id"], row["local_date"])) in wanted:
                    found[pair] = _delivery(row)
        return found

    async def record_deliveries(self, outcomes: Sequence[DeliveryOutcome]) -> None:
        """Close each day's record and move each chat to its next digest, all in one
        transaction: after a crash a chat is either still due or done, never half of each.
        The outcomes' notes (`note_sent`) go in the same transaction."""
        if not outcomes:
            return
        async with self._db.transaction() as tx:
            await _record(tx, outcomes)

    async def note_sent(self, process_id: int, outcomes: Sequence[DeliveryOutcome]) -> None:
        """Note, as their sends end, how digests ended, until `record_deliveries` records them:
        a process killed meanwhile leaves them here for the others (`record_left_behind`)."""
        await self._db.executemany(
            "INSERT INTO digests_sent (chat_id, local_date, process_id, due_utc, state, next_due_utc, message_ids, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, local_date) DO UPDATE SET "
            "process_id = excluded.process_id, due_utc = excluded.due_utc, state = excluded.state, "
            "next_due_utc = excluded.next_due_utc, message_ids = excluded.message_ids, error = excluded.error",
            [
                (o.chat_id, o.local_date, process_id, utc_text(o.due), o.state, utc_text(o.next_due),
                 ",".join(map(str, o.message_ids)) or None, o.error)
                for o in outcomes
            ],
        )

    async def record_left_behind(self, live_since: float) -> int:
        """Record the noted outcomes of processes no longer live (heartbeat before
        `live_since`): the digests they sent and died before recording, which are not to be
        sent again.  Recording one twice (another process did it too) is harmless.  How many."""
        async with self._db.transaction() as tx:
            rows = await tx.fetch(
                "SELECT * FROM digests_sent WHERE process_id NOT IN (SELECT id FROM processes WHERE beat_at >= ?)",
                (live_since,),
            )
            outcomes = [
                DeliveryOutcome(
                    chat_id=row["chat_id"], local_date=row["local_date"], due=utc_from_text(row["due_utc"]),
                    state=row["state"], next_due=utc_from_text(row["next_due_utc"]),
                    message_ids=_message_ids(row["message_ids"]), error=row["error"],
                )
                for row in rows
            ]
            if outcomes:
                await _record(tx, outcomes)
        return len(outcomes)

    async def deliveries_on(self, local_date: str) -> list[Delivery]:
        rows = await self._db.fetch("SELECT * FROM deliveries WHERE local_date = ? ORDER BY chat_id", (local_date,))
        return [_delivery(row) for row in rows]

    async def sent_on(self, utc_day: str) -> int:
        """Digests sent on a UTC day (YYYY-MM-DD)."""
        # A range on sent_at itself, which the index deliveries_sent serves (a function of the
        # column would read every delivery ever made).
        next_day = (date.fromisoformat(utc_day) + timedelta(days=1)).isoformat()
        row = await self._db.fetchrow(
            "SELECT count(*) FROM deliveries WHERE state = 'sent' AND sent_at >= ? AND sent_at < ?", (utc_day, next_day)
        )
        assert row is not None  # an aggregate always gives one row
        count: int = row[0]
        return count

    async def counter(self, name: str, day: str) -> int:
        row = await self._db.fetchrow("SELECT value FROM counters WHERE day = ? AND name = ?", (day, name))
        return int(row[0]) if row else 0

    async def bump(self, name: str, by: int = 1) -> None:
        """Add to one of today's counters (429s seen, retries…)."""
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        await self._db.execute(
            "INSERT INTO counters (day, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (day, name) DO UPDATE SET value = counters.value + excluded.value",
            (day, name, by),
        )

    async def set_lang(self, chat_id: int, lang: str) -> bool:
        return await self._update(chat_id, "lang = ?", (lang,))

    async def mark_inactive(self, chat_id: int, reason: str) -> bool:
        """Soft-disable: the bot can no longer write here (blocked, kicked, deleted account)."""
        return await self._update(
            chat_id, "active = 0, inactive_reason = ?, inactive_at = ?", (reason, _now())
        )

    async def reactivate(self, chat_id: int, gather_missed: bool = False) -> bool:
        """Active again; with `gather_missed`, what the outbox still owes the chat is held for
        one bundle (storage.alerts.gather_missed), in the same transaction: no alert job can
        take the chat between the two and send them one by one."""
        async with self._db.transaction() as tx:
            back = await tx.execute(
                "UPDATE chats SET active = 1, inactive_reason = NULL, inactive_at = NULL, updated_at = ? "
                "WHERE id = ? AND active = 0",
                (_now(), chat_id),
            )
            if back and gather_missed:
                await gather_missed_alerts(tx, chat_id)
        return back > 0

    async def counts(self) -> dict[str, int]:
        row = await self._db.fetchrow(
            "SELECT count(*) AS known, "
            "coalesce(sum(CASE WHEN subscribed = 1 AND active = 1 THEN 1 ELSE 0 END), 0) AS subscribed_active, "
            "coalesce(sum(1 - active), 0) AS inactive FROM chats"
        )
        assert row is not None  # an aggregate always gives one row
        return {name: int(row[name]) for name in ("known", "subscribed_active", "inactive")}


if TYPE_CHECKING:
    # mypy holds this class to the interface the news core is written against.
    _conforms: type[ChatStore] = ChatRepository
