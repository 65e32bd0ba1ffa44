"""Search reads Arabic properly: spellings meet, airports are not rain, and nothing breaks it."""

import pytest

from news.articles import make_article
from news.ingest import Ingestor
from news.search import MAX_TERMS, highlight, parse_query, snippet
from storage.articles import ArticleRepository

ARTICLES = [
    ("الرّصد الجوي: أمطار رعدية غزيرة على 14 ولاية", "نشرية خاصة تحذر من تساقط الأمطار."),
    ("تدخلات مكثفة لمصالح الحماية المدنية", "سجلت مصالح الحماية المدنية عشرات التدخلات."),
    ("مدرب جديد للمنتخب الوطني", "أعلنت الاتحادية عن اسم مدرب للمنتخب."),
    ("قراءة في \"الورطة\" بمسرح عنابة", "عرض مسرحي جديد."),
    ("برنامج المهرجان الوطني لسنة ٢٠٢٦", "تفاصيل الطبعة الجديدة."),
    ("توسعة مطار هواري بومدين الدولي", "أشغال لتوسيع المطار."),
    ("المدنية الحديثة والتراث", "مقال عن الحماية من النسيان في المدن القديمة."),
]


@pytest.fixture
async def archive(engine_db):
    """The articles above, on each engine in turn: the same queries find the same articles."""
    repo = ArticleRepository(engine_db)
    ingestor = await Ingestor.open(repo)
    await ingestor.add_many([make_article(title=t, body=b, source=f"s{i}") for i, (t, b) in enumerate(ARTICLES)])
    return repo


async def titles_for(repo, text):
    query = parse_query(text)
    return [a.title for a in await repo.search(query, 10)] if query else []


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ("امطار", "أمطار رعدية"),
        ("الأمطار", "أمطار رعدية"),
        ("الحمايه", "الحماية المدنية"),
        ("حماية", "الحماية المدنية"),
        ("منتخب", "للمنتخب الوطني"),
        ("مسرح", "بمسرح عنابة"),
        ("2026", "٢٠٢٦"),
        ("الرصد", "الرّصد الجوي"),
    ],
)
async def test_spellings_find_the_article(archive, typed, finds):
    assert any(finds in title for title in await titles_for(archive, typed))


async def test_airport_is_not_rain(archive):
    assert all("أمطار" not in title for title in await titles_for(archive, "مطار"))
    assert any("مطار هواري" in title for title in await titles_for(archive, "مطار"))
    assert all("مطار هواري" not in title for title in await titles_for(archive, "امطار"))


async def test_title_matches_rank_above_body_matches(archive):
    assert (await titles_for(archive, "الحماية"))[0] == "تدخلات مكثفة لمصالح الحماية المدنية"


async def test_quoted_phrase_needs_the_words_together(archive):
    found = await titles_for(archive, '"الحماية المدنية"')
    assert found == ["تدخلات مكثفة لمصالح الحماية المدنية"]  # not the article with both words apart
    assert len(await titles_for(archive, "الحماية المدنية")) == 2


def test_highlight_marks_the_original_words_with_their_harakat_and_hamza():
    query = parse_query("امطار الرصد")
    title = "الرّصد الجوي: أمطار رعدية والأمطار"
    assert [text for text, match in highlight(title, query) if match] == ["الرّصد", "أمطار", "والأمطار"]
    assert "".join(text for text, _ in highlight(title, query)) == title


def test_snippet_is_a_short_window_around_the_first_match():
    body = "كلمة " * 100 + "سقوط أمطار غزيرة " + "نص " * 100
    pieces = snippet(body, parse_query("الأمطار"))
    text = "".join(t for t, _ in pieces)
    assert text.startswith("… ") and text.endswith(" …") and len(text) < 200
    assert ("أمطار", True) in pieces
    assert snippet("لا شيء هنا", parse_query("الأمطار")) is None


HOSTILE = [
    '"', '""', '"الحماية', "*", "امطار*", "NEAR(امطار الحماية)", "امطار AND", "AND OR NOT", "-امطار",
    "امطار OR", "OR", "| امطار", "امطار || الحماية", "امطار -", "--امطار", "-", '-"', '-""', "امطار -'x'",
    "امطار & !الحماية", "امطار <-> الحماية", "امطار:* | !x", "امطار OR -الحماية", "-امطار OR الحماية",
    "title_words:امطار", "{title_words}: x", ":", "(", ")", "^", "؟!،", "🙂🌧️", "🇩🇿 امطار", "ا" * 500,
    "امطار " * 200, "'; DROP TABLE articles; --", "\u200f\u202eامطار", "\x00", "%", "_",
]


