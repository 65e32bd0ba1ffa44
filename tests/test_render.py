"""Every message Telegram receives is escaped, right-to-left where Arabic, and within 4096 units."""

from datetime import UTC, datetime

import pytest

from bot import views
from bot.i18n import STRINGS, t_count
from bot.render import LRM, RLM, directed, escape, in_reader_language, paginate, split_text, visible_length
from news.model import Article
from news.text import utf16_len


def make(title="عنوان", body="", **kw):
    fields = dict(id=7, title=title, body=body, summary="", url=None, source="المصدر",
                  published_at=datetime(2026, 11, 29, 6, 0, tzinfo=UTC),
                  fetched_at=datetime(2026, 11, 29, 6, 5, tzinfo=UTC), lang="ar", topics=())
    fields.update(kw)
    return Article(**fields)


def test_escape_keeps_hostile_markup_as_text():
    assert escape('<script>alert(1)</script> & <a href="javascript:x">') == (
        '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href="javascript:x"&gt;'
    )


@pytest.mark.parametrize("line", ["174 مستوطنا اقتحموا", '"COP31": الجزائر تدعو', "🇩🇿 الخضر"])
def test_lines_that_would_render_left_to_right_start_with_rlm_in_arabic(line):
    assert directed(line, rtl=True) == RLM + line
    assert directed("/read_12", rtl=True) == RLM + LRM + "/read_12"


def test_a_command_in_a_right_to_left_line_keeps_its_slash_in_front():
    # Before: «الشروق · 12:40 · /read_21» showed as «read_21/ · 12:40 · الشروق», «اكتب /latest»
    # as «latest/ اكتب»: the slash, a neutral, went to the Arabic side of the command.
    assert directed("الشروق نيوز · 07-12-2026 12:40 · /read_21", rtl=False) == (
        RLM + "الشروق نيوز · 07-12-2026 12:40 · " + LRM + "/read_21"
    )
    assert directed("اكتب /latest أو /help.", rtl=True) == RLM + "اكتب " + LRM + "/latest أو " + LRM + "/help."
    assert directed(RLM + "• خبر (/topic رياضة)", rtl=True) == RLM + "• خبر (" + LRM + "/topic رياضة)"
    # No slash of a link's address, a date, «و/أو», a zone name; no line left-to-right; once only.
    link = '<a href="https://aps.dz/ar/x">وكالة</a> و/أو 12/05 Etc/GMT-3'
    assert directed(link, rtl=True) == RLM + link
    assert directed("Le Sport · /read_3", rtl=True) == "Le Sport · /read_3"
    assert directed(directed("اكتب /latest", rtl=True), rtl=True) == RLM + "اكتب " + LRM + "/latest"


def test_french_line_in_arabic_message_keeps_its_direction_and_arabic_line_in_french_gets_rlm():
    assert directed("Le Sport · /read_3", rtl=True) == "Le Sport · /read_3"
    assert directed("أمطار رعدية", rtl=False) == RLM + "أمطار رعدية"
    assert directed("a\n\nb", rtl=False) == "a\n\nb"


def test_a_french_or_english_sentence_quoting_arabic_reads_left_to_right():
    # Started with U+200F, the whole sentence was laid out right-to-left, its words reversed.
    assert directed("No results for “سوناطراك”", rtl=False) == "No results for “سوناطراك”"
    assert directed("✅ Vous recevrez les nouvelles qui contiennent : سوناطراك", rtl=False)[0] != RLM
    # A headline mostly in Arabic reads right-to-left, whatever its first word.
    assert directed("BAC 2026: نتائج امتحان شهادة البكالوريا · /read_4", rtl=False).startswith(RLM)
    assert directed("<b>3</b> قتلى في حادث مرور", rtl=False).startswith(RLM)
    assert directed("عاجل: Ooredoo Algérie تطلق خدمة 5G · /read_9", rtl=False).startswith(RLM)  # begins in Arabic


def test_a_sentence_of_the_reader_s_language_takes_its_direction_whatever_it_quotes():
    # A reader's sentence mostly quoting Arabic is still theirs: directed() would turn it around.
    assert in_reader_language("<i>You follow: الحماية المدنية</i>", rtl=False) == "<i>You follow: الحماية المدنية</i>"
    assert in_reader_language("🔔 3 more stories about: الحماية المدنية, سوناطراك — /latest", rtl=False)[0] != RLM
    assert in_reader_language("الحماية المدنية n'est plus masqué.", rtl=False) == LRM + "الحماية المدنية n'est plus masqué."
    assert in_reader_language("تتابع: Oran", rtl=True) == RLM + "تتابع: Oran"


