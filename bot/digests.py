"""The digest engine: one repeating tick, state in the database, delivery by a few workers.

Each tick asks storage for the chats whose `next_due_utc` has passed (an indexed query), and
if no broadcast is running starts one: a producer pages through the due chats, composes each
distinct digest once (news.digest.DigestComposer) and puts the rendered messages on a bounded
queue; workers take them off and send them as broadcast traffic, which the rate limiter lets
readers' replies overtake.

Every digest ends with a durable delivery record per chat and local day, written together
with the chat's next due instant (in small batches, see `_Recorder`).  Until it is written
the chat stays due; its outcome is noted at once in a small file beside a SQLite database, or
in PostgreSQL's (bot.delivery_journal), and recorded first by the next start or the next claim:
a crash repeats only the digests in flight at that moment.  A record of the day already sent
stops a second digest on the same day.
"""

from __future__ import annotations

import asyncio
import logging
import math
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from telegram import LinkPreviewOptions
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot import views
from bot.batching import BatchedWrites
from bot.delivery_journal import DatabaseJournal, DeliveryJournal, journal_path
from bot.limiter import retry_seconds
from bot.processes import Membership
from bot.refusals import cannot_post_there
from bot.services import Services
from bot.single_run import SingleRun
from news.digest import DigestComposer
from news.model import Chat, DeliveryOutcome
from news.plurals import counted
from news.repositories import StorageUnavailable
from news.services import DigestPlan, DigestService

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_POSTPONE_AFTER_NETWORK = timedelta(minutes=5)
_PAGE = 500
# On shutdown, how long the sends in flight get to finish and be recorded before the
# broadcast is cancelled (SIGTERM must end the process within 10 s).
_STOP_GRACE_SECONDS = 6.0


def workers_for(rate: float) -> int:
    """Enough senders to keep `rate` going when a send takes ~50 ms there and back, and no
    more: every worker is a digest in flight, one that a crash could make arrive twice."""
    return max(4, min(64, math.ceil(rate * 0.05)))


