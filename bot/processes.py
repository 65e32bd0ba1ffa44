"""This process among the others on one database: its row in `processes`, a heartbeat every
BEAT_SECONDS, and its share of the bot's send rate.

Every process registers at start and beats while it runs.  What it claims (due digests, the
chats whose alerts it sends, the feed-polling lease) is its own while its heartbeat is fresh;
killed, its heartbeat stops and after LEASE_SECONDS the others take the work over.  A process
that cannot beat (the database unreachable) stops claiming and sending well before then, so
that the others never take over work it is still doing.

The send rate (AKHBAR_SEND_RATE) is the bot's, whatever the number of processes: each takes
rate / live processes, where `live` is counted at each heartbeat — and never, all together, more
than Telegram's own limit less a small margin (5%, alone too): 950/s of a paid broadcast's
1,000, 28.5 of the free 30; a rate well under it is sent at in full.  A new
process waits for everyone to have seen it (a heartbeat and a little more) before sending, so
that the shares never add up to more than the rate while one joins; a process that dies
leaves its share unused until its lease runs out — slower for a moment, never faster.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable

from bot.logs import database_answered
from news.claims import LEASE_SECONDS
from news.plurals import counted
from news.repositories import ProcessStore, StorageError

log = logging.getLogger(__name__)

BEAT_SECONDS = 2.0
__all__ = ["BEAT_SECONDS", "LEASE_SECONDS", "Membership", "rate_share"]
# Telegram's limits: sends a second overall, free and as a paid broadcast.
TELEGRAM_RATE, TELEGRAM_PAID_RATE = 30, 1000
# What all processes together keep under Telegram's limit, for the moments their sliding
# windows, and the network, bunch sends together.
RATE_MARGIN = 0.05


def rate_share(rate: float, live: int, paid: bool = False) -> float:
    """What one of `live` processes may send per second, for a bot-wide `rate` (`paid`: a
    paid broadcast's).  Only Telegram's limit refuses sends, so the margin keeps the bot under
    that, a lone process too — its sends reach Telegram a little bunched (the network, a busy
    event loop), and at 1,000/s, or 30/s, Telegram counts exactly — while a rate well under
    it is kept in full: each process's sliding window already holds its share exactly."""
    ceiling = (TELEGRAM_PAID_RATE if paid else TELEGRAM_RATE) * (1 - RATE_MARGIN)
    return min(rate, ceiling) / max(1, live)


class Membership:
    """This process's registration and heartbeat.  `process_id` is what its claims carry."""

    def __init__(
        self, processes: ProcessStore, role: str, on_share: Callable[[int], None] | None = None,
        clock: Callable[[], float] = time.time, sends: str = "",
    ) -> None:
        self._processes, self.role, self._clock = processes, role, clock
        # The send settings this process was given, as it says them ("1000/s, paid
        # broadcasts"); the others' that differ, as last told in the log.
        self.sends = sends
        self._told_differing: list[str] = []
        self._on_share = on_share  # told the number of live processes at each heartbeat
        self.process_id = 0
        self.live = 1
        self._last_beat = 0.0
        # Back from an outage, it claims and sends nothing new before this instant (`_beat`).
        self._settled_at = 0.0
        self._task: asyncio.Task[None] | None = None
        self._held: set[str] = set()  # leases this process held last time it asked
        # The host name, as the processes know each other's: a process of this host that is
        # gone is known dead at once (containers: set AKHBAR_PROCESS_HOST per container).
        self._host, self._pid = os.environ.get("AKHBAR_PROCESS_HOST") or socket.gethostname(), os.getpid()

    def live_since(self) -> float:
        """Heartbeats at or after this instant are of live processes."""
        return self._clock() - LEASE_SECONDS

    @property
    def fresh(self) -> bool:
        """Whether this process's own heartbeat is recent enough that nobody has taken, nor
        is about to take, its work: it may go on claiming and sending."""
        now = self._clock()
        return now - self._last_beat < LEASE_SECONDS / 2 and now >= self._settled_at

    async def join(self) -> None:
        """Register, count the others, and wait until they have seen this one.  Processes of
        this host that are gone (killed: the bot restarted after a crash) are declared dead
        first, so that their work is taken over now rather than after their lease."""
        try:
            await self._register()
        except StorageError as error:
            # A database that refuses writes (read-only, full, out of reach): the process
            # answers readers all the same, and claims no work until it is registered.
            log.error("cannot register this process (%s): it claims no work until it can", error)
        self._task = asyncio.create_task(self._beat_forever(), name="heartbeat")
        if self.live > 1:
            await asyncio.sleep(BEAT_SECONDS * 1.25)  # every other process has counted this one

    async def _register(self) -> None:
        gone = [process_id for process_id, pid in await self._processes.on_host(self._host) if not _running(pid)]
        if gone:
            await self._processes.mark_dead(gone)
        self.process_id = await self._processes.register(self.role, self._host, self._pid, self._clock(), self.sends)
        await self._beat()
        log.info("process %d (%s) joined; %d live", self.process_id, self.role, self.live)

    async def _beat(self) -> None:
        now = self._clock()
        # Back after its heartbeat failed long enough to stop its work (the database out of
        # everyone's reach, restarted): the others' heartbeats may be as old as its own, so
        # that each would count itself alone and send at the whole rate, and take the others'
        # work.  Like a process joining, it waits until they have beaten again, claiming
        # nothing and keeping its share meanwhile.
        back = self._last_beat > 0 and now - self._last_beat >= LEASE_SECONDS / 2
        live = await self._processes.beat(
            self.process_id, self.role, self._host, self._pid, now, now - LEASE_SECONDS, self.sends
        )
        if self.sends and (live > 1 or self._told_differing):
            await self._compare_sends(now - LEASE_SECONDS)
        self._last_beat = now
        if back:
            self._settled_at = now + BEAT_SECONDS * 1.25
        if now < self._settled_at:
            live = max(live, self.live)
        if live != self.live:
            log.info(
                "%s live: this one sends 1/%d of the rate, less the margin", counted(live, "process", "processes"), max(1, live)
            )
        self.live = max(1, live)
        if self._on_share is not None:
            self._on_share(self.live)

    async def _compare_sends(self, live_since: float) -> None:
        """Say, once, that live processes were given send settings other than this one's: the
        rate is the bot's, shared among them, and a process sending unpaid beside paid
        broadcasts has its sends refused (README, "One rate for all")."""
        differing = [sends for sends in await self._processes.sends_of_live(live_since) if sends != self.sends]
        if differing and differing != self._told_differing:
            log.warning(
                "this process sends at %s but %s at %s: give every process the same AKHBAR_SEND_RATE and "
                "AKHBAR_PAID_BROADCAST (an unpaid one's sends are refused while a paid one broadcasts above 30/s)",
                self.sends or "?", "another" if len(differing) == 1 else "others", " and ".join(differing),
            )
        self._told_differing = differing

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(BEAT_SECONDS)
            try:
                await (self._beat() if self.process_id else self._register())
                database_answered()
            except StorageError as error:
                log.warning("heartbeat failed (%s); %s", error, "still fresh" if self.fresh else "claiming nothing")
            except Exception:
                log.exception("heartbeat failed")

    async def hold(self, lease: str) -> bool:
        """Whether this process holds `lease` (work one process does at a time): it held it
        already, or took it from nobody or from a process that died."""
        if not self.fresh:
            return False
        now = self._clock()
        held = await self._processes.take_lease(lease, self.process_id, now, now - LEASE_SECONDS)
        if held and lease not in self._held:
            log.info("process %d now does %s", self.process_id, lease)
            self._held.add(lease)
        elif not held:
            self._held.discard(lease)
        return held

    async def lease_holder(self, lease: str) -> int | None:
        """The process holding `lease` (its id), if any."""
        return await self._processes.lease_holder(lease)

    async def leave(self) -> None:
        """A clean stop: the heartbeat ends and what this process claimed is free at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.process_id:
            try:
                await self._processes.leave(self.process_id)
            except StorageError as error:  # the others take its work after the lease
                log.warning("could not say this process stopped (%s)", error)


def _running(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a reused id only delays the
    takeover until the lease runs out)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
