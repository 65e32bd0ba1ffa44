"""/follow and /mute: what a reader types, and what it is understood as.

The order is topic, then wilaya, then a quoted phrase, then words (news.follows); a mute is
only ever words or a phrase.  Terms are the normalized words news.text.words gives, so that
storage keeps them as text and the percolator matches by them.
"""

import pytest

from news.follows import (
    MAX_CHARS,
    REFUSAL_REASONS,
    FollowRefused,
    FollowSpec,
    parse_follow,
    parse_mute,
    same_target,
    shown,
)
from news.model import FOLLOW_KINDS, Follow
from news.search import parse_query
from news.text import words


def refusal(text: str, parse=parse_follow) -> str:
    with pytest.raises(FollowRefused) as refused:
        parse(text)
    return refused.value.reason


# --- What a follow is understood as --------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("رياضة", "sports"),
        ("الرياضة", "sports"),
        ("رياضه", "sports"),
        ("Sport", "sports"),
        ("sports", "sports"),
        ("اقتصاد", "economy"),  # a topic's name is the topic, not the word
        ("Économie", "economy"),
        ("أحوال جوية", "weather"),
        ("Météo", "weather"),
        ("رياضة!", "sports"),  # a reader's punctuation after the name
    ],
)
def test_a_topic_name_follows_the_topic(typed, slug):
    assert parse_follow(typed) == FollowSpec("topic", typed, (slug,))


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("وهران", "31"),
        ("ولاية وهران", "31"),
        ("Oran", "31"),
        ("wilaya d'Oran", "31"),
        ("31", "31"),
        ("٣١", "31"),
        ("تيزي وزو", "15"),
        ("Tizi-Ouzou", "15"),
        ("قسنطينه", "25"),
        # As for /wilaya: الجزائر is wilaya 16, Algiers (quote it to follow the word).
        ("الجزائر", "16"),
    ],
)
def test_a_wilaya_name_or_code_follows_the_wilaya(typed, code):
    assert parse_follow(typed) == FollowSpec("wilaya", typed, (code,))


def test_a_text_that_only_mentions_a_wilaya_is_words():
    # /wilaya would take these as Oran; to follow them they are what they say.
    assert parse_follow("مولودية وهران") == FollowSpec("words", "مولودية وهران", ("مولوديه", "وهران"))
    assert parse_follow("مطار وهران الدولي").terms == ("مطار", "وهران", "الدولي")


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("سوناطراك", ("سوناطراك",)),  # not a topic, not a wilaya: a word
        ("الحمايه", ("الحمايه",)),
        ("الحماية المدنية", ("الحمايه", "المدنيه")),  # two words, both must appear
        ("الحماية في المدنية والحماية", ("الحمايه", "المدنيه", "والحمايه")),  # stopword dropped, order kept
        ("عودة إليه ولا", ("عوده",)),  # so are stopwords with something attached
        ("سوناطراك سوناطراك", ("سوناطراك",)),  # once
        ("Jeux méditerranéens", ("jeux", "mediterraneens")),
        ("Sonatrach à Hassi Messaoud", ("sonatrach", "hassi", "messaoud")),
        ("فيتامين c", ("فيتامين",)),  # one-letter words are dropped like stopwords
        ("كأس إفريقيا: القرعة", ("كاس", "افريقيا", "القرعه")),
        ("«الكاف» تحدد موعد القرعة", ("الكاف", "تحدد", "موعد", "القرعه")),  # quotes inside: punctuation
        ("(واج) وهران", ("واج", "وهران")),
        ("2026", ("2026",)),  # no wilaya has that code
    ],
)
def test_anything_else_is_words_that_must_all_appear(typed, terms):
    assert parse_follow(typed) == FollowSpec("words", typed, terms)


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ('"الحماية المدنية"', ("الحمايه", "المدنيه")),
        ("«كأس العالم»", ("كاس", "العالم")),
        ("“وزير الداخلية”", ("وزير", "الداخليه")),
        ('"رئيس الجمهورية في وهران"', ("رييس", "الجمهوريه", "في", "وهران")),  # a phrase keeps its stopwords
        ('"coupe du monde"', ("coupe", "du", "monde")),
    ],
)
def test_a_quoted_text_is_a_phrase(typed, terms):
    assert parse_follow(typed) == FollowSpec("phrase", typed, terms)


def test_quoting_one_word_asks_for_the_word_not_the_topic_or_wilaya():
    assert parse_follow('"اقتصاد"') == FollowSpec("words", '"اقتصاد"', ("اقتصاد",))
    assert parse_follow("«وهران»") == FollowSpec("words", "«وهران»", ("وهران",))
    assert parse_follow('"الجزائر"').kind == "words"


def test_the_text_is_kept_as_typed_with_single_spaces():
    assert parse_follow("  الحماية \n  المدنية ").text == "الحماية المدنية"


