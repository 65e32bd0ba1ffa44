"""Webhook delivery, as Telegram does it: one update per POST, in order, with the secret token.

Telegram POSTs each update as JSON to the URL given to setWebhook, with the header
``X-Telegram-Bot-Api-Secret-Token`` when a secret_token was set; a 2xx answer confirms the
update, anything else (or no answer) leaves it pending and delivery is retried later.
The real URL must be https; in tests the bot listens on plain http behind it, so a
``target`` (what a TLS-terminating reverse proxy would forward to) can stand in for the
URL's scheme and host.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from urllib.parse import urlsplit

import aiohttp

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDelivery:
    def __init__(self, next_update: Callable[[], dict | None], confirm: Callable[[int], None],
                 changed: Callable[[], asyncio.Event], retry_seconds: float = 0.2) -> None:
        self._next_update, self._confirm, self._changed = next_update, confirm, changed
        self.retry_seconds = retry_seconds
        self.url = ""
        self.secret: str | None = None
        self.target: str | None = None  # "http://127.0.0.1:8080": deliver there instead
        self.attempts: list[tuple[int, int | str]] = []  # (update_id, HTTP status or error)
        self.last_error: str | None = None
        self._task: asyncio.Task | None = None

    def start(self, url: str, secret: str | None) -> None:
        self.url, self.secret = url, secret
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._deliver(), name="emulator-webhook")

    async def stop(self) -> None:
        self.url = ""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _address(self) -> str:
        if self.target is None:
            return self.url
        parts = urlsplit(self.url)
        return self.target.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    async def _deliver(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while self.url:
                update = self._next_update()
                if update is None:
                    await self._changed().wait()
                    continue
                headers = {SECRET_HEADER: self.secret} if self.secret else {}
                try:
                    async with session.post(self._address(), json=update, headers=headers) as response:
                        status: int | str = response.status
                except (TimeoutError, aiohttp.ClientError) as error:
                    status = type(error).__name__
                self.attempts.append((update["update_id"], status))
                if isinstance(status, int) and 200 <= status < 300:
                    self._confirm(update["update_id"])
                else:
                    self.last_error = f"Wrong response from the webhook: {status}"
                    await asyncio.sleep(self.retry_seconds)
