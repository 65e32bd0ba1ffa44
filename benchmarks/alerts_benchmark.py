"""Instant alerts: latency, a storm, and what follows cost ingestion.

    python benchmarks/alerts_benchmark.py [--stories 50] [--subscribers 10000] [--storm-chats 50000]
        [--edit-chats 5000] [--rate 500] [--ingest-items 1000] [--follows 300000] [--follow-chats 100000]
        [--phases latency,storm,edits,ingest]
    python benchmarks/alerts_benchmark.py --against REV [--pairs 2] [--busy N] [--storm-chats 50000]

As in delivery_benchmark.py, the Bot API emulator runs in its own process, enforcing Telegram's
limits (30/s, 1000/s for paid broadcasts) and counting 429s; it notes the moment (monotonic
clock, the same across processes here) each sendMessage reaches it.  The bot is the real one
(`bot.app.running`: polling, the job queue's alert tick every ALERT_TICK_SECONDS, the digest
engine, the shared limiter) at AKHBAR_SEND_RATE `--rate` with paid broadcasts allowed.  A
simulated reader in the emulator process sends /latest, waits for the reply, pauses, again:
the baseline each alert figure is printed next to (a reader's reply, in the same conditions).

1. latency: `--stories` stories, each followed (through FollowService) by a chat of its own,
   stored one by one at random intervals through the bot's own Ingestor; from the moment
   Ingestor.add_many returns (the commit) to the moment the alert reaches the emulator —
   p50/p95 with the bot otherwise idle (target p95 < 5 s), then again while a broadcast of
   `--subscribers` digests is under way (target p95 < 60 s).  A made story that the story
   matcher files under an earlier one owes no alert (one per event): it is made again, and
   counted, until one starts a story of its own.
2. storm: one story followed by `--storm-chats` chats (follows written by SQL before the bot
   starts, which loads them all into its percolator): the rate the alerts arrive at, as a
   ratio of the configured rate (target >= 0.97) with zero 429s, while the reader's /latest
   is answered (target < 2 s).  Printed beside it: the arrivals in each second, how long the
   bot's limiter had no alert waiting for a slot (the senders all busy elsewhere: rate lost),
   sendMessage's round trip seen from the bot, and the CPU of the bot and of the emulator.
   With --against REV the storm alone runs with this tree's bot and REV's in turn (each run a
   process of its own, `--pairs` of each, alternated), `--busy N` processes keeping cores busy
   meanwhile if asked (the same load for both sides).
3. edits: a story followed by `--edit-chats` chats alerts them all; a second source's version
   joins it, and five minutes later (the bot's clock moved on: news.services.alerts.EDIT_DELAY)
   every alert is due for an edit ("+1 source") just as a second story alerts the same chats:
   the second storm's rate, the edits made during it (none expected: they come after
   everything else), then the edits' rate and the most sends in any second (edits within a
   fifth of the rate and the unpaid limit, bot/alert_edits.py), 429s, /latest meanwhile.
4. ingest: the same batches of generated Arabic articles (titles and bodies drawn from the
   project's samples' words, so that most start stories of their own) stored by
   Ingestor.add_many, 25 feeds of 20 at a time as a poll round sends them (group commit), with
   no follows and with `--follows` follows and mutes of `--follow-chats` chats (each fresh new
   story noted in the outbox), alternately, a fresh database each round: items/s both ways and
   the ratio (target >= 90%).  Then, apart, the alert job's matching of those stories against
   the follows and writing of the alerts they owe (with the generated follows a story alerts
   about 1,300 chats): stories/s and alerts/s.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import logging
import math
import multiprocessing
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456789:ALERTS-benchmark-token-for-the-emulator"
READER = 300_001
# The reader pauses between two commands (bot/handlers/flood.py silences more than 8 in 10 s),
# and gives up on a reply after UNANSWERED seconds (counted as never answered: inf).
READER_PAUSE = 2.0
UNANSWERED = 20.0
FOLLOWERS = 200_001  # the latency phase's chats: one per story
STORM = 1_000_001  # the storm's chats
EDITED = 2_000_001  # the edits phase's chats
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
DATA = ROOT / "tests" / "data"
SAMPLES = [ROOT / "bot" / "demo_data" / "articles.jsonl", DATA / "topics" / "dev.jsonl", DATA / "topics" / "holdout.jsonl"]


# --- the emulator's process ----------------------------------------------------------------


def emulator_process(port_out, control, subscribers: int, followers: int, storm: int, edited: int) -> None:
    from emulator import BotAPIEmulator, Limits

    async def serve() -> None:
        emu = BotAPIEmulator(token=TOKEN, limits=Limits())
        await emu.start()
        for chat_id in itertools.chain(
            range(1, subscribers + 1), range(FOLLOWERS, FOLLOWERS + followers), range(STORM, STORM + storm),
            range(EDITED, EDITED + edited), [READER],
        ):
            emu.add_user(user_id=chat_id, first_name="r")
        arrivals: dict[int, float] = {}  # chat → when the bot's first message since the last reset came
        replied = asyncio.Event()
        sends: list[tuple[float, int, bool]] = []  # (when, chat, whether an edit) of every send and edit taken

        def observe(method: str, params: dict, result: object) -> None:
            if method in ("sendmessage", "editmessagetext") and isinstance(result, dict):
                sends.append((time.monotonic(), result["chat"]["id"], method == "editmessagetext"))
            if method == "sendmessage" and isinstance(result, dict):
                chat = result["chat"]["id"]
                arrivals.setdefault(chat, time.monotonic())
                if chat == READER:
                    replied.set()

        emu.observers.append(observe)
        latencies: list[float] = []
        reading = False

        async def reader(pause: float) -> None:
            while reading:
                replied.clear()
                arrivals.pop(READER, None)
                asked = time.monotonic()
                emu.send_message(READER, READER, "/latest")
                try:
                    await asyncio.wait_for(replied.wait(), UNANSWERED)
                    latencies.append(arrivals[READER] - asked)
                except TimeoutError:
                    latencies.append(math.inf)
                await asyncio.sleep(pause)

        port_out.send(emu.api_url)
        loop = asyncio.get_running_loop()
        task = None
        while (command := await loop.run_in_executor(None, control.recv))[0] != "stop":
            name, *args = command
            if name == "stats":  # with this process's CPU: the emulator's
                control.send({"rate_limited": emu.rate_limited, "violations": len(emu.violations),
                              "cpu": time.process_time()})
            elif name == "reader":
                latencies.clear()
                reading = True
                task = asyncio.create_task(reader(args[0]))
                control.send(None)
            elif name == "reader-stop":
                reading = False
                if task is not None:
                    await task
                control.send(list(latencies))
            elif name == "arrivals":  # {chat: time} of the chats in [low, high)
                low, high = args
                control.send({c: t for c, t in arrivals.items() if low <= c < high})
            elif name == "count":  # (how many, first, last) arrivals in [low, high)
                low, high = args
                times = [t for c, t in arrivals.items() if low <= c < high]
                control.send((len(times), min(times, default=0.0), max(times, default=0.0)))
            elif name == "sends-since":  # every send and edit taken from that moment on
                control.send([entry for entry in sends if entry[0] >= args[0]])
            elif name == "per-second":  # arrivals in [low, high) in each second from the first
                low, high = args
                times = [t for c, t in arrivals.items() if low <= c < high]
                counts = [0] * (int(max(times) - min(times)) + 1 if times else 0)
                for t in times:
                    counts[int(t - min(times))] += 1
                control.send(counts)
        await emu.stop()

    asyncio.run(serve())


class Emulator:
    """The benchmark's end of the emulator's control pipe."""

    def __init__(self, subscribers: int, followers: int, storm: int, edited: int = 0) -> None:
        port_in, port_out = multiprocessing.Pipe(duplex=False)
        self._control, control_there = multiprocessing.Pipe()
        self.process = multiprocessing.Process(
            target=emulator_process, args=(port_out, control_there, subscribers, followers, storm, edited)
        )
        self.process.start()
        self.api_url = port_in.recv()

    def ask(self, *command: object) -> object:
        self._control.send(command)
        return self._control.recv()

    async def ask_async(self, *command: object) -> object:
        return await asyncio.to_thread(self.ask, *command)

    def close(self) -> None:
        self._control.send(("stop",))
        self.process.join(10)


# --- what the stories and the follows are made of -----------------------------------------


def samples() -> tuple[list[str], list[str]]:
    """(titles, bodies) of the project's own samples."""
    titles, bodies = [], []
    for path in SAMPLES:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            titles.append(record["title"])
            if record.get("body"):
                bodies.append(record["body"])
    return titles, bodies


