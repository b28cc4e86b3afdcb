"""Bench driver of W17: the start-up of the ``dials`` command line.

The measured span is one child process, started and waited for: ``dials --help`` (the
console script installed beside this interpreter) for ``ours``, ``python -c "import
cmsdials"`` for ``floor``. Both children run ``python -E -s`` like every driver; wall time
is the child's, CPU time its user + system time and peak RSS its high-water mark
(``RUSAGE_CHILDREN``; they replace the driver's own in the result line).
"""

from __future__ import annotations

import time

SETUP_STARTED = time.perf_counter()

import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from _measure import Observation, load_spec, package_versions, run_measured  # noqa: E402


def child_command(impl: str) -> list[str]:
    python = [sys.executable, "-E", "-s"]
    if impl == "ours":
        return [*python, os.path.join(os.path.dirname(sys.executable), "dials"), "--help"]
    return [*python, "-c", "import cmsdials"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def children_peak_rss_mb() -> float:
    """The largest high-water mark of the waited-for children, in MiB (Linux: KiB)."""
    value = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return value / (1024.0 * 1024.0) if sys.platform == "darwin" else value / 1024.0


def main() -> None:
    spec = load_spec(sys.argv)
    impl: str = spec["impl"]
    command = child_command(impl)

    def workload(observation: Observation) -> int:
        cpu0 = children_cpu()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        observation.extra["cpu_s"] = children_cpu() - cpu0
        observation.extra["peak_rss_mb"] = children_peak_rss_mb()
        if done.returncode != 0:
            raise SystemExit(f"{command} exited {done.returncode}: {done.stderr[-300:]!r}")
        return done.returncode

    def summary(status: Any) -> tuple[int, int]:
        return 1, int(status)

    run_measured(
        spec, impl, workload, summary, package_versions(["cmsdials", "click"]), SETUP_STARTED
    )


if __name__ == "__main__":
    main()
