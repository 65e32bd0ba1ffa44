"""Several processes on one database: what a reply needs is stored, not kept in one process's
memory — on both engines (the `engine_db` fixture)."""

import asyncio
from datetime import UTC, datetime, time, timedelta
from time import time as wall_clock

import pytest

from news.model import DeliveryOutcome
from news.repositories import StorageUnavailable
from news.services.buttons import ButtonService
from storage.buttons import ButtonTextRepository
from storage.chats import ChatRepository
from storage.processes import ProcessRepository

from .conftest import until


@pytest.fixture
def db(engine_db):
    return engine_db


async def test_a_button_text_is_recalled_by_any_process_and_only_in_its_chat(db):
    first, second = ButtonService(ButtonTextRepository(db)), ButtonService(ButtonTextRepository(db))
    key = await first.remember(42, "search", "سوناطراك")
    assert await second.recall(42, "search", key) == "سوناطراك"
    assert await second.recall(43, "search", key) is None  # another chat's
    assert await second.recall(42, "follow", key) is None  # another kind
    assert await second.recall(42, "search", key + 1000) is None


async def test_a_chat_keeps_only_its_last_button_texts_of_each_kind(db):
    buttons = ButtonService(ButtonTextRepository(db), keep=3)
    keys = [await buttons.remember(7, "search", f"q{n}") for n in range(5)]
    other = await buttons.remember(7, "follow", "f")
    elsewhere = await buttons.remember(8, "search", "x")
    assert [await buttons.recall(7, "search", key) for key in keys] == [None, None, "q2", "q3", "q4"]
    assert await buttons.recall(7, "follow", other) == "f"
    assert await buttons.recall(8, "search", elsewhere) == "x"


async def test_a_transaction_cancelled_at_any_moment_leaves_the_connection_usable(db):
    """A task cancelled while its BEGIN, a statement or its COMMIT runs (a shutdown, a lost
    race): the next transaction still works, and nothing half-done was kept."""
    for delay in range(12):

        async def write(n: int) -> None:
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO counters (day, name, value) VALUES (?, ?, ?)", ("d", f"n{n}", 1))
                await tx.execute("INSERT INTO counters (day, name, value) VALUES (?, ?, ?)", ("d", f"m{n}", 1))

        task = asyncio.ensure_future(write(delay))
        for _ in range(delay):
            await asyncio.sleep(0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO counters (day, name, value) VALUES (?, ?, ?)", ("e", f"after{delay}", 1))
    rows = await db.fetch("SELECT name FROM counters WHERE day = 'd'")
    names = {row[0] for row in rows}
    assert all((f"n{n}" in names) == (f"m{n}" in names) for n in range(12))  # both or neither
    assert len(await db.fetch("SELECT name FROM counters WHERE day = 'e'")) == 12


# --- claims: each piece of work goes to one live process ------------------------------

DUE = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
NOW = 1_800_000_000.0  # heartbeats: seconds since the epoch
LEASE = 20.0


async def _due_chats(db, ids):
    chats = ChatRepository(db)
    for chat_id in ids:
        await chats.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=time(7, 0))
        await chats.set_subscribed(chat_id, True, next_due=DUE + timedelta(seconds=chat_id % 7))
    return chats


async def test_processes_claiming_at_once_share_the_due_chats_each_to_one(db):
    chats = await _due_chats(db, range(1, 301))
    processes = ProcessRepository(db)
    first, second = await processes.register("worker", "h", 1, NOW), await processes.register("worker", "h", 2, NOW)
    claimed: dict[int, list[int]] = {first: [], second: []}
    # Each takes its first page before either takes a second: otherwise, on a loaded machine,
    # one process could claim every page while the other still opens its connection, and the
    # test would no longer be about two processes at once.  The pages after race freely.
    both_started = asyncio.Barrier(2)

    async def claim_all(process_id: int) -> None:
        at = DUE + timedelta(minutes=1)
        claimed[process_id] += [chat.id for chat in await chats.claim_due(at, process_id, NOW - LEASE, limit=40)]
        await both_started.wait()
        while page := await chats.claim_due(at, process_id, NOW - LEASE, limit=40):
            claimed[process_id] += [chat.id for chat in page]

    await asyncio.gather(claim_all(first), claim_all(second))
    both = claimed[first] + claimed[second]
    assert sorted(both) == list(range(1, 301))  # every due chat once
    assert claimed[first] and claimed[second] or db.dialect.name == "sqlite"


