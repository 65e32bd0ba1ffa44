"""PTB's network backend on aiohttp instead of httpx: the same requests, less CPU per request.

PTB sends every Bot API call through a `BaseRequest`; its default, `HTTPXRequest`, costs
about as much CPU per call as everything else the bot does for a digest, and on a broadcast
the bot is CPU-bound (benchmarks/delivery_benchmark.py measures both backends).  aiohttp is
already a dependency (the emulator serves with it).  Behaviour follows HTTPXRequest: form
fields (multipart when there are files), the same timeouts, TimedOut on a timeout and
NetworkError on any other transport failure.

Every call to Telegram, getUpdates included, passes here: whether Telegram answered is
reported to news.metrics (for /healthz: "Telegram failing for over a minute").

What the environment says about a host (a proxy from HTTPS_PROXY / ALL_PROXY / NO_PROXY, a
login from ~/.netrc, as PTB's httpx backend honours them) is read once per host, the first time
it is called, not on every call: aiohttp's trust_env reads them in a thread twice per request,
which cost an alert storm more CPU than the limiter and the rendering together.  Plain fields
go url-encoded as aiohttp would encode them, without building a multipart writer for each.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url, netrc_from_env
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

from news.metrics import NO_METRICS, Metrics

# PTB marks "no timeout given for this call" with a sentinel of this (private) class.
_UNSET = type(BaseRequest.DEFAULT_NONE)
# Some aiohttp errors quote the URL, whose path carries the bot token.
_TOKEN_IN_PATH = re.compile(r"/bot[^/\s]+/")
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class _Route:
    """How the environment says to reach a host: through which proxy (and its login), with
    which login of ~/.netrc."""

    __slots__ = ("auth", "proxy", "proxy_auth")

    def __init__(self, host: URL) -> None:
        self.proxy: URL | None = None
        self.proxy_auth: aiohttp.BasicAuth | None = None
        self.auth: aiohttp.BasicAuth | None = None
        try:
            self.proxy, self.proxy_auth = get_env_proxy_for_url(host)
        except LookupError:  # no proxy for it
            pass
        logins = netrc_from_env()
        login = logins.authenticators(host.host) if logins is not None and host.host else None
        if login is not None:  # as aiohttp reads an entry: (login, account, password)
            name, account, password = login
            self.auth = aiohttp.BasicAuth(name if name or account is None else account, password or "")


class AiohttpRequest(BaseRequest):
    __slots__ = ("_connection_pool_size", "_metrics", "_routes", "_session", "_timeouts")

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        metrics: Metrics = NO_METRICS,
    ) -> None:
        self._connection_pool_size = connection_pool_size
        self._metrics = metrics
        self._timeouts = {"read": read_timeout, "write": write_timeout, "connect": connect_timeout, "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None
        self._routes: dict[str, _Route] = {}  # by scheme://host:port

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """PTB's, without its ERROR line quoting the whole answer and a traceback, each call,
        when the answer is not JSON (a proxy's HTML error page, its Bot API server down): the
        error raised says it already, and is logged once, in a line, by whoever handles it.
        A NetworkError, not PTB's bare TelegramError: Telegram is not what answered (a captive
        portal's page, a web site at TELEGRAM_API_URL), which is retried as Telegram out of
        reach is — a 200 page made `akhbar run` end in a traceback."""
        try:
            return json.loads(payload.decode("utf-8", "replace"))  # type: ignore[no-any-return]
        except ValueError:
            raise NetworkError("the answer is not JSON, so not the Bot API's (check TELEGRAM_API_URL)") from None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connection_pool_size)
            # HTTPS_PROXY / ALL_PROXY are honoured, as PTB's httpx backend does (where Telegram
            # is filtered, a proxy is how the bot reaches it): by `_route`, once per host.
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})
            self._routes.clear()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def _route(self, url: str) -> _Route:
        """The environment's word on `url`'s host, read (in a thread: ~/.netrc is a file) the
        first time the host is called."""
        origin = url[: url.find("/", url.find("//") + 2)]  # scheme://host:port
        route = self._routes.get(origin)
        if route is None:
            try:
                host = URL(origin)
            except ValueError as error:  # what aiohttp would have refused the URL with
                raise aiohttp.InvalidURL(url) from error
            route = self._routes[origin] = await asyncio.to_thread(_Route, host)
        return route

    def _timeout(self, name: str, value: object) -> float | None:
        return self._timeouts[name] if isinstance(value, _UNSET) else value  # type: ignore[return-value]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        data: aiohttp.FormData | bytes | None = None
        headers = None
        if request_data is not None:
            fields = request_data.json_parameters
            files = request_data.multipart_data
            if files:
                form = aiohttp.FormData()
                for name, value in fields.items():
                    form.add_field(name, value)
                for name, (filename, content, mimetype) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                data = form
            elif fields:
                data, headers = urlencode(fields).encode(), _FORM
        # aiohttp has no write timeout of its own (the read's bounds a stalled request), and
        # its `connect` covers the wait for a pooled connection plus connecting.
        pool, connect = self._timeout("pool", pool_timeout), self._timeout("connect", connect_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=self._timeout("read", read_timeout),
        )
        try:
            route = await self._route(url)
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout, allow_redirects=False,
                proxy=route.proxy, proxy_auth=route.proxy_auth, auth=route.auth,
            ) as response:
                answer = response.status, await response.read()
        except TimeoutError as error:
            self._metrics.telegram_answered(False)
            raise TimedOut from error
        except aiohttp.ClientError as error:
            self._metrics.telegram_answered(False)
            # The message may end up stored (a digest's failure reason): never the token.
            detail = _TOKEN_IN_PATH.sub("/bot<token>/", str(error))
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {detail}") from None
        # A 5xx is Telegram failing; a 401 or 404, the token refused: no call can succeed.
        self._metrics.telegram_answered(answer[0] < 500 and answer[0] not in (401, 404))
        return answer
