"""The on-disk store (issue 18): real files, real processes, the local DIALS.

Selections of the small data set (seed 0): dataset 14412045 has runs 360392,
360393, 360400, 360428 (complete: ls_completeness 1) and 360429, 360431, 360433
(still being ingested: ls_completeness < 1); five 1D monitoring elements match
``PXBarrel``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

import cmsdials.store
from cmsdials import Dials
from cmsdials.exceptions import ServerError, StoreError
from cmsdials.store import layout
from cmsdials.testing import DialsServer

from .helpers import api_requests

DATASET = 14412045
#: Four complete runs x five 1D MEs = 20 partitions, two pages each (page_size=50).
COMPLETE = {
    "me__regex": "PXBarrel",
    "dataset_id": DATASET,
    "run_number__lte": 360428,
    "page_size": 50,
}
KEYS = ("dataset_id", "run_number", "ls_number", "me_id")
CHILD = Path(__file__).with_name("store_child.py")


def keys_of_rows(rows: list[Any]) -> list[tuple[int, ...]]:
    return [tuple((r if isinstance(r, dict) else r.__dict__)[k] for k in KEYS) for r in rows]


def raw_keys(path: Path) -> list[tuple[int, ...]]:
    """The keys of every row a reader without cmsdials sees in the folder."""
    dataset = ds.dataset(str(path))
    if not dataset.files:
        return []
    table = dataset.to_table(columns=list(KEYS))
    return [tuple(r[k] for k in KEYS) for r in table.to_pylist()]


def assert_exact(dials: Dials, filters: dict[str, Any], path: Path) -> None:
    expected = dials.h1d.list_all(filters, enable_progress=False)
    pulls = [p for p in cmsdials.store.open(path).pulls() if p.filters == _norm(filters)]
    assert len(pulls) == 1
    pull = pulls[0]
    assert pull.complete
    page = pull.to_page()
    assert keys_of_rows(page.results) == keys_of_rows(expected.results)  # order too
    assert page.results == expected.results
    raw = raw_keys(path)
    assert len(raw) == len(set(raw))  # no row twice, even for a reader without cmsdials


def _norm(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(filters.items()) if k != "page_size"}


@pytest.fixture
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="cmsdials-store-"))
    path.chmod(0o755)
    yield path / "store"
    subprocess.run(["chmod", "-R", "u+rwX", str(path)], check=False)
    subprocess.run(["rm", "-rf", str(path)], check=False)


def child(srv: DialsServer, spec: dict[str, Any]) -> subprocess.Popen[str]:
    env = {**os.environ, "DIALS_URL": srv.base_url, "DIALS_SECRET": srv.secret}
    spec = {"group": "h1d", **spec}
    return subprocess.Popen(
        [sys.executable, str(CHILD), json.dumps(spec, default=str)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=120)
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the child printed no result (exit {proc.returncode}):\n{err[-3000:]}"
    value: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
    return value


# -- exact, resumable, no request the second time ---------------------------------


def test_store_is_exact_and_a_second_run_makes_no_request(
    dials: Dials, srv: DialsServer, folder: Path
) -> None:
    pull = dials.h1d.store(COMPLETE, folder, enable_progress=False)
    assert pull.complete and pull.stats is not None
    assert pull.stats.planned == pull.stats.fetched == 20
    assert pull.stats.rows == pull.rows > 0
    assert pull.stats.requests == len(api_requests(srv)) and pull.stats.bytes > 0
    assert_exact(dials, COMPLETE, folder)
    srv.clear_requests()
    again = dials.h1d.store(COMPLETE, folder, workers=4, enable_progress=False)
    assert api_requests(srv) == []
    assert again.stats is not None and again.stats.requests == 0
    assert again.stats.already == 20 and again.stats.fetched == 0
    # Everything that is not data starts with _ or .
    for file in layout.walk_files(folder):
        rel = file.relative_to(folder)
        if file.suffix != ".parquet":
            assert any(part[0] in "_." for part in rel.parts), rel


def test_files_say_what_they_hold_and_have_the_spec_columns(
    dials: Dials, srv: DialsServer, folder: Path
) -> None:
    import pyarrow.parquet as pq

    # A run with no row of this ME still gets a file with every column of the spec.
    filters = {"me_id": 1, "dataset_id": DATASET, "run_number": 360392, "ls_number__gte": 10**6}
    pull = dials.h1d.store(filters, folder, enable_progress=False)
    (file,) = pull.files()
    table = pq.read_table(file)
    assert table.num_rows == 0
    import pyarrow as pa

    assert table.schema.field("data").type.equals(pa.list_(pa.float64()))
    assert table.schema.field("x_bin").type == pa.int64()
    meta = {k.decode(): v.decode() for k, v in table.schema.metadata.items()}
    assert meta["cmsdials.group"] == "h1d"
    assert meta["cmsdials.format"] == str(layout.FORMAT_VERSION)
    assert json.loads(meta["cmsdials.filters"])["me_id"] == 1
    assert meta["cmsdials.version"] == cmsdials.__version__


def test_a_field_the_server_adds_is_kept(dials: Dials, srv: DialsServer, folder: Path) -> None:
    srv.tweak_rows(route=r"/th1/", add={"quality": "GOOD"})
    pull = dials.h1d.store({**COMPLETE, "me_id": 1}, folder, enable_progress=False)
    frame = pull.to_pandas()
    assert set(frame["quality"]) == {"GOOD"}
    assert list(frame.columns)[-1] == "quality"


def test_a_value_of_another_type_is_kept_as_sent(
    dials: Dials, srv: DialsServer, folder: Path
) -> None:
    srv.tweak_rows(route=r"/th1/", retype={"x_bin": "100"})
    filters = {**COMPLETE, "me_id": 1}
    pull = dials.h1d.store(filters, folder, enable_progress=False)
    assert pull.to_arrow().schema.field("x_bin").type == "string"
    assert pull.to_page() == dials.h1d.list_all(filters, enable_progress=False)


def test_widening_fetches_only_what_is_new(dials: Dials, srv: DialsServer, folder: Path) -> None:
    narrow = {
        "me": "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1",
        "dataset_id": DATASET,
        "run_number__lte": 360393,
    }
    first = dials.h1d.store(narrow, folder, enable_progress=False)
    assert first.stats is not None and first.stats.fetched == 2
    longer = {**narrow, "run_number__lte": 360428}
    second = dials.h1d.store(longer, folder, enable_progress=False)
    assert second.stats is not None
    assert (second.stats.already, second.stats.fetched) == (2, 2)
    more_mes = {**longer, "me": None, "me__regex": "PXBarrel/charge_PXLayer_[12]"}
    del more_mes["me"]
    third = dials.h1d.store(more_mes, folder, enable_progress=False)
    assert third.stats is not None and (third.stats.already, third.stats.fetched) == (4, 4)
    assert_exact(dials, more_mes, folder)
    assert len(cmsdials.store.open(folder).pulls()) == 3


def test_to_numpy_and_to_arrow_read_back_as_list_all(dials: Dials, folder: Path) -> None:
    import numpy as np

    filters = {"me_id": 1, "dataset_id": DATASET, "run_number__lte": 360428}
    pull = dials.h1d.store(filters, folder, enable_progress=False)
    got = cmsdials.store.open(folder).pulls()[0].to_numpy()
    want = dials.h1d.list_all(filters, enable_progress=False).to_numpy()
    np.testing.assert_array_equal(got.values, want.values)
    np.testing.assert_array_equal(got.x_edges, want.x_edges)
    for key in ("run_number", "ls_number", "me_id"):
        np.testing.assert_array_equal(got.keys[key], want.keys[key])
    assert pull.to_arrow().num_rows == len(got)
    with pytest.raises(ValueError, match="one binning"):
        _mixed(dials, folder)


def _mixed(dials: Dials, folder: Path) -> Any:
    # Rows of several binnings: the stored rows with x_max changed row by row.
    pull = dials.h1d.store(
        {"me__regex": "PXBarrel", "dataset_id": DATASET, "run_number__lte": 360392},
        folder,
        enable_progress=False,
    )
    table = pull.to_arrow()
    import pyarrow as pa

    from cmsdials.store.read import histograms_of

    x_max = pa.array([float(i) for i in range(table.num_rows)])
    return histograms_of(table.set_column(table.column_names.index("x_max"), "x_max", x_max))


def test_h2d_store_reads_back_as_list_all(dials: Dials, folder: Path) -> None:
    import numpy as np

    filters = {"me_id": 201, "dataset_id": DATASET, "run_number__lte": 360393}
    pull = dials.h2d.store(filters, folder, enable_progress=False)
    expected = dials.h2d.list_all(filters, enable_progress=False)
    assert len(expected.results) > 0
    assert pull.to_page() == expected
    got, want = pull.to_numpy(), expected.to_numpy()
    assert got.values.ndim == 3
    np.testing.assert_array_equal(got.values, want.values)
    np.testing.assert_array_equal(got.y_edges, want.y_edges)


def test_to_dask_reads_the_files(dials: Dials, folder: Path) -> None:
    pytest.importorskip("dask.dataframe")
    pull = dials.h1d.store(COMPLETE, folder, enable_progress=False)
    frame = pull.to_dask()
    assert frame.npartitions == 20
    assert len(frame.compute()) == pull.rows


# -- freshness ---------------------------------------------------------------------


def test_refresh_incomplete_fetches_again_only_the_run_that_was_incomplete(
    dials: Dials, srv: DialsServer, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filters = {
        "me_id": 1,
        "dataset_id": DATASET,
        "run_number__gte": 360400,
        "run_number__lte": 360429,
    }
    first = dials.h1d.store(filters, folder, enable_progress=False)
    assert first.stats is not None and first.stats.fetched == 3
    assert first.incomplete_runs == 1  # 360429 is still being ingested
    none = dials.h1d.store(filters, folder, refresh="none", enable_progress=False)
    assert none.stats is not None and none.stats.fetched == 0
    srv.clear_requests()  # within DIALS's cache lifetime (30 s), asking again gets the same
    soon = dials.h1d.store(filters, folder, enable_progress=False)
    assert api_requests(srv) == [] and soon.stats is not None and soon.stats.fetched == 0
    monkeypatch.setattr("cmsdials.store.pull.DIALS_CACHE_SECONDS", 0.0)  # ... later
    srv.tweak_rows(route=r"/run/", retype={"ls_completeness": 1.0})  # ... and now it is done
    srv.clear_requests()
    second = dials.h1d.store(filters, folder, enable_progress=False)
    assert second.stats is not None
    assert second.stats.fetched_parts == [f"me-1/ds-{DATASET}/run-360429"]
    assert second.incomplete_runs == 0
    srv.clear_requests()
    third = dials.h1d.store(filters, folder, enable_progress=False)
    assert api_requests(srv) == [] and third.stats is not None and third.stats.fetched == 0
    everything = dials.h1d.store(filters, folder, refresh="all", enable_progress=False)
    assert everything.stats is not None and everything.stats.fetched == 3
    assert_exact(dials, filters, folder)


# -- faults ------------------------------------------------------------------------


def test_a_dials_failure_leaves_finished_partitions_and_the_next_run_continues(
    dials: Dials, srv: DialsServer, folder: Path
) -> None:
    srv.faults.inject("status", status=500, count=1, route=r"/th1/", query=r"me_id=3")
    with pytest.raises(ServerError):
        dials.h1d.store(COMPLETE, folder, retries=0, enable_progress=False)
    (pull,) = cmsdials.store.open(folder).pulls()
    assert not pull.complete and 0 < len(pull.stored) < 20
    assert pull.to_arrow().num_rows == pull.rows  # what is there reads back
    done = len(pull.stored)
    again = dials.h1d.store(COMPLETE, folder, enable_progress=False)
    assert again.stats is not None
    assert (again.stats.already, again.stats.fetched) == (done, 20 - done)
    assert_exact(dials, COMPLETE, folder)


def test_another_selection_under_the_same_name_is_refused_before_any_request(
    dials: Dials, srv: DialsServer, folder: Path
) -> None:
    dials.h1d.store(
        {"me_id": 1, "dataset_id": DATASET, "run_number": 360392}, folder, enable_progress=False
    )
    srv.clear_requests()
    with pytest.raises(StoreError, match="another selection") as err:
        dials.lumi.store({"dataset_id": DATASET}, folder, enable_progress=False)
    assert err.value.path == str(folder)
    with pytest.raises(StoreError, match="another selection"):
        dials.h1d.store(
            {"me_id": 1, "dataset_id": DATASET, "ls_number__gte": 3}, folder, enable_progress=False
        )
    assert api_requests(srv) == []


def test_a_newer_format_and_a_corrupt_file_are_store_errors(dials: Dials, folder: Path) -> None:
    filters = {"me_id": 1, "dataset_id": DATASET, "run_number__lte": 360393}
    pull = dials.h1d.store(filters, folder, enable_progress=False)
    victim = pull.files()[0]
    victim.write_bytes(b"not parquet at all")
    with pytest.raises(StoreError, match="corrupt") as err:
        cmsdials.store.open(folder).pulls()[0].to_arrow()
    assert str(victim) in str(err.value) and err.value.path
    store = cmsdials.store.open(folder)
    assert store.verify(repair=True) == [pull.parts[0].pid]
    again = dials.h1d.store(filters, folder, enable_progress=False)
    assert again.stats is not None and again.stats.fetched == 1
    assert_exact(dials, filters, folder)
    header = json.loads((folder / "_store.json").read_text())
    header["format"] = layout.FORMAT_VERSION + 1
    (folder / "_store.json").write_text(json.dumps(header))
    with pytest.raises(StoreError, match="newer cmsdials"):
        cmsdials.store.open(folder)
    with pytest.raises(StoreError, match="newer cmsdials"):
        dials.h1d.store(filters, folder, enable_progress=False)


def test_a_file_size_limit_is_a_store_error_and_the_store_stays_readable(
    dials: Dials, srv: DialsServer, folder: Path
) -> None:
    first = {"me_id": 1, "dataset_id": DATASET, "run_number__lte": 360393}
    dials.h1d.store(first, folder, enable_progress=False)
    wider = {**first, "run_number__lte": 360428}
    got = result(child(srv, {"filters": wider, "path": str(folder), "fsize": 2048}))
    assert got["error"] == "StoreError", got
    assert "file-size limit" in got["message"] and got["path"].startswith(str(folder))
    store = cmsdials.store.open(folder)
    pulls = {json.dumps(p.filters, sort_keys=True): p for p in store.pulls()}
    readable = pulls[json.dumps(_norm(first), sort_keys=True)]
    assert readable.complete and readable.to_arrow().num_rows == readable.rows
    marked = sum(m["rows"] for m in layout.markers(folder).values())
    assert len(raw_keys(folder)) == marked  # nothing half-written is visible
    assert not [f for f in layout.walk_files(folder) if f.name.startswith(layout.TMP_PREFIX)]
    dials.h1d.store(wider, folder, enable_progress=False)
    assert_exact(dials, wider, folder)


def test_a_folder_that_cannot_be_written_is_a_store_error(
    dials: Dials, srv: DialsServer, folder: Path
) -> None:
    first = {"me_id": 1, "dataset_id": DATASET, "run_number__lte": 360393}
    dials.h1d.store(first, folder, enable_progress=False)
    wider = {**first, "run_number__lte": 360428}
    spec = {"filters": wider, "path": str(folder)}
    with read_only(folder):
        got = result(child(srv, spec))
    assert got["error"] == "StoreError", got
    assert "cannot write the store" in got["message"]
    assert got["path"].startswith(str(folder))
    (pull,) = cmsdials.store.open(folder).pulls()
    assert pull.complete and pull.to_arrow().num_rows == pull.rows


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` cannot be written: a read-only bind mount as root (who writes through
    permissions), its folders made read-only otherwise."""
    if os.geteuid() != 0:
        for dirpath, _dirs, _files in os.walk(path):
            os.chmod(dirpath, 0o555)
        try:
            yield
        finally:
            for dirpath, _dirs, _files in os.walk(path):
                os.chmod(dirpath, 0o755)
        return
    mounted = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"root cannot make a read-only folder here: {mounted.stderr!r}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(path)], check=True)


