"""Alerts: what the outbox owes each chat now, as messages to send, and how they ended.

Policy, applied each time the bot asks (`due`):
- a chat in its quiet hours gets nothing: its alerts are held;
- once they end, what was held arrives as ONE bundle (in a forum, one in each topic its
  follows were made in) — of the stories the chat still follows and has not muted since (so
  for an hour's summary) — with what waited over an hour's cap when they began;
- a chat back after blocking the bot (or a group that added it again) gets what it is still
  owed — what came while it was away, and what was refused when it left — held when it
  returns (SubscriptionService), then as ONE "while you were away" bundle, in the same way:
  once its quiet hours are over, of what it still follows, and only of the last day (older
  alerts are dropped, STALE_AFTER, as for quiet hours); a channel publishes each instead;
- at most `per_hour` alerts a chat in a clock hour (of the chat's clock); the rest wait for
  the end of that hour and arrive as one summary ("N more stories about …") — but for a channel, which
  publishes every story it follows: its admins chose it, and its subscribers have no /latest.
Rows stay open until the bot records them sent, so a process killed in between sends them
after restart (duplicates: at most the sends in flight).

The same story told later by another source sends no second alert: the alert already sent is
edited to say "(+N sources)" (`edits_due`).  The first edit comes no sooner than EDIT_DELAY
after the alert went, so that the sources arriving meanwhile make one edit; a later one no
sooner than EDIT_INTERVAL after the last; none once the alert is EDIT_WINDOW old.  A message
is thus edited at most 24 times, in practice once or twice, and each edit shows the story's
size at the time it is made.

With several processes, an edit due is claimed by one (news.claims) and is its own until it
is recorded or released, or that process dies: however long the edit waits for its turn
(background traffic goes after a whole broadcast, and after any flood wait), no other process
makes it too.  A dead process's edits are anyone's once its heartbeat is a lease old.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from news.claims import Claimant
from news.model import Alert, Article, Chat, EditWindow, NewAlert
from news.percolator import Percolator, story_terms
from news.repositories import AlertStore, ArticleStore, ChatStore, StorageUnavailable
from news.services.clock import Clock
from news.services.reading import muted_by
from news.versions import ToldIn, ToldOnce, told_for

DEFAULT_PER_HOUR = 10
# Quiet hours last less than a day, and so does an hour's cap: an alert still waiting after
# this is news no more.
log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=24)
# How often what waited longer is dropped for every chat at once — those the alert job never
# reads too (a reader who blocked the bot and never comes back): their outbox is a day's at most.
STALE_SWEEP_EVERY = timedelta(minutes=10)
# Alerts done (sent, summed, failed) and the notes of stories whose alerts were all written
# are deleted once this old (AKHBAR_ALERT_RETENTION_DAYS), by the same sweep: a chat that never
# comes back leaves nothing behind for ever.  Nothing reads them past a day (the hourly cap
# reads the last hour, edits the last day), and a story, noted once, is never matched again.
DEFAULT_RETENTION = timedelta(days=30)
# Rows deleted in one transaction, and transactions in one sweep at most: a sweep's writes stay
# short (an alert storm of 20,000 readers is four), and a backlog goes in a few sweeps.
PRUNE_BATCH = 5000
PRUNE_BATCHES = 10
OPEN_BATCH = 1000
EXPAND_BATCH = 100
# Chats whose alerts one process claims at a time, at most (several processes share a storm:
# the bot layer claims about a second of its own sends, bot.alerts.claim_batch).
CLAIM_BATCH = 500
EDIT_DELAY = timedelta(minutes=5)
EDIT_INTERVAL = timedelta(hours=1)
EDIT_WINDOW = STALE_AFTER
EDIT_BATCH = 200
# Stories a "while you were away" bundle shows at most, the newest (as /latest and the digest
# order them); the others are counted («… and 28 more — /latest»): a reader back after a
# busy day is not sent page after page of it.  A channel publishes every story it follows.
AWAY_CAP = 12


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """One message to send: a single alert, a quiet-hours bundle or an hour's summary."""

    chat: Chat
    kind: str  # alert, bundle (quiet hours), away (while the chat was away), summary
    alerts: tuple[Alert, ...]
    articles: tuple[Article, ...]  # the alerts' articles, in order (hidden ones left out)
    continued: bool = False  # the rest of a bundle whose first pages went: no header again
    # Alerts counted, not shown: the last `more` of `alerts`, past those of `articles` (a
    # "while you were away" bundle over AWAY_CAP).  Done when the message is.
    more: int = 0

    @property
    def thread_id(self) -> int | None:
        return self.alerts[0].thread_id

    @property
    def matched(self) -> tuple[str, ...]:
        """What the chat follows that these stories matched, each once."""
        return tuple(dict.fromkeys(text for alert in self.alerts for text in alert.matched))


