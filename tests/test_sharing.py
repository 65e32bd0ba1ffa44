"""The sharing service (news/services/sharing.py): what inline mode offers for what a reader
typed, and its short cache — how often the archive is asked, which is what the cache changes."""

from __future__ import annotations

from types import SimpleNamespace

from news.search import MAX_QUERY_CHARS
from news.services.reading import SearchPage
from news.services.sharing import CACHE_SECONDS, ExpiringCache, SharingService


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Archive:
    """The reading service's answers, counting what is asked of it."""

    def __init__(self, muting: frozenset[int] = frozenset()) -> None:
        self.asked: list[tuple] = []
        self.muting = muting

    async def latest(self, count, chat_id=None, lang=None):
        self.asked.append(("latest", count, chat_id))
        return [SimpleNamespace(id=n, muted_for=chat_id in self.muting) for n in range(count)]

    async def article(self, article_id):
        self.asked.append(("article", article_id))
        return SimpleNamespace(article=SimpleNamespace(id=article_id)) if article_id < 100 else None

    async def search(self, text, offset=0, page=8):
        self.asked.append(("search", text, page))
        return SearchPage(None, tuple(SimpleNamespace(id=n) for n in range(page)), 0, False)

    def mutes_anything(self, chat_id):
        return chat_id in self.muting


def service(archive, clock, entries=100):
    return SharingService(archive, ExpiringCache(CACHE_SECONDS, entries, clock))


async def test_the_same_query_within_the_cache_time_asks_the_archive_once():
    archive, clock = Archive(), Clock()
    sharing = service(archive, clock)
    first = await sharing.offer("سوناطراك")
    clock.now += CACHE_SECONDS - 1
    # Typed again, with other spacing or spelled with a harakat: the same query.
    assert await sharing.offer("  سوناطراك ") == first == await sharing.offer("سُوناطراك")
    assert archive.asked == [("search", "سوناطراك", 20)]
    clock.now += 1
    await sharing.offer("سوناطراك")
    assert len(archive.asked) == 2  # stale after CACHE_SECONDS: asked again


async def test_the_latest_is_shared_unless_the_reader_muted_something():
    archive, clock = Archive(muting=frozenset({7})), Clock()
    sharing = service(archive, clock)
    for chat in (1, 2, 3):
        await sharing.offer("", chat_id=chat)
    assert archive.asked == [("latest", 20, 1)]  # one list for readers who muted nothing
    muted = await sharing.offer("\u200f", chat_id=7)
    assert archive.asked[-1] == ("latest", 20, 7) and all(a.muted_for for a in muted)


async def test_a_reference_is_one_article_and_nothing_searchable_asks_nothing():
    archive, clock = Archive(), Clock()
    sharing = service(archive, clock)
    assert [a.id for a in await sharing.offer("read_12")] == [12]
    assert [a.id for a in await sharing.offer("read_١٢")] == [12]  # Arabic-Indic digits
    assert await sharing.offer("read_500") == []
    assert archive.asked == [("article", 12), ("article", 500)]
    for nothing in ("***", '"" :* () -', "في من على", "،؛؟"):
        assert await sharing.offer(nothing) == []
    assert len(archive.asked) == 2
    # A query longer than any client sends is searched by its first MAX_QUERY_CHARS characters.
    assert len(await sharing.offer("خبر " * 1000)) == 20


async def test_the_cache_is_bounded():
    archive, clock = Archive(), Clock()
    sharing = service(archive, clock, entries=3)
    for word in ("واحد", "اثنان", "ثلاثة", "أربعة"):
        await sharing.offer(word)
    await sharing.offer("أربعة")
    await sharing.offer("واحد")  # the least recently used went first
    assert [asked[1] for asked in archive.asked] == ["واحد", "اثنان", "ثلاثة", "أربعة", "واحد"]
    assert MAX_QUERY_CHARS < 1000
