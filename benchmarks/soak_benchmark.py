"""Soak: minutes of mixed traffic from many readers, with the network failing now and then.

    python benchmarks/soak_benchmark.py [--minutes 10] [--readers 1000] [--fault-rate 0.02]

The real bot runs as its own process (`python -m bot run`, as an operator starts it) against
the Bot API emulator in this process, which enforces Telegram's limits and injects faults:
a share `--fault-rate` of every request (getUpdates and sends alike) answered 500 or 502,
dropped, held 0.5 s, or refused with a 429.  Each simulated reader sends a command, waits
for the answer, thinks (exponential, mean `--think` seconds) and goes again: /latest,
/search, /read_ID, /topics, /wilaya, /settings, /settime, /subscribe, unknown commands
and plain text.  Half of the readers are subscribed, with a digest falling due during the run.

First a baseline phase of `--baseline` seconds with no faults, then the soak with faults,
then a drain.  Printed: commands sent and answered, p50/p95/p99 reply latency next to the
baseline's (a ratio), the bot's memory (VmRSS) after the baseline and at the end, faults
injected by kind, digests sent, whether the bot process survived, errors it logged, and
subscriptions lost.  Targets (issue 6): zero crashes, zero lost subscriptions, memory growth
no more than 20%.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.i18n import t  # noqa: E402
from emulator import BotAPIEmulator, Limits  # noqa: E402

TOKEN = "123456789:SOAK-token-for-the-emulator-only"
FIRST_READER = 300_001
SEARCHES = ("الجزائر", "أمطار", "الاقتصاد", "وزير", "مباراة", "صيدال", "الجزائر العاصمة", "\"كأس العالم\"", "*", "NEAR(")
WILAYAS = ("وهران", "قسنطينة", "البليدة", "تيزي وزو", "ورقلة")


def command_for(rng: random.Random, article_ids: list[int]) -> str:
    roll = rng.random()
    if roll < 0.28:
        return f"/latest {rng.randint(1, 10)}"
    if roll < 0.48:
        return f"/search {rng.choice(SEARCHES)}"
    if roll < 0.63:
        return f"/read_{rng.choice(article_ids)}"
    if roll < 0.70:
        return "/topics"
    if roll < 0.75:
        return f"/wilaya {rng.choice(WILAYAS)}"
    if roll < 0.80:
        return "/settings"
    if roll < 0.85:
        return f"/settime {rng.randint(5, 9):02d}:{rng.choice((0, 15, 30, 45)):02d}"
    if roll < 0.90:
        return "/subscribe"
    if roll < 0.95:
        return f"/{rng.choice(('nope', 'help', 'start'))}"
    return rng.choice(("مرحبا", "شكرا", "<b>hi</b> & bye", "؟", "\u202eabc"))


class ReplyClock:
    """When each reader's next answer arrives (the emulator tells it of every bot message)."""

    def __init__(self, emu: BotAPIEmulator) -> None:
        self.waiting: dict[int, asyncio.Future] = {}
        self.digests = Counter()
        self.replies = 0
        self._digest_header = t("ar", "digest_title")
        emu.observers.append(self.observe)

    def observe(self, method: str, params: dict, result) -> None:
        if method != "sendmessage" or not isinstance(result, dict):
            return
        chat_id = result["chat"]["id"]
        if self._digest_header in str(params.get("text", "")):
            self.digests[chat_id] += 1
            return
        self.replies += 1
        waiter = self.waiting.pop(chat_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(time.monotonic())

    def expect(self, chat_id: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiting[chat_id] = future
        return future


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def seed(db_path: Path, readers: list[int], due: datetime) -> list[int]:
    """The demo's articles, and half the readers subscribed with a digest due at `due`."""
    from bot.demo import load_demo_articles
    from storage.articles import ArticleRepository
    from storage.chats import ChatRepository
    from storage.db import Database

    await load_demo_articles(db_path)
    async with Database(db_path) as db:
        chats = ChatRepository(db)
        for chat_id in readers[::2]:
            await chats.ensure(chat_id, type="private", title="", lang="ar", tz="Africa/Algiers", digest_time=clock_time(7, 0))
            await chats.set_subscribed(chat_id, True, next_due=due)
        return [article.id for article in await ArticleRepository(db).latest(100)]


async def still_subscribed(db_path: Path, chat_ids: list[int]) -> tuple[int, int, int]:
    """(how many of `chat_ids` are still subscribed and active, digests recorded as sent,
    digests overdue: subscribers whose digest time passed with none sent)."""
    from storage.chats import ChatRepository
    from storage.db import Database

    async with Database(db_path) as db:
        chats = ChatRepository(db)
        kept = 0
        for chat_id in chat_ids:
            chat = await chats.get(chat_id)
            kept += bool(chat and chat.subscribed and chat.active)
        # The database is fresh and the run shorter than a day: today's and yesterday's are all.
        today = datetime.now(UTC)
        recorded = sum([await chats.sent_on(f"{day:%Y-%m-%d}") for day in (today - timedelta(days=1), today)])
        overdue = len(await chats.due(datetime.now(UTC), 100_000))
    return kept, recorded, overdue


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def soak(args, folder: Path) -> dict:
    readers = list(range(FIRST_READER, FIRST_READER + args.readers))
    db_path = folder / "soak.db"
    log_path = folder / "bot.log"
    # Their digest falls due a minute into the soak (after the baseline phase).
    due = datetime.now(UTC) + timedelta(seconds=args.baseline + 60)
    article_ids = await seed(db_path, readers, due)
    emu = BotAPIEmulator(token=TOKEN, limits=Limits())
    await emu.start()
    for chat_id in readers:
        emu.add_user(chat_id, language_code="ar")
    clock = ReplyClock(emu)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emu.api_url, "AKHBAR_DB": str(db_path),
           "AKHBAR_SEND_RATE": "25", "AKHBAR_LOG_LEVEL": "INFO"}
    with open(log_path, "wb") as log:
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env, cwd=folder,
                                                   stdout=log, stderr=log)
    phase = {"name": "baseline"}
    latencies: dict[str, list[float]] = {"baseline": [], "soak": []}
    sent, unanswered = Counter(), Counter()
    stop_at = time.monotonic() + args.baseline + args.minutes * 60

    async def reader(chat_id: int) -> None:
        rng = random.Random(chat_id)
        await asyncio.sleep(rng.uniform(0, args.think))
        while time.monotonic() < stop_at:
            name = phase["name"]
            answered = clock.expect(chat_id)
            started = time.monotonic()
            emu.send_message(chat_id, chat_id, command_for(rng, article_ids))
            sent[name] += 1
            try:
                latencies[name].append(await asyncio.wait_for(answered, args.reply_timeout) - started)
            except TimeoutError:
                unanswered[name] += 1
                clock.waiting.pop(chat_id, None)
            await asyncio.sleep(max(0.0, min(rng.expovariate(1 / args.think), stop_at - time.monotonic())))

    while not any(method == "getupdates" for method, _ in emu.requests):  # the bot is up
        await asyncio.sleep(0.1)
    tasks = [asyncio.create_task(reader(chat_id)) for chat_id in readers]
    await asyncio.sleep(args.baseline)
    rss_start = rss_kib(bot.pid)
    baseline_429s = emu.rate_limited

    phase["name"] = "soak"
    emu.faults.slow_seconds = 0.5
    emu.faults.retry_after = 1
    emu.faults.randomly(args.fault_rate, seed=7)
    samples = [rss_start]
    while time.monotonic() < stop_at and bot.returncode is None:
        await asyncio.sleep(min(10, max(0.1, stop_at - time.monotonic())))
        if bot.returncode is None:
            samples.append(rss_kib(bot.pid))
    emu.faults.clear()
    await asyncio.gather(*tasks)  # each ends after its last answer (or its timeout)
    survived = bot.returncode is None
    rss_end = rss_kib(bot.pid) if survived else 0
    if survived:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 30)
    await emu.stop()

    expected = readers[::2]
    kept, delivered, overdue = await still_subscribed(db_path, expected)
    log_text = log_path.read_text(errors="replace")
    if args.keep_log:
        Path(args.keep_log).write_text(log_text)
    return {
        "sent": sent, "unanswered": unanswered, "latencies": latencies, "replies": clock.replies,
        "rss_start": rss_start, "rss_end": rss_end, "rss_max": max(samples), "survived": survived,
        "exit_code": bot.returncode, "faults": dict(emu.faults.injected),
        "faulted_methods": Counter(method for method, _ in emu.faulted),
        "lost_subscriptions": len(expected) - kept, "digests": clock.digests, "recorded_digests": delivered, "overdue": overdue,
        "expected_digests": len(expected), "handler_errors": log_text.count("error while handling an update"),
        "tracebacks": log_text.count("Traceback"), "violations": len(emu.violations), "rate_limited": emu.rate_limited,
        "baseline_429s": baseline_429s, "polling_errors": log_text.count("Telegram could not be reached"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--fault-rate", type=float, default=0.02)
    parser.add_argument("--think", type=float, default=120, help="mean seconds between a reader's commands")
    parser.add_argument("--baseline", type=float, default=90, help="seconds of fault-free traffic first")
    parser.add_argument("--reply-timeout", type=float, default=60)
    parser.add_argument("--keep-log", metavar="PATH", help="keep the bot's log there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        r = asyncio.run(soak(args, Path(folder)))
    base, soaked = r["latencies"]["baseline"], r["latencies"]["soak"]
    print(f"readers {args.readers}, soak {args.minutes:g} min after a {args.baseline:g} s baseline, "
          f"fault rate {args.fault_rate:.0%}, think time {args.think:g} s")
    for name, values in (("baseline (no faults)", base), ("soak (faults)", soaked)):
        key = "baseline" if values is base else "soak"
        print(f"{name:22s} commands {r['sent'][key]:6,}  answered {len(values):6,}  unanswered {r['unanswered'][key]:4}  "
              f"p50 {percentile(values, .5) * 1000:7.0f} ms  p95 {percentile(values, .95) * 1000:7.0f} ms  "
              f"p99 {percentile(values, .99) * 1000:7.0f} ms")
    print(f"p95 ratio soak/baseline: {percentile(soaked, .95) / percentile(base, .95):.2f}x")
    print(f"bot messages (replies, not digests): {r['replies']:,}")
    growth = (r["rss_end"] - r["rss_start"]) / r["rss_start"] if r["rss_end"] else float("nan")
    print(f"memory (VmRSS): {r['rss_start'] / 1024:.1f} MiB after baseline, {r['rss_end'] / 1024:.1f} MiB at the end "
          f"(max {r['rss_max'] / 1024:.1f}): growth {growth:+.1%} (target <= +20%)")
    print(f"faults injected: {r['faults']} on {dict(r['faulted_methods'])}")
    twice = sum(1 for count in r["digests"].values() if count > 1)
    print(f"digests: {sum(r['digests'].values())} sent to {len(r['digests'])} chats "
          f"({r['recorded_digests']} recorded; {r['expected_digests']} subscribed at the start, some of whom moved "
          f"their time with /settime); overdue, never sent: {r['overdue']}; chats that got more than one: {twice}")
    print(f"bot process survived: {r['survived']} (exit code after SIGTERM {r['exit_code']}); "
          f"handler errors logged: {r['handler_errors']}, tracebacks in its log: {r['tracebacks']}")
    print(f"getUpdates failures logged (and retried): {r['polling_errors']}")
    print(f"lost subscriptions: {r['lost_subscriptions']}; invalid requests: {r['violations']}; "
          f"429s from Telegram's own limits: {r['baseline_429s']} in the baseline, "
          f"{r['rate_limited'] - r['baseline_429s'] - r['faults'].get('429', 0)} during the soak")


if __name__ == "__main__":
    main()