@dataclass(frozen=True, slots=True)
class _Job:
    """A planned digest, rendered: what one chat is sent."""

    plan: DigestPlan
    messages: tuple[str, ...]

    @property
    def chat(self) -> Chat:
        return self.plan.chat

    @property
    def local_date(self) -> str:
        return self.plan.local_date


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
    # An ExtBot: its sends carry rate_limit_args for the application's rate limiter (the
    # application's bot, AkhbarBot); a dry run's bot has no limiter and sends nothing.
    def __init__(
        self, bot: ExtBot[Any], services: Services, workers: int | None = None, journal: DeliveryJournal | None = None,
        membership: Membership | None = None,
    ) -> None:
        self.bot, self.services, self.settings = bot, services, services.settings
        # This process among those sharing the database: it claims the due chats it sends
        # (none is needed for a dry run, which claims nothing).
        self.membership = membership
        self.workers = workers or workers_for(self.settings.send_rate)
        self._broadcast = SingleRun(self.run_due, "digest-broadcast")
        # Every send's outcome, noted as it ends until it is recorded: beside a SQLite database,
        # in PostgreSQL's, which every process sharing the broadcast reads.
        self._journal: DeliveryJournal | DatabaseJournal
        if journal is not None:
            self._journal = journal
        elif self.settings.database_url is not None and membership is not None:
            self._journal = DatabaseJournal(services.digests, membership)
        else:
            self._journal = DeliveryJournal(journal_path(self.settings.db_path, self.settings.database_url))
        # Outcomes not recorded yet — left by a process that died, or of digests sent while the
        # database refused writes (disk full, read-only) — written first thing next time, so
        # those chats are not sent again.
        self._unwritten: list[DeliveryOutcome] = self._journal.left_behind()
        self._stopping = False

    def clock(self) -> datetime:
        return self.services.clock()

    # --- the tick -------------------------------------------------------------------------

    async def tick(self, _context: object = None) -> None:
        """The JobQueue callback: start a broadcast unless one is still going."""
        self._broadcast.start()

    async def broadcast(self) -> BroadcastReport:
        """Deliver what is due now (joining a broadcast already under way) and report."""
        return await asyncio.shield(self._broadcast.start())

    async def stop(self) -> None:
        """Shutdown: send nothing new, let the sends in flight finish and be recorded.

        Digests not yet sent stay due and go out at the next start; only a send still
        unfinished after the grace period is cancelled (and may then arrive twice)."""
        self._stopping = True
        try:
            await self._broadcast.stop(grace=_STOP_GRACE_SECONDS)
        finally:
            self._journal.close()

    # --- one broadcast --------------------------------------------------------------------

    async def run_due(self, dry_run: bool = False, only_chat: int | None = None) -> BroadcastReport:
        """Deliver every digest due now; with `dry_run`, compose them and return the jobs only."""
        now = self.clock()
        report = BroadcastReport()
        if not dry_run and not await self._write_unwritten():
            return report
        digests = self.services.digests
        composer = digests.composer()
        rendered: dict[tuple[int, str, str, bool, str | None], tuple[str, ...]] = {}
        queue: asyncio.Queue[_Job | None] = asyncio.Queue(maxsize=self.workers * 4)
        recorder = _Recorder(digests, dry_run, self._unwritten)

        membership = self.membership
        if membership is None and not dry_run:
            raise RuntimeError("a digest broadcast claims its chats: give the engine the process's membership")
        if membership is not None and not dry_run:
            if not membership.fresh:
                return report  # unregistered, or its heartbeat failing: it claims nothing now
            await self._release(membership)  # left claimed by an earlier broadcast whose release was refused
            await self.services.follows.sync()  # what readers muted, whichever process they told

        async def produce() -> None:
            due = digests.due_pages(now, only_chat) if membership is None else digests.claimed_pages(now, membership, only_chat)
            async with aclosing(due) as pages:
                async for chats in pages:
                    if self._halted(recorder):
                        break
                    async with aclosing(digests.plan_page(chats, now, composer)) as plans:
                        async for plan in plans:
                            if self._halted(recorder):
                                break
                            job = await self._job(plan, composer, rendered, report, recorder)
                            if job is None:
                                continue
                            if dry_run:
                                report.planned.append(job)
                            else:
                                await queue.put(job)
            await recorder.flush()

        async def work() -> None:
            while (job := await queue.get()) is not None:
                if self._halted(recorder):
                    continue  # left due, for the next broadcast
                try:
                    outcome = await self._deliver(job, report)
                except Exception:  # one chat's trouble never stops the broadcast
                    log.exception("digest for chat %s failed", job.chat.id)
                    report.failed += 1
                    continue
                try:
                    await self._journal.append(outcome)  # before anything else can fail or wait
                except Exception:
                    # The note guards against a crash; its own failure must not cost the send
                    # its record (the chat would get the digest again: seen with asyncpg's
                    # InternalClientError as PostgreSQL shut down).
                    log.exception("digest for chat %s sent but not noted; it is recorded all the same", job.chat.id)
                await recorder.add(outcome)

        workers = [asyncio.create_task(work()) for _ in range(0 if dry_run else self.workers)]
        try:
            try:
                await produce()
            except BaseException as error:
                if not isinstance(error, StorageUnavailable):
                    # Cancelled (a shutdown past its grace period) or failed: the sends still
                    # in flight are abandoned; those chats stay due.
                    for task in workers:
                        task.cancel()
                    raise
                # The database refuses writes (full, read-only) or is out of reach: the next
                # due chats could not be claimed.  Stop as when outcomes cannot be recorded:
                # the sends under way finish (cancelled, one Telegram had already delivered
                # stayed due and went again after the restart), what was sent is recorded when
                # it can be, the rest stays due.
                if not recorder.refused and error.reason != "unreachable":
                    log.error("digest broadcast stopped: due digests cannot be claimed (%s)", error)
                recorder.refused = True
                # Halted, the workers would skip every job still queued: those go, and each
                # worker gets its stop mark at once (waiting for room in a full queue, a stop's
                # cancel landing there left the workers waiting for ever).
                while not queue.empty():
                    queue.get_nowait()
                for _ in workers:
                    queue.put_nowait(None)
                if error.reason == "unreachable":
                    raise  # (once the sends under way have ended: below)
            else:
                for _ in workers:
                    await queue.put(None)
        finally:
            try:
                # Cancelling this wait (the grace period ran out) cancels the workers too.
                await asyncio.gather(*workers, return_exceptions=True)
            finally:
                await recorder.flush()  # whatever was sent is recorded, even on the way out
                if not self._unwritten:
                    self._journal.clear()
                # Chats sent to and not yet recorded stay claimed until they are (the next
                # tick records them first): released, another process would find them due
                # and send them again.
                if membership is not None and not dry_run and not self._unwritten:
                    await self._release(membership)
        report.compositions = composer.compositions
        if report.sent or report.failed or report.skipped:
            log.info(
                "digests: %d sent, %d empty, %d skipped (stale), %d failed, %d postponed; %s",
                report.sent, report.empty, report.skipped, report.failed, report.postponed,
                counted(report.compositions, "composition"),
            )
        return report

    def _halted(self, recorder: _Recorder) -> bool:
        """No more sends: the bot is stopping, outcomes can no longer be recorded, or this
        process's heartbeat is too old for its claims to be surely its own."""
        return self._stopping or recorder.refused or (self.membership is not None and not self.membership.fresh)

    async def _release(self, membership: Membership) -> None:
        """The chats claimed and not recorded (a failure, a stop) are due for anyone again;
        if even that is refused, they return once this process's lease runs out."""
        try:
            await asyncio.shield(self.services.digests.release(membership))
        except StorageUnavailable as error:
            log.warning("claimed digests not released (%s): they return after the lease", error)

    async def _write_unwritten(self) -> bool:
        """Record what an earlier broadcast (or process) could not; False while the database
        still refuses.  They are in the journal too, until then."""
        if not self._unwritten:
            return True
        try:
            await self.services.digests.record(self._unwritten)
        except StorageUnavailable as error:
            log.error(
                "digests paused: %s still cannot be recorded (%s)", counted(len(self._unwritten), "delivery", "deliveries"),
                error,
            )
            return False
        except Exception:  # not a refusal (a chat migrated meanwhile, say): never block digests for it
            log.exception("%s could not be written: dropped", counted(len(self._unwritten), "delivery record"))
        self._unwritten.clear()
        self._journal.clear()
        return True

    async def _job(
        self, plan: DigestPlan, composer: DigestComposer, rendered: dict[tuple[int, str, str, bool, str | None], tuple[str, ...]],
        report: BroadcastReport, recorder: _Recorder,
    ) -> _Job | None:
        """The plan rendered for sending; None when its outcome is already decided (recorded)."""
        if plan.outcome is not None:
            if plan.outcome.state == "skipped":
                report.skipped += 1
            elif plan.outcome.state == "empty":
                report.empty += 1
            await recorder.add(plan.outcome)
            return None
        assert plan.digest is not None
        chat = plan.chat
        # Rendered once per distinct digest, language and day, each story told in the
        # chat's language where a source told it so by the digest's end (so that a retry
        # renders the same parts again), in a telling the chat did not mute (a chat that
        # mutes anything has a digest of its own: Digest.without).
        channel_bot = self._links_into(chat)
        key = (id(plan.digest), chat.lang, plan.local_date, plan.first, channel_bot)
        if key not in rendered:
            digest = await self.services.digests.told_for(plan.digest, chat.lang, chat.id)
            rendered[key] = tuple(
                views.digest_messages(digest, chat.lang, chat.local_date_of(plan.due), plan.first, channel_bot)
            )
        # A digest an earlier try sent the first parts of: the parts after those.
        return _Job(plan, rendered[key][len(plan.sent_before) :])

    def _links_into(self, chat: Chat) -> str | None:
        """For a channel, the bot its digest links each story into (views.digest_messages: a
        /read command is nothing a channel's subscribers can send); None for any other chat.
        A dry run's bot never asked Telegram its name: its links say `bot`."""
        if chat.type != "channel":
            return None
        try:
            return self.bot.username
        except RuntimeError:  # an ExtBot never initialized (akhbar digest --dry-run): no getMe
            return "bot"

    async def _deliver(self, job: _Job, report: BroadcastReport) -> DeliveryOutcome:
        """Send one digest; the outcome says how it ended and when the chat is next due."""
        subscriptions = self.services.subscriptions
        chat_id = job.chat.id

        def ended(
            state: str, next_due: datetime | None = None, message_ids: tuple[int, ...] = (), error: str | None = None
        ) -> DeliveryOutcome:
            # Recorded under the chat's id now: a group that migrated is the supergroup.
            return replace(job.plan.ended(state, next_due, message_ids, error), chat_id=chat_id)

        # The ids of the digest's messages sent by this try.  A failed digest is recorded with
        # every part it got out (an earlier try's too), and a retry sends only the rest.
        sent_now: list[int] = []

        def ended_with() -> tuple[int, ...]:
            return (*job.plan.sent_before, *sent_now)

        try:
            try:
                await self._send(chat_id, job.messages, job.chat.thread_id, sent_now)
            except ChatMigrated as moved:
                # The group became a supergroup: its settings and history follow it.
                await subscriptions.migrate(chat_id, moved.new_chat_id)
                chat_id = moved.new_chat_id
                await self._send(chat_id, job.messages, job.chat.thread_id, sent_now)
        except (Forbidden, BadRequest) as error:
            reason = error.message[:200]
            report.failed += 1
            if not cannot_post_there(error):
                # Telegram refused the message itself: our bug, logged; today's is lost for
                # this chat but tomorrow's is scheduled, rather than retrying every tick.
                log.error("Telegram refused the digest for chat %s: %s", chat_id, reason)
            else:
                await subscriptions.unreachable(chat_id, reason)  # blocked, deleted, kicked: soft-disable
            return ended("failed", message_ids=ended_with(), error=reason)
        except RetryAfter as error:
            # An absurd flood wait: postpone this chat, keep the broadcast going.
            wait = retry_seconds(error)
            report.postponed += 1
            return ended(
                "failed", self.clock() + timedelta(seconds=wait), ended_with(), f"flood control: retry after {wait:.0f} s"
            )
        except NetworkError as error:
            report.postponed += 1
            return ended("failed", self.clock() + _POSTPONE_AFTER_NETWORK, ended_with(), f"network: {error.message[:180]}")
        report.sent += 1
        report.chats.append(chat_id)
        return ended("sent", message_ids=ended_with())

    async def _send(self, chat_id: int, messages: tuple[str, ...], thread_id: int | None, sent: list[int]) -> None:
        """Send the messages after the `len(sent)` first, adding each one's id to `sent` as
        it goes out."""
        # Transient failures were already retried by the rate limiter (bot/limiter.py).
        for text in messages[len(sent) :]:
            message = await self.bot.send_message(
                chat_id,
                text,
                parse_mode="HTML",
                link_preview_options=_NO_PREVIEW,
                allow_paid_broadcast=self.settings.paid_broadcast or None,
                message_thread_id=thread_id,
                rate_limit_args={"bulk": True},
            )
            sent.append(message.message_id)