@pytest.mark.parametrize("typed", HOSTILE)
async def test_hostile_queries_give_results_or_nothing_never_an_error(archive, typed):
    try:
        found = await titles_for(archive, typed)
    except Exception as exc:  # pragma: no cover - the failure we guard against
        pytest.fail(f"{typed!r} reached the index as syntax: {exc}")
    assert isinstance(found, list)
    assert await archive.count() == len(ARTICLES)


def test_operators_are_read_only_where_a_reader_means_them():
    assert parse_query("وهران OR قسنطينة").groups == ((("وهران",), ("قسنطينه",)),)
    # OR binds the two beside it; the words around are still all needed.
    assert parse_query("امطار وهران | قسنطينة سطيف").groups == (
        (("امطار",),), (("وهران",), ("قسنطينه",)), (("سطيف",),),
    )
    # «أو» and «ou» between two words are OR; where nothing stands on one side, or in quotes,
    # they are words (أو a stopword, dropped); «où» (where) never is; nor is `or` in small letters.
    assert parse_query("وهران أو قسنطينة") == parse_query("وهران OR قسنطينة") == parse_query("وهران او قسنطينة")
    assert parse_query("Oran ou Alger").groups == ((("oran",), ("alger",)),)
    assert parse_query("Oran où Alger").groups == ((("oran",),), (("ou",),), (("alger",),))
    assert parse_query("gold or silver").groups == ((("gold",),), (("or",),), (("silver",),))
    assert parse_query("وهران أو").groups == ((("وهران",),),)
    assert parse_query('"غرامة أو حبس"').phrases == (("غرامه", "او", "حبس"),)
    # A minus starts what it leaves out; inside a word, or standing alone, it is a dash.
    assert parse_query("الجزائر -كرة").excluded == (("كره",),)
    assert parse_query("زرالدة-كرة").terms == ("زرالده", "كره") and not parse_query("الجزائر - كرة").excluded
    assert parse_query('الجزائر -"كرة القدم" -«l\'équipe»').excluded == (("كره", "القدم"), ("l", "equipe"))
    assert parse_query("x -l'équipe").excluded == (("l", "equipe"),)  # as written, not every «l»
    only_left_out = parse_query("-كرة -مكتبة")
    assert not only_left_out and only_left_out.only_exclusions


def test_max_terms_bounds_what_is_looked_for_and_left_out_together():
    many = [f"كلمة{n}" for n in range(3 * MAX_TERMS)]
    query = parse_query(" OR ".join(many[:MAX_TERMS]) + " " + " ".join(f"-{w}" for w in many[MAX_TERMS:]))
    assert len(query.terms) + len(query.excluded) == MAX_TERMS and not query.excluded
    query = parse_query(" ".join(f"-{w}" for w in many) + " امطار")
    assert query.terms == ("امطار",) and len(query.excluded) == MAX_TERMS - 1


def test_query_keeps_at_most_500_characters_and_drops_stopwords():
    assert parse_query("ا" * 10_000).terms == ("ا" * 500,)
    assert parse_query("أمطار في الجزائر").terms == ("امطار", "الجزاير")
    assert parse_query("في").terms == ("في",)  # nothing else left: keep it


async def test_a_story_many_sources_tell_is_one_result_and_pages_count_stories(db):
    repo = ArticleRepository(db)
    versions = [make_article(title=f"صيدال تعين مديرا عاما جديدا بالنيابة {n}", source=f"v{n}") for n in range(40)]
    others = [make_article(title=f"خبر رقم {n}", body="وقعت صيدال اتفاقية جديدة.", source=f"o{n}") for n in range(10)]
    stories: dict[str, int] = {}

    def story_of(article_id, article):  # the forty versions are one story, the others one each
        return stories.setdefault("v" if article.source.startswith("v") else article.source, article_id)

    await repo.add_many(versions + others, story_of=story_of)
    (hidden,) = await repo.search(parse_query("خبر رقم 3"), 1)
    await repo.set_hidden(hidden.id, True)
    expression = parse_query("صيدال")
    first, second = await repo.search(expression, 8), await repo.search(expression, 8, offset=8)
    assert len(first) == 8 and len(second) == 2  # 1 story of 40 versions and 9 visible others
    told = [a for a in first + second if a.source.startswith("v")]
    assert len(told) == 1 and told[0].story_size == 40 and first[0] == told[0]  # its title matches: first
    assert {a.id for a in first}.isdisjoint(a.id for a in second) and hidden.id not in {a.id for a in first + second}
    assert all(a.story_size == 1 for a in first + second if a is not told[0])


