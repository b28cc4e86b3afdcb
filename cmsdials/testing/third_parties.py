"""Small canned answers for the third-party proxies: OMS, CAF, Run Registry, brilws.

DIALS only forwards these requests; the local server answers from a fixed table
derived from the catalog's runs (no seed), in the shapes those services use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from .catalog import WORKSPACES
from .data import LS_SECONDS, iso, run_start
from .query import bad_request

_FILL_BASE = 8000


def _all_runs() -> list[int]:
    runs = {
        run.run_number
        for maker in WORKSPACES.values()
        for ds in maker("small").datasets
        for run in ds.runs
    }
    return sorted(runs)


def _ls_count(run_number: int) -> int:
    return 30 + (run_number * 7919) % 90


def _run_attributes(run_number: int) -> dict[str, Any]:
    start = run_start(run_number)
    n_ls = _ls_count(run_number)
    end = start + timedelta(seconds=n_ls * LS_SECONDS)
    delivered = round(n_ls * 0.0456 * (1 + (run_number % 13) / 20), 3)
    year = start.year
    return {
        "run_number": run_number,
        "fill_number": _FILL_BASE + (run_number - 355000) // 4,
        "start_time": iso(start),
        "end_time": iso(end),
        "last_lumisection_number": n_ls,
        "delivered_lumi": delivered,
        "recorded_lumi": round(delivered * 0.93, 3),
        "b_field": 3.8,
        "energy": 6800,
        "fill_type_runtime": "PROTONS",
        "l1_key": f"l1_trg_collisions{year}/v{run_number % 60 + 1}",
        "hlt_key": f"/cdaq/physics/Run{year}/2e34/v1.{run_number % 9}.{run_number % 5}/HLT/V1",
        "components": [
            "CSC",
            "DAQ",
            "DCS",
            "DQM",
            "DT",
            "ECAL",
            "ES",
            "HCAL",
            "PIXEL",
            "RPC",
            "TRACKER",
        ],
        "stable_beam": True,
    }


_OPERATORS = {
    "EQ": lambda a, b: a == b,
    "NEQ": lambda a, b: a != b,
    "LT": lambda a, b: a < b,
    "GT": lambda a, b: a > b,
    "LE": lambda a, b: a <= b,
    "GE": lambda a, b: a >= b,
}


def _coerce(value: str, like: Any) -> Any:
    if isinstance(like, bool):
        return value.lower() == "true"
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    return value


def _filters(params: Mapping[str, str]) -> list[tuple[str, str, str]]:
    found = []
    for key, value in params.items():
        m = re.fullmatch(r"filter\[(\w+)\](?:\[(\w+)\])?", key)
        if m:
            found.append((m.group(1), (m.group(2) or "EQ").upper(), value))
    return found


def oms(params: Mapping[str, str]) -> dict[str, Any]:
    """``/oms-proxy/``: OMS's JSON:API answer for ``runs`` and ``lumisections``."""
    endpoint = params.get("endpoint", "")
    if not endpoint:
        raise bad_request({"endpoint": ["This field is required."]})
    rows: list[dict[str, Any]]
    if endpoint == "runs":
        rows = [_run_attributes(run) for run in _all_runs()]
    elif endpoint == "lumisections":
        run_filter = [int(v) for a, op, v in _filters(params) if a == "run_number" and op == "EQ"]
        runs = [r for r in _all_runs() if r in run_filter] if run_filter else _all_runs()[:1]
        rows = []
        for run in runs:
            start = run_start(run)
            for ls in range(1, _ls_count(run) + 1):
                rows.append(
                    {
                        "run_number": run,
                        "lumisection_number": ls,
                        "start_time": iso(start + timedelta(seconds=(ls - 1) * LS_SECONDS)),
                        "delivered_lumi": round(0.0456 * math.exp(-ls / 600), 6),
                        "recorded_lumi": round(0.0424 * math.exp(-ls / 600), 6),
                        "beams_stable": True,
                        "cms_active": True,
                    }
                )
    else:
        rows = []
    for attribute, operator, raw in _filters(params):
        compare = _OPERATORS.get(operator)
        if compare is None:
            raise bad_request({"detail": f"Unsupported OMS filter operator {operator!r}"})
        kept = []
        for row in rows:
            if attribute not in row:
                continue
            try:
                if compare(row[attribute], _coerce(raw, row[attribute])):
                    kept.append(row)
            except ValueError:
                raise bad_request({"detail": f"Invalid value {raw!r} for {attribute}"}) from None
        rows = kept
    total = len(rows)
    limit = _int(params.get("page[limit]"), 100)
    offset = _int(params.get("page[offset]"), 0)
    page = rows[offset : offset + limit]
    key = "lumisection_number" if endpoint == "lumisections" else "run_number"
    return {
        "data": [{"id": str(row.get(key)), "type": endpoint, "attributes": row} for row in page],
        "links": {},
        "meta": {"totalResourceCount": total, "fields": sorted(page[0]) if page else []},
    }


