"""Follows and mutes: the only SQL that touches them.  Never deleted but by their chat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from news.model import Follow
from news.repositories import FollowStore
from storage.db import parse_utc_text, utc_text
from storage.engine import Database, Row


def _follow(row: Row) -> Follow:
    return Follow(
        id=row["id"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        text=row["text"],
        terms=tuple(row["terms"].split(" ")) if row["terms"] else (),
        mute=bool(row["mute"]),
        thread_id=row["thread_id"],
        created_at=parse_utc_text(row["created_at"]),
        excluded=tuple(tuple(item.split(" ")) for item in row["excluded"].split("|")) if row["excluded"] else (),
    )


def _excluded(items: tuple[tuple[str, ...], ...]) -> str:
    """The column `excluded` (migration 0018): normalized words hold only letters and digits."""
    return "|".join(" ".join(item) for item in items)


# In the transaction of each change: the follows' version moves with them (a group's follows
# moved to its supergroup's id too: storage.chats).
FOLLOWS_CHANGED = "UPDATE versions SET value = value + 1 WHERE name = 'follows'"


class FollowRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, chat_id: int, *, kind: str, text: str, terms: tuple[str, ...], mute: bool = False,
        thread_id: int | None = None, excluded: tuple[tuple[str, ...], ...] = (),
    ) -> Follow | None:
        """The new follow (or mute); None when the chat already has the same one."""
        added, _ = await self.add_instead(
            chat_id, (), kind=kind, text=text, terms=terms, mute=mute, thread_id=thread_id, excluded=excluded
        )
        return added

    async def add_instead(
        self, chat_id: int, removing: Sequence[int], *, kind: str, text: str, terms: tuple[str, ...],
        mute: bool = False, thread_id: int | None = None, excluded: tuple[tuple[str, ...], ...] = (),
    ) -> tuple[Follow | None, list[Follow]]:
        """Add a follow (or mute) and remove those of the chat's `removing` ids, in one
        transaction: the new one (None when the chat already has the same one — the same
        kind and terms, whatever it leaves out —, the others removed all the same) and those
        removed (not those gone meanwhile)."""
        async with self._db.transaction() as tx:
            removed = []
            for follow_id in removing:
                gone = await tx.fetchrow("DELETE FROM follows WHERE id = ? AND chat_id = ? RETURNING *", (follow_id, chat_id))
                if gone is not None:
                    removed.append(gone)
            row = await tx.fetchrow(
                "INSERT INTO follows (chat_id, kind, text, terms, mute, thread_id, created_at, excluded) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *",
                (chat_id, kind, text, " ".join(terms), int(mute), thread_id, utc_text(datetime.now(UTC)), _excluded(excluded)),
            )
            if row is not None or removed:
                await tx.execute(FOLLOWS_CHANGED)
        return (_follow(row) if row else None), [_follow(gone) for gone in removed]

    async def of_chat(self, chat_id: int) -> list[Follow]:
        """The chat's follows, then its mutes, each in the order they were made."""
        rows = await self._db.fetch("SELECT * FROM follows WHERE chat_id = ? ORDER BY mute, id", (chat_id,))
        return [_follow(row) for row in rows]

    async def leave_out(
        self, chat_id: int, follow_id: int, *, text: str, excluded: tuple[tuple[str, ...], ...]
    ) -> Follow | None:
        """What one of the chat's follows leaves out, and its text, changed (the same words
        followed again with other exclusions); the follow as it is now, or None if it is gone."""
        async with self._db.transaction() as tx:
            row = await tx.fetchrow(
                "UPDATE follows SET text = ?, excluded = ? WHERE id = ? AND chat_id = ? AND mute = 0 RETURNING *",
                (text, _excluded(excluded), follow_id, chat_id),
            )
            if row is not None:
                await tx.execute(FOLLOWS_CHANGED)
        return _follow(row) if row else None

    async def remove(self, chat_id: int, follow_id: int) -> Follow | None:
        """Remove one of the chat's follows or mutes; the removed one, or None."""
        async with self._db.transaction() as tx:
            row = await tx.fetchrow("DELETE FROM follows WHERE id = ? AND chat_id = ? RETURNING *", (follow_id, chat_id))
            if row is not None:
                await tx.execute(FOLLOWS_CHANGED)
        return _follow(row) if row else None

    async def version(self) -> int:
        """Bumped by every follow or mute added or removed, by any process: one that matched
        stories against an older version reads them again (news.services.follows)."""
        row = await self._db.fetchrow("SELECT value FROM versions WHERE name = 'follows'")
        return int(row[0]) if row else 0

    async def every(self, after: int = 0, batch: int = 10_000) -> list[Follow]:
        """A batch of every chat's follows and mutes, by id (to build the percolator)."""
        rows = await self._db.fetch("SELECT * FROM follows WHERE id > ? ORDER BY id LIMIT ?", (after, batch))
        return [_follow(row) for row in rows]


if TYPE_CHECKING:  # mypy holds the repository to the interface the news core asks for
    _conforms: type[FollowStore] = FollowRepository
