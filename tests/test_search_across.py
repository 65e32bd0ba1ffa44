"""A search typed in French that finds nothing as typed is read in Arabic, where most of the
archive is (news.search_across): which words it is read by, when it is not, and what the command
line says.  What a reader sees of it is in test_search_operators."""

from __future__ import annotations

import pytest

from bot.cli import main
from news.search import parse_query
from news.search_across import read_in_arabic


def test_each_word_is_read_by_its_arabic_words_and_a_place_by_its_arabic_name():
    reading = read_in_arabic(parse_query("séisme Tizi Ouzou"), "fr")
    assert reading is not None
    quake, place = reading.query.groups  # «Tizi Ouzou» typed without quotes is one place
    assert ("زلزال",) in quake and ("هزه", "ارضيه") in quake
    assert place == (("تيزي", "وزو"),)
    assert reading.said == "زلزال تيزي وزو"
    assert reading.search == 'زلزال OR "هزة أرضية" OR هزة OR زلزالا "تيزي وزو"'
    assert reading.follow == 'زلزال "تيزي وزو"'  # (each by one word: a follow takes no OR)
    # a name the table spells in both scripts is looked for by its own spelling, as written;
    # what is left out is read too
    reading = read_in_arabic(parse_query("Sonatrach contrat -Italie"), "fr")
    assert reading is not None and reading.said.startswith("سوناطراك ")
    assert ("ايطاليا",) in reading.query.excluded
    reading = read_in_arabic(parse_query("football -MCA"), "fr")
    assert reading is not None and reading.follow == '"كرة القدم" -"مولودية الجزائر"'


def test_english_words_are_read_too_and_each_language_by_its_own_words():
    reading = read_in_arabic(parse_query("oil prices -football"), "en")
    assert reading is not None and reading.said == "نفط أسعار"
    assert reading.search == 'نفط OR بترول OR زيت أسعار OR سعر -"كرة القدم"'
    # «report» is a postponement in French, not in English; «CAN» the Cup of Nations, never كان
    french = read_in_arabic(parse_query("report"), "fr")
    assert french is not None and french.said == "تأجيل"
    assert read_in_arabic(parse_query("report"), "en") is None
    assert "كان" not in (read_in_arabic(parse_query("CAN Maroc"), "fr") or french).search.split()


def test_words_between_the_things_looked_for_and_an_or_are_read_as_typed():
    reading = read_in_arabic(parse_query("earthquake at Tindouf"), "en")
    assert reading is not None and reading.said == "زلزال تندوف"
    reading = read_in_arabic(parse_query("séisme OR inondation Oran"), "fr")
    assert reading is not None and reading.said == "زلزال OR فيضانات وهران"
    assert reading.follow is None  # a follow takes no OR


@pytest.mark.parametrize(
    "typed",
    # typed in Arabic; a word no table reads; lowercase «or» (gold, in French); only names,
    # looked for in either script already (Gaza, Tebboune: not Palestine, not the presidency);
    # only places (the reply offers /wilaya; Algiers, الجزائر, would be all of Algeria)
    ["زلزال", "séisme xyzzyq", "earthquake xyzzyq", "Tindouf Bouzidi", "earthquake or flood", "Sonatrach", "Gaza",
     "Tebboune", "Algiers", "Tizi Ouzou", "Maroc"],
)
def test_no_reading_when_typed_in_arabic_a_word_has_no_arabic_one_or_only_names(typed):
    # A reading that dropped a word would find what the reader did not ask for.
    assert read_in_arabic(parse_query(typed), "en" if typed.startswith("earthquake") else "fr") is None


def test_the_command_line_search_says_when_it_read_the_words_in_arabic(cli_env, capsys):
    (cli_env / "one.jsonl").write_text('{"title": "أمطار غزيرة على ولاية بشار"}\n', encoding="utf-8")
    assert main(["import", str(cli_env / "one.jsonl")]) == 0
    capsys.readouterr()
    assert main(["search", "pluies", "Béchar"]) == 0
    out, err = capsys.readouterr()
    assert "[أمطار] غزيرة على ولاية [بشار]" in out  # (the words found by in brackets)
    assert "no results for 'pluies Béchar' as typed; results for 'أمطار بشار', in Arabic" in err
