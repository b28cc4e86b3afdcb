"""OMS through DIALS's proxy (``/oms-proxy/``): ``runs`` and ``lumisections``, as OMS pages them.

DIALS forwards ``/oms-proxy/?endpoint=...`` to OMS's aggregation API and returns OMS's
JSON:API answer as it is. The local server answers from the runs its own databases
hold: every run of every workspace, with as many lumisections as DIALS holds of it (the
largest ``ls_count`` among its datasets), so an OMS lumisection exists for every
DIALS lumisection. Values follow a fill's physics, without randomness (a function of
the run number and the lumisection): the instantaneous luminosity decays along the
run, the pileup follows it (80 mb over 2,352 colliding bunches at 11,245.5 Hz), the
delivered and recorded luminosities are per lumisection (23.31 s) in pb⁻¹, and a run
carries its L1 and HLT rates and counters.

Paging is OMS's: ``page[offset]`` (default 0) and ``page[limit]`` (default 100), with
``links`` (``self``, ``first``, ``prev``, ``next``, ``last``; ``next`` is ``null`` on the
last page) and ``meta.totalResourceCount``. Filters are
``filter[<attribute>][<EQ|NEQ|LT|GT|LE|GE>]=<value>`` (or ``filter[<attribute>]=``, EQ);
an unknown operator answers 400, as OMS does. Other endpoints answer no rows.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from .data import LS_SECONDS, iso, run_start
from .query import bad_request

__all__ = ["OMS_API", "OMSData", "answer", "for_app"]

#: Where OMS's own links point (DIALS's proxy passes them through unchanged).
OMS_API = "https://cmsoms.cern.ch/agg/api/v1/"
DEFAULT_LIMIT = 100
_FILL_BASE = 8000
_BUNCHES = 2352
_REVOLUTION_HZ = 11245.5
_SIGMA_INEL_CM2 = 80e-27
_UNITS = {
    "init_lumi": "10^{34}cm^{-2}s^{-1}",
    "end_lumi": "10^{34}cm^{-2}s^{-1}",
    "delivered_lumi": "pb^{-1}",
    "recorded_lumi": "pb^{-1}",
    "l1_rate": "Hz",
    "hlt_physics_rate": "Hz",
    "duration": "s",
    "b_field": "T",
    "energy": "GeV",
}

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "EQ": lambda a, b: a == b,
    "NEQ": lambda a, b: a != b,
    "LT": lambda a, b: a < b,
    "GT": lambda a, b: a > b,
    "LE": lambda a, b: a <= b,
    "GE": lambda a, b: a >= b,
}


def _fraction(run: int, salt: int) -> float:
    """A fixed number in [0, 1) for a run (no random state)."""
    return ((run * 2654435761 + salt * 40503) % 1000003) / 1000003


def _peak_lumi(run: int) -> float:
    """Instantaneous luminosity at the run's start, in 10^34 cm^-2 s^-1."""
    return round(1.4 + 0.8 * _fraction(run, 1), 4)


def _live(run: int) -> float:
    return 0.92 + 0.06 * _fraction(run, 2)


def _lumi_at(run: int, seconds: float) -> float:
    """Instantaneous luminosity after ``seconds`` of the run (a 15 h decay)."""
    return _peak_lumi(run) * math.exp(-seconds / (15 * 3600.0))


def _pileup(lumi: float) -> float:
    return lumi * 1e34 * _SIGMA_INEL_CM2 / (_BUNCHES * _REVOLUTION_HZ)


@functools.lru_cache(maxsize=512)
def lumisection_rows(run: int, n_ls: int) -> tuple[dict[str, Any], ...]:
    """OMS's lumisections of a run of ``n_ls`` lumisections."""
    start = run_start(run)
    live = _live(run)
    rows = []
    for ls in range(1, n_ls + 1):
        begin = (ls - 1) * LS_SECONDS
        init, end = _lumi_at(run, begin), _lumi_at(run, begin + LS_SECONDS)
        delivered = (init + end) / 2 * 1e34 * LS_SECONDS / 1e36
        rows.append(
            {
                "run_number": run,
                "lumisection_number": ls,
                "fill_number": _FILL_BASE + (run - 355000) // 4,
                "start_time": iso(start + timedelta(seconds=begin)),
                "end_time": iso(start + timedelta(seconds=begin + LS_SECONDS)),
                "init_lumi": round(init, 6),
                "end_lumi": round(end, 6),
                "delivered_lumi": round(delivered, 6),
                "recorded_lumi": round(delivered * live, 6),
                "pileup": round(_pileup((init + end) / 2), 3),
                "physics_flag": True,
                "beams_stable": True,
                "cms_active": True,
                "beam1_present": True,
                "beam2_present": True,
                "prescale_index": 1 if ls > 2 else 0,
            }
        )
    return tuple(rows)


