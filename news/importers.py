"""`akhbar import`: JSON Lines files and aggregator pages in, a report of what happened out.

Every bad line is reported with its number and the reason and the rest is still imported; a file
that cannot be read at all raises `UnreadableFile`.  Duplicates are decided by storage (same URL,
or same source and normalized title), so an import run twice adds nothing the second time.
"""

from __future__ import annotations

import asyncio
import codecs
import io
import json
import multiprocessing
import re
import sys
import threading
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator, Sequence
from contextlib import aclosing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from news.articles import InvalidArticle, make_article
from news.boilerplate import is_boilerplate
from news.heap import FrozenHeap
from news.model import NewArticle, SearchText
from news.repositories import StorageUnavailable
from news.story_key import StoryKey
from news.topics import find_topic
from news.workers import CpuWorkers

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
PAGE_SUFFIX = ".txt"
# What marks an aggregator page's text without its .txt: a run of no-break spaces between two
# headlines of its first line (plain spaces and tabs are any text's, a table's).
_PAGE_MARK = re.compile(r"\S[^\S\n]*\u00a0[^\S\n]*\u00a0[^\S\n]*\S")
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
    """The file cannot be read as text, from its start or from some line on; the message is
    for the operator, `report` what was imported before."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.report = ImportReport()


class ImportStopped(Exception):
    """The database refused a batch (a full disk, a read-only file, a lock held too long, a
    server out of reach): nothing of that batch is stored, all before it is.  `report` is what
    was imported before, `line` the first line not stored, `refusal` the database's reason."""

    def __init__(self, path: Path, line: int, refusal: StorageUnavailable, report: ImportReport) -> None:
        super().__init__(f"{shown(path)}: stopped at line {line:,}: {refusal}")
        self.path, self.line, self.refusal, self.report = path, line, refusal, report


class ArticleStore(Protocol):
    async def add_many(self, articles: Sequence[NewArticle]) -> list[int | None]: ...


@dataclass(frozen=True, slots=True)
class Rejected:
    path: str
    line: int
    reason: str


# Duplicates whose line is kept, for the report to point at: a second run of a big file has one
# on every line, and a list of them all grew by a tuple a line (about 70 MB a million lines).
DUPLICATE_LINES_KEPT = 5


@dataclass(slots=True)
class ImportReport:
    added: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    first_duplicate_lines: list[tuple[str, int]] = field(default_factory=list)  # (path, line), DUPLICATE_LINES_KEPT at most

    def duplicate(self, path: str, line: int) -> None:
        self.duplicates += 1
        if len(self.first_duplicate_lines) < DUPLICATE_LINES_KEPT:
            self.first_duplicate_lines.append((path, line))

    def merge(self, other: ImportReport) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.rejected.extend(other.rejected)
        room = DUPLICATE_LINES_KEPT - len(self.first_duplicate_lines)
        self.first_duplicate_lines.extend(other.first_duplicate_lines[: max(0, room)])


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    """The file (or standard input, left open) to read as bytes; UnreadableFile if it cannot be."""
    if path == STDIN:
        if sys.stdin is None:  # `akhbar import - <&-`
            raise UnreadableFile("<stdin>: standard input is closed")
        yield sys.stdin.buffer
        return
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot read it ({exc.strerror or exc})") from None
    with stream:
        yield stream


def _read(stream: BinaryIO, path: Path, size: int = -1) -> bytes:
    """Up to `size` bytes (what a pipe holds now: a slow writer is not waited for to fill
    them), or to the end."""
    try:
        return stream.read1(size) if size >= 0 and isinstance(stream, io.BufferedReader) else stream.read(size)
    except OSError as exc:
        raise UnreadableFile(f"{shown(path)}: cannot read it ({exc.strerror or exc})") from None


def _not_utf8(path: Path, offset: int, line: int) -> UnreadableFile:
    where = f"bad byte at line {line:,}, offset {offset:,}"
    if line == 1:
        return UnreadableFile(f"{shown(path)}: not UTF-8 text ({where}); save it as UTF-8 and retry")
    return UnreadableFile(
        f"{shown(path)}: not UTF-8 text ({where}): the lines before it were imported; save it as UTF-8 and "
        "import it again (what is stored already is counted as duplicates)"
    )


def _decoded(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc.start, 1 + len(_BYTES_LINE_END.findall(data, 0, exc.start))) from None


