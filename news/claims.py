"""Who claims work when several processes share the database (bot/processes.py is one).

A claim — a due digest, the open alerts of a chat, an alert's edit, the feed-polling lease —
is written with the claiming process's id and holds while that process's heartbeat is newer
than `live_since()`, however long the work takes; past that, the process is dead and any
other may claim the work again.  (Never a claim that lapses after a fixed time: work waiting
its turn behind a broadcast or a flood wait would outlive it, and be done twice.)
"""

from __future__ import annotations

from typing import Protocol

# A process is alive while its heartbeat is at most this old: past it, its claims are free.
LEASE_SECONDS = 20.0


class Claimant(Protocol):
    @property
    def process_id(self) -> int: ...

    def live_since(self) -> float:
        """Processes whose heartbeat (seconds since the epoch) is at or after this are alive."""
        ...
