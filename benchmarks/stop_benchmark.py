"""Stopping mid-broadcast: seconds from SIGTERM to the bot process's exit, with the network
turned slow or failing at that moment.

    python benchmarks/stop_benchmark.py [--runs 3]

The scenario of tests/test_crash.py, whose helpers it uses (so it needs the test extras): the
real bot as its own process (`python -m bot run`), 240 subscribers due, the Bot API emulator
enforcing Telegram's limits.  Once 40 digests are out, every sendMessage is held 3 s, held 8 s
(longer than the bot's read timeout) or answered 502, and the bot gets SIGTERM.  The test
checks what the stop does (a clean exit, nothing new sent, everything sent recorded); this
measures how long it takes.  Target: under 10 s, what a supervisor (systemd, `docker stop`)
allows before SIGKILL.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_crash import (  # noqa: E402
    SUBSCRIBERS,
    emulator_with_subscribers,
    seed_subscribers,
    sigterm_in_a_bad_network,
    start_bot,
    stop,
)

NETWORKS = {"held 3 s": ("slow", 3), "held 8 s": ("slow", 8), "502 storm": ("502", 0)}
TARGET_SECONDS = 10


async def one_stop(folder: Path, fault: str, slow: float) -> tuple[float, int | None]:
    db_path, log_path = folder / "bot.db", folder / "bot.log"
    await seed_subscribers(db_path, SUBSCRIBERS)
    async with emulator_with_subscribers() as emu:
        bot = await start_bot(emu, db_path, log_path)
        try:
            seconds, _, _ = await sigterm_in_a_bad_network(emu, bot, fault, slow, log_path)
            return seconds, bot.returncode
        finally:
            await stop(bot)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="stops measured per network")
    args = parser.parse_args()
    print(f"SIGTERM mid-broadcast, {len(SUBSCRIBERS)} subscribers; seconds until the process exits "
          f"(target < {TARGET_SECONDS} s)")
    for name, (fault, slow) in NETWORKS.items():
        seconds, codes = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                took, code = asyncio.run(one_stop(Path(folder), fault, slow))
            seconds.append(took)
            codes.append(code)
        print(f"{name:10s}  median {statistics.median(seconds):5.1f} s  max {max(seconds):5.1f} s  "
              f"exit codes {sorted(set(codes))}  {'ok' if max(seconds) < TARGET_SECONDS else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
