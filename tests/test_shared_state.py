"""Several processes on one database: what a reply needs is stored, not kept in one process's
memory — on both engines (the `engine_db` fixture)."""

import asyncio

import pytest

from news.services.buttons import ButtonService
from storage.buttons import ButtonTextRepository


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