def invented(rng: random.Random, count: int) -> list[str]:
    """Words no sample holds (names, the long tail): what a story can be told apart by."""
    return list(dict.fromkeys("".join(rng.choices(LETTERS, k=rng.randint(5, 8))) for _ in range(count)))


class Corpus:
    """The samples' words, most frequent first, and a generator of realistic stories."""

    def __init__(self, rng: random.Random) -> None:
        from news.text import words

        self.rng = rng
        self.titles, self.bodies = samples()
        counts: Counter[str] = Counter()
        for text in self.titles + self.bodies:
            counts.update(token for token in text.split() if words(token))
        self.vocab = [word for word, _ in counts.most_common()] + invented(rng, 20_000)
        self.weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(self.vocab))))
        self.sentences = [s.strip() for body in self.bodies for s in body.replace("،", ".").split(".") if len(s.split()) > 3]

    def story(self, *extra: str, topics: tuple[str, ...] = (), fresh: bool = False):
        """A made article: a title of 7-12 words (a third of them a sample headline and a word,
        unless `fresh`: no story told before), a body of about 100 words with sample sentences
        spliced in."""
        from news.articles import make_article

        rng = self.rng
        if rng.random() < 0.3 and not fresh:
            title = f"{rng.choice(self.titles)} {rng.choice(self.vocab[-20_000:])}"
        else:
            title = " ".join(rng.choices(self.vocab, cum_weights=self.weights, k=rng.randint(7, 12)))
        body = rng.choices(self.vocab, cum_weights=self.weights, k=min(400, max(20, int(rng.lognormvariate(4.4, 0.6)))))
        for _ in range(rng.randint(1, 3)):
            body.insert(rng.randrange(len(body) + 1), rng.choice(self.sentences) + ".")
        if extra:
            title = f"{title} {' '.join(extra)}"
        return make_article(title=title, body=" ".join(body), topics=topics)


