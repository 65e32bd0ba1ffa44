"""A newer Akhbar started while an older one still runs on the same database: it would migrate
the schema under the running process (whose code reads the tables as they were: a changed
table fails there, at any moment, in any job).  README, "Upgrading": stop every process, then
start the new version.  The new one refuses at start, in one line saying so."""

import asyncio
from contextlib import asynccontextmanager

import pytest

import storage.db
from emulator import BotAPIEmulator
from news.repositories import StorageError
from storage.connect import open_database

from .conftest import ENGINES, TOKEN, open_world, pg_schema, until
from .test_several_processes import start_worker

# What a next version of Akhbar would bring: one migration more, on either engine.
NEXT_MIGRATION = "ALTER TABLE chats ADD COLUMN next_version_setting integer;"


def with_next_migration(monkeypatch) -> int:
    """The bundled migrations, and one more (this Akhbar is the next version); its number."""
    bundled = storage.db.migrations

    def migrations(package: str = "storage.migrations") -> list[tuple[int, str, str]]:
        found = bundled(package)
        return [*found, (len(found) + 1, f"{len(found) + 1:04d}_next.sql", NEXT_MIGRATION)]

    monkeypatch.setattr(storage.db, "migrations", migrations)
    return len(bundled()) + 1


@asynccontextmanager
async def a_database(engine: str):
    """The URL of a PostgreSQL schema of the test's own, or None for the SQLite file."""
    if engine == "sqlite":
        yield None
        return
    async with pg_schema() as url:
        yield url


@pytest.mark.parametrize("engine", ENGINES)
async def test_a_newer_akhbar_refuses_to_migrate_under_a_running_older_one_and_migrates_once_it_stopped(
    engine, tmp_path, monkeypatch
):
    async with a_database(engine) as url:
        async with open_world(tmp_path, database_url=url) as running:  # the older version, running
            path = running.settings.db_path
            before = await running.services.db.schema_version()
            next_version = with_next_migration(monkeypatch)
            with pytest.raises(StorageError) as refused:
                await open_database(url, path)
            said = str(refused.value)
            assert f"from version {before} to {next_version}" in said, said
            assert "1 Akhbar process still runs on it" in said and "stop every process" in said, said
            assert "\n" not in said
            monkeypatch.undo()
            assert await running.services.db.schema_version() == before  # nothing migrated
            await running.ask(running.fresh_id(), "/help")  # and the running one goes on
        # Stopped (cleanly): the new version starts and migrates.
        with_next_migration(monkeypatch)
        upgraded = await open_database(url, path)
        try:
            assert await upgraded.schema_version() == next_version
        finally:
            await upgraded.close()


@pytest.mark.slow  # an akhbar worker process, on PostgreSQL (several processes' engine)
async def test_a_running_worker_whose_database_a_newer_akhbar_migrated_stops_in_one_line(tmp_path):
    """The refusal above holds while the older process beats; one silent past its lease (its
    machine asleep, the database out of its reach) can find the schema migrated under it when
    it comes back.  It ran on, its code reading changed tables; it now stops, saying why."""
    async with a_database("postgresql") as url, BotAPIEmulator(token=TOKEN) as emu:
        log = tmp_path / "worker.log"
        worker = await start_worker(emu, url, log, "host-1")
        try:
            await until(lambda: "joined" in log.read_text(), timeout=60, what="the worker in")
            newer = await open_database(url, "")
            try:
                version = await newer.schema_version() + 1
                await newer.execute("INSERT INTO akhbar_schema (version) VALUES (?)", (version,))  # as a newer one migrates
            finally:
                await newer.close()
            status = await asyncio.wait_for(worker.wait(), 30)
        finally:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()
    said = log.read_text()
    assert status == 2, said
    assert f"migrated to schema version {version} by a newer Akhbar" in said.splitlines()[-1], said
    assert "Traceback" not in said
