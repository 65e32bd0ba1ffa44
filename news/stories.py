"""One story, many sources: grouping headlines that tell the same event.

Two headlines belong to one story when their content words overlap a lot (Jaccard ≥ 0.5 over
canonical stems, with at least three words shared) within a few days.  Sharing a name is not
enough: «تعيين مراد بلخلفة مديرا عاما لمجمع صيدال» and «تنصيب مراد بلخلفة مديرًا عامًا لمجمع
صيدال» are one story; «مراد بلخلفة يزور وحدة صيدال بقسنطينة» is another.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

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
    return frozenset(
        min(stems(word), key=lambda stem: (len(stem), stem))
        for word in words(title)
        if word not in STOPWORDS and (len(word) >= 3 or word.isdigit())
    )


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

    def __len__(self) -> int:
        return len(self._by_id)

    def find(self, title: str, at: datetime) -> int | None:
        """The story id a headline published at `at` belongs to, or None for a new story."""
        words_ = signature(title)
        shared: dict[int, int] = defaultdict(int)
        for word in words_:
            posting = self._by_word.get(word)
            if posting and len(posting) < _COMMON:
                for article_id in posting:
                    shared[article_id] += 1
        best, best_score = None, THRESHOLD
        for article_id, count in shared.items():
            entry = self._by_id[article_id]
            if count < MIN_SHARED or abs(entry.at - at) > self._window:
                continue
            score = count / (len(words_) + len(entry.words) - count)
            if score >= best_score:
                best, best_score = entry.story_id, score
        return best

    def add(self, article_id: int, story_id: int, title: str, at: datetime) -> None:
        entry = _Entry(article_id, story_id, at, signature(title))
        self._entries.append(entry)
        self._by_id[article_id] = entry
        for word in entry.words:
            self._by_word[word].add(article_id)
        self._forget_before(at - self._window)

    def assign(self, article_id: int, title: str, at: datetime) -> int:
        """Remember a stored headline and return its story: an older one's, or its own id."""
        story_id = self.find(title, at) or article_id
        self.add(article_id, story_id, title, at)
        return story_id

    def _forget_before(self, cutoff: datetime) -> None:
        # Entries arrive roughly in time order; an old one that arrives late simply stays a
        # little longer, which costs memory, not correctness.
        while self._entries and self._entries[0].at < cutoff:
            entry = self._entries.popleft()
            self._by_id.pop(entry.article_id, None)
            for word in entry.words:
                posting = self._by_word.get(word)
                if posting is not None:
                    posting.discard(entry.article_id)
                    if not posting:
                        del self._by_word[word]