def generate_follows(corpus: Corpus, count: int, chats: int, rng: random.Random) -> list:
    """`count` follows and mutes of `chats` chats, as readers would type them: words (one to
    three, by popularity 1/(rank + 10) over the samples' followable words in an order of their
    own, the 300 most frequent left out), quoted phrases of the samples, topics, wilayas; 5% mutes.
    Every chat has one at least; a few have many."""
    from news.follows import FollowRefused, parse_follow, parse_mute
    from news.regions import WILAYAS
    from news.search import STOPWORDS
    from news.text import words
    from news.topics import TOPICS

    followable = [
        w for w in corpus.vocab[300:] if len(found := words(w)) == 1 and len(found[0]) > 2 and found[0] not in STOPWORDS
    ]
    rng.shuffle(followable)
    popularity = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(followable))))
    phrases = [" ".join(s.split()[:rng.randint(2, 3)]) for s in corpus.sentences]
    owners = list(range(1, chats + 1)) + [rng.randint(1, chats) for _ in range(count - chats)]
    made, seen = [], set()
    for follow_id, chat_id in enumerate(owners, start=1):
        roll = rng.random()
        try:
            if roll < 0.05:
                spec = parse_mute(" ".join(rng.choices(followable, cum_weights=popularity, k=1)))
            elif roll < 0.08:
                spec = parse_follow(f"«{rng.choice(phrases)}»")
            elif roll < 0.085:
                spec = parse_follow(rng.choice(TOPICS).names["ar"])
            elif roll < 0.10:
                spec = parse_follow(rng.choice(WILAYAS).name_ar)
            else:
                spec = parse_follow(" ".join(rng.choices(followable, cum_weights=popularity, k=rng.choice((1, 1, 1, 2, 3)))))
        except FollowRefused:
            continue
        if (chat_id, spec.mute, spec.terms) in seen:
            continue
        seen.add((chat_id, spec.mute, spec.terms))
        made.append(spec.follow(follow_id, chat_id))
    return made


# --- phases 1 and 2: the bot -------------------------------------------------------------


def settings_for(api_url: str, db_path: Path, rate: float):
    from bot.config import load_settings

    return replace(
        load_settings({}), token=TOKEN, api_url=api_url, db_path=str(db_path), send_rate=rate, paid_broadcast=True,
        workers=0, log_level="WARNING",
    )


async def seed(db_path: Path, corpus: Corpus) -> None:
    """The schema, and a few stories from an hour ago (for /latest and the digests)."""
    from news.ingest import Ingestor
    from storage.articles import ArticleRepository
    from storage.db import Database

    async with Database(db_path) as db:
        await (await Ingestor.open(ArticleRepository(db))).add_many(
            [corpus.story(topics=("economy",)) for _ in range(10)], fetched_at=datetime.now(UTC) - timedelta(hours=1)
        )


def insert_chats(db_path: Path, chat_ids: range, subscribed: bool, follow: str | None = None) -> None:
    """Chats (and a follow each) by plain SQL: setup, not what is measured."""
    from storage.db import utc_text

    now = datetime.now(UTC)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO chats (id, type, title, lang, tz, digest_time, subscribed, next_due_utc, created_at, updated_at) "
            "VALUES (?, 'private', '', 'ar', 'Africa/Algiers', '07:00', ?, ?, ?, ?)",
            [(c, int(subscribed), utc_text(now + timedelta(days=1)) if subscribed else None, utc_text(now), utc_text(now))
             for c in chat_ids],
        )
        if follow is not None:
            conn.executemany(
                "INSERT INTO follows (chat_id, kind, text, terms, created_at) VALUES (?, 'words', ?, ?, ?)",
                [(c, follow, follow, utc_text(now)) for c in chat_ids],
            )
    conn.close()


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else math.nan


