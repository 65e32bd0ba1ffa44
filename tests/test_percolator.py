"""Alerts: which chats a new story concerns, through their follows and mutes (news.percolator).

Each follow is made from what a reader would type (news.follows), each story with the
ingestion's own make_article, so that topics, wilayas and the search text are the real ones.
"""

import random
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from news.articles import make_article
from news.follows import FollowRefused, parse_follow, parse_mute
from news.model import Article, Follow, NewArticle, SearchText
from news.percolator import ChatMatch, Percolator, StoryTerms, stem_frequencies, story_terms
from news.search import index_text
from news.text import stems, words

from .conftest import word_pairs


def story(title: str, body: str = "", topics: tuple[str, ...] = ()) -> StoryTerms:
    return story_terms(make_article(title=title, body=body, topics=topics))


class Chats:
    """A percolator filled the way readers fill it: `follow(chat, text)`, `mute(chat, text)`."""

    def __init__(self) -> None:
        self.percolator = Percolator()
        self.next_id = 1

    def follow(self, chat_id: int, text: str, **extra) -> Follow:
        return self._add(parse_follow(text).follow(self.next_id, chat_id, **extra))

    def mute(self, chat_id: int, text: str) -> Follow:
        return self._add(parse_mute(text).follow(self.next_id, chat_id))

    def _add(self, follow: Follow) -> Follow:
        self.percolator.add(follow)
        self.next_id += 1
        return follow

    def alerted(self, terms: StoryTerms) -> list[int]:
        """The chats alerted, by id (match gives them in no particular order)."""
        return sorted(match.chat_id for match in self.percolator.match(terms))


def follows(text: str) -> Percolator:
    """A percolator holding one follow, of chat 1."""
    return Percolator([parse_follow(text).follow(1, 1)])


def matches(follow_text: str, title: str, body: str = "", topics: tuple[str, ...] = ()) -> bool:
    return bool(follows(follow_text).match(story(title, body, topics)))


# --- Words: each must appear, as /search would find it -------------------------------------------


def test_the_issues_examples():
    assert matches("الحمايه", "تدخل أعوان الحماية المدنية لإخماد حريق")
    assert matches("سوناطراك", "اتفاق جديد لسوناطراك مع شريك إيطالي")


def _pairs(kind):
    """Each pair of tests/data/word-pairs.tsv both ways: following either word, the other."""
    return [
        pytest.param(followed, written, id=f"{why}: {followed} → {written}")
        for a, b, why in word_pairs(kind)
        for followed, written in ((a, b), (b, a))
    ]


def _word_follow(word: str) -> Percolator:
    # Built directly: some of the pair words are topic names (أمن، Sports) for parse_follow.
    return Percolator([Follow(1, 1, "words", word, tuple(words(word)))])


@pytest.mark.parametrize(("followed", "written"), _pairs("match"))
def test_a_word_matches_its_other_spellings_and_forms(followed, written):
    assert _word_follow(followed).match(story(f"خبر عن {written} اليوم"))


@pytest.mark.parametrize(("followed", "written"), _pairs("differ"))
def test_a_word_does_not_match_a_different_word(followed, written):
    # مطار (airport) is not أمطار (rain), وزير is not زير, علم is not عالم ...
    assert not _word_follow(followed).match(story(f"خبر عن {written} اليوم"))


def test_every_word_must_appear_anywhere_in_title_or_body():
    chats = Chats()
    chats.follow(1, "سوناطراك وهران")
    assert chats.alerted(story("سوناطراك توقع عقدا جديدا", "وقع الاتفاق في وهران أمس")) == [1]
    assert chats.alerted(story("وهران: افتتاح معرض", "بحضور ممثلي سوناطراك")) == [1]  # any order
    assert chats.alerted(story("سوناطراك توقع عقدا جديدا")) == []  # وهران is missing
    assert chats.alerted(story("أمطار غزيرة على وهران")) == []  # سوناطراك is missing