async def test_a_page_of_claims_is_the_earliest_due_first(db):
    chats = await _due_chats(db, range(1, 15))
    me = await ProcessRepository(db).register("all", "h", 1, NOW)
    page = await chats.claim_due(DUE + timedelta(minutes=1), me, NOW - LEASE, limit=5)
    assert [(c.next_due_utc, c.id) for c in page] == sorted((c.next_due_utc, c.id) for c in page)
    assert [c.id for c in page] == [7, 14, 1, 8, 2]  # due at +0 s, +0 s, +1 s, +1 s, +2 s


async def test_a_dead_process_claims_return_after_its_lease_and_a_recorded_digest_ends_its_claim(db):
    chats = await _due_chats(db, range(1, 11))
    processes = ProcessRepository(db)
    dead = await processes.register("worker", "h", 1, NOW)
    alive = await processes.register("worker", "h", 2, NOW)
    at = DUE + timedelta(minutes=1)
    taken = await chats.claim_due(at, dead, NOW - LEASE, limit=100)
    assert len(taken) == 10
    await chats.record_deliveries([
        DeliveryOutcome(taken[0].id, "2026-12-01", taken[0].next_due_utc, "sent", DUE + timedelta(days=1))
    ])
    # Its heartbeat is fresh: nothing for the other.
    assert await chats.claim_due(at, alive, NOW - LEASE, limit=100) == []
    # Ten seconds past its lease (the other beat meanwhile): the nine it did not record are free.
    later = NOW + LEASE + 10
    assert await processes.beat(alive, "worker", "h", 2, later, later - LEASE) == 1
    retaken = await chats.claim_due(at, alive, later - LEASE, limit=100)
    assert sorted(c.id for c in retaken) == sorted(c.id for c in taken[1:])
    # Released (a stop, a failure): anyone's again.
    await chats.release_due(alive)
    assert len(await chats.claim_due(at, dead, later - LEASE - 100, limit=100)) == 9


async def test_a_clean_stop_frees_its_claims_at_once(db):
    chats = await _due_chats(db, range(1, 6))
    processes = ProcessRepository(db)
    leaving, staying = await processes.register("worker", "h", 1, NOW), await processes.register("worker", "h", 2, NOW)
    await chats.claim_due(DUE + timedelta(minutes=1), leaving, NOW - LEASE)
    assert await processes.take_lease("feed-polling", leaving, NOW, NOW - LEASE)
    await processes.leave(leaving)
    assert len(await chats.claim_due(DUE + timedelta(minutes=1), staying, NOW - LEASE)) == 5
    assert await processes.take_lease("feed-polling", staying, NOW, NOW - LEASE)
    assert await processes.live(NOW - LEASE) == [staying]


async def test_a_lease_is_held_by_one_live_process_and_taken_over_from_a_dead_one(db):
    processes = ProcessRepository(db)
    first, second = await processes.register("worker", "h", 1, NOW), await processes.register("worker", "h", 2, NOW)
    assert await processes.take_lease("feed-polling", first, NOW, NOW - LEASE)
    assert not await processes.take_lease("feed-polling", second, NOW + 1, NOW + 1 - LEASE)
    assert await processes.take_lease("feed-polling", first, NOW + 2, NOW + 2 - LEASE)  # still its own
    later = NOW + LEASE + 5  # the first stopped beating
    await processes.beat(second, "worker", "h", 2, later, later - LEASE)
    assert await processes.take_lease("feed-polling", second, later, later - LEASE)
    assert await processes.lease_holder("feed-polling") == second
    assert not await processes.take_lease("feed-polling", first, later, later - LEASE)
    await processes.mark_dead([second])
    assert await processes.take_lease("feed-polling", first, later, later - LEASE)


def test_each_live_process_takes_its_share_of_the_rate_with_a_margin_under_telegrams_limit_a_lone_one_too():
    from bot.processes import rate_share

    assert rate_share(1000, 1, paid=True) == pytest.approx(950)
    assert rate_share(1000, 2, paid=True) == pytest.approx(475)
    assert rate_share(30, 1) == pytest.approx(28.5)
    assert 3 * rate_share(30, 3) < 30
    # Well under Telegram's limit the configured rate is the bot's, whole.
    assert rate_share(500, 1, paid=True) == pytest.approx(500)
    assert 2 * rate_share(500, 2, paid=True) == pytest.approx(500)
    assert rate_share(25, 1) == pytest.approx(25)