def summary(values: list[float]) -> str:
    never = sum(value == math.inf for value in values)
    return (f"p50 {quantile(values, 0.5):6.2f} s, p95 {quantile(values, 0.95):6.2f} s, max {max(values, default=math.nan):6.2f} s"
            + (f", {never} never answered" if never else ""))


async def wait_arrivals(emu: Emulator, low: int, high: int, want: int, timeout: float) -> dict[int, float]:
    deadline = time.monotonic() + timeout
    while True:
        got = await emu.ask_async("arrivals", low, high)
        assert isinstance(got, dict)
        if len(got) >= want or time.monotonic() > deadline:
            return got
        await asyncio.sleep(0.5)


async def latency(emu: Emulator, folder: Path, args: argparse.Namespace, corpus: Corpus) -> None:
    from bot.app import build_application, running
    from news.services.subscriptions import ChatRef
    from storage.db import utc_text

    db_path = folder / "latency.db"
    await seed(db_path, corpus)
    insert_chats(db_path, range(1, args.subscribers + 1), subscribed=True)
    markers = invented(corpus.rng, args.stories * 3)[: args.stories * 2]
    app = build_application(settings_for(emu.api_url, db_path, args.rate))
    async with running(app, poll_timeout=2):
        services = app.bot_data.services
        for n in range(args.stories * 2):  # what each follower follows, through the service
            await services.follows.follow(ChatRef(FOLLOWERS + n, "private", ""), "ar", markers[n])

        joined = [0]  # made stories the matcher joined to an earlier one, made again

        async def run(first: int, spacing: float) -> tuple[list[float], list[float], int, int]:
            before = await emu.ask_async("stats")
            await emu.ask_async("reader", READER_PAUSE)
            committed: dict[int, float] = {}
            for n in range(first, first + args.stories):
                await asyncio.sleep(corpus.rng.uniform(0.5, 1.5) * spacing)
                # A made title the story matcher files under an earlier story owes no alert (one
                # alert per event): another is made for that follower until one starts its own.
                while True:
                    (stored,) = await services.ingestor.add_many([corpus.story(markers[n], fresh=True)])
                    committed[FOLLOWERS + n] = time.monotonic()
                    article = await services.articles.get(stored) if stored is not None else None
                    if article is not None and article.story_id == stored:
                        break
                    joined[0] += 1
            arrived = await wait_arrivals(emu, FOLLOWERS + first, FOLLOWERS + first + args.stories, args.stories, 120)
            replies = await emu.ask_async("reader-stop")
            after = await emu.ask_async("stats")
            lost = len(committed) - len(arrived)
            alerts = [arrived.get(chat, math.inf) - at for chat, at in committed.items()]
            assert isinstance(replies, list) and isinstance(before, dict) and isinstance(after, dict)
            return alerts, replies, after["rate_limited"] - before["rate_limited"], lost

        alerts, replies, floods, lost = await run(0, 0.6)
        print(f"latency, bot idle ({args.stories} stories, one every ~0.6 s):")
        print(f"  alert, commit -> sendMessage at the emulator: {summary(alerts)} (target p95 < 5 s)")
        print(f"  baseline, a reader's /latest -> its reply:     {summary(replies)} ({len(replies)} asked)")
        print(f"  ratio of p95s: {quantile(alerts, 0.95) / quantile(replies, 0.95):.1f}x; "
              f"429s: {floods}, alerts not arrived: {lost}; made stories joined to an earlier one (made again): {joined[0]}")
        joined[0] = 0

        async with services.db.transaction() as conn:
            await conn.execute("UPDATE chats SET next_due_utc = ? WHERE id <= ?",
                               (utc_text(datetime.now(UTC) - timedelta(minutes=1)), args.subscribers))
        lasting = args.subscribers / args.rate
        start = time.monotonic()
        ended: list[float] = []  # when the broadcast ended (the alerts may still be arriving then)
        broadcast = asyncio.create_task(app.bot_data.digests.broadcast())
        broadcast.add_done_callback(lambda _: ended.append(time.monotonic()))
        await asyncio.sleep(min(2.0, lasting / 10))
        alerts, replies, floods, lost = await run(args.stories, 0.7 * lasting / args.stories)
        report = await broadcast
        seconds = ended[0] - start
        print(f"latency during a broadcast of {args.subscribers:,} digests ({report.sent:,} sent in {seconds:.1f} s = "
              f"{report.sent / seconds:.0f}/s at a configured {args.rate:.0f}/s):")
        print(f"  alert, commit -> sendMessage at the emulator: {summary(alerts)} (target p95 < 60 s)")
        print(f"  baseline, a reader's /latest -> its reply:     {summary(replies)} ({len(replies)} asked)")
        print(f"  ratio of p95s: {quantile(alerts, 0.95) / quantile(replies, 0.95):.1f}x; "
              f"429s: {floods}, alerts not arrived: {lost}; made stories joined to an earlier one (made again): {joined[0]}")


