"""Articles, their topics, regions, stories and search index: the only SQL that touches them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from news.model import Article, FiledVersion, Headline, NewArticle, Refiler, Refiling, SearchText, Story
from news.repositories import ArticleStore
from news.search import Query, tsvector_text
from storage.alerts import insert_alert_stories, note_grown_stories
from storage.db import parse_utc_text, utc_from_text, utc_text
from storage.engine import Database, Dialect, Row, Tx

_COLUMNS = (
    "a.id, a.title, a.body, a.summary, a.url, a.source, a.published_at, a.fetched_at, a.lang, a.story_id, "
    "a.hidden, a.pinned_until, a.claimed_published_at"
)
_NEWEST = "ORDER BY coalesce(a.published_at, a.fetched_at) DESC, a.id DESC"
# Search filters hidden articles and other versions of a story after FTS5 has ranked its best
# matches: it asks FTS5 for this many candidates per story wanted, and this many more.
_VERSIONS_SLACK = 3
_HIDDEN_SLACK = 10
# On SQLite a search ranks only the newest this many matches (by id, the order articles
# arrived in): FTS5 ranking every match of a word half the archive holds took 1-3 s at
# 1,000,000 articles; the newest 10,000 take a tenth of that, and news is read new.
RANKED_MATCHES = 10_000
# Every column a uniqueness rule of the articles table reads (migrations 0001 and 0004).
_UNIQUE_COLUMNS = "url, source, title_key, source_id, guid, content_hash"
_INSERT_ARTICLE = """
    INSERT INTO articles (title, title_key, body, summary, url, source,
                          published_at, fetched_at, lang, content_hash, guid, source_id, topic_margin,
                          claimed_published_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING
"""
# SQLite: each article stored with the story id it has when it begins a story, its own id, as
# the ids follow the largest before the batch (see ArticleRepository._insert): only the few
# that join an older story (or follow a duplicate) are updated after the story matcher, not
# every article (an UPDATE per row, which moved its entry of articles_by_story too).  The
# stories those ids name are inserted later in the transaction: foreign keys are checked at
# its COMMIT (defer_foreign_keys, which SQLite turns off again at the transaction's end).
_INSERT_ARTICLE_OWN_STORY = _INSERT_ARTICLE.replace(
    "claimed_published_at)", "claimed_published_at, story_id)"
).replace("?, ?)\n", "?, ?, ?)\n")

# PostgreSQL: the batch as one statement, each of _INSERT_ARTICLE's columns an array (of its
# type); RETURNING gives the rows stored (a duplicate, of the table or of an earlier article
# of the batch, is skipped).
_ARRAY_TYPES = ("text",) * 11 + ("bigint", "double precision", "text")
_INSERT_ARTICLES_AT_ONCE = f"""
    {_INSERT_ARTICLE.split("VALUES")[0].strip()}
    SELECT * FROM unnest({", ".join(f"CAST(? AS {kind}[])" for kind in _ARRAY_TYPES)})
    ON CONFLICT DO NOTHING
    RETURNING id, {_UNIQUE_COLUMNS}
"""


def _tags(dialect: Dialect) -> str:
    """Topics and regions as comma-joined columns, so that a listing is one query."""
    return (
        f"(SELECT {dialect.join_list('topic')} FROM article_topics t WHERE t.article_id = a.id) AS topics, "
        f"(SELECT {dialect.join_list('wilaya')} FROM article_regions r WHERE r.article_id = a.id) AS regions"
    )


@dataclass(frozen=True, slots=True)
class _SearchIndex:
    """The one part of search each engine does its own way (migration 0002 of each): how an
    article's words and stems are stored, and a query's best hits as (id, rank), best lowest."""

    insert: str
    row: Callable[[int, SearchText], tuple[object, ...]]
    key: str  # the index's column holding the article id
    hits: str
    # The hits query's parameters for a query's expression and how many hits are wanted.
    hits_args: Callable[[str, int], tuple[object, ...]]
    expression: Callable[[Query], str]
    # Indexing every article again under another analyser (news.ingest.reindex_search): what
    # makes ready where the new entries go, the statement writing one (and its row), and what
    # makes them the index searched once every article has one.
    reindex_begin: tuple[str, ...]
    reindex: str
    reindex_row: Callable[[int, SearchText], tuple[object, ...]]
    reindex_end: tuple[str, ...]
    # Every article id `hits` ranks from (unranked, unlimited), and its parameters.
    matches: str
    matches_args: Callable[[str], tuple[object, ...]]


_SEARCH_INDEXES = {
    # FTS5: words and stems in four columns; `rank` is bm25 with the weights migration 0002 sets.
    "sqlite": _SearchIndex(
        insert="INSERT INTO article_search (rowid, title_words, title_stems, body_words, body_stems) VALUES (?, ?, ?, ?, ?)",
        row=lambda i, text: (i, text.title_words, text.title_stems, text.body_words, text.body_stems),
        key="rowid",
        hits=(
            "SELECT rowid AS id, rank FROM article_search WHERE article_search MATCH ? AND rowid >= coalesce("
            "(SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0) "
            "ORDER BY rank LIMIT ?"
        ),
        hits_args=lambda expression, count: (expression, expression, RANKED_MATCHES - 1, count),
        expression=Query.fts_expression,
        # A contentless FTS5 table cannot take an entry out without the text it was made of,
        # which the old analyser made: a table of its own is filled beside it, while searches
        # read the old one, and replaces it (migration 0007's table and weights).  The search
        # backlog is then empty: every article was indexed in the new one.
        reindex_begin=(
            "CREATE VIRTUAL TABLE IF NOT EXISTS article_search_next USING fts5(title_words, title_stems, "
            "body_words, body_stems, content = '', tokenize = 'unicode61 remove_diacritics 0')",
            "INSERT INTO article_search_next (article_search_next, rank) VALUES ('rank', 'bm25(8.0, 4.0, 2.0, 1.0)')",
        ),
        reindex=(
            "INSERT INTO article_search_next (rowid, title_words, title_stems, body_words, body_stems) "
            "VALUES (?, ?, ?, ?, ?)"
        ),
        reindex_row=lambda i, text: (i, text.title_words, text.title_stems, text.body_words, text.body_stems),
        reindex_end=(
            "DROP TABLE article_search",
            "ALTER TABLE article_search_next RENAME TO article_search",
            "DELETE FROM search_backlog",
        ),
        matches=(
            "SELECT rowid AS id FROM article_search WHERE article_search MATCH ? AND rowid >= coalesce("
            "(SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0)"
        ),
        matches_args=lambda expression: (expression, expression, RANKED_MATCHES - 1),
    ),
    # A tsvector of the same words and stems, weighted A-D (news.search.tsvector_text), in a
    # GIN index; ts_rank weighs them 8:4:2:1 as bm25 does the columns, and divides by the
    # document's length (normalization 1) as bm25 does in its way.
    "postgresql": _SearchIndex(
        insert="INSERT INTO article_search (article_id, doc) VALUES (?, CAST(? AS tsvector))",
        row=lambda i, text: (i, tsvector_text(text)),
        key="article_id",
        hits=(
            "SELECT article_id AS id, -ts_rank('{0.125, 0.25, 0.5, 1.0}', doc, query.q, 1) AS rank "
            "FROM article_search, (SELECT CAST(? AS tsquery) AS q) AS query WHERE doc @@ query.q "
            "ORDER BY rank, article_id DESC LIMIT ?"
        ),
        # Every match is ranked: the newest-first cut-off, measured at 200,000 articles, made
        # a common word 2-4x faster but added 40-150 ms to a rare one (the primary key's range
        # scanned whole), and the variants that avoid that lost the gain.
        hits_args=lambda expression, count: (expression, count),
        expression=Query.tsquery,
        # Each entry replaced where it is; an article not yet indexed (the backlog) is left to
        # index_missing, which indexes with the running analyser.
        reindex_begin=(),
        reindex="UPDATE article_search SET doc = CAST(? AS tsvector) WHERE article_id = ?",
        reindex_row=lambda i, text: (tsvector_text(text), i),
        reindex_end=(),
        matches="SELECT article_id AS id FROM article_search WHERE doc @@ CAST(? AS tsquery)",
        matches_args=lambda expression: (expression,),
    ),
}


def _article(row: Row) -> Article:
    topics, regions = row["topics"], row["regions"]
    keys = row.keys()
    return Article(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        summary=row["summary"],
        url=row["url"],
        source=row["source"],
        published_at=parse_utc_text(row["published_at"]),
        fetched_at=utc_from_text(row["fetched_at"]),
        lang=row["lang"],
        topics=tuple(sorted(topics.split(","))) if topics else (),
        regions=tuple(sorted(int(code) for code in regions.split(","))) if regions else (),
        story_id=row["story_id"],
        story_size=row["story_size"] if "story_size" in keys else 1,
        hidden=bool(row["hidden"]),
        pinned_until=parse_utc_text(row["pinned_until"]),
        claimed_published_at=parse_utc_text(row["claimed_published_at"]),
    )


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    """`ids` a few hundred at a time: one IN list stays well within either engine's limits."""
    return (ids[first : first + size] for first in range(0, len(ids), size))


def _inserted_ids(articles: Sequence[NewArticle], new_rows: Iterable[Row]) -> list[int | None]:
    """Each article's id if the batch insert stored it, else None (it was a duplicate).

    `new_rows` are the batch's stored articles in batch order: on SQLite the rows with an id
    above the largest before the insert, by id (a new row's id is one more than the largest,
    INTEGER PRIMARY KEY); on PostgreSQL what the insert returned.  Walking both in step is
    safe: an article that was skipped has
    the values of a later stored one in every column a uniqueness rule reads only if that one
    was a duplicate too.
    """
    pending = iter(new_rows)
    row = next(pending, None)
    ids: list[int | None] = []
    for article in articles:
        key = (article.url, article.source, article.title_key, article.source_id, article.guid, article.content_hash)
        if row is not None and tuple(row)[1:] == key:
            ids.append(row[0])
            row = next(pending, None)
        else:
            ids.append(None)
    if row is not None:
        raise RuntimeError(f"article {row[0]} was stored by this batch but matches none of its articles")
    return ids


class ArticleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._dialect = db.dialect
        self._select = f"SELECT {_COLUMNS}, {_tags(db.dialect)}"
        self._index = _SEARCH_INDEXES[db.dialect.name]

    async def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Article]:
        return [_article(row) for row in await self._db.fetch(sql, params)]

    async def _insert(
        self, tx: Tx, articles: Sequence[NewArticle], rows: list[tuple[object, ...]]
    ) -> tuple[list[int | None], list[int | None]]:
        """Insert the articles' rows, skipping duplicates: each one's new id, or None; and the
        story id each was stored with (None: none yet)."""
        if not self._dialect.sequential_ids:
            # Other processes may be inserting too: the statement returns the rows it stored
            # (one round trip for the batch, not one per article), in the batch's order.
            columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in _ARRAY_TYPES]
            return _inserted_ids(articles, await tx.fetch(_INSERT_ARTICLES_AT_ONCE, columns)), [None] * len(rows)
        # One statement for the batch, then the rows above the largest id before it (the
        # write lock is held: they are this batch's, in its order).  When the connection's
        # count of rows inserted grew by the batch's size, none was a duplicate: their ids
        # follow the largest before, and need not be read back (an import's usual case).
        # The last id inserted must be the last of that range too: total_changes() also
        # counts rows a trigger writes, which would make up for skipped duplicates.
        ((last_id, inserted_before),) = await tx.fetch("SELECT coalesce(max(id), 0), total_changes() FROM articles")
        # Each row with the id it takes if none before it is a duplicate: its story id if it
        # begins a story (_INSERT_ARTICLE_OWN_STORY).
        own = list(range(last_id + 1, last_id + 1 + len(rows)))
        await tx.execute("PRAGMA defer_foreign_keys = ON")
        await tx.executemany(_INSERT_ARTICLE_OWN_STORY, [(*row, story_id) for row, story_id in zip(rows, own, strict=True)])
        ((inserted, last_inserted),) = await tx.fetch("SELECT total_changes(), last_insert_rowid()")
        if inserted - inserted_before == len(rows) and last_inserted == last_id + len(rows):
            return list(own), list(own)
        new_rows = await tx.fetch(f"SELECT id, {_UNIQUE_COLUMNS} FROM articles WHERE id > ? ORDER BY id", (last_id,))
        return _inserted_ids(articles, new_rows), list(own)

    # --- writing ------------------------------------------------------------------------

    async def add_many(
        self,
        articles: Iterable[NewArticle],
        fetched_at: datetime | None = None,
        story_of: Callable[[int, NewArticle], int] | None = None,
        owes_alerts: Callable[[int, int, NewArticle], bool] | None = None,
        refile: Refiler | None = None,
    ) -> list[int | None]:
        """Store each article unless it is a duplicate; one transaction for the whole batch.

        Returns, for each article in order, its new id, or None when an article with the same
        URL, or the same source and normalized title, is already stored.  Each new article is
        indexed for search and filed under the story `story_of(id, article)` names, in batch
        order: its own id starts a story, another's joins that one (without `story_of`, every
        article starts its own).  A new article for which `owes_alerts(id, story id, article)` is
        noted in the alerts outbox in the same transaction (and, with `owes_alerts`, each story a
        new article joined is noted grown there: its alerts may be edited).  In each story a new article joined,
        the weakly filed versions `refile` names take the topics of the story's surest version
        (news.classify.refiling), in the same transaction.
        """
        fetched = utc_text(fetched_at or datetime.now(UTC))
        articles = list(articles)
        shown = [utc_text(article.published_at) if article.published_at else None for article in articles]
        rows: list[tuple[object, ...]] = [
            (
                a.title, a.title_key, a.body, a.summary, a.url, a.source, published, fetched, a.lang,
                a.content_hash, a.guid, a.source_id, a.topic_margin,
                utc_text(a.claimed_published_at) if a.claimed_published_at else None,
            )
            for a, published in zip(articles, shown, strict=True)
        ]
        async with self._db.transaction() as tx:
            ids, stored_with = await self._insert(tx, articles, rows)
            stored = [
                (article_id, article, published or fetched)
                for article_id, article, published in zip(ids, articles, shown, strict=True)
                if article_id is not None
            ]
            if stored:
                story_ids = [story_of(i, a) if story_of else i for i, a, _ in stored]
                await tx.executemany(
                    "INSERT INTO stories (id, latest_at, size) VALUES (?, ?, 1)",
                    [(i, at) for (i, _, at), story_id in zip(stored, story_ids, strict=True) if story_id == i],
                )
                # A story begun earlier in this batch exists by now; one begun before only grows.
                await tx.executemany(
                    f"UPDATE stories SET size = size + 1, latest_at = {self._dialect.greatest}(latest_at, ?) WHERE id = ?",
                    [(at, story_id) for (i, _, at), story_id in zip(stored, story_ids, strict=True) if story_id != i],
                )
                # Stored with another story id than its own (see _INSERT_ARTICLE_OWN_STORY):
                # it joined an older story, or its batch held a duplicate before it.
                with_story = [story_with for story_with, i in zip(stored_with, ids, strict=True) if i is not None]
                await tx.executemany(
                    "UPDATE articles SET story_id = ? WHERE id = ?",
                    [
                        (story_id, i)
                        for (i, _, _), story_id, stored_story in zip(stored, story_ids, with_story, strict=True)
                        if story_id != stored_story
                    ],
                )
                await tx.executemany(
                    "INSERT INTO article_topics (article_id, topic) VALUES (?, ?)",
                    [(i, topic) for i, a, _ in stored for topic in dict.fromkeys(a.topics)],
                )
                await tx.executemany(
                    "INSERT INTO article_regions (article_id, wilaya) VALUES (?, ?)",
                    [(i, code) for i, a, _ in stored for code in dict.fromkeys(a.regions)],
                )
                await tx.executemany(self._index.insert, [self._index.row(i, a.search) for i, a, _ in stored])
                grown = sorted({story_id for (i, _, _), story_id in zip(stored, story_ids, strict=True) if story_id != i})
                if refile is not None and grown:
                    await self._refile(tx, grown, refile)
                if owes_alerts is not None:
                    owed = [
                        (story_id, i)
                        for (i, a, _), story_id in zip(stored, story_ids, strict=True)
                        if owes_alerts(i, story_id, a)
                    ]
                    if owed:
                        await insert_alert_stories(tx, owed, utc_from_text(fetched))
                    if grown:  # the alerts these stories sent may say so (news.services.alerts)
                        await note_grown_stories(tx, grown, utc_from_text(fetched))
        return ids

    async def _refile(
        self, tx: Tx, story_ids: list[int], refile: Refiler
    ) -> None:
        """File again the weakly filed versions of these stories that `refile(surest version,
        weak versions)` names, under the surest version's topics, and note them as sure as it.
        Only each story's surest version and its weak ones are read: most stories have none."""
        unsure: dict[int, list[FiledVersion]] = {}
        for chunk in _chunks(story_ids):
            marks = ",".join("?" * len(chunk))
            for article_id, story_id, margin in await tx.fetch(
                f"SELECT id, story_id, topic_margin FROM articles WHERE story_id IN ({marks}) AND topic_margin < ?",
                (*chunk, refile.weak_below),
            ):
                unsure.setdefault(story_id, []).append(FiledVersion(article_id, margin))
        plans: list[Refiling] = []
        for chunk in _chunks(sorted(unsure)):
            # Each story's surest version: a person's (or the section's) topics first, then the
            # largest margin, then the first stored.
            for article_id, story_id, margin in await tx.fetch(
                "SELECT id, story_id, topic_margin FROM articles WHERE id IN (SELECT ("
                "SELECT a.id FROM articles a WHERE a.story_id = s.id "
                "ORDER BY a.topic_margin IS NULL DESC, a.topic_margin DESC, a.id LIMIT 1"
                f") FROM stories s WHERE s.id IN ({','.join('?' * len(chunk))}))",
                chunk,
            ):
                if (plan := refile(FiledVersion(article_id, margin), unsure[story_id])) is not None:
                    plans.append(plan)
        if not plans:
            return
        topics: dict[int, set[str]] = {}
        for chunk in _chunks(sorted({i for plan in plans for i in (plan.surest, *plan.unsure)})):
            for article_id, topic in await tx.fetch(
                f"SELECT article_id, topic FROM article_topics WHERE article_id IN ({','.join('?' * len(chunk))})", chunk
            ):
                topics.setdefault(article_id, set()).add(topic)
        changes = [
            (article_id, sorted(topics.get(plan.surest, ())))
            for plan in plans
            for article_id in plan.unsure
            if topics.get(article_id, set()) != topics.get(plan.surest, set())
        ]
        if changes:
            await tx.executemany("DELETE FROM article_topics WHERE article_id = ?", [(i,) for i, _ in changes])
            await tx.executemany(
                "INSERT INTO article_topics (article_id, topic) VALUES (?, ?)",
                [(i, topic) for i, new in changes for topic in new],
            )
        await tx.executemany(
            "UPDATE articles SET topic_margin = ? WHERE id = ?",
            [(plan.margin, article_id) for plan in plans for article_id in plan.unsure],
        )

    async def add(self, article: NewArticle, fetched_at: datetime | None = None) -> int | None:
        (article_id,) = await self.add_many([article], fetched_at)
        return article_id

    async def unindexed(self, batch: int = 500) -> list[tuple[int, str, str]]:
        """(id, title, body) of articles waiting in the search backlog (migration 0008): stored
        before search existed, or copied by `akhbar db copy`.  Reads the backlog only, never
        the whole index: start-up does this."""
        rows = await self._db.fetch(
            "SELECT a.id, a.title, a.body FROM search_backlog b JOIN articles a ON a.id = b.article_id "
            "ORDER BY b.article_id LIMIT ?",
            (batch,),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def note_unindexed(self) -> int:
        """Put every article the index lacks in the backlog (after a copy of the articles
        table): reads the whole index, once.  How many were added."""
        async with self._db.transaction() as tx:
            return await tx.execute(
                "INSERT INTO search_backlog (article_id) SELECT a.id FROM articles a "
                f"WHERE NOT EXISTS (SELECT 1 FROM article_search s WHERE s.{self._index.key} = a.id) "
                "AND NOT EXISTS (SELECT 1 FROM search_backlog b WHERE b.article_id = a.id)"
            )

    async def index_many(self, texts: Sequence[tuple[int, SearchText]]) -> None:
        """Index articles of the backlog, and take them off it, in one transaction."""
        async with self._db.transaction() as tx:
            await tx.executemany(self._index.insert, [self._index.row(i, text) for i, text in texts])
            await tx.executemany("DELETE FROM search_backlog WHERE article_id = ?", [(i,) for i, _ in texts])

    async def search_analyser(self) -> tuple[int, int | None]:
        """The version of the analyser that made the search index (news.search.ANALYSER_VERSION;
        migration 0023), and the last article id a reindex under way has done (None: none)."""
        rows = await self._db.fetch(
            "SELECT name, value FROM versions WHERE name IN ('search_analyser', 'search_reindexed_to')"
        )
        values = {row[0]: row[1] for row in rows}
        return values.get("search_analyser", 1), values.get("search_reindexed_to")

    async def begin_reindex(self) -> int:
        """Index every article again, or go on with the reindex under way: the last article id
        it has done (0: none yet)."""
        async with self._db.transaction() as tx:
            for statement in self._index.reindex_begin:
                await tx.execute(statement)
            await tx.execute("INSERT INTO versions (name, value) VALUES ('search_reindexed_to', 0) ON CONFLICT DO NOTHING")
            row = await tx.fetchrow("SELECT value FROM versions WHERE name = 'search_reindexed_to'")
        assert row is not None  # written just above
        done: int = row[0]
        return done

    async def texts_after(self, after: int, limit: int) -> list[tuple[int, str, str]]:
        """(id, title, body) of up to `limit` articles after id `after`, in the order of their ids."""
        rows = await self._db.fetch("SELECT id, title, body FROM articles WHERE id > ? ORDER BY id LIMIT ?", (after, limit))
        return [(row[0], row[1], row[2]) for row in rows]

    async def _reindexed_to(self, tx: Tx) -> int | None:
        """The reindex's mark, held until the transaction ends (PostgreSQL: each process's
        batch is written after another's, never beside it)."""
        lock = " FOR UPDATE" if self._dialect.name == "postgresql" else ""
        row = await tx.fetchrow(f"SELECT value FROM versions WHERE name = 'search_reindexed_to'{lock}")
        return None if row is None else int(row[0])

    async def reindex(self, texts: Sequence[tuple[int, SearchText]], after: int) -> bool:
        """These articles (the next ones after id `after`, in order) indexed again, and the
        reindex's mark moved to the last of them, in one transaction — unless the mark is no
        longer at `after` (another process did them): then nothing is written, False."""
        async with self._db.transaction() as tx:
            if await self._reindexed_to(tx) != after:
                return False
            await tx.executemany(self._index.reindex, [self._index.reindex_row(i, text) for i, text in texts])
            await tx.execute("UPDATE versions SET value = ? WHERE name = 'search_reindexed_to'", (texts[-1][0],))
        return True

    async def end_reindex(self, version: int, after: int) -> bool:
        """The reindex done, if every article is: the new index the one searched, stamped
        `version`, in one transaction.  False when it is not — articles stored after `after`
        since, or another process moved on."""
        async with self._db.transaction() as tx:
            if await self._reindexed_to(tx) != after:
                return False
            if await tx.fetchrow("SELECT id FROM articles WHERE id > ? LIMIT 1", (after,)) is not None:
                return False
            for statement in self._index.reindex_end:
                await tx.execute(statement)
            await tx.execute("UPDATE versions SET value = ? WHERE name = 'search_analyser'", (version,))
            await tx.execute("DELETE FROM versions WHERE name = 'search_reindexed_to'")
        return True

    async def known_items(
        self, source_id: int, guids: Sequence[str], urls: Sequence[str]
    ) -> tuple[set[str], set[str]]:
        """Which of a feed's guids (for this source) and links are already stored."""
        key = self._dialect.key  # the form the links' unique index holds (md5 on PostgreSQL)
        found_guids: set[str] = set()
        found_urls: set[str] = set()
        for first in range(0, len(guids), 500):
            chunk = list(guids[first : first + 500])
            found_guids.update(row[0] for row in await self._db.fetch(
                f"SELECT guid FROM articles WHERE source_id = ? AND guid IN ({','.join('?' * len(chunk))})",
                (source_id, *chunk),
            ))
        for first in range(0, len(urls), 500):
            chunk = list(urls[first : first + 500])
            found_urls.update(row[0] for row in await self._db.fetch(
                f"SELECT url FROM articles WHERE {key('url')} IN ({','.join([key('?')] * len(chunk))})", chunk
            ))
        return found_guids, found_urls

    # --- curation -----------------------------------------------------------------------

    async def set_hidden(self, article_id: int, hidden: bool) -> bool:
        """Hide (or show again) an article: it leaves listings, search and digests, and stays."""
        return await self._db.execute("UPDATE articles SET hidden = ? WHERE id = ?", (int(hidden), article_id)) > 0

    async def set_topics(self, article_id: int, topics: Sequence[str]) -> bool:
        async with self._db.transaction() as tx:
            if not await tx.fetchrow("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
                return False
            await tx.execute("DELETE FROM article_topics WHERE article_id = ?", (article_id,))
            await tx.executemany(
                "INSERT INTO article_topics (article_id, topic) VALUES (?, ?)", [(article_id, t) for t in topics]
            )
            # A person's topics are final: no surer version of the story files it again.
            await tx.execute("UPDATE articles SET topic_margin = NULL WHERE id = ?", (article_id,))
        return True

    async def pin(self, article_id: int, until: datetime) -> bool:
        return await self._db.execute(
            "UPDATE articles SET pinned_until = ? WHERE id = ? AND hidden = 0", (utc_text(until), article_id)
        ) > 0

    async def pinned(self, at: datetime) -> list[Article]:
        """Visible articles pinned past `at`, newest pin first."""
        return await self._rows(
            f"{self._select} FROM articles a WHERE a.pinned_until > ? AND a.hidden = 0 ORDER BY a.pinned_until DESC",
            (utc_text(at),),
        )

    async def any(self, article_id: int) -> Article | None:
        """An article whether hidden or not (for admins)."""
        rows = await self._rows(f"{self._select} FROM articles a WHERE a.id = ?", (article_id,))
        return rows[0] if rows else None

    async def per_day(self, days: int, now: datetime) -> list[tuple[str, int]]:
        rows = await self._db.fetch(
            "SELECT substr(fetched_at, 1, 10) AS day, count(*) FROM articles WHERE fetched_at >= ? "
            "GROUP BY day ORDER BY day DESC",
            (utc_text(now - timedelta(days=days)),),
        )
        return [(row[0], row[1]) for row in rows]

    async def per_source(self, since: datetime) -> list[tuple[str, int]]:
        rows = await self._db.fetch(
            "SELECT source, count(*) AS n FROM articles WHERE fetched_at >= ? GROUP BY source ORDER BY n DESC LIMIT 20",
            (utc_text(since),),
        )
        return [(row[0], row[1]) for row in rows]

    # --- reading ------------------------------------------------------------------------

    async def get(self, article_id: int) -> Article | None:
        rows = await self._rows(f"{self._select} FROM articles a WHERE a.id = ? AND a.hidden = 0", (article_id,))
        return rows[0] if rows else None

    async def latest(self, limit: int, topic: str | None = None) -> list[Article]:
        """The newest visible articles, every version of every story, optionally in `topic`."""
        if topic is None:
            return await self._rows(f"{self._select} FROM articles a WHERE a.hidden = 0 {_NEWEST} LIMIT ?", (limit,))
        return await self._rows(
            f"{self._select} FROM articles a JOIN article_topics t ON t.article_id = a.id AND t.topic = ? "
            f"WHERE a.hidden = 0 {_NEWEST} LIMIT ?",
            (topic, limit),
        )

    async def latest_stories(self, limit: int, topic: str | None = None, wilaya: int | None = None) -> list[Article]:
        """The newest stories, each as its first visible article, with `story_size` set.

        A story is as new as its newest article; `topic` and `wilaya` keep the stories whose
        shown article has that topic or region.
        """
        condition = ""
        params: list[str | int] = []
        if topic is not None:
            condition += " AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = x.id AND t.topic = ?)"
            params.append(topic)
        if wilaya is not None:
            condition += " AND EXISTS (SELECT 1 FROM article_regions r WHERE r.article_id = x.id AND r.wilaya = ?)"
            params.append(wilaya)
        return await self._rows(
            f"""
            {self._select}, s.size AS story_size
            FROM stories s
            JOIN articles a ON a.id = (SELECT min(x.id) FROM articles x
                                       WHERE x.story_id = s.id AND x.hidden = 0 {condition})
            ORDER BY s.latest_at DESC, s.id DESC
            LIMIT ?
            """,
            (*params, limit),
        )

    async def new_stories(self, start: datetime, end: datetime, published_after: datetime) -> list[Article]:
        """Stories that began in (start, end] — by when we fetched their first article, so
        nothing is missed or told twice — newest first, with `story_size` set.  Articles
        published before `published_after` are old news a new source just brought in."""
        return await self._rows(
            f"""
            {self._select}, s.size AS story_size
            FROM articles a JOIN stories s ON s.id = a.story_id AND s.id = a.id
            WHERE a.fetched_at > ? AND a.fetched_at <= ? AND a.hidden = 0
              AND coalesce(a.published_at, a.fetched_at) >= ?
            {_NEWEST}
            """,
            (utc_text(start), utc_text(end), utc_text(published_after)),
        )

    async def story(self, story_id: int) -> Story:
        """A story with every visible version of it, first one first."""
        versions = await self._rows(
            f"{self._select} FROM articles a WHERE a.story_id = ? AND a.hidden = 0 ORDER BY a.id", (story_id,)
        )
        return Story(story_id, tuple(versions))

    async def told_in(
        self, story_ids: Collection[int], lang: str, fetched_by: datetime | None = None
    ) -> dict[int, Article]:
        """Each story's first visible version in `lang` (fetched by `fetched_by`, when given),
        by story id; the stories with none are left out."""
        found: dict[int, Article] = {}
        fetched, params = ("", ()) if fetched_by is None else (" AND a.fetched_at <= ?", (utc_text(fetched_by),))
        for chunk in _chunks(sorted(set(story_ids))):
            rows = await self._rows(
                f"{self._select} FROM articles a WHERE a.story_id IN ({','.join('?' * len(chunk))}) AND a.lang = ?"
                f" AND a.hidden = 0{fetched} ORDER BY a.id",
                (*chunk, lang, *params),
            )
            for row in rows:
                if row.story_id is not None:
                    found.setdefault(row.story_id, row)
        return found

    async def recent(self, since: datetime, after_id: int = 0) -> list[Article]:
        """Articles published (or fetched) since `since`, oldest first: to rebuild story memory;
        with `after_id`, only those stored after it (what other processes stored since)."""
        return await self._rows(
            f"{self._select} FROM articles a WHERE coalesce(a.published_at, a.fetched_at) >= ? AND a.id > ? "
            "ORDER BY coalesce(a.published_at, a.fetched_at), a.id",
            (utc_text(since), after_id),
        )

    async def headlines(self, after: Headline | None, limit: int) -> list[Headline]:
        """Up to `limit` articles (hidden ones too) as the story matcher reads them, oldest
        first — by publication (or fetch) time, then id — from just after `after`: the whole
        archive, a page at a time, in the order ingestion met them."""
        shown, last_id = (utc_text(after.shown_at), after.id) if after is not None else ("", 0)
        rows = await self._db.fetch(
            "SELECT id, title, body, CASE WHEN body <> '' THEN '' ELSE summary END AS summary, "
            "coalesce(published_at, fetched_at) AS shown, coalesce(story_id, id) AS story "
            "FROM articles WHERE (coalesce(published_at, fetched_at), id) > (?, ?) "
            "ORDER BY coalesce(published_at, fetched_at), id LIMIT ?",
            (shown, last_id, limit),
        )
        return [Headline(row[0], row[1], row[2], row[3], utc_from_text(row[4]), row[5]) for row in rows]

    async def regroup(self, moves: Sequence[tuple[int, int]]) -> None:
        """File each (article id, story id) of `moves` under that story, in one transaction; a
        story that an article now begins gets its row (its size and time: recount_stories)."""
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO stories (id, latest_at, size) SELECT id, coalesce(published_at, fetched_at), 1 "
                "FROM articles WHERE id = ? ON CONFLICT (id) DO NOTHING",
                [(story_id,) for _, story_id in moves],
            )
            await tx.executemany("UPDATE articles SET story_id = ? WHERE id = ?", [(story, i) for i, story in moves])

    async def recount_stories(self) -> int:
        """Bring every story's size and time in line with its articles, and drop the stories
        no article tells any more; how many stories there are."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM stories WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = stories.id)")
            await tx.execute(
                "UPDATE stories SET size = (SELECT count(*) FROM articles a WHERE a.story_id = stories.id), "
                "latest_at = (SELECT max(coalesce(a.published_at, a.fetched_at)) FROM articles a "
                "WHERE a.story_id = stories.id)"
            )
            row = await tx.fetchrow("SELECT count(*) FROM stories")
        assert row is not None  # an aggregate always gives one row
        total: int = row[0]
        return total

    async def search(self, query: Query, limit: int, offset: int = 0) -> list[Article]:
        """Stories with a visible article matching the query, best first (the index's rank):
        each story once, as its best-matching visible version, with `story_size` set;
        `limit` and `offset` count stories.

        The index ranks and cuts inside its own `ORDER BY rank LIMIT`, the fast path (on SQLite
        among the newest RANKED_MATCHES matches: an older one is found by rarer words); only those
        candidates are then joined to their articles and stories.  There are several per story
        wanted (some are other versions of a story already shown, or hidden); should they run
        out before the page is full while the index has more, it asks again for more.
        """
        candidates = (offset + limit) * _VERSIONS_SLACK + _HIDDEN_SLACK
        expression = self._index.expression(query)
        while True:
            # `found`, how many candidates the index gave, is on every row, and on a row of its
            # own (the articles' columns null) when the page has no story.
            rows = await self._db.fetch(
                f"""
                WITH hits AS ({self._index.hits}), best AS (
                    SELECT hits.id, hits.rank, coalesce(v.story_id, v.id) AS story,
                           row_number() OVER (PARTITION BY coalesce(v.story_id, v.id)
                                              ORDER BY hits.rank, hits.id DESC) AS place
                    FROM hits JOIN articles v ON v.id = hits.id
                    WHERE v.hidden = 0
                ), page AS (
                    SELECT id, rank, story FROM best WHERE place = 1
                    ORDER BY rank, id DESC LIMIT ? OFFSET ?
                )
                SELECT c.found, {_COLUMNS}, {_tags(self._dialect)}, coalesce(s.size, 1) AS story_size
                FROM (SELECT count(*) AS found FROM hits) c
                LEFT JOIN page ON 1 = 1
                LEFT JOIN articles a ON a.id = page.id
                LEFT JOIN stories s ON s.id = page.story
                ORDER BY page.rank, page.id DESC
                """,
                (*self._index.hits_args(expression, candidates), limit, offset),
            )
            stories = [_article(row) for row in rows if row["id"] is not None]
            if len(stories) >= limit or rows[0]["found"] < candidates:
                return stories
            candidates *= 4

    async def search_stories(self, query: Query) -> int:
        """How many stories `search` pages through for the query: those with a visible article
        matching it (on SQLite among the newest RANKED_MATCHES matches, as `search` ranks)."""
        expression = self._index.expression(query)
        row = await self._db.fetchrow(
            f"SELECT count(DISTINCT coalesce(v.story_id, v.id)) FROM ({self._index.matches}) hits "
            "JOIN articles v ON v.id = hits.id WHERE v.hidden = 0",
            self._index.matches_args(expression),
        )
        assert row is not None  # an aggregate always gives one row
        stories: int = row[0]
        return stories

    async def topic_counts(self) -> dict[str, int]:
        """How many visible articles each topic has (topics with none are absent)."""
        rows = await self._db.fetch(
            "SELECT t.topic, count(*) FROM article_topics t "
            "JOIN articles a ON a.id = t.article_id WHERE a.hidden = 0 GROUP BY t.topic"
        )
        return {topic: count for topic, count in rows}

    async def count(self) -> int:
        row = await self._db.fetchrow("SELECT count(*) FROM articles")
        assert row is not None  # an aggregate always gives one row
        total: int = row[0]
        return total

    async def iter_all(self, batch: int = 500) -> AsyncIterator[Article]:
        """Every article, hidden ones too, oldest id first: the export's source."""
        last_id = 0
        while True:
            rows = await self._rows(f"{self._select} FROM articles a WHERE a.id > ? ORDER BY a.id LIMIT ?", (last_id, batch))
            if not rows:
                return
            for article in rows:
                yield article
            last_id = rows[-1].id


if TYPE_CHECKING:
    # mypy holds this class to the interface the news core is written against.
    _conforms: type[ArticleStore] = ArticleRepository
