"""Long CLI work shows tqdm's bar on stderr when it is a terminal, and nothing otherwise."""

import io
import sys

from bot.cli import main
from bot.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_import_and_export_show_a_bar_on_a_terminal_only(cli_env, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("AKHBAR_LOG_LEVEL", "WARNING")  # the log goes to stderr too
    assert main(["import", str(data_dir / "import-mixed.jsonl")]) in (0, 1)
    assert main(["export", "-o", str(cli_env / "piped.jsonl")]) == 0
    assert "|" not in capsys.readouterr().err  # a pipe: no bar
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["import", str(data_dir / "import-mixed.jsonl")]) in (0, 1)
    assert main(["export", "-o", str(cli_env / "shown.jsonl")]) == 0
    shown = terminal.getvalue()
    assert "import-mixed.jsonl: " in shown and " lines" in shown
    exported = len((cli_env / "shown.jsonl").read_text(encoding="utf-8").splitlines())
    assert "export: 100%" in shown and f"{exported}/{exported}" in shown


def test_a_bar_per_stage_each_left_on_its_line():
    terminal = Terminal()
    with Progress(terminal) as progress:
        progress.stage("sources", total=2, unit=" sources")
        progress.advance()
        progress.advance()
        progress.stage("articles", total=10, unit=" rows")
        progress.reach(10)
    shown = terminal.getvalue()
    assert "sources: 100%" in shown and "2/2" in shown and "articles: 100%" in shown and shown.endswith("\n")
    silent = io.StringIO()
    with Progress(silent) as progress:
        progress.stage("articles", total=10)
        progress.reach(10)
    assert silent.getvalue() == ""