async def test_a_process_takes_in_the_follows_another_added_or_removed(db):
    from news.articles import make_article
    from news.percolator import Percolator, story_terms
    from news.services.follows import FollowService, load_percolator
    from storage.follows import FollowRepository

    other = FollowRepository(db)
    percolator, version = await load_percolator(FollowRepository(db))
    mine = FollowService(FollowRepository(db), None, None, percolator, version=version)  # type: ignore[arg-type]
    follow = await other.add(5, kind="words", text="سوناطراك", terms=("سوناطراك",))
    assert follow is not None
    assert len(percolator) == 0
    await mine.sync()
    assert percolator.ids() == {follow.id}
    assert [m.chat_id for m in percolator.match(story_terms(make_article(title="سوناطراك تعلن", source="و")))] == [5]
    await other.remove(5, follow.id)
    await mine.sync()
    assert len(percolator) == 0 and isinstance(percolator, Percolator)


class _ReachableWhileUp:
    """The processes' table, out of reach while `down` (a restart of PostgreSQL, a network cut)."""

    def __init__(self, processes: ProcessRepository) -> None:
        self._processes, self.down = processes, False

    def __getattr__(self, name: str):
        method = getattr(self._processes, name)

        async def call(*args, **kwargs):
            if self.down:
                raise StorageUnavailable("unreachable", "connection refused")
            return await method(*args, **kwargs)

        return call


async def test_processes_back_from_an_outage_longer_than_the_lease_never_each_send_at_the_whole_rate(db):
    """PostgreSQL out of reach for 30 s under two workers: every heartbeat in the table was
    older than the lease when it came back, and the first worker to beat again counted itself
    alone and sent at the bot's whole rate while the other, back a moment later, sent its own
    half: 38 in one second at a rate of 30, 8 × 429 (measured with two `akhbar worker`).  A
    process back from such an outage now waits, as one joining does, for the others to beat
    again, its share kept meanwhile, and claims nothing until then (nor takes their work)."""
    from bot.processes import BEAT_SECONDS, Membership

    skipped = [0.0]  # the clock runs on, and jumps the outage's 30 s
    stores = [_ReachableWhileUp(ProcessRepository(db)) for _ in range(2)]
    told: list[list[int]] = [[], []]
    first, second = (
        Membership(store, "worker", shares.append, clock=lambda: wall_clock() + skipped[0]) for store, shares in zip(stores, told, strict=True)
    )
    await first.join()
    await second.join()
    try:
        await until(lambda: told[0][-1:] == [2], timeout=10, what="the first counting the second")
        for store in stores:
            store.down = True
        skipped[0] += 30  # the outage: no heartbeat gets through
        await until(lambda: not first.fresh, timeout=10, what="the first stopping its work")
        back_from = len(told[0])
        stores[0].down = False  # the first is back a moment before the second
        await until(lambda: len(told[0]) > back_from, timeout=10, what="the first beating again")
        assert told[0][back_from:] == [2]  # its half of the rate, not the whole of it
        assert not first.fresh  # no claim yet: the second may be alive, holding work
        stores[1].down = False
        await until(lambda: first.fresh and second.fresh, timeout=10, what="both back at work")
        await asyncio.sleep(BEAT_SECONDS * 1.5)  # a beat more for each
        assert told[0][-1] == told[1][-1] == 2
        assert min(told[0][back_from:]) == min(told[1][back_from:]) == 2
    finally:
        for store in stores:
            store.down = False
        await first.leave()
        await second.leave()


async def test_processes_sending_at_different_settings_say_so_in_their_log_once(db, caplog):
    """One rate for all (README): a worker started without AKHBAR_PAID_BROADCAST beside paid
    ones sends unpaid while they fill Telegram's second: its sends are refused, 429 after 429,
    and nothing said why.  Each process now says, once, that the others send otherwise."""
    from bot.processes import Membership

    paid = Membership(ProcessRepository(db), "worker", sends="1000/s, paid broadcasts")
    free = Membership(ProcessRepository(db), "worker", sends="25/s")
    alike = Membership(ProcessRepository(db), "worker", sends="1000/s, paid broadcasts")
    await paid.join()
    try:
        await free.join()

        def said() -> list[str]:
            return [r.getMessage() for r in caplog.records if "AKHBAR_PAID_BROADCAST" in r.getMessage()]

        # Each says it once, the paid one at its next heartbeat.
        await until(lambda: len(said()) == 2, what="both told")
        assert sorted(line.split(": give")[0] for line in said()) == [
            "this process sends at 1000/s, paid broadcasts but another at 25/s",
            "this process sends at 25/s but another at 1000/s, paid broadcasts",
        ]
        await free.leave()
        await alike.join()  # the same settings as the one left: nothing to say
        await alike.leave()
        assert len(said()) == 2
    finally:
        await free.leave()
        await paid.leave()
