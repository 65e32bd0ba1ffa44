"""Logging for the process: one format, and the secrets scrubbed from every line.

PTB's request URLs carry the token (`/bot<token>/sendMessage`) and httpx logs every URL at
INFO, so httpx is kept at WARNING and a filter on the handler replaces the token wherever it
still shows up — in a message, its arguments or a traceback.  The webhook's secret token
(which PTB logs at DEBUG among setWebhook's parameters) is scrubbed the same way.
"""

from __future__ import annotations

import logging
import sys

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


def setup_logging(level: str, token: str | None, stream=None, *secrets: str | None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(token, *secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every URL (with the token) at INFO; APScheduler logs every tick at INFO.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
