"""Digests: which chats are due, what each one's digest holds, and the durable record of how
each ended.  The sending itself is the bot's (bot/digests.py), which renders and delivers what
this service plans and hands the outcomes back to be recorded.

Policy lives here: a digest more than `staleness` late is skipped, not sent; a day already
delivered is never delivered twice; a chat whose day has nothing new and who wants no note is
recorded as "empty".
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from news.claims import Claimant
from news.digest import Digest, DigestComposer, window_start
from news.metrics import NO_METRICS, Metrics
from news.model import ALREADY, Chat, Delivery, DeliveryOutcome, DigestBacklog
from news.percolator import Percolator
from news.repositories import ArticleStore, ChatStore
from news.schedule import DueDecision
from news.services.clock import Clock
from news.services.reading import muted_by
from news.versions import told_for

DUE_PAGE = 500
# Due chats claimed at a time: a fifth of a second's sends at 500/s, so that processes sharing a
# broadcast each keep busy to its end, and a killed one leaves little to take over.
CLAIM_PAGE = 100


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """One due chat's digest: to send (`digest` set), or already decided (`outcome` set:
    skipped as stale, empty without a note, or that day already delivered: ALREADY)."""

    chat: Chat
    due: datetime
    local_date: str
    next_due: datetime
    digest: Digest | None = None
    outcome: DeliveryOutcome | None = None
    # The messages of this digest already sent, when an earlier try stopped after them (a
    # later part failed): the digest is the same one, composed for the same instant, and only
    # its parts after these are sent.
    sent_before: tuple[int, ...] = ()

    @property
    def first(self) -> bool:
        """The chat's first digest: none before it, so it covers the last FIRST_WINDOW."""
        return self.chat.last_digest_due_utc is None

    def ended(
        self, state: str, next_due: datetime | None = None, message_ids: tuple[int, ...] = (), error: str | None = None
    ) -> DeliveryOutcome:
        """How the send ended, as the record to write."""
        return DeliveryOutcome(self.chat.id, self.local_date, self.due, state, next_due or self.next_due, message_ids, error)


@dataclass(frozen=True, slots=True)
class DigestNow:
    """/digest's answer: the digest, the instant it was composed at, and whether it is the
    reader's first (no digest before it: it covers the last `FIRST_WINDOW`)."""

    digest: Digest
    at: datetime
    first: bool