async def test_the_same_queries_find_the_same_articles_on_sqlite_and_postgresql(tmp_path, data_dir):
    """One archive on both engines, the same reader queries: the same articles match (FTS5 on
    SQLite, a tsvector on PostgreSQL, both fed the core's words and stems).  Their order may
    differ (bm25 against ts_rank: README, Running on PostgreSQL)."""
    import json
    import random

    from storage.connect import open_database

    from .conftest import pg_schema

    records = [json.loads(line) for line in (data_dir / "topics" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    rng = random.Random(15)
    articles = [
        make_article(title=record["title"], body=" ".join(rng.choice(records)["title"] for _ in range(3)), source=f"s{i % 5}")
        for i, record in enumerate(records)
    ]
    words_typed = [word.strip("«»:،.\"") for record in records for word in record["title"].split()]
    queries = [word for word in words_typed if len(word) > 2][::7]
    queries += [f"{a} {b}" for a, b in zip(queries[::3], queries[1::3], strict=False)]
    queries += [f'"{" ".join(record["title"].split()[1:3])}"' for record in records[::10]]
    queries += ["امطار", "الحمايه", "2026", "مطار"]
    # What a reader leaves out, and either of two: the engines agree on those too.
    queries += [f"{a} OR {b}" for a, b in zip(queries[::5], queries[2::5], strict=False)][:20]
    queries += [f"{a} -{b}" for a, b in zip(words_typed[::9], words_typed[4::9], strict=False) if len(a) > 2][:20]
    async with pg_schema() as url:
        lite, pg = await open_database(None, str(tmp_path / "a.db")), await open_database(url, "")
        try:
            for db in (lite, pg):
                await ArticleRepository(db).add_many(articles)
            compared = 0
            for text in queries:
                query = parse_query(text)
                if query is None:
                    continue
                found = [await ArticleRepository(db).search(query, 300) for db in (lite, pg)]
                assert {a.title for a in found[0]} == {a.title for a in found[1]}, text
                compared += bool(found[0])
            assert compared > 40  # most queries find something: the comparison is not vacuous
        finally:
            await lite.close()
            await pg.close()


async def test_a_word_in_very_many_articles_is_ranked_among_its_newest_matches(db, monkeypatch):
    """On SQLite, ranking every match of a word half the archive holds took seconds at
    1,000,000 articles: only the newest RANKED_MATCHES are ranked (here 3), so an older, better
    match is left out for that word, and still found by its rarer words.  (PostgreSQL ranks
    every match: see storage/articles.py.)"""
    import storage.articles

    monkeypatch.setattr(storage.articles, "RANKED_MATCHES", 3)
    repo = ArticleRepository(db)
    ingestor = await Ingestor.open(repo)
    # The oldest has the word in its title (the best match); the newer ones only in their body.
    await ingestor.add_many([make_article(title="سوناطراك توقع عقدا مع شريك إيطالي", body="اتفاق للطاقة", source="s0")])
    for n, topic in enumerate(("الفلاحة", "الصحة", "التعليم", "السكن")):
        await ingestor.add_many([make_article(title=f"أخبار {topic}", body=f"تحدث الوزير عن سوناطراك رقم {n}", source=f"s{n + 1}")])
    found = await titles_for(repo, "سوناطراك")
    assert sorted(found) == sorted(["أخبار الصحة", "أخبار التعليم", "أخبار السكن"])  # the 3 newest
    assert await titles_for(repo, "سوناطراك إيطالي") == ["سوناطراك توقع عقدا مع شريك إيطالي"]
    monkeypatch.setattr(storage.articles, "RANKED_MATCHES", 10_000)
    assert (await titles_for(repo, "سوناطراك"))[0] == "سوناطراك توقع عقدا مع شريك إيطالي"
