"""What a button stands for, when its 64 bytes of callback data cannot hold it (a /search
query, a follow offered by a deep link): remembered under a short key, per chat and kind."""

from __future__ import annotations

from news.repositories import ButtonStore, StorageUnavailable

# The last few of each kind per chat: a button older than that says it expired.
KEPT_PER_CHAT = 20


class ButtonService:
    def __init__(self, store: ButtonStore, keep: int = KEPT_PER_CHAT) -> None:
        self._store, self.keep = store, keep

    async def remember(self, chat_id: int, kind: str, text: str) -> int | None:
        """The key a button of `kind` carries for `text`; None while the database refuses
        writes (full, read-only, unreachable): the reply goes without that button."""
        try:
            return await self._store.remember(chat_id, kind, text, self.keep)
        except StorageUnavailable:
            return None

    async def recall(self, chat_id: int, kind: str, key: int) -> str | None:
        """The text behind a pressed button's key; None once forgotten (or another chat's)."""
        return await self._store.recall(chat_id, kind, key)