_BOM = codecs.BOM_UTF8
# Read a JSON Lines file a mebibyte at a time: its lines are parsed and stored as they come,
# never the whole file in memory (200 MB held as text and as lines came to about three times
# its size).  A line longer than that is read whole.
_CHUNK_BYTES = 1 << 20
# Where a line ends, in UTF-8 bytes: CR and LF are never part of another character's bytes.
_BYTES_LINE_END = re.compile(rb"\r\n|\r|\n")


class _StreamedLines:
    """The lines of a UTF-8 stream, read a chunk at a time, numbered from 1 as `parse_jsonl`
    numbers a whole text's: `chunks()` gives them a list a read.  At a byte that is not UTF-8
    the lines stop before its line, and `error` says where (the import stores the lines before
    it, then says so)."""

    def __init__(self, stream: BinaryIO, path: Path, head: bytes) -> None:
        self.stream, self.path, self.head = stream, path, head
        self.error: UnreadableFile | None = None

    def chunks(self) -> Iterator[list[str]]:
        # `pending`: what is read and not yet given, from file offset `offset`, on line `line`.
        pending, line, offset, searched = bytearray(), 1, 0, 0  # no line end in pending[:searched]
        # The head's lines first, before a read that may wait (a producer that wrote a few and
        # pauses): read already, so never empty but at the end.
        chunk = self.head
        if chunk.startswith(_BOM):
            chunk, offset = chunk[len(_BOM) :], len(_BOM)
        while True:
            pending += chunk
            # Up to the last line end, but a CR at the very end, which the next chunk's LF may follow.
            end = _after_last_line_end(pending, searched, len(pending) - 1) if chunk else len(pending)
            if end <= 0:
                if chunk:
                    searched = len(pending) - 1  # a line longer than a chunk: read on
                    chunk = _read(self.stream, self.path, _CHUNK_BYTES)
                    continue
                return
            whole = bytes(pending[:end])
            try:
                text = whole.decode("utf-8")
            except UnicodeDecodeError as exc:
                good = whole[: max(0, _after_last_line_end(whole, 0, exc.start))]
                if good:
                    yield _JSONL_LINE_END.split(good.decode("utf-8"))[:-1]
                bad_line = line + len(_BYTES_LINE_END.findall(whole, 0, exc.start))
                self.error = _not_utf8(self.path, offset + exc.start, bad_line)
                return
            lines = _JSONL_LINE_END.split(text)
            if not lines[-1]:
                lines.pop()  # what follows the last line end: nothing
            yield lines
            if not chunk:
                return
            line += len(lines)
            offset += end
            del pending[:end]
            searched = max(0, len(pending) - 1)  # only a CR may be left, at its end
            chunk = _read(self.stream, self.path, _CHUNK_BYTES)


def _after_last_line_end(data: bytes | bytearray, start: int, stop: int) -> int:
    """The index just after the last CR or LF in data[start:stop], or after an LF at `stop`; -1 if none."""
    cut = max(data.rfind(b"\n", start, stop + 1), data.rfind(b"\r", start, stop))
    return cut + 1 if cut >= 0 else -1


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
            yield number, f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})"  # "…starting at" at column
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


def _head(stream: BinaryIO, path: Path) -> bytes:
    """The stream's first bytes, up to its first that is not blank (or its end): enough to
    tell JSON Lines (a "{" first) from an aggregator page."""
    head = _read(stream, path, _CHUNK_BYTES)
    while (len(head) < len(_BOM) or not head.removeprefix(_BOM).lstrip()) and (more := _read(stream, path, _CHUNK_BYTES)):
        head += more
    return head


def _page_source(path: Path, source: str | None) -> str:
    """The source an aggregator page's articles are shown under: --source, else the file's name."""
    if source:
        return source
    if path == STDIN:  # "-" or "stdin" shown to readers as an agency's name would be wrong
        raise UnreadableFile(
            "<stdin>: an aggregator page read from standard input needs --source NAME (the name its articles are shown under)"
        )
    return path.stem


