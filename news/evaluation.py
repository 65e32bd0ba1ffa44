"""Measuring the topic classifier on a labelled set of headlines (tests/data/topics/).

Per topic: precision and recall over every (headline, topic) label — a headline labelled
economy + world that we file under economy alone has one hit and one miss.  Overall:
accuracy of the first topic against the first label, and the share of headlines whose first
topic is among their labels.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from news.classify import classify
from news.topics import TOPICS


@dataclass(frozen=True, slots=True)
class TopicFigures:
    topic: str
    precision: float
    recall: float
    support: int  # headlines labelled with this topic


@dataclass(frozen=True, slots=True)
class Evaluation:
    headlines: int
    primary_accuracy: float  # first predicted topic == first label
    any_accuracy: float  # first predicted topic is one of the labels
    per_topic: list[TopicFigures]


def load_labelled(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            rows.append((record["title"], tuple(record["topics"])))
    return rows


def evaluate(rows: list[tuple[str, tuple[str, ...]]]) -> Evaluation:
    true_pos: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    primary_hits = any_hits = 0
    for title, labels in rows:
        guess = classify(title)
        primary_hits += guess[0] == labels[0]
        any_hits += guess[0] in labels
        for topic in guess:
            predicted[topic] += 1
            true_pos[topic] += topic in labels
        for topic in labels:
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
    return Evaluation(len(rows), primary_hits / count, any_hits / count, per_topic)


def report(evaluation: Evaluation, name: str) -> str:
    lines = [f"{name}: {evaluation.headlines} headlines", f"{'topic':<12} {'precision':>9} {'recall':>7} {'n':>4}"]
    for row in evaluation.per_topic:
        lines.append(f"{row.topic:<12} {row.precision:>9.2f} {row.recall:>7.2f} {row.support:>4}")
    macro_p = sum(r.precision for r in evaluation.per_topic) / len(evaluation.per_topic)
    macro_r = sum(r.recall for r in evaluation.per_topic) / len(evaluation.per_topic)
    lines.append(f"{'macro':<12} {macro_p:>9.2f} {macro_r:>7.2f}")
    lines.append(f"accuracy (first topic = first label): {evaluation.primary_accuracy:.2f}")
    lines.append(f"accuracy (first topic among labels):  {evaluation.any_accuracy:.2f}")
    return "\n".join(lines)
