"""`akhbar import`: JSON Lines files and aggregator pages in, a report of what happened out.

Every bad line is reported with its number and the reason and the rest is still imported; a file
that cannot be read at all raises `UnreadableFile`.  Duplicates are decided by storage (same URL,
or same source and normalized title), so an import run twice adds nothing the second time.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import re
import sys
from collections import deque
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Protocol, cast

from news.articles import InvalidArticle, make_article
from news.boilerplate import is_boilerplate
from news.heap import FrozenHeap
from news.model import NewArticle, SearchText
from news.story_key import StoryKey
from news.topics import find_topic
from news.workers import CpuWorkers

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
# Aggregator pages separate headlines with runs of no-break spaces (or several plain spaces).
_HEADLINE_SEPARATOR = re.compile(r"(?:[\u00a0\t]\s*){2,}|\s{3,}")
_BATCH = 500
# Batches stored in one transaction: SQLite and its search index pay much per commit (each
# flushes the index's new terms as a segment of its own, merged later), 63-75 µs of CPU per
# row at 2,000 a transaction against 78-99 at 500 (a bare build of 50,000 import rows).
_BATCHES_PER_TRANSACTION = 4
# A JSON Lines file at least this long is parsed in the worker processes, if there are any:
# shorter, starting them costs more than it saves.
WORKERS_FROM_LINES = 5_000


# `akhbar import -` reads standard input, as Unix tools do (`zcat dump.jsonl.gz | akhbar import -`).
# A file named "-" is still reachable as ./- (the command line gives it as an absolute path).
STDIN = Path("-")


def shown(path: Path) -> str:
    """The path as the operator's messages name it: standard input as <stdin>."""
    return "<stdin>" if path == STDIN else str(path)


class UnreadableFile(Exception):
    """The file cannot be read as text at all; the message is for the operator."""


class ArticleStore(Protocol):
    async def add_many(self, articles: Sequence[NewArticle]) -> list[int | None]: ...


@dataclass(frozen=True, slots=True)
class Rejected:
    path: str
    line: int
    reason: str


@dataclass(slots=True)
class ImportReport:
    added: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    duplicate_lines: list[tuple[str, int]] = field(default_factory=list)

    def merge(self, other: ImportReport) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.rejected.extend(other.rejected)
        self.duplicate_lines.extend(other.duplicate_lines)


def _read_bytes(path: Path) -> bytes:
    if path == STDIN:
        if sys.stdin is None:  # `akhbar import - <&-`
            raise UnreadableFile("<stdin>: standard input is closed")
        try:
            return sys.stdin.buffer.read()
        except OSError as exc:
            raise UnreadableFile(f"<stdin>: cannot read it ({exc.strerror or exc})") from None
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot read it ({exc.strerror or exc})") from None


def read_text(path: Path) -> str:
    data = _read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{shown(path)}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8 and retry"
        ) from None


# --- JSON Lines -----------------------------------------------------------------------------

_TEXT_FIELDS = ("body", "summary", "url", "source", "lang")


def _article_from_json(record: object) -> NewArticle:
    if not isinstance(record, dict):
        raise InvalidArticle(f"expected a JSON object, got {type(record).__name__}")
    title = record.get("title")
    if title is None:
        raise InvalidArticle("title is missing")
    if not isinstance(title, str):
        raise InvalidArticle("title must be text")
    fields: dict[str, str] = {}
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidArticle(f"{name} must be text")
        fields[name] = value
    published_at = None
    if (raw := record.get("published_at")) is not None:
        if not isinstance(raw, str):
            raise InvalidArticle("published_at must be an ISO 8601 date text")
        try:
            published_at = datetime.fromisoformat(raw.strip())
        except ValueError:
            raise InvalidArticle(f"published_at is not an ISO 8601 date: {raw[:40]!r}") from None
    return make_article(
        title=title,
        published_at=published_at,
        topics=_topics(record.get("topics")),
        url=fields.get("url") or None,
        body=fields.get("body", ""),
        summary=fields.get("summary", ""),
        source=fields.get("source", ""),
        lang=fields.get("lang", "ar"),
    )


def _topics(raw: object) -> list[str]:
    if raw is None:
        return []
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidArticle("topics must be a list of topic names")
    slugs = []
    for name in names:
        topic = find_topic(name)
        if topic is None:
            raise InvalidArticle(f"unknown topic {name[:40]!r}")
        slugs.append(topic.slug)
    return slugs


# A line ends at "\r\n", "\n" or a lone "\r" (classic Mac OS, and some exporters): JSON never
# holds a raw CR or LF inside a string, so none of them cuts a record.
_JSONL_LINE_END = re.compile("\r\n|\r|\n")