class SenderProbe:
    """What the bot's alert senders did during the storm, seen from outside them: how long the
    limiter had no broadcast send waiting for its next slot (the pipeline empty: the rate is
    lost there, unless the limiter's catch-up makes it up), and how long the emulator took to
    answer each sendMessage (there and back, from the bot's side)."""

    def __init__(self, limiter) -> None:
        from bot.aiohttp_request import AiohttpRequest

        self.waiting, self.empty_since = 0, time.monotonic()
        self.empty: list[tuple[float, float]] = []  # (from, seconds) with no one waiting
        self.answers: list[float] = []
        self._limiter, self._request = limiter, AiohttpRequest
        acquire, do_request = limiter.acquire, AiohttpRequest.do_request
        probe = self

        async def counted_acquire(chat_id, bulk=False, unpaid=False, **more):  # more: background (an edit)
            if not bulk:
                return await acquire(chat_id, bulk, unpaid, **more)
            if probe.waiting == 0:
                probe.empty.append((probe.empty_since, time.monotonic() - probe.empty_since))
            probe.waiting += 1
            try:
                return await acquire(chat_id, bulk, unpaid, **more)
            finally:
                probe.waiting -= 1
                if probe.waiting == 0:
                    probe.empty_since = time.monotonic()

        async def timed_request(request, url, *args, **kwargs):
            started = time.monotonic()
            try:
                return await do_request(request, url, *args, **kwargs)
            finally:
                if url.endswith("/sendMessage"):
                    probe.answers.append(time.monotonic() - started)

        limiter.acquire = counted_acquire
        AiohttpRequest.do_request = timed_request  # type: ignore[method-assign]
        self._do_request = do_request

    def close(self) -> None:
        del self._limiter.acquire  # the class's again
        self._request.do_request = self._do_request  # type: ignore[method-assign]

    def empty_between(self, first: float, last: float) -> tuple[float, int, float]:
        """(seconds with no send waiting, spells, the longest) between two moments."""
        spells = [seconds for since, seconds in self.empty if first <= since <= last]
        return sum(spells), len(spells), max(spells, default=0.0)


async def storm(emu: Emulator, folder: Path, args: argparse.Namespace, corpus: Corpus) -> dict:
    from bot.app import build_application, running

    db_path = folder / "storm.db"
    await seed(db_path, corpus)
    word = invented(random.Random(7), 1)[0]
    insert_chats(db_path, range(STORM, STORM + args.storm_chats), subscribed=False, follow=word)
    app = build_application(settings_for(emu.api_url, db_path, args.rate))
    loaded = time.monotonic()
    load = os.getloadavg()[0]
    async with running(app, poll_timeout=2):
        services = app.bot_data.services
        loaded = time.monotonic() - loaded
        assert len(services.follows.percolator) == args.storm_chats, len(services.follows.percolator)
        probe = SenderProbe(app.bot.rate_limiter.limiter)
        before = await emu.ask_async("stats")
        await emu.ask_async("reader", READER_PAUSE)
        cpu = time.process_time()  # this process's: the bot's (the emulator runs in its own)
        await services.ingestor.add_many([corpus.story(word, fresh=True)])
        committed = time.monotonic()
        deadline = committed + 1.5 * args.storm_chats / args.rate + 30
        while time.monotonic() < deadline:
            count, first, last = await emu.ask_async("count", STORM, STORM + args.storm_chats)  # type: ignore[misc]
            if count >= args.storm_chats:
                break
            await asyncio.sleep(1)
        cpu = time.process_time() - cpu
        replies = await emu.ask_async("reader-stop")
        after = await emu.ask_async("stats")
        probe.close()
        seconds = await emu.ask_async("per-second", STORM, STORM + args.storm_chats)
    assert isinstance(replies, list) and isinstance(before, dict) and isinstance(after, dict) and isinstance(seconds, list)
    load = max(load, os.getloadavg()[0])
    sustained = (count - 1) / (last - first) if count > 1 else 0.0
    overall = count / (last - committed) if count else 0.0
    emulator_cpu = after["cpu"] - before["cpu"]
    empty, spells, longest = probe.empty_between(first, last)
    full = sorted(seconds[:-1])  # the last second is a part of one
    print(f"storm: one story followed by {args.storm_chats:,} chats (the bot started and loaded them in {loaded:.1f} s), "
          f"configured {args.rate:.0f}/s, paid broadcast:")
    print(f"  {count:,} alerts arrived; first {first - committed:.1f} s after the commit, last {last - committed:.1f} s")
    print(f"  rate, first to last arrival: {sustained:7.1f}/s = {sustained / args.rate:.3f} of the configured rate "
          f"(target >= 0.97); from the commit: {overall:.1f}/s = {overall / args.rate:.3f}")
    if full:
        print(f"  arrivals per whole second: min {full[0]}, p10 {full[len(full) // 10]}, median {full[len(full) // 2]}, "
              f"max {full[-1]} ({len(full)} seconds)")
    print(f"  emulator: {after['rate_limited'] - before['rate_limited']} answered 429 (target 0), "
          f"{after['violations'] - before['violations']} invalid")
    print(f"  a reader's /latest meanwhile: {summary(replies)} ({len(replies)} asked; target < 2 s)")
    print(f"  no alert waiting at the limiter for {empty:.2f} s of the {last - first:.1f} s ({spells} spells, the longest "
          f"{longest * 1000:.0f} ms); sendMessage there and back p50 {quantile(probe.answers, 0.5) * 1000:.1f} ms, "
          f"p90 {quantile(probe.answers, 0.9) * 1000:.1f} ms, p99 {quantile(probe.answers, 0.99) * 1000:.1f} ms")
    print(f"  CPU meanwhile: the bot {cpu:.1f} s ({count / max(cpu, 1e-9):,.0f} alerts per CPU-second, "
          f"{cpu / (last - committed):.2f} of a core), the emulator {emulator_cpu:.1f} s "
          f"({emulator_cpu / (last - committed):.2f} of a core); load average {load:.1f} on {os.cpu_count()} cores")
    return {
        "ratio": sustained / args.rate, "rate_limited": after["rate_limited"] - before["rate_limited"],
        "latest_p95": quantile(replies, 0.95), "empty": empty, "bot_cpu": cpu / max(count, 1),
        "emulator_cpu": emulator_cpu / max(count, 1), "load": load,
    }


