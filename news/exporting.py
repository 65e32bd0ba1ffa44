"""`akhbar export`: every article as one JSON line, in the shape `akhbar import` reads back."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any, TextIO

from news.model import Article


def article_record(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "summary": article.summary,
        "url": article.url,
        "source": article.source,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "fetched_at": article.fetched_at.isoformat(),
        "topics": list(article.topics),
        "lang": article.lang,
    }


async def export_jsonl(articles: AsyncIterator[Article], out: TextIO, progress: Callable[[], None] | None = None) -> int:
    """Each article as one line of JSON; `progress` is called after each."""
    count = 0
    async for article in articles:
        out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        count += 1
        if progress is not None:
            progress()
    return count