# -- processes -----------------------------------------------------------------------


def _requested_parts(srv: DialsServer) -> set[str]:
    parts = set()
    for req in api_requests(srv):
        q = req.query
        if req.path.endswith("/th1/") and "me_id" in q and "run_number__gte" in q:
            parts.add(
                f"me-{q['me_id'][-1]}/ds-{q['dataset_id'][-1]}/run-{q['run_number__gte'][-1]}"
            )
    return parts


@pytest.mark.parametrize(("kill_after", "workers"), [(3, 1), (12, 1), (30, 1), (15, 3)])
def test_sigkill_then_run_again_is_exact_and_refetches_at_most_a_partition_per_worker(
    dials: Dials, srv: DialsServer, folder: Path, kill_after: int, workers: int
) -> None:
    srv.latency_ms = 15  # so that the kill lands while pages are being fetched
    try:
        proc = child(srv, {"filters": COMPLETE, "path": str(folder), "workers": workers})
        deadline = time.monotonic() + 60
        while len(api_requests(srv)) < kill_after and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        before = _requested_parts(srv)
    finally:
        srv.latency_ms = 0
    srv.clear_requests()
    raw = raw_keys(folder) if folder.exists() else []
    assert len(raw) == len(set(raw))  # a reader sees whole partitions only, never one twice
    again = dials.h1d.store(COMPLETE, folder, enable_progress=False)
    assert again.stats is not None and again.complete
    refetched = set(again.stats.fetched_parts) & before
    assert len(refetched) <= workers, refetched
    assert again.stats.already + again.stats.fetched == 20
    assert_exact(dials, COMPLETE, folder)


