"""Measuring the topic classifier on labelled sets (tests/data/topics/).

Two kinds of set: *clean* headlines alone (`{"title", "topics"}`), and *sample-page* items —
a headline with the body an aggregator page gives it, site boilerplate and all (`"body"` too).
Each item goes through the road ingestion takes (news.articles.make_article), so what is
measured is what would be stored.

Per topic: precision and recall over every (item, topic) label — an item labelled economy +
world that we file under economy alone has one hit and one miss.  Overall: accuracy of the
first topic against the first label, and the share of items whose first topic is among their
labels.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from news.articles import make_article
from news.topics import TOPICS


@dataclass(frozen=True, slots=True)
class Labelled:
    title: str
    topics: tuple[str, ...]
    body: str = ""


@dataclass(frozen=True, slots=True)
class TopicFigures:
    topic: str
    precision: float
    recall: float
    support: int  # items labelled with this topic


@dataclass(frozen=True, slots=True)
class Evaluation:
    headlines: int
    primary_accuracy: float  # first predicted topic == first label
    any_accuracy: float  # first predicted topic is one of the labels
    per_topic: list[TopicFigures]
    kind: str  # "clean" (headlines alone) or "sample-page" (headlines with their page's body)
    misses: list[tuple[Labelled, tuple[str, ...]]]  # (item, what we filed it under)


def load_labelled(path: Path) -> list[Labelled]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            rows.append(Labelled(record["title"], tuple(record["topics"]), record.get("body") or ""))
    return rows


def evaluate(rows: list[Labelled]) -> Evaluation:
    true_pos: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    primary_hits = any_hits = 0
    misses = []
    for row in rows:
        guess = make_article(title=row.title, body=row.body).topics
        primary_hits += guess[0] == row.topics[0]
        any_hits += guess[0] in row.topics
        if guess[0] != row.topics[0]:
            misses.append((row, guess))
        for topic in guess:
            predicted[topic] += 1
            true_pos[topic] += topic in row.topics
        for topic in row.topics:
            labelled[topic] += 1
    per_topic = [
        TopicFigures(
            topic.slug,
            true_pos[topic.slug] / predicted[topic.slug] if predicted[topic.slug] else 0.0,
            true_pos[topic.slug] / labelled[topic.slug] if labelled[topic.slug] else 0.0,
            labelled[topic.slug],
        )
        for topic in TOPICS
    ]
    count = len(rows) or 1
    kind = "sample-page" if any(row.body for row in rows) else "clean"
    return Evaluation(len(rows), primary_hits / count, any_hits / count, per_topic, kind, misses)


# Held-out sets that have been read since (their misses studied when the lexicon was widened
# in December 2026): tuning data now, like dev; the blind sets are their successors (holdout2…).
READ_HELD_OUT = frozenset(("holdout", "pages-holdout"))


def part_of(name: str) -> str:
    """"held-out" for a blind set, by its file name (holdout2.jsonl, pages-holdout2.jsonl);
    "tuned" for a held-out set read since (READ_HELD_OUT); else "dev"."""
    stem = Path(name).stem.lower()
    if stem in READ_HELD_OUT:
        return "tuned"
    return "held-out" if "holdout" in stem or "held-out" in stem else "dev"


def report(evaluation: Evaluation, name: str, show_misses: bool = False) -> str:
    lines = [
        f"{name}: {evaluation.headlines} items ({evaluation.kind}, {part_of(name)})",
        f"{'topic':<12} {'precision':>9} {'recall':>7} {'n':>4}",
    ]
    for row in evaluation.per_topic:
        lines.append(f"{row.topic:<12} {row.precision:>9.2f} {row.recall:>7.2f} {row.support:>4}")
    macro_p = sum(r.precision for r in evaluation.per_topic) / len(evaluation.per_topic)
    macro_r = sum(r.recall for r in evaluation.per_topic) / len(evaluation.per_topic)
    lines.append(f"{'macro':<12} {macro_p:>9.2f} {macro_r:>7.2f}")
    lines.append(f"accuracy (first topic = first label): {evaluation.primary_accuracy:.2f}")
    lines.append(f"accuracy (first topic among labels):  {evaluation.any_accuracy:.2f}")
    if show_misses:
        for item, guess in evaluation.misses:
            lines.append(f"  miss: {'+'.join(item.topics)} filed as {'+'.join(guess)}: {item.title}")
    return "\n".join(lines)


def summary(evaluations: list[tuple[str, Evaluation]]) -> str:
    """One line per set: its kind, its part and its first-topic accuracy."""
    lines = [f"{'kind':<12} {'part':<9} {'items':>5} {'accuracy':>8}  set"]
    for name, evaluation in evaluations:
        lines.append(
            f"{evaluation.kind:<12} {part_of(name):<9} {evaluation.headlines:>5} "
            f"{evaluation.primary_accuracy:>8.2f}  {name}"
        )
    return "\n".join(lines)