def test_french_and_english_words_fold_case_accents_and_plurals():
    assert matches("élection", "Les Élections locales fixées au 12 décembre")
    assert matches("Sonatrach", "SONATRACH signs a new gas deal")
    assert not matches("Sonatrach", "Sonelgaz signs a new deal")


# --- Phrases: together, in that order ---------------------------------------------------------


def test_a_phrase_matches_its_words_together_in_order():
    phrase = '"الحماية المدنية"'
    assert matches(phrase, "أعوان الحماية المدنية يتدخلون بوهران")
    assert matches(phrase, "حريق بوهران", "تدخلت مصالح الحماية المدنية ليلا")  # in the body
    assert matches(phrase, "تكريم أعوان للحماية المدنية")  # each word by stem, as /search
    assert not matches(phrase, "المدنية الحماية")  # the other order
    assert not matches(phrase, "الحماية الاجتماعية والخدمة المدنية")  # both, apart
    assert not matches(phrase, "تدخل أعوان الحماية", "المدنية")  # not across title and body


def test_words_and_phrase_differ_on_the_same_text():
    title = "المدنية تنظم يوما حول الحماية من الحرائق"
    assert matches("الحماية المدنية", title)
    assert not matches('"الحماية المدنية"', title)


def test_a_french_phrase_keeps_its_small_words():
    assert matches('"coupe du monde"', "La Coupe du Monde 2030 au Maroc")
    assert not matches('"coupe du monde"', "La coupe de monde")


# --- Topics and wilayas: as the story is filed ------------------------------------------------


def test_a_topic_follow_matches_stories_filed_under_it():
    sports = make_article(title="المنتخب الوطني يفوز وديا", topics=["sports"])
    assert "sports" in sports.topics
    assert follows("رياضة").match(story_terms(sports))
    assert follows("Sports").match(story_terms(sports))
    assert not follows("اقتصاد").match(story_terms(sports))


def test_a_topic_follow_needs_the_topic_not_the_word():
    filed_elsewhere = make_article(title="ندوة حول الرياضة المدرسية", topics=["society"])
    assert "sports" not in filed_elsewhere.topics
    assert not follows("رياضة").match(story_terms(filed_elsewhere))
    assert follows('"الرياضة"').match(story_terms(filed_elsewhere))  # the quoted word does


def test_a_wilaya_follow_matches_stories_that_mention_it():
    oran = make_article(title="أمطار غزيرة على وهران", body="تدخلت الحماية المدنية بعدة أحياء")
    assert oran.regions == (31,)
    assert follows("وهران").match(story_terms(oran))
    assert follows("Oran").match(story_terms(oran))
    assert follows("31").match(story_terms(oran))
    assert not follows("قسنطينة").match(story_terms(oran))
    french = make_article(title="Oran : la saison estivale s'ouvre", lang="fr")
    assert follows("وهران").match(story_terms(french))


# --- Mutes: they only ever suppress ----------------------------------------------------------


def test_a_mute_silences_its_chat_and_no_other():
    chats = Chats()
    chats.follow(1, "سوناطراك")
    chats.mute(1, "أمطار")
    chats.follow(2, "سوناطراك")
    rain = story("سوناطراك تعلق أشغالها بسبب الأمطار")
    assert chats.alerted(rain) == [2]
    assert chats.percolator.muted(1, rain) and not chats.percolator.muted(2, rain)
    dry = story("سوناطراك توقع عقدا جديدا")
    assert chats.alerted(dry) == [1, 2]
    assert not chats.percolator.muted(1, dry)


def test_a_mute_alone_never_alerts():
    chats = Chats()
    chats.mute(1, "أمطار")
    assert chats.alerted(story("أمطار غزيرة")) == []


def test_a_mute_wins_over_every_follow_of_its_chat():
    chats = Chats()
    chats.follow(1, "وهران")
    chats.follow(1, "رياضة")
    chats.follow(1, "مولودية")
    chats.mute(1, '"مولودية وهران"')
    derby = story("مولودية وهران تفوز بالداربي", topics=("sports",))
    assert chats.alerted(derby) == []
    assert chats.alerted(story("مولودية الجزائر تفوز", topics=("sports",))) == [1]


