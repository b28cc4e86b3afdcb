"""What every bench driver shares: reading its spec, measuring one workload, reporting it.

Standard library only: the classic drivers import this module from inside the classic
client's own virtual environment, where nothing of this repository is installed.

A driver is started as ``python <driver>.py <spec.json>``; it runs exactly one workload once
and prints one line ``BENCH_RESULT {json}`` on stdout (anything else it prints is ignored).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, TypeVar

RESULT_PREFIX = "BENCH_RESULT "

T = TypeVar("T")


def load_spec(argv: list[str]) -> dict[str, Any]:
    """The workload spec written by the orchestrator (path given as the only argument)."""
    if len(argv) != 2:
        raise SystemExit(f"usage: {argv[0]} SPEC.json")
    with open(argv[1], encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    return spec


def _proc_status_kb(name: str) -> int | None:
    """A ``kB`` field of /proc/self/status (``VmRSS``, ``VmHWM``), or None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def current_rss_mb() -> float:
    """Resident set size now (VmRSS), in MiB; falls back to the peak where /proc is absent."""
    kb = _proc_status_kb("VmRSS")
    if kb is None:
        return ru_maxrss_mb()
    return kb / 1024.0


def ru_maxrss_mb() -> float:
    """``getrusage(RUSAGE_SELF).ru_maxrss`` in MiB (Linux reports KiB, macOS bytes)."""
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value / (1024.0 * 1024.0) if sys.platform == "darwin" else value / 1024.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB.

    VmHWM is the high-water mark of this process's own address space. ``ru_maxrss`` can
    carry the parent's high-water mark across ``vfork`` + ``exec`` (the kernel folds the
    old address space's peak into the signal struct at exec), so it is only the fallback.
    """
    kb = _proc_status_kb("VmHWM")
    if kb is None:
        return ru_maxrss_mb()
    return kb / 1024.0


def cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def package_versions(names: Iterable[str]) -> dict[str, str]:
    """Installed versions of the named distributions (those not installed are left out)."""
    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def summarize_rows(rows: Iterable[Any], checksum_field: str) -> tuple[int, int]:
    """Row count and the sum of one integer field, over model objects or plain dicts."""
    count = 0
    total = 0
    for row in rows:
        count += 1
        value = row[checksum_field] if isinstance(row, dict) else getattr(row, checksum_field)
        total += int(value)
    return count, total


@dataclass
class Observation:
    """Side measurements a workload may take while it runs (W5: RSS at the first item)."""

    first_item_rss_mb: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def run_measured(
    spec: dict[str, Any],
    impl: str,
    workload: Callable[[Observation], T],
    summarize: Callable[[T], tuple[int, int]],
    versions: dict[str, str],
    setup_started: float,
) -> None:
    """Run ``workload`` once, measure it, summarize its result, print the result line.

    Wall and CPU time cover the workload call only; the row count and checksum are taken
    afterwards, outside the measured span, so that checking a result costs it nothing.
    """
    observation = Observation()
    setup_s = time.perf_counter() - setup_started
    base_rss = current_rss_mb()
    cpu0 = cpu_seconds()
    wall0 = time.perf_counter()
    result = workload(observation)
    wall = time.perf_counter() - wall0
    cpu = cpu_seconds() - cpu0
    peak = peak_rss_mb()
    end_rss = current_rss_mb()
    rows, checksum = summarize(result)
    report: dict[str, Any] = {
        "impl": impl,
        "workload": spec["name"],
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mb": peak,
        "ru_maxrss_mb": ru_maxrss_mb(),
        "base_rss_mb": base_rss,
        "end_rss_mb": end_rss,
        "setup_s": setup_s,
        "rows": rows,
        "checksum": checksum,
        "pid": os.getpid(),
        "versions": versions,
    }
    if observation.first_item_rss_mb is not None:
        report["first_item_rss_mb"] = observation.first_item_rss_mb
    report.update(observation.extra)
    sys.stdout.write(RESULT_PREFIX + json.dumps(report) + "\n")
    sys.stdout.flush()


def as_one_run(rows: list[dict[str, Any]]) -> None:
    """W10: renumber histogram rows (wire dicts) as lumisections 1..n of the first row's run
    and dataset, in place (the local data has no run of 2,000 lumisections)."""
    if not rows:
        return
    first = rows[0]
    same = {k: first[k] for k in ("dataset", "dataset_id", "run_number") if k in first}
    for number, row in enumerate(rows, start=1):
        row.update(same)
        row["ls_number"] = number
