"""Folding spellings together, and finding a topic however a reader types it."""

import pytest

from news.text import normalize, utf16_len
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
