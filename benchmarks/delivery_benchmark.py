"""Delivery throughput: a broadcast at a high configured rate against the emulator.

    python benchmarks/delivery_benchmark.py [--subscribers 5000] [--rate 500] [--metrics-cost ROUNDS]

The Bot API emulator runs in its own process (as Telegram would be elsewhere), enforcing
Telegram's limits: 30/s overall, 1000/s for paid broadcasts.  The bot side is the real digest
engine with AKHBAR_PAID_BROADCAST and AKHBAR_SEND_RATE set, durable delivery records and all.
Printed next to it, measured in the same run: the raw capacity of this machine's loopback
setup (PTB sending as fast as it can, no limiter, no database), so the ratio says whether the
limiter or the machine is what holds the rate — with the aiohttp backend the bot uses, and with
PTB's default httpx backend, which costs about six times the CPU per call.  Target (issue 4): ≥ 95% of the configured rate
with zero 429s.

With --metrics-cost ROUNDS, instead: the same broadcast ROUNDS times without metrics and ROUNDS
times with them (AKHBAR_METRICS_LISTEN set, /metrics and /healthz scraped over HTTP every
SCRAPE_SECONDS meanwhile), alternated, each on a fresh copy of the same database; the bot
process's CPU time per digest is compared (the rate is held by the limiter, so wall time would
say nothing).  Target (issue 16): metrics add < 3%.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456789:BENCHMARK-token-for-the-emulator"
DUE = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def emulator_process(port_out, control, subscribers: int) -> None:
    from emulator import BotAPIEmulator, Limits

    async def serve() -> None:
        emu = BotAPIEmulator(token=TOKEN, limits=Limits())
        await emu.start()
        for chat_id in range(1, subscribers + 1):
            emu.add_user(user_id=chat_id, first_name="r")
        for chat_id in range(900_001, 900_001 + 2_000):
            emu.add_user(user_id=chat_id, first_name="raw")
        port_out.send(emu.api_url)
        loop = asyncio.get_running_loop()
        while await loop.run_in_executor(None, control.recv) == "stats":
            sent = sum(len(emu.messages(c)) for c in range(1, subscribers + 1))
            control.send({"rate_limited": emu.rate_limited, "violations": len(emu.violations), "delivered": sent})
        await emu.stop()

    asyncio.run(serve())


async def raw_capacity(api_url: str, senders: int, backend: str, seconds: float = 3.0) -> float:
    """PTB sending flat out to the emulator with as many concurrent senders as the engine
    uses, no limiter, no database: what this machine's bot + emulator pair can carry, with
    the network backend the bot uses (aiohttp) or PTB's default (httpx)."""
    from telegram import Bot
    from telegram.error import RetryAfter
    from telegram.request import HTTPXRequest

    from bot.aiohttp_request import AiohttpRequest

    request = (AiohttpRequest if backend == "aiohttp" else HTTPXRequest)(connection_pool_size=senders + 4)
    bot = Bot(TOKEN, base_url=f"{api_url}/bot", request=request)
    sent = 0
    async with bot:
        deadline = time.perf_counter() + seconds

        async def sender(offset: int) -> None:
            nonlocal sent
            chat = 900_001 + offset
            while time.perf_counter() < deadline:
                try:
                    await bot.send_message(chat, "raw", allow_paid_broadcast=True)
                except RetryAfter as flood:  # the emulator's 1000/s paid cap, not the machine
                    await asyncio.sleep(flood.retry_after if isinstance(flood.retry_after, int) else 1)
                    continue
                sent += 1
                chat = 900_001 + (chat - 900_000 + senders) % 2_000

        start = time.perf_counter()
        await asyncio.gather(*(sender(i) for i in range(senders)))
        return sent / (time.perf_counter() - start)


SCRAPE_SECONDS = 5.0  # Prometheus's default is every 15 s


async def seed(db_path: Path, subscribers: int) -> None:
    """Five articles and `subscribers` chats due at DUE."""
    from news.articles import make_article
    from news.ingest import Ingestor
    from storage.articles import ArticleRepository
    from storage.chats import ChatRepository
    from storage.db import Database

    async with Database(db_path) as db:
        await (await Ingestor.open(ArticleRepository(db))).add_many(
            [make_article(title=f"خبر رقم {i} عن الاقتصاد", topics=["economy"]) for i in range(5)],
            fetched_at=DUE - timedelta(hours=1),
        )
        chats = ChatRepository(db)
        for chat_id in range(1, subscribers + 1):
            await chats.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=clock_time(7, 0))
            await chats.set_subscribed(chat_id, True, next_due=DUE)


async def broadcast(api_url: str, rate: float, db_path: Path, metrics: bool = False):
    """The digests due in `db_path`, broadcast; (report, wall seconds, CPU seconds of this
    process).  With `metrics`, counted and served, and scraped meanwhile."""
    import aiohttp

    from bot.app import build_application
    from bot.config import load_settings

    settings = replace(
        load_settings({}), token=TOKEN, api_url=api_url, db_path=str(db_path), send_rate=rate, paid_broadcast=True,
        metrics_listen="127.0.0.1:0" if metrics else None,
    )
    app = build_application(settings)

    async def scrape(port: int) -> None:
        async with aiohttp.ClientSession() as http:
            while True:
                await asyncio.sleep(SCRAPE_SECONDS)
                for path in ("/metrics", "/healthz"):
                    async with http.get(f"http://127.0.0.1:{port}{path}") as response:
                        await response.read()

    async with app:
        await app.post_init(app)
        scraping = None
        try:
            app.bot_data.services.clock = lambda: DUE + timedelta(seconds=5)
            if app.bot_data.monitor is not None:
                scraping = asyncio.create_task(scrape(app.bot_data.monitor.port))
            start, cpu = time.perf_counter(), time.process_time()
            report = await app.bot_data.digests.broadcast()
            return report, time.perf_counter() - start, time.process_time() - cpu
        finally:
            if scraping is not None:
                scraping.cancel()
            await app.post_shutdown(app)


