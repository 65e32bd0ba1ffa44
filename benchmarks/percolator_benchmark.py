"""Alerts at scale: one new story matched against 100,000 chats' 300,000 follows and mutes.

    python benchmarks/percolator_benchmark.py [--chats 100000] [--follows 300000] [--stories 2000]
    python benchmarks/percolator_benchmark.py --against REV   # this news/percolator.py vs REV's, alternated

What is generated (seeded):
  - a vocabulary as news has it: the words of the project's own Arabic and French samples
    (bot/demo_data/articles.jsonl, tests/data), most frequent first, then, shuffled, their
    forms with clitics and 50,000 invented proper names (about 65,000 types in all);
  - stories made by news.articles.make_article (so topics, wilayas and the search text are
    the real ones): a title of 7-12 words and a body of 20-600 words (median about 100),
    words drawn by Zipf's law (s = 1) from that vocabulary, some with a real sample title or
    sentence spliced in, a quarter naming a wilaya, most with a source section (a topic);
    2,000 more of them stand for the recent stories whose stems the percolator is given
    counts of (news.percolator.stem_frequencies);
  - what readers type, parsed by news.follows: words (one to three) drawn from the
    followable words — the samples' own beyond the 2,000 most frequent (nobody wants an
    alert for في or مشاريع) and the invented names — by popularity, Zipf-Mandelbrot, ranked
    independently of how often stories use them; "quoted phrases" taken from the samples'
    own word sequences; topic and wilaya names in either language; mutes, words again.  Every
    chat has at least one, at most 50, most one or two (1/k²).
Then each story's StoryTerms is built (timed alone) and matched, in turn, by
  - the full percolator (and the same, its follows filed by word length alone);
  - a baseline percolator holding 1,000 of the same follows;
  - the baseline's 1,000 with 299,000 more that never match (invented Latin words), which
    alerts exactly the chats the baseline does: the cost of a bigger index alone.
Time independent of the number of follows means the last two stay close; the full one does
more because it alerts more: every chat alerted is a result to build, and more candidates are
checked.  Target (the alerts issue): p95 < 1 ms per story.

"match" is Percolator.match: everything that decides which chats a story alerts and for
what — the groups of follows and mutes it matches, and from them the chats alerted
(follows' chats less mutes'), each with the ChatMatch of a group it was found in.  Expanding
that into one ChatMatch per chat alerted, the follows of those found in several groups
merged (Matches.chats: what the alert job does as it writes one alert per chat), is timed
apart, just after, and printed beside it, with the sum (the target is on the sum: what an
alert costs).

With --against REV, the full percolator of this tree and the one of git revision REV (its
news/percolator.py, loaded beside this one) match the same stories in turn, the order
alternating story by story, so that both see the same machine: each side's p50 and p95, and
the median of the per-story ratios, for the match and for the match with its expansion (a
revision whose match returned one ChatMatch per chat did its expansion inside).  The chats
alerted and the follows each is alerted for must be the same, story by story (asserted).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from news.articles import make_article  # noqa: E402
from news.follows import FollowRefused, parse_follow, parse_mute  # noqa: E402
from news.model import Follow, NewArticle  # noqa: E402
from news.percolator import Percolator, StoryTerms, _Places, stem_frequencies, story_terms  # noqa: E402
from news.regions import WILAYAS  # noqa: E402
from news.search import stopword  # noqa: E402
from news.text import words  # noqa: E402
from news.topics import TOPICS  # noqa: E402

DATA = ROOT / "tests" / "data"
JSONL = [ROOT / "bot" / "demo_data" / "articles.jsonl", DATA / "topics" / "dev.jsonl", DATA / "topics" / "holdout.jsonl"]
PLAIN = [DATA / "long-article.txt", DATA / "aggregator-page.txt", DATA / "aggregator-page-2.txt"]
PUNCTUATION = "«»\"'.,:؛،!?()[]-…"
CLITICS = ("و", "ب", "ل", "وال", "بال", "لل")
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
NAMES = 50_000  # invented proper names: the long tail of a news vocabulary
TOO_COMMON = 2_000  # the most frequent words, each in one story of 200 or more, nobody follows (في، مشاريع، الأسبوع)
ARCHIVE = 2_000  # recent stories whose stems the percolator is given counts of
PER_CHAT = 50  # follows and mutes a chat may hold (storage's limit, say)
STORIES_A_DAY = 3_000  # what the bot ingests in a day, to put alerts per story in a reader's terms
# Zipf-Mandelbrot's offset for how popular each followed word is: weight 1 / (rank + 10), so
# that the most followed word is 1.3% of word follows (with s = 1 alone, 10%: one word
# followed by a tenth of all readers).
POPULARITY_OFFSET = 10
# The mix of what readers set up.
KINDS = (("words", 0.90), ("phrase", 0.03), ("topic", 0.005), ("wilaya", 0.015), ("mute", 0.05))


def sample_texts() -> tuple[list[str], list[str]]:
    """(titles, other texts: bodies and plain documents) of the project's samples."""
    titles, texts = [], []
    for path in JSONL:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            titles.append(record["title"])
            texts.append(record.get("body", ""))
    texts += [path.read_text(encoding="utf-8") for path in PLAIN]
    return titles, [text for text in texts if text]


