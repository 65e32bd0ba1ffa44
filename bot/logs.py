"""Logging for the process: one format, and the secrets scrubbed from every line.

PTB's request URLs carry the token (`/bot<token>/sendMessage`) and httpx logs every URL at
INFO, so httpx is kept at WARNING and a filter on the handler replaces the token wherever it
still shows up — in a message, its arguments or a traceback.  The webhook's secret token
(which PTB logs at DEBUG among setWebhook's parameters) is scrubbed the same way.

The database out of reach (PostgreSQL restarted, the network cut) is said once, not by every
job at every tick (the heartbeat alone every 2 s): the first line about it goes out, saying
that the next ones are held back, then one a minute, until a heartbeat reaches the database
again and the process says in one line that it is back, after how long.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from news.repositories import StorageUnavailable

REDACTED = "<token>"
SECRET_REDACTED = "<secret>"


class RedactSecrets(logging.Filter):
    def __init__(self, token: str | None, *secrets: str | None) -> None:
        super().__init__()
        self._replacements = [(token, REDACTED)] if token else []
        self._replacements += [(secret, SECRET_REDACTED) for secret in secrets if secret]

    def _scrub(self, text: str) -> str:
        for secret, placeholder in self._replacements:
            text = text.replace(secret, placeholder)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._replacements:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if (scrubbed := self._scrub(message)) != message:
            record.msg, record.args = scrubbed, None
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        return True


# An outage goes on being said once a minute, with how long it has lasted.
OUTAGE_REMINDER_SECONDS = 60.0
# A record about the database out of reach that is neither a StorageUnavailable in its
# arguments nor its exception carries this attribute (asyncpg's pool's: storage/postgres.py).
OUT_OF_REACH = "database_out_of_reach"


def _out_of_reach(record: logging.LogRecord) -> bool:
    if getattr(record, OUT_OF_REACH, False):
        return True
    args = record.args if isinstance(record.args, tuple) else ()
    errors = [*args, record.exc_info[1] if record.exc_info else None]
    return any(isinstance(error, StorageUnavailable) and error.reason == "unreachable" for error in errors)


class DatabaseOutage(logging.Filter):
    """Lets through the first line about the database out of reach and one a minute after it;
    `answered` ends the outage, with a line saying so."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._clock = clock
        self._since: float | None = None
        self._said_at = 0.0
        self._held = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if not _out_of_reach(record):
            return True
        now = self._clock()
        if self._since is None:
            self._since = self._said_at = now
            record.msg, record.args = f"{record.getMessage()}; the database is out of reach: the jobs pause and "\
                "try again, and further lines about it are held back until it is back", None
            return True
        if now - self._said_at >= OUTAGE_REMINDER_SECONDS:
            record.msg, record.args = f"{record.getMessage()} (the database out of reach for {now - self._since:.0f} s; "\
                f"{self._held} lines about it held back)", None
            self._said_at, self._held = now, 0
            return True
        self._held += 1
        return False

    def answered(self) -> None:
        """The database answered again: the outage, if one was said, ends with a line."""
        if self._since is None:
            return
        lasted, held = self._clock() - self._since, self._held
        self._since, self._held = None, 0
        logging.getLogger(__name__).warning(
            "the database is back after %.0f s (%d lines about the outage held back)", lasted, held
        )


_outage: DatabaseOutage | None = None


def database_answered() -> None:
    """Told by the heartbeat each time it reached the database (bot/processes.py)."""
    if _outage is not None:
        _outage.answered()


def setup_logging(level: str, token: str | None, stream=None, *secrets: str | None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(token, *secrets))
    global _outage
    _outage = DatabaseOutage()
    handler.addFilter(_outage)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every URL (with the token) at INFO; APScheduler logs every tick at INFO.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