def test_muted_filters_a_chats_listing_of_stored_articles():
    chats = Chats()
    chats.mute(1, "كرة القدم")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    listing = [
        Article(1, "نتائج مباريات كرة القدم", "", "", None, "", now, now, "ar"),
        Article(2, "سوناطراك توقع عقدا", "", "", None, "", now, now, "ar"),
    ]
    kept = [a.id for a in listing if not chats.percolator.muted(1, story_terms(a))]
    assert kept == [2]


# --- One alert per chat, and the index kept up to date -----------------------------------------


def test_one_match_per_chat_with_all_its_matching_follows():
    chats = Chats()
    sent_at = datetime(2026, 12, 1, 8, tzinfo=UTC)
    first = chats.follow(1, "سوناطراك", thread_id=5, created_at=sent_at)
    second = chats.follow(1, "وهران")
    chats.follow(1, "سونلغاز")  # does not match
    third = chats.follow(1, '"عقد جديد"')
    chats.follow(2, "وهران")
    matched = sorted(chats.percolator.match(story("سوناطراك توقع عقد جديد في وهران")))
    assert [m.chat_id for m in matched] == [1, 2]
    assert matched[0] == ChatMatch(1, (first, second, third))
    assert matched[0].follows[0].thread_id == 5 and matched[0].follows[0].created_at == sent_at


def test_remove_forgets_a_follow_and_len_counts_follows_and_mutes():
    chats = Chats()
    oran = chats.follow(1, "وهران")
    word = chats.follow(1, "سوناطراك")
    rain = chats.mute(1, "أمطار")
    chats.follow(2, "رياضة")
    assert len(chats.percolator) == 4
    news = story("سوناطراك بوهران والأمطار")
    assert chats.alerted(news) == []  # muted
    assert chats.percolator.remove(rain.id) == rain
    assert chats.alerted(news) == [1]
    assert chats.percolator.remove(word.id) == word
    assert chats.percolator.remove(oran.id) == oran
    assert chats.alerted(news) == []
    assert chats.percolator.remove(oran.id) is None  # already gone
    assert len(chats.percolator) == 1


def test_follows_of_the_same_words_are_kept_apart_by_chat():
    chats = Chats()
    first = chats.follow(1, "سوناطراك")
    chats.follow(2, "سوناطراك")
    chats.follow(2, "لسوناطراك")  # the same word to matching, another follow
    chats.follow(3, '"عقد جديد"')
    news = story("سوناطراك توقع عقد جديد")
    assert chats.alerted(news) == [1, 2, 3]
    assert [len(m.follows) for m in sorted(chats.percolator.match(news))] == [1, 2, 1]
    chats.percolator.remove(first.id)
    assert chats.alerted(news) == [2, 3]


def test_removing_everything_leaves_an_empty_index():
    chats = Chats()
    added = [
        chats.follow(1, "سوناطراك"),
        chats.follow(1, "سوناطراك وهران"),
        chats.follow(2, '"الحماية المدنية"'),
        chats.follow(2, "رياضة"),
        chats.follow(3, "Oran"),
        chats.mute(3, "أمطار"),
        chats.mute(3, '"كرة القدم"'),
    ]
    for follow in added:
        assert chats.percolator.remove(follow.id) == follow
    assert len(chats.percolator) == 0
    for index in (chats.percolator._follows, chats.percolator._mutes):
        assert index.by_form == index.by_pair == index.groups == index.by_topic == index.by_region == {}
    assert chats.percolator._mutes_of == {} and not chats.percolator._phrase_words.nexts and not chats.percolator._phrase_words.seconds