def test_two_jobs_with_shards_fill_one_store(dials: Dials, srv: DialsServer, folder: Path) -> None:
    jobs = [
        child(srv, {"filters": COMPLETE, "path": str(folder), "shard": [i, 2], "workers": 2})
        for i in range(2)
    ]
    results = [result(job) for job in jobs]
    assert all("error" not in r for r in results), results
    assert sum(r["fetched"] for r in results) == 20
    assert not set(results[0]["parts"]) & set(results[1]["parts"])
    assert_exact(dials, COMPLETE, folder)


def test_two_processes_with_the_same_filters_at_once(
    dials: Dials, srv: DialsServer, folder: Path
) -> None:
    srv.latency_ms = 5
    try:
        jobs = [child(srv, {"filters": COMPLETE, "path": str(folder), "workers": 2}) for _ in "ab"]
        results = [result(job) for job in jobs]
    finally:
        srv.latency_ms = 0
    assert all("error" not in r for r in results), results
    assert all(r["complete"] for r in results)
    assert sum(r["fetched"] for r in results) == 20  # claims: no partition fetched twice
    assert_exact(dials, COMPLETE, folder)


# -- notebooks: list_all(cache=) ------------------------------------------------------


def test_list_all_cache_returns_the_same_page_with_no_request_the_second_time(
    dials: Dials, srv: DialsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMSDIALS_CACHE_DIR", str(tmp_path / "cache"))
    expected = dials.h1d.list_all(COMPLETE, enable_progress=False)
    first = dials.h1d.list_all(COMPLETE, cache=True, enable_progress=False)
    assert first == expected
    srv.clear_requests()
    second = dials.h1d.list_all(COMPLETE, cache=True, enable_progress=False)
    assert api_requests(srv) == []
    assert second == expected and second.results[0].me == expected.results[0].me
    other = dials.h1d.list_all(COMPLETE, cache=tmp_path / "mine", enable_progress=False)
    assert other == expected
    store = cmsdials.store.open(tmp_path / "cache" / "store")
    assert [p.complete for p in store.pulls()] == [True]
    assert store.size() > 0
    store.clear()
    assert cmsdials.store.open(tmp_path / "cache" / "store").size() == 0
    with pytest.raises(ValueError, match="cache= keeps whole pulls"):
        dials.h1d.list_all(COMPLETE, cache=True, max_pages=1)


def test_cache_of_other_groups(dials: Dials, srv: DialsServer, tmp_path: Path) -> None:
    for group, filters in [
        ("run", {"dataset_id": DATASET}),
        ("lumi", {"dataset_id": DATASET, "run_number__lte": 360400}),
        ("ml_models_index", {}),
        ("file_index", {"page_size": 10}),
        ("run", {"dataset_id": DATASET, "fields": ["run_number", "ls_count"]}),
        ("lumi", {"dataset_id": DATASET, "run_number": 360392, "ls_number__gte": 10**6}),
    ]:
        endpoint = getattr(dials, group)
        expected = endpoint.list_all(filters, enable_progress=False)
        got = endpoint.list_all(filters, cache=tmp_path, enable_progress=False)
        assert got == expected, group
        srv.clear_requests()
        assert endpoint.list_all(filters, cache=tmp_path, enable_progress=False) == expected
        assert api_requests(srv) == [], group


# -- progress, arguments, the extra -----------------------------------------------------


def test_in_batch_one_summary_line_per_job(
    dials: Dials, folder: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    dials.h1d.store(COMPLETE, folder)  # stderr is no terminal here: batch
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "20 partitions fetched" in err and "rows/s" in err
    dials.h1d.store(COMPLETE, folder, enable_progress=False)
    assert capfd.readouterr().err == ""


def test_the_bar_counts_lumisections_partitions_and_rows(
    dials: Dials, folder: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    pull = dials.h1d.store(COMPLETE, folder, enable_progress=True)
    err = capfd.readouterr().err
    total = sum(p.ls_count or 0 for p in pull.parts)
    assert total > 0 and f"{total}/{total}" in err and "100%" in err  # the plan's ls_count
    assert "20/20 partitions" in err and f"{pull.rows} rows" in err and "rows/s" in err


def test_wrong_arguments(dials: Dials, folder: Path) -> None:
    with pytest.raises(ValueError, match="shard"):
        dials.h1d.store(COMPLETE, folder, shard=(2, 2))
    with pytest.raises(TypeError, match="shard"):
        dials.h1d.store(COMPLETE, folder, shard=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="refresh"):
        dials.h1d.store(COMPLETE, folder, refresh="sometimes")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="no store"):
        cmsdials.store.open(folder / "nothing")


def test_without_pyarrow_the_error_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "from cmsdials import Dials\n"
        "from cmsdials.auth.secret_key import Credentials\n"
        "d = Dials(Credentials(token='t'), base_url='http://127.0.0.1:9/')\n"
        "try:\n"
        "    d.h1d.store({'me_id': 1}, '/nonexistent')\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'cmsdials[store]'" in out.stdout


def test_import_is_light() -> None:
    code = "import cmsdials.store, sys; print('pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