def metrics_cost(api_url: str, subscribers: int, rate: float, rounds: int) -> None:
    """The broadcast without and with metrics, alternated, each on a copy of one database."""
    import shutil

    from alternated import compare

    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.db"
        asyncio.run(seed(template, subscribers))
        runs = iter(range(2 * rounds))

        def one(metrics: bool) -> float:
            copy = Path(folder) / f"round-{next(runs)}.db"
            shutil.copyfile(template, copy)
            report, seconds, used = asyncio.run(broadcast(api_url, rate, copy, metrics))
            copy.unlink()
            if report.sent != subscribers:
                raise SystemExit(f"only {report.sent} of {subscribers} digests sent")
            print(f"{'with' if metrics else 'without'} metrics: {report.sent:,} digests in {seconds:.1f} s, "
                  f"{used:.2f} s CPU = {used / report.sent * 1e6:.0f} µs per digest")
            return used / report.sent

        compare(rounds, one, "digest")
        copy = Path(folder) / "scraped.db"
        shutil.copyfile(template, copy)
        metrics_page, healthz = asyncio.run(scrape_cost(api_url, copy))
    per_send = counting_cost()
    print(f"timed alone: a digest's counting (a send's outcome, Telegram's answer, the record) {per_send * 1e6:.2f} µs; "
          f"serving /metrics {metrics_page * 1e3:.1f} ms and /healthz {healthz * 1e3:.1f} ms with {subscribers:,} digests due "
          f"(each scrape every 15 s: {(metrics_page + healthz) / 15:.2%} of a core)")


async def scrape_cost(api_url: str, db_path: Path, times: int = 50) -> tuple[float, float]:
    """CPU seconds this process spends serving one /metrics and one /healthz (the server's
    side, without HTTP), with every chat of `db_path` due."""
    from bot.app import build_application
    from bot.config import load_settings

    settings = replace(load_settings({}), token=TOKEN, api_url=api_url, db_path=str(db_path), metrics_listen="127.0.0.1:0")
    app = build_application(settings)
    async with app:
        await app.post_init(app)
        try:
            app.bot_data.services.clock = lambda: DUE + timedelta(seconds=5)
            monitor = app.bot_data.monitor
            assert monitor is not None
            costs = []
            for serve in (monitor.serve_metrics, monitor.check):
                await serve()
                start = time.process_time()
                for _ in range(times):
                    await serve()
                costs.append((time.process_time() - start) / times)
            return costs[0], costs[1]
        finally:
            await app.post_shutdown(app)


def counting_cost(times: int = 200_000) -> float:
    """CPU seconds of the metric events one digest causes, timed in a loop (noise-free)."""
    from bot.metrics import PrometheusMetrics

    metrics = PrometheusMetrics()
    start = time.process_time()
    for _ in range(times):
        metrics.send_ended("sent")
        metrics.telegram_answered(True)
        metrics.digests_recorded(1)
    return (time.process_time() - start) / times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=5_000)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--metrics-cost", type=int, metavar="ROUNDS",
                        help="compare the broadcast's CPU without and with metrics, ROUNDS times each, alternated")
    args = parser.parse_args()
    port_in, port_out = multiprocessing.Pipe(duplex=False)
    control_here, control_there = multiprocessing.Pipe()
    child = multiprocessing.Process(target=emulator_process, args=(port_out, control_there, args.subscribers))
    child.start()
    api_url = port_in.recv()
    from bot.digests import workers_for

    if args.metrics_cost:
        try:
            metrics_cost(api_url, args.subscribers, args.rate, args.metrics_cost)
        finally:
            control_here.send("stop")
            child.join(10)
        return
    try:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(seed(Path(folder) / "d.db", args.subscribers))
            report, seconds, _ = asyncio.run(broadcast(api_url, args.rate, Path(folder) / "d.db"))
        control_here.send("stats")  # the broadcast's own 429s, before the raw run adds any
        stats = control_here.recv()
        raw = asyncio.run(raw_capacity(api_url, workers_for(args.rate), "aiohttp"))
        raw_httpx = asyncio.run(raw_capacity(api_url, workers_for(args.rate), "httpx"))
    finally:
        control_here.send("stop")
        child.join(10)
    achieved = report.sent / seconds
    print(f"raw capacity (PTB flat out, {workers_for(args.rate)} senders, no limiter, no database): {raw:7.0f} msg/s "
          f"with aiohttp, as the bot sends; {raw_httpx:7.0f} msg/s with PTB's default httpx "
          f"(the emulator caps paid broadcasts at 1000/s)")
    print(f"broadcast: {report.sent:,} digests in {seconds:.1f} s = {achieved:7.0f} msg/s "
          f"at a configured {args.rate:.0f}/s -> {achieved / args.rate:.1%} of the configured rate, "
          f"{achieved / raw:.1%} of raw capacity")
    print(f"emulator: {stats['delivered']:,} delivered, {stats['rate_limited']} answered 429, {stats['violations']} invalid")
    print(f"target >= 95% with zero 429s: {'met' if achieved >= 0.95 * args.rate and stats['rate_limited'] == 0 else 'MISSED'}")


if __name__ == "__main__":
    main()
