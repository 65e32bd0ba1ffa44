"""The processes sharing one database, their heartbeats, and the work one of them holds
(feed polling): the only SQL that touches them.

A process is alive while its heartbeat (seconds since the epoch, written every few seconds)
is newer than the lease; what a dead one claimed — due digests, open alerts, alerts' edits,
a lease — is taken by the others once its heartbeat is that old.  Leases are compared with
each process's own clock: the processes of one bot keep their clocks in step (NTP), as any
cluster does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from news.repositories import ProcessStore
from storage.engine import Database, Tx

# Processes silent for this long are forgotten altogether (a row per start otherwise stays).
_FORGET_AFTER = 3600.0


class ProcessRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def register(self, role: str, host: str, pid: int, now: float, sends: str = "") -> int:
        """A new process's id; rows of processes long dead are dropped meanwhile."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM processes WHERE beat_at < ?", (now - _FORGET_AFTER,))
            row = await tx.fetchrow(
                "INSERT INTO processes (role, host, pid, started_at, beat_at, sends) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (role, host, pid, now, now, sends),
            )
            assert row is not None  # an INSERT … RETURNING of one row
            # An id is never given twice (an identity; AUTOINCREMENT on SQLite, migration
            # 0017): a process back from an hour asleep makes its own row again, shared with
            # nobody.  A claim naming the new id is a stray one nobody holds (a database copied
            # from another, or written before 0017): free for every process, not the newcomer's.
            process_id: int = row[0]
            await _free_claims(tx, process_id)
        return process_id

    async def beat(
        self, process_id: int, role: str, host: str, pid: int, now: float, live_since: float, sends: str = ""
    ) -> int:
        """The heartbeat (the row is made again if it was dropped meanwhile); how many
        processes are alive now (heartbeat at or after `live_since`), this one included."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO processes (id, role, host, pid, started_at, beat_at, sends) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at",
                (process_id, role, host, pid, now, now, sends),
            )
            row = await tx.fetchrow("SELECT count(*) FROM processes WHERE beat_at >= ?", (live_since,))
        assert row is not None  # an aggregate always gives one row
        return int(row[0])

    async def live(self, live_since: float, role: str | None = None) -> list[int]:
        """The ids of the processes alive (of one role, if given)."""
        sql = "SELECT id FROM processes WHERE beat_at >= ?"
        params: tuple[object, ...] = (live_since,)
        if role is not None:
            sql += " AND role = ?"
            params += (role,)
        return [row[0] for row in await self._db.fetch(sql + " ORDER BY id", params)]

    async def sends_of_live(self, live_since: float) -> list[str]:
        """The send settings the live processes were given (each once, as they said them)."""
        rows = await self._db.fetch(
            "SELECT DISTINCT sends FROM processes WHERE beat_at >= ? AND sends <> '' ORDER BY sends", (live_since,)
        )
        return [row[0] for row in rows]

    async def on_host(self, host: str) -> list[tuple[int, int]]:
        """(id, pid) of the processes registered from `host`."""
        return [(row[0], row[1]) for row in await self._db.fetch("SELECT id, pid FROM processes WHERE host = ?", (host,))]

    async def mark_dead(self, process_ids: list[int]) -> None:
        """These processes are known dead: what they claimed is free at once, not after the lease."""
        for process_id in process_ids:
            await self._db.execute("UPDATE processes SET beat_at = 0 WHERE id = ?", (process_id,))

    async def leave(self, process_id: int) -> None:
        """A clean stop: what the process claimed is free at once, not after its lease."""
        async with self._db.transaction() as tx:
            await _free_claims(tx, process_id)
            await tx.execute("DELETE FROM processes WHERE id = ?", (process_id,))

    async def take_lease(self, name: str, process_id: int, now: float, live_since: float) -> bool:
        """Whether `process_id` holds the lease `name` now: it held it already, or took it
        from nobody or from a process that died."""
        async with self._db.transaction() as tx:
            row = await tx.fetchrow(
                "INSERT INTO leases (name, holder, taken_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, taken_at = excluded.taken_at "
                "WHERE leases.holder = excluded.holder "
                "OR leases.holder NOT IN (SELECT id FROM processes WHERE beat_at >= ?) "
                "RETURNING holder",
                (name, process_id, now, live_since),
            )
        return row is not None

    async def lease_holder(self, name: str) -> int | None:
        row = await self._db.fetchrow("SELECT holder FROM leases WHERE name = ?", (name,))
        return None if row is None else int(row[0])


async def _free_claims(tx: Tx, process_id: int) -> None:
    """Everything `process_id` holds — due digests, chats' alerts, alerts' edits, leases — is free."""
    await tx.execute("UPDATE chats SET digest_claimed_by = NULL WHERE digest_claimed_by = ?", (process_id,))
    await tx.execute("UPDATE chats SET alerts_claimed_by = NULL WHERE alerts_claimed_by = ?", (process_id,))
    await tx.execute("UPDATE alerts SET edit_claimed_by = NULL WHERE edit_claimed_by = ?", (process_id,))
    await tx.execute("DELETE FROM leases WHERE holder = ?", (process_id,))


if TYPE_CHECKING:  # mypy holds the repository to the interface the bot asks for
    _conforms: type[ProcessStore] = ProcessRepository
