"""The bench's smoke mode, end to end, so that the benchmark harness never rots.

Runs ``python -m bench --smoke`` (small data set, one round, a few pages per workload) as a
subprocess against its own local server (HTTPS, as by default) and checks that every run
completed and that ours and the floor fetched exactly the rows the bench expected; then a
short plain-HTTP run (``--no-tls``). Times are not asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # the bench is a package of the repository, not installed
from bench.cli import WORKLOAD_NAMES as WORKLOADS  # noqa: E402  (the workloads the bench declares)

#: The implementations every row count is checked for, per workload (the rest: ours+floor).
CHECKED = {
    "W5": {"ours"},
    "W7": {"ours", "ours-w8"},  # classic too when its venv exists
    "W8": {"ours-dask"},
    "W9": {"ours", "floor-orjson"},
    "W10": {"ours", "floor-mpl"},
    "W11": {"ours-store", "floor-parquet"},
    "W12": {"ours-store", "floor-parquet"},
    "W13": {"ours-store", "ours-store-kill"},
    "W15": {"ours-mes", "ours-loop"},
    "W16": {"ours", "floor-hist"},
    "W14": {"ours", "floor-searchsorted", "loop-dict"},
    "W17": {"ours", "floor"},
}


def test_bench_smoke_runs_every_workload_with_consistent_rows(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = completed.stdout[-4000:] + "\n" + completed.stderr[-4000:]
    assert completed.returncode == 0, output

    results = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert results["smoke"] is True
    assert results["rounds"] == 1
    assert results["errors"] == [], output
    # Every driver reached the server over TLS, trusting its throwaway CA.
    assert results["transport"] == "https"
    assert results["trust"] == "ca"
    assert results["tls_session"]["version"].startswith("TLS")
    assert set(results["workload_params"]) == set(WORKLOADS)

    for name in WORKLOADS:
        expected = results["workload_params"][name]["expected_rows"]
        assert expected > 0, name
        cells = results["workloads"][name]
        wanted = CHECKED.get(name, {"ours", "floor", "floor-orjson"})
        assert wanted <= set(cells), (name, sorted(cells))
        for impl in wanted:
            assert cells[impl]["rows"] == expected, (name, impl)
            assert cells[impl]["wall_s"] > 0
            assert cells[impl]["peak_rss_mb"] > 0
    assert "floor" not in results["workloads"]["W5"]
    assert results["workloads"]["W5"]["ours"]["first_item_rss_mb"] > 0

    # Multi-page workloads really paged (a list_all stuck on its first page would fail above,
    # but make the paging explicit).
    assert (
        results["workload_params"]["W1"]["filters"]["page_size"]
        < (results["workload_params"]["W1"]["expected_rows"])
    )

    statuses = {target["status"] for target in results["targets"]}
    assert statuses <= {"PASS", "FAIL", "N/A"}
    markdown = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert "| W1 | wall s |" in markdown
    assert "## Targets" in markdown
    assert "- transport: HTTPS on loopback" in markdown


def test_bench_smoke_over_plain_http(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--smoke",
            "--no-tls",
            "--only",
            "W3,W4",
            "--impl",
            "ours,floor",
            "--out",
            str(tmp_path),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = completed.stdout[-4000:] + "\n" + completed.stderr[-4000:]
    assert completed.returncode == 0, output
    results = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert results["errors"] == [], output
    assert results["transport"] == "http"
    assert results["trust"] is None and results["tls_session"] is None
    for name in ("W3", "W4"):
        expected = results["workload_params"][name]["expected_rows"]
        for impl in ("ours", "floor"):
            assert results["workloads"][name][impl]["rows"] == expected, (name, impl)
    markdown = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert "- transport: plain HTTP" in markdown
