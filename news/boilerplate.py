"""Lines that news sites wrap around an article and that are never part of it.

Matched on the normalized text of a whole line, at its start, so that a trailing dot, harakat
or a different hamza do not let one through.
"""

from __future__ import annotations

from news.text import normalize

AGGREGATOR_BOILERPLATE: tuple[str, ...] = (
    "انقر هنا لقراءة الخبر من مصدره",
    "شكرا على الإبلاغ!",
    "سيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها",
)

_NORMALIZED = tuple(normalize(line) for line in AGGREGATOR_BOILERPLATE)


def is_boilerplate(line: str, patterns: tuple[str, ...] = _NORMALIZED) -> bool:
    text = normalize(line)
    return bool(text) and any(text.startswith(pattern) for pattern in patterns)