def most_in_a_second(times: list[float]) -> int:
    """The most of these moments any one-second window holds."""
    times, most, start = sorted(times), 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def edits(emu: Emulator, folder: Path, args: argparse.Namespace, corpus: Corpus) -> None:
    """An alert storm's story told by a second source: its alerts edited ("+1 source") at the
    moment a second storm goes to the same chats, and after it."""
    from bot.app import build_application, running
    from news.articles import make_article
    from news.services.alerts import EDIT_DELAY
    from storage.db import utc_text

    db_path = folder / "edits.db"
    await seed(db_path, corpus)
    first_word, second_word = invented(random.Random(8), 2)
    chats = range(EDITED, EDITED + args.edit_chats)
    insert_chats(db_path, chats, subscribed=False, follow=first_word)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO follows (chat_id, kind, text, terms, created_at) VALUES (?, 'words', ?, ?, ?)",
            [(c, second_word, second_word, utc_text(datetime.now(UTC))) for c in chats],
        )
    conn.close()
    count = len(chats)
    app = build_application(settings_for(emu.api_url, db_path, args.rate))
    async with running(app, poll_timeout=2):
        services = app.bot_data.services
        story = corpus.story(first_word, fresh=True)
        (first,) = await services.ingestor.add_many([story])
        await wait_arrivals(emu, EDITED, EDITED + count, count, 1.5 * count / args.rate + 30)
        while (await services.db.fetch("SELECT count(*) FROM alerts WHERE state = 'sent'"))[0][0] < count:
            await asyncio.sleep(0.2)  # recorded sent, with their messages: what an edit needs
        (second,) = await services.ingestor.add_many(
            [make_article(title=f"{story.title} اليوم", body=story.body, source="مصدر آخر")]
        )
        joined = await services.articles.get(second) if second is not None else None
        assert joined is not None and joined.story_id == first, "the second source's version was not joined"
        # Five minutes on: the edits are due, and a second story for the same chats comes now.
        shift = EDIT_DELAY + timedelta(seconds=1)
        services.clock = lambda: datetime.now(UTC) + shift
        before = await emu.ask_async("stats")
        await emu.ask_async("reader", READER_PAUSE)
        started = time.monotonic()
        await services.ingestor.add_many([corpus.story(second_word, fresh=True)])
        deadline = started + 2 * count / args.rate + count / 5 + 60
        while time.monotonic() < deadline:
            taken = await emu.ask_async("sends-since", started)
            assert isinstance(taken, list)
            if sum(1 for _, chat, edit in taken if edit and chat in chats) >= count:
                break
            await asyncio.sleep(1)
        replies = await emu.ask_async("reader-stop")
        after = await emu.ask_async("stats")
    assert isinstance(replies, list) and isinstance(before, dict) and isinstance(after, dict)
    alerts = [at for at, chat, edit in taken if not edit and chat in chats]
    edited = [at for at, chat, edit in taken if edit and chat in chats]
    storm_start, storm_end = min(alerts, default=started), max(alerts, default=started)
    early = sum(1 for at in edited if at < storm_start)  # before the second story was matched: nothing else waiting
    during = sum(1 for at in edited if storm_start <= at <= storm_end)
    print(f"edits: a story alerting {count:,} chats told by a second source; its {count:,} alerts due for an edit as a "
          f"second story alerts the same chats, configured {args.rate:.0f}/s, paid broadcast:")
    if len(alerts) > 1:
        rate = (len(alerts) - 1) / (alerts[-1] - alerts[0])
        print(f"  the second storm: {len(alerts):,} alerts, first to last arrival {rate:.1f}/s = {rate / args.rate:.3f} of the "
              f"configured rate; edits made during it: {during:,} (before its first alert: {early:,})")
    if len(edited) > 1:
        rate = (len(edited) - 1) / (edited[-1] - edited[0])
        print(f"  {len(edited):,} edits, the first {edited[0] - storm_end:.1f} s after the storm's last alert, the last "
              f"{edited[-1] - storm_end:.1f} s after it: {rate:.1f}/s, at most {most_in_a_second(edited)} in a second")
    print(f"  every send and edit: at most {most_in_a_second([at for at, _, _ in taken])} in a second; emulator: "
          f"{after['rate_limited'] - before['rate_limited']} answered 429, {after['violations'] - before['violations']} invalid")
    print(f"  a reader's /latest meanwhile: {summary(replies)} ({len(replies)} asked)")


