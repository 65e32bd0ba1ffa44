"""`akhbar demo`: the whole bot offline, as a newcomer first meets it."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.cli import main
from bot.demo import load_demo_articles
from storage.articles import ArticleRepository
from storage.db import Database

from .conftest import ROOT


@pytest.mark.slow  # the demo waits for the bot to go quiet after each message
def test_demo_says_and_prints_the_transcript(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    says = ["/start", "/latest 2", "#2", "/read_1", "#1", "@akhbar_demo_bot وهران", "/nope"]
    assert main(["demo", *(arg for say in says for arg in ("--say", say))]) == 0
    out = capsys.readouterr().out
    assert "30 sample articles loaded" in out
    assert "👤 /start" in out and "مرحبا Demo" in out and "[#1] 🔔" in out
    assert out.count("/read_") >= 12  # /latest 2, then the "latest" button's 10
    assert "مجلس الوزراء يصادق" in out and "اقرأ في المصدر" in out
    assert "لا أعرف هذا الأمر" in out
    # /read_1's share button types its reference in inline mode, which offers that article.
    assert "[#1] 📤 مشاركة" in out and "👤 @akhbar_demo_bot read_1\n🔎 مجلس الوزراء يصادق" in out
    assert "🔎 مولودية وهران" in out
    assert not list(tmp_path.iterdir())  # the demo database lived in a temporary folder


def test_pressing_a_button_before_any_message_has_one_is_no_such_button(tmp_path, monkeypatch, capsys):
    # "#1" went to the bot as a message: a hint, or a search for "#99" finding nothing.
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--say", "#1", "--say", "#99"]) == 0
    out = capsys.readouterr().out
    assert out.count("(no such button)") == 2 and "🤖" not in out


def test_python_dash_m_bot_is_the_akhbar_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--lang", "en", "--say", "/help"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": "", "PYTHONPATH": str(ROOT)},  # the checkout's bot
    )
    assert result.returncode == 0, result.stderr
    assert "The list of commands" in result.stdout


def test_the_demo_never_touches_the_operators_database_admins_or_ports(tmp_path):
    """Run beside the real bot, with its settings in the environment: the demo keeps to its own
    throwaway file and stand-in (here the real database is unreachable, and its metrics port
    taken: the demo answers all the same)."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            "PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": "", "PYTHONPATH": str(ROOT),
            "AKHBAR_DATABASE_URL": "postgresql://akhbar@127.0.0.1:1/production",
            "AKHBAR_METRICS_LISTEN": f"127.0.0.1:{port}", "AKHBAR_ADMINS": "42",
        }
        result = subprocess.run(
            [sys.executable, "-m", "bot", "demo", "--lang", "en", "--say", "/help"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env,
        )
    assert result.returncode == 0, result.stderr
    assert "The list of commands" in result.stdout


async def test_the_samples_are_dated_from_the_moment_the_demo_starts(tmp_path):
    start = datetime(2031, 3, 9, 5, 30, tzinfo=UTC)  # whenever it runs
    assert await load_demo_articles(tmp_path / "demo.db", now=start) == 30
    async with Database(tmp_path / "demo.db") as db:
        articles = await ArticleRepository(db).latest(100)
    newest, oldest = articles[0], articles[-1]
    assert start - timedelta(days=1) < newest.published_at <= start and newest.fetched_at == start
    assert newest.title.startswith("حملة تطوعية لتنظيف الغابات")  # the newest sample is still the newest
    assert newest.published_at.astimezone(timezone(timedelta(hours=1))).strftime("%H:%M") == "12:40"  # its time of day
    assert start - timedelta(days=4) < oldest.published_at


async def test_a_reader_who_never_had_a_digest_gets_the_last_day_of_the_demo_news(world):
    """Samples with fixed dates (late November 2026) made a demo run a week later answer /digest
    with «nothing new since your last digest», to a reader who never had one."""
    (digest,) = await world.ask(7301, "/digest")
    assert "موجزك اليومي" in digest["text"] and "أول موجز لك: أخبار آخر 24 ساعة" in digest["text"]
    assert "حملة تطوعية لتنظيف الغابات" in digest["text"] and "/read_" in digest["text"]
    await world.ask(7302, "/lang en")
    (digest,) = await world.ask(7302, "/digest")
    assert "Your first digest: the news of the last 24 hours." in digest["text"]