def test_terms_are_what_news_text_words_gives():
    for typed in ("لسوناطراك", "الحمايه", "الحماية", "مؤسسات", "جـــديد", "Économie Nationale", "٢٠٢٦"):
        assert parse_mute(typed).terms == tuple(words(typed))


def test_every_kind_is_a_model_kind():
    kinds = {parse_follow(text).kind for text in ("رياضة", "وهران", '"الحماية المدنية"', "سوناطراك")}
    assert kinds == set(FOLLOW_KINDS)


# --- Mutes -----------------------------------------------------------------------------------


def test_a_mute_is_words_or_a_phrase_never_a_topic_or_wilaya():
    assert parse_mute("رياضة") == FollowSpec("words", "رياضة", ("رياضه",), mute=True)
    assert parse_mute("وهران") == FollowSpec("words", "وهران", ("وهران",), mute=True)
    assert parse_mute("كرة القدم").terms == ("كره", "القدم")
    assert parse_mute('"كرة القدم"') == FollowSpec("phrase", '"كرة القدم"', ("كره", "القدم"), mute=True)


@pytest.mark.parametrize(
    ("muted", "followed", "same"),
    [
        ("سوناطراك", "سوناطراك", True),  # the same words
        ("الحمايه المدنيه", "الحماية المدنية", True),  # however they are spelled
        ('"كرة القدم"', '"كرة القدم"', True),  # the same phrase
        ("وهران", "Oran", True),  # the wilaya the muted text names
        ("31", "وهران", True),
        ("رياضة", "Sport", True),  # the topic the muted text names
        ("رياضة", '"رياضة"', True),  # and the word itself
        ("كرة", '"كرة القدم"', False),  # a word of a phrase is not the phrase
        ("كرة", "كرة القدم", False),  # nor one of several words
        ("مولودية وهران", "وهران", False),  # words that mention a wilaya are not the wilaya
        ('"وهران"', "Oran", False),  # the word asked for, not the wilaya
        ("سوناطراك", "سونلغاز", False),
    ],
)
def test_a_mute_and_a_follow_of_the_same_thing(muted, followed, same):
    assert same_target(parse_mute(muted), parse_follow(followed)) is same


def test_a_spec_becomes_the_stored_follow():
    assert parse_follow("سوناطراك").follow(7, 42, thread_id=3) == Follow(
        7, 42, "words", "سوناطراك", ("سوناطراك",), mute=False, thread_id=3
    )
    assert parse_mute("أمطار").follow(8, 42).mute is True


# --- Refusals: a clear reason, nothing stored --------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "usage"),
        ("   \n ", "usage"),
        ("ب", "too_short"),
        ("x", "too_short"),
        ("و ب ل", "too_short"),
        ("!!!", "too_short"),
        ('""', "too_short"),
        ("في", "stopwords"),
        ("في من على", "stopwords"),
        ("de la", "stopwords"),
        ("إليه", "stopwords"),  # إلى + ه: by stem it would match every إلى
        ("ولا وفي بما", "stopwords"),  # a clitic and a stopword
        ('"في من"', "stopwords"),
        ("س" * (MAX_CHARS + 1), "too_long"),
        ("وزير الداخلية يزور ولاية وهران غدا صباحا لتدشين مشاريع جديدة", "too_many_words"),  # nine words
        ("وهران قسنطينة عنابة سطيف بجاية تلمسان باتنة البليدة الشلف", "too_many_words"),  # 57 characters
        ('"وزير الداخلية يزور ولاية وهران غدا صباحا لتدشين مشاريع جديدة"', "too_many_words"),  # a phrase
        ('"الحماية المدنية', "unbalanced_quote"),
        ("«الحماية المدنية", "unbalanced_quote"),
        ('سوناطراك "النفط', "unbalanced_quote"),
        ("title:x OR y*", "search_syntax"),
        ("title:سوناطراك", "search_syntax"),
        ("site:aps.dz", "search_syntax"),
        ("sonatrach AND sonelgaz", "search_syntax"),
        ("NOT وهران", "search_syntax"),
        ("سوناطرا*", "search_syntax"),
        ("*trach", "search_syntax"),
        ("NEAR(سوناطراك وهران)", "search_syntax"),
        ("+سوناطراك", "search_syntax"),
        ("سوناطراك || سونلغاز", "search_syntax"),
    ],
)
def test_refused(typed, reason):
    assert reason in REFUSAL_REASONS
    assert refusal(typed) == reason
    assert refusal(typed, parse_mute) == reason


def test_every_reason_is_used():
    examples = (
        "", "ب", "في", "س" * 101, " ".join(f"كلمة{n}ب" for n in range(9)), '"س', "ab AND cd",
        "-كرة", "ab OR cd", "سوناطراك -سوناطراك", "سوناطراك -في",
    )
    assert {refusal(text) for text in examples} | {refusal("-كرة", parse_mute)} == set(REFUSAL_REASONS)