def _check_page(path: Path, start: str) -> None:
    """UnreadableFile unless a text that is not JSON Lines, which begins with `start`, is an
    aggregator page's: by its name (.txt), else by its first line.  Markup is no page's text:
    `akhbar import list.opml` (for `akhbar sources import`), a feed or a web page saved made
    their tags and lines headlines ("<?xml version=…>" in /latest, alerts to followers); so
    did any other text (notes.md, a CSV: a headline a line)."""
    if start.lstrip().startswith("<"):
        raise UnreadableFile(
            f"{shown(path)}: XML or HTML, not JSON Lines nor an aggregator page's text; nothing imported "
            "(a list of feeds in OPML is for `akhbar sources import`)"
        )
    first_line = _JSONL_LINE_END.split(start.lstrip(), 1)[0]
    if path.suffix.lower() != PAGE_SUFFIX and not _PAGE_MARK.search(first_line):
        raise UnreadableFile(
            f"{shown(path)}: neither JSON Lines (.jsonl, .ndjson, .json: a JSON object a line) nor an aggregator "
            "page (.txt: headlines between runs of no-break spaces, then an article); nothing imported"
        )


# A batch of lines waits this long at most for the rest of its lines: then what has come is
# parsed and stored, so that a slow producer (`tail -f … | akhbar import -`) sees its lines
# stored as they come, not once 500 of them (before the workers were decided, 5,000) have.
_PAUSE_SECONDS = 0.5


@dataclass(slots=True)
class _LineBatch:
    first: int  # the number of its first line
    lines: list[str]
    paused: bool  # cut short by a pause of the input: what came before it is stored now


class _Arrivals:
    """A stream's lines, read in a thread of their own a chunk at a time (up to `ahead` lines
    before they are taken), and taken a batch at a time by the event loop, which no thread
    waits for: Ctrl-C or an error storing stops the taking at once, whatever the reading."""

    def __init__(self, chunks: Iterator[list[str]], ahead: int) -> None:
        self._chunks, self._ahead = chunks, ahead
        self._waiting: list[str] = []
        self._next_line = 1
        self._ended = self._closed = False
        self._error: BaseException | None = None
        self._lock = threading.Condition()
        self._loop = asyncio.get_running_loop()
        self._arrived = asyncio.Event()
        # A daemon: a read blocked on a silent pipe must not keep the process from ending.
        threading.Thread(target=self._read, name="import-reader", daemon=True).start()

    def _read(self) -> None:
        try:
            for chunk in self._chunks:
                with self._lock:
                    while len(self._waiting) >= self._ahead and not self._closed:
                        self._lock.wait()
                    if self._closed:
                        return
                    self._waiting += chunk
                self._tell()
        except BaseException as error:  # noqa: BLE001 - (UnreadableFile: a read failed) raised by take()
            self._error = error
        with self._lock:
            self._ended = True
        self._tell()

    def _tell(self) -> None:
        try:
            self._loop.call_soon_threadsafe(self._arrived.set)
        except RuntimeError:  # the loop is closed: nobody takes any more
            pass

    async def waiting_at_least(self, count: int) -> int:
        """How many lines wait, once `count` do, the input has ended, or _PAUSE_SECONDS passed."""
        deadline = self._loop.time() + _PAUSE_SECONDS
        while True:
            self._arrived.clear()
            with self._lock:
                waiting, ended = len(self._waiting), self._ended
            if waiting >= count or ended or self._loop.time() >= deadline:
                return waiting
            with suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), deadline - self._loop.time())

    async def take(self, count: int) -> _LineBatch | None:
        """The next `count` lines, or fewer: the last ones, or those that came before the input
        paused for _PAUSE_SECONDS; None at the end (or the reading's error, once the lines
        before it are taken)."""
        deadline = self._loop.time() + _PAUSE_SECONDS
        while True:
            self._arrived.clear()
            with self._lock:
                waiting, ended = len(self._waiting), self._ended
                if waiting >= count or ended or (waiting and self._loop.time() >= deadline):
                    lines = self._waiting[:count]
                    del self._waiting[:count]
                    self._lock.notify()
                    break
            # None waiting: until one comes, however long; some: until the deadline.
            with suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), max(0.0, deadline - self._loop.time()) if waiting else None)
        if not lines:
            if self._error is not None:
                raise self._error
            return None
        first, self._next_line = self._next_line, self._next_line + len(lines)
        return _LineBatch(first, lines, paused=len(lines) < count and not ended)

    def close(self) -> None:
        """No more taken: the reading stops at its next chunk."""
        with self._lock:
            self._closed = True
            self._lock.notify()


