"""Chats (readers, groups, channels) and their subscription: the only SQL that touches them.

A chat is never deleted: a reader who blocks the bot is marked inactive with the reason and the
time, and comes back with every setting intact.
"""

from __future__ import annotations

from datetime import UTC, datetime

import aiosqlite

from storage.db import Database, parse_utc_text, utc_text
from storage.records import Chat


def _chat(row: aiosqlite.Row) -> Chat:
    return Chat(
        id=row["id"],
        type=row["type"],
        title=row["title"],
        lang=row["lang"],
        tz=row["tz"],
        digest_time=row["digest_time"],
        subscribed=bool(row["subscribed"]),
        active=bool(row["active"]),
        inactive_reason=row["inactive_reason"],
        inactive_at=parse_utc_text(row["inactive_at"]),
        created_at=parse_utc_text(row["created_at"]),
        updated_at=parse_utc_text(row["updated_at"]),
    )


def _now() -> str:
    return utc_text(datetime.now(UTC))


class ChatRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, chat_id: int) -> Chat | None:
        async with self._db.conn.execute("SELECT * FROM chats WHERE id = ?", (chat_id,)) as cursor:
            row = await cursor.fetchone()
        return _chat(row) if row else None

    async def ensure(
        self, chat_id: int, *, type: str, title: str, lang: str, tz: str, digest_time: str
    ) -> Chat:
        """The stored chat, created with these defaults the first time the bot meets it."""
        now = _now()
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO chats (id, type, title, lang, tz, digest_time, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """,
                (chat_id, type, title, lang, tz, digest_time, now, now),
            )
        chat = await self.get(chat_id)
        assert chat is not None
        return chat

    async def _update(self, chat_id: int, assignments: str, params: tuple) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE chats SET {assignments}, updated_at = ? WHERE id = ?",
                (*params, _now(), chat_id),
            )
        return cursor.rowcount > 0

    async def set_subscribed(self, chat_id: int, subscribed: bool) -> bool:
        return await self._update(chat_id, "subscribed = ?", (int(subscribed),))

    async def set_lang(self, chat_id: int, lang: str) -> bool:
        return await self._update(chat_id, "lang = ?", (lang,))

    async def mark_inactive(self, chat_id: int, reason: str) -> bool:
        """Soft-disable: the bot can no longer write here (blocked, kicked, deleted account)."""
        return await self._update(
            chat_id, "active = 0, inactive_reason = ?, inactive_at = ?", (reason, _now())
        )

    async def reactivate(self, chat_id: int) -> bool:
        return await self._update(
            chat_id, "active = 1, inactive_reason = NULL, inactive_at = NULL", ()
        )

    async def counts(self) -> dict[str, int]:
        async with self._db.conn.execute(
            "SELECT count(*) AS known, "
            "coalesce(sum(subscribed AND active), 0) AS subscribed_active, "
            "coalesce(sum(NOT active), 0) AS inactive FROM chats"
        ) as cursor:
            row = await cursor.fetchone()
        return dict(row)
