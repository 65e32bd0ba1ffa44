"""The news core's domain model: what Akhbar knows, with the rules that belong to it.

Plain dataclasses, no SQL and no Telegram: storage maps its rows to these types and back, the
services take and return them, and the bot renders them.  A rule that is about one of these
things lives on it — a chat's next digest instant, a source's back-off — so that handlers,
jobs, the CLI and the demo all apply the same one.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from news.schedule import DueDecision, decide, local_date_of, local_due, next_due_of, parse_local_time, zone_of
from news.text import normalize

if TYPE_CHECKING:
    from news.story_key import StoryKey

# A source's back-off (see Source.after_failure).
MAX_ERRORS = 8
MAX_BACKOFF = timedelta(hours=24)
MIN_RETRY = timedelta(minutes=1)
_RNG = random.Random()
# Quiet hours as readers write them: 22:00-07:00, 10 pm - 7 am, من 22 إلى 7, de 22h à 7h, 22:00 07:00
# (the words folded as news.text.normalize folds them: إلى is الي, حتى حتي, à a).
_QUIET_RANGE = re.compile(r"^\s*(.+?)\s*[-–—]\s*(.+?)\s*$")
_QUIET_WORDS = re.compile(r"^(?:(?:من|de|from)\s+)?(.+?)\s+(?:(?:الي|حتي|a|to|until|jusqu'a)\s+)?(\S+(?:\s+\S+)?)$")

# The publication times an article can have.  A date outside them stands for none rather than
# telling one (Go's and .NET's zero time, 0001-01-01; .NET's MaxValue, 9999-12-31), and near
# either end of datetime's range the arithmetic done with it (the story matcher's window, a
# reader's time zone) overflows.
EARLIEST_PUBLICATION = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_PUBLICATION = datetime(9000, 1, 1, tzinfo=UTC)


def is_publication_time(moment: datetime) -> bool:
    """Whether the aware `moment` is a time an article can have been published at."""
    return EARLIEST_PUBLICATION <= moment < LATEST_PUBLICATION


@dataclass(frozen=True, slots=True)
class SearchText:
    """What the search index holds for one article: space-separated normalized forms."""

    title_words: str = ""
    title_stems: str = ""
    body_words: str = ""
    body_stems: str = ""


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to store: already cleaned, with its de-duplication keys computed."""

    title: str
    title_key: str  # normalized title: same key + same source = the same article
    content_hash: str
    body: str = ""
    summary: str = ""
    url: str | None = None
    source: str = ""
    published_at: datetime | None = None  # aware, UTC
    lang: str = "ar"
    topics: tuple[str, ...] = ()
    regions: tuple[int, ...] = ()  # wilaya codes
    search: SearchText = field(default_factory=SearchText)
    guid: str | None = None  # a feed item's id
    source_id: int | None = None  # the polled source it came from
    # What the title and the body's first sentences say of the event (news.story_key), computed
    # with the rest, where the article was made; None: from the title and body when it is filed.
    story_key: StoryKey | None = None
    # How sure the lexicon is of the topics (news.classify.Filing.margin); None: not its guess.
    topic_margin: float | None = None
    # The publication time the source claimed when it was too far ahead to believe (news.ingest:
    # `published_at` is then the arrival), kept for the record; None when it was believed.
    claimed_published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FiledVersion:
    """One version of a story, and how sure the lexicon was of its topics (None: given by a
    person or by the source's section, or filed before this was kept)."""

    article_id: int
    margin: float | None


class Refiler(Protocol):
    """The rule that files a story's weak versions again (news.classify.StoryRefiling)."""

    weak_below: float  # a version whose margin is below this is weakly filed

    def __call__(self, surest: FiledVersion, unsure: Sequence[FiledVersion]) -> Refiling | None: ...


@dataclass(frozen=True, slots=True)
class Refiling:
    """In one story: the versions to file under the topics of `surest`, and how sure they then
    count as being (so that they are not looked at again until the story grows)."""

    surest: int
    unsure: tuple[int, ...]
    margin: float


