"""Composing digests: which stories a reader's digest carries, shared among readers alike.

A digest covers the stories that began in its window (previous digest's due instant, this
one's], filtered by the reader's topics, grouped by topic, newest first, capped.  Readers due
at the same instant with the same topics get the same digest: `DigestComposer` builds each
distinct one once, so 100,000 readers cost a few hundred compositions, not 100,000.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from news.model import Article
from news.topics import TOPICS

DEFAULT_CAP = 30
FIRST_WINDOW = timedelta(hours=24)
# Old news that a newly added source brings in is not "since your last digest".
STALE_PUBLICATION = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class DigestSection:
    topic: str
    stories: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    start: datetime
    end: datetime
    sections: tuple[DigestSection, ...]
    more: int  # stories left out by the cap
    pinned: tuple[Article, ...] = ()  # an admin's pick, opening the digest

    @property
    def empty(self) -> bool:
        return not self.sections and not self.pinned

    @property
    def story_count(self) -> int:
        return sum(len(section.stories) for section in self.sections)

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article the digest shows, the pinned ones first."""
        return (*self.pinned, *(story for section in self.sections for story in section.stories))

    def shown_as(self, shown: Mapping[int, Article]) -> Digest:
        """This digest with each article whose id `shown` names shown as that one instead
        (the story told in the reader's language: news.versions)."""
        sections = tuple(
            DigestSection(section.topic, tuple(shown.get(story.id, story) for story in section.stories))
            for section in self.sections
        )
        pinned = tuple(shown.get(story.id, story) for story in self.pinned)
        return Digest(self.start, self.end, sections, self.more, pinned)

    def without(self, unwanted: Callable[[Article], bool]) -> Digest:
        """This digest less the stories a reader does not want (what they muted); sections
        left empty go."""
        sections = tuple(
            DigestSection(section.topic, kept)
            for section in self.sections
            if (kept := tuple(story for story in section.stories if not unwanted(story)))
        )
        pinned = tuple(story for story in self.pinned if not unwanted(story))
        return Digest(self.start, self.end, sections, self.more, pinned)


def window_start(last_due: datetime | None, due: datetime) -> datetime:
    """Since the previous digest; a first digest looks back a day."""
    return last_due if last_due is not None and last_due < due else due - FIRST_WINDOW


def compose(
    stories: Sequence[Article], topics: frozenset[str], start: datetime, end: datetime,
    cap: int = DEFAULT_CAP, pinned: Sequence[Article] = (),
) -> Digest:
    """Stories (newest first) filtered to `topics` (empty = all), grouped by topic in the
    order of news.topics.TOPICS, at most `cap` in all; each story appears once, under its
    first topic that the reader follows.  Pinned stories open every digest, whatever its
    topics, and are not repeated below."""
    pinned_ids = {story.id for story in pinned}
    chosen: list[tuple[str, Article]] = []
    for story in stories:
        if story.id in pinned_ids:
            continue
        wanted = [t for t in story.topics if not topics or t in topics]
        if wanted:
            chosen.append((min(wanted, key=_TOPIC_ORDER.__getitem__), story))
    kept, more = chosen[:cap], max(0, len(chosen) - cap)
    by_topic: dict[str, list[Article]] = {}
    for topic, story in kept:
        by_topic.setdefault(topic, []).append(story)
    sections = tuple(
        DigestSection(topic.slug, tuple(by_topic[topic.slug])) for topic in TOPICS if topic.slug in by_topic
    )
    return Digest(start, end, sections, more, tuple(pinned))


_TOPIC_ORDER = {topic.slug: index for index, topic in enumerate(TOPICS)}


@dataclass
class DigestComposer:
    """Composes each distinct (window, topics) digest once per broadcast."""

    fetch_stories: Callable[[datetime, datetime, datetime], Awaitable[list[Article]]]
    fetch_pinned: Callable[[datetime], Awaitable[list[Article]]] | None = None
    cap: int = DEFAULT_CAP
    _stories: dict[tuple[datetime, datetime], list[Article]] = field(default_factory=dict)
    _digests: dict[tuple[datetime, datetime, frozenset[str]], Digest] = field(default_factory=dict)
    _pinned: dict[datetime, list[Article]] = field(default_factory=dict)
    compositions: int = 0

    async def digest(self, start: datetime, end: datetime, topics: Sequence[str]) -> Digest:
        key = (start, end, frozenset(topics))
        if key not in self._digests:
            if (start, end) not in self._stories:
                self._stories[(start, end)] = await self.fetch_stories(start, end, start - STALE_PUBLICATION)
            if end not in self._pinned:
                self._pinned[end] = await self.fetch_pinned(end) if self.fetch_pinned else []
            self._digests[key] = compose(self._stories[(start, end)], key[2], start, end, self.cap, self._pinned[end])
            self.compositions += 1
        return self._digests[key]


