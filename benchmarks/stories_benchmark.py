"""Story matching: one new headline against 10,000 in the window, and its key's cost.

    python benchmarks/stories_benchmark.py [--window 10000] [--new 2000] [--baseline-rev REV]
    python benchmarks/stories_benchmark.py --against TREE [--rounds 3]

The window holds `--window` headlines spread over the last 30 hours (the project's own Arabic
headlines — topics and story sets — varied by a wilaya, a number and a name, so that most do
not tell one event), then `--new` more arrive one by one: each is matched (find its story) and
remembered, as ingestion does.  Printed: µs per new headline (median and p95) next to the same
measure, in the same run, of the rule before (news/stories.py at `--baseline-rev`: Jaccard over
stems) — target ≤ 150 µs — and µs per article to compute the key (done once, in the worker
that prepares the article) next to the baseline's signature.

`--against TREE` compares this checkout's matcher with another checkout's instead (e.g.
`git worktree add --detach /tmp/x REV`), for whoever changes the matcher — its facts, trees,
lexicons or speed.  The headlines are made once, by this script (same seed), and written to a
JSON Lines file that both sides read, so a change in the generator cannot bias the comparison.
Then `--rounds` rounds (default 3) alternate the two (TREE, this; then this, TREE; …), each side
in a process of its own with that checkout first on PYTHONPATH — its matcher, keys, lexicons
and trees — running this script's workload (TREE's own copy of this script does not matter).
Printed: each round's p50/p95 µs per headline and key µs per article for both, with the ratios
(this / TREE); the median ratios; whether both filed the new headlines into the same stories;
the load average before and after.  Against the very same code, a round's ratio fell anywhere
in 0.85–1.22 for p50 and 0.88–1.33 for the key on this shared machine (load about 1): a
difference of a few per cent wants more rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
import types
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
# A round of --against (`--measure FILE`) measures the checkout its parent put on PYTHONPATH.
if "--measure" not in sys.argv:
    sys.path.insert(0, str(ROOT))

from alternated import alternate, load_average  # noqa: E402

from news.regions import WILAYAS  # noqa: E402
from news.stories import StoryMatcher, story_key  # noqa: E402
from news.text import has_arabic  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
# The commit before the matcher of issue 14: its news/stories.py is the baseline.
BASELINE_REV = "7841350"
_NAMES = ("حداد", "بوزيد", "بن ناصر", "بلعيد", "مزيان", "شريف", "قاسمي", "بوعلام")
_LATIN_NAMES = ("Haddad", "Bouzid", "Bennacer", "Belaid", "Meziane", "Cherif", "Kacemi", "Boualem")


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
    """`count` headlines, each a seed with a wilaya, a number or a name added in its own
    language (a French headline with «بولاية سطيف» at its end is no outlet's)."""
    out = []
    for _ in range(count):
        seed = rng.choice(seeds)
        wilaya, number = rng.choice(WILAYAS), rng.randint(2, 900)
        if has_arabic(seed):
            extra = rng.choice((f"بولاية {wilaya.name_ar}", f"{number} شخصا", rng.choice(_NAMES), ""))
        else:
            extra = rng.choice((f"à {wilaya.name('fr')}", f"{number} personnes", rng.choice(_LATIN_NAMES), ""))
        out.append(f"{seed} {extra}".strip())
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


def run(matcher, keys: list, window: int) -> tuple[list[float], list[int]]:  # noqa: ANN001 - either matcher
    """µs to match each new headline, and the story each was filed in."""
    step = timedelta(hours=30) / max(1, window)
    for number, key in enumerate(keys[:window], 1):
        matcher.add(number, number, key, NOW - timedelta(hours=30) + number * step)
    micros, stories = [], []
    for number, key in enumerate(keys[window:], window + 1):
        started = time.perf_counter()
        story = matcher.assign(number, key, NOW + (number - window) * timedelta(seconds=1))
        micros.append((time.perf_counter() - started) * 1e6)
        stories.append(story)
    return micros, stories


def measure(titles: list[str], window: int) -> dict[str, float | int | str]:
    """The workload on the matcher imported here: the key of every headline (µs per article,
    cold caches), then the new ones matched one by one (µs each) and how they were filed."""
    started = time.perf_counter()
    keys = [story_key(title) for title in titles]
    key_us = (time.perf_counter() - started) / len(titles) * 1e6
    micros, stories = run(StoryMatcher(timedelta(hours=36)), keys, window)
    return {
        "p50": median(micros),
        "p95": percentile(micros, 0.95),
        "key": key_us,
        "joined": sum(story != number for number, story in enumerate(stories, window + 1)),
        "filed": hashlib.sha256(json.dumps(stories).encode()).hexdigest(),
        "code": str(Path(sys.modules[StoryMatcher.__module__].__file__ or "").resolve()),
    }


def measure_in(tree: Path, titles: Path, window: int) -> dict[str, float | int | str]:
    """`measure` in a process of its own, with `tree`'s code first on its PYTHONPATH."""
    path = os.pathsep.join(filter(None, (str(tree), os.environ.get("PYTHONPATH"))))
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", str(titles), "--window", str(window)]
    output = subprocess.run(command, env={**os.environ, "PYTHONPATH": path}, check=True, capture_output=True, text=True)
    result = json.loads(output.stdout.splitlines()[-1])
    if not Path(str(result["code"])).is_relative_to(tree):
        raise SystemExit(f"measured {result['code']}, not the matcher of {tree}")
    return result


def against(tree: Path, titles: list[str], window: int, new: int, rounds: int) -> None:
    """This checkout's matcher and `tree`'s, rounds alternated, on the same headlines."""
    print(f"load average at start: {load_average()}")
    print(f"{window:,} headlines in the window, {new:,} new ones matched one by one; this checkout ({ROOT})"
          f" against {tree}, {rounds} rounds alternated, each side in a process of its own")
    results: dict[Path, list[dict[str, float | int | str]]] = {tree: [], ROOT: []}
    with TemporaryDirectory() as folder:
        path = Path(folder) / "headlines.jsonl"
        path.write_text("".join(json.dumps(title, ensure_ascii=False) + "\n" for title in titles), encoding="utf-8")
        for number, checkout in alternate(rounds, tree, ROOT):
            results[checkout].append(measure_in(checkout, path, window))
            if len(results[tree]) == len(results[ROOT]):  # the round's two sides are in
                this, other = results[ROOT][-1], results[tree][-1]
                print(f"round {number + 1} ({'TREE, this' if number % 2 == 0 else 'this, TREE'}), µs:"
                      f" TREE p50 {other['p50']:6.1f} p95 {other['p95']:6.1f} key {other['key']:5.1f}"
                      f"   | this p50 {this['p50']:6.1f} p95 {this['p95']:6.1f} key {this['key']:5.1f}"
                      f"   | ratio p50 {ratio(this, other, 'p50'):.2f} p95 {ratio(this, other, 'p95'):.2f}"
                      f" key {ratio(this, other, 'key'):.2f}")
    pairs = list(zip(results[ROOT], results[tree], strict=True))
    medians = (f"{name} {median(ratio(this, other, name) for this, other in pairs):.2f}" for name in ("p50", "p95", "key"))
    print(f"median ratio (this / TREE) over {rounds} rounds: {'  '.join(medians)}"
          f"   (this checkout's median p50 {median(float(this['p50']) for this, _ in pairs):.1f} µs, target ≤ 150)")
    this, other = results[ROOT][0], results[tree][0]
    if len({result["filed"] for result in results[ROOT] + results[tree]}) == 1:
        print(f"filed alike: the same stories on both sides ({this['joined']:,} of {new:,} new headlines joined an earlier one)")
    else:
        print(f"filed differently: {this['joined']:,} of {new:,} new headlines joined an earlier story here,"
              f" {other['joined']:,} with TREE's matcher")
    print(f"load average at end: {load_average()}")


def ratio(this: dict[str, float | int | str], other: dict[str, float | int | str], name: str) -> float:
    return float(this[name]) / float(other[name])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=2_000)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--against", type=Path, metavar="TREE", help="alternate with the matcher of this checkout")
    parser.add_argument("--rounds", type=int, default=3, help="with --against: rounds, each running both")
    parser.add_argument("--measure", type=Path, metavar="FILE", help="one side of a round of --against (internal)")
    args = parser.parse_args()
    if args.measure is not None:
        titles = [json.loads(line) for line in args.measure.read_text(encoding="utf-8").splitlines()]
        print(json.dumps(measure(titles, args.window)))
        return
    rng = random.Random(14)
    titles = varied(headlines(), args.window + args.new, rng)
    if args.against is not None:
        against(args.against.resolve(), titles, args.window, args.new, args.rounds)
        return
    old = baseline_module(args.baseline_rev)

    new = measure(titles, args.window)
    started = time.perf_counter()
    signatures = [old.signature(title) for title in titles]
    signature_us = (time.perf_counter() - started) / len(titles) * 1e6

    class OldMatcher(old.StoryMatcher):  # the old API, fed precomputed signatures
        def add(self, article_id, story_id, words, at):  # noqa: ANN001
            self._add(old._Entry(article_id, story_id, at, words))

        def assign(self, article_id, words, at):  # noqa: ANN001
            return super().assign(article_id, "", at, words)

    old_us, _ = run(OldMatcher(timedelta(hours=36)), signatures, args.window)
    print(f"{args.window:,} headlines in the window, {args.new:,} new ones matched one by one")
    print(f"matching, µs per headline: new p50 {new['p50']:6.1f}  p95 {new['p95']:6.1f}"
          f"   | rule before p50 {median(old_us):6.1f}  p95 {percentile(old_us, 0.95):6.1f}"
          f"   ratio p50 {float(new['p50']) / median(old_us):.2f}   (target ≤ 150 µs)")
    print(f"key per article, µs (cold caches): new {new['key']:6.1f}   | rule before {signature_us:6.1f}"
          f"   ratio {float(new['key']) / signature_us:.2f}")


if __name__ == "__main__":
    main()
