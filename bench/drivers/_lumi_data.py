"""W14's data, made the same way by the orchestrator and by every driver: a golden JSON of
``runs`` runs and ``pairs`` random (run, lumisection) pairs, from a seed (numpy only).

The golden JSON looks like a real one: run numbers rising with gaps (so a third of the
pairs ask for runs it lacks), each run's good lumisections in one to five ranges, every
50th run holding a single lumisection. The pairs ask for runs from a little below the
first run to a little above the last, and lumisections 1..1,600 (runs have up to 1,500).
"""

from __future__ import annotations

from typing import Any

import numpy

#: The longest run of the golden JSON, in lumisections; pairs ask up to LS_ASKED.
LONGEST_RUN = 1500
LS_ASKED = 1600
FIRST_RUN = 355100


def golden_json(runs: int, seed: int) -> dict[str, list[list[int]]]:
    """``{"run": [[first, last], ...]}``, runs and ranges sorted; some ranges touch, as in
    files written by hand."""
    rng = numpy.random.default_rng(seed)
    numbers = FIRST_RUN + numpy.cumsum(rng.integers(1, 4, size=runs))
    golden: dict[str, list[list[int]]] = {}
    for index, run in enumerate(numbers.tolist()):
        if index % 50 == 0:
            golden[str(run)] = [[1, 1]]
            continue
        length = int(rng.integers(20, LONGEST_RUN + 1))
        pieces = int(rng.integers(1, 6))
        cuts = numpy.sort(rng.choice(numpy.arange(2, length), size=2 * pieces - 1, replace=False))
        edges = [1, *cuts.tolist(), length]
        ranges = [[edges[i], edges[i + 1]] for i in range(0, len(edges) - 1, 2)]
        golden[str(run)] = [[first, last] for first, last in ranges if first <= last]
    return golden


def pairs(golden: dict[str, list[list[int]]], count: int, seed: int) -> tuple[Any, Any]:
    """``count`` random (run, lumisection) pairs as two int64 arrays."""
    rng = numpy.random.default_rng(seed + 1)
    numbers = [int(run) for run in golden]
    runs = rng.integers(min(numbers) - 50, max(numbers) + 51, size=count, dtype=numpy.int64)
    lumis = rng.integers(1, LS_ASKED + 1, size=count, dtype=numpy.int64)
    return runs, lumis


def reference_count(golden: dict[str, list[list[int]]], runs: Any, lumis: Any) -> int:
    """How many pairs the golden JSON holds, by a dense run x lumisection table (another
    algorithm than the searchsorted ones it checks)."""
    numbers = sorted(int(run) for run in golden)
    base = numbers[0] - 100
    table = numpy.zeros((numbers[-1] - base + 101, LS_ASKED + 1), dtype=bool)
    for run, ranges in golden.items():
        for first, last in ranges:
            table[int(run) - base, first : last + 1] = True
    return int(table[runs - base, lumis].sum())


def sorted_bounds(golden: dict[str, list[list[int]]]) -> Any:
    """The floor's input: the ranges' half-open bounds keyed by ``run << 20 | ls``, sorted."""
    bounds = [
        key
        for run, ranges in golden.items()
        for first, last in ranges
        for key in ((int(run) << 20) | first, ((int(run) << 20) | last) + 1)
    ]
    return numpy.sort(numpy.array(bounds, dtype=numpy.int64))