class DigestService:
    def __init__(
        self, articles: ArticleStore, chats: ChatStore, clock: Clock, cap: int, staleness: timedelta,
        percolator: Percolator | None = None, metrics: Metrics = NO_METRICS,
    ) -> None:
        self._articles, self._chats, self._clock = articles, chats, clock
        self._metrics = metrics
        self.cap, self.staleness = cap, staleness
        self._percolator = percolator  # for what each chat muted

    def composer(self) -> DigestComposer:
        """One per broadcast: each distinct (window, topics) digest is composed once."""
        return DigestComposer(self._articles.new_stories, self._articles.pinned, cap=self.cap)

    async def due_pages(self, now: datetime, only_chat: int | None = None) -> AsyncGenerator[list[Chat], None]:
        """The chats due at `now`, earliest first, a page at a time (keyset paging, no offsets)."""
        after: tuple[datetime, int] | None = None
        while chats := await self._chats.due(now, DUE_PAGE, after, chat_id=only_chat):
            last = chats[-1]
            assert last.next_due_utc is not None
            after = (last.next_due_utc, last.id)
            yield chats

    async def claimed_pages(
        self, now: datetime, claimant: Claimant, only_chat: int | None = None
    ) -> AsyncGenerator[list[Chat], None]:
        """The chats due at `now`, earliest first, a page at a time, each page claimed for
        `claimant` — the chats no other live process claimed (several processes share the
        broadcast, each chat going to one).  What was claimed and not recorded when the pages
        end is released (`release`)."""
        while True:
            # First what dead processes sent and did not record (`note_sent`): recorded, those
            # chats are no longer due, and are not sent again.
            await self._chats.record_left_behind(claimant.live_since())
            chats = await self._chats.claim_due(now, claimant.process_id, claimant.live_since(), CLAIM_PAGE, only_chat)
            if not chats:
                return
            yield chats

    async def release(self, claimant: Claimant) -> None:
        """The claimant's digests left unrecorded (a failure, a stop) are due for anyone again."""
        await self._chats.release_due(claimant.process_id)

    async def plan_page(self, chats: Sequence[Chat], now: datetime, composer: DigestComposer) -> AsyncGenerator[DigestPlan, None]:
        """Each due chat's plan, in order (one query for the days already delivered)."""
        decisions = {chat.id: chat.decide(_due(chat), now, self.staleness) for chat in chats}
        days = {chat.id: chat.slot_of(decisions[chat.id].due) for chat in chats}
        records = await self._chats.day_records(list(days.items()))
        for chat in chats:
            yield await self._plan(chat, decisions[chat.id], composer, records.get((chat.id, days[chat.id])))

    async def _plan(
        self, chat: Chat, decision: DueDecision, composer: DigestComposer, record: Delivery | None
    ) -> DigestPlan:
        # (The digest's instant: after downtime, the latest of the chat's due by now.)
        due = decision.due
        plan = DigestPlan(chat, due, chat.slot_of(due), decision.next_due)
        if record is not None and record.delivered:
            # Already sent that day (before the reader moved their time or zone): never a
            # second digest on one day — and the next one covers what came since the one sent.
            return _decided(plan, plan.ended(ALREADY))
        if not decision.send:
            return _decided(plan, plan.ended("skipped", error="stale"))
        if record is not None and record.state == "failed" and record.message_ids:
            # Its first parts went out before a later one failed: the rest of that very
            # digest, composed for the instant it was first due, not a new one.
            due = record.due_utc
            plan = replace(plan, due=due, sent_before=record.message_ids)
        digest = await composer.digest(window_start(chat.last_digest_due_utc, due), due, chat.topics)
        if (unwanted := muted_by(self._percolator, chat.id)) is not None:
            digest = digest.without(unwanted)
        if digest.empty and not chat.empty_note:
            return _decided(plan, plan.ended("empty"))
        return replace(plan, digest=digest)

    async def note_sent(self, claimant: Claimant, outcomes: Sequence[DeliveryOutcome]) -> None:
        """How digests ended, noted in the database as their sends end, until `record` records
        them: if the claimant dies before that, the next claim by any process records them."""
        await self._chats.note_sent(claimant.process_id, outcomes)

    async def record(self, outcomes: Sequence[DeliveryOutcome]) -> None:
        """Close each day's record and move each chat to its next digest, in one transaction."""
        await self._chats.record_deliveries(outcomes)
        self._metrics.digests_recorded(len(outcomes))

    async def backlog(self) -> DigestBacklog:
        """The chats due now whose digest is not yet sent or decided (an indexed count)."""
        return await self._chats.due_backlog(self._clock())

    async def digest_now(self, chat: Chat | None, lang: str | None = None) -> DigestNow:
        """/digest: what came since the chat's last digest, now; not recorded as one.  A chat
        that never had a digest (or is not stored) gets the last day's.  With `lang`, its
        stories told in that reader's language where a source told them so."""
        now = self._clock()
        last_due = chat.last_digest_due_utc if chat else None
        composer = self.composer()
        digest = await composer.digest(window_start(last_due, now), now, chat.topics if chat else ())
        if chat is not None and (unwanted := muted_by(self._percolator, chat.id)) is not None:
            digest = digest.without(unwanted)
        if lang is not None:
            digest = await self.told_for(digest, lang, chat.id if chat else None)
        return DigestNow(digest, now, first=last_due is None)

    async def told_for(self, digest: Digest, lang: str, chat_id: int | None = None) -> Digest:
        """The digest with each story told in a reader's language where a source told it so
        by the digest's end (news.versions), in a telling the chat `chat_id` did not mute:
        the same digest whenever it is rendered again."""
        articles = digest.articles
        unwanted = muted_by(self._percolator, chat_id)
        shown = await told_for(articles, lang, self._articles.told_in, digest.end, unwanted)
        return digest.shown_as({
            article.id: version for article, version in zip(articles, shown, strict=True) if version is not article
        })


def _due(chat: Chat) -> datetime:
    assert chat.next_due_utc is not None, "a due chat has a due instant"
    return chat.next_due_utc


def _decided(plan: DigestPlan, outcome: DeliveryOutcome) -> DigestPlan:
    return replace(plan, outcome=outcome)
