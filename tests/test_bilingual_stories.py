"""One event told in French and in Arabic is one story (news.story_bilingual, news.stories).

Algerian outlets tell the same news in both languages; before, a French headline and an Arabic
one were never compared, so a reader following Bouira got two alerts for one quake.  What tells
two events apart in one language does across the two: a place, a number, a minister's post, a
person, opposite acts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from news.stories import WINDOW, StoryMatcher, story_key
from news.story_bilingual import skeleton, translated

from .test_stories import joined

_START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("french", "arabic"),
    [
        # a quake: its magnitude, its wilaya, the act
        ("Séisme de magnitude 5,2 à Bouira, aucune victime", "زلزال بقوة 5.2 درجات يضرب ولاية البويرة"),
        # a road accident: two dead written in words and as a dual, the wilaya
        ("Deux morts dans un accident de la route à Sétif", "وفاة شخصين في حادث مرور بسطيف"),
        # a company and its partner, an agreement signed
        ("Sonatrach et Eni signent un accord de 1,5 milliard de dollars", "سوناطراك وإيني توقعان اتفاقا بقيمة 1.5 مليار دولار"),
        # a minister named by his post and his name in one, by his name in the other
        ("Le ministre de l'Intérieur Brahim Merad en visite à Oran", "وزير الداخلية إبراهيم مراد في زيارة إلى وهران"),
        # the same one of those countries
        ("Attaf reçoit l'ambassadeur du Népal", "عطاف يستقبل سفير نيبال"),
        # a name no table holds, written in both scripts (Attaf / عطاف)
        ("Attaf reçoit son homologue mauritanien à Alger", "عطاف يستقبل نظيره الموريتاني بالجزائر"),
        # a dateline in French, the act first in Arabic
        ("Tizi Ouzou : un nouvel hôpital inauguré par le wali", "والي تيزي وزو يدشن مستشفى جديدا"),
    ],
)
def test_the_same_event_in_french_and_in_arabic_is_one_story(french, arabic):
    assert joined(arabic, french) and joined(french, arabic)


@pytest.mark.parametrize(
    ("french", "arabic"),
    [
        # another wilaya
        ("Secousse tellurique de magnitude 3,6 à Bouira", "هزة أرضية بقوة 3.6 درجات تضرب عين الدفلى"),
        # another figure
        ("Les douanes saisissent 2 tonnes de sucre à Tébessa", "الجمارك تحجز 5 أطنان من السكر بتبسة"),
        # another ministry
        ("Le ministre de la Santé en visite de travail à Tindouf", "وزير التضامن الوطني في زيارة عمل إلى تندوف"),
        # another country
        ("Attaf s'entretient avec son homologue nigérien", "عطاف يتحادث مع نظيره النيجيري"),
        # another country, of those French keys do not read as places (story_lexicon_fr.MORE_COUNTRIES)
        ("Attaf reçoit l'ambassadeur du Népal", "عطاف يستقبل سفير منغوليا"),
        # the opposite act: a minister appointed, a minister dismissed
        ("Nomination d'un nouveau wali à Oran", "إنهاء مهام والي وهران"),
    ],
)
def test_look_alike_events_in_the_two_languages_stay_two_stories(french, arabic):
    assert not joined(arabic, french) and not joined(french, arabic)


def test_a_day_and_a_half_later_the_same_words_are_another_event():
    french, arabic = "Séisme de magnitude 5,2 à Bouira", "زلزال بقوة 5.2 درجات يضرب ولاية البويرة"
    assert joined(french, arabic, minutes=60)
    assert not joined(french, arabic, minutes=int(WINDOW.total_seconds() // 60) + 1)


def test_names_are_compared_by_their_letters_across_the_scripts():
    assert skeleton("attaf") == skeleton("عطاف") and skeleton("hadjadj") == skeleton("حجاج")
    assert skeleton("chengriha") == skeleton("شنقريحة")
    assert skeleton("karim") != skeleton("كمال")  # two men


def test_the_matcher_files_each_language_under_the_story_the_other_began_and_forgets_them_in_time():
    matcher = StoryMatcher()
    arabic = matcher.assign(1, story_key("زلزال بقوة 5.2 درجات يضرب ولاية البويرة"), _START)
    unrelated = matcher.assign(2, story_key("Le MC Alger bat la JS Kabylie 2-0"), _START)
    french = matcher.assign(3, story_key("Séisme de magnitude 5,2 à Bouira"), _START + timedelta(minutes=20))
    assert (arabic, unrelated, french) == (1, 2, 1)
    # a French story first, its Arabic telling after
    assert matcher.assign(4, story_key("Deux morts dans un accident de la route à Sétif"), _START) == 4
    assert matcher.assign(5, story_key("وفاة شخصين في حادث مرور بسطيف"), _START + timedelta(minutes=40)) == 4
    # past the window every headline is forgotten, from the index of either language too
    matcher.assign(6, story_key("طقس اليوم"), _START + 2 * WINDOW)
    assert len(matcher) == 1 and not matcher._french_by_token


def test_over_three_windows_of_headlines_in_both_languages_the_matcher_holds_only_the_last():
    # The bot runs for days: every index, the French one too, and the count of French
    # headlines (which sets how common a token is among them) keep only the window's, and a
    # batch forgotten (its transaction rolled back) leaves nothing behind either.
    matcher = StoryMatcher()
    told = ("Séisme de magnitude {} à Bouira", "Deux morts dans un accident à Sétif, {} blessés",
            "زلزال بقوة {} درجات يضرب ولاية البويرة", "Attaf reçoit son homologue mauritanien à Alger le {}")
    article_id, at = 0, _START
    while at < _START + 3 * WINDOW:
        for number, headline in enumerate(told, 2):
            article_id += 1
            matcher.assign(article_id, story_key(headline.format(number)), at)
        article_id += 1
        matcher.assign(article_id, story_key("Tizi Ouzou : un nouvel hôpital inauguré par le wali"), at)
        matcher.forget([article_id])
        at += timedelta(hours=2)
    kept = set(matcher._by_id)
    assert kept == {entry.article_id for entry in matcher._entries}
    assert all(entry.at >= at - timedelta(hours=2) - WINDOW for entry in matcher._entries)
    indexes = (matcher._by_token, matcher._by_lead, matcher._by_number, matcher._unnumbered_by_token,
               matcher._unnumbered_by_lead, matcher._french_by_token)
    for index in indexes:
        assert all(posting and posting <= kept for posting in index.values())
    french = {article_id for article_id in kept if matcher._by_id[article_id].key.french}
    assert matcher._french == len(french) and set().union(*matcher._french_by_token.values()) == french


def test_a_name_s_words_are_read_as_its_arabic_words_in_any_order_algeria_aside():
    # «Algérie Poste» is «بريد الجزائر»: poste is the post (بريد), not Algeria, which the two
    # scripts name in another order; before, poste was read as Algeria, and «Algérie Poste»
    # (an accent: not ASCII) was taken for an Arabic spelling.
    (poste,) = translated(frozenset({"post"})).known
    assert "بريد" in poste and "=country:dz" not in poste
