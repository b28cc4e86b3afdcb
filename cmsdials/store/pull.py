"""The pull: ``dials.<group>.store(filters, path, ...)`` fills a store with what it lacks.

1. The filters are checked and cut into dimensions (:mod:`.selection`); the
   folder's header is created, or checked against them (another group, server,
   workspace or base is a :class:`~cmsdials.exceptions.StoreError`), before any
   request.
2. The plan (the partitions, with their runs' ``ls_count`` and
   ``ls_completeness``) is kept in ``_pulls/``. A pull whose stored plan is
   complete (every run complete when planned) reuses it: a second run of the
   same filters makes no request. Otherwise DIALS is asked again (the run list,
   the monitoring elements).
3. ``refresh``: ``"incomplete"`` fetches the partitions missing or whose runs
   were not complete when fetched (unless fetched less than
   :data:`DIALS_CACHE_SECONDS` ago: DIALS would answer from its cache);
   ``"all"`` every partition; ``"none"`` only the missing ones. ``shard=(i, n)``
   keeps the partitions whose id hashes to ``i`` modulo ``n`` (deterministic:
   n jobs cover the plan without talking).
4. ``workers`` threads take partitions one at a time; each is claimed
   (:mod:`.claims`), fetched page by page through ``dials.<group>.fetch_page``,
   written whole (temporary file, fsync, rename) and then marked done with its
   rows and checksum. A partition another process holds is waited for at the
   end and fetched only if it is still missing. A DIALS error (or Ctrl-C)
   stops every worker at its next page, and a partition left half-fetched is
   not written; every finished one stays, and the next run continues.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from .._version import __version__
from ..exceptions import DialsCursorLoopError, StoreError
from ..partitions import check_workers
from ..progress import where_a_person_looks
from . import layout
from .claims import Claim
from .layout import FORMAT_VERSION
from .schema import asked_fields, pyarrow, row_schema, select, table_of, to_parquet
from .selection import Part, Selection, analyse, fetch_plan, make_parts

if TYPE_CHECKING:
    from ..endpoints import ListEndpoint
    from .read import StoredPull

__all__ = ["REFRESH", "PullStats", "store"]

logger = logging.getLogger(__name__)

REFRESH = ("incomplete", "all", "none")
#: DIALS caches its answers this long: a plan or a partition of incomplete runs fetched
#: less long ago is kept by ``refresh="incomplete"`` (asking again would get the same rows).
DIALS_CACHE_SECONDS = 30.0


@dataclass
class PullStats:
    """What one ``store()`` call did."""

    #: Partitions of the whole plan.
    planned: int = 0
    #: Partitions of this job's shard (= ``planned`` without ``shard=``).
    in_shard: int = 0
    #: Partitions of the shard already stored and kept.
    already: int = 0
    #: Partitions fetched by this call.
    fetched: int = 0
    #: Pages, rows, HTTP requests (planning included) and bytes received by this call.
    pages: int = 0
    rows: int = 0
    requests: int = 0
    bytes: int = 0
    #: Wall seconds of the call.
    seconds: float = 0.0
    #: Whether the plan was learned from DIALS (``False``: the stored plan was used).
    planned_now: bool = False
    fetched_parts: list[str] = field(default_factory=list, repr=False)

    def summary(self, path: Path | str) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else 0.0
        return (
            f"cmsdials store {path}: {self.fetched} partitions fetched, {self.already} already "
            f"there, {self.in_shard}/{self.planned} in this job; {self.rows} rows, "
            f"{self.pages} pages, {self.requests} requests, {self.bytes} bytes in "
            f"{self.seconds:.1f} s ({rate:.0f} rows/s)"
        )


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


def check_shard(shard: object) -> tuple[int, int] | None:
    if shard is None:
        return None
    if (
        not isinstance(shard, tuple | list)
        or len(shard) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in shard)
    ):
        raise TypeError(f"shard must be None or a pair (i, n) of ints, not {shard!r}")
    i, n = shard
    if n < 1 or not 0 <= i < n:
        raise ValueError(f"shard=({i}, {n}): use 0 <= i < n (job i of n; e.g. $(Process))")
    return i, n


def in_shard(pid: str, shard: tuple[int, int] | None) -> bool:
    if shard is None:
        return True
    i, n = shard
    return int(hashlib.sha1(pid.encode()).hexdigest()[:8], 16) % n == i


class _Counter:
    """Counts the requests and bytes of a transport's client while a pull runs."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.responses: list[httpx.Response] = []
        self._hooks = dict(http.event_hooks)

    def __enter__(self) -> _Counter:
        hooks = dict(self._hooks)
        hooks["response"] = [*hooks.get("response", []), self.responses.append]
        self.http.event_hooks = hooks
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.event_hooks = self._hooks

    @property
    def requests(self) -> int:
        return len(self.responses)

    @property
    def bytes(self) -> int:
        return sum(r.num_bytes_downloaded for r in self.responses)


