"""The operator's listener (AKHBAR_METRICS_LISTEN=HOST:PORT): GET /metrics and GET /healthz.

The socket is bound when the application is built, before anything else starts: a port taken
or an address that is not this machine's stops `akhbar run` with one line and a non-zero exit
(ListenError is a ConfigError), not a traceback halfway through start-up.  The server itself
runs from post_init to post_shutdown, on aiohttp (already the bot's HTTP client and the
emulator's server).

/healthz answers 200 with a small JSON body when all is well, 503 with the reasons when:
- the database refuses a write (read-only, full, unreachable), or one has waited over
  PROBE_SECONDS for its turn — probed with a write that changes nothing;
- Telegram has failed every call (5xx, timeouts, no connection, a revoked token) for more
  than TELEGRAM_FAILING_SECONDS: a single bad gateway is retried and is no outage;
- a broadcast is stuck: a digest has been due for more than STUCK_SECONDS, and for as long
  neither has this process recorded a digest's outcome nor has the backlog shrunk between two
  readings (another process's sending shows there); not checked in a receiver, which sends none.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.config import ConfigError, listen_address
from bot.metrics import PrometheusMetrics
from news.repositories import StorageError, StorageUnavailable

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

PROBE_SECONDS = 5.0
TELEGRAM_FAILING_SECONDS = 60.0
STUCK_SECONDS = 600.0
# The roles whose process only answers updates: it never sends digests, so the backlog not
# moving is no sign of its health.
_SENDS_NO_DIGESTS = ("receiver",)


class ListenError(ConfigError):
    """The metrics listener cannot bind; str() is the operator's one line."""


def bind(address: str, setting: str = "AKHBAR_METRICS_LISTEN") -> socket.socket:
    """A listening socket on HOST:PORT (port 0: any free one), or ListenError."""
    host, port = listen_address(address, setting, lowest_port=0)
    try:
        family, kind, proto, _, where = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait out TIME_WAIT
            sock.bind(where)
            sock.listen(128)
            sock.setblocking(False)
        except BaseException:
            sock.close()
            raise
    except OSError as error:  # taken, not this machine's address, no such host, not allowed
        raise ListenError(f"{setting}: cannot listen on {address}: {error.strerror or error}") from None
    return sock


@dataclass(slots=True)
class Health:
    """What /healthz found: healthy when there are no reasons."""

    role: str
    reasons: list[str] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.reasons

    def body(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "failing", "role": self.role, **self.details,
                **({"reasons": self.reasons} if self.reasons else {})}


class Monitor:
    """The listener of one process: its socket from build time, its server while it runs."""

    def __init__(self, metrics: PrometheusMetrics, sock: socket.socket) -> None:
        self.metrics, self.sock = metrics, sock
        self.port: int = sock.getsockname()[1]
        # The thresholds, settable by tests (which cannot wait ten minutes).
        self.probe_seconds = PROBE_SECONDS
        self.telegram_failing_seconds = TELEGRAM_FAILING_SECONDS
        self.stuck_seconds = STUCK_SECONDS
        self._services: Services | None = None
        self._runner: web.AppRunner | None = None
        self._probe: asyncio.Task[None] | None = None
        # The digest backlog at the last reading, and when it last shrank (or was empty).
        self._last_due: int | None = None
        self._backlog_moved_at = time.monotonic()

    async def start(self, services: Services) -> None:
        self._services = services
        app = web.Application()
        app.router.add_get("/metrics", self._metrics_page)
        app.router.add_get("/healthz", self._healthz)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.SockSite(self._runner, self.sock).start()
        host = self.sock.getsockname()[0]
        log.info("monitoring: /metrics and /healthz on http://%s:%s", host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        if (probe := self._probe) is not None:  # ended before the database closes under it
            probe.cancel()
            await asyncio.wait({probe})
            if not probe.cancelled():
                probe.exception()  # a refusal a check has already reported (or will never ask for)
        self.sock.close()
        self._services = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the monitor is not started")
        return self._services

    async def _metrics_page(self, _request: web.Request) -> web.Response:
        return web.Response(body=await self.serve_metrics(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def serve_metrics(self) -> bytes:
        """/metrics' body: the backlog read now, then every metric."""
        try:
            await self._read_backlog()
        except StorageError as error:  # the counters are still worth a scrape
            log.warning("metrics: the digest backlog could not be read: %s", error)
        return self.metrics.exposition()

    async def _healthz(self, _request: web.Request) -> web.Response:
        health = await self.check()
        return web.Response(
            status=200 if health.ok else 503, text=json.dumps(health.body(), ensure_ascii=False),
            content_type="application/json",
        )

    async def _read_backlog(self) -> tuple[int, float]:
        """The backlog read now (and set on the gauges): chats due, seconds the earliest has waited.

        A backlog smaller than at the last reading, or none, is progress too: the digests another
        process sends (several processes, one database) move it without any record here."""
        try:
            backlog = await self.services.digests.backlog()
        except StorageError:
            self.metrics.backlog_unreadable()
            raise
        if backlog.due == 0 or (self._last_due is not None and backlog.due < self._last_due):
            self._backlog_moved_at = time.monotonic()
        self._last_due = backlog.due
        age = (self.services.clock() - backlog.oldest).total_seconds() if backlog.oldest is not None else 0.0
        self.metrics.set_backlog(backlog, max(0.0, age))
        return backlog.due, age

    async def check(self) -> Health:
        health = Health(self.metrics.role)
        health.details["database"] = reason = await self._database_writable()
        if reason != "writable":
            health.reasons.append(f"database {reason}")
        failing = self.metrics.telegram_failing_for()
        if failing > self.telegram_failing_seconds:
            health.reasons.append(f"telegram failing for {failing:.0f} s")
        health.details["telegram"] = f"failing for {failing:.0f} s" if failing else "ok"
        try:
            due, age = await self._read_backlog()
        except StorageError as error:
            health.reasons.append(f"digest backlog unreadable: {error}")
            return health
        health.details["digests_due"] = due
        idle = min(self.metrics.digests_idle_for(), time.monotonic() - self._backlog_moved_at)
        if self.metrics.role not in _SENDS_NO_DIGESTS and due and age > self.stuck_seconds and idle > self.stuck_seconds:
            health.reasons.append(
                f"digests stuck: {due} due, the earliest for {age:.0f} s, none sent for {idle:.0f} s"
            )
        return health

    async def _database_writable(self) -> str:
        """"writable", "unreachable: …" or "not writable (read-only|full|locked): …".  A probe
        still waiting (behind a long write) is waited for at most probe_seconds and left
        running for the next check, never cancelled halfway."""
        if self._probe is None or self._probe.done():
            self._probe = asyncio.create_task(self.services.db.probe_write())
        probe = self._probe
        done, _ = await asyncio.wait({probe}, timeout=self.probe_seconds)
        if not done:
            return f"not writable: a write has waited over {self.probe_seconds:.0f} s"
        error = probe.exception()
        if error is None:
            return "writable"
        if isinstance(error, StorageUnavailable):
            return f"unreachable: {error}" if error.reason == "unreachable" else f"not writable ({error.reason}): {error}"
        return f"not writable: {type(error).__name__}: {error}"
