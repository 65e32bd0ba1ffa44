"""The search index made again after an upgrade of the analyser (news.search.ANALYSER_VERSION):
articles indexed by an older version are found as the running code reads words, without
`akhbar db copy`, and a reindex cut short goes on where it stopped — on each engine."""

from __future__ import annotations

import pytest

import news.search
from bot.search_reindex import SearchReindex
from news.articles import make_article
from news.ingest import Ingestor, reindex_search
from news.search import ANALYSER_VERSION, parse_query
from news.text import light_stems
from storage.articles import ArticleRepository

from .conftest import until

TITLES = [
    "تيكجدة تحتضن دورة لكرة الطائرة",
    "انطلاق بطولة الجيدو وكرة اليد بتيكجدة",
    "سوناطراك توقع عقدا مع شركة آسيوية",
    "أمطار رعدية على ولايات الشرق",
    "افتتاح معرض الكتاب بقسنطينة",
    "وزير الصحة يزور مستشفى تيكجدة",
    "ارتفاع أسعار الخضر في أسواق العاصمة",
]
BALL = {TITLES[0], TITLES[1]}


def _stems_by_rule(word: str) -> str:
    """What the index held for a word before news.text.PEELED_SHORT (4e6f84e): لكرة stayed لكرة."""
    return " ".join(sorted(light_stems(word)))


async def archived_by_the_old_analyser(db, monkeypatch, titles):
    """The articles stored and indexed as a bot before 4e6f84e did, the index stamped so."""
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo)
    with monkeypatch.context() as old:
        old.setattr(news.search, "_word_stems", _stems_by_rule)
        await ingestor.add_many([make_article(title=title, source=f"s{n}") for n, title in enumerate(titles)])
    await db.execute("UPDATE versions SET value = 1 WHERE name = 'search_analyser'")
    return repo, ingestor


async def found(repo, text):
    return {article.title for article in await repo.search(parse_query(text), 20)}


async def test_an_article_indexed_before_the_clitic_table_is_found_by_its_clitic_form_after_the_reindex(engine_db, monkeypatch):
    repo, _ = await archived_by_the_old_analyser(engine_db, monkeypatch, TITLES)
    assert await found(repo, "كرة") == set()  # as on the bot before: only after `akhbar db copy`
    assert await reindex_search(repo, rest=0) == len(TITLES)
    assert await found(repo, "كرة") == BALL
    assert await found(repo, "تيكجدة") == {TITLES[0], TITLES[1], TITLES[5]}  # every other word as before
    assert await repo.search_analyser() == (ANALYSER_VERSION, None)
    assert await reindex_search(repo, rest=0) == 0  # stamped: nothing to do at the next start


class Crash(Exception):
    pass


async def test_a_reindex_cut_short_goes_on_where_it_stopped_and_indexes_each_article_once(engine_db, monkeypatch):
    repo, ingestor = await archived_by_the_old_analyser(engine_db, monkeypatch, TITLES)
    batches: list[int] = []

    def crash_after_two_batches(last_id: int, done: int) -> None:
        batches.append(last_id)
        if len(batches) == 2:
            raise Crash

    with pytest.raises(Crash):
        await reindex_search(repo, batch=2, rest=0, progress=crash_after_two_batches)
    version, mark = await repo.search_analyser()
    assert version == 1 and mark == batches[-1]  # its two batches kept, the stamp not yet moved
    assert await found(repo, "تيكجدة") == {TITLES[0], TITLES[1], TITLES[5]}  # search goes on meanwhile
    # An article stored meanwhile, by this code: found at once, and taken in by the reindex.
    (late,) = await ingestor.add_many([make_article(title="نهائي كأس الجمهورية لكرة القدم", source="late")])
    assert late is not None

    again = ArticleRepository(engine_db)  # the process started again
    assert await reindex_search(again, batch=2, rest=0) == len(TITLES) + 1 - 4  # from the fifth on
    assert await found(again, "كرة") == BALL | {"نهائي كأس الجمهورية لكرة القدم"}
    assert await again.search_analyser() == (ANALYSER_VERSION, None)


async def test_the_bot_s_job_makes_the_index_again_and_search_finds_the_clitic_form(engine_world, monkeypatch):
    # Before: /search كرة found «لكرة الطائرة» stored before the clitic table only after `akhbar
    # db copy`; now the bot's background job indexes it again (here its tick is called at once).
    world = engine_world
    await archived_by_the_old_analyser(world.services.db, monkeypatch, TITLES[:2])
    (before,) = await world.ask(7130, "/search كرة تيكجدة")
    assert TITLES[0] not in before["text"]
    assert world.app.job_queue.get_jobs_by_name("search-reindex")  # every minute, from 10 s after start
    job = SearchReindex(world.services.articles)  # (the bot's own may have found nothing to do already)
    await job.tick()
    await until(lambda: job.done, what="the reindex's end")
    assert await world.services.articles.search_analyser() == (ANALYSER_VERSION, None)
    (after,) = await world.ask(7130, "/search كرة تيكجدة")
    assert "لكرة الطائرة" in after["text"] and "وكرة اليد" in after["text"]