@dataclass(frozen=True, slots=True)
class Headline:
    """A stored article as the story matcher reads it, for re-grouping an archive."""

    id: int
    title: str
    body: str
    summary: str
    shown_at: datetime  # publication, or when it was fetched
    story_id: int


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    body: str
    summary: str
    url: str | None
    source: str
    published_at: datetime | None
    fetched_at: datetime
    lang: str
    topics: tuple[str, ...] = field(default=())
    regions: tuple[int, ...] = field(default=())
    story_id: int | None = None
    story_size: int = 1  # how many articles (sources) tell this story
    hidden: bool = False
    pinned_until: datetime | None = None
    # A publication time the source claimed too far ahead to believe (NewArticle's), or None.
    claimed_published_at: datetime | None = None

    @property
    def shown_at(self) -> datetime:
        """The time a listing shows and sorts by: publication, or when we got it."""
        return self.published_at or self.fetched_at


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local hours [start, end) during which a chat's alerts wait; may span midnight
    (22:00-07:00).  What waited arrives as one bundle when they end."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours | None:
        """22:00-07:00 (local, may span midnight) as quiet hours; None if it is not that."""
        times = cls.times(text)
        return cls(*times) if times is not None and times[0] != times[1] else None

    @staticmethod
    def times(text: str) -> tuple[time, time] | None:
        """The two times of day a range of quiet hours is written with, the same or not."""
        match = _QUIET_RANGE.match(text) or _QUIET_WORDS.match(normalize(text))
        if not match:
            return None
        start, end = parse_local_time(match.group(1)), parse_local_time(match.group(2))
        return (start, end) if start is not None and end is not None else None

    def contains(self, local: time) -> bool:
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True, slots=True)
class Chat:
    """A Telegram chat the bot knows: a reader's private chat, a group or a channel."""

    id: int
    type: str
    title: str
    lang: str
    tz: str  # an IANA zone, such as Africa/Algiers, or a fixed offset, UTC+01:00 (news.schedule.zone_of)
    digest_times: tuple[time, ...]  # the digests' local times of day in `tz`, in order (1 to 3)
    subscribed: bool
    active: bool
    inactive_reason: str | None
    inactive_at: datetime | None
    created_at: datetime
    updated_at: datetime
    next_due_utc: datetime | None = None
    last_digest_due_utc: datetime | None = None
    topics: tuple[str, ...] = ()  # the digest's topics; empty = all
    empty_note: bool = True  # on a day with nothing new, send a short note
    quiet: QuietHours | None = None  # alerts held during these local hours
    thread_id: int | None = None  # a forum's topic its digests go to

    def is_quiet(self, moment: datetime) -> bool:
        """Whether `moment` falls in this chat's quiet hours (in its zone)."""
        return self.quiet is not None and self.quiet.contains(moment.astimezone(zone_of(self.tz)).time())

    def hour_began(self, moment: datetime) -> datetime:
        """When the hour of this chat's clock holding `moment` began: in Kolkata (UTC+5:30),
        at half past UTC's hour."""
        local = moment.astimezone(zone_of(self.tz))
        return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)

    @property
    def digest_time(self) -> time:
        """The first digest of the day's time."""
        return self.digest_times[0]

    @property
    def receives_digests(self) -> bool:
        return self.subscribed and self.active

    def next_due_after(self, moment: datetime) -> datetime:
        """This chat's first digest instant strictly after `moment`: one a local day for each of
        its times, in its zone (see news.schedule for DST)."""
        return next_due_of(self.digest_times, self.tz, moment)

    def local_date_of(self, moment: datetime) -> date:
        return local_date_of(moment, self.tz)

    def slot_of(self, due: datetime) -> str:
        """The key of the digest due at `due` in the delivery record: its local date, and for a
        second or third digest of the day its place ("2026-12-04#1") — that of the latest of
        the chat's times at or before `due` that day, so that a digest postponed (a flood
        wait, say) keeps its slot.  A slot is delivered at most once, so moving a digest's
        time never brings a second one that day."""
        day = self.local_date_of(due)
        place = 0
        for index, at in enumerate(self.digest_times):
            if local_due(day, at, self.tz) <= due:
                place = index
        return f"{day.isoformat()}#{place}" if place else day.isoformat()

    def decide(self, due: datetime, now: datetime, staleness: timedelta) -> DueDecision:
        """Send the digest that fell due at `due`, or skip it as stale (news.schedule.decide)."""
        return decide(due, self.digest_times, self.tz, now, staleness)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One chat's digest for one local day, as recorded before and after sending."""

    chat_id: int
    local_date: str
    due_utc: datetime
    state: str  # sent, empty (nothing new, no note wanted), failed, skipped (stale)
    sent_at: datetime | None
    message_ids: tuple[int, ...]
    error: str | None

    @property
    def delivered(self) -> bool:
        """That day (or slot) had its digest: never a second one."""
        return self.state in ("sent", "empty")


@dataclass(frozen=True, slots=True)
class DigestBacklog:
    """The digests due and not yet sent: how many chats, and the earliest due instant."""

    due: int
    oldest: datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """How a chat's digest for a local day ended, and when its next one is due."""

    chat_id: int
    local_date: str
    due: datetime
    state: str
    next_due: datetime
    message_ids: tuple[int, ...] = ()
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.state in ("sent", "empty")

    @property
    def recorded(self) -> bool:
        """Whether it is the day's record: not when that day was delivered already (ALREADY)."""
        return self.state != ALREADY


# The outcome of a digest due on a day (or slot) already delivered — the reader moved their time
# or zone after it went out: nothing is sent, and only the chat's next due instant moves; the
# day's record and the start of the next digest's window stay those of the digest that went.
ALREADY = "already"


