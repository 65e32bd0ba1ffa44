"""The alert job: a short repeating tick that sends what the outbox owes (news.services.alerts),
through the same limiter as everything else, as broadcast traffic that readers' replies
overtake.

An alert is recorded sent after Telegram took it, in small batches (bot.batching); a process
killed in between sends it again after restart (so the copies that can arrive twice are the
sends in flight and at most RECORD_SECONDS' worth of sends).  A chat that
blocked the bot is soft-disabled and its alerts marked failed; a flood wait or a network
failure leaves them open for the next tick.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import LinkPreviewOptions
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot import views
from bot.batching import BatchedWrites
from bot.digests import workers_for
from bot.processes import Membership
from bot.services import Services
from bot.single_run import SingleRun
from news.repositories import StorageUnavailable
from news.services.alerts import AlertMessage

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
Delivered = tuple[AlertMessage, int | None]  # a message that went out, and Telegram's id for it
_STOP_GRACE_SECONDS = 5.0


def render_alert(message: AlertMessage, bot_username: str) -> list[str]:
    """The text(s) of one alert message, in the chat's language and zone."""
    chat = message.chat
    if message.kind == "bundle":
        return views.bundle_messages(message.articles, chat.lang, chat.tz)
    if message.kind == "summary":
        return [views.summary_message(len(message.alerts), message.matched, chat.lang)]
    article = message.articles[0]
    if chat.type == "channel":
        return [views.channel_post(article, chat.lang, chat.tz, bot_username)]
    return [views.alert_message(article, message.matched, chat.lang, chat.tz)]


class AlertEngine:
    # An ExtBot: its sends carry rate_limit_args, so that readers' replies overtake alerts.
    def __init__(
        self, bot: ExtBot[Any], services: Services, membership: Membership, workers: int | None = None
    ) -> None:
        self.bot, self.services = bot, services
        # This process among those sharing the database: it claims the chats it sends alerts to.
        self.membership = membership
        self.workers = workers or workers_for(services.settings.send_rate)
        self._run = SingleRun(self.deliver_due, "alerts")
        self._stopping = False
        # Sent alerts the database refused to record (disk full, read-only): kept here and
        # written first thing next time; meanwhile nothing more is sent, or it would be again.
        self._unwritten: list[Delivered] = []

    async def tick(self, _context: object = None) -> None:
        """The JobQueue callback: start delivering unless a delivery is still going."""
        self._run.start()

    async def stop(self) -> None:
        self._stopping = True
        await self._run.stop(grace=_STOP_GRACE_SECONDS)

    async def deliver_due(self) -> int:
        """Send what is due now, batch after batch while there is more; how many were sent."""
        if not await self._write_unwritten() or not self.membership.fresh:
            return 0  # unrecordable, or unregistered / its heartbeat failing: it claims nothing now
        await self._release()  # left claimed by an earlier delivery whose release was refused
        try:
            return await self._deliver_claimed()
        finally:
            await self._release()

    async def _release(self) -> None:
        try:
            await asyncio.shield(self.services.alerts.release(self.membership))
        except StorageUnavailable as error:  # they return once this process's lease runs out
            log.warning("chats claimed for alerts not released (%s)", error)

    async def _deliver_claimed(self) -> int:
        sent = 0
        alerts, membership = self.services.alerts, self.membership
        await self.services.follows.sync()  # what readers follow now, whichever process they told
        while not self._stopping and membership.fresh:
            # New stories first matched against the follows (a batch at a time), then the
            # chats they concern claimed (a batch at a time), then sent.
            matched = await alerts.expand()
            try:
                claimed = await alerts.claim(membership)
            except StorageUnavailable as error:
                if error.reason == "unreachable":
                    raise
                log.error("alerts paused: the chats they go to cannot be claimed (%s)", error)
                break  # the database refuses writes (full, read-only): as when they cannot be recorded
            messages = await alerts.due(membership)
            if not messages:
                if matched or claimed:
                    continue  # more stories may be waiting to be matched, more chats to claim
                break
            queue: asyncio.Queue[AlertMessage] = asyncio.Queue()
            for message in messages:
                queue.put_nowait(message)
            # What went out is recorded in small batches; all of it before the outbox is read
            # again (it decides what is still owed, and the hourly caps).
            recorder: BatchedWrites[Delivered] = BatchedWrites(self._record)
            try:
                results = await asyncio.gather(
                    *(self._worker(queue, recorder) for _ in range(min(self.workers, len(messages))))
                )
            finally:
                await recorder.flush()
            delivered = sum(results)
            sent += delivered
            if delivered == 0 or self._unwritten:  # postponed, or not recordable: the next tick
                break
        return sent

    async def _record(self, batch: list[Delivered]) -> None:
        try:
            await self.services.alerts.sent(batch)
        except StorageUnavailable as error:
            if not self._unwritten:
                log.error("alerts paused: what was sent cannot be recorded (%s)", error)
            self._unwritten.extend(batch)

    async def _write_unwritten(self) -> bool:
        """Record what an earlier delivery could not; False while the database still refuses."""
        if not self._unwritten:
            return True
        try:
            await self.services.alerts.sent(self._unwritten)
        except StorageUnavailable:
            return False
        self._unwritten.clear()
        return True

    async def _worker(self, queue: asyncio.Queue[AlertMessage], recorder: BatchedWrites[Delivered]) -> int:
        sent = 0
        while not self._stopping and not self._unwritten and self.membership.fresh and not queue.empty():
            message = queue.get_nowait()
            try:
                sent += await self._deliver(message, recorder)
            except Exception:  # one chat's trouble never stops the others
                log.exception("alert for chat %s failed", message.chat.id)
        return sent

    async def _deliver(self, message: AlertMessage, recorder: BatchedWrites[Delivered]) -> int:
        alerts, chat_id = self.services.alerts, message.chat.id
        texts = render_alert(message, self.bot.username)
        try:
            ids = [await self._send(chat_id, text, message.thread_id) for text in texts]
        except ChatMigrated as moved:
            await self.services.subscriptions.migrate(chat_id, moved.new_chat_id)
            return 0  # its alerts moved with it: sent next tick
        except (Forbidden, BadRequest) as error:
            reason = error.message[:200]
            if isinstance(error, BadRequest) and "chat not found" not in reason.lower():
                log.error("Telegram refused the alert for chat %s: %s", chat_id, reason)
            else:
                await self.services.subscriptions.unreachable(chat_id, reason)
            await alerts.failed(message, reason)
            return 0
        except (RetryAfter, NetworkError) as error:
            log.info("alert for chat %s postponed: %s", chat_id, error)
            return 0
        await recorder.add((message, ids[0]))
        return 1

    async def _send(self, chat_id: int, text: str, thread_id: int | None) -> int:
        # Transient failures were already retried by the rate limiter (bot/limiter.py).
        # Broadcast traffic like digests: above Telegram's 30/s only as a paid broadcast.
        sent = await self.bot.send_message(
            chat_id, text, parse_mode="HTML", link_preview_options=_NO_PREVIEW, message_thread_id=thread_id,
            allow_paid_broadcast=self.services.settings.paid_broadcast or None, rate_limit_args={"bulk": True},
        )
        return sent.message_id