class _Progress:
    """One bar for the whole pull (lumisections when the plan knows them, else
    partitions), with partitions, rows and rate; in batch, nothing until one summary line."""

    def __init__(self, enabled: bool | None, total: int, unit: str, parts: int) -> None:
        if enabled is None:
            enabled = where_a_person_looks()
            self.summary_line = not enabled
        elif not isinstance(enabled, bool):
            raise TypeError(f"enable_progress must be True, False or None, not {enabled!r}")
        else:
            self.summary_line = False
        self.parts = parts
        self.unit = unit
        self.done_parts = 0
        self.rows = 0
        self.start = time.monotonic()
        self.bar: Any = None
        self._line = False
        if enabled:
            try:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=total, unit=unit, desc="Store", leave=True)
            except ImportError:
                self._line = True
                self.total = total
                self.n = 0

    def update(self, ls_count: int | None, rows: int) -> None:
        amount = (ls_count or 0) if self.unit == "LS" else 1
        self.done_parts += 1
        self.rows += rows
        elapsed = max(time.monotonic() - self.start, 1e-9)
        text = f"{self.done_parts}/{self.parts} partitions, {self.rows} rows, "
        text += f"{self.rows / elapsed:.0f} rows/s"
        if self.bar is not None:
            self.bar.update(amount)
            self.bar.set_postfix_str(text, refresh=True)
        elif self._line:
            import sys

            self.n += amount
            pct = 100.0 * self.n / self.total if self.total else 100.0
            sys.stderr.write(f"\rStore: {pct:5.1f}% of {self.total} {self.unit}, {text}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self._line:
            import sys

            sys.stderr.write("\n")
            sys.stderr.flush()


# -- the header and the pull records ------------------------------------------------


def open_for_writing(root: Path, sel: Selection, server: str, workspace: str | None) -> None:
    """Create the store's header, or check that the folder holds this kind of pull."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise layout.os_error(exc, root, "creating the store folder") from None
    identity = sel.identity(server, workspace)
    header_path = root / layout.HEADER
    header = layout.read_json(header_path, "the store header")
    if header is None:
        if any(p.suffix == ".parquet" for p in root.iterdir()):
            raise StoreError(
                f"{root} holds Parquet files but is no cmsdials store: choose an empty folder",
                path=str(root),
            )
        new = {
            "format": FORMAT_VERSION,
            "cmsdials": __version__,
            "created": _now(),
            **identity,
        }
        layout.create_once(header_path, layout.dumps(new), "the store header")
        header = layout.read_json(header_path, "the store header")
        assert header is not None
    layout.check_header(root, header)
    held = {k: header.get(k) for k in identity}
    if held != identity:
        differ = [k for k in identity if held[k] != identity[k]]
        shown = "; ".join(f"{k}: {held[k]!r} there, {identity[k]!r} asked" for k in differ)
        raise StoreError(
            f"the store at {root} holds another selection ({shown}). A store holds one group "
            "of one server and workspace, and pulls that differ only by monitoring elements, "
            "datasets and runs: choose another folder for this one",
            path=str(root),
        )


def read_pull(root: Path, pull_id: str) -> dict[str, Any] | None:
    record = layout.read_json(layout.pull_path(root, pull_id), "the pull record")
    return record if record is not None and isinstance(record.get("parts"), list) else None


def write_pull(root: Path, sel: Selection, parts: list[Part], how: str) -> dict[str, Any]:
    record = {
        "format": FORMAT_VERSION,
        "group": sel.group,
        "filters": dict(sel.query),
        "paging": dict(sel.paging),
        "dims": list(sel.dims),
        "keys": list(sel.keys),
        "how": how,
        "planned": _now(),
        "parts": [p.to_json() for p in parts],
    }
    layout.atomic_write(layout.pull_path(root, sel.pull_id), layout.dumps(record), "a pull record")
    return record


# -- one partition ------------------------------------------------------------------


class _Writer:
    """Fetches and writes partitions; shared by the worker threads of one pull."""

    def __init__(
        self,
        endpoint: ListEndpoint[Any, Any],
        root: Path,
        sel: Selection,
        parts: list[Part],
        *,
        retries: Any,
        timeout: Any,
        started: str,
        refresh: str,
        stats: PullStats,
        progress: _Progress,
    ) -> None:
        self.endpoint = endpoint
        self.root = root
        self.sel = sel
        self.plan = fetch_plan(sel, parts)
        self.lanes = dict(zip((p.pid for p in parts), self.plan.lanes, strict=True))
        self.retries = retries
        self.timeout = timeout
        self.started = started
        self.refresh = refresh
        self.stats = stats
        self.progress = progress
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.error: BaseException | None = None
        op = endpoint.list_operation
        schema, as_json = row_schema(op)
        asked = asked_fields(sel.base.get("fields"))
        self.schema = schema if asked is None else select(schema, asked)
        self.as_json = as_json

    def satisfied(self, part: Part) -> bool:
        """Whether the partition's marker makes fetching it unnecessary now."""
        marker = layout.read_json(layout.marker_path(self.root, part.pid), "the partition marker")
        if marker is None or not layout.data_path(self.root, part.pid).exists():
            return False
        fresh = str(marker.get("fetched", "")) >= self.started
        if self.refresh == "all":
            return fresh
        if self.refresh == "incomplete" and marker.get("complete") is False:
            return fresh or _young(marker.get("fetched"))
        return True

    def fetch(self, part: Part) -> None:
        lane = self.lanes[part.pid]
        rows: list[Any] = []
        pages = 0
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            if self.stop.is_set():
                return
            # DIALS's objects as sent: the Arrow conversion checks their types itself.
            page = self.endpoint.fetch_page(
                self.plan, lane, cursor, retries=self.retries, timeout=self.timeout, raw=True
            )
            rows.extend(page.results)
            pages += 1
            cursor = page.next
            if cursor is None:
                break
            if cursor in seen:
                raise DialsCursorLoopError(cursor, pages)
            seen.add(cursor)
        self.write(part, rows)
        with self.lock:
            self.stats.fetched += 1
            self.stats.pages += pages
            self.stats.rows += len(rows)
            self.stats.fetched_parts.append(part.pid)
            self.progress.update(part.ls_count, len(rows))

    def write(self, part: Part, rows: list[Any]) -> None:
        table, json_columns = table_of(rows, self.schema, self.as_json)
        fetched = _now()
        filters = {**self.sel.base, **{k: v for k, v in part.filters.items() if v is not None}}
        meta = {
            "cmsdials.format": str(FORMAT_VERSION),
            "cmsdials.group": self.sel.group,
            "cmsdials.filters": layout.dumps(filters).decode(),
            "cmsdials.version": __version__,
            "cmsdials.partition": part.pid,
            "cmsdials.fetched": fetched,
            "cmsdials.json_columns": layout.dumps(json_columns).decode(),
        }
        data = to_parquet(table, meta)
        target = layout.data_path(self.root, part.pid)
        layout.atomic_write(target, memoryview(data), f"partition {part.pid}")
        marker = {
            "pid": part.pid,
            "file": part.pid + ".parquet",
            "rows": table.num_rows,
            "bytes": data.size,
            "sha256": hashlib.sha256(memoryview(data)).hexdigest(),
            "columns": table.schema.names,
            "json_columns": json_columns,
            "fetched": fetched,
            "complete": part.complete,
            "ls_count": part.ls_count,
            "runs": part.to_json()["runs"],
            "filters": filters,
        }
        layout.atomic_write(
            layout.marker_path(self.root, part.pid), layout.dumps(marker), "a partition marker"
        )

    def work(self, todo: queue.SimpleQueue[Part | None], deferred: list[Part]) -> None:
        while not self.stop.is_set():
            part = todo.get()
            if part is None:
                return
            claim = Claim(layout.lock_path(self.root, part.pid))
            if not claim.acquire(wait=False):
                with self.lock:
                    deferred.append(part)
                continue
            try:
                if self.satisfied(part):
                    with self.lock:
                        self.stats.already += 1
                        self.progress.update(part.ls_count, 0)
                    continue
                self.fetch(part)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                with self.lock:
                    if self.error is None:
                        self.error = exc
                self.stop.set()
                return
            finally:
                claim.release()

    def run(self, parts: list[Part], workers: int) -> None:
        deferred: list[Part] = []
        for wave in (parts, None):
            if wave is None:  # then those that other processes held: wait for them
                wave, deferred = sorted(deferred, key=lambda p: p.pid), []
                if not wave or self.stop.is_set():
                    break
                self._run_wave(wave, workers, deferred, wait=True)
            else:
                self._run_wave(wave, workers, deferred, wait=False)
        if self.error is not None:
            raise self.error

    def _run_wave(self, parts: list[Part], workers: int, deferred: list[Part], wait: bool) -> None:
        todo: queue.SimpleQueue[Part | None] = queue.SimpleQueue()
        for part in parts:
            todo.put(part)
        n = max(1, min(workers, len(parts)))
        for _ in range(n):
            todo.put(None)
        if wait:
            work = self.work_waiting
        else:
            work = self.work
        if n == 1:
            work(todo, deferred)
            return
        threads = [
            threading.Thread(target=work, args=(todo, deferred), daemon=True, name=f"store-{i}")
            for i in range(n)
        ]
        for t in threads:
            t.start()
        try:
            for t in threads:
                while t.is_alive():
                    t.join(0.2)
        except BaseException:
            self.stop.set()
            raise

    def work_waiting(self, todo: queue.SimpleQueue[Part | None], deferred: list[Part]) -> None:
        while not self.stop.is_set():
            part = todo.get()
            if part is None:
                return
            claim = Claim(layout.lock_path(self.root, part.pid))
            claim.acquire(wait=True)
            try:
                if self.satisfied(part):
                    with self.lock:
                        self.stats.already += 1
                        self.progress.update(part.ls_count, 0)
                    continue
                self.fetch(part)
            except BaseException as exc:  # noqa: BLE001
                with self.lock:
                    if self.error is None:
                        self.error = exc
                self.stop.set()
                return
            finally:
                claim.release()


# -- the call -----------------------------------------------------------------------


def store(
    endpoint: ListEndpoint[Any, Any],
    filters: Any,
    path: str | os.PathLike[str],
    *,
    workers: int = 1,
    shard: object = None,
    refresh: str = "incomplete",
    enable_progress: bool | None = None,
    retries: Any = None,
    timeout: float | None = None,
) -> StoredPull:
    """The body of ``dials.<group>.store(...)`` (see :mod:`cmsdials.store`)."""
    owner = f"{endpoint.name}.store()"
    pyarrow()
    workers = check_workers(workers, owner)
    shard_ = check_shard(shard)
    if refresh not in REFRESH:
        raise ValueError(f"{owner}: refresh must be one of {REFRESH}, not {refresh!r}")
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"{owner}: path must be a folder (str or Path), not {path!r}")
    root = Path(path)
    sel = analyse(endpoint, filters, owner)
    transport = endpoint.transport
    open_for_writing(root, sel, transport.settings.base_url or "", transport.workspace)
    layout.clean_tmp(root)
    started = _now()
    t0 = time.monotonic()
    stats = PullStats()
    with _Counter(transport.http) as counter:
        record = read_pull(root, sel.pull_id)
        parts: list[Part] | None = None
        if record is not None:
            stored = [Part.from_json(p) for p in record["parts"]]
            marks = layout.markers(root)
            fresh = all(p.complete is not False for p in stored) and all(
                marks.get(p.pid, {}).get("complete") is not False for p in stored
            )
            if refresh == "none" or (
                refresh == "incomplete" and (fresh or _young(record.get("planned")))
            ):
                parts = stored
        if parts is None:
            parts, how = make_parts(endpoint, sel, retries=retries, timeout=timeout)
            write_pull(root, sel, parts, how)
            stats.planned_now = True
        stats.planned = len(parts)
        mine = [p for p in parts if in_shard(p.pid, shard_)]
        stats.in_shard = len(mine)
        known = [p.ls_count for p in mine]
        if mine and all(n is not None for n in known):
            total, unit = sum(n or 0 for n in known), "LS"
        else:
            total, unit = len(mine), "partition"
        progress = _Progress(enable_progress, total, unit, len(mine))
        writer = _Writer(
            endpoint,
            root,
            sel,
            parts,
            retries=retries,
            timeout=timeout,
            started=started,
            refresh=refresh,
            stats=stats,
            progress=progress,
        )
        try:
            marks = layout.markers(root)
            todo = []
            for part in mine:
                marker = marks.get(part.pid)
                if (
                    marker is not None
                    and _keeps(marker, refresh)
                    and layout.data_path(root, part.pid).exists()
                ):
                    stats.already += 1
                    progress.update(part.ls_count, 0)
                else:
                    todo.append(part)
            writer.run(todo, workers)
        finally:
            progress.close()
            stats.requests = counter.requests
            stats.bytes = counter.bytes
            stats.seconds = time.monotonic() - t0
            if progress.summary_line:
                import sys

                sys.stderr.write(stats.summary(root) + "\n")
                sys.stderr.flush()
    from .read import Store

    pull = Store(root).pull_by_id(sel.pull_id)
    pull.stats = stats
    return pull


def _young(when: object) -> bool:
    """Whether ``when`` (ISO 8601) is less than :data:`DIALS_CACHE_SECONDS` ago."""
    if not isinstance(when, str):
        return False
    try:
        then = datetime.datetime.fromisoformat(when)
    except ValueError:
        return False
    age = datetime.datetime.now(datetime.timezone.utc) - then
    return age.total_seconds() < DIALS_CACHE_SECONDS


def _keeps(marker: Mapping[str, Any], refresh: str) -> bool:
    if refresh == "all":
        return False
    if refresh == "incomplete":
        return marker.get("complete") is not False or _young(marker.get("fetched"))
    return True
