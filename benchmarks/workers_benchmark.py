"""Delivery by several processes: `akhbar worker` processes sharing a paid broadcast at a
configured 1,000 messages/s against the emulator, and one of them killed mid-broadcast.

    python benchmarks/workers_benchmark.py [--subscribers 5000] [--rate 1000] [--pg URL]

The emulator runs in its own process (as Telegram would be elsewhere) and enforces Telegram's
limits: 1,000/s for paid broadcasts, each private chat's pace.  Each scenario starts real
`akhbar worker` processes on a fresh database whose subscribers are all due, and reads from
the emulator what arrived: the delivered rate against the configured one, 429s, the busiest
one-second window across all processes (never above the rate), and chats served twice or not
at all.  The CPU seconds the worker processes used are read from the kernel when they end,
so that "one core's worth" of a worker is measured, not guessed.

Scenarios: SQLite with one process (the default deployment); PostgreSQL with one worker, then
two; PostgreSQL with two, one killed with SIGKILL once a third of the digests are out (how long
until its claimed chats were taken over, missed chats, duplicates against its sends in flight).
PostgreSQL: --pg URL, or AKHBAR_TEST_DATABASE_URL (each scenario in a schema of its own).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import signal
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456789:BENCHMARK-token-for-the-emulator"
SCENARIO_SPAN = 100_000  # chat ids of scenario k: k * SCENARIO_SPAN + 1 …


def emulator_process(port_out, control, chats: list[int]) -> None:
    from emulator import BotAPIEmulator, Limits

    async def serve() -> None:
        emu = BotAPIEmulator(token=TOKEN, limits=Limits())
        await emu.start()
        for chat_id in chats:
            emu.add_user(user_id=chat_id, first_name="r")
        port_out.send(emu.api_url)
        loop = asyncio.get_running_loop()
        while (asked := await loop.run_in_executor(None, control.recv)) != "stop":
            first, last = asked
            control.send(_stats(emu, first, last))
        await emu.stop()

    asyncio.run(serve())


def _stats(emu, first: int, last: int) -> dict:
    """What arrived for chats first..last: per-chat counts, when, the busiest second."""
    times = sorted(
        at for (method, params), at in zip(emu.requests, emu.request_times, strict=True)
        if method == "sendmessage" and first <= int(params.get("chat_id", 0)) <= last
    )
    busiest, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    counts = [len(emu.messages(chat_id)) for chat_id in range(first, last + 1)]
    return {
        "delivered": sum(counts), "missed": counts.count(0), "twice": sum(c - 1 for c in counts if c > 1),
        "first": times[0] if times else 0.0, "last": times[-1] if times else 0.0, "busiest": busiest,
        "rate_limited": emu.rate_limited, "violations": len(emu.violations), "now": emu.limiter.clock(),
    }


class Emulator:
    def __init__(self, chats: list[int]) -> None:
        ours, theirs = multiprocessing.Pipe()
        self._control, control = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=emulator_process, args=(theirs, control, chats), daemon=True)
        self.process.start()
        self.api_url = ours.recv()

    def stats(self, first: int, last: int) -> dict:
        self._control.send((first, last))
        return self._control.recv()

    def stop(self) -> None:
        self._control.send("stop")
        self.process.join(10)


async def seed(url: str | None, db_path: str, chats: range) -> None:
    from news.articles import make_article
    from news.ingest import Ingestor
    from storage.articles import ArticleRepository
    from storage.chats import ChatRepository
    from storage.connect import open_database

    due = datetime.now(UTC) - timedelta(minutes=1)
    db = await open_database(url, db_path)
    try:
        await (await Ingestor.open(ArticleRepository(db))).add_many(
            [make_article(title=f"خبر رقم {i} عن الاقتصاد", topics=["economy"], source="وكالة") for i in range(5)],
            fetched_at=due - timedelta(hours=1),
        )
        repo = ChatRepository(db)
        for chat_id in chats:
            await repo.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=clock_time(7, 0))
        async with db.transaction() as tx:  # one statement, rather than one per chat
            await tx.execute(
                "UPDATE chats SET subscribed = 1, next_due_utc = ? WHERE id BETWEEN ? AND ?",
                (due.strftime("%Y-%m-%dT%H:%M:%SZ"), chats[0], chats[-1]),
            )
    finally:
        await db.close()


async def claimed_by(url: str, process_id: int) -> int:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM chats WHERE digest_claimed_by = $1", process_id))
    finally:
        await conn.close()


def worker_env(api_url: str, rate: float, url: str | None, db_path: str, host: str) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api_url,
        "AKHBAR_SEND_RATE": str(rate), "AKHBAR_PAID_BROADCAST": "true", "AKHBAR_LOG_LEVEL": "INFO",
        "AKHBAR_WORKERS": "0",  # no feed-parsing processes: there are no feeds here
        "AKHBAR_PROCESS_HOST": host,  # each as if on a machine of its own: a dead one is known by its lease
        **({"AKHBAR_DATABASE_URL": url} if url else {"AKHBAR_DB": db_path}),
    }


async def scenario(emu: Emulator, k: int, subscribers: int, rate: float, url: str | None, workers: int,
                   folder: Path, kill: bool = False) -> dict:
    chats = range(k * SCENARIO_SPAN + 1, k * SCENARIO_SPAN + subscribers + 1)
    db_path = str(folder / f"scenario-{k}.db")
    await seed(url, db_path, chats)
    logs = [folder / f"scenario-{k}-worker-{n}.log" for n in range(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    procs = []
    for n, log in enumerate(logs):
        with open(log, "ab") as out:
            procs.append(await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "worker", env=worker_env(emu.api_url, rate, url, db_path, f"host-{n}"),
                cwd=folder, stdout=out, stderr=out,
            ))
    result: dict = {}
    deadline = time.monotonic() + 300
    try:
        # The broadcast's own CPU, from its first digest on (start-up and imports left out).
        while not emu.stats(chats[0], chats[-1])["delivered"] and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        cpu_start = {proc.pid: cpu_seconds(proc.pid) for proc in procs}
        cpu_end: dict[int, float] = {}
        if kill:
            while emu.stats(chats[0], chats[-1])["delivered"] < subscribers // 4:
                await asyncio.sleep(0.05)
            victim_id = _process_id(logs[0])
            cpu_end[procs[0].pid] = cpu_seconds(procs[0].pid)
            procs[0].send_signal(signal.SIGKILL)
            killed = time.monotonic()
            await procs[0].wait()
            at_kill = emu.stats(chats[0], chats[-1])
            result["claimed_at_kill"] = await claimed_by(url, victim_id) if url else 0
            while url and await claimed_by(url, victim_id) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            result["takeover_s"] = time.monotonic() - killed
            result["delivered_at_kill"] = at_kill["delivered"]
        while (stats := emu.stats(chats[0], chats[-1]))["missed"] and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        for proc in procs:
            if proc.returncode is None:
                cpu_end[proc.pid] = cpu_seconds(proc.pid)
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()
                await proc.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    span = max(1e-9, stats["last"] - stats["first"])
    result.update(stats)
    broadcast_cpu = sum(cpu_end[pid] - cpu_start[pid] for pid in cpu_end)
    result.update({"rate": stats["delivered"] / span, "cpu_s": broadcast_cpu, "total_cpu_s": total_cpu, "span_s": span})
    return result


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a running process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _process_id(log: Path) -> int:
    for _ in range(200):
        for line in log.read_text(errors="replace").splitlines():
            if " joined;" in line and "process " in line:
                return int(line.split("process ", 1)[1].split(" ", 1)[0])
        time.sleep(0.05)
    raise RuntimeError(f"{log}: the worker never said it joined")


async def with_schema(pg: str, run):
    """`run(url)` in a fresh schema of `pg`, dropped afterwards."""
    import asyncpg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(pg)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        parts = urlsplit(pg)
        url = urlunsplit(parts._replace(query="&".join(filter(None, [parts.query, f"search_path={schema}"]))))
        return await run(url)
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


def report(name: str, r: dict, rate: float, in_flight: int | None = None) -> None:
    print(f"{name}:")
    print(f"  delivered {r['delivered']:,} in {r['span_s']:.1f} s = {r['rate']:,.0f}/s, {r['rate'] / rate:.0%} of the "
          f"configured {rate:,.0f}/s; busiest second {r['busiest']:,} (cap {rate:,.0f}); "
          f"429s {r['rate_limited']}, violations {r['violations']}; missed {r['missed']}, twice {r['twice']}")
    per_cpu = r["delivered"] / r["cpu_s"] if r["cpu_s"] else 0.0
    print(f"  worker CPU during the broadcast {r['cpu_s']:.1f} s ({r['total_cpu_s']:.1f} s with start-up and stop): "
          f"{per_cpu:,.0f} messages per CPU-second")
    if "takeover_s" in r:
        print(f"  SIGKILL after {r['delivered_at_kill']:,} digests, {r['claimed_at_kill']} chats claimed by the dead one; "
              f"taken over {r['takeover_s']:.1f} s after the kill; duplicates {r['twice']} "
              f"(sends in flight or awaiting their record: at most {in_flight})")
    sys.stdout.flush()


async def main_async(args: argparse.Namespace) -> None:
    from bot.digests import workers_for

    pg = args.pg or os.environ.get("AKHBAR_TEST_DATABASE_URL")
    chats = [k * SCENARIO_SPAN + n for k in range(1, 5) for n in range(1, args.subscribers + 1)]
    emu = Emulator(chats)
    print(f"{args.subscribers:,} subscribers per scenario, configured {args.rate:,.0f}/s (paid broadcast); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            runs = {"sqlite, one process": await scenario(emu, 1, args.subscribers, args.rate, None, 1, folder)}
            report("SQLite, one process", runs["sqlite, one process"], args.rate)
            if not pg:
                print("no PostgreSQL: give --pg URL or AKHBAR_TEST_DATABASE_URL for the other scenarios")
                return
            one = await with_schema(pg, lambda url: scenario(emu, 2, args.subscribers, args.rate, url, 1, folder))
            report("PostgreSQL, one worker", one, args.rate)
            two = await with_schema(pg, lambda url: scenario(emu, 3, args.subscribers, args.rate, url, 2, folder))
            report("PostgreSQL, two workers", two, args.rate)
            # What a killed worker may send again: a digest per sender (each process has
            # workers_for(the configured rate)); what it sent is noted as each send ends, and
            # the survivor records it before claiming those chats.
            in_flight = workers_for(args.rate)
            killed = await with_schema(
                pg, lambda url: scenario(emu, 4, args.subscribers, args.rate, url, 2, folder, kill=True)
            )
            report("PostgreSQL, two workers, one killed mid-broadcast", killed, args.rate, in_flight)
            per_cpu = two["delivered"] / two["cpu_s"] if two["cpu_s"] else 0.0
            cores = max(1, -(-int(args.rate) // max(1, int(per_cpu))))
            print(f"one core's worth of a worker: about {per_cpu:,.0f} messages/s; N workers on N free cores: "
                  f"about N x {per_cpu:,.0f}/s, up to the configured {args.rate:,.0f}/s "
                  f"({cores} free core{'s' if cores > 1 else ''} of workers for it)")
    finally:
        emu.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--pg", help="postgresql://… (default AKHBAR_TEST_DATABASE_URL)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
