"""Story matching: one new headline against 10,000 in the window, and its key's cost.

    python benchmarks/stories_benchmark.py [--window 10000] [--new 2000] [--baseline-rev REV]

The window holds `--window` headlines spread over the last 30 hours (the project's own Arabic
headlines — topics and story sets — varied by a wilaya, a number and a name, so that most do
not tell one event), then `--new` more arrive one by one: each is matched (find its story) and
remembered, as ingestion does.  Printed: µs per new headline (median and p95) next to the same
measure, in the same run, of the rule before (news/stories.py at `--baseline-rev`: Jaccard over
stems) — target ≤ 150 µs — and µs per article to compute the key (done once, in the worker
that prepares the article) next to the baseline's signature.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
import types
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from news.regions import WILAYAS  # noqa: E402
from news.stories import StoryMatcher, story_key  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
# The commit before the matcher of issue 14: its news/stories.py is the baseline.
BASELINE_REV = "7841350"
_NAMES = ("حداد", "بوزيد", "بن ناصر", "بلعيد", "مزيان", "شريف", "قاسمي", "بوعلام")


def headlines() -> list[str]:
    titles = []
    for path in sorted((ROOT / "tests" / "data" / "topics").glob("*.jsonl")):
        titles += [json.loads(line)["title"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted((ROOT / "tests" / "data" / "stories").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                titles += [record["a"], record["b"]]
    return titles


def varied(seeds: list[str], count: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(count):
        extra = rng.choice((f"بولاية {rng.choice(WILAYAS).name_ar}", f"{rng.randint(2, 900)} شخصا", rng.choice(_NAMES), ""))
        out.append(f"{rng.choice(seeds)} {extra}".strip())
    return out


def baseline_module(rev: str) -> types.ModuleType:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:news/stories.py"], check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType("baseline_stories")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{rev}:news/stories.py", "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(matcher, keys: list, window: int) -> list[float]:  # noqa: ANN001 - either matcher
    step = timedelta(hours=30) / max(1, window)
    for number, key in enumerate(keys[:window], 1):
        matcher.add(number, number, key, NOW - timedelta(hours=30) + number * step)
    micros = []
    for number, key in enumerate(keys[window:], window + 1):
        started = time.perf_counter()
        matcher.assign(number, key, NOW + (number - window) * timedelta(seconds=1))
        micros.append((time.perf_counter() - started) * 1e6)
    return micros


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=2_000)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    args = parser.parse_args()
    rng = random.Random(14)
    titles = varied(headlines(), args.window + args.new, rng)
    old = baseline_module(args.baseline_rev)

    started = time.perf_counter()
    keys = [story_key(title) for title in titles]
    key_us = (time.perf_counter() - started) / len(titles) * 1e6
    started = time.perf_counter()
    signatures = [old.signature(title) for title in titles]
    signature_us = (time.perf_counter() - started) / len(titles) * 1e6

    class OldMatcher(old.StoryMatcher):  # the old API, fed precomputed signatures
        def add(self, article_id, story_id, words, at):  # noqa: ANN001
            self._add(old._Entry(article_id, story_id, at, words))

        def assign(self, article_id, words, at):  # noqa: ANN001
            return super().assign(article_id, "", at, words)

    new_us = run(StoryMatcher(timedelta(hours=36)), keys, args.window)
    old_us = run(OldMatcher(timedelta(hours=36)), signatures, args.window)
    print(f"{args.window:,} headlines in the window, {args.new:,} new ones matched one by one")
    print(f"matching, µs per headline: new p50 {median(new_us):6.1f}  p95 {percentile(new_us, 0.95):6.1f}"
          f"   | rule before p50 {median(old_us):6.1f}  p95 {percentile(old_us, 0.95):6.1f}"
          f"   ratio p50 {median(new_us) / median(old_us):.2f}   (target ≤ 150 µs)")
    print(f"key per article, µs (cold caches): new {key_us:6.1f}   | rule before {signature_us:6.1f}"
          f"   ratio {key_us / signature_us:.2f}")


if __name__ == "__main__":
    main()
