"""`akhbar db copy`: every table of one database into another, on either engine.

Rows keep their ids (a story is named by its first article's id, alerts point at stories), so
the target must be empty or a copy this made before (check_target refuses one holding rows of
its own under the source's ids): a row whose key is already there is skipped, which is what
makes a second run add nothing.  The search index is not copied — its
form differs between engines — but rebuilt from the articles by the caller (news.ingest).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from news.repositories import StorageError
from storage.engine import Database

# Every table but the search index, parents before children (foreign keys), each with its
# primary key: rows are read in that order, a batch at a time after the last one read.
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sources", ("id",)),
    ("stories", ("id",)),
    ("articles", ("id",)),
    ("article_topics", ("article_id", "topic")),
    ("article_regions", ("article_id", "wilaya")),
    ("chats", ("id",)),
    ("deliveries", ("chat_id", "local_date")),
    ("digests_sent", ("chat_id", "local_date")),  # sent, not yet recorded: the target records them
    ("counters", ("day", "name")),
    ("follows", ("id",)),
    ("alert_stories", ("story_id",)),
    ("alerts", ("id",)),
    ("button_texts", ("id",)),  # a "more" button pressed after the move still works
)
# Not copied: the search index and its backlog (rebuilt in the target), and what only running
# processes hold — their heartbeats (processes), who holds which work (leases), the follows'
# version (versions: the target's own count starts afresh, every process reads them anew).
NOT_COPIED = ("article_search", "search_backlog", "processes", "leases", "versions")
# Columns naming the process that holds a piece of work (a due digest, a chat's alerts, an
# alert's edit): the source's processes are not copied, so in the target nobody holds it —
# else the target's first processes, given those ids again, would hold work they never took.
_CLAIMS = {"chats": ("digest_claimed_by", "alerts_claimed_by"), "alerts": ("edit_claimed_by",)}
# Only the articles are compared by check_target: never deleted, their content hash never
# changed, their ids never given twice; a follow, a source or a button text removed may see its
# id given again on SQLite, and a second copy would be refused for it.
# Tables whose ids the database hands out: on PostgreSQL their sequence must pass the copied ids.
_GENERATED_IDS = ("sources", "articles", "follows", "alerts", "button_texts")


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    rows: int  # in the source
    added: int  # new in the target


# Called after each batch with (table, rows of it read so far, its rows in the source).
Progress = Callable[[str, int, int], None]


async def _count(db: Database, table: str) -> int:
    row = await db.fetchrow(f"SELECT count(*) FROM {table}")
    assert row is not None  # an aggregate always gives one row
    return int(row[0])


async def check_target(source: Database, target: Database, batch: int = 2000) -> None:
    """Refuse (StorageError) a target holding articles of its own under the source's ids: a
    target article must be the source's article of that id (or one the source has no more).
    Rows keep their ids, and a row whose id is taken is skipped: into another database, a copy
    skipped the source's articles whose ids were taken and filed their topics under the
    target's."""
    select = "SELECT id, content_hash FROM articles"
    after = 0
    while rows := await target.fetch(f"{select} WHERE id > ? ORDER BY id LIMIT ?", (after, batch)):
        ids = [row[0] for row in rows]
        theirs = {row[0]: row[1] for row in await source.fetch(f"{select} WHERE id IN ({', '.join('?' * len(ids))})", ids)}
        for article_id, content_hash in rows:
            if theirs.get(article_id, content_hash) != content_hash:
                raise StorageError(
                    f"--to: the target holds articles of its own (id {article_id} is not the source's); "
                    "please copy into an empty database, or one an earlier copy of this source made"
                )
        after = ids[-1]


async def copy_tables(source: Database, target: Database, progress: Progress | None = None, batch: int = 2000) -> list[Copied]:
    """Copy every table's rows that the target lacks; how many each had and how many were added."""
    await check_target(source, target, batch)
    report = []
    for table, key in TABLES:
        total, before = await _count(source, table), await _count(target, table)
        order = ", ".join(key)
        after: tuple[object, ...] | None = None
        done = 0
        while True:
            where = f"WHERE ({order}) > ({', '.join('?' * len(key))})" if after is not None else ""
            rows = await source.fetch(f"SELECT * FROM {table} {where} ORDER BY {order} LIMIT ?", (*(after or ()), batch))
            if not rows:
                break
            columns = list(rows[0].keys())
            unclaimed = _CLAIMS.get(table, ())
            await target.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) ON CONFLICT DO NOTHING",
                [tuple(None if column in unclaimed else row[column] for column in columns) for row in rows],
            )
            after = tuple(rows[-1][column] for column in key)
            done += len(rows)
            if progress is not None:
                progress(table, done, total)
        if table in _GENERATED_IDS and target.dialect.next_id is not None:
            await target.fetch(target.dialect.next_id.format(table=table))
        report.append(Copied(table, total, await _count(target, table) - before))
    return report