def test_a_phrase_of_three_words_and_a_phrase_mute():
    chats = Chats()
    chats.follow(1, '"كأس أمم إفريقيا"')
    chats.follow(2, "كأس")
    chats.mute(2, '"كأس العالم"')
    assert chats.alerted(story("قرعة كأس أمم إفريقيا")) == [1, 2]
    assert chats.alerted(story("كأس إفريقيا للأمم")) == [2]  # the words, not the phrase
    assert chats.alerted(story("كأس العالم: القرعة")) == []  # chat 2 muted the phrase
    assert chats.alerted(story("العالم ينتظر كأس الأمم")) == [2]  # not the muted phrase


def test_a_topic_or_wilaya_mute_built_by_hand_also_silences():
    # news.follows never makes one (a mute is words), but the percolator knows them.
    percolator = Percolator([parse_follow("سوناطراك").follow(1, 1), Follow(2, 1, "topic", "Sport", ("sports",), mute=True)])
    assert not percolator.match(story("سوناطراك ترعى الرياضة", topics=("sports",)))
    assert percolator.match(story("سوناطراك توقع عقدا", topics=("economy",)))
    assert percolator.muted(1, story("مباراة", topics=("sports",)))


def test_adding_an_id_again_replaces_the_follow():
    percolator = Percolator([parse_follow("سوناطراك").follow(1, 1)])
    percolator.add(parse_follow("سونلغاز").follow(1, 1))
    assert len(percolator) == 1
    assert not percolator.match(story("سوناطراك توقع عقدا"))
    assert percolator.match(story("سونلغاز توقع عقدا"))


@pytest.mark.parametrize(
    "follow",
    [
        Follow(1, 1, "words", "x", ()),
        Follow(1, 1, "words", "x", ("",)),
        Follow(1, 1, "hashtag", "x", ("x",)),
        Follow(1, 1, "wilaya", "Oran", ("Oran",)),
        Follow(1, 1, "topic", "x", ("sports", "economy")),
    ],
)
def test_a_follow_that_could_never_match_is_refused(follow):
    with pytest.raises(ValueError):
        Percolator().add(follow)


def test_a_follow_is_filed_under_its_likely_rarest_word():
    # Without counts, the word whose shortest stem is longest: a name rather than a common word.
    assert Percolator()._follows.anchor(("عمل", "سوناطراك")) == 1
    assert Percolator()._follows.anchor(("jeux", "mediterraneens")) == 1
    # With counts from recent stories, the word the fewest hold, however long.
    recent = [story("الجزائر تستقبل الوفد"), story("أمطار في الجزائر"), story("غاز سوناطراك")]
    counts = stem_frequencies(recent)
    assert counts["الجزاير"] == 2 and counts["غاز"] == 1
    assert Percolator()._follows.anchor(("الجزاير", "غاز")) == 0
    assert Percolator(frequencies=counts)._follows.anchor(("الجزاير", "غاز")) == 1


def test_where_a_follow_is_filed_changes_the_cost_never_the_result():
    texts = ["الجزائر غاز", '"الحماية المدنية"', "سوناطراك وهران", '"كأس العالم"', "أمطار", "رياضة"]
    stories = [
        story("غاز الجزائر إلى أوروبا", topics=("economy",)),
        story("الحماية المدنية تتدخل في وهران بعد الأمطار"),
        story("سوناطراك: اتفاق غاز جديد مع إيطاليا", "وقع الاتفاق في وهران"),
        story("كأس العالم: الجزائر تواجه", topics=("sports",)),
    ]
    follows = [parse_follow(text).follow(number, number) for number, text in enumerate(texts)]
    plain, counted = Percolator(follows), Percolator(follows, frequencies=stem_frequencies(stories))
    for terms in stories:
        assert sorted(plain.match(terms)) == sorted(counted.match(terms))
    assert [sorted(m.chat_id for m in plain.match(terms)) for terms in stories] == [[0], [1, 4], [2], [3, 5]]


# --- StoryTerms ----------------------------------------------------------------------------------


