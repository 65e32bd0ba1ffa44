"""One story, many sources: grouping headlines that tell the same event.

Two headlines belong to one story when their content words overlap a lot (Jaccard ≥ 0.5 over
canonical stems, with at least three words shared) within a few days.  Sharing a name is not
enough: «تعيين مراد بلخلفة مديرا عاما لمجمع صيدال» and «تنصيب مراد بلخلفة مديرًا عامًا لمجمع
صيدال» are one story; «مراد بلخلفة يزور وحدة صيدال بقسنطينة» is another.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import chain
from math import ceil
from operator import itemgetter

from news.search import STOPWORDS
from news.text import stems, words

WINDOW = timedelta(hours=72)
THRESHOLD = 0.5
MIN_SHARED = 3
# A word found in this many recent headlines says nothing about which story a headline tells
# (الجزائر, وزير…); skipping it keeps matching fast when thousands arrive at once.
_COMMON = 500


def signature(title: str) -> frozenset[str]:
    """The content words of a headline, each as its shortest stem, so spellings meet."""
    return signature_of_words(words(title))


def signature_of_words(title_words: Iterable[str]) -> frozenset[str]:
    """`signature` of a headline already split into normalized words (news.text.words)."""
    return frozenset(stem for stem in map(_content_stem, title_words) if stem is not None)


@lru_cache(maxsize=200_000)
def _content_stem(word: str) -> str | None:
    """A normalized word's shortest stem, or None for a word too common or short to tell a story."""
    if word in STOPWORDS or (len(word) < 3 and not word.isdigit()):
        return None
    return min(stems(word), key=lambda stem: (len(stem), stem))


@dataclass(slots=True)
class _Entry:
    article_id: int
    story_id: int
    at: datetime
    words: frozenset[str]


class StoryMatcher:
    """Recent headlines in memory, indexed by word, to find the story a new one belongs to."""

    def __init__(self, window: timedelta = WINDOW) -> None:
        self._window = window
        self._entries: deque[_Entry] = deque()
        self._by_word: dict[str, set[int]] = defaultdict(set)
        self._by_id: dict[int, _Entry] = {}
        # Each entry's number of words, apart: scoring a candidate then reads one small dict,
        # not an entry and its word set.
        self._sizes: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def find(self, title: str, at: datetime) -> int | None:
        """The story id a headline published at `at` belongs to, or None for a new story."""
        return self._find(signature(title), at)

    def _find(self, headline_words: frozenset[str], at: datetime) -> int | None:
        postings = sorted(
            (posting for word in headline_words if (posting := self._by_word.get(word)) and len(posting) < _COMMON),
            key=len,
        )
        size = len(headline_words)
        # A Jaccard score of THRESHOLD needs at least that share of this headline's words.
        least = max(MIN_SHARED, ceil(size * THRESHOLD))
        if len(postings) < least:
            return None
        # A headline that shares `least` of these words is in one of the rarest
        # len(postings) - least + 1 of them at least (pigeonhole): those are counted whole, the
        # others only where they meet a headline found there.  All in C.
        probe = len(postings) - least + 1
        shared = Counter(chain.from_iterable(postings[:probe]))
        found = shared.keys()
        shared.update(chain.from_iterable(found & posting for posting in postings[probe:]))
        sizes = self._sizes
        scored = [
            (count / (size + sizes[article_id] - count), article_id)
            for article_id, count in shared.items()
            if count >= least
        ]
        # The best score wins (of equal scores, one in an order that is not meaningful, as
        # before); ranking them checks the time window only until one fits, not for every one.
        for score, article_id in sorted(reversed(scored), key=itemgetter(0), reverse=True):
            if score < THRESHOLD:
                break
            entry = self._by_id[article_id]
            if abs(entry.at - at) <= self._window:
                return entry.story_id
        return None

    def add(self, article_id: int, story_id: int, title: str, at: datetime) -> None:
        self._add(_Entry(article_id, story_id, at, signature(title)))

    def _add(self, entry: _Entry) -> None:
        self._entries.append(entry)
        self._by_id[entry.article_id] = entry
        self._sizes[entry.article_id] = len(entry.words)
        for word in entry.words:
            self._by_word[word].add(entry.article_id)
        self._forget_before(entry.at - self._window)

    def assign(self, article_id: int, title: str, at: datetime, headline_words: frozenset[str] | None = None) -> int:
        """Remember a stored headline and return its story: an older one's, or its own id.

        `headline_words` is the title's signature when it was computed already (where the
        article was made, in a worker process).
        """
        if headline_words is None:
            headline_words = signature(title)
        story_id = self._find(headline_words, at) or article_id
        self._add(_Entry(article_id, story_id, at, headline_words))
        return story_id

    def forget(self, article_ids: Iterable[int]) -> None:
        """Drop these headlines again: their batch was not stored after all."""
        gone = set(article_ids)
        for article_id in gone:
            if (entry := self._by_id.get(article_id)) is not None:
                self._unindex(entry)
        self._entries = deque(entry for entry in self._entries if entry.article_id not in gone)

    def _forget_before(self, cutoff: datetime) -> None:
        # Entries arrive roughly in time order; an old one that arrives late simply stays a
        # little longer, which costs memory, not correctness.
        while self._entries and self._entries[0].at < cutoff:
            self._unindex(self._entries.popleft())

    def _unindex(self, entry: _Entry) -> None:
        self._by_id.pop(entry.article_id, None)
        self._sizes.pop(entry.article_id, None)
        for word in entry.words:
            posting = self._by_word.get(word)
            if posting is not None:
                posting.discard(entry.article_id)
                if not posting:
                    del self._by_word[word]