def test_a_hundred_characters_is_still_fine():
    typed = ("سوناطراك " * 12)[:MAX_CHARS]
    assert len(typed) == MAX_CHARS
    assert parse_follow(typed).terms[0] == "سوناطراك"


@pytest.mark.parametrize(
    "typed",
    [
        "«الكاف»",  # Arabic quotation marks, balanced
        "تيزي-وزو",  # a dash inside a word
        "عين-تموشنت",
        "الحماية - وهران",  # a dash between spaces
        "كأس إفريقيا: القرعة",  # a colon then a space
        "10:30",
        "l'été",  # an apostrophe is no quote
        "(واج) حرائق",  # parentheses not glued to a word
        "سونلغاز or سوناطراك",  # lower-case "or" is a word
        "Or noir",
    ],
)
def test_ordinary_punctuation_is_not_search_syntax(typed):
    parse_follow(typed)
    parse_mute(typed)


# --- What a follow leaves out, and OR ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "terms", "excluded"),
    [
        ("سوناطراك -كرة", "words", ("سوناطراك",), (("كره",),)),  # normalized as a followed word
        ('سوناطراك -كرة -"كأس العالم"', "words", ("سوناطراك",), (("كره",), ("كاس", "العالم"))),
        ("رياضة -كرة", "topic", ("sports",), (("كره",),)),  # what is left is understood as before
        ("وهران -مولودية", "wilaya", ("31",), (("مولوديه",),)),
        ('"الحماية المدنية" -حريق', "phrase", ("الحمايه", "المدنيه"), (("حريق",),)),
        ("-كرة سوناطراك", "words", ("سوناطراك",), (("كره",),)),  # anywhere in the text
        ("Sonatrach -l'équipe", "words", ("sonatrach",), (("l", "equipe"),)),  # a run: as written
        ("سوناطراك -كرة -كرة", "words", ("سوناطراك",), (("كره",),)),  # once
    ],
)
def test_a_follow_leaves_out_what_a_dash_says_as_search_does(typed, kind, terms, excluded):
    assert parse_follow(typed) == FollowSpec(kind, typed, terms, excluded=excluded)
    assert parse_query(typed).excluded == excluded


def test_what_is_followed_and_what_is_left_out_are_shown_as_typed():
    spec = parse_follow('الحمايـة  المدنية -كرة -"كأس العالم"')
    assert shown(spec) == ("الحمايـة المدنية", ("كرة", '"كأس العالم"'))
    assert shown(parse_follow("سوناطراك")) == ("سوناطراك", ())
    assert spec.follow(1, 2).excluded == (("كره",), ("كاس", "العالم"))


def test_a_dash_that_is_no_exclusion_stays_what_it_was():
    assert parse_follow("تيزي-وزو").kind == "wilaya"
    assert parse_follow("الحماية - وهران") == FollowSpec("words", "الحماية - وهران", ("الحمايه", "وهران"))


@pytest.mark.parametrize(
    ("typed", "alternatives"),
    [
        ("سوناطراك OR سونلغاز", ("سوناطراك", "سونلغاز")),
        ("سوناطراك | سونلغاز -كرة", ("سوناطراك -كرة", "سونلغاز -كرة")),  # each leaves it out
        ("وهران أو قسنطينة", ("وهران", "قسنطينة")),
        ("Oran ou Alger", ("Oran", "Alger")),
        ('"الحماية المدنية" OR "protection civile"', ('"الحماية المدنية"', '"protection civile"')),
        ("سعر النفط OR الغاز", ("سعر النفط", "سعر الغاز")),  # as /search reads it
        ("a1 OR b1 OR c1 d1 OR e1 OR f1", ("a1 d1", "a1 e1", "a1 f1", "b1 d1")),  # four at most
    ],
)
def test_or_in_a_follow_is_refused_with_the_follows_to_make_instead(typed, alternatives):
    with pytest.raises(FollowRefused) as refused:
        parse_follow(typed)
    assert (refused.value.reason, refused.value.alternatives) == ("either", alternatives)
    for alternative in alternatives:
        parse_follow(alternative)  # each is one the reader can follow


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-كرة", "only_excluded"),
        ('-كرة -"كأس العالم"', "only_excluded"),
        ("سوناطراك -سوناطراك", "excludes_itself"),
        ('"كأس العالم" -"كأس العالم"', "excludes_itself"),
        ('"كأس العالم للأندية" -كأس', "excludes_itself"),
        ("سوناطراك " + " ".join(f"-كلمة{n}" for n in range(9)), "too_many_words"),
        ("ب OR سوناطراك", "too_short"),  # what one of the follows offered would be refused for
        ("title:x OR y*", "search_syntax"),
    ],
)
def test_what_a_follow_cannot_leave_out_or_offer_is_refused(typed, reason):
    assert refusal(typed) == reason


def test_a_mute_reads_no_operators():
    assert refusal("كرة -رياضة", parse_mute) == "mute_leaves_out"  # told where leaving out belongs
    assert refusal("كرة OR رياضة", parse_mute) == "search_syntax"
