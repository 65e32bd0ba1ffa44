"""Sharing headlines (Telegram's inline mode): what a reader typing `@bot words` in any chat is
offered — the archive's best matches for the words, the latest stories when they typed
nothing, or one exact article for its reference `read_<id>` (what the share button of /read
puts in the input field).

Readers type letter by letter, so the same few queries come again and again within seconds:
answers are kept for a short while, in a bounded cache of this process.  The cache is only an
optimisation: every process (several share one PostgreSQL database) keeps its own, an entry
is at most `CACHE_SECONDS` old, and nothing is ever decided from it that the database would
decide otherwise (a story hidden meanwhile drops out within those seconds).
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

from news.model import Article
from news.search import parse_query
from news.services.reading import ReadingService
from news.text import has_visible, normalize

SHARE_RESULTS = 20
CACHE_SECONDS = 30.0
CACHE_ENTRIES = 2_000

_REFERENCE = re.compile(r"read_(\d{1,18})")


def reference(article_id: int) -> str:
    """An article's reference: the share button's query, and the deep link's start parameter."""
    return f"read_{article_id}"


class ExpiringCache:
    """At most `entries` values, each for `seconds` after it was stored; the least recently
    used goes first when full."""

    def __init__(self, seconds: float, entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds, self._entries, self._clock = seconds, entries, clock
        self._values: OrderedDict[Hashable, tuple[float, list[Article]]] = OrderedDict()

    def get(self, key: Hashable) -> list[Article] | None:
        found = self._values.get(key)
        if found is None:
            return None
        if self._clock() - found[0] >= self._seconds:
            del self._values[key]
            return None
        self._values.move_to_end(key)
        return found[1]

    def put(self, key: Hashable, value: list[Article]) -> None:
        self._values[key] = (self._clock(), value)
        self._values.move_to_end(key)
        while len(self._values) > self._entries:
            self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)


class SharingService:
    def __init__(self, reading: ReadingService, cache: ExpiringCache | None = None) -> None:
        self._reading = reading
        self._cache = cache if cache is not None else ExpiringCache(CACHE_SECONDS, CACHE_ENTRIES)

    async def offer(
        self, text: str, chat_id: int | None = None, count: int = SHARE_RESULTS, lang: str | None = None
    ) -> list[Article]:
        """Up to `count` stories for what a reader typed, best first; [] when nothing matches
        or nothing in it can be searched (only punctuation or search syntax, only stopwords).

        - nothing visible (empty, spaces, bidi marks): the latest stories, less what the
          reader's chat `chat_id` muted, each told in the reader's language `lang` where a
          source told it so — as /latest shows them;
        - `read_<id>`: that article, if it is there to read;
        - anything else: the archive search of /search, which mutes do not filter either
          (the reader asked for these words).
        """
        if not has_visible(text):
            personal = self._reading.mutes_anything(chat_id)
            key: Hashable = ("latest", count, chat_id if personal else None, lang)
            return await self._cached(key, lambda: self._reading.latest(count, chat_id=chat_id, lang=lang))
        found = _REFERENCE.fullmatch(normalize(text).strip())
        if found is not None:
            return await self._cached(("read", int(found.group(1))), lambda: self._exact(int(found.group(1))))
        query = parse_query(text)
        if not query or query.only_stopwords:
            # Nothing to search, or words every article has: no offer is better than any.
            return []
        return await self._cached(("search", count, query), lambda: self._search(text, count))

    async def _cached(self, key: Hashable, load: Callable[[], Awaitable[list[Article]]]) -> list[Article]:
        kept = self._cache.get(key)
        if kept is not None:
            return kept
        loaded = await load()
        self._cache.put(key, loaded)
        return loaded

    async def _exact(self, article_id: int) -> list[Article]:
        found = await self._reading.article(article_id)
        return [found.article] if found is not None else []

    async def _search(self, text: str, count: int) -> list[Article]:
        page = await self._reading.search(text, page=count)
        return list(page.hits)
