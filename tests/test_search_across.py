"""A search typed in French that finds nothing as typed is read in Arabic, where most of the
archive is (news.search_across): which words it is read by, when it is not, and what the command
line says.  What a reader sees of it is in test_search_operators."""

from __future__ import annotations

import pytest

from bot.cli import main
from news.search import parse_query
from news.search_across import read_in_arabic


def test_each_word_is_read_by_its_arabic_words_and_a_place_by_its_arabic_name():
    reading = read_in_arabic(parse_query("séisme Tizi Ouzou"))
    assert reading is not None
    quake, place = reading.query.groups  # «Tizi Ouzou» typed without quotes is one place
    assert ("زلزال",) in quake and ("هزه", "ارضيه") in quake
    assert place == (("تيزي", "وزو"),)
    assert reading.said == "زلزال تيزي وزو"
    # a name the table spells in both scripts is looked for in Arabic; what is left out, too
    reading = read_in_arabic(parse_query("Sonatrach contrat -Italie"))
    assert reading is not None and reading.said.startswith("سوناطراك ")
    assert ("ايطاليا",) in reading.query.excluded


def test_english_words_are_read_too():
    reading = read_in_arabic(parse_query("oil prices -football"))
    assert reading is not None and reading.said == "نفط أسعار"
    assert reading.search == 'نفط OR بترول أسعار OR سعر -"كرة القدم"'


@pytest.mark.parametrize("typed", ["زلزال", "séisme xyzzyq", "earthquake xyzzyq", "Tindouf Bouzidi"])
def test_no_reading_when_typed_in_arabic_or_a_word_has_no_arabic_one(typed):
    # A reading that dropped a word would find what the reader did not ask for.
    assert read_in_arabic(parse_query(typed)) is None


def test_the_command_line_search_says_when_it_read_the_words_in_arabic(cli_env, capsys):
    (cli_env / "one.jsonl").write_text('{"title": "أمطار غزيرة على ولاية بشار"}\n', encoding="utf-8")
    assert main(["import", str(cli_env / "one.jsonl")]) == 0
    capsys.readouterr()
    assert main(["search", "pluies", "Béchar"]) == 0
    out, err = capsys.readouterr()
    assert "[أمطار] غزيرة على ولاية [بشار]" in out  # (the words found by in brackets)
    assert "no results for 'pluies Béchar' as typed; results for 'أمطار بشار', in Arabic" in err
