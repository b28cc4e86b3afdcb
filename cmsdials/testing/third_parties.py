"""Small canned answers for the third-party proxies: CAF, Run Registry, brilws (OMS: :mod:`.oms`).

DIALS only forwards these requests; the local server answers from a fixed table
derived from the catalog's runs (no seed), in the shapes those services use.
"""

from __future__ import annotations

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