@dataclass(frozen=True, slots=True)
class AlertEdit:
    """A sent alert to edit: its message as sent, now to say `sources` more sources."""

    message: AlertMessage
    sources: int

    @property
    def alert(self) -> Alert:
        return self.message.alerts[0]


def _by_topic(alerts: Sequence[Alert]) -> list[list[Alert]]:
    """Alerts grouped by the forum topic they go to (most chats have none: one group)."""
    topics: dict[int | None, list[Alert]] = {}
    for alert in alerts:
        topics.setdefault(alert.thread_id, []).append(alert)
    return list(topics.values())


def hour_key(began: datetime) -> str:
    """An hour of a chat's clock (Chat.hour_began) as its capped alerts are marked: UTC's
    2026-12-04T05, or 2026-12-04T04:30 for an hour beginning at half past UTC's.  Those keys
    sort as the hours do."""
    return began.strftime("%Y-%m-%dT%H" if not began.minute else "%Y-%m-%dT%H:%M")


class AlertService:
    def __init__(
        self, alerts: AlertStore, chats: ChatStore, articles: ArticleStore, clock: Clock, percolator: Percolator,
        per_hour: int = DEFAULT_PER_HOUR, retention: timedelta = DEFAULT_RETENTION,
    ) -> None:
        self._alerts, self._chats, self._articles, self._clock = alerts, chats, articles, clock
        self._percolator = percolator
        self.per_hour, self.retention = per_hour, retention
        self._swept_at: datetime | None = None
        self._pruned_at: datetime | None = None

    async def drop_stale(self) -> int:
        """Alerts still waiting after STALE_AFTER, of any chat — an inactive one's too, which
        `due` never reads — are dropped (failed, "stale"), at most every STALE_SWEEP_EVERY: a
        chat that blocked the bot and never comes back is owed a day's alerts at most, and
        costs the alert job nothing past that.  How many were dropped."""
        now = self._clock()
        if self._swept_at is not None and now - self._swept_at < STALE_SWEEP_EVERY:
            return 0
        try:
            dropped = await self._alerts.drop_open_before(now - STALE_AFTER, "stale")
        except StorageUnavailable as error:
            # Housekeeping: the tick goes on to what is due (its own writes say whether the
            # database is there), and the sweep is tried again next tick.
            log.warning("alerts waiting over a day not dropped this time (%s)", error)
            return 0
        self._swept_at = now
        return dropped

    async def prune(self) -> int:
        """Alerts done and older than the retention, and the notes of their stories, deleted
        a batch at a time (at most PRUNE_BATCHES), at most every STALE_SWEEP_EVERY; never an
        alert still owed, nor a reader's follows.  How many rows were deleted."""
        now = self._clock()
        if self._pruned_at is not None and now - self._pruned_at < STALE_SWEEP_EVERY:
            return 0
        pruned = 0
        try:
            for _ in range(PRUNE_BATCHES):
                deleted = await self._alerts.prune_done_before(now - self.retention, PRUNE_BATCH)
                pruned += deleted
                if deleted < PRUNE_BATCH:
                    break
        except StorageUnavailable as error:  # housekeeping, as drop_stale: tried again next tick
            log.warning("alerts older than %s days not pruned this time (%s)", self.retention.days, error)
            return pruned
        self._pruned_at = now
        if pruned:
            log.info("pruned %s alert rows older than %s days", pruned, self.retention.days)
        return pruned

    async def expand_all(self) -> None:
        """Match every story waiting: before a follow is added, so that what was stored before
        it is not pushed to a reader who followed after (FollowService)."""
        while await self.expand():
            pass

    async def expand(self, at_most: int = EXPAND_BATCH) -> int:
        """Match the stories noted at ingestion against every chat's follows and mutes, and
        write the alerts each owes (one per chat); how many stories were matched."""
        stories = await self._alerts.unexpanded(at_most)
        for story_id, article_id in stories:
            article = await self._articles.get(article_id)  # None: hidden since, owes nothing
            owed: list[NewAlert] = []
            # The percolator decides which chats and for what follows; each chat's alert is
            # made here as the rows are written (Matches.chats: one per chat alerted).
            for match in self._percolator.match(story_terms(article)).chats() if article is not None else ():
                matched = tuple(dict.fromkeys(f.text for f in match.follows))
                owed.append(NewAlert(match.chat_id, story_id, article_id, matched, thread_id=match.follows[0].thread_id))
            await self._alerts.expand(story_id, owed, self._clock())
        return len(stories)

    async def claim(self, claimant: Claimant, at_most: int = CLAIM_BATCH) -> int:
        """Claim for `claimant` up to `at_most` of the chats with open alerts that no live
        process holds; how many.  `due(claimant)` then reads the alerts of the chats it claimed."""
        return await self._alerts.claim_chats(claimant.process_id, claimant.live_since(), min(at_most, CLAIM_BATCH))

    async def release(self, claimant: Claimant) -> None:
        """The chats `claimant` claimed are anyone's again."""
        await self._alerts.release_chats(claimant.process_id)

    async def due(
        self, claimant: Claimant | None = None, at_most: int = OPEN_BATCH, passing_over: AbstractSet[int] = frozenset()
    ) -> list[AlertMessage]:
        """The messages to send now (about `at_most`), oldest alerts first — of the chats
        `claimant` claimed, if given; holds and caps are written as decided.  Alerts held for
        a chat still quiet are passed over, page by page, so that they never stand in the way
        of the others.  So are the chats in `passing_over` (those of messages going out, not
        yet recorded: what they are still owed, and their hour's cap, is decided once they are)."""
        messages: list[AlertMessage] = []
        planned: dict[int, int] = {}  # alerts given to each chat by the pages before
        # Each article read once: a story followed by thousands of chats is one query, not thousands.
        articles: dict[int, Article | None] = {}
        # Each story's telling in a reader's language read once too (news.versions).
        told_in = ToldOnce(self._articles.told_in)
        # Each story matched again once, for what waited: the chats that still follow it.
        following: dict[int, AbstractSet[int]] = {}
        after = 0
        mine = None if claimant is None else claimant.process_id
        while len(messages) < at_most and (rows := await self._alerts.open(after, OPEN_BATCH, mine)):
            after = rows[-1].id
            if passing_over:
                rows = [row for row in rows if row.chat_id not in passing_over]
            if rows:
                messages += await self._decide(rows, planned, articles, following, told_in)
        return messages

    async def _decide(
        self, rows: Sequence[Alert], planned: dict[int, int], articles: dict[int, Article | None],
        following: dict[int, AbstractSet[int]], told_in: ToldIn,
    ) -> list[AlertMessage]:
        now = self._clock()
        by_chat: dict[int, list[Alert]] = {}
        for row in rows:
            by_chat.setdefault(row.chat_id, []).append(row)
        chats = await self._chats.get_many(list(by_chat))
        # Each chat's hour is its own clock's (a zone half an hour from UTC's has its hours
        # begin at half past): one count of alerts sent for each hour begun (one or a few).
        began = {chat_id: chat.hour_began(now) for chat_id, chat in chats.items()}
        sent: dict[int, int] = {}
        for since in set(began.values()):
            sent.update(await self._alerts.sent_since([c for c, b in began.items() if b == since], since))
        messages: list[AlertMessage] = []
        for chat_id, waiting in by_chat.items():
            chat = chats.get(chat_id)
            if chat is None:
                continue
            hour = hour_key(began[chat_id])
            # A reader back after a long while (blocked the bot, say) is not sent old news.
            stale = [a for a in waiting if now - a.created_at > STALE_AFTER]
            if stale:
                await self._alerts.record_failed([a.id for a in stale], "stale")
            open_alerts = [a for a in waiting if now - a.created_at <= STALE_AFTER]
            pending = [a for a in open_alerts if a.state == "pending"]
            if chat.is_quiet(now):
                if pending:
                    await self._alerts.set_state([a.id for a in pending], "held")
                continue
            held = await self._still_followed([a for a in open_alerts if a.state == "held"], articles, following)
            over = [a for a in open_alerts if a.state == "capped" and (a.hour or "") < hour]
            over = await self._still_followed(over, articles, following)
            if held:
                # Quiet hours are over (or the chat is back): what waited over an hour's cap
                # when they began waited through them too, and is in their one bundle rather
                # than a summary of its own beside it.
                held, over = sorted(held + over, key=lambda alert: alert.id), []
            for topic in _by_topic(held):  # in a forum, each topic its own (alerts[0].thread_id)
                # Back after blocking the bot: what came meanwhile, and what waited then, is
                # one "while you were away" bundle.
                kind = "away" if any(alert.away for alert in topic) else "bundle"
                continued = kind == "bundle" and any(alert.bundle_begun for alert in topic)
                cap = AWAY_CAP if kind == "away" and chat.type != "channel" else None
                messages += await self._message(chat, kind, topic, articles, told_in, continued, cap)
            for topic in _by_topic(over):
                messages += await self._message(chat, "summary", topic, articles, told_in)
            if chat.type == "channel":  # it publishes every story it follows
                room = len(pending)
            else:
                room = max(0, self.per_hour - sent.get(chat_id, 0) - planned.get(chat_id, 0))
            planned[chat_id] = planned.get(chat_id, 0) + min(room, len(pending))
            for alert in pending[:room]:
                messages += await self._message(chat, "alert", [alert], articles, told_in)
            if pending[room:]:
                await self._alerts.set_state([a.id for a in pending[room:]], "capped", hour=hour)
        return messages

    async def _still_followed(
        self, alerts: list[Alert], known: dict[int, Article | None], following: dict[int, AbstractSet[int]]
    ) -> list[Alert]:
        """Of these alerts that waited (quiet hours, an hour's cap), those whose story their
        chat still follows and has not muted since; the others are dropped, never sent."""
        if not alerts:
            return alerts
        kept: list[Alert] = []
        dropped: list[int] = []
        for alert, article in zip(alerts, await self._articles_of(alerts, known), strict=True):
            if article is not None:  # (hidden since: _message drops it)
                if article.id not in following:
                    following[article.id] = frozenset(self._percolator.match(story_terms(article)).found)
                if alert.chat_id not in following[article.id]:
                    dropped.append(alert.id)
                    continue
            kept.append(alert)
        if dropped:
            await self._alerts.record_failed(dropped, "unfollowed")
        return kept

    async def _articles_of(self, alerts: Sequence[Alert], known: dict[int, Article | None]) -> list[Article | None]:
        """The alerts' articles (None: hidden since), each read once into `known`."""
        for alert in alerts:
            if alert.article_id not in known:
                known[alert.article_id] = await self._articles.get(alert.article_id)
        return [known[alert.article_id] for alert in alerts]

    async def _message(
        self, chat: Chat, kind: str, alerts: Sequence[Alert], known: dict[int, Article | None], told_in: ToldIn,
        continued: bool = False, cap: int | None = None,
    ) -> list[AlertMessage]:
        """The message of these alerts; with `cap`, of their newest `cap` stories, newest
        first, the others counted (AlertMessage.more)."""
        articles = await self._articles_of(alerts, known)
        gone = [alert.id for alert, article in zip(alerts, articles, strict=True) if article is None]
        if gone:  # hidden by an admin since: nothing to tell
            await self._alerts.record_failed(gone, "hidden")
        told = [(alert, article) for alert, article in zip(alerts, articles, strict=True) if article is not None]
        if cap is not None:
            told.sort(key=lambda pair: (pair[1].shown_at, pair[1].id), reverse=True)
        shown = tuple(article for _, article in told[:cap])
        # each story told in the chat's language where a source told it so, in a telling the
        # chat did not mute (news.versions)
        shown = tuple(await told_for(shown, chat.lang, told_in, unwanted=muted_by(self._percolator, chat.id)))
        kept = tuple(alert for alert, _ in told)
        return [AlertMessage(chat, kind, kept, shown, continued, more=len(kept) - len(shown))] if kept else []

    async def of_chat(self, chat_id: int) -> list[Alert]:
        """Every alert owed to a chat, done or not (for the operator, and tests)."""
        return await self._alerts.of_chat(chat_id)

    async def sent(self, delivered: Sequence[tuple[AlertMessage, int | None]]) -> None:
        """These messages went out (with the id Telegram gave each): recorded in one go."""
        await self._alerts.record_sent(
            [
                (alert.id, "sent" if message.kind == "alert" else "summed", message_id)
                for message, message_id in delivered
                for alert in message.alerts
            ],
            self._clock(),
        )

    async def sent_in_part(self, message: AlertMessage, pages: Sequence[tuple[int, int]]) -> AlertMessage:
        """The first pages of a message of several went out — each (Telegram's id for it, how
        many of the message's alerts it held) — and not the others: the alerts of those pages
        are recorded sent, in one go with the mark on the others that their bundle began.  They
        stay held, and go on as its rest, from the first page not sent, without its header
        (`due`).  What is owed now: that rest."""
        done = 0
        sent: list[tuple[int, str, int | None]] = []
        for message_id, held in pages:
            sent += [(alert.id, "summed", message_id) for alert in message.alerts[done : done + held]]
            done += held
        rest = message.alerts[done:]
        await self._alerts.record_sent_in_part(sent, [alert.id for alert in rest], self._clock())
        return replace(message, alerts=rest, articles=message.articles[done:], continued=True)

    async def failed(self, message: AlertMessage, error: str) -> None:
        await self._alerts.record_failed([a.id for a in message.alerts], error)

    async def edits_due(self, claimant: Claimant, at_most: int = EDIT_BATCH) -> list[AlertEdit]:
        """Sent alerts whose story more sources told since, due for an edit now (see the
        module's docstring), claimed for `claimant` until recorded (`edited`, `edit_failed`)
        or released (`edits_postponed`, `release_edits`), or until it dies."""
        now = self._clock()
        window = EditWindow(since=now - EDIT_WINDOW, sent_before=now - EDIT_DELAY, edited_before=now - EDIT_INTERVAL)
        claimed = await self._alerts.claim_edits(window, claimant.process_id, claimant.live_since(), at_most)
        chats = await self._chats.get_many(list({alert.chat_id for alert, _ in claimed}))
        articles = await self._articles_of([alert for alert, _ in claimed], {})
        edits: list[AlertEdit] = []
        gone: list[int] = []
        told_in = ToldOnce(self._articles.told_in)  # (the edits of one story's alerts: one read)
        for (alert, sources), article in zip(claimed, articles, strict=True):
            chat = chats.get(alert.chat_id)
            if chat is None or article is None:  # the chat left, or an admin hid the article
                gone.append(alert.id)
            else:
                # A version in the reader's language that joined the story since is shown now
                # (an alert sent with the Arabic headline, edited to El Watan's French one).
                (shown,) = await told_for(
                    (article,), chat.lang, told_in, unwanted=muted_by(self._percolator, chat.id)
                )
                edits.append(AlertEdit(AlertMessage(chat, "alert", (alert,), (shown,)), sources))
        if gone:
            await self._alerts.record_edit_failed(gone, "gone", claimant.process_id)
        return edits

    async def edited(self, claimant: Claimant, edits: Sequence[AlertEdit]) -> int:
        """These messages `claimant` edited say their story's sources now (edited, or already
        saying it); how many were recorded.  An edit another process took over meanwhile
        (`claimant` out of the database's reach for a lease, its record held back) is not: it
        is that process's, which makes it (Telegram: "not modified") and records what it counts."""
        edited = [(edit.alert.id, edit.sources) for edit in edits]
        return await self._alerts.record_edits(edited, self._clock(), claimant.process_id)

    async def edit_failed(self, claimant: Claimant, edit: AlertEdit, error: str) -> bool:
        """This message can no longer be edited (deleted, the chat gone): never tried again —
        unless another process took the edit over meanwhile (as `edited`); whether recorded."""
        return await self._alerts.record_edit_failed([edit.alert.id], error, claimant.process_id) == 1

    async def edits_postponed(self, claimant: Claimant, edits: Sequence[AlertEdit]) -> None:
        """These edits `claimant` claimed were not made: due again at the next tick (those it
        still holds: another process may have taken some over meanwhile)."""
        if edits:
            await self._alerts.release_edits([edit.alert.id for edit in edits], claimant.process_id)

    async def release_edits(self, claimant: Claimant) -> None:
        """Every edit `claimant` claimed and did not record (its release refused, say) is
        anyone's again: called when none of its edits is under way."""
        await self._alerts.release_edits_of(claimant.process_id)
