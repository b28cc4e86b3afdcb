"""Bench driver of W14: ``mask(runs, lumis)`` on random pairs against a golden JSON.

``ours``: ``cmsdials.lumi.LumiMask(golden)(runs, lumis)``. ``floor-searchsorted``: numpy
alone, ``np.searchsorted`` over the ranges' sorted bounds keyed by ``run << 20 | ls``
(made before the measured span, as the mask is). ``loop-dict``: the dict-of-ranges loop of
users' code (dialstools' ``injson``: ``str(run)`` in the dict, then each range), over
Python lists. The data is made from the spec's seed before the measured span
(``_lumi_data``); the checksum is the number of pairs inside.
"""

from __future__ import annotations

import time

SETUP_STARTED = time.perf_counter()

import sys  # noqa: E402
from typing import Any  # noqa: E402

import _lumi_data  # noqa: E402
import numpy  # noqa: E402
from _measure import Observation, load_spec, package_versions, run_measured  # noqa: E402


def injson(run: int, ls: int, golden: dict[str, list[list[int]]]) -> bool:
    """Whether (run, ls) is in a golden JSON dict, as users' analysis code asks it."""
    ranges = golden.get(str(run))
    if ranges is None:
        return False
    for first, last in ranges:
        if first <= ls <= last:
            return True
    return False


def main() -> None:
    spec = load_spec(sys.argv)
    impl = spec["impl"]
    setup = spec["filters"]
    golden = _lumi_data.golden_json(setup["runs"], setup["seed"])
    runs, lumis = _lumi_data.pairs(golden, setup["pairs"], setup["seed"])
    versions = package_versions(["numpy"])

    if impl == "ours":
        from cmsdials.lumi import LumiMask

        mask = LumiMask(golden)
        versions = package_versions(["cmsdials", "numpy"])

        def workload(_: Observation) -> Any:
            return mask(runs, lumis)

    elif impl == "floor-searchsorted":
        bounds = _lumi_data.sorted_bounds(golden)

        def workload(_: Observation) -> Any:
            keys = (runs << 20) | lumis
            return (numpy.searchsorted(bounds, keys, side="right") & 1).astype(bool)

    elif impl == "loop-dict":
        run_list, ls_list = runs.tolist(), lumis.tolist()

        def workload(_: Observation) -> Any:
            return [injson(run, ls, golden) for run, ls in zip(run_list, ls_list, strict=True)]

    else:
        raise SystemExit(f"lumi: no implementation {impl!r} of W14")

    def summary(inside: Any) -> tuple[int, int]:
        return len(inside), int(sum(inside) if isinstance(inside, list) else inside.sum())

    run_measured(spec, impl, workload, summary, versions, SETUP_STARTED)


if __name__ == "__main__":
    main()