@dataclass(frozen=True, slots=True)
class Source:
    """A feed or page the bot polls."""

    id: int
    url: str
    title: str
    kind: str  # feed, page
    lang: str
    default_topic: str | None
    interval_s: int
    boilerplate: tuple[str, ...]  # lines to drop from its article pages, besides the shared ones
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime
    last_ok_at: datetime | None
    # Why the last poll failed; after a good one (errors == 0), why the feed read is malformed
    # (news.feeds.parser), else None.
    last_error: str | None
    errors: int
    paused: bool
    disabled_reason: str | None
    disabled_notified: bool
    created_at: datetime

    @property
    def name(self) -> str:
        """What readers see as the articles' source: its title, or its host."""
        return self.title or urlsplit(self.url).hostname or self.url

    def next_poll_after_success(self, now: datetime, rng: random.Random = _RNG) -> datetime:
        # ±10% so that sources added together drift apart instead of polling in lockstep.
        return now + timedelta(seconds=self.interval_s * rng.uniform(0.9, 1.1))

    def after_failure(self, now: datetime, retry_after: float | None) -> tuple[datetime, bool]:
        """(next poll, disable?) after one more failure in a row: exponential back-off from the
        interval, at most a day, never sooner than a minute nor than the server's Retry-After;
        disabled after MAX_ERRORS failures in a row."""
        errors = self.errors + 1
        backoff = min(timedelta(seconds=self.interval_s) * 2 ** (errors - 1), MAX_BACKOFF)
        wait = max(backoff, MIN_RETRY, timedelta(seconds=retry_after or 0))
        return now + min(wait, MAX_BACKOFF), errors >= MAX_ERRORS


def first_poll(now: datetime, interval_s: int, rng: random.Random = _RNG) -> datetime:
    """A new source's first poll: a random moment within its first interval (five minutes at
    most), so that 200 sources added at once do not all fire together."""
    return now + timedelta(seconds=rng.uniform(0, min(interval_s, 300)))


@dataclass(frozen=True, slots=True)
class Story:
    """One event as several sources tell it: the versions stored under one story id."""

    id: int
    versions: tuple[Article, ...]

    def others_than(self, article_id: int) -> tuple[Article, ...]:
        return tuple(a for a in self.versions if a.id != article_id)


@dataclass(frozen=True, slots=True)
class ArticleWithVersions:
    """An article to read in full, with the other sources' versions of its story."""

    article: Article
    others: tuple[Article, ...] = ()


FOLLOW_KINDS = ("words", "phrase", "topic", "wilaya")


@dataclass(frozen=True, slots=True)
class Follow:
    """Something a chat follows (an alert for each new story that matches), or, with `mute`,
    something it never wants to see.

    `terms` is what matching compares, never what the reader typed: for "words", each word's
    normalized form (all must appear in the story, exactly or by stem, as /search matches); for
    "phrase", the normalized words that must stand together in that order; for "topic", the
    topic's slug; for "wilaya", its code as text.  `excluded`: what the reader left out
    (`/follow الجزائر -كرة`), each a normalized word (matched by stem, as `terms` are) or several
    standing together (a phrase): a story holding one of them never alerts for this follow.
    A mute has none.
    """

    id: int
    chat_id: int
    kind: str  # one of FOLLOW_KINDS
    text: str  # as the reader typed it, shown back in /following
    terms: tuple[str, ...]
    mute: bool = False
    thread_id: int | None = None  # a forum topic of the chat, where alerts go
    created_at: datetime | None = None
    excluded: tuple[tuple[str, ...], ...] = ()


ALERT_STATES = ("pending", "held", "capped", "sent", "summed", "failed")


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert owed to a chat for a story new to the store (the outbox row to write)."""

    chat_id: int
    story_id: int
    article_id: int
    matched: tuple[str, ...]  # the texts of the chat's follows that matched
    thread_id: int | None = None


@dataclass(frozen=True, slots=True)
class EditWindow:
    """Which sent alerts may be edited now (news.services.alerts says why these bounds)."""

    since: datetime  # sent, and their story grown, no earlier than this
    sent_before: datetime  # sent no later than this: sources coming meanwhile make one edit
    edited_before: datetime  # last edited no later than this (or never)


@dataclass(frozen=True, slots=True)
class Alert:
    """An outbox row: an alert waiting, held, capped or done."""

    id: int
    chat_id: int
    story_id: int
    article_id: int
    matched: tuple[str, ...]
    thread_id: int | None
    state: str  # one of ALERT_STATES
    created_at: datetime
    hour: str | None = None  # capped: the UTC hour it was over the cap in
    message_id: int | None = None  # sent: the message Telegram gave it
    shown_sources: int = 0  # sent: how many more sources its message says (edited since)
    edit_error: str | None = None  # sent: why its message can no longer be edited (never tried again)
    away: bool = False  # held: owed while the chat was away (blocked the bot), for one bundle on its return
    bundle_begun: bool = False  # held: of a bundle whose first pages went out, the rest to go on without its header
