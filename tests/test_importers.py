"""`akhbar import` and `akhbar export`, as an operator runs them."""

import asyncio
import json
import os
import subprocess
import time
from contextlib import nullcontext
from pathlib import Path

import pytest

from bot.cli import main
from news.importers import parse_aggregator_page

from .conftest import ENGINES, akhbar_process, interrupted_midway, pg_schema, some_stored, stored_articles


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    for name in ("TELEGRAM_BOT_TOKEN", "AKHBAR_LOG_LEVEL", "AKHBAR_TIMEZONE", "AKHBAR_DIGEST_TIME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AKHBAR_DB", str(tmp_path / "akhbar.db"))
    return tmp_path


def test_aggregator_page_gives_headlines_and_one_clean_article(data_dir):
    text = (data_dir / "aggregator-page.txt").read_text(encoding="utf-8")
    parsed = [article for _, article in parse_aggregator_page(text, "agg")]
    assert all(not isinstance(a, str) for a in parsed)
    full, headlines = parsed[0], parsed[1:]
    assert len(headlines) >= 35
    assert all(not h.body and "\u00a0" not in h.title and h.title == h.title.strip() for h in headlines)
    assert full.body.count("\n\n") >= 3  # paragraphs kept
    for boilerplate in ("انقر هنا لقراءة الخبر من مصدره", "شكرا على الإبلاغ", "سيتم حجب هذه الصورة"):
        assert boilerplate not in full.body and boilerplate not in full.title
        assert all(boilerplate not in h.title for h in headlines)


def test_crlf_page_with_uneven_separators_parses_the_same_way(data_dir):
    text = (data_dir / "aggregator-page-2.txt").read_text(encoding="utf-8")
    parsed = [article for _, article in parse_aggregator_page(text, "agg2")]
    titles = [a.title for a in parsed]
    assert all("\r" not in t and "\u00a0" not in t for t in titles)
    assert parsed[0].body and "\r" not in parsed[0].body
    assert len(titles) >= 12


def test_import_reports_good_duplicate_and_broken_lines_exactly(env, data_dir, capsys):
    expected = json.loads((data_dir / "import-mixed.expected.json").read_text())
    code = main(["import", str(data_dir / "import-mixed.jsonl")])
    out, err = capsys.readouterr()
    assert code == 1  # some lines were rejected; the rest was imported
    assert f"added {expected['added']}, duplicates {expected['duplicates']}, rejected {expected['rejected']}" in out
    reported = [int(line.split(":")[1]) for line in err.splitlines() if ": rejected: " in line]
    assert reported == expected["rejected_lines"]
    assert "not valid JSON" in err and "title is missing" in err and "published_at" in err
    # Importing the same file again adds nothing.
    main(["import", str(data_dir / "import-mixed.jsonl")])
    assert f"added 0, duplicates {expected['added'] + expected['duplicates']}" in capsys.readouterr().out


