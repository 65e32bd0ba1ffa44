"""The digest engine: one repeating tick, state in the database, delivery by a few workers.

Each tick asks storage for the chats whose `next_due_utc` has passed (an indexed query), and
if no broadcast is running starts one: a producer pages through the due chats, composes each
distinct digest once (news.digest.DigestComposer) and puts the rendered messages on a bounded
queue; workers take them off and send them as broadcast traffic, which the rate limiter lets
readers' replies overtake.

Every send is bracketed by a durable delivery record per chat and local day: `begin` before
the first message, `finish` (with the chat's next due instant, in the same transaction)
after the last.  A crash between the two leaves a 'sending' record and a chat still due:
the next start sends that digest again — the only digests that can ever arrive twice are
the few in flight at the moment of the crash.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from telegram import Bot, LinkPreviewOptions
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot import views
from bot.config import Settings
from bot.limiter import retry_seconds
from bot.services import Services
from news.digest import DigestComposer, window_start
from news.schedule import decide, local_date_of
from storage.records import Chat

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_NETWORK_RETRIES = (1.0, 2.0, 4.0)
_POSTPONE_AFTER_NETWORK = timedelta(minutes=5)
_PAGE = 500


@dataclass(frozen=True, slots=True)
class _Job:
    chat: Chat
    due: datetime
    local_date: str
    next_due: datetime
    messages: tuple[str, ...]


@dataclass(slots=True)
class BroadcastReport:
    sent: int = 0
    empty: int = 0
    skipped: int = 0
    failed: int = 0
    postponed: int = 0
    compositions: int = 0
    chats: list[int] = field(default_factory=list)  # who got a digest
    planned: list[_Job] = field(default_factory=list)  # a dry run's digests, not sent


class DigestEngine:
    def __init__(self, bot: Bot, services: Services, settings: Settings, workers: int = 8) -> None:
        self.bot, self.services, self.settings = bot, services, settings
        self.workers = workers
        self._running: asyncio.Task | None = None

    def clock(self) -> datetime:
        return self.services.clock()

    # --- the tick -------------------------------------------------------------------------

    async def tick(self, _context: object = None) -> None:
        """The JobQueue callback: start a broadcast unless one is still going."""
        self._start()

    def _start(self) -> asyncio.Task:
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(self.run_due(), name="digest-broadcast")
        return self._running

    async def broadcast(self) -> BroadcastReport:
        """Deliver what is due now (joining a broadcast already under way) and report."""
        return await asyncio.shield(self._start())

    async def stop(self) -> None:
        if self._running is not None and not self._running.done():
            self._running.cancel()
            try:
                await self._running
            except (asyncio.CancelledError, Exception):
                pass

    # --- one broadcast --------------------------------------------------------------------

    async def run_due(self, dry_run: bool = False, only_chat: int | None = None) -> BroadcastReport:
        """Deliver every digest due now; with `dry_run`, compose them and return the jobs only."""
        now = self.clock()
        report = BroadcastReport()
        composer = DigestComposer(self.services.articles.new_stories, cap=self.settings.digest_cap)
        rendered: dict[tuple, tuple[str, ...]] = {}
        queue: asyncio.Queue[_Job | None] = asyncio.Queue(maxsize=self.workers * 4)

        async def produce() -> None:
            after = None
            while chats := await self.services.chats.due(now, _PAGE, after, chat_id=only_chat):
                after = (chats[-1].next_due_utc.strftime("%Y-%m-%dT%H:%M:%SZ"), chats[-1].id)
                for chat in chats:
                    job = await self._prepare(chat, now, composer, rendered, report, dry_run)
                    if job is None:
                        continue
                    if dry_run:
                        report.planned.append(job)
                    else:
                        await queue.put(job)

        async def work() -> None:
            while (job := await queue.get()) is not None:
                try:
                    await self._deliver(job, report)
                except Exception:  # one chat's trouble never stops the broadcast
                    log.exception("digest for chat %s failed", job.chat.id)
                    report.failed += 1

        workers = [asyncio.create_task(work()) for _ in range(0 if dry_run else self.workers)]
        try:
            await produce()
        finally:
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers, return_exceptions=True)
        report.compositions = composer.compositions
        if report.sent or report.failed or report.skipped:
            log.info(
                "digests: %d sent, %d empty, %d skipped (stale), %d failed, %d postponed; %d compositions",
                report.sent, report.empty, report.skipped, report.failed, report.postponed, report.compositions,
            )
        return report

    async def _prepare(self, chat, now, composer, rendered, report, dry_run) -> _Job | None:
        at = time.fromisoformat(chat.digest_time)
        due = chat.next_due_utc
        decision = decide(due, at, chat.tz, now, timedelta(hours=self.settings.digest_stale_hours))
        local_date = local_date_of(due, chat.tz).isoformat()
        if not decision.send:
            report.skipped += 1
            if not dry_run:
                await self.services.chats.finish_delivery(
                    chat.id, local_date, state="skipped", due=due, next_due=decision.next_due, error="stale"
                )
            return None
        digest = await composer.digest(window_start(chat.last_digest_due_utc, due), due, chat.topics)
        if digest.empty and not chat.empty_note:
            report.empty += 1
            if not dry_run:
                await self.services.chats.finish_delivery(chat.id, local_date, state="empty", due=due, next_due=decision.next_due)
            return None
        key = (id(digest), chat.lang, local_date)
        if key not in rendered:
            rendered[key] = tuple(views.digest_messages(digest, chat.lang, local_date_of(due, chat.tz)))
        return _Job(chat, due, local_date, decision.next_due, rendered[key])

    async def _deliver(self, job: _Job, report: BroadcastReport) -> None:
        chats = self.services.chats
        chat_id = job.chat.id
        if not await chats.begin_delivery(chat_id, job.local_date, job.due):
            await chats.set_next_due(chat_id, job.next_due)  # it went out before a crash
            return
        try:
            sent_ids = await self._send(chat_id, job.messages)
        except ChatMigrated as moved:
            # The group became a supergroup: its settings and history follow it.
            await chats.migrate(chat_id, moved.new_chat_id)
            chat_id = moved.new_chat_id
            sent_ids = await self._send(chat_id, job.messages)
        except (Forbidden, BadRequest) as error:
            reason = error.message[:200]
            if isinstance(error, BadRequest) and "chat not found" not in reason.lower():
                # Telegram refused the message itself: our bug, logged; today's is lost for
                # this chat but tomorrow's is scheduled, rather than retrying every tick.
                log.error("Telegram refused the digest for chat %s: %s", chat_id, reason)
                await chats.finish_delivery(chat_id, job.local_date, state="failed", due=job.due, next_due=job.next_due, error=reason)
                report.failed += 1
                return
            await chats.mark_inactive(chat_id, reason)
            await chats.finish_delivery(chat_id, job.local_date, state="failed", due=job.due, next_due=job.next_due, error=reason)
            report.failed += 1
            return
        except RetryAfter as error:
            # An absurd flood wait: postpone this chat, keep the broadcast going.
            wait = retry_seconds(error)
            await chats.finish_delivery(
                chat_id, job.local_date, state="failed", due=job.due,
                next_due=self.clock() + timedelta(seconds=wait), error=f"flood control: retry after {wait:.0f} s",
            )
            report.postponed += 1
            return
        except NetworkError as error:
            await chats.finish_delivery(
                chat_id, job.local_date, state="failed", due=job.due,
                next_due=self.clock() + _POSTPONE_AFTER_NETWORK, error=f"network: {error.message[:180]}",
            )
            report.postponed += 1
            return
        await chats.finish_delivery(
            chat_id, job.local_date, state="sent", due=job.due, next_due=job.next_due, message_ids=tuple(sent_ids)
        )
        report.sent += 1
        report.chats.append(chat_id)

    async def _send(self, chat_id: int, messages: tuple[str, ...]) -> list[int]:
        ids = []
        for text in messages:
            for attempt, pause in enumerate((*_NETWORK_RETRIES, None)):
                try:
                    message = await self.bot.send_message(
                        chat_id,
                        text,
                        parse_mode="HTML",
                        link_preview_options=_NO_PREVIEW,
                        allow_paid_broadcast=self.settings.paid_broadcast or None,
                        rate_limit_args={"bulk": True},
                    )
                    break
                except (RetryAfter, ChatMigrated, BadRequest):
                    raise  # not transient (BadRequest is a NetworkError subclass in PTB)
                except NetworkError:  # 5xx, timeouts, dropped connections: back off and retry
                    if pause is None:
                        raise
                    await asyncio.sleep(pause)
            ids.append(message.message_id)
        return ids
