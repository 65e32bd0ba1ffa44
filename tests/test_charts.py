"""The /stats chart's PNG: a real picture of the right size, and Arabic drawn as Arabic is
read — letters joined, right to left — checked against what a wrong rendering draws."""

import io
import struct
from datetime import UTC, datetime

import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from bot.charts import DPI, FONT, HEIGHT_IN, WIDTH_IN, draw_png, labels_for
from news.activity import DailyCounts, series

NOW = datetime(2026, 12, 5, 9, tzinfo=UTC)
WORD = "سلم"  # seen + lam + meem: three letters that join, each form distinct
# The same word as a correct renderer lays it out, in glyphs that need no shaping (Arabic
# Presentation Forms), held left to right by an override: final meem, medial lam, initial seen.
JOINED = "\u202d\ufee2\ufee0\ufeb3\u202c"
# What a renderer that does not shape draws: each letter in its isolated form.
ISOLATED = "\u202d\ufee1\ufedd\ufeb1\u202c"
# What a renderer that shapes but ignores the direction draws: the joined forms left to right.
LEFT_TO_RIGHT = "\u202d\ufeb3\ufee0\ufee2\u202c"


def pixels(png: bytes):
    return imread(io.BytesIO(png))


def text_png(text: str) -> bytes:
    """`text` alone, in the chart's font."""
    figure = Figure(figsize=(3, 1), dpi=100)
    figure.text(0.5, 0.5, text, ha="center", va="center", fontsize=24, family=FONT)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def test_arabic_is_shaped_and_right_to_left_in_the_charts_font():
    drawn = pixels(text_png(WORD))
    assert (drawn == pixels(text_png(JOINED))).all()
    assert not (drawn == pixels(text_png(ISOLATED))).all()
    assert not (drawn == pixels(text_png(LEFT_TO_RIGHT))).all()
    # and the word is drawn at all: not the blank a missing glyph or an empty string gives
    assert not (drawn == pixels(text_png(""))).all()


def activity_with_source(name: str):
    counts = DailyCounts(articles=[("2026-12-05", name, 7), ("2026-12-04", name, 3)], readers_before=5,
                         joined=[("2026-12-01", 2)], left=[], digests=[("2026-12-05", 4)], alerts=[("2026-12-05", 1)])
    return series(counts, NOW)


def test_the_chart_is_a_png_of_its_size():
    png = draw_png(activity_with_source("الشروق"), labels_for("ar"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (WIDTH_IN * DPI, HEIGHT_IN * DPI)
    assert 10_000 < len(png) < 1_000_000


@pytest.mark.slow
def test_the_charts_arabic_source_names_are_joined_not_isolated():
    """The whole chart, drawn as the bot draws it: a source named in Arabic comes out exactly
    as its letters' joined forms would, and not as their isolated forms (the forms here are in
    the word's own order: whichever way the renderer orders a line, it orders them alike)."""
    labels = labels_for("ar")
    drawn = pixels(draw_png(activity_with_source(WORD), labels))
    assert (drawn == pixels(draw_png(activity_with_source("\ufeb3\ufee0\ufee2"), labels))).all()
    assert not (drawn == pixels(draw_png(activity_with_source("\ufeb1\ufedd\ufee1"), labels))).all()


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_every_language_has_the_charts_words(lang):
    labels = labels_for(lang)
    assert labels.articles and labels.other and labels.readers and labels.rtl == (lang == "ar")
    assert "<" not in labels.articles + labels.deliveries  # plain text: nothing is HTML in a picture


# --- akhbar stats [--png FILE] ------------------------------------------------------------


def test_akhbar_stats_prints_the_last_thirty_days_and_draws_them(cli_env, data_dir, capsys):
    from bot.cli import main

    assert main(["import", str(data_dir / "import-mixed.jsonl")]) == 1  # a few lines rejected on purpose
    added = int(capsys.readouterr().out.split("added ")[1].split(",")[0])
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    today = datetime.now(UTC).date().isoformat()
    (line,) = [line for line in out.splitlines() if line.startswith(today)]
    assert line.split()[1] == str(added)  # today's articles, as imported
    assert len([line for line in out.splitlines() if line[:4].isdigit() and line[4] == "-"]) == 30
    assert "articles by source over 30 days:" in out

    assert main(["stats", "--png", str(cli_env / "chart.png"), "--lang", "fr"]) == 0
    png = (cli_env / "chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (WIDTH_IN * DPI, HEIGHT_IN * DPI)


@pytest.mark.parametrize("where", ["missing/chart.png", ".", "/dev/full"])  # the last: a disk that is full
def test_a_chart_that_cannot_be_written_is_one_clear_line_and_a_failure(cli_env, capsys, where):
    from bot.cli import main

    assert main(["db", "migrate"]) == 0  # the bot's database, there
    assert main(["stats", "--png", str(cli_env / where)]) == 2
    err = capsys.readouterr().err
    assert err.count("akhbar: cannot write the chart to ") == 1 and "Traceback" not in err
    assert not (cli_env / "missing").exists()