def _int(raw: str | None, default: int) -> int:
    try:
        return max(0, int(raw)) if raw is not None else default
    except ValueError:
        return default


def caf(params: Mapping[str, str]) -> dict[str, Any]:
    """``/caf/``: the latest certification JSON of a class (golden, muon, dcs)."""
    class_name = params.get("class_name", "")
    kind = params.get("kind", "")
    if not class_name or not kind:
        raise bad_request({"detail": "class_name and kind are required"})
    runs = [r for r in _all_runs() if r >= 378900] or _all_runs()
    name = f"Cert_{class_name}_{runs[0]}_{runs[-1]}_{kind.capitalize()}.json"
    content = {str(run): [[1, _ls_count(run)]] for run in runs}
    return {
        "name": name,
        "url": f"https://cms-service-dqmdc.web.cern.ch/CAF/certification/{class_name}/{name}",
        "last_modified": "2024-11-04T16:20:11",
        "size": f"{len(str(content)) / 1024:.1f}K",
        "content": content,
    }


def rr_editable_datasets(params: Mapping[str, str]) -> list[int]:
    """``/runregistry/editable-datasets/``: runs still open for certification."""
    for name in ("class_name", "dataset_name", "global_state"):
        if not params.get(name):
            raise bad_request({"detail": f"{name} is required"})
    return [r for r in _all_runs() if r >= 385000]


def brilcalc(params: Mapping[str, str]) -> dict[str, Any]:
    """``/brilws/brilcalc-lumi/``: delivered and recorded luminosity per run."""
    runs = _all_runs()
    if params.get("runnumber"):
        try:
            wanted = int(params["runnumber"])
        except ValueError:
            raise bad_request({"detail": "runnumber must be an integer"}) from None
        runs = [r for r in runs if r == wanted]
    unit = params.get("unit", "/ub")
    detailed = []
    total_delivered = total_recorded = 0.0
    for run in runs:
        attrs = _run_attributes(run)
        delivered = attrs["delivered_lumi"] * 1e6
        recorded = attrs["recorded_lumi"] * 1e6
        total_delivered += delivered
        total_recorded += recorded
        detailed.append(
            {
                "run:fill": f"{run}:{attrs['fill_number']}",
                "time": attrs["start_time"],
                "nls": attrs["last_lumisection_number"],
                "ncms": attrs["last_lumisection_number"],
                f"delivered({unit})": round(delivered, 3),
                f"recorded({unit})": round(recorded, 3),
            }
        )
    return {
        "detailed": detailed,
        "summary": {
            "nfill": len({d["run:fill"].split(":")[1] for d in detailed}),
            "nrun": len(detailed),
            f"totdelivered({unit})": round(total_delivered, 3),
            f"totrecorded({unit})": round(total_recorded, 3),
        },
    }
