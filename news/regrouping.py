"""Re-grouping an archive's stories: every stored article filed again by the story matcher.

An archive grouped by an older rule (or by none) is read oldest first, a page at a time, as
ingestion met it; the matcher remembers only its window (news.stories.WINDOW) of headlines,
so memory stays bounded whatever the size of the archive.  Each page's changes are written in
one transaction; at the end every story's size and time are recounted and the stories no
article tells any more are dropped.  Stopped half way, the archive stays consistent (each
article under a story that exists) and running it again finishes the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from news.articles import article_story_key
from news.repositories import ArticleStore
from news.stories import StoryMatcher

PAGE = 1000


@dataclass(frozen=True, slots=True)
class Regrouped:
    articles: int  # read
    moved: int  # filed under another story than before
    stories: int  # in the archive afterwards


async def regroup_stories(
    articles: ArticleStore, progress: Callable[[int], None] | None = None, page: int = PAGE
) -> Regrouped:
    """File every stored article again (`progress` is told how many were read so far)."""
    matcher = StoryMatcher()
    read = moved = 0
    last = None
    while headlines := await articles.headlines(last, page):
        moves = []
        for headline in headlines:
            key = article_story_key(headline.title, headline.body, headline.summary)
            story_id = matcher.assign(headline.id, key, headline.shown_at)
            if story_id != headline.story_id:
                moves.append((headline.id, story_id))
        if moves:
            await articles.regroup(moves)
        read += len(headlines)
        moved += len(moves)
        last = headlines[-1]
        if progress is not None:
            progress(read)
    return Regrouped(read, moved, await articles.recount_stories())
