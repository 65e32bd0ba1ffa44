"""Folding spellings together, and finding a topic however a reader types it."""

import pytest

from news import text
from news.text import MAX_REMEMBERED_CHARS, normalize, strip_accents, utf16_len
from news.topics import TOPICS, find_topic


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("يقيّمون", "يقيمون"),  # harakat dropped, the word stays whole
        ("أمطار إلغاء آثار ٱلله", "امطار الغاء اثار الله"),  # hamza forms of alef
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("الحماية", "الحمايه"),  # ta marbuta
        ("مؤتمر بيئة", "موتمر بييه"),  # hamza on waw and ya
        ("جـــديد", "جديد"),  # tatweel
        ("٢٠٢٦ و۲۰۲۶", "2026 و2026"),  # Arabic-Indic and Persian digits
        ("\u200fمرحبا\u202b", "مرحبا"),  # bidi controls
        ("Économie  ÉTÉ", "economie ete"),  # French accents and case
    ],
)
def test_normalize_folds_each_spelling_to_one(written, folded):
    assert normalize(written) == folded


def test_same_headline_with_harakat_and_spacing_normalizes_equal():
    assert normalize("تعيين  مديرًا عامًا بالنّيابة") == normalize("تعيين مديرا عاما بالنيابة")


def test_utf16_length_counts_emoji_as_two_units():
    assert utf16_len("أخبار") == 5
    assert utf16_len("📰") == 2


@pytest.mark.parametrize("typed", ["رياضة", "الرياضة", "رياضه", "sport", "Sports", "SPORT", "sports"])
def test_topic_found_however_typed(typed):
    assert find_topic(typed).slug == "sports"


def test_every_topic_found_by_each_of_its_names():
    assert len(TOPICS) == 11
    for topic in TOPICS:
        for name in (topic.slug, *topic.names.values()):
            assert find_topic(name) is topic, name


@pytest.mark.parametrize("typed", ["nosuchtopic", "", "كرة", "<b>"])
def test_unknown_topic_is_none(typed):
    assert find_topic(typed) is None


def test_long_runs_without_a_space_are_read_but_not_remembered():
    # A body whose lines are joined with no space is one "word" of 100 KB, a /topic typed as a
    # paragraph one name: remembered, 300 such articles held 55 MB in the bot and in each worker
    # until 200,000 entries piled up.  They are read the same, and only short words are kept.
    run = "Élection" * 10_000
    assert strip_accents(f"{run} été") == f"{'Election' * 10_000} ete"
    assert find_topic("رياضة" * 1_000) is None and find_topic("رياضة") is not None
    for memo in (text._word_without_accents, find_topic):
        remembered: dict[str, object] = memo.__self__  # type: ignore[attr-defined]
        assert remembered and all(len(word) <= MAX_REMEMBERED_CHARS for word in remembered)