def test_story_terms_reuse_the_articles_search_text():
    article = make_article(title="سوناطراك توقع عقدا جديدا", body="في وهران", topics=["economy"])
    terms = story_terms(article)
    # (A name's other spellings follow the body: news.names, Sonatrach for سوناطراك.)
    assert terms.title == ("سوناطراك", "توقع", "عقدا", "جديدا") and terms.body == ("في", "وهران", "sonatrach")
    assert terms.words == {"سوناطراك", "توقع", "عقدا", "جديدا", "في", "وهران", "sonatrach"}
    assert "جديد" in terms.stems and terms.words <= terms.stems
    assert "economy" in terms.topics and terms.regions == {31}
    # The search text the article carries is the one used (computed once, at ingestion) ...
    carried = replace(article, search=SearchText("سونلغاز", "سونلغاز"))
    assert story_terms(carried).words == {"سونلغاز", "sonelgaz"}
    # ... and without one (an article built by hand), the same is computed.
    bare = NewArticle(title=article.title, title_key="", content_hash="", body=article.body)
    assert bare.search == SearchText()
    computed = story_terms(bare)
    assert (computed.words, computed.stems, computed.title, computed.body) == (terms.words, terms.stems, terms.title, terms.body)
    assert index_text(article.title, article.body) == article.search


def test_a_chat_that_muted_nothing_costs_its_listings_nothing():
    spec = parse_mute("كرة القدم")
    percolator = Percolator([spec.follow(1, chat_id=7)])
    assert percolator.has_mutes(7) and not percolator.has_mutes(8)
    percolator.remove(1)
    assert not percolator.has_mutes(7)


# --- The index gives what each follow checked alone gives -----------------------------------------

_BASES = ("سوناطراك", "الحماية", "المدنية", "وزير", "الداخلية", "كأس", "أمم", "إفريقيا", "وهران", "أمطار",
          "غاز", "عقد", "جديد", "الرئيس", "مباراة", "فريق", "مشروع", "Oran", "gaz", "contrat", "nouveau")


def _written(base: str, rng: random.Random) -> str:
    """A form of `base` a story may hold: as is, with a clitic, or with a suffix."""
    if not any("\u0600" <= letter <= "\u06ff" for letter in base):
        return rng.choice((base, base + "s"))
    bare = base.removeprefix("ال")
    return rng.choice((base, base, "و" + base, "ب" + bare, "لل" + bare, "بال" + bare, base + "ها", bare + "ات"))


def _alone(follow: Follow, terms: StoryTerms) -> bool:
    """Whether one follow matches a story, checked the plain way: each word against every
    word of the story, a phrase at every place of the title and of the body."""
    if follow.kind == "topic":
        return follow.terms[0] in terms.topics
    if follow.kind == "wilaya":
        return int(follow.terms[0]) in terms.regions

    def same(term: str, word: str) -> bool:
        return bool(stems(term) & stems(word))

    if follow.kind == "words":
        return all(any(same(term, word) for word in terms.words) for term in follow.terms)
    size = len(follow.terms)
    return any(
        all(same(term, part[start + offset]) for offset, term in enumerate(follow.terms))
        for part in (terms.title, terms.body) for start in range(len(part) - size + 1)
    )


def _alerted_alone(follows: list[Follow], terms: StoryTerms) -> dict[int, list[int]]:
    muted = {f.chat_id for f in follows if f.mute and _alone(f, terms)}
    alerted: dict[int, list[int]] = {}
    for follow in follows:
        if not follow.mute and follow.chat_id not in muted and _alone(follow, terms):
            alerted.setdefault(follow.chat_id, []).append(follow.id)
    return {chat: sorted(ids) for chat, ids in alerted.items()}


