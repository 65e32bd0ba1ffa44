"""PTB's network backend on aiohttp instead of httpx: the same requests, less CPU per request.

PTB sends every Bot API call through a `BaseRequest`; its default, `HTTPXRequest`, costs
about as much CPU per call as everything else the bot does for a digest, and on a broadcast
the bot is CPU-bound (benchmarks/delivery_benchmark.py measures both backends).  aiohttp is
already a dependency (the emulator serves with it).  Behaviour follows HTTPXRequest: form
fields (multipart when there are files), the same timeouts, TimedOut on a timeout and
NetworkError on any other transport failure.

Every call to Telegram, getUpdates included, passes here: whether Telegram answered is
reported to news.metrics (for /healthz: "Telegram failing for over a minute").
"""

from __future__ import annotations

import re

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from news.metrics import NO_METRICS, Metrics

# PTB marks "no timeout given for this call" with a sentinel of this (private) class.
_UNSET = type(BaseRequest.DEFAULT_NONE)
# Some aiohttp errors quote the URL, whose path carries the bot token.
_TOKEN_IN_PATH = re.compile(r"/bot[^/\s]+/")


class AiohttpRequest(BaseRequest):
    __slots__ = ("_connection_pool_size", "_metrics", "_session", "_timeouts")

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

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connection_pool_size)
            # trust_env: HTTPS_PROXY / ALL_PROXY are honoured, as PTB's httpx backend does
            # (where Telegram is filtered, a proxy is how the bot reaches it).
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}, trust_env=True
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

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
        data: aiohttp.FormData | dict | None = None
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
                data = fields
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
            async with self._session.request(
                method, url, data=data, timeout=timeout, allow_redirects=False
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
