"""Who claims work when several processes share the database (bot/processes.py is one).

A claim — a due digest, the open alerts of a chat, the feed-polling lease — is written with
the claiming process's id and holds while that process's heartbeat is newer than
`live_since()`; past that, the process is dead and any other may claim the work again.
"""

from __future__ import annotations

from typing import Protocol


class Claimant(Protocol):
    @property
    def process_id(self) -> int: ...

    def live_since(self) -> float:
        """Processes whose heartbeat (seconds since the epoch) is at or after this are alive."""
        ...
