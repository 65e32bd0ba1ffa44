"""The `akhbar` command: run the bot, try it offline, import and export articles.

Operator mistakes (a missing setting, an unreadable file) end with one clear line on stderr
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import time
from dataclasses import replace
from pathlib import Path

from bot.config import (
    RECEIVER,
    ConfigError,
    Settings,
    check_webhook_url,
    listen_address,
    load_settings,
    malformed_env_lines,
    unknown_variables,
)
from bot.entry import EXIT_INTERRUPTED
from bot.logs import setup_logging
from bot.progress import Progress
from bot.standard_streams import CheckedOutput, OutputFailed, plug_closed_descriptors, silence_standard_output
from news.heap import FrozenHeap
from news.importers import STDIN, ImportReport, ImportStopped, UnreadableFile, import_file, shown
from news.plurals import counted
from news.repositories import StorageError
from news.workers import CpuWorkers
from storage.pg_url import passwords_of

EXIT_OK, EXIT_REJECTED_LINES, EXIT_ERROR = 0, 1, 2
# What a shell reports for a program its reader stopped (128 + SIGPIPE), as `cat` or `grep` give.
EXIT_READER_GONE = 141


def _input_path(text: str) -> Path:
    """An input file's PATH (import, sources import): "-" is standard input; a file named "-"
    is ./- (kept apart as an absolute path)."""
    if text == "-":
        return STDIN
    path = Path(text)
    return path.absolute() if path == STDIN else path


def _count(text: str) -> int:
    """A number of results: 0 or less printed one anyway, silently."""
    if not text.strip().isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up, got {text!r}")
    return int(text)


def _add(commands: argparse._SubParsersAction, name: str, help: str) -> argparse.ArgumentParser:
    """A command, its line in `akhbar --help` also heading its own `--help` (which said no word
    of what the command does)."""
    return commands.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="akhbar", description="Akhbar — Arabic news headlines on Telegram.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = _add(commands, "run", help="run the bot against Telegram (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument("--webhook", metavar="URL",
                     help="take updates by webhook at this public https URL instead of polling "
                          "(a reverse proxy forwards it to --listen); default AKHBAR_WEBHOOK_URL")
    run.add_argument("--listen", metavar="HOST:PORT",
                     help="where the webhook server listens (default AKHBAR_WEBHOOK_LISTEN, 127.0.0.1:8080)")
    run.add_argument("--no-jobs", action="store_true",
                     help="only answer updates: digests, alerts and feed polling are left to `akhbar worker` processes")

    _add(
        commands, "worker", help="deliver digests and alerts and poll feeds, taking no updates (beside `akhbar run --no-jobs`)"
    )

    demo = _add(commands, "demo", help="try the bot offline: a local Telegram stand-in and sample news")
    demo.add_argument("--say", action="append", default=[], metavar="TEXT",
                      help="send this message (repeatable), print the transcript and exit")
    demo.add_argument("--lang", default="ar", choices=["ar", "fr", "en"], help="the demo reader's Telegram language")

    imp = _add(commands, "import", help="import articles from JSON Lines files or aggregator pages")
    imp.add_argument("paths", nargs="+", type=_input_path, metavar="PATH",
                     help="a JSON Lines file (.jsonl, .ndjson, .json, or text whose first line is a JSON object), "
                          "an aggregator page (.txt, or text whose first line holds headlines between runs of no-break spaces), "
                          "or - for standard input")
    imp.add_argument("--source", help="source name for aggregator pages (default: the file name)")

    exp = _add(commands, "export", help="write every article as JSON Lines")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    find = _add(commands, "search", help="search the archive as readers do")
    find.add_argument("query", nargs="+", help='words; "quoted words" for a phrase')
    find.add_argument("--json", action="store_true", help="one JSON object per result")
    find.add_argument("--limit", type=_count, default=10, help="how many results (default 10)")

    digest = _add(commands, "digest", help="the digests due now: print them, or send them")
    mode = digest.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="print what would be sent, send nothing")
    mode.add_argument("--now", action="store_true", help="send every digest due now (needs the token)")
    digest.add_argument("--chat", type=int, help="only this chat id")

    sources = _add(commands, "sources", help="the feeds the bot polls")
    actions = sources.add_subparsers(dest="action", required=True, metavar="ACTION", help="one of these:")
    add = _add(actions, "add", help="add a feed")
    add.add_argument("url", help="the feed's http(s) address (RSS, Atom or JSON Feed)")
    add.add_argument("--topic", help="a topic every item gets (slug or name)")
    add.add_argument("--title", help="the name shown for its articles")
    add.add_argument("--boilerplate", action="append", default=[], metavar="LINE",
                     help="a line this site adds to every article page, to drop (repeatable)")
    _add(actions, "list", help="every source and how its polls go")
    remove = _add(actions, "remove", help="forget a source (its articles stay)")
    remove.add_argument("id", type=int, help="its number in `akhbar sources list`")
    opml_in = _add(actions, "import", help="add the feeds of an OPML file")
    opml_in.add_argument("file", type=_input_path, help="an OPML reading list, or - for standard input")
    opml_out = _add(actions, "export", help="write the sources as OPML")
    opml_out.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    fetch = _add(commands, "fetch", help="poll the sources once and report what was found")
    fetch.add_argument("--source", type=int, help="only this source id")

    db = _add(commands, "db", help="the database: migrate it, copy it to another")
    db_actions = db.add_subparsers(dest="action", required=True, metavar="ACTION", help="one of these:")
    _add(db_actions, "migrate", help="bring the database's schema up to date (every start does it too)")
    copy = _add(
        db_actions, "copy",
        help="copy every article, chat, follow, alert and delivery into another database (a second run adds nothing)",
    )
    copy.add_argument("--to", required=True, metavar="URL",
                      help="postgresql://USER[:PASS]@HOST:PORT/DB, or a new SQLite file's path")

    stats = _add(commands, "stats", help="the figures of /stats: today, and the last 30 days day by day")
    stats.add_argument("--png", type=Path, metavar="FILE", help="also draw /stats's chart of the last 30 days into FILE")
    stats.add_argument("--lang", default="ar", choices=["ar", "fr", "en"], help="the chart's language (default ar)")

    evaluate = _add(
        commands, "topics-eval", help="measure the topic classifier on labelled headlines (clean, or with their page's body)"
    )
    evaluate.add_argument("paths", nargs="+", type=Path, metavar="JSONL",
                          help="labelled headlines, one JSON object a line (tests/data/topics/)")
    evaluate.add_argument(
        "--misses", action="store_true", help="list the misses of the sets tuned on (never a blind held-out set's)"
    )
    stories_eval = _add(
        commands, "stories-eval", help="measure the story matcher on labelled pairs of headlines (tests/data/stories/)"
    )
    stories_eval.add_argument("paths", nargs="+", type=Path, metavar="JSONL",
                              help="labelled pairs, one JSON object a line (tests/data/stories/)")
    stories_eval.add_argument("--show", action="store_true", help="list the pairs judged wrong")
    stories_eval.add_argument(
        "--rules", action="store_true", help="judge by the hand-written rules the learnt decision replaced"
    )
    stories_train = _add(
        commands, "stories-train",
        help="learn the story matcher's decision from the labelled pairs (writes news/story_trees.py; needs numpy)",
    )
    stories_train.add_argument(
        "--sets",
        type=Path,
        # The checkout's sets, wherever the command is run from (a relative default read the
        # current folder's, and trained on nothing elsewhere).
        default=Path(__file__).resolve().parent.parent / "tests" / "data" / "stories",
        metavar="DIR",
        help="the labelled sets (*.jsonl; those news.story_learning.NOT_TRAINED_ON names are left out; "
        "default: the checkout's tests/data/stories)",
    )
    stories_train.add_argument(
        "--cv", action="store_true", help="instead, judge each set by a decision learnt on the others, beside the rules"
    )
    stories_train.add_argument(
        "--logistic", action="store_true", help="with --cv: a logistic regression instead of the trees"
    )
    stories_train.add_argument(
        "--check", action="store_true", help="instead, say whether news/story_trees.py is what training writes"
    )
    _add(
        commands, "stories-rebuild",
        help="file every stored article under its story again, by the current matcher (stop the bot meanwhile)",
    )
    return parser


def import_processes() -> int:
    """`AKHBAR_WORKERS=auto` for an import: one worker per core (at most four), not one core
    left to this process as the bot leaves one for itself: during an import this process only
    waits on the workers, matches stories and stores (210-230 µs of CPU per item against the
    workers' 250-320), so a worker beside it on each core keeps both busy.  On this 2-core
    machine shared with other work, 30,000 items, 4 pairs alternated under the benchmark lock
    (load 1.3-2.2): two workers +4% to +41% items/s against one, median +9%."""
    return max(1, min(4, os.cpu_count() or 1))


# An import stopped by the database: run again, it stores what it had not (storage decides
# duplicates, so what is stored already is only counted).
_AFTER_REFUSAL = (
    "run the same import again once the database can be written: what is stored already is counted as "
    "duplicates, and the rest is added"
)


def _stored_before(total: ImportReport) -> str:
    return (
        f"{counted(total.added, 'new article', grouped=True)} stored before it ({total.duplicates:,} already stored, "
        f"{counted(len(total.rejected), 'line', grouped=True)} rejected)"
    )


def _print_rejected(report: ImportReport) -> None:
    for rejected in report.rejected:
        print(f"{rejected.path}:{rejected.line}: rejected: {rejected.reason}", file=sys.stderr)


def _duplicates_line(total: ImportReport) -> str:
    """Where the first duplicates are (the report keeps only their first lines), and how many
    more there are."""
    first = ", ".join(f"{path}:{line}" for path, line in total.first_duplicate_lines)
    more = total.duplicates - len(total.first_duplicate_lines)
    return f"already stored, not added again: {first}{f' and {more:,} more' if more else ''}"


async def _import(settings: Settings, paths: list[Path], source: str | None) -> int:
    from bot.services import Services

    if paths.count(STDIN) > 1:
        raise ConfigError("import: - (standard input) can be given only once")
    total, unreadable = ImportReport(), 0
    # Large files are parsed in worker processes (started only if one is), as the poller's feeds are.
    processes = settings.workers if settings.workers is not None else import_processes()
    async with (
        await Services.open(settings, follows=False) as services, CpuWorkers(processes) as workers,
        services.db.bulk_writes(),
    ):
        for path in paths:
            unreadable_part: UnreadableFile | None = None
            try:
                with Progress() as progress, FrozenHeap() as heap:
                    progress.stage(path.name if path != STDIN else shown(path), unit=" lines")

                    def stored(line: int) -> None:  # told after each batch is stored
                        progress.reach(line)
                        heap.batch_done()

                    report = await import_file(path, services.ingestor, source, stored, workers)
            except UnreadableFile as exc:  # from its start, or part-way (the lines before it stored)
                report, unreadable_part = exc.report, exc
            except ImportStopped as stopped:  # the database refused: the files after it are not tried
                _print_rejected(stopped.report)
                total.merge(stopped.report)
                print(f"akhbar: {stopped}; {_stored_before(total)}; {_AFTER_REFUSAL}", file=sys.stderr)
                return EXIT_ERROR
            _print_rejected(report)
            total.merge(report)
            if unreadable_part is not None:
                print(f"akhbar: {unreadable_part}", file=sys.stderr)
                unreadable += 1
    if total.duplicates:
        print(_duplicates_line(total), file=sys.stderr)
    print(f"added {total.added}, duplicates {total.duplicates}, rejected {len(total.rejected)}")
    if unreadable:
        return EXIT_ERROR
    return EXIT_REJECTED_LINES if total.rejected else EXIT_OK


async def _export(settings: Settings, output: Path | None) -> int:
    from bot.output_files import check_output, text_written_whole
    from bot.services import Services
    from news.exporting import export_jsonl

    if output is not None:
        check_output(output, settings, "the export")
    async with await Services.open(settings, follows=False) as services:
        with Progress() as progress:
            progress.stage("export", total=await services.articles.count(), unit=" articles")
            articles = services.reading.every_article()
            if output is None:
                count = await export_jsonl(articles, sys.stdout, progress.advance)
                sys.stdout.flush()  # written, before it is said to be
            else:
                with text_written_whole(output, "the export") as out:
                    count = await export_jsonl(articles, out, progress.advance)
    print(f"exported {counted(count, 'article')}", file=sys.stderr)
    return EXIT_OK


async def _search(settings: Settings, words: list[str], as_json: bool, limit: int) -> int:
    import json

    from bot.services import Services
    from news.exporting import article_record
    from news.search import highlight

    text = " ".join(words)
    async with await Services.open(settings, follows=False) as services:
        page = await services.reading.search(text, page=limit)
    if not page.hits:
        if not as_json:
            print(f"no results for {text!r}", file=sys.stderr)
        return EXIT_OK
    if page.read_in_arabic and not as_json:
        print(f"no results for {text!r} as typed; results for {page.read_in_arabic!r}, in Arabic", file=sys.stderr)
    for article in page.hits:
        if as_json:
            print(json.dumps(article_record(article), ensure_ascii=False))
        else:
            title = "".join(f"[{part}]" if match else part for part, match in highlight(article.title, page.query))
            print(f"{article.id}\t{title}\t{article.source}")
    return EXIT_OK


async def _digest(settings: Settings, dry_run: bool, chat: int | None) -> int:
    from telegram.ext import ExtBot

    from bot.app import build_application, reach_telegram_once, run_hook
    from bot.digests import DigestEngine
    from bot.services import Services

    if dry_run:
        async with await Services.open(settings) as services:
            # A dry run never talks to Telegram: the engine gets no usable bot.
            engine = DigestEngine(ExtBot("0:dry-run-no-token-needed-for-this"), services)
            report = await engine.run_due(dry_run=True, only_chat=chat)
        for job in report.planned:
            print(f"--- chat {job.chat.id} ({job.chat.lang}, {job.chat.tz}) for {job.local_date}")
            for text in job.messages:
                print(text)
        print(f"{counted(len(report.planned), 'digest')} due, {report.skipped} stale, {report.empty} empty (not sent); "
              f"{counted(report.compositions, 'distinct composition')}", file=sys.stderr)
        return EXIT_OK
    # A one-off run: no metrics listener (the running bot may hold its port).
    app = build_application(replace(settings, metrics_listen=None))
    await reach_telegram_once(app)  # a refused token or no Telegram: one line (`async with` initializes no more)
    async with app:
        await run_hook(app.post_init, app)
        try:
            assert app.bot_data.digests is not None
            report = await app.bot_data.digests.run_due(only_chat=chat)
        finally:
            try:
                await run_hook(app.post_stop, app)
            finally:
                await run_hook(app.post_shutdown, app)
    print(f"sent {report.sent}, empty {report.empty}, skipped {report.skipped}, failed {report.failed}, "
          f"postponed {report.postponed}")
    return EXIT_OK


async def _db(settings: Settings, action: str, target: str | None) -> int:
    from bot.services import copy_database, schema_version

    if action == "migrate":
        label, version = await schema_version(settings)
        print(f"{label}: schema version {version}, up to date")
        return EXIT_OK
    assert target is not None  # argparse requires --to
    with Progress() as progress:  # a bar per table, then one for the search index
        report = await copy_database(
            settings, target,
            lambda table, done, total: progress.at(table, done, total, " rows"),
            lambda done, total: progress.at("search index", done, total, " articles"),
        )
    print(f"copied {report.source} into {report.target}")
    for copied in report.tables:
        # (a column: "row, " as wide as "rows,")
        print(f"{copied.table:16} {copied.rows:>10,} {'row, ' if copied.rows == 1 else 'rows,'} {copied.added:>10,} added")
    print(f"search index: {counted(report.indexed, 'article', grouped=True)} indexed")
    return EXIT_OK


def _topics_eval(paths: list[Path], misses: bool = False) -> int:
    from news.evaluation import evaluate, load_labelled, part_of, report, summary

    done = []
    for path in paths:
        try:
            rows = load_labelled(path)
        except (OSError, ValueError, KeyError) as exc:
            print(f"akhbar: {path}: cannot read labelled headlines ({exc})", file=sys.stderr)
            return EXIT_ERROR
        evaluation = evaluate(rows)
        done.append((str(path), evaluation))
        print(report(evaluation, str(path), show_misses=misses and part_of(str(path)) != "held-out"))
        print()
    print(summary(done))
    return EXIT_OK


def _stories_eval(paths: list[Path], show: bool, rules: bool = False) -> int:
    from news.story_evaluation import InvalidPairs, evaluate, load_pairs, matcher_joins, report, rules_joins

    for path in paths:
        try:
            pairs = load_pairs(path)
        except (OSError, UnicodeDecodeError, InvalidPairs) as exc:
            print(f"akhbar: {path}: cannot read labelled pairs ({exc})", file=sys.stderr)
            return EXIT_ERROR
        print(report(evaluate(pairs, rules_joins if rules else matcher_joins), str(path), show))
        print()
    return EXIT_OK


def _stories_train(sets: Path, cv: bool, check: bool, logistic: bool = False) -> int:
    from news import story_trees
    from news.story_evaluation import InvalidPairs
    from news.story_learning import cv_table, default_paths, shipped_module

    if logistic and not cv:
        print("akhbar: --logistic goes with --cv (the shipped decision is trees); nothing written", file=sys.stderr)
        return EXIT_ERROR
    if not default_paths(sets):
        # Trained on nothing, the trees would be NaN, and news/story_trees.py would no longer import.
        print(f"akhbar: {sets}: no labelled sets (*.jsonl) there to learn from; nothing written", file=sys.stderr)
        return EXIT_ERROR
    try:
        if cv:
            print(cv_table(sets, logistic))
            return EXIT_OK
        text = shipped_module(sets)
    except (OSError, UnicodeDecodeError, InvalidPairs) as exc:
        print(f"akhbar: {sets}: cannot read labelled pairs ({exc}); nothing written", file=sys.stderr)
        return EXIT_ERROR
    shipped = Path(story_trees.__file__)
    if check:
        same = shipped.read_text(encoding="utf-8") == text
        print(f"{shipped}: {'as trained' if same else 'differs from what training writes'}")
        return EXIT_OK if same else EXIT_ERROR
    shipped.write_text(text, encoding="utf-8")
    print(f"wrote {shipped}")
    return EXIT_OK


async def _stories_rebuild(settings: Settings) -> int:
    from bot.processes import LEASE_SECONDS
    from bot.services import Services
    from news.regrouping import regroup_stories

    async with await Services.open(settings, follows=False) as services:
        # A running bot's matcher remembers the stories of its last 36 hours: new articles would
        # join stories this run files away and drops (a batch then refused at every poll).
        running = await services.processes.live(time.time() - LEASE_SECONDS)
        if running:
            print(f"akhbar: stories-rebuild: {counted(len(running), 'Akhbar process', 'Akhbar processes')} "
                  f"{'run' if len(running) > 1 else 'runs'} on this database ({services.db.label}); "
                  "stop the bot and its workers first, then run it again", file=sys.stderr)
            return EXIT_ERROR
        with Progress() as progress:
            progress.stage("stories", total=await services.articles.count(), unit=" articles")
            done = await regroup_stories(services.articles, progress.reach)
    print(f"regrouped {counted(done.articles, 'article')}: {done.moved} filed under another story, "
          f"{counted(done.stories, 'story', 'stories')}")
    return EXIT_OK


def _with_webhook(settings: Settings, url: str | None, listen: str | None) -> Settings:
    """The settings with `run --webhook URL --listen HOST:PORT` applied (checked like the
    environment's AKHBAR_WEBHOOK_URL and AKHBAR_WEBHOOK_LISTEN)."""
    if url is not None:
        settings = replace(settings, webhook_url=check_webhook_url(url, "--webhook"))
    if listen is not None:
        listen_address(listen, "--listen")
        settings = replace(settings, webhook_listen=listen)
    if listen is not None and not settings.webhook_url:
        raise ConfigError("--listen is for webhook mode: give --webhook URL (or AKHBAR_WEBHOOK_URL) too")
    if settings.webhook_url and not settings.webhook_secret:
        # No secret configured: a fresh one for this run, given to Telegram with the webhook.
        settings = replace(settings, webhook_secret=secrets.token_urlsafe(32))
    return settings


# Commands that serve (the bot and its workers): a broken pipe there is a socket's, not a reader's.
_SERVERS = frozenset({"run", "worker"})
# Commands that run until Ctrl-C (the bot, its workers, the demo's chat): that is how they end.
_ENDED_BY_CTRL_C = _SERVERS | {"demo"}
# What to do after Ctrl-C cut a command short, where there is more to say than that it was.
_AFTER_INTERRUPTION = {
    "import": "the articles stored so far stay stored; run it again to import the rest "
    "(those already stored are counted as duplicates)",
    "stories-rebuild": "every article is still under a story that exists; run it again to finish",
}


def _interrupted(args: argparse.Namespace) -> int:
    """Ctrl-C during a command: the line saying so, and the status that tells a script."""
    command = _name(args)
    print(f"akhbar: {command} interrupted: {_AFTER_INTERRUPTION.get(command, 'it did not finish')}", file=sys.stderr)
    return EXIT_INTERRUPTED


def main(argv: list[str] | None = None) -> int:
    plug_closed_descriptors()
    given_stdout = sys.stdout
    sys.stdout = CheckedOutput(given_stdout)  # type: ignore[assignment]  # a TextIO in all it is asked
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit:  # --help, or a usage error: its text goes out now, or is said not to
            try:
                sys.stdout.flush()
            except (OutputFailed, BrokenPipeError) as lost:
                return _output_lost(lost)
            raise
        if args.command in _SERVERS:  # a broken pipe there is a socket's, not a reader's
            sys.stdout = given_stdout
        return _ran(args)
    finally:
        sys.stdout = given_stdout


def _ran(args: argparse.Namespace) -> int:
    """The command's exit status, its failures told in one line."""
    try:
        status = _command(args)
        if args.command not in _SERVERS:
            # What is still buffered goes out now, while a reader gone can still be told apart.
            sys.stdout.flush()
            sys.stderr.flush()
        return status
    except (ConfigError, StorageError) as exc:
        print(f"akhbar: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        if args.command in _ENDED_BY_CTRL_C:
            return EXIT_OK
        return _interrupted(args)
    except BrokenPipeError:
        if args.command in _SERVERS:
            raise
        return _output_lost(BrokenPipeError())
    except OutputFailed as lost:
        return _output_lost(lost)


def _output_lost(lost: OutputFailed | BrokenPipeError) -> int:
    """Standard output that could not be written, told as Unix tools do: a reader gone
    (`akhbar export | head`, `akhbar import … 2>&1 | head`: it took what it wanted) quietly,
    with 141; anything else (`>&-`, a full disk) in one line, with 2."""
    if isinstance(lost, OutputFailed):
        print(f"akhbar: {lost}", file=sys.stderr)
        silence_standard_output()
        return EXIT_ERROR
    # Both streams pointed at /dev/null, or Python's flush at exit raises the same error again
    # ("Exception ignored … BrokenPipeError", status 120).
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return EXIT_READER_GONE


# Commands that read the bot's database and have nothing to put in a new one: run in another
# folder than the bot's (AKHBAR_DB is relative by default), each made an empty akhbar.db there
# and said "0 subscribers", "exported 0 articles" (a backup empty every night) as if all was well.
_READERS = frozenset({
    "export", "search", "digest", "stats", "stories-rebuild", "sources list", "sources export", "sources remove",
})


def _name(args: argparse.Namespace) -> str:
    """The command as typed: "stats", "db copy"."""
    return " ".join(filter(None, (args.command, getattr(args, "action", None))))


def _database_there(settings: Settings, command: str) -> None:
    """ConfigError if `command` only reads the database and the SQLite file is not there."""
    if command in _READERS and not settings.database_url:
        path = Path(settings.db_path).expanduser()
        try:
            path.stat()
        except FileNotFoundError:
            raise ConfigError(
                f"AKHBAR_DB={settings.db_path}: no database at {path.resolve()}; `akhbar {command}` reads the bot's "
                "and makes none: run it in the bot's folder, or set AKHBAR_DB (or AKHBAR_DATABASE_URL)"
            ) from None
        except OSError:  # a name too long, a folder that cannot be searched: the database says it
            pass


def _command(args: argparse.Namespace) -> int:
    settings = load_settings()
    for line in [*malformed_env_lines(), *unknown_variables(os.environ)]:  # (.env read into it by load_settings)
        print(f"akhbar: warning: {line}", file=sys.stderr)
    _database_there(settings, _name(args))
    if args.command == "run":
        settings = _with_webhook(settings, args.webhook, args.listen)
        if args.no_jobs:
            settings = replace(settings, role=RECEIVER)
    # Database passwords (the bot's, and `db copy --to`'s) are scrubbed from the log like the token.
    setup_logging(
        settings.log_level, settings.token, None, settings.webhook_secret,
        *passwords_of(settings.database_url), *passwords_of(getattr(args, "to", None)),
    )
    if args.command == "run":
        from bot.app import run

        settings.require_token()
        run(settings)
        return EXIT_OK
    if args.command == "worker":
        from bot.app import run_worker

        settings.require_token()
        run_worker(settings)
        return EXIT_OK
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(settings, says=args.say, lang=args.lang))
    if args.command == "import":
        return asyncio.run(_import(settings, args.paths, args.source))
    if args.command == "export":
        return asyncio.run(_export(settings, args.output))
    if args.command == "search":
        return asyncio.run(_search(settings, args.query, args.json, args.limit))
    if args.command == "digest":
        return asyncio.run(_digest(settings, args.dry_run, args.chat))
    if args.command == "sources":
        from bot.cli_sources import sources_command

        return asyncio.run(sources_command(settings, args))
    if args.command == "fetch":
        from bot.cli_sources import fetch_command

        return asyncio.run(fetch_command(settings, args.source))
    if args.command == "db":
        return asyncio.run(_db(settings, args.action, getattr(args, "to", None)))
    if args.command == "stats":
        from bot.cli_stats import stats_command

        return asyncio.run(stats_command(settings, args.png, args.lang))
    if args.command == "topics-eval":
        return _topics_eval(args.paths, args.misses)
    if args.command == "stories-eval":
        return _stories_eval(args.paths, args.show, args.rules)
    if args.command == "stories-train":
        return _stories_train(args.sets, args.cv, args.check, args.logistic)
    if args.command == "stories-rebuild":
        return asyncio.run(_stories_rebuild(settings))
    return EXIT_ERROR
