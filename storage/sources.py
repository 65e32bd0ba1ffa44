"""The feeds and pages the bot polls, and how each poll went: the only SQL that touches them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from news.model import Source
from news.repositories import SourceStore
from storage.db import parse_utc_text, utc_from_text, utc_text
from storage.engine import Database, Row


def _source(row: Row) -> Source:
    return Source(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        kind=row["kind"],
        lang=row["lang"],
        default_topic=row["default_topic"],
        interval_s=row["interval_s"],
        boilerplate=tuple(line for line in row["boilerplate"].split("\n") if line),
        etag=row["etag"],
        last_modified=row["last_modified"],
        next_poll_at=utc_from_text(row["next_poll_at"]),
        last_ok_at=parse_utc_text(row["last_ok_at"]),
        last_error=row["last_error"],
        errors=row["errors"],
        paused=bool(row["paused"]),
        disabled_reason=row["disabled_reason"],
        disabled_notified=bool(row["disabled_notified"]),
        created_at=utc_from_text(row["created_at"]),
    )


class SourceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, url: str, *, title: str = "", kind: str = "feed", lang: str = "ar",
        default_topic: str | None = None, interval_s: int = 900, first_poll: datetime | None = None,
        boilerplate: tuple[str, ...] = (),
    ) -> Source | None:
        """A new source, polled first at `first_poll` (now); None if the URL is already known."""
        now = utc_text(datetime.now(UTC))
        async with self._db.transaction() as tx:
            row = await tx.fetchrow(
                """
                INSERT INTO sources (url, title, kind, lang, default_topic, interval_s, boilerplate,
                                     next_poll_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *
                """,
                (url, title, kind, lang, default_topic, interval_s, "\n".join(boilerplate),
                 utc_text(first_poll) if first_poll else now, now),
            )
        return _source(row) if row else None

    async def get(self, source_id: int) -> Source | None:
        row = await self._db.fetchrow("SELECT * FROM sources WHERE id = ?", (source_id,))
        return _source(row) if row else None

    async def all(self) -> list[Source]:
        return [_source(row) for row in await self._db.fetch("SELECT * FROM sources ORDER BY id")]

    async def remove(self, source_id: int) -> bool:
        """Forget a source; its articles stay in the archive."""
        return await self._db.execute("DELETE FROM sources WHERE id = ?", (source_id,)) > 0

    async def set_paused(self, source_id: int, paused: bool) -> bool:
        """Pause, or resume (which also gives a disabled source another chance, now)."""
        return await self._db.execute(
            "UPDATE sources SET paused = ?, "
            "disabled_reason = CASE WHEN ? = 1 THEN disabled_reason END, "
            "errors = CASE WHEN ? = 1 THEN errors ELSE 0 END, disabled_notified = 0, "
            "next_poll_at = CASE WHEN ? = 1 THEN next_poll_at ELSE ? END WHERE id = ?",
            (int(paused), int(paused), int(paused), int(paused), utc_text(datetime.now(UTC)), source_id),
        ) > 0

    async def due(self, now: datetime, limit: int = 100) -> list[Source]:
        rows = await self._db.fetch(
            "SELECT * FROM sources WHERE paused = 0 AND disabled_reason IS NULL AND next_poll_at <= ? "
            "ORDER BY next_poll_at LIMIT ?",
            (utc_text(now), limit),
        )
        return [_source(row) for row in rows]

    async def record_success(
        self, source_id: int, *, now: datetime, next_poll_at: datetime, etag: str | None,
        last_modified: str | None, title: str | None = None, note: str | None = None,
    ) -> None:
        await self._db.execute(
            "UPDATE sources SET etag = ?, last_modified = ?, last_ok_at = ?, next_poll_at = ?, errors = 0, "
            "last_error = ?, title = CASE WHEN title = '' THEN coalesce(?, title) ELSE title END WHERE id = ?",
            (etag, last_modified, utc_text(now), utc_text(next_poll_at), note and note[:300], title, source_id),
        )

    async def record_failure(
        self, source_id: int, *, error: str, next_poll_at: datetime, disable: bool
    ) -> Source | None:
        """Count a failed poll; with `disable`, stop polling it until an admin resumes it."""
        await self._db.execute(
            "UPDATE sources SET errors = errors + 1, last_error = ?, next_poll_at = ?, "
            "disabled_reason = CASE WHEN ? = 1 THEN ? ELSE disabled_reason END WHERE id = ?",
            (error[:300], utc_text(next_poll_at), int(disable), error[:300], source_id),
        )
        return await self.get(source_id)

    async def mark_notified(self, source_id: int) -> None:
        await self._db.execute("UPDATE sources SET disabled_notified = 1 WHERE id = ?", (source_id,))


if TYPE_CHECKING:
    # mypy holds this class to the interface the news core is written against.
    _conforms: type[SourceStore] = SourceRepository