def fragments(texts: Sequence[str]) -> list[str]:
    """Runs of words between punctuation: the samples' own word sequences, for phrases."""
    runs = []
    for text in texts:
        for piece in text.replace("\n", ".").replace("،", ".").replace(":", ".").split("."):
            if len(piece.split()) >= 3:
                runs.append(piece.strip())
    return runs


def vocabulary(texts: Sequence[str], names: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """The samples' words, most frequent first (Zipf ranks then give news its usual shape:
    في، من، على on top), then a shuffled tail of their clitic forms and invented names; and
    the words readers would type among them (not the generated clitic forms)."""
    counts: Counter[str] = Counter()
    for text in texts:
        for token in text.split():
            token = token.strip(PUNCTUATION)
            if token and words(token):
                counts[token] += 1
    head = [word for word, _ in counts.most_common()]
    tail: dict[str, None] = {}
    for word in head:
        if len(word) >= 3:
            for clitic in rng.sample(CLITICS, 2):
                tail.setdefault(clitic + word.removeprefix("ال"), None)
    invented = ["".join(rng.choices(LETTERS, k=rng.randint(4, 8))) for _ in range(names)]
    rest = [word for word in dict.fromkeys([*tail, *invented]) if word not in counts]
    rng.shuffle(rest)
    return head + rest, head[TOO_COMMON:] + invented


def zipf(size: int, offset: int = 0) -> list[float]:
    # Cumulative once, or random.choices re-adds every weight per call.
    return list(itertools.accumulate(1 / (rank + 1 + offset) for rank in range(size)))


def stories(count: int, vocab: list[str], titles: list[str], runs: list[str], rng: random.Random) -> list[NewArticle]:
    weights = zipf(len(vocab))
    slugs = [topic.slug for topic in TOPICS]
    made = []
    for _ in range(count):
        title = " ".join(rng.choices(vocab, cum_weights=weights, k=rng.randint(7, 12)))
        if rng.random() < 0.3:
            title = f"{rng.choice(titles)} {rng.choice(vocab[:5000])}"
        body = rng.choices(vocab, cum_weights=weights, k=min(600, max(20, int(rng.lognormvariate(4.6, 0.7)))))
        if rng.random() < 0.4:
            for _ in range(rng.randint(1, 3)):
                body.insert(rng.randrange(len(body) + 1), rng.choice(runs) + ".")
        if rng.random() < 0.25:
            body.insert(rng.randrange(len(body) + 1), f"بولاية {rng.choice(WILAYAS).name_ar}")
        topics = [rng.choice(slugs)] if rng.random() < 0.7 else []
        made.append(make_article(title=title, body=" ".join(body), topics=topics))
    return made


def meaningful(word: str) -> bool:
    found = words(word)
    return len(found) == 1 and len(found[0]) >= 3 and not stopword(found[0])


def reader_texts(count: int, typed: list[str], runs: list[str], rng: random.Random) -> list[tuple[str, bool]]:
    """(text, is it a mute) as readers would type them after /follow and /mute."""
    followable = list(dict.fromkeys(filter(meaningful, typed)))
    rng.shuffle(followable)  # how popular a follow is does not follow how common the word is
    weights = zipf(len(followable), POPULARITY_OFFSET)
    topic_names = [name for topic in TOPICS for name in topic.names.values()]
    wilaya_names = [name for wilaya in WILAYAS for name in (wilaya.name_ar, wilaya.name_fr)]
    kinds, shares = zip(*KINDS, strict=True)
    texts = []
    for kind in rng.choices(kinds, weights=shares, k=count):
        if kind == "words":
            texts.append((" ".join(rng.choices(followable, cum_weights=weights, k=rng.choice((1, 1, 1, 2, 2, 3)))), False))
        elif kind == "mute":
            texts.append((rng.choices(followable, cum_weights=weights)[0], True))
        elif kind == "phrase":
            texts.append(('"' + phrase(runs, rng) + '"', False))
        elif kind == "topic":
            texts.append((rng.choice(topic_names), False))
        else:
            texts.append((rng.choices(wilaya_names, cum_weights=zipf(len(wilaya_names)))[0], False))
    return texts


def phrase(runs: list[str], rng: random.Random) -> str:
    """Two or three words that stand together in the samples, the first and last meaningful
    (الحماية المدنية، وزير الداخلية، كأس أمم إفريقيا)."""
    while True:
        run = rng.choice(runs).split()
        start = rng.randrange(len(run) - 1)
        found = run[start : start + rng.randint(2, 3)]
        if len(found) > 1 and meaningful(found[0].strip(PUNCTUATION)) and meaningful(found[-1].strip(PUNCTUATION)):
            return " ".join(word.strip(PUNCTUATION) for word in found)


def owners(count: int, chats: int, rng: random.Random) -> list[int]:
    """Whose each of `count` follows is: every chat has at least one and at most PER_CHAT,
    how many drawn as 1/k² (most readers follow one or two things, a few dozens)."""
    sizes = rng.choices(range(1, PER_CHAT + 1), weights=[1 / k**2 for k in range(1, PER_CHAT + 1)], k=chats)
    total = sum(sizes)
    while total != count:  # the draw's mean is near three: nudge random chats to the total
        chat, step = rng.randrange(chats), 1 if total < count else -1
        if 1 <= sizes[chat] + step <= PER_CHAT:
            sizes[chat] += step
            total += step
    ids = [chat for chat, size in enumerate(sizes) for _ in range(size)]
    rng.shuffle(ids)
    return ids


def follows(texts: list[tuple[str, bool]], chats: int, rng: random.Random) -> tuple[list[Follow], int]:
    """Each text parsed as /follow or /mute would, and given to its chat."""
    made, refused = [], 0
    for number, ((text, mute), chat) in enumerate(zip(texts, owners(len(texts), chats, rng), strict=True)):
        try:
            spec = parse_mute(text) if mute else parse_follow(text)
        except FollowRefused:
            refused += 1
            continue
        made.append(spec.follow(number + 1, 10_000_000 + chat))
    return made, refused


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def candidates(percolator: Percolator, terms: StoryTerms) -> tuple[int, int, int]:
    """How many groups of follows and mutes (those of the same words are one) the story's
    stems find: of one word (found is matched), of several words whose two rarest words the
    story holds (to check), and phrases whose first two words stand together in it."""
    index, stems = percolator._follows, terms.stems
    filed = [index.by_form[form] for form in index.by_form.keys() & stems]
    one = len({id(chats) for entry in filed for chats in entry[2:]})  # (by second word, mutes, follows…)
    several = len({id(group) for entry in filed if entry[0] for second in stems.intersection(entry[0])
                   for group in entry[0][second]})
    places = _Places(terms, percolator._phrase_words)
    phrases = len({id(group) for pair in index.by_pair.keys() & places.pairs_of_forms() for group in index.by_pair[pair]})
    return one, several, phrases


def build(follows: list[Follow], frequencies: Counter[str] | None) -> tuple[Percolator, float]:
    start = time.perf_counter()
    percolator = Percolator(follows, frequencies=frequencies)
    return percolator, time.perf_counter() - start


def resident() -> int:
    """The process's resident memory, in bytes (Linux)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def traced(make: Callable[[], object]) -> tuple[object, int]:
    """What `make` returns, and the bytes it allocated that are still held."""
    tracemalloc.start()
    made = make()
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return made, size


def row(label: str, micros: Sequence[float]) -> str:
    return (f"{label:<44} p50 {percentile(micros, 0.5):7.1f} µs   p95 {percentile(micros, 0.95):7.1f} µs"
            f"   max {max(micros):8.1f} µs")


def counts(label: str, values: Sequence[int]) -> str:
    return f"{'':<44} {label}: p50 {percentile(values, 0.5):,}   p95 {percentile(values, 0.95):,}   max {max(values):,}"


class Timings:
    """Per story, for each percolator: µs to match (Percolator.match: the groups of follows
    and mutes the story matches, and from them the chats it alerts), CPU µs of it (the
    thread's: what the load does not add by taking the CPU away meanwhile), µs to expand the
    match into one ChatMatch per chat alerted (Matches.chats: the alert job's, as it writes
    one alert per chat), and chats alerted."""

    def __init__(self, count: int) -> None:
        self.micros: list[list[float]] = [[] for _ in range(count)]
        self.cpu: list[list[float]] = [[] for _ in range(count)]
        self.expanding: list[list[float]] = [[] for _ in range(count)]
        self.alerted: list[list[int]] = [[] for _ in range(count)]


def timed(percolators: Sequence[Percolator], news: list[NewArticle]) -> tuple[list[float], Timings]:
    """Each story's StoryTerms built, then matched by every percolator, in an order that
    turns with each story so that none profits from another's warm caches: (µs to build the
    terms, the timings of each percolator)."""
    making: list[float] = []
    timings = Timings(len(percolators))
    for number, article in enumerate(news):
        start = time.perf_counter_ns()
        terms = story_terms(article)
        making.append((time.perf_counter_ns() - start) / 1000)
        for turn in range(len(percolators)):
            which = (number + turn) % len(percolators)
            cpu, start = time.thread_time_ns(), time.perf_counter_ns()
            matches = percolators[which].match(terms)
            end, cpu = time.perf_counter_ns(), time.thread_time_ns() - cpu
            found = matches.chats()
            expanded = time.perf_counter_ns()
            assert len(found) == len(matches)
            timings.micros[which].append((end - start) / 1000)
            timings.cpu[which].append(cpu / 1000)
            timings.expanding[which].append((expanded - end) / 1000)
            timings.alerted[which].append(len(found))
    return making, timings


def inert(count: int, first_id: int, rng: random.Random) -> list[Follow]:
    """Follows and mutes of invented words no story holds (Latin, and beginning with zq: no
    stem of theirs can meet a story's), words, phrases and mutes alike: an index this much
    bigger that alerts no more."""
    made = []
    for number in range(count):
        typed = ["zq" + "".join(rng.choices("bcdfghjklmnpqrtvwz", k=rng.randint(5, 7))) for _ in range(rng.choice((1, 1, 2, 3)))]
        kind = rng.random()
        spec = parse_mute(typed[0]) if kind < 0.05 else parse_follow(f'"{" ".join(typed)}"' if kind < 0.08 else " ".join(typed))
        made.append(spec.follow(first_id + number, 20_000_000 + number // 3))
    return made


def module_at(revision: str) -> ModuleType:
    """news/percolator.py as it was at `revision`, loaded as a module of its own."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:news/percolator.py"],
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "percolator_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("percolator_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def against(revision: str, everything: list[Follow], frequencies: Counter[str], warmup: list[NewArticle],
            news: list[NewArticle]) -> None:
    """This percolator and `revision`'s, alternated story by story (see the docstring).  A
    side whose match returns the groups and the chats alerted (a Matches, with `chats()`) has
    its expansion into one ChatMatch per chat timed apart, just after its match; one whose
    match returns the ChatMatch list did that inside.  Both must alert the same chats for
    the same follows, story by story."""
    before = module_at(revision)
    sides, grown = [], []
    for module in (sys.modules[Percolator.__module__], before):
        gc.collect()
        resident_before = resident()
        sides.append((module.Percolator(everything, frequencies=frequencies), module.story_terms))
        gc.collect()
        grown.append(resident() - resident_before)
    print(f"the process's resident memory grew {grown[0] / 2**20:.1f} MiB building this tree's index,"
          f" {grown[1] / 2**20:.1f} MiB building {revision}'s (built in this order, both kept)")
    micros: list[list[float]] = [[], []]
    expanding: list[list[float]] = [[], []]
    alerted: list[int] = []
    for number, article in enumerate(warmup + news):
        terms = [make(article) for _, make in sides]
        what: list[dict[int, tuple[int, ...]]] = [{}, {}]
        for turn in (0, 1) if number % 2 == 0 else (1, 0):
            percolator = sides[turn][0]
            start = time.perf_counter_ns()
            found = percolator.match(terms[turn])
            matched = time.perf_counter_ns()
            chats = found.chats() if hasattr(found, "chats") else found
            expanded = time.perf_counter_ns()
            if number >= len(warmup):
                micros[turn].append((matched - start) / 1000)
                expanding[turn].append((expanded - matched) / 1000)
            what[turn] = {match.chat_id: tuple(follow.id for follow in match.follows) for match in chats}
        assert what[0] == what[1], f"the two percolators alerted different chats, or for different follows: story {number}"
        if number >= len(warmup):
            alerted.append(len(what[0]))
    whole = [[a + b for a, b in zip(micros[turn], expanding[turn], strict=True)] for turn in (0, 1)]
    print(row("match, this tree", micros[0]))
    print(row("  then one ChatMatch per chat (expanding)", expanding[0]))
    print(row("  match + expanding", whole[0]))
    print(row(f"match, {revision}", micros[1]))
    print(row("  then one ChatMatch per chat (expanding)", expanding[1]))
    print(row("  match + expanding", whole[1]))
    print(counts("chats alerted per story (the same, for the same follows)", alerted))
    for label, now, then in (("match", micros[0], micros[1]), ("match + expanding", whole[0], whole[1])):
        ratios = [a / b for a, b in zip(now, then, strict=True)]
        print(f"{label}, this tree / {revision}: p50 {percentile(now, 0.5) / percentile(then, 0.5):.2f}x,"
              f" p95 {percentile(now, 0.95) / percentile(then, 0.95):.2f}x,"
              f" median of the per-story ratios {percentile(ratios, 0.5):.2f}x over {len(news):,} stories")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--follows", type=int, default=300_000)
    parser.add_argument("--stories", type=int, default=2_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--against", metavar="REV", help="alternate with news/percolator.py of this git revision")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()

    titles, texts = sample_texts()
    runs = fragments(titles + texts)
    vocab, typed = vocabulary(titles + texts, NAMES, rng)
    print(f"vocabulary: {len(vocab):,} words; generating {args.follows:,} follows and {args.stories:,} stories…", file=sys.stderr)
    everything, refused = follows(reader_texts(args.follows, typed, runs, rng), args.chats, rng)
    few = rng.sample(everything, args.baseline)
    padding = inert(len(everything) - len(few), 10 * args.follows, rng)
    # The recent stories the bot would count stems in (ARCHIVE of them), then the new ones.
    archive = [story_terms(article) for article in stories(ARCHIVE, vocab, titles, runs, rng)]
    news = stories(args.stories + 100, vocab, titles, runs, rng)
    warmup, news = news[:100], news[100:]

    frequencies, frequency_bytes = traced(lambda: stem_frequencies(archive))
    if args.against:
        against(args.against, everything, frequencies, warmup, news)  # type: ignore[arg-type]
        return
    _, follow_bytes = traced(lambda: [Follow(f.id, f.chat_id, f.kind, f.text, f.terms, f.mute) for f in everything])
    resident_before = resident()
    full, seconds = build(everything, frequencies)  # type: ignore[arg-type]
    index_resident = resident() - resident_before
    _, index_bytes = traced(lambda: Percolator(everything, frequencies=frequencies))  # type: ignore[arg-type]
    print("built; matching…", file=sys.stderr)
    by_length, _ = build(everything, None)
    baseline, _ = build(few, frequencies)  # type: ignore[arg-type]
    padded, _ = build(few + padding, frequencies)  # type: ignore[arg-type]
    percolators = [full, by_length, baseline, padded]
    timed(percolators, warmup)
    collections = gc.get_stats()[2]["collections"]
    making, timings = timed(percolators, news)
    micros, alerted = timings.micros, timings.alerted
    full_collections = gc.get_stats()[2]["collections"] - collections
    assert alerted[2] == alerted[3], "the inert follows alerted someone"
    checked = [candidates(full, story_terms(article)) for article in news]
    checked_by_length = [candidates(by_length, story_terms(article)) for article in news]

    kinds = Counter("mute" if f.mute else f.kind for f in everything)
    chats = len({f.chat_id for f in everything})
    print(f"follows and mutes: {len(full):,} of {chats:,} chats ({', '.join(f'{k} {n:,}' for k, n in kinds.most_common())});"
          f" {refused:,} generated texts refused by news.follows")
    print(f"index: built in {seconds:.2f} s ({len(full) / seconds:,.0f} follows/s); {index_bytes / 2**20:.1f} MiB (tracemalloc),"
          f" the process's resident memory {index_resident / 2**20:+.1f} MiB building it,"
          f" besides {follow_bytes / 2**20:.1f} MiB for the Follow objects themselves and {frequency_bytes / 2**20:.1f} MiB"
          f" for the stem counts of {ARCHIVE:,} recent stories")
    stems = [len(story_terms(article).stems) for article in news]
    print(f"stories: {len(news):,}; distinct stems per story p50 {percentile(stems, 0.5):,}, p95 {percentile(stems, 0.95):,};"
          f" full garbage collections while timing: {full_collections}")
    per_day = sum(alerted[0]) / len(news) * STORIES_A_DAY / chats
    print(f"alerts: at {STORIES_A_DAY:,} stories a day, {per_day:.1f} a day for a chat on average")
    print(row("StoryTerms alone", making))
    print(row(f"match, {len(full):,} follows", micros[0]))
    print(row("  its CPU time (the thread's)", timings.cpu[0]))
    print(row("  then one ChatMatch per chat (expanding)", timings.expanding[0]))
    whole = [a + b for a, b in zip(micros[0], timings.expanding[0], strict=True)]
    print(row("  match + expanding", whole))
    print(counts("chats alerted per story", alerted[0]))
    print(counts("groups of one word found per story", [one for one, _, _ in checked]))
    print(counts("groups of several words to check per story", [more for _, more, _ in checked]))
    print(counts("phrases whose first two words stand together", [phrases for _, _, phrases in checked]))
    for low, high in ((0, 100), (100, 300), (300, 1000), (1000, 10**9)):
        group = [micros[0][i] for i, n in enumerate(alerted[0]) if low <= n < high]
        if group:
            label = f"alerting {low:,}-{high - 1:,}" if high < 10**9 else f"alerting {low:,} or more"
            print(f"{'':<44} {label}: {len(group):,} stories,"
                  f" p50 {percentile(group, 0.5):,.0f} µs, p95 {percentile(group, 0.95):,.0f} µs")
    print(row(f"match, {len(full):,}, anchors by length only", micros[1]))
    print(counts("groups of several words to check per story", [more for _, more, _ in checked_by_length]))
    print(row(f"match, {len(baseline):,} follows (baseline)", micros[2]))
    print(row("  its CPU time (the thread's)", timings.cpu[2]))
    print(row("  then one ChatMatch per chat (expanding)", timings.expanding[2]))
    print(counts("chats alerted per story", alerted[2]))
    print(row(f"match, {len(baseline):,} + {len(padding):,} never matching", micros[3]))
    together = [a + b for a, b in zip(making, micros[0], strict=True)]
    print(row(f"StoryTerms + match, {len(full):,}", together))
    p95, base = percentile(micros[0], 0.95), percentile(micros[2], 0.95)
    print(f"p95 ratio to the baseline: {p95 / base:.2f}x with {len(full):,} follows (which alert"
          f" {sum(alerted[0]) / max(1, sum(alerted[2])):.0f}x as many chats); {percentile(micros[3], 0.95) / base:.2f}x"
          f" with {len(padded):,} that alert the same chats")
    for label, values in (("match", micros[0]), ("match, CPU time", timings.cpu[0]), ("match + expanding", whole)):
        p95 = percentile(values, 0.95)
        print(f"p95 {label}: {p95:.0f} µs, {'meets' if p95 < 1000 else 'MISSES'} the 1 ms target")
    print(f"StoryTerms + match: p95 {percentile(together, 0.95):.0f} µs; whole run {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
