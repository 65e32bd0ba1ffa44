"""The alert job: a short repeating tick that sends what the outbox owes (news.services.alerts),
through the same limiter as everything else, as broadcast traffic that readers' replies
overtake.

An alert is recorded sent after Telegram took it, in small batches (bot.batching); a process
killed in between sends it again after restart (so the copies that can arrive twice are the
sends in flight and at most RECORD_SECONDS' worth of sends).  A chat the bot can no
longer post in (blocked, removed, demoted in a channel: bot.refusals) is soft-disabled and its
alerts wait for it to be back; a flood wait or a network failure leaves them open for the
next tick; a message Telegram refuses (our bug) is marked failed.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Any

from telegram import LinkPreviewOptions
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot import views
from bot.batching import BatchedWrites
from bot.digests import workers_for
from bot.processes import Membership, rate_share
from bot.refusals import cannot_post_there
from bot.services import Services
from bot.single_run import SingleRun
from news.repositories import StorageUnavailable
from news.services.alerts import AlertMessage

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
Delivered = tuple[AlertMessage, int | None]  # a message that went out, and Telegram's id for it
_STOP_GRACE_SECONDS = 5.0


def senders_for(rate: float) -> int:
    """Alert senders: twice a digest broadcast's (bot.digests.workers_for), as if a send took
    ~100 ms there and back.  A sender waiting for Telegram's answer cannot take the next slot,
    and on a busy machine answers come in 50 ms often enough (p99 70-110 ms measured in the
    storm of benchmarks/alerts_benchmark.py) that `rate` × 50 ms senders left the limiter
    with no one waiting about a tenth of the time.  Each is an alert that a crash could make
    arrive twice only while it is in flight: usually a few at once (rate × the round trip)."""
    return workers_for(2 * rate)


def claim_batch(share: float) -> int:
    """Chats to claim at a time for a process sending `share` messages a second (its part of
    the bot's rate, bot.processes.rate_share): about a second of its sends, enough to keep its
    senders busy, so that the other processes claim the rest of a storm and send it beside
    it.  A fixed 500 let the first process to tick take a whole storm of 500 followers and
    send it at its share alone while the others stood idle (at 30/s shared by three: 56 s,
    against 20 s with one process)."""
    return max(senders_for(share), math.ceil(share))


def render_alert(message: AlertMessage, bot_username: str, more_sources: int = 0) -> list[str]:
    """The text(s) of one alert message, in the chat's language and zone; a single alert
    edited later says how many `more_sources` told its story since."""
    return [text for text, _ in render_pages(message, bot_username, more_sources)]


def render_pages(message: AlertMessage, bot_username: str, more_sources: int = 0) -> list[tuple[str, int]]:
    """`render_alert`'s texts, each with how many of the message's alerts it holds (a bundle
    longer than a message is split between its stories)."""
    chat = message.chat
    if message.kind in ("bundle", "away"):
        channel_bot = bot_username if chat.type == "channel" else None
        header = "away_header" if message.kind == "away" else "bundle_header"
        return views.bundle_pages(
            message.articles, chat.lang, chat.tz, channel_bot, None if message.continued else header, message.more
        )
    if message.kind == "summary":
        return [(views.summary_message(len(message.alerts), message.matched, chat.lang), len(message.alerts))]
    article = message.articles[0]
    if chat.type == "channel":
        return [(views.channel_post(article, chat.lang, chat.tz, bot_username, more_sources), 1)]
    return [(views.alert_message(article, message.matched, chat.lang, chat.tz, more_sources), 1)]


class AlertEngine:
    # An ExtBot: its sends carry rate_limit_args, so that readers' replies overtake alerts.
    def __init__(
        self, bot: ExtBot[Any], services: Services, membership: Membership, workers: int | None = None
    ) -> None:
        self.bot, self.services = bot, services
        # This process among those sharing the database: it claims the chats it sends alerts to.
        self.membership = membership
        self.workers = workers or senders_for(services.settings.send_rate)
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
            # Chats whose alerts went out unrecorded stay claimed until they are recorded
            # (first thing next tick): released, another process would send them again.
            if not self._unwritten:
                await self._release()

    async def _release(self) -> None:
        try:
            await asyncio.shield(self.services.alerts.release(self.membership))
        except StorageUnavailable as error:  # they return once this process's lease runs out
            log.warning("chats claimed for alerts not released (%s)", error)

    async def _deliver_claimed(self) -> int:
        sent = 0
        membership = self.membership
        await self.services.follows.sync()  # what readers follow now, whichever process they told
        batch = await self._next_batch(frozenset())
        while batch is not None and not self._stopping and membership.fresh:
            messages, more = batch
            if not messages:
                if not more:
                    break
                batch = await self._next_batch(frozenset())  # more stories to match, more chats to claim
                continue
            # A chat's messages go one after the other, from one sender: a chat found closed
            # (blocked: 403) by its first is not sent the others, each to be refused in turn.
            by_chat: dict[int, list[AlertMessage]] = {}
            for message in messages:
                by_chat.setdefault(message.chat.id, []).append(message)
            queue: asyncio.Queue[list[AlertMessage]] = asyncio.Queue()
            for chat_messages in by_chat.values():
                queue.put_nowait(chat_messages)
            # What went out is recorded in small batches; all of it before the outbox is read
            # again for these chats (it decides what they are still owed, and the hourly caps).
            recorder: BatchedWrites[Delivered] = BatchedWrites(self._record)
            # The next batch is read while this one goes out, passing over this one's chats,
            # so that the senders never stand idle between two batches.
            following = asyncio.create_task(self._next_batch(frozenset(m.chat.id for m in messages)))
            try:
                results = await asyncio.gather(
                    *(self._worker(queue, recorder) for _ in range(min(self.workers, len(by_chat))))
                )
            except BaseException:
                following.cancel()
                raise
            finally:
                await recorder.flush()
            batch = await following
            delivered = sum(results)
            sent += delivered
            if delivered == 0 or self._unwritten:  # postponed, or not recordable: the next tick
                break
        return sent

    async def _next_batch(self, going_out: frozenset[int]) -> tuple[list[AlertMessage], bool] | None:
        """New stories matched against the follows (a batch at a time), then the chats they
        concern claimed (a batch at a time), then what those are owed, passing over the chats
        in `going_out`: (the messages, whether stories were matched or chats claimed — more may
        be waiting); None when the database refuses the claims."""
        alerts = self.services.alerts
        await alerts.drop_stale()
        await alerts.prune()
        matched = await alerts.expand()
        settings = self.services.settings
        share = rate_share(settings.send_rate, self.membership.live, settings.paid_broadcast)
        try:
            claimed = await alerts.claim(self.membership, claim_batch(share))
        except StorageUnavailable as error:
            if error.reason == "unreachable":
                raise
            log.error("alerts paused: the chats they go to cannot be claimed (%s)", error)
            return None  # the database refuses writes (full, read-only): as when they cannot be recorded
        return await alerts.due(self.membership, passing_over=going_out), bool(matched or claimed)

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

    def _sending(self) -> bool:
        return not self._stopping and not self._unwritten and self.membership.fresh

    async def _worker(self, queue: asyncio.Queue[list[AlertMessage]], recorder: BatchedWrites[Delivered]) -> int:
        sent = 0
        while self._sending() and not queue.empty():
            for message in queue.get_nowait():  # one chat's, in order
                if not self._sending():
                    break
                try:
                    delivered = await self._deliver(message, recorder)
                except Exception:  # one chat's trouble never stops the others
                    log.exception("alert for chat %s failed", message.chat.id)
                    continue
                if delivered is None:  # the chat closed or moved: the rest wait, as what it is owed
                    break
                sent += delivered
        return sent

    async def _deliver(self, message: AlertMessage, recorder: BatchedWrites[Delivered]) -> int | None:
        """Send one message: 1 sent, 0 not (failed, postponed), None when the chat can take
        no more now (closed to the bot, or moved)."""
        alerts, chat_id = self.services.alerts, message.chat.id
        pages = render_pages(message, self.bot.username)
        ids: list[int] = []
        try:
            try:
                for text, _ in pages:
                    ids.append(await self._send(chat_id, text, message.thread_id))
            finally:
                if 0 < len(ids) < len(pages):
                    # A bundle's first pages went and not the rest (demoted, blocked, a flood
                    # wait between two): those are recorded sent, and what is owed now is the
                    # rest, from the first page not sent — never the whole bundle again.
                    message = await alerts.sent_in_part(message, [(i, n) for i, (_, n) in zip(ids, pages, strict=False)])
        except ChatMigrated as moved:
            await self.services.subscriptions.migrate(chat_id, moved.new_chat_id)
            return None  # its alerts moved with it: sent next tick
        except (Forbidden, BadRequest) as error:
            reason = error.message[:200]
            if cannot_post_there(error):
                # Blocked, removed, demoted: the chat is soft-disabled, as Telegram's update of
                # it does, and its alerts wait with those owed since: once it is back (unblocked,
                # an admin again) those of the last day come (news.services.alerts).
                await self.services.subscriptions.unreachable(chat_id, reason)
                return None
            log.error("Telegram refused the alert for chat %s: %s", chat_id, reason)
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
