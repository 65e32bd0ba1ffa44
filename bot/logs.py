"""Logging for the process: one format, and the bot token scrubbed from every line.

PTB's request URLs carry the token (`/bot<token>/sendMessage`) and httpx logs every URL at
INFO, so httpx is kept at WARNING and a filter on the handler replaces the token wherever it
still shows up — in a message, its arguments or a traceback.
"""

from __future__ import annotations

import logging
import sys

REDACTED = "<token>"


class RedactToken(logging.Filter):
    def __init__(self, token: str | None) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._token:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if self._token in message:
            record.msg, record.args = message.replace(self._token, REDACTED), None
        if record.exc_text and self._token in record.exc_text:
            record.exc_text = record.exc_text.replace(self._token, REDACTED)
        return True


def setup_logging(level: str, token: str | None, stream=None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every URL (with the token) at INFO; APScheduler logs every tick at INFO.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