def spin() -> None:
    while True:
        pass


def storm_against(revision: str, args: argparse.Namespace) -> None:
    """The storm with this tree's bot and with `revision`'s, alternated in one run (each in a
    process of its own, the same benchmark driving both): each run's figures, then both sides'."""
    with tempfile.TemporaryDirectory() as name:
        before = Path(name)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        sides = {"this tree": ROOT, revision: before}
        results: dict[str, list[dict]] = {side: [] for side in sides}
        for number in range(args.pairs):
            for side in list(sides) if number % 2 == 0 else list(sides)[::-1]:
                command = [sys.executable, str(Path(__file__).resolve()), "--phases", "storm", "--code", str(sides[side]),
                           "--storm-chats", str(args.storm_chats), "--rate", str(args.rate), "--result"]
                # --busy: processes that keep a core busy meanwhile (a loaded machine, made the
                # same for both sides)
                busy = [multiprocessing.Process(target=spin, daemon=True) for _ in range(args.busy)]
                for process in busy:
                    process.start()
                try:
                    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
                finally:
                    for process in busy:
                        process.terminate()
                        process.join()
                print(f"{side}, run {number + 1}:")
                for line in out.splitlines():
                    if line.startswith("RESULT "):
                        results[side].append(json.loads(line.removeprefix("RESULT ")))
                    else:
                        print(f"  {line}")
                sys.stdout.flush()
    print(f"storm, {args.pairs} pairs alternated, {args.storm_chats:,} chats at a configured {args.rate:.0f}/s"
          f"{f', {args.busy} busy processes beside' if args.busy else ''}:")
    def each(runs: list[dict], key: str, form: str) -> str:
        return ", ".join(format(run[key], form) for run in runs)

    for side, runs in results.items():
        print(f"  {side}: {each(runs, 'ratio', '.3f')} of the rate (median "
              f"{statistics.median(r['ratio'] for r in runs):.3f}); 429s {sum(r['rate_limited'] for r in runs)}; "
              f"/latest p95 at most {max(r['latest_p95'] for r in runs):.2f} s; no alert waiting "
              f"{each(runs, 'empty', '.1f')} s; the bot {statistics.median(r['bot_cpu'] for r in runs) * 1e3:.2f} ms, "
              f"the emulator {statistics.median(r['emulator_cpu'] for r in runs) * 1e3:.2f} ms CPU per alert; "
              f"load {each(runs, 'load', '.1f')}")


# --- phase 3: ingestion with and without follows -----------------------------------------


async def ingest_round(path: Path, feeds: list[list], percolator, match: bool = True) -> tuple[float, int, int, float]:
    """The batches stored as a poll round sends them, 25 feeds at a time, then (with follows) the
    alert job's matching of the new stories; (seconds, stories, alerts, matching seconds)."""
    from news.ingest import Ingestor
    from news.services import Clock
    from news.services.alerts import AlertService
    from storage.alerts import AlertRepository
    from storage.articles import ArticleRepository
    from storage.chats import ChatRepository
    from storage.db import Database

    async with Database(path) as db:
        articles = ArticleRepository(db)
        # With follows the bot notes each fresh new story in the outbox as it stores it.
        ingestor = await Ingestor.open(articles, alerts=percolator is not None)
        gc.collect()
        start = time.perf_counter()
        for first in range(0, len(feeds), 25):
            await asyncio.gather(*(ingestor.add_many(feed) for feed in feeds[first : first + 25]))
        seconds = time.perf_counter() - start
        matching = 0.0
        if percolator is not None and match:  # off the ingest path: the alert job's work, timed apart
            service = AlertService(AlertRepository(db), ChatRepository(db), articles, Clock(), percolator)
            start = time.perf_counter()
            await service.expand_all()
            matching = time.perf_counter() - start
    conn = sqlite3.connect(path)
    ((stories,),) = conn.execute("SELECT count(*) FROM stories")
    ((alerts,),) = conn.execute("SELECT count(*) FROM alerts")
    conn.close()
    return seconds, stories, alerts, matching


