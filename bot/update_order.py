"""Each chat's updates handled one after the other, in the order Telegram gave them; different
chats' at once, up to a limit.

PTB's own processor runs up to N updates concurrently whoever sent them, so two updates of one
chat could be handled in either order: a reader who blocked and unblocked the bot while it was
down — the two my_chat_member updates in one batch — was left switched off when the unblock's
handler read the chat before the block's had written it; a reader's quick «/follow X» then
«/following» could list the follow missing.  Here an update waits for the ones of its chat
received before it (asyncio.Lock is first come, first served, and PTB starts updates in the
order received), and only then takes one of the `max_running` places: a chat sending many at
once holds one place, not all of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's semaphore only bounds the updates waiting here (memory); `max_running` bounds the work.
_WAITING = 4096


class ChatOrderedUpdates(BaseUpdateProcessor):
    def __init__(self, max_running: int) -> None:
        super().__init__(_WAITING)
        self._running = asyncio.Semaphore(max_running)
        # a chat's lock and how many of its updates hold or wait for it (dropped at zero)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_of(update)
        if key is None:  # nothing to keep in order (a poll's answer, an unknown kind)
            async with self._running:
                await coroutine
            return
        lock, users = self._chats.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._chats[key] = (lock, users + 1)
        try:
            async with lock, self._running:
                await coroutine
        finally:
            lock, users = self._chats[key]
            if users == 1:
                del self._chats[key]
            else:
                self._chats[key] = (lock, users - 1)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _chat_of(update: object) -> int | None:
    """The chat an update is about (its user's, for one without a chat: an inline query)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