def test_visible_length_counts_text_after_entity_parsing():
    assert visible_length("<b>A &amp; B</b>") == 5


def test_split_text_cuts_at_paragraphs_and_never_exceeds_the_limit():
    paragraphs = ["فقرة رقم %d. " % i + "كلمة " * 300 for i in range(20)]
    pieces = split_text("\n\n".join(paragraphs), 4000)
    assert all(utf16_len(p) <= 4000 for p in pieces)
    assert "".join(pieces).replace("\n", "") == "".join(paragraphs).replace("\n", "")
    assert all(piece.startswith("فقرة رقم") for piece in pieces)  # whole paragraphs only


def test_split_text_cuts_one_huge_paragraph_between_words():
    pieces = split_text("كلمة " * 5000, 1000)
    assert all(utf16_len(p) <= 1000 for p in pieces)
    assert all(not p.startswith(" ") and "كلم " not in p for p in pieces)


def test_paginate_splits_only_between_items():
    items = [f"<b>خبر {i}</b>\n" + "نص " * 100 for i in range(30)]
    messages = paginate(items, separator="\n\n")
    assert len(messages) > 1
    assert all(visible_length(m) <= 4096 for m in messages)
    assert sum(m.count("<b>") for m in messages) == 30
    assert all(m.startswith("<b>") for m in messages)


def test_long_article_becomes_numbered_parts_each_valid(data_dir):
    body = (data_dir / "long-article.txt").read_text(encoding="utf-8")
    assert len(body) >= 20_000
    parts = views.article_messages(make(body=body, url="https://example.dz/a"), "ar", "Africa/Algiers")
    assert len(parts) >= 5
    assert all(visible_length(p) <= 4096 for p in parts)
    assert all(f"من {len(parts)}" in p for p in parts)
    assert parts[0].startswith(RLM + "<b>عنوان</b>")
    assert 'href="https://example.dz/a"' in parts[-1]


def test_headline_shows_time_in_the_readers_zone_and_a_read_link():
    item = views.headline(make(title="<عاجل> & خبر"), "ar", "Africa/Algiers")
    assert "&lt;عاجل&gt; &amp; خبر" in item
    assert "29-11-2026 07:00" in item  # 06:00 UTC is 07:00 in Algiers
    assert item.endswith("/read_7")


def test_every_language_has_the_same_sentences_but_for_its_own_grammatical_numbers():
    def sentences(lang: str) -> set[str]:
        forms = ("_zero", "_one", "_two", "_few", "_many", "_other")
        return {key for key in STRINGS[lang] if not key.endswith(forms)}

    assert sentences("ar") == sentences("fr") == sentences("en")


@pytest.mark.parametrize(
    ("lang", "count", "shown"),
    [
        ("ar", 1, "(+1 مصدر)"),
        ("ar", 2, "(+2 مصدران)"),
        ("ar", 3, "(+3 مصادر)"),
        ("ar", 10, "(+10 مصادر)"),
        ("ar", 11, "(+11 مصدرا)"),
        ("ar", 100, "(+100 مصدر)"),
        ("ar", 103, "(+103 مصادر)"),
        ("fr", 1, "(+1 source)"),
        ("fr", 2, "(+2 sources)"),
        ("en", 1, "(+1 source)"),
        ("en", 5, "(+5 sources)"),
    ],
)
def test_other_sources_are_counted_in_the_readers_grammar(lang, count, shown):
    # "(+1 مصادر)" / "(+1 sources)" read wrong: one source is singular, two are Arabic's dual.
    assert t_count(lang, "more_sources", count) == shown


def test_french_elides_de_before_a_name_that_begins_with_a_vowel():
    from bot.i18n import t

    assert "de la wilaya d'<b>Oran</b>" in t("fr", "follow_done_wilaya", what="Oran")
    assert "de la wilaya d'<b>El Bayadh</b>" in t("fr", "follow_done_wilaya", what="El Bayadh")
    assert "de la wilaya de <b>Tlemcen</b>" in t("fr", "follow_done_wilaya", what="Tlemcen")
    assert t("fr", "wilaya_empty", name="Aïn Defla") == "Pas encore de nouvelles de la wilaya d'Aïn Defla."
