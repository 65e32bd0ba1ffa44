"""Reading the news: the latest stories, a topic's, a wilaya's, one article with its story's
other versions, and the archive search — what /latest, /topic, /wilaya, /read and /search show,
and what the CLI prints."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from news.model import Article, ArticleWithVersions
from news.percolator import Percolator, story_terms
from news.repositories import ArticleStore
from news.search import Query, parse_query
from news.search_across import read_in_arabic
from news.versions import told_for

DEFAULT_LATEST = 10
MAX_LATEST = 50
SEARCH_PAGE = 8


@dataclass(frozen=True, slots=True)
class ArabicOffer:
    search: str  # the search's text in Arabic words, as a reader would type it
    said: str  # each thing by its likeliest Arabic word (for the button)


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results, best first, one per story (none: nothing found); `has_more` when
    another page follows.  `stories`, how many the search found in all, is counted for a page
    after the first (the one a reader asked for with «More»): the first costs no count."""

    query: Query
    hits: tuple[Article, ...]
    offset: int
    has_more: bool
    # When nothing was found as typed (in French, say) and these are the hits of its reading
    # in Arabic (news.search_across): that reading, as the reply shows it.
    read_in_arabic: str | None = None
    # Found as typed in French (or English): the same search in Arabic words, for a button to
    # offer where it finds stories the page does not show (most are told in Arabic only).
    also_in_arabic: ArabicOffer | None = None
    size: int = SEARCH_PAGE
    stories: int | None = None

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.hits)

    @property
    def number(self) -> int:
        return self.offset // self.size + 1

    @property
    def pages(self) -> int | None:
        """How many pages the search has; None where `stories` was not counted.  Never fewer
        than this page and the next it offers (stories come and go between two presses)."""
        if self.stories is None:
            return None
        return max(-(-self.stories // self.size), self.number + self.has_more)


def muted_by(percolator: Percolator | None, chat_id: int | None) -> Callable[[Article], bool] | None:
    """Whether a story is one this chat muted; None when it muted nothing (the common case,
    which then costs nothing)."""
    if percolator is None or chat_id is None or not percolator.has_mutes(chat_id):
        return None
    return lambda article: percolator.muted(chat_id, story_terms(article))


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """An article the editors hid, asked for by its number: what the reader may read instead,
    the other sources' versions of its story (those not hidden too)."""

    article_id: int
    others: tuple[Article, ...]


class ReadingService:
    def __init__(self, articles: ArticleStore, percolator: Percolator | None = None) -> None:
        self._articles = articles
        self._percolator = percolator

    async def latest(
        self, count: int = DEFAULT_LATEST, chat_id: int | None = None, lang: str | None = None
    ) -> list[Article]:
        """The newest stories, each once (with how many sources tell it), less what the chat
        muted; with `lang`, each told in that reader's language where a source told it so
        (news.versions)."""
        return await self._listing(count, chat_id, lang)

    async def topic(
        self, slug: str, count: int = DEFAULT_LATEST, chat_id: int | None = None, lang: str | None = None
    ) -> list[Article]:
        return await self._listing(count, chat_id, lang, topic=slug)

    async def wilaya(
        self, code: int, count: int = DEFAULT_LATEST, chat_id: int | None = None, lang: str | None = None
    ) -> list[Article]:
        return await self._listing(count, chat_id, lang, wilaya=code)

    async def _listing(
        self, count: int, chat_id: int | None, lang: str | None, topic: str | None = None, wilaya: int | None = None
    ) -> list[Article]:
        unwanted = muted_by(self._percolator, chat_id)
        if unwanted is None:
            stories = await self._articles.latest_stories(count, topic=topic, wilaya=wilaya)
        else:
            # Fetch some more, so that what is muted leaves room for others.
            stories = await self._articles.latest_stories(count * 3, topic=topic, wilaya=wilaya)
            stories = [story for story in stories if not unwanted(story)][:count]
        return stories if lang is None else await told_for(stories, lang, self._articles.told_in, unwanted=unwanted)

    def mutes_anything(self, chat_id: int | None) -> bool:
        """Whether listings for this chat leave stories out (it muted something)."""
        return muted_by(self._percolator, chat_id) is not None

    async def topic_counts(self) -> dict[str, int]:
        return await self._articles.topic_counts()

    async def article(self, article_id: int) -> ArticleWithVersions | None:
        """A visible article and the other sources' versions of its story; None when there is
        no such article (or it is hidden)."""
        article = await self._articles.get(article_id)
        if article is None:
            return None
        if not article.story_id:
            return ArticleWithVersions(article)
        story = await self._articles.story(article.story_id)
        return ArticleWithVersions(article, story.others_than(article.id))

    async def withdrawn(self, article_id: int) -> Withdrawn | None:
        """The article `article()` did not give, if the editors hid it; None when there never
        was such an article (or it is visible)."""
        article = await self._articles.any(article_id)
        if article is None or not article.hidden:
            return None
        others = (await self._articles.story(article.story_id)).others_than(article_id) if article.story_id else ()
        return Withdrawn(article_id, others)

    def every_article(self) -> AsyncIterator[Article]:
        """The whole archive, hidden articles included, oldest first (for `akhbar export`)."""
        return self._articles.iter_all()

    async def search(
        self, text: str, offset: int = 0, page: int = SEARCH_PAGE, lang: str | None = None, offer_arabic: bool = False
    ) -> SearchPage:
        """A page of the archive for what a reader typed, each story once (its best-matching
        version, with how many sources tell it; /read of it lists the others); no hits when
        nothing matches, or nothing in it is to be looked for (its query says which: no
        searchable word, only words to leave out, or only words nearly every article has —
        «le», «في»: a page of anything, as inline mode already refuses to offer).  Whatever the
        reader typed reaches the index only as quoted terms.  What finds nothing as typed is
        looked for again read in Arabic by the words of the reader's language (`lang`), when
        every word of it has an Arabic reading («séisme Bouira»: زلزال البويرة), and the page
        says so; found as typed, with `offer_arabic`, a first page holds the same search in
        Arabic for the reader to be offered when it finds stories this page does not show."""
        query = parse_query(text)
        if not query or query.only_stopwords:
            return SearchPage(query, (), offset, has_more=False)
        hits = await self._articles.search(query, page + 1, offset)
        arabic = read_in_arabic(query, lang)
        if arabic is None:
            return await self._page(query, hits, offset, page)
        if not hits:
            # (a later page of an Arabic reading: as typed, the search still finds nothing)
            found = await self._articles.search(arabic.query, page + 1, offset)
            if not found:
                return SearchPage(query, (), offset, has_more=False)
            return await self._page(arabic.query, found, offset, page, read_in_arabic=arabic.said)
        shown = tuple(hits[:page])
        offered = None
        if offer_arabic and not offset:
            stories = {article.story_id or article.id for article in shown}
            in_arabic = await self._articles.search(arabic.query, page, 0)
            if any((article.story_id or article.id) not in stories for article in in_arabic):
                offered = ArabicOffer(arabic.search, arabic.said)
        return await self._page(query, hits, offset, page, also_in_arabic=offered)

    async def _page(
        self,
        query: Query,
        hits: Sequence[Article],
        offset: int,
        page: int,
        read_in_arabic: str | None = None,
        also_in_arabic: ArabicOffer | None = None,
    ) -> SearchPage:
        """A page of `hits` (one more than the page holds when another follows); after the
        first, with how many stories the search pages through in all."""
        stories = await self._articles.search_stories(query) if offset and hits else None
        return SearchPage(
            query, tuple(hits[:page]), offset, has_more=len(hits) > page, size=page, stories=stories,
            read_in_arabic=read_in_arabic, also_in_arabic=also_in_arabic,
        )