def test_the_index_alerts_the_chats_each_follow_checked_alone_would():
    # Words, phrases of two and three words, topics, wilayas and mutes of 60 chats, against
    # stories whose words are written with clitics and suffixes; then follows removed, and
    # phrases of words no phrase had added after stories were matched (what the percolator
    # learned of the stories' words must not hide them), and the same again.
    rng = random.Random(13)
    texts = [*(" ".join(rng.sample(_BASES, rng.choice((1, 1, 2, 3)))) for _ in range(160)),
             *('"' + " ".join(rng.sample(_BASES[:12], rng.choice((2, 2, 3)))) + '"' for _ in range(60)),
             "رياضة", "اقتصاد", "وهران", "Oran", "قسنطينة"]
    follows = []
    for number, text in enumerate(texts, start=1):
        mute = rng.random() < 0.15 and number <= 220
        spec = parse_mute(text) if mute else parse_follow(text)
        follows.append(spec.follow(number, rng.randrange(60)))
    percolator = Percolator(follows[:200])
    stories = []
    for _ in range(150):
        title = " ".join(_written(rng.choice(_BASES), rng) for _ in range(rng.randint(3, 7)))
        body = " ".join(_written(rng.choice(_BASES), rng) for _ in range(rng.randint(0, 30)))
        stories.append(story(title, body, topics=(rng.choice(("sports", "economy", "world")),)))

    def check(held: list[Follow]) -> int:
        alerts = 0
        for terms in stories:
            found = {match.chat_id: sorted(f.id for f in match.follows) for match in percolator.match(terms)}
            assert found == _alerted_alone(held, terms)
            alerts += len(found)
        return alerts

    assert check(follows[:200]) > 500  # a sample that alerts, and mutes that silence some
    for follow in follows[:200:3]:
        percolator.remove(follow.id)
    for follow in follows[200:]:
        percolator.add(follow)
    percolator.add(parse_follow('"مشروع جديد"').follow(1000, 7))
    percolator.add(parse_mute('"nouveau contrat"').follow(1001, 8))
    held = [f for f in follows if f.id % 3 != 1 or f.id > 200] + [percolator._all[1000], percolator._all[1001]]
    assert check(held) > 500
    # The phrases added last, of words no phrase had, were found where they stand.
    assert any(_alone(percolator._all[1000], terms) for terms in stories)
    assert any(_alone(percolator._all[1001], terms) for terms in stories)


def test_follows_held_at_start_alert_as_those_added_one_by_one():
    # The percolator given every follow at once (laid out group by group) alerts the same
    # chats for the same follows as one they were added to one by one: words, phrases (one
    # standing at the body's very end), topics, wilayas and mutes; a follow given twice
    # counts once (the later), a chat holding the same words twice is alerted once for both;
    # and so again as follows are removed, down to none.
    texts = ["سوناطراك", "سوناطراك", "الغاز الطبيعي", '"الحماية المدنية"', '"حريق غابة كبير"', "رياضة", "وهران"]
    given = [parse_follow(text).follow(number, number % 4) for number, text in enumerate(texts, start=1)]
    given += [parse_mute("الغاز").follow(20, 2), Follow(21, 3, "topic", "Sport", ("sports",), mute=True)]
    given += [parse_follow("سوناطراك").follow(22, 3), replace(given[0], chat_id=3)]  # id 1 again: chat 3's now
    stories = [
        story("سوناطراك تكتشف حقلا للغاز الطبيعي", "أعلنت الشركة عن اكتشاف جديد", topics=("economy",)),
        story("حريق في وهران", "تدخلت مصالح الحماية المدنية لإخماد حريق غابة كبير", topics=("sports",)),
        story("مباراة ودية", "فاز الفريق في وهران", topics=("sports",)),
    ]
    at_once = Percolator(given)
    one_by_one = Chats().percolator
    for follow in given:
        one_by_one.add(follow)

    def alerted(percolator: Percolator) -> list[dict[int, list[int]]]:
        return [{m.chat_id: [f.id for f in m.follows] for m in percolator.match(terms)} for terms in stories]

    assert alerted(at_once) == alerted(one_by_one)
    assert alerted(at_once)[0] == {3: [1, 3, 22]}  # chat 2 muted الغاز; chat 3 follows سوناطراك twice
    assert alerted(at_once)[1] == {0: [4], 1: [5], 2: [6]}  # a phrase at the body's end; chat 3 muted Sport
    assert len(at_once) == len(one_by_one) == len(given) - 1
    for follow_id in sorted(at_once.ids()):
        at_once.remove(follow_id)
        one_by_one.remove(follow_id)
        assert alerted(at_once) == alerted(one_by_one)
    assert alerted(at_once) == [{}, {}, {}]
    index = at_once._follows
    assert index.by_form == index.by_pair == index.groups == index.by_topic == index.by_region == {}


