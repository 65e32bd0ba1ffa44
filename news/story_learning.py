"""Learning the story matcher's decision from the labelled pairs (tests/data/stories/).

The matcher's facts of a pair (news.stories.pair_features: shared words each way, names,
places, numbers shared or set apart, opposite acts, leads, how alike the headlines are
written…) are weighed by boosted trees fitted here on every labelled set, and on the pairs of
headlines of two different pairs of a set that the matcher would judge (different events);
the trees are written out as Python comparisons to news/story_trees.py, which the matcher
runs.  numpy is needed here only, for training and measuring.  (A logistic regression, `fit`,
is kept for comparison: `akhbar stories-train --cv --logistic`.)

Measured honestly by leaving one set out: the trees are fitted on the other sets and their
threshold chosen on them, then the left-out set is judged once (cross_validate).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol

import numpy as np

from news.stories import CHEAP_FEATURES, FEATURES, WINDOW, StoryKey, StoryMatcher, pair_features, rules_same_event, story_key
from news.story_evaluation import _START, LabelledPair, load_pairs, rules_joins

# Strength of the L2 penalty on the standardized weights (the bias is not penalized).
L2 = 1.0
# Largest share of different-event pairs the threshold lets through, on scores of sets left out.
MERGE_RATE = 1 / 80
_NEWTON_STEPS = 50
_CROSS_GAP = timedelta(minutes=30)
# All the pairs of different pairs of the sets weigh as much, together, as this share of the
# labelled pairs.
CROSS_WEIGHT = 2.0
# Largest share of those pairs of different pairs the threshold lets through.
CROSS_RATE = 1 / 200
# Sets whose pairs repeat events across pairs (written before the writers were told not to):
# no pairs of different pairs taken from them.
NO_CROSS = frozenset({"dev", "holdout"})


@dataclass(frozen=True)
class Rows:
    """The labelled pairs of some sets as the model reads them."""

    features: np.ndarray  # one row of FEATURES per pair
    same: np.ndarray  # bool: labelled the same event
    found: np.ndarray  # bool: the matcher judges the pair at all (it finds the first headline)
    rules: np.ndarray  # bool: the hand-written rules join the pair
    sets: np.ndarray  # the index of each pair's set
    cross: np.ndarray  # bool: two headlines of two different pairs of a set (a different event)


def pair_row(pair: LabelledPair) -> tuple[list[float], bool]:
    """A pair's features (the second headline judged against the first, as ingestion judges
    it) and whether the matcher would judge them at all: the first is among the second's
    candidates, in the same script and within the window."""
    first, second = story_key(pair.first, pair.first_body), story_key(pair.second, pair.second_body)
    gap = timedelta(minutes=pair.minutes)
    matcher = StoryMatcher()
    matcher.add(1, 1, first, _START)
    found = 1 in matcher.candidates(second) and first.french is second.french and gap <= WINDOW
    return pair_features(second, first), found


def cross_pairs(pairs: Sequence[LabelledPair]) -> list[tuple[StoryKey, StoryKey]]:
    """Headlines of two different pairs of one set that the matcher would judge against each
    other (each among the other's candidates): different events, like most of what the
    matcher judges, and unlike the labelled pairs, which are hard by design.  (Every pair
    sharing two words instead, not only the candidates, was measured too: more of them merged
    when left out, 30 against 15 on the four sets never tuned on.)"""
    keys = [
        key for pair in pairs
        for key in (story_key(pair.first, pair.first_body), story_key(pair.second, pair.second_body))
    ]
    matcher = StoryMatcher()
    for number, key in enumerate(keys):
        matcher.add(number, number, key, _START)
    found = []
    for number, key in enumerate(keys):
        for other in matcher.candidates(key):
            if other // 2 != number // 2 and keys[other].french is key.french:
                found.append((key, keys[other]))
    return found


def rows(sets: Sequence[Sequence[LabelledPair]], crossed: Sequence[bool]) -> Rows:
    features, same, found, rules, index, cross = [], [], [], [], [], []
    for number, pairs in enumerate(sets):
        for pair in pairs:
            values, judged = pair_row(pair)
            features.append(values)
            same.append(pair.same)
            found.append(judged)
            rules.append(rules_joins(pair))
            index.append(number)
            cross.append(False)
        for new, old in cross_pairs(pairs) if crossed[number] else ():
            features.append(pair_features(new, old))
            same.append(False)
            found.append(True)
            rules.append(rules_same_event(new, old, _CROSS_GAP))
            index.append(number)
            cross.append(True)
    return Rows(
        np.array(features, dtype=float).reshape(-1, len(FEATURES)), np.array(same, dtype=bool),
        np.array(found, dtype=bool), np.array(rules, dtype=bool), np.array(index), np.array(cross, dtype=bool),
    )


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]  # one per feature, on the raw features
    bias: float  # the threshold folded in: a pair is one event when the score is ≥ 0

    def scores(self, features: np.ndarray) -> np.ndarray:
        scores: np.ndarray = features @ np.array(self.weights) + self.bias
        return scores


def fit(features: np.ndarray, same: np.ndarray, weight: np.ndarray, l2: float = L2) -> Model:
    """A logistic regression with an L2 penalty, fitted by Newton's method (deterministic)."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    x = np.hstack([np.ones((len(features), 1)), (features - mean) / scale])
    y = same.astype(float)
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(_NEWTON_STEPS):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (weight * (p - y)) + penalty * w
        hessian = (x.T * (weight * p * (1 - p))) @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    weights = w[1:] / scale
    return Model(tuple(float(v) for v in weights), float(w[0] - weights @ mean))


def threshold(scores: np.ndarray, same: np.ndarray, found: np.ndarray, rate: float = MERGE_RATE) -> float:
    """The lowest score at which at most `rate` of the different-event pairs are joined."""
    different = np.sort(scores[~same & found])[::-1]
    allowed = int(rate * int((~same).sum()))
    # Join strictly above the (allowed + 1)-th highest different pair's score.
    if allowed >= len(different):
        return float(-np.inf)
    return float(np.nextafter(different[allowed], np.inf))


def sample_weights(data: Rows, subset: np.ndarray) -> np.ndarray:
    """1 for a labelled pair; the pairs of different pairs of a set share CROSS_WEIGHT of the
    labelled pairs' weight."""
    labelled = int((subset & ~data.cross).sum())
    crossed = int((subset & data.cross).sum())
    return np.where(data.cross, CROSS_WEIGHT * labelled / max(crossed, 1), 1.0)


Fitter = Callable[[np.ndarray, np.ndarray, np.ndarray], "Scorer"]


class Scorer(Protocol):
    def scores(self, features: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class Shifted:
    """A scorer with its threshold subtracted: a pair is one event when its score is ≥ 0."""

    scorer: Scorer
    cut: float

    def scores(self, features: np.ndarray) -> np.ndarray:
        return self.scorer.scores(features) - self.cut


def train(data: Rows, subset: np.ndarray, fitter: Fitter | None = None, rate: float = MERGE_RATE) -> Shifted:
    """Fit on the pairs of `subset` (a mask), with the threshold chosen on the same pairs: the
    lowest score at which at most `rate` of its labelled different-event pairs are joined, and
    at most CROSS_RATE of its pairs of different pairs.

    (Choosing it on scores of sets left out in turn, each judged by a model fitted on the
    others, was measured too: those models, fitted on less, score on another scale, and the
    threshold came out far too high: holdout5 34/80 joined, 4/80 merged, against 48/80, 11/80.)"""
    judged = subset & data.found
    weight = sample_weights(data, subset)
    model = (fitter or fit_trees)(data.features[judged], data.same[judged], weight[judged])
    labelled, crossed = subset & ~data.cross, subset & data.cross
    scores = model.scores(data.features)
    cut = threshold(scores[labelled], data.same[labelled], data.found[labelled], rate)
    if crossed.any():
        cut = max(cut, threshold(scores[crossed], data.same[crossed], data.found[crossed], CROSS_RATE))
    return Shifted(model, cut)


@dataclass(frozen=True)
class Fold:
    name: str
    same_pairs: int
    different_pairs: int
    cross_pairs: int
    rules_joined: int
    rules_merged: int
    rules_cross: int
    learnt_joined: int
    learnt_merged: int
    learnt_cross: int


def joins(model: Scorer, data: Rows) -> np.ndarray:
    return data.found & (model.scores(data.features) >= 0)


def cross_validate(names: Sequence[str], data: Rows, fitter: Fitter | None = None, rate: float = MERGE_RATE) -> list[Fold]:
    """Each set judged by a model fitted (and thresholded) on all the others."""
    folds = []
    for number, name in enumerate(names):
        held = data.sets == number
        model = train(data, ~held, fitter, rate)
        joined = joins(model, data)
        labelled, crossed = held & ~data.cross, held & data.cross
        same, rules = data.same, data.rules
        folds.append(Fold(
            name, int((labelled & same).sum()), int((labelled & ~same).sum()), int(crossed.sum()),
            int((labelled & rules & same).sum()), int((labelled & rules & ~same).sum()), int((crossed & rules).sum()),
            int((labelled & joined & same).sum()), int((labelled & joined & ~same).sum()),
            int((crossed & joined).sum()),
        ))
    return folds


def load_sets(paths: Sequence[Path]) -> tuple[list[str], Rows]:
    names = [path.stem for path in paths]
    return names, rows([load_pairs(path) for path in paths], [name not in NO_CROSS for name in names])


Tree = tuple[int, float, "Tree", "Tree"] | float  # (feature, split, tree if ≤ split, if > split) or a leaf

# Boosted trees: the facts weigh differently together (a shared name counts when no place sets
# the two apart), which a weighted sum cannot say.
# Chosen by leaving each set out in turn (all sets, train6a/b included): 60 trees of depth 4 at
# 0.2 and 30 of depth 5 at 0.3 judged alike (the four sets never tuned on: 195/281 joined, 20/282
# merged, 16 pairs of other pairs merged, against 196, 22, 15), and the second costs the matcher
# 40% less (fewer comparisons per pair); 40 trees of depth 4 and 25 of depth 4 at 0.2 judged worse.
TREES = 30
DEPTH = 5
RATE = 0.3
LEAF_L2 = 1.0
MIN_HESSIAN = 1.0



@dataclass(frozen=True)
class Trees:
    trees: tuple[Tree, ...]
    base: float

    def scores(self, features: np.ndarray) -> np.ndarray:
        total = np.full(len(features), self.base)
        for tree in self.trees:
            total += _tree_values(tree, features)
        return total


def _tree_values(tree: Tree, features: np.ndarray) -> np.ndarray:
    if isinstance(tree, float):
        return np.full(len(features), tree)
    feature, split, low, high = tree
    below = features[:, feature] <= split
    values = np.empty(len(features))
    values[below] = _tree_values(low, features[below])
    values[~below] = _tree_values(high, features[~below])
    return values


def _grow(features: np.ndarray, g: np.ndarray, h: np.ndarray, depth: int) -> Tree:
    leaf = float(-g.sum() / (h.sum() + LEAF_L2))
    if depth == 0 or h.sum() < 2 * MIN_HESSIAN:
        return leaf
    best_gain, best = 1e-9, None
    total = g.sum() ** 2 / (h.sum() + LEAF_L2)
    for feature in range(features.shape[1]):
        column = features[:, feature]
        order = np.argsort(column, kind="stable")
        sorted_column = column[order]
        g_left, h_left = np.cumsum(g[order]), np.cumsum(h[order])
        # splits between distinct values only
        ends = np.nonzero(sorted_column[1:] != sorted_column[:-1])[0]
        if not len(ends):
            continue
        gl, hl = g_left[ends], h_left[ends]
        gr, hr = g_left[-1] - gl, h_left[-1] - hl
        ok = (hl >= MIN_HESSIAN) & (hr >= MIN_HESSIAN)
        gain = np.where(ok, gl**2 / (hl + LEAF_L2) + gr**2 / (hr + LEAF_L2) - total, -np.inf)
        at = int(np.argmax(gain))
        if gain[at] > best_gain:
            best_gain = float(gain[at])
            best = (feature, float((sorted_column[ends[at]] + sorted_column[ends[at] + 1]) / 2))
    if best is None:
        return leaf
    feature, split = best
    below = features[:, feature] <= split
    return (
        feature, split,
        _grow(features[below], g[below], h[below], depth - 1),
        _grow(features[~below], g[~below], h[~below], depth - 1),
    )


def _scaled(tree: Tree, factor: float) -> Tree:
    if isinstance(tree, float):
        return tree * factor
    feature, split, low, high = tree
    return feature, split, _scaled(low, factor), _scaled(high, factor)


def fit_trees(
    features: np.ndarray, same: np.ndarray, weight: np.ndarray,
    trees: int = TREES, depth: int = DEPTH, rate: float = RATE,
) -> Trees:
    """Gradient-boosted trees on the log loss (second order, as XGBoost), deterministic."""
    y = same.astype(float)
    prior = float(np.clip((weight * y).sum() / weight.sum(), 1e-6, 1 - 1e-6))
    base = float(np.log(prior / (1 - prior)))
    score = np.full(len(y), base)
    grown: list[Tree] = []
    for _ in range(trees):
        p = 1 / (1 + np.exp(-score))
        tree = _scaled(_grow(features, weight * (p - y), weight * p * (1 - p), depth), rate)
        grown.append(tree)
        score += _tree_values(tree, features)
    return Trees(tuple(grown), base)


def _rounded(tree: Tree) -> Tree:
    if isinstance(tree, float):
        return float(f"{tree:.6g}")
    feature, split, low, high = tree
    return feature, float(f"{split:.6g}"), _rounded(low), _rounded(high)


def _unpacked(count: int) -> list[str]:
    names = [f"f{number}" for number in range(count)]
    lines = ["    ("]
    for start in range(0, count, 12):
        lines.append("        " + ", ".join(names[start : start + 12]) + ",")
    return [*lines, "    ) = features"]


def _highest(tree: Tree) -> float:
    if isinstance(tree, float):
        return tree
    return max(_highest(tree[2]), _highest(tree[3]))


def _lines(tree: Tree, indent: str, total: str = "score") -> list[str]:
    if isinstance(tree, float):
        return [f"{indent}{total} += {tree!r}"]
    feature, split, low, high = tree
    return [
        f"{indent}if f{feature} <= {split!r}:  # {FEATURES[feature]}",
        *_lines(low, indent + "    ", total),
        f"{indent}else:",
        *_lines(high, indent + "    ", total),
    ]


def _decided(tree: Tree, below: dict[int, float], above: dict[int, float]) -> Tree:
    """`tree` without the comparisons that features known to lie above[f] < f <= below[f]
    decide."""
    while not isinstance(tree, float):
        feature, split, low, high = tree
        if feature in below and below[feature] <= split:
            tree = low
        elif feature in above and above[feature] >= split:
            tree = high
        else:
            break
    return tree


def _split(
    tree: tuple[int, float, Tree, Tree], below: dict[int, float], above: dict[int, float],
    side: Callable[[Tree, dict[int, float], dict[int, float]], Tree],
) -> Tree:
    """A comparison whose two sides are `side` of tree's two sides, each knowing which way the
    comparison went (one leaf when both are the same leaf)."""
    feature, split, low, high = tree
    was_below, was_above = below.get(feature), above.get(feature)
    below[feature] = split if was_below is None else min(was_below, split)
    low = side(low, below, above)
    _restore(below, feature, was_below)
    above[feature] = split if was_above is None else max(was_above, split)
    high = side(high, below, above)
    _restore(above, feature, was_above)
    return low if isinstance(low, float) and low == high else (feature, split, low, high)


def _restore(bounds: dict[int, float], feature: int, value: float | None) -> None:
    if value is None:
        del bounds[feature]
    else:
        bounds[feature] = value


def _highest_of_both(one: Tree, other: Tree, below: dict[int, float], above: dict[int, float]) -> Tree:
    """A tree over the same features giving, wherever they lie, the higher leaf of the two."""
    one, other = _decided(one, below, above), _decided(other, below, above)
    if isinstance(one, float) and isinstance(other, float):
        return max(one, other)
    if isinstance(one, float):
        one, other = other, one
    return _split(one, below, above, lambda side, b, a: _highest_of_both(side, other, b, a))  # type: ignore[arg-type]


def _bound_tree(tree: Tree, known: frozenset[int], below: dict[int, float], above: dict[int, float]) -> Tree:
    """A tree comparing only the `known` features whose leaf, wherever they lie, is the highest
    leaf of `tree` that features lying there can reach (whatever the others are)."""
    tree = _decided(tree, below, above)
    if isinstance(tree, float):
        return tree
    feature, _, low, high = tree
    if feature in known:
        return _split(tree, below, above, lambda side, b, a: _bound_tree(side, known, b, a))
    return _highest_of_both(_bound_tree(low, known, below, above), _bound_tree(high, known, below, above), below, above)


def trees_module(model: Shifted, names: Sequence[str], data: Rows) -> str:
    """news/story_trees.py's text for a model fitted on every set: the trees written out as
    Python's own comparisons (several times faster than walking them as data)."""
    if not isinstance(model.scorer, Trees):
        raise TypeError("only trees are written")
    labelled = ~data.cross
    lines = [
        '"""The story matcher\'s learnt decision: boosted trees over news.stories.FEATURES, written out',
        "as comparisons; each leaf adds to the score, which starts at BASE (the threshold folded in):",
        "a pair is one event when the score is ≥ 0.",
        "",
        "Written by `akhbar stories-train` (news.story_learning) from tests/data/stories/:",
        f"{', '.join(names)};",
        f"{int(labelled.sum())} labelled pairs ({int((labelled & data.same).sum())} same, "
        f"{int((labelled & ~data.same).sum())} different) and {int(data.cross.sum())} pairs of headlines of "
        f"different pairs. {TREES} trees of depth {DEPTH}.",
        'Not edited by hand: `akhbar stories-train` writes it again, `--check` compares."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Sequence",
        "",
        f"BASE = {float(f'{model.scorer.base - model.cut:.6g}')!r}",
        "# The highest score any pair can reach (news.stories lowers scores by up to this much as",
        "# the hours between two headlines grow: the labelled pairs are all a few hours apart at most).",
        f"HIGHEST = {float(f'{model.scorer.base - model.cut + sum(_highest(tree) for tree in model.scorer.trees):.6g}')!r}",
        "",
        "",
        "def learnt_score(features: Sequence[float]) -> float:",
        '    """The trees\' score of one pair\'s features (news.stories.pair_features)."""',
        "    # each feature in a local variable: read faster than features[i]",
        *_unpacked(len(FEATURES)),
        "    score = BASE",
    ]
    trees = [_rounded(tree) for tree in model.scorer.trees]
    for tree in trees:
        lines += _lines(tree, "    ")
    cheap = [FEATURES.index(name) for name in CHEAP_FEATURES]
    known = frozenset(cheap)
    lines += [
        "    return score",
        "",
        "",
        "def learnt_bound(features: Sequence[float]) -> float:",
        '    """At least learnt_score of any pair whose news.stories.CHEAP_FEATURES are these',
        "    (news.stories.cheap_features): each tree's highest leaf that they leave within reach, added",
        '    in the same order (so never less, rounding included)."""',
        "    (",
        *(f"        {', '.join(f'f{index}' for index in cheap[start : start + 12])}," for start in range(0, len(cheap), 12)),
        "    ) = features",
        "    bound = BASE",
    ]
    for tree in trees:
        lines += _lines(_bound_tree(tree, known, {}, {}), "    ", "bound")
    lines.append("    return bound")
    return "\n".join(lines) + "\n"


# Sets that measure the shipped trees and are not trained on: holdout6, holdout7, holdout8 and
# holdout9 were read, blind, to score these very trees (tests/data/stories/README.md); trained on, they
# would score themselves.  train7a/b (written on 6 December, evening) and train9a/b (7 December)
# are not trained on until the trees are retrained with them: the shipped trees must stay what
# training writes (stories-train --check).  Retrained with them (docs/stories-lab.md, 7 Dec), the
# trees kept neither the floors of tests/test_stories.py nor some of its pairs: not shipped.
# xl_dev and xl_holdout (French against Arabic, 7 December, evening) wait for cross-language joining:
# xl_dev is for tuning it, xl_holdout is held out and never trained on.
NOT_TRAINED_ON = frozenset({
    "holdout6.jsonl", "holdout7.jsonl", "holdout8.jsonl", "holdout9.jsonl",
    "train7a.jsonl", "train7b.jsonl", "train9a.jsonl", "train9b.jsonl",
    "xl_dev.jsonl", "xl_holdout.jsonl",
})


def default_paths(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.jsonl") if path.name not in NOT_TRAINED_ON)


def shipped_module(directory: Path) -> str:
    """Train on every set of `directory`, return news/story_trees.py's text."""
    names, data = load_sets(default_paths(directory))
    return trees_module(train(data, np.ones(len(data.same), dtype=bool)), names, data)


def cv_table(directory: Path, logistic: bool = False) -> str:
    """Each set judged by the learnt decision fitted on the others, beside the rules (with
    `logistic`, a logistic regression instead of the trees)."""
    names, data = load_sets(default_paths(directory))
    lines = [
        "| set (held out) | same | different | rules joined | rules merged | learnt joined | learnt merged "
        "| pairs of other pairs | rules merged | learnt merged |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for fold in cross_validate(names, data, fit if logistic else None):
        lines.append(
            f"| {fold.name} | {fold.same_pairs} | {fold.different_pairs} | {fold.rules_joined} | {fold.rules_merged} "
            f"| {fold.learnt_joined} | {fold.learnt_merged} | {fold.cross_pairs} | {fold.rules_cross} | {fold.learnt_cross} |"
        )
    return "\n".join(lines)