def ingest(folder: Path, args: argparse.Namespace, corpus: Corpus) -> None:
    from news.percolator import Percolator

    start = time.perf_counter()
    articles = [corpus.story(topics=(corpus.rng.choice(("economy", "sports", "politics", "society")),))
                for _ in range(args.ingest_items)]
    feeds = [articles[first : first + 20] for first in range(0, len(articles), 20)]
    made = time.perf_counter() - start
    start = time.perf_counter()
    follows = generate_follows(corpus, args.follows, args.follow_chats, random.Random(11))
    percolator = Percolator(follows)
    held = time.perf_counter() - start
    mutes = sum(f.mute for f in follows)
    print(f"ingest: {len(articles):,} articles made in {made:.1f} s; {len(follows):,} follows and mutes ({mutes:,} mutes) "
          f"of {len({f.chat_id for f in follows}):,} chats generated and indexed in {held:.1f} s")
    rates: dict[str, list[float]] = {"none": [], "follows": []}
    for round_number in range(args.rounds):
        for name, held_by in (("none", None), ("follows", percolator)):
            path = folder / f"ingest-{name}-{round_number}.db"
            seconds, stories, alerts, matching = asyncio.run(ingest_round(path, feeds, held_by, not args.ingest_only))
            rates[name].append(len(articles) / seconds)
            print(f"  round {round_number + 1}, {'no follows' if held_by is None else 'with follows'}: "
                  f"{seconds:.2f} s = {len(articles) / seconds:,.0f} items/s; {stories:,} stories, {alerts:,} alerts written")
            if held_by is not None and not args.ingest_only:
                print(f"    then the alert job matched the {stories:,} stories in {matching:.2f} s "
                      f"({stories / max(matching, 1e-9):,.0f} stories/s, {alerts / max(matching, 1e-9):,.0f} alerts written/s)")
    best_none, best_follows = max(rates["none"]), max(rates["follows"])
    median_none, median_follows = statistics.median(rates["none"]), statistics.median(rates["follows"])
    print(f"  best of {args.rounds}: {best_follows:,.0f} items/s with follows vs {best_none:,.0f} without = "
          f"{best_follows / best_none:.1%} (target >= 90%); medians {median_follows / median_none:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=50)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--storm-chats", type=int, default=50_000)
    parser.add_argument("--edit-chats", type=int, default=5_000)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--ingest-items", type=int, default=1_000)
    parser.add_argument("--follows", type=int, default=300_000)
    parser.add_argument("--follow-chats", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="ingest rounds each way, alternated")
    parser.add_argument("--ingest-only", action="store_true",
                        help="time ingestion alone (not the alert job's matching), for larger --ingest-items")
    parser.add_argument("--phases", default="latency,storm,edits,ingest")
    parser.add_argument("--against", metavar="REV",
                        help="the storm only: this tree's bot and REV's alternated, --pairs runs of each")
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--busy", type=int, default=0, help="with --against: processes spinning on a core meanwhile")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)  # the bot's code from this folder (--against)
    parser.add_argument("--result", action="store_true", help=argparse.SUPPRESS)  # the storm's figures as JSON too
    args = parser.parse_args()
    if args.code is not None:
        sys.path.insert(0, str(args.code))
    if args.against:
        storm_against(args.against, args)
        return
    phases = set(args.phases.split(","))
    logging.basicConfig(level=logging.WARNING)
    corpus = Corpus(random.Random(2026))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if phases & {"latency", "storm", "edits"}:
            emu = Emulator(
                args.subscribers if "latency" in phases else 0,
                args.stories * 2 if "latency" in phases else 0,
                args.storm_chats if "storm" in phases else 0,
                args.edit_chats if "edits" in phases else 0,
            )
            try:
                if "latency" in phases:
                    asyncio.run(latency(emu, folder, args, corpus))
                if "storm" in phases:
                    figures = asyncio.run(storm(emu, folder, args, corpus))
                    if args.result:
                        print("RESULT " + json.dumps(figures))
                if "edits" in phases:
                    asyncio.run(edits(emu, folder, args, corpus))
            finally:
                emu.close()
        if "ingest" in phases:
            ingest(folder, args, corpus)


if __name__ == "__main__":
    main()