def test_phrases_are_found_alike_once_the_words_learned_pass_their_bound():
    # What each story word holds of phrases' words is learned once and kept for the next
    # stories, all forgotten past a bound (then learned again): the same chats either way,
    # a phrase at the title's end or the body's, not across the two.
    texts = ['"الحماية المدنية"', '"كأس أمم إفريقيا"', '"coupe du monde"']
    given = [parse_follow(text).follow(number, number) for number, text in enumerate(texts, start=1)]
    stories = [
        story("أعوان الحماية المدنية", "قرعة كأس أمم إفريقيا"),
        story("La Coupe du Monde", "الحماية الاجتماعية والخدمة المدنية"),
        story("قرعة كأس أمم", "إفريقيا بالقاهرة وأعوان للحماية المدنية"),
    ] * 3
    bounded, kept = Percolator(given), Percolator(given)
    bounded._phrase_words.SEEN_AT_MOST = 4
    for percolator in (bounded, kept):
        assert [sorted(match.chat_id for match in percolator.match(terms)) for terms in stories] == [[1, 2], [3], [1]] * 3
    assert len(kept._phrase_words.seen) > 10 > len(bounded._phrase_words.seen)


# --- What a follow leaves out ----------------------------------------------------------------


def test_a_follow_leaves_out_stories_holding_a_word_by_stem_or_a_phrase_where_it_stands():
    chats = Chats()
    chats.follow(1, "سوناطراك -كرة")
    chats.follow(2, "سوناطراك")  # the same word, nothing left out: a group of its own
    chats.follow(3, 'سوناطراك وهران -"كأس العالم"')
    chats.follow(4, '"الحماية المدنية" -حريق')
    chats.follow(5, "رياضة -كرة")
    chats.follow(6, "Annaba -USMA")
    assert chats.alerted(story("سوناطراك توقع عقدا في وهران")) == [1, 2, 3]
    assert chats.alerted(story("سوناطراك ترعى فريق الكرة في وهران")) == [2, 3]  # الكرة: كرة by stem
    assert chats.alerted(story("سوناطراك في وهران", "قبل كأس العالم")) == [1, 2]
    assert chats.alerted(story("سوناطراك في وهران", "كأس إفريقيا تجمع العالم")) == [1, 2, 3]  # apart: no phrase
    assert chats.alerted(story("الحماية المدنية تخمد حريقا")) == []
    assert chats.alerted(story("الحماية المدنية تنقذ عائلة")) == [4]
    assert chats.alerted(story("نتائج الجولة", topics=("sports",))) == [5]
    assert chats.alerted(story("نتائج كرة السلة", topics=("sports",))) == []
    assert 6 in chats.alerted(story("Annaba : le port s'agrandit"))
    assert 6 not in chats.alerted(story("Annaba : l'USMA gagne"))


def test_a_mute_wins_over_a_follow_that_leaves_out_and_removing_them_empties_the_index():
    chats = Chats()
    added = [chats.follow(1, "سوناطراك -كرة"), chats.follow(1, "سوناطراك وهران -كرة"), chats.mute(1, "النفط")]
    assert chats.alerted(story("سوناطراك في وهران")) == [1]
    assert chats.alerted(story("سوناطراك تبيع النفط")) == []
    assert chats.percolator._follows.leaving_out == 2
    for follow in added:
        chats.percolator.remove(follow.id)
    index = chats.percolator._follows
    assert index.by_form == index.by_pair == index.groups == {} and index.leaving_out == 0


