"""Which telling of a story a reader is shown: the one in their language, when the story has one.

A story may be told in Arabic and in French (news.story_bilingual joins the two); /latest, a
digest or an alert shows one article for it, the first stored — so a French reader following
Bouira would read the Arabic headline of a quake that El Watan told in French minutes later.
Each listing is passed through `told_for` with the reader's language: an English reader reads
French before Arabic (Latin letters at least); an Arabic reader, Arabic.  A telling holding
what the reader muted is never the one swapped in: the story stays as its first telling shows
it (the reader who muted «séisme» is not shown El Watan's «Séisme…» for El Khabar's quake).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import replace
from datetime import datetime

from news.model import Article

# The languages a reader of each language reads a story in, best first.
READS: dict[str, tuple[str, ...]] = {"ar": ("ar",), "fr": ("fr",), "en": ("en", "fr")}

# story ids, a language, and the latest fetch time → each story's first version in it
ToldIn = Callable[[Collection[int], str, datetime | None], Awaitable[dict[int, Article]]]


class ToldOnce:
    """A `ToldIn` that reads each story's telling in a language once, for as long as it lives
    (one pass of the alert job): a story followed by 3,000 French readers has its French
    telling read in one query, not 3,000, as AlertService reads its article once."""

    def __init__(self, told_in: ToldIn) -> None:
        self._told_in = told_in
        self._read: dict[tuple[str, datetime | None], dict[int, Article | None]] = {}

    async def __call__(self, story_ids: Collection[int], lang: str, fetched_by: datetime | None = None) -> dict[int, Article]:
        read = self._read.setdefault((lang, fetched_by), {})
        if unread := [story_id for story_id in story_ids if story_id not in read]:
            found = await self._told_in(unread, lang, fetched_by)
            read.update((story_id, found.get(story_id)) for story_id in unread)
        return {story_id: version for story_id in story_ids if (version := read[story_id]) is not None}


async def told_for(
    articles: Sequence[Article], reader_lang: str, told_in: ToldIn, fetched_by: datetime | None = None,
    unwanted: Callable[[Article], bool] | None = None,
) -> list[Article]:
    """`articles`, each story's shown in the reader's language where it has a version in it
    (fetched by `fetched_by`, when given: a digest shows what was there when it was made)
    that the reader did not mute (`unwanted`: news.services.reading.muted_by); the count of
    its sources stays the story's."""
    shown = list(articles)
    languages = READS.get(reader_lang, (reader_lang,))
    for rank, lang in enumerate(languages):
        good_enough = languages[: rank + 1]
        wanted = {article.story_id for article in shown if article.story_id and article.lang not in good_enough}
        if not wanted:
            break
        versions = await told_in(wanted, lang, fetched_by)
        if unwanted is not None:
            versions = {story_id: version for story_id, version in versions.items() if not unwanted(version)}
        shown = [
            replace(versions[article.story_id], story_size=article.story_size)
            if article.lang not in good_enough and article.story_id in versions else article
            for article in shown
        ]
    return shown
