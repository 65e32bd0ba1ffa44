"""`akhbar sources …` and `akhbar fetch`: the operator's side of the feeds, from a terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import Settings
from bot.output_files import check_output, text_written_whole
from bot.progress import Progress
from bot.services import Services
from bot.standard_streams import read_input
from news.articles import InvalidArticle, check_url
from news.importers import shown
from news.opml import OpmlError, OpmlFeed, parse_opml, write_opml
from news.plurals import counted
from news.topics import find_topic

EXIT_OK, EXIT_ERROR = 0, 2


def _topic(name: str | None) -> str | None:
    if not name:
        return None
    topic = find_topic(name)
    if topic is None:
        raise ValueError(f"unknown topic {name!r}")
    return topic.slug


async def sources_command(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "export" and args.output:
        check_output(Path(args.output), settings, "the reading list")
    async with await Services.open(settings, follows=False) as services:
        curation = services.curation
        if args.action == "add":
            try:
                url, topic = check_url(args.url), _topic(args.topic)
            except (InvalidArticle, ValueError) as exc:
                print(f"akhbar: {exc}", file=sys.stderr)
                return EXIT_ERROR
            source = await curation.add_source(
                url, topic=topic, title=args.title or "", boilerplate=args.boilerplate, poll_now=True
            )
            print(f"added source {source.id}: {url}" if source else f"already there: {url}")
        elif args.action == "list":
            for source in await curation.sources():
                state = ("paused" if source.paused else f"disabled: {source.disabled_reason}" if source.disabled_reason
                         else f"{counted(source.errors, 'error')}: {source.last_error}" if source.errors
                         else f"ok {source.last_ok_at:%Y-%m-%d %H:%M}" if source.last_ok_at else "not polled yet")
                if source.last_ok_at and source.last_error and not source.errors:
                    state += f", malformed feed: {source.last_error}"
                print(f"{source.id}\t{source.url}\t{source.title}\t{source.default_topic or '-'}\t{state}")
        elif args.action == "remove":
            if not await curation.remove_source(args.id):
                print(f"akhbar: no source {args.id}", file=sys.stderr)
                return EXIT_ERROR
            print(f"removed source {args.id} (its articles stay)")
        elif args.action == "import":
            try:
                feeds = parse_opml(read_input(args.file))
            except (OSError, OpmlError) as exc:
                print(f"akhbar: {shown(args.file)}: {exc}", file=sys.stderr)
                return EXIT_ERROR
            added = 0
            for feed in feeds:
                try:
                    url = check_url(feed.url)
                except InvalidArticle as exc:
                    print(f"skipped {feed.url!r}: {exc}", file=sys.stderr)
                    continue
                # Spread the first polls: a big reading list must not fire all at once.
                added += bool(await curation.add_source(url, topic=feed.topic, title=feed.title))
            print(f"imported {counted(added, 'new source')} of {len(feeds)} in the file")
        elif args.action == "export":
            text = write_opml([OpmlFeed(s.url, s.title, s.default_topic) for s in await curation.sources()])
            if args.output:
                with text_written_whole(Path(args.output), "the reading list") as out:
                    out.write(text)
            else:
                sys.stdout.write(text)
    return EXIT_OK


async def fetch_command(settings: Settings, source_id: int | None) -> int:
    async with await Services.open(settings, polling=True, follows=False) as services:
        curation, poller = services.curation, services.poller
        assert poller is not None
        if source_id is not None:
            chosen = [s for s in [await curation.source(source_id)] if s]
            if not chosen:
                print(f"akhbar: no source {source_id}", file=sys.stderr)
                return EXIT_ERROR
            skipped = 0
        else:
            every = await curation.sources()
            chosen = [s for s in every if not s.paused and not s.disabled_reason]
            skipped = len(every) - len(chosen)
        with Progress() as progress:
            progress.stage("sources", total=len(chosen), unit=" sources")
            report = await poller.poll(chosen, on_done=lambda _: progress.advance())
    for result in sorted(report.sources, key=lambda r: r.source.id):
        detail = result.error if result.status == "error" else f"{counted(result.found, 'item')}, {result.added} new"
        if result.malformed:
            detail = f"{detail} (malformed feed, read leniently: {result.malformed})"
        print(f"{result.source.id}\t{result.status}\t{detail}\t{result.source.url}")
    print(f"{counted(report.added, 'new article')} from {counted(len(report.sources), 'source')}")
    if skipped:
        # Said, or an operator counting their sources reads one missing: paused and disabled
        # sources wait for /resumesource; `--source ID` polls one of them anyway.
        print(f"{skipped} paused or disabled, not polled (akhbar fetch --source ID polls one)")
    for source in report.newly_disabled:
        print(f"source {source.id} disabled: {source.disabled_reason}", file=sys.stderr)
    return EXIT_OK