async def _parsed_by(
    workers: CpuWorkers, arrivals: _Arrivals
) -> AsyncGenerator[tuple[list[tuple[int, NewArticle | str]], bool], None]:
    """The lines parsed in the worker processes a batch at a time, in order, each with whether
    the input paused after it: the workers keep a transaction's batches and a few more ahead,
    so that they have work while this process stores the ones before.  The lines are read as
    they are sent, never all held at once."""
    ahead: asyncio.Queue[tuple[asyncio.Future[list[tuple[int, PackedArticle | str]]], bool] | None] = asyncio.Queue(
        workers.processes + 1 + _BATCHES_PER_TRANSACTION
    )

    unreadable: list[UnreadableFile] = []

    async def send() -> None:
        try:
            while (batch := await arrivals.take(_BATCH)) is not None:
                parsing = asyncio.ensure_future(workers.run(parse_jsonl_lines, batch.lines, batch.first))
                await ahead.put((parsing, batch.paused))
        except UnreadableFile as error:  # raised below, once what was read before is stored
            unreadable.append(error)
        await ahead.put(None)

    sender = asyncio.ensure_future(send())
    try:
        while (sent := await ahead.get()) is not None:
            future, paused = sent
            parsed = await future
            yield [(number, item if isinstance(item, str) else unpack_article(item)) for number, item in parsed], paused
        await sender
        if unreadable:
            raise unreadable[0]
    finally:
        sender.cancel()
        while not ahead.empty():  # stopped early (an error storing): the batches still out are not wanted
            if (sent := ahead.get_nowait()) is not None:
                sent[0].cancel()


async def _parsed(
    path: Path, source: str | None, workers: CpuWorkers | None
) -> AsyncGenerator[tuple[list[tuple[int, NewArticle | str]], bool], None]:
    """The file's lines parsed, a batch at a time, each with whether the input paused after it
    (what came before is to be stored now): in the worker processes for a large JSON Lines
    file, else here.  JSON Lines are read as they are parsed (a file of any size in bounded
    memory); an aggregator page is read whole (its article comes first, from its end).  A
    byte that is not UTF-8 ends the lines before its own, then raises UnreadableFile."""
    with _opened(path) as stream:
        head = _head(stream, path)
        start = head.removeprefix(_BOM).decode("utf-8", "replace")
        if not _is_jsonl(path, start):
            _check_page(path, start)  # before the rest is read: a big file of something else is refused at once
            page_source = _page_source(path, source)
            parsed_page = parse_aggregator_page(_decoded(head + _read(stream, path), path), page_source)
            while chunk := list(islice(parsed_page, _BATCH)):
                yield chunk, False
            return
        streamed = _StreamedLines(stream, path, head)
        arrivals = _Arrivals(streamed.chunks(), max(WORKERS_FROM_LINES, _BATCH))
        try:
            # Worth starting the workers only for a long file, as its first lines tell, or a
            # stream that has that many lines waiting (a slow one's are parsed here meanwhile).
            use_workers = workers is not None and workers.processes > 0
            while not use_workers or await arrivals.waiting_at_least(WORKERS_FROM_LINES) < WORKERS_FROM_LINES:
                if (batch := await arrivals.take(_BATCH)) is None:
                    break
                yield list(_parse_lines(batch.lines, batch.first)), batch.paused
            else:  # (the loop ended by that many lines waiting, not by the input's end)
                assert workers is not None
                async for parsed in _parsed_by(workers, arrivals):
                    yield parsed
        finally:
            arrivals.close()
        if streamed.error is not None:
            raise streamed.error


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
        try:
            ids = await store.add_many([article for _, article in batch])
        except StorageUnavailable as refused:  # the batch undone: the next run starts from its first line
            raise ImportStopped(path, batch[0][0], refused, report) from refused
        for (number, _), article_id in zip(batch, ids, strict=True):
            if article_id is None:
                report.duplicate(shown(path), number)
            else:
                report.added += 1
        batch.clear()

    number = 0
    try:
        async with aclosing(_parsed(path, source, workers)) as chunks:
            async for chunk, paused in chunks:
                for number, parsed in chunk:
                    if isinstance(parsed, str):
                        report.rejected.append(Rejected(shown(path), number, parsed))
                        continue
                    batch.append((number, parsed))
                    if len(batch) >= _BATCH * _BATCHES_PER_TRANSACTION:
                        await flush()
                        if progress is not None:
                            progress(number)
                if paused:  # the input paused: what came is stored now, not once more has come
                    if batch:
                        await flush()
                    if progress is not None:
                        progress(number)
    except UnreadableFile as unreadable:  # part-way (a byte not UTF-8): the lines before it are stored
        if batch:
            await flush()
        unreadable.report = report
        raise
    if batch:
        await flush()
    if progress is not None:
        progress(number)
    return report