def test_unreadable_files_are_a_clear_error_and_a_non_zero_exit(env, capsys):
    (env / "latin1.jsonl").write_bytes('{"title": "caf\xe9"}\n'.encode("latin-1"))
    assert main(["import", str(env / "missing.jsonl")]) == 2
    assert "missing.jsonl: no such file" in capsys.readouterr().err
    assert main(["import", str(env / "latin1.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "Traceback" not in err


def test_export_then_import_into_a_fresh_database_round_trips(env, data_dir, capsys, monkeypatch):
    main(["import", str(data_dir / "import-mixed.jsonl"), str(data_dir / "aggregator-page.txt")])
    capsys.readouterr()
    assert main(["export", "-o", str(env / "backup.jsonl")]) == 0
    records = [json.loads(line) for line in (env / "backup.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"id", "title", "url", "source", "published_at", "topics"} <= set(records[0])
    monkeypatch.setenv("AKHBAR_DB", str(env / "restored.db"))
    assert main(["import", str(env / "backup.jsonl")]) == 0
    assert f"added {len(records)}, duplicates 0, rejected 0" in capsys.readouterr().out
    main(["export", "-o", str(env / "again.jsonl")])
    again = [json.loads(line) for line in (env / "again.jsonl").read_text(encoding="utf-8").splitlines()]
    strip = lambda r: {k: v for k, v in r.items() if k not in ("id", "fetched_at")}  # noqa: E731
    assert sorted(map(json.dumps, map(strip, again))) == sorted(map(json.dumps, map(strip, records)))


def _akhbar_whose_reader_is_gone(args: list[str], stream: str) -> tuple[int, str]:
    """Run `akhbar ARGS` with its `stream` ("stdout" or "stderr") piped to a reader that closes
    the pipe before anything is written (so the buffer fails only when written, at the end);
    its exit status and what it said on the other stream."""
    other = "stderr" if stream == "stdout" else "stdout"
    with akhbar_process(args, **{stream: subprocess.PIPE, other: subprocess.PIPE}) as akhbar:  # its pipes closed after
        getattr(akhbar, stream).close()
        said = getattr(akhbar, other).read().decode()
        return akhbar.wait(timeout=60), said


def test_an_export_read_only_in_part_ends_quietly(env):
    # `akhbar export | head -1`: the reader closes the pipe after one line, long before the
    # export is written; the command stops without a traceback, as `cat` would.
    lines = (
        json.dumps({"title": f"خبر رقم {n} عن الاقتصاد الوطني", "body": "نص المقال " * 40}, ensure_ascii=False)
        for n in range(1500)
    )
    (env / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", str(env / "many.jsonl")]) == 0
    with akhbar_process(["export"], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as export:
        assert export.stdout is not None and export.stderr is not None
        first = json.loads(export.stdout.readline())
        export.stdout.close()
        err = export.stderr.read().decode()
        assert export.wait(timeout=60) == 141
    assert first["title"] == "خبر رقم 0 عن الاقتصاد الوطني"
    assert "Traceback" not in err and "Broken pipe" not in err
    # A short output, still in its buffer when the reader is gone: the same quiet end.
    (env / "one.jsonl").write_text('{"title": "خبر واحد"}\n', encoding="utf-8")
    assert main(["import", str(env / "one.jsonl")]) == 0
    status, err = _akhbar_whose_reader_is_gone(["export"], "stdout")
    assert status == 141 and err == ""


def test_rejections_read_only_in_part_end_quietly(env):
    # `akhbar import bad.jsonl 2>&1 | head -1`: the rejected lines go to a reader that is gone.
    (env / "bad.jsonl").write_text('{"body": "بلا عنوان"}\n' * 3000, encoding="utf-8")
    status, out = _akhbar_whose_reader_is_gone(["import", str(env / "bad.jsonl")], "stderr")
    assert status == 141 and "Traceback" not in out


@pytest.mark.parametrize("name, text", [
    ("list.opml", '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n    <title>Akhbar sources'
                  '</title>\n  </head>\n  <body>\n    <outline text="الخبر" xmlUrl="https://elkhabar.dz/rss"/>\n'
                  '  </body>\n</opml>\n'),
    ("saved.txt", "\n\n  <html><head><title>الخبر</title></head>\n<body><p>نص</p></body></html>\n"),
])
def test_importing_markup_is_refused_and_stores_nothing(env, capsys, name, text):
    # `akhbar import list.opml` (meant: `akhbar sources import`) stored "<?xml version=…>" and
    # "Akhbar sources" as news headlines, status 1 with "title is empty" for each other line.
    (env / name).write_text(text, encoding="utf-8")
    assert main(["import", str(env / name)]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines()[-1] == (f"akhbar: {env / name}: XML or HTML, not JSON Lines nor an aggregator page's text; "
                                    "nothing imported (a list of feeds in OPML is for `akhbar sources import`)")
    assert "rejected" not in err and "Traceback" not in err
    assert out == "added 0, duplicates 0, rejected 0\n"
    assert stored_articles(env / "akhbar.db") == 0


NOT_A_FORMAT = (
    "neither JSON Lines (.jsonl, .ndjson, .json: a JSON object a line) nor an aggregator page (.txt: headlines "
    "between runs of no-break spaces, then an article); nothing imported"
)


@pytest.mark.parametrize("name, text", [
    ("notes.md", "# ملاحظات\n\n- أمطار في وهران\n- مباراة الغد\n"),
    ("titles.csv", "title,url\nأمطار غزيرة في وهران,https://example.dz/1\n"),
    ("notes", "ملاحظات الاجتماع\nأمطار في وهران\n"),
    ("-", "ملاحظات الاجتماع\nأمطار في وهران\n"),
], ids=["notes.md", "csv", "no suffix", "stdin"])
def test_text_that_is_neither_json_lines_nor_a_page_is_refused_naming_the_formats(env, capsys, monkeypatch, name, text):
    # Before: any text file not .jsonl was read as an aggregator page: each line of notes.md
    # or of a CSV stored as a headline ("title,url" in /latest, alerts to followers), status 0.
    import io
    import sys

    if name == "-":
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        args, shown = ["import", "-", "--source", "وكالة"], "<stdin>"
    else:
        (env / name).write_text(text, encoding="utf-8")
        args, shown = ["import", str(env / name)], str(env / name)
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert err.splitlines()[-1] == f"akhbar: {shown}: {NOT_A_FORMAT}"
    assert "Traceback" not in err and out == "added 0, duplicates 0, rejected 0\n"
    assert stored_articles(env / "akhbar.db") == 0


def test_a_page_is_told_by_its_run_of_headlines_without_its_txt(env, data_dir, capsys):
    (env / "page-saved").write_bytes((data_dir / "aggregator-page.txt").read_bytes())
    assert main(["import", str(env / "page-saved")]) == 0
    added = int(capsys.readouterr().out.split(",")[0].removeprefix("added "))
    assert added >= 36 and stored_articles(env / "akhbar.db", "source = 'page-saved'") == added


@pytest.mark.parametrize("command", [
    ["export", "-o", "backup.jsonl"], ["search", "وهران"], ["digest", "--dry-run"], ["stats"], ["stories-rebuild"],
    ["sources", "list"], ["sources", "export"], ["sources", "remove", "1"],
], ids=" ".join)
def test_a_command_that_reads_the_database_in_another_folder_says_so_and_makes_none(env, capsys, monkeypatch, command):
    # AKHBAR_DB is akhbar.db, relative: run in another folder than the bot's, each of these made
    # an empty database there and answered from it ("exported 0 articles", "0 active"), status 0.
    monkeypatch.setenv("AKHBAR_DB", "akhbar.db")
    assert main(command) == 2
    out, err = capsys.readouterr()
    name = " ".join(command[:2]) if command[0] == "sources" else command[0]
    assert out == "" and err == (
        f"akhbar: AKHBAR_DB=akhbar.db: no database at {env / 'akhbar.db'}; `akhbar {name}` reads the bot's and makes "
        "none: run it in the bot's folder, or set AKHBAR_DB (or AKHBAR_DATABASE_URL)\n"
    )
    assert not (env / "akhbar.db").exists() and not (env / "backup.jsonl").exists()


def test_operator_search_prints_matches_with_the_words_marked_and_json(env, data_dir, capsys):
    main(["import", str(data_dir / "aggregator-page.txt")])
    capsys.readouterr()
    assert main(["search", "امطار", "رعدية"]) == 0
    out = capsys.readouterr().out
    assert "[أمطار]" in out and "[رعدية]" in out
    assert main(["search", "--json", "--limit", "1", "الأمطار"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert "أمطار" in json.loads(line)["title"]
    assert main(["search", '"', "*"]) == 0
    assert "no results" in capsys.readouterr().err


@pytest.mark.parametrize("limit", ["0", "-5", "abc"])
def test_operator_search_refuses_a_limit_that_is_no_count(env, data_dir, capsys, limit):
    # --limit 0 and --limit -5 printed one result, as if asked for it.
    main(["import", str(data_dir / "aggregator-page.txt")])
    capsys.readouterr()
    with pytest.raises(SystemExit) as refused:
        main(["search", "--limit", limit, "الأمطار"])
    assert refused.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and f"argument --limit: must be a whole number from 1 up, got '{limit}'" in err


def test_a_line_cut_inside_a_string_says_where_without_at_at(env, capsys):
    (env / "cut.jsonl").write_text('{"title": "خبر بلا نهاية\n', encoding="utf-8")
    assert main(["import", str(env / "cut.jsonl")]) == 1
    assert "cut.jsonl:1: rejected: not valid JSON (Unterminated string starting at column 11)" in capsys.readouterr().err


COMMANDS = [
    ["run"], ["worker"], ["demo"], ["import"], ["export"], ["search"], ["digest"], ["sources"], ["sources", "add"],
    ["sources", "list"], ["sources", "remove"], ["sources", "import"], ["sources", "export"], ["fetch"], ["db"],
    ["db", "migrate"], ["db", "copy"], ["stats"], ["topics-eval"], ["stories-eval"], ["stories-train"],
    ["stories-rebuild"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_commands_help_says_what_it_does_and_every_argument(command, capsys):
    # `akhbar worker --help` said nothing but "usage: akhbar worker [-h]"; `sources remove`
    # showed "id" without a word, `sources export -o` no help at all.
    with pytest.raises(SystemExit) as shown:
        main([*command, "--help"])
    assert shown.value.code == 0
    out = capsys.readouterr().out
    usage, description, *arguments = out.split("\n\n")
    assert usage.startswith(f"usage: akhbar {' '.join(command)}") and description[:1].isupper() and description.endswith(".")
    lines = "\n".join(arguments).splitlines()
    listed = [line.split()[0] for line in lines if line.startswith("  ") and not line.startswith("   ")]
    undocumented = [line for line in lines if line.startswith("  ") and line.strip() in listed]
    assert not undocumented, undocumented  # each argument has its line of help


def test_topics_eval_prints_precision_recall_and_accuracy_per_topic(data_dir, capsys):
    assert main(["topics-eval", str(data_dir / "topics" / "dev.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "recall" in out and "accuracy" in out
    assert all(topic in out for topic in ("politics", "weather", "technology"))


def test_topics_eval_sums_up_both_kinds_and_all_parts_and_never_lists_a_blind_sets_misses(data_dir, tmp_path, capsys):
    # A blind held-out set that would have misses: one headline, labelled against what it says.
    blind = tmp_path / "holdout9.jsonl"
    blind.write_text('{"title": "أمطار رعدية غزيرة على الولايات الشرقية", "topics": ["sports"]}\n', encoding="utf-8")
    sets = [data_dir / "topics" / name for name in ("dev.jsonl", "holdout.jsonl", "pages-dev.jsonl", "pages-holdout.jsonl")]
    assert main(["topics-eval", "--misses", *map(str, sets), str(blind)]) == 0
    out = capsys.readouterr().out
    summary = out.split("kind ", 1)[1].splitlines()[1:]
    # The first held-out sets have been read since: they are tuning data now ("tuned").
    assert [line.split()[:2] for line in summary] == [
        ["clean", "dev"], ["clean", "tuned"], ["sample-page", "dev"], ["sample-page", "tuned"], ["clean", "held-out"]
    ]
    assert summary[-1].split()[3] == "0.00"
    # Misses are listed for the sets tuned on; a blind held-out set's are never shown.
    blind_report = out.split("holdout9.jsonl: ", 1)[1].split("\n\n", 1)[0]
    assert "(clean, held-out)" in blind_report and "miss:" not in blind_report


async def _due_subscriber(db_path):
    from datetime import UTC, datetime, time, timedelta

    from news.articles import make_article
    from news.ingest import Ingestor
    from storage.articles import ArticleRepository
    from storage.chats import ChatRepository
    from storage.db import Database

    now = datetime.now(UTC)
    async with Database(db_path) as db:
        await (await Ingestor.open(ArticleRepository(db))).add_many(
            [make_article(title="أمطار رعدية على الولايات الشرقية", topics=["weather"])], fetched_at=now - timedelta(hours=2)
        )
        chats = ChatRepository(db)
        await chats.ensure(42, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))
        await chats.set_subscribed(42, True, next_due=now - timedelta(minutes=5))


def test_digest_dry_run_prints_what_would_be_sent_and_sends_nothing(env, capsys):
    import asyncio

    asyncio.run(_due_subscriber(env / "akhbar.db"))
    assert main(["digest", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert "--- chat 42" in out and "أمطار رعدية" in out and "موجزك اليومي" in out
    assert "1 digest due" in err
    assert main(["digest", "--dry-run", "--chat", "43"]) == 0
    assert "0 digests due" in capsys.readouterr().err
    assert main(["digest", "--dry-run"]) == 0  # still due: the dry run recorded nothing
    assert "--- chat 42" in capsys.readouterr().out


def test_a_link_with_spaces_or_control_characters_is_refused():
    from news.articles import InvalidArticle, make_article

    for url in ("https://a.example.dz/x\x01y", "https://a.example.dz/a b", "https://a.example.dz/\u200fx"):
        with pytest.raises(InvalidArticle):
            make_article(title="خبر", url=url)
    assert make_article(title="خبر", url="https://a.example.dz/%20x").url == "https://a.example.dz/%20x"


def test_an_imported_title_loses_its_markup_balanced_or_not():
    from news.importers import parse_jsonl

    lines = [json.dumps({"title": t}, ensure_ascii=False) for t in ("خبر <b>", "<i>زلزال</i> بجيجل", "<b></b>")]
    parsed = [article for _, article in parse_jsonl("\n".join(lines))]
    assert [a if isinstance(a, str) else a.title for a in parsed] == ["خبر", "زلزال بجيجل", "title is empty"]


def test_a_title_of_only_invisible_characters_is_rejected_with_its_reason(env, capsys):
    lines = [
        {"title": "\u200f\u200e\u200d"},  # bidi marks and a zero-width joiner
        {"title": "\u2067\u2069\ufeff\u200b \u00ad"},  # an isolate, a BOM, a zero-width space, a soft hyphen
        {"title": "\u200fخبر عاجل\u200f"},  # marks around words: a title
    ]
    (env / "invisible.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert main(["import", str(env / "invisible.jsonl")]) == 1
    out, err = capsys.readouterr()
    assert "added 1, duplicates 0, rejected 2" in out
    assert err.count("rejected: title is empty: only invisible characters") == 2
    assert "invisible.jsonl:1:" in err and "invisible.jsonl:2:" in err


def test_json_lines_with_cr_only_line_ends_import(env, capsys):
    titles = ["أمطار غزيرة على العاصمة", "افتتاح معرض الكتاب", "ارتفاع أسعار الخضر"]
    records = [json.dumps({"title": title, "body": "سطر\rآخر"}, ensure_ascii=False) for title in titles]
    (env / "mac.jsonl").write_bytes("\r".join([*records[:2], "{broken", records[2]]).encode())
    assert main(["import", str(env / "mac.jsonl")]) == 1
    out, err = capsys.readouterr()
    assert "added 3, duplicates 0, rejected 1" in out
    assert "mac.jsonl:3: rejected: not valid JSON" in err  # numbered by its CR-ended line


def test_db_copy_gives_a_searchable_copy_and_a_second_copy_indexes_nothing_twice(env, data_dir, capsys, monkeypatch):
    main(["import", str(data_dir / "import-mixed.jsonl")])
    capsys.readouterr()
    main(["search", "--json", "أسعار"])
    found = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert found
    for indexed in ("search index: ", "search index: 0 articles"):
        assert main(["db", "copy", "--to", str(env / "copy.db")]) == 0
        assert indexed in capsys.readouterr().out
    monkeypatch.setenv("AKHBAR_DB", str(env / "copy.db"))
    main(["search", "--json", "أسعار"])
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == found


def test_a_large_file_parsed_in_worker_processes_gives_the_same_report_line_by_line(env, data_dir, capsys, monkeypatch):
    """Issue 17: `akhbar import` parses a large JSON Lines file in worker processes, as the
    poller parses feeds, while it stores what they parsed: the same articles, duplicates and
    rejected lines (with their numbers) as when it parses everything itself."""
    from news import importers
    from news.workers import CpuWorkers

    monkeypatch.setattr(importers, "WORKERS_FROM_LINES", 1)  # this small file counts as large
    monkeypatch.setattr(importers, "_BATCH", 7)  # several batches, out to the worker at once
    monkeypatch.setenv("AKHBAR_WORKERS", "1")
    steps = []
    real_run = CpuWorkers.run

    async def noted(self, step, *args, **kwargs):
        steps.append(step.__name__)
        return await real_run(self, step, *args, **kwargs)

    monkeypatch.setattr(CpuWorkers, "run", noted)
    expected = json.loads((data_dir / "import-mixed.expected.json").read_text())
    assert main(["import", str(data_dir / "import-mixed.jsonl")]) == 1
    assert len(steps) >= 2 and set(steps) == {"parse_jsonl_lines"}
    out, err = capsys.readouterr()
    assert f"added {expected['added']}, duplicates {expected['duplicates']}, rejected {expected['rejected']}" in out
    assert [int(line.split(":")[1]) for line in err.splitlines() if ": rejected: " in line] == expected["rejected_lines"]
    main(["export", "-o", str(env / "via-workers.jsonl")])
    monkeypatch.setenv("AKHBAR_WORKERS", "0")
    monkeypatch.setenv("AKHBAR_DB", str(env / "here.db"))
    main(["import", str(data_dir / "import-mixed.jsonl")])
    main(["export", "-o", str(env / "here.jsonl")])
    assert set(steps) == {"parse_jsonl_lines"}  # none more: parsed here
    strip = lambda r: {k: v for k, v in r.items() if k not in ("fetched_at",)}  # noqa: E731
    read = lambda name: [strip(json.loads(line)) for line in (env / name).read_text(encoding="utf-8").splitlines()]  # noqa: E731
    assert read("via-workers.jsonl") == read("here.jsonl")


def test_an_import_with_workers_auto_prepares_in_one_worker_per_core(env, data_dir, capsys, monkeypatch):
    """The bot leaves a core to itself; an import, whose own process mostly waits on its
    workers, runs one on each core (AKHBAR_WORKERS=auto), and a number given is kept."""
    import os

    from news import importers
    from news.workers import CpuWorkers

    monkeypatch.setattr(importers, "WORKERS_FROM_LINES", 1)  # this small file counts as large
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    started = []
    real_init = CpuWorkers.__init__

    def noted(self, processes=None):
        real_init(self, processes)
        started.append(self.processes)

    monkeypatch.setattr(CpuWorkers, "__init__", noted)
    monkeypatch.delenv("AKHBAR_WORKERS", raising=False)
    assert main(["import", str(data_dir / "import-mixed.jsonl")]) == 1
    monkeypatch.setenv("AKHBAR_WORKERS", "1")
    monkeypatch.setenv("AKHBAR_DB", str(env / "again.db"))
    assert main(["import", str(data_dir / "import-mixed.jsonl")]) == 1
    assert started == [2, 1]


def test_an_import_merges_the_search_index_less_often_and_then_as_before(env, data_dir, capsys):
    # During an import the search index merges its segments once 16 are written, not 4 (the
    # same terms and ranks, fewer merges); afterwards, and after an import, as it was.
    import asyncio
    import sqlite3

    from storage.db import Database

    def automerge() -> int | None:
        with sqlite3.connect(env / "akhbar.db") as conn:
            row = conn.execute("SELECT v FROM article_search_config WHERE k = 'automerge'").fetchone()
        return None if row is None else int(row[0])

    assert main(["import", str(data_dir / "import-mixed.jsonl")]) == 1
    assert automerge() == 4
    assert main(["search", "الجزائر"]) == 0 and capsys.readouterr().out

    async def inside() -> int | None:
        async with Database(env / "akhbar.db") as db:
            async with db.bulk_writes():
                during = automerge()
            assert automerge() == 4
        return during

    assert asyncio.run(inside()) == 16

    # An import killed before it could set it back leaves 16: the next one puts FTS5's own back.
    with sqlite3.connect(env / "akhbar.db") as conn:
        conn.execute("INSERT INTO article_search (article_search, rank) VALUES ('automerge', 16)")
    assert main(["import", str(data_dir / "import-mixed.jsonl")]) == 1
    assert automerge() == 4


def _dated_lines(count: int, published_at: str = "2025-03-01T08:00:00Z") -> list[str]:
    return [
        json.dumps({"title": f"خبر رقم {n} عن الاقتصاد الوطني", "published_at": published_at}, ensure_ascii=False)
        for n in range(count)
    ]


@pytest.mark.parametrize(
    "zero",
    [
        "0001-01-02T00:00:00Z",  # within a day and a half of Go's and .NET's zero time
        "0001-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
        "9999-12-31T23:59:59Z",  # .NET's DateTime.MaxValue
    ],
)
def test_a_line_dated_at_a_zero_time_is_rejected_with_its_number_and_the_rest_is_stored(env, capsys, zero):
    # Before: OverflowError from the story matcher, a traceback, and none of the 60 good lines stored.
    lines = _dated_lines(60)
    lines.insert(30, json.dumps({"title": "خبر بلا تاريخ حقيقي", "published_at": zero}, ensure_ascii=False))
    (env / "zero.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", str(env / "zero.jsonl")]) == 1
    out, err = capsys.readouterr()
    assert "added 60, duplicates 0, rejected 1" in out
    (said,) = [line for line in err.splitlines() if ": rejected: " in line]
    assert said.startswith(f"{env / 'zero.jsonl'}:31: rejected: published_at is out of range: ")
    assert said.endswith("(a news date is from 1900 to 8999: leave published_at out if the article has none)")
    assert "Traceback" not in err
    assert main(["export", "-o", str(env / "stored.jsonl")]) == 0
    assert len((env / "stored.jsonl").read_text(encoding="utf-8").splitlines()) == 60


def test_a_number_too_long_to_read_makes_its_line_unreadable_json_and_the_rest_is_stored(env, capsys):
    # Before: "ValueError: Exceeds the limit (4300 digits) for integer string conversion", a traceback.
    lines = _dated_lines(3)
    lines.insert(1, '{"title": "خبر", "views": ' + "7" * 5000 + "}")
    (env / "huge-number.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", str(env / "huge-number.jsonl")]) == 1
    out, err = capsys.readouterr()
    assert "added 3, duplicates 0, rejected 1" in out
    said = [line for line in err.splitlines() if ": rejected: " in line]
    assert said == [f"{env / 'huge-number.jsonl'}:2: rejected: not valid JSON (a number of more than 4300 digits)"]
    assert "Traceback" not in err


def test_ctrl_c_during_an_import_says_so_exits_130_and_a_second_run_stores_the_rest(env, capsys):
    # Before: status 0 and not a word, as if the whole file had been imported.
    count = 20_000  # parsed in worker processes, stored 2,000 to a transaction: some seconds
    (env / "many.jsonl").write_text("\n".join(_dated_lines(count)) + "\n", encoding="utf-8")
    assert main(["db", "migrate"]) == 0  # the database made first: the import itself logs nothing
    status, err = interrupted_midway(["import", str(env / "many.jsonl")], some_stored(env / "akhbar.db"))
    assert status == 130
    assert err == (
        "akhbar: import interrupted: the articles stored so far stay stored; run it again to import the rest "
        "(those already stored are counted as duplicates)\n"
    )
    stored = stored_articles(env / "akhbar.db")
    assert 0 < stored < count
    assert main(["import", str(env / "many.jsonl")]) == 0
    assert f"added {count - stored}, duplicates {stored}, rejected 0" in capsys.readouterr().out
    assert stored_articles(env / "akhbar.db") == count


def test_ctrl_c_ends_every_one_off_command_with_130_and_the_bot_with_0(env, capsys, monkeypatch):
    # A script can tell an export or a copy cut short from a finished one; the bot and its
    # workers end by Ctrl-C, their normal stop (README: "polls Telegram until Ctrl-C / SIGTERM").
    import bot.app
    import bot.cli

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    assert main(["db", "migrate"]) == 0  # the bot's database, for the export to read
    capsys.readouterr()
    monkeypatch.setattr(bot.cli, "_export", interrupted)
    monkeypatch.setattr(bot.cli, "_db", interrupted)
    assert main(["export"]) == 130
    assert main(["db", "copy", "--to", str(env / "copy.db")]) == 130
    assert capsys.readouterr().err == (
        "akhbar: export interrupted: it did not finish\nakhbar: db copy interrupted: it did not finish\n"
    )
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAHk-not-a-real-token")
    monkeypatch.setattr(bot.app, "run", interrupted)
    monkeypatch.setattr(bot.app, "run_worker", interrupted)
    assert main(["run"]) == 0 and main(["worker"]) == 0
    assert capsys.readouterr().err == ""


# A module the program loads at start (bot.progress's tqdm), shadowed by one that says it is
# loading and then takes its time: Ctrl-C lands while Python is still importing the program.
_SLOW_IMPORT = """
import os, pathlib, time
pathlib.Path(os.environ["LOADING_MARK"]).touch()
time.sleep(120)
"""


@pytest.mark.parametrize("entry", [
    ["-m", "bot"],
    ["-c", "import sys; from bot.entry import main; sys.exit(main())"],  # what the installed `akhbar` script runs
], ids=["python -m bot", "akhbar"])
def test_ctrl_c_while_the_program_loads_is_one_line_and_130(env, entry):
    # Before: a traceback of whatever module was loading (tqdm's, asyncio's…), status 130.
    import signal
    import sys

    from .conftest import ROOT

    shadow = env / "shadow"
    shadow.mkdir()
    (shadow / "tqdm.py").write_text(_SLOW_IMPORT)
    mark = env / "loading"
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shadow), str(ROOT)]), "LOADING_MARK": str(mark)}
    with subprocess.Popen(
        [sys.executable, *entry, "export"], env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    ) as akhbar:
        deadline = time.monotonic() + 60
        while not mark.exists() and akhbar.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert mark.exists() and akhbar.poll() is None, "never reached the slow import"
        akhbar.send_signal(signal.SIGINT)
        out, err = akhbar.communicate(timeout=60)
    assert akhbar.returncode == 130
    assert (out, err.decode()) == (b"", "akhbar: interrupted while starting: nothing done\n")
    assert not (env / "akhbar.db").exists()


def test_a_body_of_megabytes_is_kept_to_a_news_articles_size_at_a_paragraph(env, capsys):
    """An import line (or a broken feed's item) whose body runs to megabytes: the article is
    stored, its text cut at the last paragraph before MAX_BODY_CHARS — not 60 million
    characters stored, indexed and held in memory."""
    import sqlite3

    from news.articles import MAX_BODY_CHARS

    paragraph = "فقرة من نص طويل جدا عن الأمطار الغزيرة في ولاية وهران. " * 20
    body = "\n\n".join([paragraph] * 2000)  # about 2.2 million characters
    (env / "huge.jsonl").write_text(json.dumps({"title": "نص طويل جدا", "body": body}, ensure_ascii=False) + "\n")
    assert main(["import", str(env / "huge.jsonl")]) == 0
    assert "added 1, duplicates 0, rejected 0" in capsys.readouterr().out
    with sqlite3.connect(env / "akhbar.db") as conn:
        (stored,) = conn.execute("SELECT body FROM articles").fetchone()
    assert MAX_BODY_CHARS // 2 < len(stored) <= MAX_BODY_CHARS
    assert set(stored.split("\n\n")) == {paragraph.strip()}  # whole paragraphs only


def test_a_dash_imports_standard_input_piped_from_zcat_with_its_lines_numbered(env, capsys):
    # `zcat dump.jsonl.gz | akhbar import -`.  Before: "akhbar: -: no such file", status 2.
    import gzip

    count = 6_000  # past WORKERS_FROM_LINES: parsed in the worker processes, as a large file is
    lines = _dated_lines(count)
    lines.insert(1, '{"body": "بلا عنوان"}')
    (env / "dump.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    with (
        subprocess.Popen(["gzip", "-dc", str(env / "dump.jsonl.gz")], stdout=subprocess.PIPE) as zcat,
        akhbar_process(["import", "-"], stdin=zcat.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as akhbar,
    ):
        assert zcat.stdout is not None
        zcat.stdout.close()  # akhbar holds the pipe's reading end now
        out, err = akhbar.communicate(timeout=120)
    assert akhbar.returncode == 1, err
    assert out.decode() == f"added {count}, duplicates 0, rejected 1\n"
    said = [line for line in err.decode().splitlines() if ": rejected: " in line]
    assert said == ["<stdin>:2: rejected: title is missing"]
    assert stored_articles(env / "akhbar.db") == count


def test_an_aggregator_page_from_standard_input_needs_the_name_it_is_shown_under(env, data_dir, capsys, monkeypatch):
    import io
    import sys

    page = (data_dir / "aggregator-page.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert main(["import", "-"]) == 2  # no file name to show its articles under
    err = capsys.readouterr().err  # after the new database's migrations, logged
    assert err.splitlines()[-1] == (
        "akhbar: <stdin>: an aggregator page read from standard input needs --source NAME "
        "(the name its articles are shown under)"
    )
    assert "Traceback" not in err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert main(["import", "-", "--source", "وكالة المجمع"]) == 0
    added = int(capsys.readouterr().out.split(",")[0].removeprefix("added "))
    assert added >= 36 and stored_articles(env / "akhbar.db", "source = 'وكالة المجمع'") == added
    # A file named "-" is ./-, as for any Unix tool; standard input is read once.
    (env / "-").write_text('{"title": "خبر في ملف اسمه شرطة"}\n', encoding="utf-8")
    assert main(["import", "./-"]) == 0
    assert "added 1, duplicates 0, rejected 0" in capsys.readouterr().out
    assert main(["import", "-", "-"]) == 2
    assert capsys.readouterr().err == "akhbar: import: - (standard input) can be given only once\n"


def test_standard_input_is_stored_as_it_arrives_not_once_it_ends(env):
    # `producer | akhbar import -`: what has come is stored while the producer is still writing
    # (the import reads a chunk at a time, as any filter does; before, it read to the end first,
    # holding the whole input in memory, and stored nothing until the producer closed the pipe).
    lines = _dated_lines(10_000)
    assert main(["db", "migrate"]) == 0
    with akhbar_process(["import", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as akhbar:
        assert akhbar.stdin is not None
        akhbar.stdin.write(("\n".join(lines[:8_000]) + "\n").encode())
        akhbar.stdin.flush()
        arrived = some_stored(env / "akhbar.db")
        deadline = time.monotonic() + 90
        while not arrived() and akhbar.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        stored_meanwhile = stored_articles(env / "akhbar.db")
        akhbar.stdin.write(("\n".join(lines[8_000:]) + "\n").encode())
        out, err = akhbar.communicate(timeout=120)
    assert akhbar.returncode == 0, err
    assert 0 < stored_meanwhile <= 8_000
    assert out.decode() == "added 10000, duplicates 0, rejected 0\n"


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_a_file_read_a_few_bytes_at_a_time_gives_the_same_lines_and_numbers(env, data_dir, capsys, monkeypatch, line_end):
    # Lines and characters cut between two reads (a CR at a read's end, its LF at the next's
    # start; an Arabic letter's two bytes apart): the same report, line for line.
    from news import importers

    text = (data_dir / "import-mixed.jsonl").read_text(encoding="utf-8")
    (env / "mixed.jsonl").write_bytes(b"\xef\xbb\xbf" + line_end.join(text.splitlines()).encode() + b"\n\n")
    expected = json.loads((data_dir / "import-mixed.expected.json").read_text())
    monkeypatch.setattr(importers, "_CHUNK_BYTES", 7)
    assert main(["import", str(env / "mixed.jsonl")]) == 1
    out, err = capsys.readouterr()
    assert f"added {expected['added']}, duplicates {expected['duplicates']}, rejected {expected['rejected']}" in out
    assert [int(line.split(":")[1]) for line in err.splitlines() if ": rejected: " in line] == expected["rejected_lines"]


@pytest.mark.parametrize("workers", ["0", "1"])
def test_a_byte_not_utf8_far_into_a_file_stops_there_saying_what_was_stored(env, capsys, monkeypatch, workers):
    from news import importers

    monkeypatch.setattr(importers, "WORKERS_FROM_LINES", 100)
    monkeypatch.setenv("AKHBAR_WORKERS", workers)
    lines = [line.encode() for line in _dated_lines(3_000)]
    lines[2_500] = lines[2_500].replace(b"\xd8\xae", b"\xe9", 1)  # خ written in Latin-1's é
    (env / "mixed-up.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    assert main(["import", str(env / "mixed-up.jsonl")]) == 2
    out, err = capsys.readouterr()
    assert out == "added 2500, duplicates 0, rejected 0\n"
    offset = sum(len(line) + 1 for line in lines[:2_500]) + lines[2_500].index(b"\xe9")
    assert err.splitlines()[-1] == (
        f"akhbar: {env / 'mixed-up.jsonl'}: not UTF-8 text (bad byte at line 2,501, offset {offset:,}): the lines "
        "before it were imported; save it as UTF-8 and import it again (what is stored already is counted as duplicates)"
    )
    assert stored_articles(env / "akhbar.db") == 2_500


# The disk fills once this many articles are stored (each engine's own "full" refusal).
_ROOM_FOR = 3_000


async def _disk_fills_after_some_articles(engine: str, monkeypatch, url: str | None) -> None:
    """The next `akhbar import` meets a full disk part-way: on SQLite its connection may grow
    the file by 1,300 pages only (SQLITE_FULL, as storage's own full-disk test), on PostgreSQL
    an insert past _ROOM_FOR articles fails as a server out of space does (SQLSTATE 53100, disk_full)."""
    import sqlite3

    import asyncpg

    import storage.db

    assert await asyncio.to_thread(main, ["db", "migrate"]) == 0
    if engine == "sqlite":
        with sqlite3.connect(os.environ["AKHBAR_DB"]) as conn:
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
        monkeypatch.setattr(storage.db, "PRAGMAS", (*storage.db.PRAGMAS, f"PRAGMA max_page_count = {pages + 1300}"))
        return
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"""
            CREATE FUNCTION disk_fills() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                IF NEW.id > {_ROOM_FOR} THEN
                    RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER disk_fills BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION disk_fills();
        """)
    finally:
        await conn.close()


@pytest.mark.parametrize("engine", ENGINES)
async def test_a_full_disk_stops_an_import_saying_how_much_was_stored_and_the_same_import_goes_on(
    cli_env, capsys, monkeypatch, engine
):
    # Before: "akhbar: the database cannot be written now (database or disk is full)", and no
    # word of what was stored nor of what to do.
    lines = [
        json.dumps({"title": f"خبر رقم {n} عن الاقتصاد الوطني", "body": "نص المقال عن الأسواق والأسعار " * 12},
                   ensure_ascii=False)
        for n in range(6_000)
    ]
    lines.insert(10, '{"body": "بلا عنوان"}')
    (cli_env / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("AKHBAR_WORKERS", "1")
    async with pg_schema() if engine == "postgresql" else nullcontext() as url:
        if url is not None:
            monkeypatch.setenv("AKHBAR_DATABASE_URL", url)
        await _disk_fills_after_some_articles(engine, monkeypatch, url)
        capsys.readouterr()
        assert await asyncio.to_thread(main, ["import", str(cli_env / "dump.jsonl")]) == 2
        out, err = capsys.readouterr()
        stored = await _articles_in(url)
        assert 0 < stored < 6_000
        *rejected, said = err.splitlines()
        assert rejected == [f"{cli_env / 'dump.jsonl'}:11: rejected: title is missing"]
        refusal, advice = said.split("); ", 1)
        assert refusal.startswith(
            f"akhbar: {cli_env / 'dump.jsonl'}: stopped at line {stored + 2:,}: the database cannot be written now ("
        )  # the line after the last stored: one was rejected before
        assert refusal.endswith("database or disk is full" if engine == "sqlite" else "No space left on device")
        assert advice == (
            f"{stored:,} new articles stored before it (0 already stored, 1 line rejected); run the same import again "
            "once the database can be written: what is stored already is counted as duplicates, and the rest is added"
        )
        assert out == ""
        # Room again: the same command stores the rest.
        monkeypatch.undo()
        monkeypatch.chdir(cli_env)
        monkeypatch.setenv("AKHBAR_DB", str(cli_env / "akhbar.db"))
        if url is not None:
            monkeypatch.setenv("AKHBAR_DATABASE_URL", url)
            await _run_sql(url, "DROP TRIGGER disk_fills ON articles")
        assert await asyncio.to_thread(main, ["import", str(cli_env / "dump.jsonl")]) == 1
        assert f"added {6_000 - stored}, duplicates {stored}, rejected 1" in capsys.readouterr().out
        assert await _articles_in(url) == 6_000


async def _run_sql(url: str, sql: str) -> object:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def _articles_in(url: str | None) -> int:
    if url is None:
        return stored_articles(Path(os.environ["AKHBAR_DB"]))
    return int(await _run_sql(url, "SELECT count(*) FROM articles"))


def test_a_second_run_of_a_big_file_keeps_the_first_duplicates_lines_and_counts_the_rest(env, capsys, monkeypatch):
    # Before: the report kept (path, line) for every duplicate, a tuple a line of the file
    # (about 70 MB a million lines on a second run), and the import said not one of them.
    import news.importers

    count = 2_000
    (env / "big.jsonl").write_text("\n".join(_dated_lines(count)) + "\n", encoding="utf-8")
    assert main(["import", str(env / "big.jsonl")]) == 0
    capsys.readouterr()
    kept: list[news.importers.ImportReport] = []
    real = news.importers.import_file

    async def noted(*args, **kwargs):
        kept.append(await real(*args, **kwargs))
        return kept[-1]

    monkeypatch.setattr("bot.cli.import_file", noted)
    (env / "one-more.jsonl").write_text(_dated_lines(1)[0] + "\n" + _dated_lines(1, "2025-03-02T08:00:00Z")[0] + "\n")
    assert main(["import", str(env / "big.jsonl"), str(env / "one-more.jsonl")]) == 0
    out, err = capsys.readouterr()
    assert out == f"added 0, duplicates {count + 2}, rejected 0\n"
    big = env / "big.jsonl"
    assert err.splitlines()[-1] == (
        f"already stored, not added again: {big}:1, {big}:2, {big}:3, {big}:4, {big}:5 and {count - 3:,} more"
    )
    assert [(report.duplicates, len(report.first_duplicate_lines)) for report in kept] == [(count, 5), (2, 2)]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_trickling_producer_sees_its_lines_stored_while_it_goes_on(env, monkeypatch, workers):
    # `slow-producer | akhbar import -`: before, nothing was stored until 500 lines had come
    # (5,000 with worker processes, then 2,000 to a transaction), however long that took.
    lines = _dated_lines(6)
    monkeypatch.setenv("AKHBAR_WORKERS", workers)
    assert main(["db", "migrate"]) == 0

    def stored_soon(count: int) -> int:  # what is stored once `count` are, or a minute has passed
        deadline = time.monotonic() + 60
        while stored_articles(env / "akhbar.db") < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return stored_articles(env / "akhbar.db")

    with akhbar_process(["import", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as akhbar:
        assert akhbar.stdin is not None
        for sent in (lines[:3], lines[3:]):
            akhbar.stdin.write(("\n".join(sent) + "\n").encode())
            akhbar.stdin.flush()  # and the pipe left open: the producer goes on, later
            assert stored_soon(3 if sent == lines[:3] else 6) == (3 if sent == lines[:3] else 6)
            assert akhbar.poll() is None
        out, err = akhbar.communicate(timeout=60)
    assert akhbar.returncode == 0, err
    assert out.decode() == "added 6, duplicates 0, rejected 0\n"