def parse_jsonl(text: str) -> Iterator[tuple[int, NewArticle | str]]:
    """(line number, article) for each good line, (line number, reason) for each bad one."""
    # Not splitlines(): it also cuts at U+2028, U+0085 and \x1c, which JSON strings may hold
    # as they are (json.dumps(..., ensure_ascii=False) writes them so).
    return _parse_lines(_JSONL_LINE_END.split(text), 1)


def parse_jsonl_lines(lines: list[str], first: int) -> list[tuple[int, PackedArticle | str]]:
    """`parse_jsonl` of some of a file's lines, the first of them numbered `first`: the step a
    worker process runs (news.workers) for a large import.  The articles come back packed
    (`unpack_article` makes them again)."""
    if multiprocessing.parent_process() is None:  # the importing process's heap is its own FrozenHeap's
        return _prepared(lines, first)
    with _WORKER_HEAP.batch():  # a worker's heap is its own (news.heap)
        return _prepared(lines, first)


def _prepared(lines: list[str], first: int) -> list[tuple[int, PackedArticle | str]]:
    return [
        (number, parsed if isinstance(parsed, str) else pack_article(parsed)) for number, parsed in _parse_lines(lines, first)
    ]


_WORKER_HEAP = FrozenHeap()


# An article on its way back from a worker: its fields as plain values, in NewArticle's order.
PackedArticle = tuple[object, ...]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _instant(moment: datetime | None) -> int | None:
    return None if moment is None else (moment - _EPOCH) // _MICROSECOND


def _moment(instant: object) -> datetime | None:
    return None if instant is None else _EPOCH + cast(int, instant) * _MICROSECOND


def pack_article(article: NewArticle) -> PackedArticle:
    """`article` as a tuple of plain values, which pickles in a third of the time and unpickles
    in two thirds (measured on the import benchmark's items: 6 µs against 15 out, 14 against 19
    back, building the article again included): a frozen dataclass pickles field by field, by
    name, a datetime as a call with its zone, a NamedTuple as a call of its class.  Times are
    aware UTC (make_article), kept as microseconds since 1970."""
    search, key = article.search, article.story_key
    return (
        article.title, article.title_key, article.content_hash, article.body, article.summary, article.url,
        article.source, _instant(article.published_at), article.lang, article.topics, article.regions,
        search.title_words, search.title_stems, search.body_words, search.body_stems, article.guid,
        article.source_id, None if key is None else tuple(key), article.topic_margin,
        _instant(article.claimed_published_at),
    )


def unpack_article(packed: PackedArticle) -> NewArticle:
    (
        title, title_key, content_hash, body, summary, url, source, published_at, lang, topics, regions,
        title_words, title_stems, body_words, body_stems, guid, source_id, key, topic_margin, claimed_published_at,
    ) = packed
    return NewArticle(
        title, title_key, content_hash, body, summary, url, source, _moment(published_at), lang, topics, regions,  # type: ignore[arg-type]
        SearchText(title_words, title_stems, body_words, body_stems),  # type: ignore[arg-type]
        guid, source_id, None if key is None else StoryKey._make(key), topic_margin,  # type: ignore[arg-type]
        _moment(claimed_published_at),
    )


def _parse_lines(lines: Iterable[str], first: int) -> Iterator[tuple[int, NewArticle | str]]:
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        except ValueError:  # the one other thing json.loads refuses: an integer too long to convert
            yield number, f"not valid JSON (a number of more than {sys.get_int_max_str_digits()} digits)"
            continue
        except RecursionError:
            yield number, "not valid JSON (nested too deep)"
            continue
        try:
            yield number, _article_from_json(record)
        except InvalidArticle as exc:
            yield number, str(exc)


# --- Aggregator pages -----------------------------------------------------------------------


