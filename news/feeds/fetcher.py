"""Downloading feeds and article pages over HTTP, politely and within hard limits.

A feed poller talks to hundreds of servers it does not control, so every answer is treated as
possibly hostile or broken: only http(s), redirects followed by hand (counted, and each target
checked to be a web URL), the body streamed and cut off at `max_bytes`, one deadline for the
whole exchange.  Polls are conditional (ETag / Last-Modified) so an unchanged feed costs the
site a 304.  Failures never raise: they come back as a FetchResult with one line for the admin.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from news.feeds.encoding import charset_from_content_type, decode_feed_bytes
from news.feeds.model import FeedError, FetchResult
from news.feeds.parser import read_feed
from news.feeds.prepare import PreparedFeed, SourceDefaults, read_and_prepare
from news.feeds.scraper import extract_article_text
from news.workers import CpuWorkers

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "Akhbar/0.1 (+https://github.com/akhbar)"
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"
# The statuses whose Retry-After says when to come back.
_RETRY_STATUSES = frozenset({429, 503})


class _Failure(Exception):
    def __init__(self, message: str, *, http_status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.message, self.http_status, self.retry_after = message, http_status, retry_after


@dataclass(slots=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str | None:
        value: str | None = self.headers.get("content-type")  # httpx types its get() loosely
        return value


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait, from a Retry-After of seconds ("120") or an HTTP date; None if neither."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _describe(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:150]


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


class FeedFetcher:
    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        timeout: float = 15.0,
        max_bytes: int = 5_000_000,
        max_redirects: int = 5,
        user_agent: str = DEFAULT_USER_AGENT,
        workers: CpuWorkers | None = None,
    ) -> None:
        self.timeout = timeout
        # Parsing and page extraction run there; without workers given, in a thread each.
        self.workers = workers or CpuWorkers(0)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self._owns_client = client is None
        # Redirects are followed by hand (see _follow), whatever the client's own setting.
        self._client = client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    async def __aenter__(self) -> FeedFetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        # A client that was lent to us is its owner's to close.
        if self._owns_client:
            await self._client.aclose()

    # ---- feeds ----

    async def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        prepare_for: SourceDefaults | None = None,
    ) -> FetchResult:
        """One poll of a feed: ok with its items, not_modified, or error with the reason.

        With `prepare_for`, an ok result also holds each item's article, made in the same step
        as the parsing (news.feeds.prepare).
        """
        headers = {"Accept": FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        visited: list[str] = []
        # On any failure the validators we were given are handed back: what we hold is still
        # the last version we read, and a new ETag for a document we could not use would make
        # the next poll a 304 for it.
        try:
            answer = await self._download(url, headers, visited)
        except _Failure as failure:
            log.info("feed %s: %s", url, failure.message)
            return FetchResult(
                "error",
                error=failure.message,
                http_status=failure.http_status,
                retry_after=failure.retry_after,
                final_url=visited[-1] if visited else None,
                etag=etag,
                last_modified=last_modified,
            )
        final_url = visited[-1]
        if answer.status == 304:
            return FetchResult(
                "not_modified",
                etag=answer.headers.get("etag") or etag,
                last_modified=answer.headers.get("last-modified") or last_modified,
                http_status=304,
                final_url=final_url,
            )
        try:
            # feedparser on a few MB is CPU work: off the event loop, the bot stays responsive.
            if prepare_for is None:
                parsed = await self.workers.run(read_feed, answer.body, answer.content_type, final_url)
                prepared = PreparedFeed(parsed.title, parsed.items, [], parsed.malformed)
            else:
                prepared = await self.workers.run(
                    read_and_prepare, answer.body, answer.content_type, final_url, prepare_for
                )
        except FeedError as exc:
            log.info("feed %s: %s", url, exc)
            return FetchResult(
                "error", error=str(exc), http_status=answer.status, final_url=final_url, etag=etag, last_modified=last_modified
            )
        if prepared.malformed:
            log.info("feed %s is malformed (%s); its items were read leniently", url, prepared.malformed)
        return FetchResult(
            "ok",
            items=tuple(prepared.items),
            articles=tuple(prepared.articles),
            malformed=prepared.malformed,
            feed_title=prepared.title,
            etag=answer.headers.get("etag"),
            last_modified=answer.headers.get("last-modified"),
            http_status=answer.status,
            final_url=final_url,
        )

    # ---- article pages ----

    async def fetch_article_text(self, url: str, boilerplate: Sequence[str] = ()) -> str | None:
        """The main text of an article page, paragraphs separated by a blank line; None if none."""
        visited: list[str] = []
        try:
            answer = await self._download(url, {"Accept": PAGE_ACCEPT}, visited)
        except _Failure as failure:
            log.info("article %s: %s", url, failure.message)
            return None
        if answer.status != 200 or not answer.body:
            return None
        html = decode_feed_bytes(answer.body, charset_from_content_type(answer.content_type))
        return await self.workers.run(extract_article_text, html, visited[-1], tuple(boilerplate))

    # ---- HTTP ----

    async def _download(self, url: str, headers: dict[str, str], visited: list[str]) -> _Answer:
        if not is_web_url(url):
            raise _Failure("only http and https URLs")
        headers = {"User-Agent": self.user_agent, **headers}
        try:
            # One deadline for everything (all redirects, the whole body): httpx's own timeout
            # is per read, and a server dripping a byte a second would never trip it.
            async with asyncio.timeout(self.timeout):
                return await self._follow(url.strip(), headers, visited)
        except (TimeoutError, httpx.TimeoutException):
            raise _Failure(f"timed out after {self.timeout:g} s") from None
        except httpx.InvalidURL as exc:
            raise _Failure(f"invalid URL: {_describe(exc)}") from None
        except httpx.HTTPError as exc:
            raise _Failure(f"connection failed: {_describe(exc)}") from None

    async def _follow(self, url: str, headers: dict[str, str], visited: list[str]) -> _Answer:
        for _ in range(self.max_redirects + 1):
            visited.append(url)
            request = self._client.build_request("GET", url, headers=headers, timeout=httpx.Timeout(self.timeout))
            response = await self._client.send(request, stream=True, follow_redirects=False)
            try:
                status = response.status_code
                if status == 304:
                    return _Answer(status, response.headers, b"")
                if response.has_redirect_location:  # 301, 302, 303, 307, 308 with a Location
                    url = urljoin(url, response.headers["location"].strip())
                    if not is_web_url(url):
                        raise _Failure(f"only http and https URLs (redirected to {url[:60]})")
                    continue
                if status >= 300:  # an error, or a 3xx we cannot follow
                    retry_after = None
                    if status in _RETRY_STATUSES:
                        retry_after = parse_retry_after(response.headers.get("retry-after"))
                    raise _Failure(f"HTTP {status}", http_status=status, retry_after=retry_after)
                return _Answer(status, response.headers, await self._read_body(response))
            finally:
                # Closing a half-read stream drops the connection: the rest is never downloaded.
                await response.aclose()
        raise _Failure("too many redirects")

    async def _read_body(self, response: httpx.Response) -> bytes:
        too_large = _Failure(f"response larger than {_megabytes(self.max_bytes)}", http_status=response.status_code)
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise too_large  # said so up front: not a byte read
        chunks, size = [], 0
        # Decoded bytes are counted (after gzip), so a small compressed bomb is cut off too.
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)
