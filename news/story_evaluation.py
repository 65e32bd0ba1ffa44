"""Measuring the story matcher on labelled pairs of headlines (tests/data/stories/).

Each line of a set is one pair: two outlets' headlines (and, when known, the first sentences
of their bodies), the minutes between them, whether they tell the same event (`same`), the
kind of difficulty they hold (`kind`: a different verb, a number in words, another place…) and
the desk (`topic`).  A pair is judged as ingestion judges it: the first headline is stored,
then the second arrives and either joins its story or begins its own.

Figures: recall (same-event pairs joined), false merges (different-event pairs joined), and
both by kind, so that a change that helps one kind and hurts another shows.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from news.stories import StoryMatcher, rules_same_event, story_key

# The pairs' own time: only the minutes between the two headlines matter.
_START = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
_DEFAULT_MINUTES = 30


@dataclass(frozen=True, slots=True)
class LabelledPair:
    same: bool
    kind: str
    topic: str
    first: str
    second: str
    first_body: str = ""
    second_body: str = ""
    minutes: int = _DEFAULT_MINUTES


@dataclass(frozen=True, slots=True)
class PairEvaluation:
    pairs: int
    same_pairs: int
    joined: int  # same-event pairs the matcher joined
    different_pairs: int
    false_merges: int  # different-event pairs the matcher joined
    misses: tuple[LabelledPair, ...]  # the pairs judged wrong, in file order
    # Same-event pairs the matcher never compares: the first headline is not among the second's
    # candidates (they share too few words, or name numbers all different), so no decision can
    # join them.
    never_compared: int = 0

    @property
    def recall(self) -> float:
        return self.joined / self.same_pairs if self.same_pairs else 1.0


class InvalidPairs(ValueError):
    """A line of a labelled set that is not a pair; the message names the line."""


def load_pairs(path: Path) -> list[LabelledPair]:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            pairs.append(
                LabelledPair(
                    same=bool(record["same"]),
                    kind=str(record["kind"]),
                    topic=str(record.get("topic", "")),
                    first=str(record["a"]),
                    second=str(record["b"]),
                    first_body=str(record.get("a_body", "")),
                    second_body=str(record.get("b_body", "")),
                    minutes=int(record.get("minutes", _DEFAULT_MINUTES)),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidPairs(f"line {number}: not a labelled pair ({exc})") from None
    return pairs


def matcher_joins(pair: LabelledPair) -> bool:
    """Whether the story matcher files the pair's second headline under the first one's story."""
    matcher = StoryMatcher()
    matcher.assign(1, story_key(pair.first, pair.first_body), _START)
    return matcher.assign(2, story_key(pair.second, pair.second_body), _START + timedelta(minutes=pair.minutes)) == 1


def compared(pair: LabelledPair) -> bool:
    """Whether the story matcher compares the pair at all: the first headline is among the
    second's candidates (StoryMatcher.candidates)."""
    matcher = StoryMatcher()
    matcher.add(1, 1, story_key(pair.first, pair.first_body), _START)
    return 1 in matcher.candidates(story_key(pair.second, pair.second_body))


def rules_joins(pair: LabelledPair) -> bool:
    """Whether the hand-written rules (news.stories.rules_similarity) join the pair."""
    first, second = story_key(pair.first, pair.first_body), story_key(pair.second, pair.second_body)
    matcher = StoryMatcher()
    matcher.add(1, 1, first, _START)
    gap = timedelta(minutes=pair.minutes)
    return 1 in matcher.candidates(second) and rules_same_event(second, first, gap)


def evaluate(pairs: Iterable[LabelledPair], joins: Callable[[LabelledPair], bool] = matcher_joins) -> PairEvaluation:
    pairs = list(pairs)
    misses = []
    joined = false_merges = 0
    for pair in pairs:
        together = joins(pair)
        if pair.same:
            joined += together
        else:
            false_merges += together
        if together != pair.same:
            misses.append(pair)
    same_pairs = sum(pair.same for pair in pairs)
    never = sum(not compared(pair) for pair in pairs if pair.same)
    return PairEvaluation(len(pairs), same_pairs, joined, len(pairs) - same_pairs, false_merges, tuple(misses), never)


def report(evaluation: PairEvaluation, name: str, show: bool = False) -> str:
    lines = [
        f"{name}: {evaluation.pairs} pairs",
        f"recall (same event joined):       {evaluation.joined}/{evaluation.same_pairs} = {evaluation.recall:.0%}",
        f"false merges (different joined):  {evaluation.false_merges}/{evaluation.different_pairs}",
        f"never compared (same event):      {evaluation.never_compared}/{evaluation.same_pairs}"
        " (not among the candidates: too few words shared, or numbers all different)",
    ]
    for label, same in (("missed, by kind", True), ("merged, by kind", False)):
        kinds = Counter(pair.kind for pair in evaluation.misses if pair.same == same)
        if kinds:
            lines.append(f"{label}: " + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))
    if show:
        for pair in evaluation.misses:
            verdict = "missed" if pair.same else "merged"
            lines.append(f"  {verdict} [{pair.kind}] {pair.first}  |  {pair.second}")
    return "\n".join(lines)