def parse_aggregator_page(text: str, source: str) -> Iterator[tuple[int, NewArticle | str]]:
    """A page of an aggregator: a run of headlines, then one article wrapped in site boilerplate.

    The headlines (the lines before the first blank line) become headline-only articles; the
    rest, without its boilerplate, is one article whose first line is its title.  The full
    article comes first, so that its headline in the run counts as its duplicate, not the
    other way round.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = list(enumerate(lines, start=1))
    start = next((i for i, (_, line) in enumerate(numbered) if line.strip()), len(numbered))
    end = next((i for i in range(start, len(numbered)) if not numbered[i][1].strip()), len(numbered))
    headline_lines, article_lines = numbered[start:end], numbered[end:]

    kept = [(n, line.strip()) for n, line in article_lines if line.strip() and not is_boilerplate(line)]
    if kept:
        (title_line, title), paragraphs = kept[0], kept[1:]
        try:
            yield title_line, make_article(
                title=title, body="\n\n".join(p for _, p in paragraphs), source=source
            )
        except InvalidArticle as exc:
            yield title_line, str(exc)

    for number, line in headline_lines:
        if is_boilerplate(line):
            continue
        for headline in _HEADLINE_SEPARATOR.split(line):
            if headline.strip() and not is_boilerplate(headline):
                try:
                    yield number, make_article(title=headline, source=source)
                except InvalidArticle as exc:  # a headline of control characters only
                    yield number, str(exc)


# --- Running an import ----------------------------------------------------------------------


def _is_jsonl(path: Path, text: str) -> bool:
    return path.suffix.lower() in JSONL_SUFFIXES or text.lstrip().startswith("{")


def _page_source(path: Path, source: str | None) -> str:
    """The source an aggregator page's articles are shown under: --source, else the file's name."""
    if source:
        return source
    if path == STDIN:  # "-" or "stdin" shown to readers as an agency's name would be wrong
        raise UnreadableFile(
            "<stdin>: an aggregator page read from standard input needs --source NAME (the name its articles are shown under)"
        )
    return path.stem


def parse_file(path: Path, source: str | None = None) -> Iterator[tuple[int, NewArticle | str]]:
    text = read_text(path)
    if _is_jsonl(path, text):
        return parse_jsonl(text)
    return parse_aggregator_page(text, _page_source(path, source))


async def _parsed_by(workers: CpuWorkers, lines: list[str]) -> AsyncGenerator[list[tuple[int, NewArticle | str]], None]:
    """The lines parsed in the worker processes a batch at a time, in order: the workers keep
    a transaction's batches and a few more ahead, so that they have work while this process
    stores the ones before."""
    starts = iter(range(0, len(lines), _BATCH))
    ahead: deque[asyncio.Future[list[tuple[int, PackedArticle | str]]]] = deque()

    def send_next() -> None:
        if (start := next(starts, None)) is not None:
            ahead.append(asyncio.ensure_future(workers.run(parse_jsonl_lines, lines[start : start + _BATCH], start + 1)))

    for _ in range(workers.processes + 1 + _BATCHES_PER_TRANSACTION):
        send_next()
    try:
        while ahead:
            parsed = await ahead.popleft()
            send_next()
            yield [(number, item if isinstance(item, str) else unpack_article(item)) for number, item in parsed]
    finally:
        for future in ahead:  # stopped early (an error storing): the batches still out are not wanted
            future.cancel()


async def _parsed(
    path: Path, source: str | None, workers: CpuWorkers | None
) -> AsyncGenerator[list[tuple[int, NewArticle | str]], None]:
    """The file's lines parsed, a batch at a time: in the worker processes for a large JSON
    Lines file, else here."""
    text = read_text(path)
    if workers is not None and workers.processes > 0 and _is_jsonl(path, text):
        lines = _JSONL_LINE_END.split(text)
        if len(lines) >= WORKERS_FROM_LINES:
            del text
            async for parsed in _parsed_by(workers, lines):
                yield parsed
            return
    parsed_here = parse_jsonl(text) if _is_jsonl(path, text) else parse_aggregator_page(text, _page_source(path, source))
    while chunk := list(islice(parsed_here, _BATCH)):
        yield chunk


async def import_file(
    path: Path, store: ArticleStore, source: str | None = None, progress: Callable[[int], None] | None = None,
    workers: CpuWorkers | None = None,
) -> ImportReport:
    """The file's articles stored; `progress` is told how many lines were read so far.  With
    `workers`, a large JSON Lines file is parsed in worker processes while this one stores
    what they have parsed."""
    report = ImportReport()
    batch: list[tuple[int, NewArticle]] = []

    async def flush() -> None:
        ids = await store.add_many([article for _, article in batch])
        for (number, _), article_id in zip(batch, ids, strict=True):
            if article_id is None:
                report.duplicates += 1
                report.duplicate_lines.append((shown(path), number))
            else:
                report.added += 1
        batch.clear()

    number = 0
    async with aclosing(_parsed(path, source, workers)) as chunks:
        async for chunk in chunks:
            for number, parsed in chunk:
                if isinstance(parsed, str):
                    report.rejected.append(Rejected(shown(path), number, parsed))
                    continue
                batch.append((number, parsed))
                if len(batch) >= _BATCH * _BATCHES_PER_TRANSACTION:
                    await flush()
                    if progress is not None:
                        progress(number)
    if batch:
        await flush()
    if progress is not None:
        progress(number)
    return report