def test_a_follow_leaving_out_again_under_its_id_replaces_what_it_left_out():
    chats = Chats()
    follow = chats.follow(1, "سوناطراك -كرة")
    assert chats.alerted(story("سوناطراك والكرة")) == []
    chats.percolator.add(replace(follow, text="سوناطراك -النفط", excluded=(("النفط",),)))
    assert chats.alerted(story("سوناطراك والكرة")) == [1]
    assert chats.alerted(story("سوناطراك تبيع النفط")) == []


@pytest.mark.parametrize(
    "follow",
    [
        Follow(1, 1, "words", "x -y", ("سوناطراك",), excluded=((),)),
        Follow(1, 1, "words", "x -y", ("سوناطراك",), excluded=(("",),)),
        Follow(1, 1, "words", "x -y", ("سوناطراك",), mute=True, excluded=(("كره",),)),
    ],
)
def test_nothing_to_leave_out_or_a_mute_leaving_out_is_refused(follow):
    with pytest.raises(ValueError):
        Percolator().add(follow)


def _alone_leaving_out(follow: Follow, terms: StoryTerms) -> bool:
    """_alone, and none of what the follow leaves out in the story, each checked alone as a
    follow of it would be."""
    left_out = (Follow(0, 0, "words" if len(item) == 1 else "phrase", "", item) for item in follow.excluded)
    return _alone(follow, terms) and not any(_alone(item, terms) for item in left_out)


def test_follows_leaving_out_alert_as_each_checked_alone_would_beside_those_that_do_not():
    # Follows of the same words with and without exclusions, of words, phrases, topics and
    # wilayas, held at start and added one by one, then some removed: the chats alerted are
    # those each follow checked alone alerts, less what it leaves out.
    rng = random.Random(29)
    texts = [*(" ".join(rng.sample(_BASES, rng.choice((1, 1, 2)))) for _ in range(80)),
             *('"' + " ".join(rng.sample(_BASES[:12], 2)) + '"' for _ in range(20)), "رياضة", "وهران"]
    follows = []
    for number, text in enumerate(texts * 2, start=1):
        if number > len(texts):  # the same texts again, leaving out a word or a phrase
            left_out = rng.choice(_BASES)
            text += f" -{left_out}" if rng.random() < 0.7 else f' -"{left_out} {rng.choice(_BASES)}"'
        try:
            follows.append(parse_follow(text).follow(number, rng.randrange(40)))
        except FollowRefused:  # leaving out what it follows
            continue
    assert sum(bool(f.excluded) for f in follows) > 80
    stories = []
    for _ in range(120):
        title = " ".join(_written(rng.choice(_BASES), rng) for _ in range(rng.randint(3, 7)))
        body = " ".join(_written(rng.choice(_BASES), rng) for _ in range(rng.randint(0, 20)))
        stories.append(story(title, body, topics=(rng.choice(("sports", "economy")),)))
    at_once, one_by_one = Percolator(follows), Percolator()
    for follow in follows:
        one_by_one.add(follow)

    def check(percolator: Percolator, held: list[Follow]) -> int:
        alerts = 0
        for terms in stories:
            found = {match.chat_id: sorted(f.id for f in match.follows) for match in percolator.match(terms)}
            expected: dict[int, list[int]] = {}
            for follow in held:
                if _alone_leaving_out(follow, terms):
                    expected.setdefault(follow.chat_id, []).append(follow.id)
            assert found == {chat: sorted(ids) for chat, ids in expected.items()}
            alerts += sum(map(len, found.values()))
        return alerts

    left_out_of = sum(_alone(f, terms) and not _alone_leaving_out(f, terms) for f in follows for terms in stories)
    assert left_out_of > 50  # stories that some follow leaves out
    for percolator in (at_once, one_by_one):
        assert check(percolator, follows) > 300
        for follow in follows[::3]:
            percolator.remove(follow.id)
        check(percolator, [f for at, f in enumerate(follows) if at % 3])
