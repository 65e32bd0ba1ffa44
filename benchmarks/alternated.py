"""A cost measured against its absence, in one run: rounds alternated (without, with; then
with, without; …) so that the machine's drift — other jobs starting, caches warming — falls
on both sides.  The figure is the median of the pairwise ratios (each round's two runs are
neighbours in time, so a load that comes and goes moves both); each side's median is printed
too.  CPU time, not wall time: a rate-limited broadcast takes as long either way."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Iterator
from typing import TypeVar

Side = TypeVar("Side")


def alternate(rounds: int, first: Side, second: Side) -> Iterator[tuple[int, Side]]:
    """(round, side) in the alternated order: first, second; then second, first; …"""
    for number in range(rounds):
        for side in (first, second) if number % 2 == 0 else (second, first):
            yield number, side


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as the benchmarks print them before and after."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def compare(rounds: int, run: Callable[[bool], float], unit: str, target: float = 0.03) -> float:
    """`run(with_it)` returns CPU seconds per `unit`; prints each side's median and the
    pairwise ratios, and returns the median pairwise ratio less one (+0.02: 2% more)."""
    cpu: dict[bool, list[float]] = {False: [], True: []}
    for _, with_it in alternate(rounds, False, True):
        cpu[with_it].append(run(with_it))
    without, with_ = statistics.median(cpu[False]), statistics.median(cpu[True])
    pairs = sorted(w / wo - 1 for w, wo in zip(cpu[True], cpu[False], strict=True))
    paired = statistics.median(pairs)
    print(f"CPU per {unit} over {rounds} pairs: median {without * 1e6:.0f} µs without, {with_ * 1e6:.0f} µs with; "
          f"median of the pairwise differences {paired:+.1%} (target < +{target:.0%}); "
          f"each pair: {', '.join(f'{p:+.1%}' for p in pairs)}")
    return paired
