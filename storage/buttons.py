"""Texts buttons stand for (a /search query, an offered follow): the only SQL that touches them.

In the database rather than one process's memory, so that whichever process receives the
press can answer it, and a restart forgets nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from news.repositories import ButtonStore
from storage.db import utc_text
from storage.engine import Database


class ButtonTextRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def remember(self, chat_id: int, kind: str, text: str, keep: int) -> int:
        """The key a button carries for `text`; the chat's older texts of this kind beyond the
        last `keep` are forgotten (their buttons then say they expired)."""
        async with self._db.transaction() as tx:
            row = await tx.fetchrow(
                "INSERT INTO button_texts (chat_id, kind, text, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                (chat_id, kind, text, utc_text(datetime.now(UTC))),
            )
            assert row is not None  # an INSERT … RETURNING of one row
            await tx.execute(
                "DELETE FROM button_texts WHERE chat_id = ? AND kind = ? AND id <= "
                "(SELECT id FROM button_texts WHERE chat_id = ? AND kind = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                (chat_id, kind, chat_id, kind, keep),
            )
        key: int = row[0]
        return key

    async def recall(self, chat_id: int, kind: str, key: int) -> str | None:
        row = await self._db.fetchrow(
            "SELECT text FROM button_texts WHERE id = ? AND chat_id = ? AND kind = ?", (key, chat_id, kind)
        )
        return row[0] if row else None


if TYPE_CHECKING:  # mypy holds the repository to the interface the news core asks for
    _conforms: type[ButtonStore] = ButtonTextRepository