class _Recorder:
    """Writes delivery outcomes in small batches (bot.batching): one transaction for many
    digests.  A crash can lose the unwritten batch; those chats are still due and get their
    digest again — so the digests that can arrive twice are the ones in flight plus at most
    RECORD_SECONDS' worth of sends, never a broadcast.

    When the database refuses a batch (disk full, read-only), the batch goes to `unwritten`
    for the engine to retry and `refused` stops the broadcast: sending on without records
    would send the same digests again at the next tick."""

    def __init__(self, digests: DigestService, dry_run: bool, unwritten: list[DeliveryOutcome]) -> None:
        self._digests, self._dry_run, self._unwritten = digests, dry_run, unwritten
        self.refused = False
        self._writes: BatchedWrites[DeliveryOutcome] = BatchedWrites(self._record)

    async def add(self, outcome: DeliveryOutcome) -> None:
        if not self._dry_run:
            await self._writes.add(outcome)

    async def _record(self, batch: list[DeliveryOutcome]) -> None:
        try:
            await self._digests.record(batch)
        except Exception as error:
            # Refused (StorageUnavailable) or failed some other way, the batch is kept to be
            # recorded first next time: dropped, its chats would still be due, and sent again.
            if not self.refused:
                if isinstance(error, StorageUnavailable):
                    log.error("digest broadcast stopped: deliveries cannot be recorded (%s)", error)
                else:
                    log.exception("digest broadcast stopped: deliveries could not be recorded")
            self.refused = True
            self._unwritten.extend(batch)

    async def flush(self) -> None:
        """Write everything pending, and wait for writes under way."""
        await self._writes.flush()
