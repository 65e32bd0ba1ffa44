"""What the `akhbar` commands that write to standard output do when it cannot be written:
closed by the shell (`>&-`), on a full disk, or read by a reader that stops (`| head -1`)."""

import os
import subprocess

import pytest

from bot.cli import main

from .conftest import akhbar_process

# Every command whose output is standard output (each with something to write).
WRITERS = [["export"], ["stats"], ["sources", "export"], ["search", "الجزائر"], ["db", "migrate"], ["--help"]]


@pytest.fixture
def stored(cli_env):
    """A database with an article and a source, for the commands to have something to write."""
    (cli_env / "one.jsonl").write_text('{"title": "أمطار غزيرة في الجزائر العاصمة"}\n', encoding="utf-8")
    assert main(["import", str(cli_env / "one.jsonl")]) == 0
    assert main(["sources", "add", "https://news.example.dz/feed.xml"]) == 0
    return cli_env


def _run(args: list[str], **popen) -> tuple[int, str]:
    with akhbar_process(args, stderr=subprocess.PIPE, **popen) as akhbar:
        err = akhbar.stderr.read().decode()
        return akhbar.wait(timeout=60), err


def _stdout_closed() -> None:  # in the child, before it starts: as `>&-` leaves it
    os.close(1)


@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_a_closed_standard_output_is_one_line_and_status_2(stored, args):
    # Before: a traceback (AttributeError: 'NoneType' object has no attribute 'write'), or
    # "Exception ignored … Bad file descriptor" and status 120.
    status, err = _run(args, preexec_fn=_stdout_closed)
    assert status == 2, err
    assert err.splitlines()[-1] == "akhbar: cannot write to standard output: Bad file descriptor"
    assert "Traceback" not in err and "Exception ignored" not in err
    assert "exported" not in err  # nothing was: not said to be


def test_a_full_disk_under_standard_output_is_said_so(stored):
    with open("/dev/full", "w") as full:
        status, err = _run(["export"], stdout=full)
    assert status == 2 and err.splitlines()[-1] == "akhbar: cannot write to standard output: No space left on device"
    assert "Traceback" not in err and "Exception ignored" not in err


def test_a_command_that_writes_a_file_needs_no_standard_output(stored):
    status, err = _run(["export", "-o", str(stored / "all.jsonl")], preexec_fn=_stdout_closed)
    assert status == 0 and err.splitlines()[-1] == "exported 1 article"
    assert "أمطار غزيرة" in (stored / "all.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_a_reader_gone_ends_every_writer_quietly(stored, args):
    # `akhbar stats | head -0`: status 141 as `cat` gives, not a word on stderr.
    with akhbar_process(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as akhbar:
        akhbar.stdout.close()
        err = akhbar.stderr.read().decode()
        assert akhbar.wait(timeout=60) == 141
    assert err == ""


def test_one_of_a_thing_is_counted_in_the_singular(stored, capsys):
    # Before: "exported 1 articles", "1 rows", "1 articles indexed", "regrouped 1 articles: …
    # 1 stories", "imported 1 new sources of 1" (and in the log, "1 processes live").
    capsys.readouterr()
    assert main(["export", "-o", str(stored / "all.jsonl")]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "exported 1 article"
    assert main(["db", "copy", "--to", str(stored / "copy.db")]) == 0
    out = capsys.readouterr().out
    assert "articles                  1 row,           1 added" in out and "sources                   1 row, " in out
    assert "search index: 1 article indexed" in out
    assert main(["stories-rebuild"]) == 0
    assert "regrouped 1 article: 0 filed under another story, 1 story" in capsys.readouterr().out
    (stored / "one.opml").write_text(
        '<opml version="2.0"><body><outline text="x" xmlUrl="https://other.example.dz/rss"/></body></opml>'
    )
    assert main(["sources", "import", str(stored / "one.opml")]) == 0
    assert capsys.readouterr().out == "imported 1 new source of 1 in the file\n"
