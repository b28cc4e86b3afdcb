"""``dials pull``: into the store, resumable, sharded; killed or interrupted, run again, exact."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cmsdials import Dials
from cmsdials.testing import DialsServer

from .conftest import Run, run_dials, start

pytest.importorskip("pyarrow")

# Five MEs of the tracker workspace in two runs: ten partitions (ME x run), 870 rows.
SELECTION = ["--me-regex", "PXBarrel", "--runs", "360392-360393"]
FILTERS = {"me__regex": "PXBarrel", "run_number__gte": 360392, "run_number__lte": 360393}
PARTS = 10


def keys(frame: object) -> list[tuple[int, ...]]:
    """The rows as sorted (dataset, run, lumisection, ME, entries) tuples."""
    columns = ["dataset_id", "run_number", "ls_number", "me_id", "entries"]
    return sorted(map(tuple, frame[columns].itertuples(index=False)))  # type: ignore[index]


def assert_exact(store: Path, lib: Dials, srv: DialsServer) -> None:
    """The store holds exactly the rows of ``list_all`` (read back with no request)."""
    srv.clear_requests()
    stored = lib.h1d.store(FILTERS, store, enable_progress=False)
    assert stored.complete and stored.stats is not None and stored.stats.requests == 0
    assert [r.path for r in srv.requests] == []
    want = lib.h1d.list_all(FILTERS, enable_progress=False).to_pandas()
    assert keys(stored.to_pandas()) == keys(want)


def test_pull_twice_the_second_makes_no_request(
    dials: Run, srv: DialsServer, lib: Dials, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    first = dials("pull", "h1d", *SELECTION, "-o", str(store), "--workers", "2")
    assert first.stdout == ""
    assert f"complete ({PARTS} partitions)" in first.stderr
    assert any(r.path.startswith("/api/v1/th1/") for r in srv.requests)
    srv.clear_requests()
    second = dials("pull", "h1d", *SELECTION, "-o", str(store))
    assert srv.requests == []  # neither DIALS nor Keycloak: the token is never asked for
    assert f"0 partitions fetched, {PARTS} already there" in second.stderr
    assert_exact(store, lib, srv)


def interrupt(
    env: dict[str, str], srv: DialsServer, store: Path, how: signal.Signals, me_id: int
) -> subprocess.CompletedProcess[str]:
    """A pull stopped by ``how`` while the first request of ME ``me_id``'s partitions hangs
    (the partitions before it are stored by then)."""
    srv.faults.inject(
        "stall", count=1, route="th1/", query=rf"me_id={me_id}(&|$)", stall_seconds=60
    )
    proc = start(["pull", "h1d", *SELECTION, "-o", str(store)], env, store.parent)
    try:
        wait_for(srv, rf"me_id={me_id}")
        proc.send_signal(how)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    srv.faults.clear()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_sigkill_then_again_is_exact(
    env: dict[str, str], srv: DialsServer, lib: Dials, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    interrupt(env, srv, store, signal.SIGKILL, me_id=3)
    again = run_dials(["pull", "h1d", *SELECTION, "-o", str(store)], env, cwd=tmp_path)
    counts = re.search(r"(\d+) partitions fetched, (\d+) already there", again.stderr)
    assert counts is not None, again.stderr
    fetched, already = map(int, counts.groups())
    assert already >= 2 and fetched + already == PARTS
    assert_exact(store, lib, srv)


def test_ctrl_c_exits_130_and_the_store_resumes(
    env: dict[str, str], srv: DialsServer, lib: Dials, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    stopped = interrupt(env, srv, store, signal.SIGINT, me_id=2)
    assert stopped.returncode == 130
    assert "Traceback" not in stopped.stderr and "Interrupted" in stopped.stderr
    run_dials(["pull", "h1d", *SELECTION, "-o", str(store)], env, cwd=tmp_path)
    assert_exact(store, lib, srv)


def test_shards_fill_one_store(dials: Run, srv: DialsServer, lib: Dials, tmp_path: Path) -> None:
    store = tmp_path / "store"
    held = []
    for job in range(3):
        done = dials("pull", "h1d", *SELECTION, "-o", str(store), "--shard", f"{job}/3")
        found = re.search(rf"the store holds (\d+) of the pull's {PARTS} partitions", done.stderr)
        assert found, done.stderr
        held.append(int(found.group(1)))
    assert held == sorted(held) and held[-1] == PARTS
    assert_exact(store, lib, srv)
    dials("pull", "h1d", *SELECTION, "-o", str(store), "--shard", "3/3", code=2)
    dials("pull", "h1d", *SELECTION, "-o", str(store), "--shard", "x", code=2)


def test_a_failed_pull_exits_1_and_continues(
    dials: Run, srv: DialsServer, lib: Dials, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    srv.faults.inject("status", count=1, route="th1/", query=r"me_id=4(&|$)", status=500)
    failed = dials("pull", "h1d", *SELECTION, "-o", str(store), code=1)
    assert len(failed.stderr.strip().splitlines()) <= 2  # the store's summary, the error
    dials("pull", "h1d", *SELECTION, "-o", str(store))
    assert_exact(store, lib, srv)


def wait_for(srv: DialsServer, query: str, timeout: float = 60) -> None:
    """Until the server has received a th1 request whose query matches ``query``."""
    end = time.monotonic() + timeout
    pattern = re.compile(query)
    while time.monotonic() < end:
        for r in list(srv.requests):
            text = "&".join(f"{k}={v}" for k, vs in r.query.items() for v in vs)
            if r.path == "/api/v1/th1/" and pattern.search(text):
                return
        time.sleep(0.05)
    raise AssertionError(f"no th1 request matching {query}")
