"""The light stemmer, measured on word pairs written for it (tests/data/word-pairs.tsv).

Every "match" pair must share a stem and every "differ" pair must not: the set doubles as the
stemmer's specification, and a change that trades one error for another shows up here.
"""

import pytest

from news.text import normalize, same_word, stems, tokenize

from .conftest import word_pairs


def _pairs(kind):
    return [pytest.param(a, b, id=why) for a, b, why in word_pairs(kind)]


@pytest.mark.parametrize(("a", "b"), _pairs("match"))
def test_should_match(a, b):
    assert same_word(a, b), (sorted(stems(normalize(a))), sorted(stems(normalize(b))))


@pytest.mark.parametrize(("a", "b"), _pairs("differ"))
def test_must_not_match(a, b):
    assert not same_word(a, b), (sorted(stems(normalize(a))), sorted(stems(normalize(b))))


def test_pair_set_is_big_enough_to_mean_something():
    assert len(_pairs("match")) >= 30 and len(_pairs("differ")) >= 15


def test_no_stem_is_shorter_than_three_letters():
    for word in ("الحق", "بها", "ولد", "والد", "للعب", "كما", "فيه"):
        assert all(len(stem) >= 3 or stem == normalize(word) for stem in stems(normalize(word))), word


def test_tokenize_keeps_a_word_whole_across_harakat_and_tatweel_with_original_positions():
    text = "رؤساء الأركان يقيّمون الوضع «جـــديد»"
    tokens = tokenize(text)
    assert [word for _, _, word in tokens] == ["روساء", "الاركان", "يقيمون", "الوضع", "جديد"]
    assert [text[start:end] for start, end, _ in tokens] == ["رؤساء", "الأركان", "يقيّمون", "الوضع", "جـــديد"]


def test_a_run_of_letters_longer_than_any_word_is_kept_whole():
    # A feed's or an import's accident (one 200,000-letter "word" in a title or body) is not
    # peeled letter by letter: that cost the square of its length (minutes, at that size), and
    # two such runs of different lengths are not one word.
    run = "ب" + "ا" * 60
    assert stems(run) == {run}
    assert not same_word(run, run + "ا")
    assert same_word("الاقتصادية", "اقتصادية")  # real words are still peeled
