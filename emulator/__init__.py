"""A local, strict Telegram Bot API emulator (independent of python-telegram-bot).

Used by the test suite to drive the real bot over HTTP, and by ``akhbar demo``.
"""

from .html_entities import HTMLParseError, parse_html, utf16_len
from .ratelimit import Limits, RateLimiter
from .server import BotAPIEmulator
from .validation import APIError

__all__ = [
    "APIError",
    "BotAPIEmulator",
    "HTMLParseError",
    "Limits",
    "RateLimiter",
    "parse_html",
    "utf16_len",
]
