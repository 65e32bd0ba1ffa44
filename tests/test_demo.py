"""`akhbar demo`: the whole bot offline, as a newcomer first meets it."""

import subprocess
import sys

import pytest

from bot.cli import main

from .conftest import ROOT


@pytest.mark.slow  # the demo waits for the bot to go quiet after each message
def test_demo_says_and_prints_the_transcript(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["demo", "--say", "/start", "--say", "/latest 2", "--say", "#2", "--say", "/read_1", "--say", "/nope"]) == 0
    out = capsys.readouterr().out
    assert "30 sample articles loaded" in out
    assert "👤 /start" in out and "مرحبا Demo" in out and "[#1] 🔔" in out
    assert out.count("/read_") >= 12  # /latest 2, then the "latest" button's 10
    assert "مجلس الوزراء يصادق" in out and "اقرأ في المصدر" in out
    assert "لا أعرف هذا الأمر" in out
    assert not list(tmp_path.iterdir())  # the demo database lived in a temporary folder


def test_python_dash_m_bot_is_the_akhbar_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--lang", "en", "--say", "/help"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": "", "PYTHONPATH": str(ROOT)},  # the checkout's bot
    )
    assert result.returncode == 0, result.stderr
    assert "The list of commands" in result.stdout