@functools.lru_cache(maxsize=4096)
def run_row(run: int, n_ls: int) -> dict[str, Any]:
    """OMS's row of a run: sums and ends of its lumisections, its rates and keys."""
    lumis = lumisection_rows(run, n_ls)
    start = run_start(run)
    duration = round(n_ls * LS_SECONDS)
    year = start.year
    l1_rate = round(95_000 + 15_000 * _fraction(run, 3), 1)
    hlt_rate = round(1_400 + 600 * _fraction(run, 4), 1)
    return {
        "run_number": run,
        "fill_number": _FILL_BASE + (run - 355000) // 4,
        "start_time": iso(start),
        "end_time": iso(start + timedelta(seconds=n_ls * LS_SECONDS)),
        "duration": duration,
        "last_lumisection_number": n_ls,
        "delivered_lumi": round(sum(r["delivered_lumi"] for r in lumis), 4),
        "recorded_lumi": round(sum(r["recorded_lumi"] for r in lumis), 4),
        "init_lumi": lumis[0]["init_lumi"] if lumis else None,
        "end_lumi": lumis[-1]["end_lumi"] if lumis else None,
        "l1_rate": l1_rate,
        "hlt_physics_rate": hlt_rate,
        "l1_triggers_counter": round(l1_rate * duration),
        "hlt_physics_counter": round(hlt_rate * duration),
        "b_field": 3.8,
        "energy": 6800,
        "fill_type_runtime": "PROTONS",
        "l1_key": f"l1_trg_collisions{year}/v{run % 60 + 1}",
        "hlt_key": f"/cdaq/physics/Run{year}/2e34/v1.{run % 9}.{run % 5}/HLT/V1",
        "components": ["CSC", "DAQ", "DCS", "DQM", "DT", "ECAL", "ES", "HCAL", "PIXEL", "RPC"],
        "stable_beam": True,
    }


def _filters(params: Mapping[str, str]) -> list[tuple[str, str, str]]:
    found = []
    for key, value in params.items():
        m = re.fullmatch(r"filter\[(\w+)\](?:\[(\w+)\])?", key)
        if m:
            found.append((m.group(1), (m.group(2) or "EQ").upper(), value))
    return found


def _coerce(value: str, like: Any) -> Any:
    if isinstance(like, bool):
        return value.lower() == "true"
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    return value


def _keep(rows: Iterable[dict[str, Any]], filters: list[tuple[str, str, str]]) -> list[Any]:
    kept = []
    for row in rows:
        ok = True
        for attribute, operator, raw in filters:
            if attribute not in row:
                ok = False
                break
            try:
                if not _OPERATORS[operator](row[attribute], _coerce(raw, row[attribute])):
                    ok = False
                    break
            except ValueError:
                raise bad_request({"detail": f"Invalid value {raw!r} for {attribute}"}) from None
        if ok:
            kept.append(row)
    return kept


def _number(raw: str | None, default: int, name: str) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request({"detail": f"{name} must be an integer"}) from None
    if value < 0:
        raise bad_request({"detail": f"{name} must not be negative"})
    return value


class OMSData:
    """OMS's view of the runs a local DIALS holds: run number → lumisections."""

    def __init__(self, runs: Mapping[int, int]) -> None:
        self.runs = dict(sorted(runs.items()))

    @classmethod
    def of_databases(cls, dbs: Iterable[Any]) -> OMSData:
        runs: dict[int, int] = {}
        for db in dbs:
            for run, count in db.query(
                "SELECT run_number, MAX(ls_count) FROM run GROUP BY run_number"
            ):
                runs[int(run)] = max(runs.get(int(run), 0), int(count or 0))
        return cls(runs)

    def rows(self, endpoint: str, filters: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
        """The endpoint's rows that pass ``filters`` (run filters first, on the runs)."""
        on_runs = [f for f in filters if f[0] == "run_number"]
        runs = [r for r in self.runs if _keep([{"run_number": r}], on_runs)]
        if endpoint == "runs":
            return _keep((run_row(r, self.runs[r]) for r in runs), filters)
        if endpoint == "lumisections":
            every = (row for r in runs for row in lumisection_rows(r, self.runs[r]))
            return _keep(every, filters)
        return []


def _link(endpoint: str, params: Mapping[str, str], offset: int, limit: int) -> str:
    query = {
        k: v for k, v in params.items() if k not in ("endpoint", "page[offset]", "page[limit]")
    }
    query["page[offset]"] = str(offset)
    query["page[limit]"] = str(limit)
    text = "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    return f"{OMS_API}{endpoint}?{text}"


def answer(data: OMSData, params: Mapping[str, str]) -> dict[str, Any]:
    """OMS's JSON:API answer to one proxied request."""
    endpoint = params.get("endpoint", "")
    if not endpoint:
        raise bad_request({"endpoint": ["This field is required."]})
    filters = _filters(params)
    for _, operator, _ in filters:
        if operator not in _OPERATORS:
            raise bad_request({"detail": f"Unsupported OMS filter operator {operator!r}"})
    rows = data.rows(endpoint, filters)
    total = len(rows)
    limit = _number(params.get("page[limit]"), DEFAULT_LIMIT, "page[limit]") or DEFAULT_LIMIT
    offset = _number(params.get("page[offset]"), 0, "page[offset]")
    page = rows[offset : offset + limit]
    last = max(0, (total - 1) // limit * limit)
    links = {
        "self": _link(endpoint, params, offset, limit),
        "first": _link(endpoint, params, 0, limit),
        "prev": _link(endpoint, params, max(0, offset - limit), limit) if offset > 0 else None,
        "next": _link(endpoint, params, offset + limit, limit) if offset + limit < total else None,
        "last": _link(endpoint, params, last, limit),
    }

    def ident(row: dict[str, Any]) -> str:
        if endpoint == "lumisections":
            return f"{row['run_number']}_{row['lumisection_number']}"
        return str(row.get("run_number"))

    fields = {
        name: {"title": name.replace("_", " "), "units": _UNITS.get(name)}
        for name in (page[0] if page else {})
    }
    return {
        "data": [{"id": ident(row), "type": endpoint, "attributes": row} for row in page],
        "links": links,
        "meta": {"totalResourceCount": total, "fields": fields},
    }


_SOURCES: weakref.WeakKeyDictionary[Any, OMSData] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def for_app(app: Any) -> OMSData:
    """The OMS data of a server's app (read from its databases once)."""
    with _LOCK:
        found = _SOURCES.get(app)
        if found is None:
            found = _SOURCES[app] = OMSData.of_databases(app.dbs.values())
        return found
