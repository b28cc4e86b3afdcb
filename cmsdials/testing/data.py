"""Seeded generator of realistic DIALS rows for one workspace.

Everything is drawn from one ``random.Random`` seeded with ``"<seed>:<workspace>"``,
in a fixed order, so the same seed gives the same rows byte for byte.  Histogram
contents follow the shape of the ME (Landau-like charge spectra, falling pT
spectra, flat phi, pixel and endcap occupancy maps), scale with a luminosity
that decays along the run, and carry Poisson-like noise.  The target ME of an
ML model is visibly distorted at the lumisections that model flags as bad, so
``ml-bad-lumisection``, ``cert-json`` and ``golden-json`` agree with the data.

Speed: noise comes from one pre-drawn pool of normal deviates sliced at a random
offset per histogram, so building ~100k histograms takes seconds, not minutes.
"""

from __future__ import annotations

import itertools
import math
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from .catalog import WORKSPACES, DatasetSpec, MESpec, ModelSpec, Size, WorkspaceSpec

Row = dict[str, Any]

#: (run number, start date) anchors; run dates are interpolated between them.
_RUN_DATES = (
    (355100, datetime(2022, 7, 5, tzinfo=timezone.utc)),
    (362760, datetime(2022, 11, 28, tzinfo=timezone.utc)),
    (366400, datetime(2023, 4, 20, tzinfo=timezone.utc)),
    (370800, datetime(2023, 7, 18, tzinfo=timezone.utc)),
    (378900, datetime(2024, 4, 5, tzinfo=timezone.utc)),
    (387000, datetime(2024, 10, 25, tzinfo=timezone.utc)),
)
LS_SECONDS = 23.31
_NOISE_POOL = 1 << 13


@dataclass
class WorkspaceRows:
    """All rows of one workspace, one list of dicts per table."""

    name: str
    tables: dict[str, list[Row]] = field(default_factory=dict)


def run_start(run_number: int) -> datetime:
    """The (approximate) start time of a run, interpolated between known anchors."""
    points = _RUN_DATES
    if run_number <= points[0][0]:
        return points[0][1]
    for (r0, d0), (r1, d1) in itertools.pairwise(points):
        if run_number <= r1:
            frac = (run_number - r0) / (r1 - r0)
            return d0 + (d1 - d0) * frac
    return points[-1][1] + timedelta(hours=(run_number - points[-1][0]) * 0.5)


def iso(when: datetime) -> str:
    """DRF's rendering of an aware UTC datetime."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dataset_parts(name: str) -> dict[str, Any]:
    """``/ZeroBias/Run2024C-PromptReco-v1/DQMIO`` -> era, tiers and version fields."""
    _, primary, processed, tier = name.split("/")
    era = processed.split("-", 1)[0]
    version = int(processed.rsplit("-v", 1)[1])
    return {
        "era": era,
        "data_tier": tier,
        "primary_ds_name": primary,
        "processed_ds_name": processed,
        "processing_version": version,
    }


def lfn(dataset: str, run_number: int, file_uuid: str) -> str:
    """The logical file name of a DQMIO file, as CMS's production lays it out."""
    parts = dataset_parts(dataset)
    era = parts["era"]
    processing = parts["processed_ds_name"].split("-", 1)[1]
    area = "express" if processing.startswith("Express") else "data"
    run = f"{run_number:09d}"
    return (
        f"/store/{area}/{era}/{parts['primary_ds_name']}/{parts['data_tier']}/{processing}/"
        f"{run[:3]}/{run[3:6]}/{run[6:]}/00000/{file_uuid}.root"
    )


# ---------------------------------------------------------------- shapes


def _axis(n: int) -> list[float]:
    """Bin centres of ``n`` bins on [0, 1]."""
    return [(i + 0.5) / n for i in range(n)]


def _normalise(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights] if total > 0 else weights


def _profile_1d(spec: MESpec) -> list[float]:
    xs = _axis(spec.x_bin)
    peak, width = spec.peak, spec.width
    weights: list[float]
    if spec.shape == "landau":  # Moyal approximation of the Landau density
        weights = []
        for x in xs:
            lam = (x - peak) / width
            weights.append(math.exp(-0.5 * (lam + math.exp(-lam))))
    elif spec.shape == "gauss":
        weights = [math.exp(-0.5 * ((x - peak) / width) ** 2) for x in xs]
    elif spec.shape == "falling":
        weights = [(x / (x + 0.02)) * math.exp(-x / width) for x in xs]
    elif spec.shape == "plateau":  # eta: flat inside the tracker, falling outside
        weights = [1.0 / (1.0 + math.exp((abs(2 * x - 1) - 0.45) / 0.05)) + 0.05 for x in xs]
    elif spec.shape == "flat":  # phi: flat with a small sector ripple
        weights = [1.0 + 0.04 * math.cos(2 * math.pi * 18 * x) for x in xs]
    else:  # "counts": a small multiplicity, Poisson with mean 2
        weights = [math.exp(-2.0) * 2.0**k / math.factorial(k) for k in range(spec.x_bin)]
    return _normalise(weights)


def _profile_2d(spec: MESpec, rng: random.Random) -> list[float]:
    nx, ny = spec.x_bin, spec.y_bin
    weights = [0.0] * (nx * ny)
    if spec.shape == "pixel_map":
        half_x, half_y = nx // 2, ny // 2
        dead = {(rng.randrange(nx), rng.randrange(ny)) for _ in range(2)}
        for j in range(ny):
            ladder = j - half_y
            for i in range(nx):
                module = i - half_x
                if module == 0 or ladder == 0 or (i, j) in dead:
                    continue
                weights[j * nx + i] = (1.0 + 0.35 * abs(module)) ** -1 * rng.uniform(0.85, 1.15)
    elif spec.shape == "ee_map":
        cx, cy = nx / 2, ny / 2
        r_in, r_out = 0.24 * nx, 0.49 * nx
        for j in range(ny):
            for i in range(nx):
                r = math.hypot(i + 0.5 - cx, j + 0.5 - cy)
                if r_in < r < r_out:
                    weights[j * nx + i] = (1.0 + 3.0 * (r_out - r) / (r_out - r_in)) ** 2
    else:  # "eta_phi": eta plateau times a flat phi
        for j in range(ny):
            phi = 1.0 + 0.05 * math.cos(2 * math.pi * 3 * (j + 0.5) / ny)
            for i in range(nx):
                eta = abs(2 * (i + 0.5) / nx - 1)
                weights[j * nx + i] = phi * (1.0 / (1.0 + math.exp((eta - 0.45) / 0.05)) + 0.05)
    return _normalise(weights)


def _distorted(profile: list[float]) -> list[float]:
    """The same ME in a bad lumisection: a hot region and a lost region."""
    n = len(profile)
    hot = int(n * 0.7)
    lost = int(n * 0.2)
    weights = list(profile)
    peak = max(profile)
    for i in range(max(0, hot - 3), min(n, hot + 3)):
        weights[i] += 0.6 * peak
    for i in range(lost, min(n, lost + max(2, n // 10))):
        weights[i] *= 0.15
    return _normalise(weights)


@dataclass
class _Histogram:
    spec: MESpec
    profile: list[float]
    sqrt_profile: list[float]
    bad_profile: list[float]
    sqrt_bad: list[float]


def _histogram(spec: MESpec, rng: random.Random) -> _Histogram:
    profile = _profile_1d(spec) if spec.dim == 1 else _profile_2d(spec, rng)
    bad = _distorted(profile)
    return _Histogram(
        spec, profile, [math.sqrt(p) for p in profile], bad, [math.sqrt(p) for p in bad]
    )


class _Filler:
    """Draws noisy histogram contents from a profile and an expected entry count."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = [rng.gauss(0.0, 1.0) for _ in range(_NOISE_POOL)]

    def fill(self, profile: list[float], sqrt_profile: list[float], mean: float) -> list[float]:
        n = len(profile)
        off = self.rng.randrange(_NOISE_POOL - n)
        noise = self.pool[off : off + n]
        scale = math.sqrt(mean)
        values = [
            float(round(mean * p + scale * s * z))
            for p, s, z in zip(profile, sqrt_profile, noise, strict=True)
        ]
        return [v if v > 0.0 else 0.0 for v in values]


# ---------------------------------------------------------------- workspace


def _pick_bad(
    rng: random.Random, model: ModelSpec, n_ls: int, forced: set[int]
) -> dict[int, float]:
    """Bad lumisections of one run for one model, with their reconstruction error."""
    bad: set[int] = set(forced)
    for ls in range(1, n_ls + 1):
        if rng.random() < model.bad_fraction:
            bad.add(ls)
    if rng.random() < 0.5 and n_ls > 8:  # a short block of bad lumisections
        start = rng.randint(1, n_ls - 4)
        bad.update(range(start, start + rng.randint(2, 4)))
    return {ls: round(rng.uniform(0.0021, 0.045), 6) for ls in sorted(bad)}


def build_workspace(spec: WorkspaceSpec, seed: int) -> WorkspaceRows:
    """All rows of the workspace described by ``spec``, drawn from ``seed``."""
    rng = random.Random(f"{seed}:{spec.name}")
    filler = _Filler(rng)
    histograms = {me.me_id: _histogram(me, rng) for me in spec.mes}
    me_names = {me.me_id: me.me for me in spec.mes}
    forced_bad: dict[tuple[int, int, int], set[int]] = {}
    for model_id, dataset_id, run_number, ls_number in spec.forced_bad:
        forced_bad.setdefault((model_id, dataset_id, run_number), set()).add(ls_number)

    tables: dict[str, list[Row]] = {
        name: []
        for name in (
            "dataset_index",
            "file_index",
            "run",
            "lumisection",
            "th1",
            "th2",
            "mes",
            "ml_models_index",
            "ml_bad_lumisection",
        )
    }
    me_counts = dict.fromkeys(me_names, 0)
    used_ids: set[int] = set()

    def new_file_id() -> int:
        while True:
            candidate = rng.randrange(3_000_000_000, 4_000_000_000)
            if candidate not in used_ids:
                used_ids.add(candidate)
                return candidate

    for ds in spec.datasets:
        if ds.first_file_id is not None:
            used_ids.add(ds.first_file_id)
    for ds in spec.datasets:
        _build_dataset(
            ds, spec, rng, filler, histograms, me_names, forced_bad, tables, me_counts, new_file_id
        )

    for me in spec.mes:
        tables["mes"].append(
            {"me_id": me.me_id, "me": me.me, "count": me_counts[me.me_id], "dim": me.dim}
        )
    mes_by_id = {me.me_id: me for me in spec.mes}
    for model in spec.models:
        tables["ml_models_index"].append(model_row(spec.name, model, mes_by_id[model.target_me_id]))
    return WorkspaceRows(spec.name, tables)


#: Anomaly threshold of the autoencoders: their bad lumisections score above it.
ANOMALY_THRESHOLD = 0.002
_MODELS_EPOCH = datetime(2024, 3, 4, 9, 30, tzinfo=timezone.utc)


def model_row(workspace: str, model: ModelSpec, target: MESpec) -> Row:
    """An ML model's row, with the fields of every DIALS version the server can serve.

    v1.12.0 knew a model by ``model_id``, ``filename``, ``target_me`` and ``active``;
    the current DIALS by ``id``, ``name``, ``revision``, ``ready``, its signatures,
    tags and inference service.  The served spec picks the fields.
    """
    created = _MODELS_EPOCH + timedelta(days=11 * model.model_id, hours=model.model_id % 7)
    modified = created + timedelta(days=30 if model.active else 2, minutes=17)
    builtin = model.kind != "autoencoder"
    service = f"{model.name.replace('_', '-')}-r{model.revision}"
    deployed = model.active and model.ready
    subsystem = {"jetmet": "JetMET"}.get(workspace, workspace.upper())
    quantity = target.me.rsplit("/", 1)[-1]
    tags: list[dict[str, Any]] | None = None
    if model.revision > 1:  # tags came with the second generation of models
        stage = "production" if model.active else ("staging" if not model.ready else "archived")
        tags = [
            {"name": "subsystem", "value": subsystem},
            {"name": "quantity", "value": quantity},
            {"name": "stage", "value": stage},
        ]
    isvc_yaml = None
    if deployed:
        isvc_yaml = (
            "apiVersion: serving.kserve.io/v1beta1\n"
            "kind: InferenceService\n"
            "metadata:\n"
            f"  name: {service}\n"
            "  namespace: cms-dials\n"
            "spec:\n"
            "  predictor:\n"
            "    model:\n"
            "      modelFormat:\n"
            "        name: onnx\n"
            f"      storageUri: {model.filename}\n"
        )
    return {
        # v1.12.0
        "model_id": model.model_id,
        "filename": model.filename,
        "target_me": target.me,
        "active": model.active,
        # current
        "id": model.model_id,
        "name": model.name or f"model_{model.model_id}",
        "revision": model.revision,
        "ready": model.ready,
        "type": model.kind,
        "anomaly_threshold": None if builtin else ANOMALY_THRESHOLD,
        "builtin_threshold": builtin,
        "description": (
            f"{'Isolation forest' if builtin else 'Autoencoder'} on {target.me} per "
            f"lumisection, revision {model.revision}: "
            + (
                "flags a lumisection by its own decision function."
                if builtin
                else "flags a lumisection whose reconstruction MSE exceeds the threshold."
            )
        ),
        "flagging_key": "is_outlier" if builtin else None,
        "input_signature": [
            {
                "name": "input_0",
                "me": target.me,
                "dim": target.dim,
                "dtype": "float32",
                "shape": [-1, target.x_bin]
                if target.dim == 1
                else [-1, target.y_bin, target.x_bin],
            }
        ],
        "metric_key": "score" if builtin else "mse",
        "output_signature": [
            {"name": "score" if builtin else "mse", "dtype": "float32", "shape": [-1, 1]},
            *([{"name": "is_outlier", "dtype": "bool", "shape": [-1, 1]}] if builtin else []),
        ],
        "tags": tags,
        "isvc_service_name": service if deployed else None,
        "isvc_yaml": isvc_yaml,
        "created_by": "cmsdqm-ml",
        "modified_by": "cmsdqm-ml" if model.revision == 1 else "dials-ml-operator",
        "created_at": iso(created),
        "modified_at": iso(modified),
    }


def ls_completeness(run_number: int, n_ls: int) -> float:
    """Share of a run's lumisections that DIALS ingested: 1.0 but for a few runs."""
    missing = (run_number * 2654435761) % 23
    if missing > 3:
        return 1.0
    return round((n_ls - missing - 1) / n_ls, 4)


def _file_chunks(rng: random.Random, n_ls: int) -> Iterator[tuple[int, int]]:
    """Consecutive lumisection ranges [first, last] stored in one file each."""
    first = 1
    while first <= n_ls:
        last = min(n_ls, first + rng.randint(15, 60) - 1)
        yield first, last
        first = last + 1


def _build_dataset(
    ds: DatasetSpec,
    spec: WorkspaceSpec,
    rng: random.Random,
    filler: _Filler,
    histograms: dict[int, _Histogram],
    me_names: dict[int, str],
    forced_bad: dict[tuple[int, int, int], set[int]],
    tables: dict[str, list[Row]],
    me_counts: dict[int, int],
    new_file_id: Callable[[], int],
) -> None:
    name = ds.dataset
    mes = [me for me in spec.mes if me.bulk or not ds.bulk]
    latest = run_start(ds.runs[0].run_number)
    targets: dict[int, list[ModelSpec]] = {}
    for model in spec.models:
        targets.setdefault(model.target_me_id, []).append(model)

    for run in ds.runs:
        n_ls = rng.randint(run.min_ls, run.max_ls)
        start = run_start(run.run_number)
        run_scale = rng.uniform(0.6, 1.2)
        tau = rng.uniform(300.0, 900.0)
        tables["run"].append(
            {
                "dataset_id": ds.dataset_id,
                "dataset": name,
                "run_number": run.run_number,
                "ls_count": n_ls,
                "ls_completeness": ls_completeness(run.run_number, n_ls),
            }
        )
        # Bad lumisections of every model for this run.
        bad_by_model: dict[int, dict[int, float]] = {}
        for model in spec.models:
            forced = forced_bad.get((model.model_id, ds.dataset_id, run.run_number), set())
            bad_by_model[model.model_id] = _pick_bad(rng, model, n_ls, forced)
        bad_by_me: dict[int, set[int]] = {}
        for model in spec.models:
            bad_by_me.setdefault(model.target_me_id, set()).update(bad_by_model[model.model_id])

        file_of_ls: dict[int, int] = {}
        lfns: dict[int, str] = {}
        for index, (first, last) in enumerate(_file_chunks(rng, n_ls)):
            if index == 0 and run.run_number == ds.anchor_run and ds.first_file_id is not None:
                file_id = ds.first_file_id
            else:
                file_id = new_file_id()
            file_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
            created = start + timedelta(hours=rng.uniform(20.0, 60.0))
            modified = created + timedelta(minutes=rng.uniform(5.0, 600.0))
            latest = max(latest, modified)
            file_name = lfn(name, run.run_number, file_uuid)
            lfns[file_id] = file_name
            tables["file_index"].append(
                {
                    "file_id": file_id,
                    "dataset_id": ds.dataset_id,
                    "dataset": name,
                    "file_size": (last - first + 1) * rng.randint(1_800_000, 2_600_000),
                    "creation_date": iso(created),
                    "last_modification_date": iso(modified),
                    "logical_file_name": file_name,
                    "status": "FINISHED",
                    "err_trace": None,
                }
            )
            for ls in range(first, last + 1):
                file_of_ls[ls] = file_id

        for ls in range(1, n_ls + 1):
            lumi = run_scale * math.exp(-ls / tau) * rng.uniform(0.93, 1.07)
            file_id = file_of_ls[ls]
            th1_count = th2_count = 0
            for me in mes:
                if me.dim == 2 and ls % me.ls_stride:
                    continue
                hist = histograms[me.me_id]
                bad = ls in bad_by_me.get(me.me_id, ())
                profile = hist.bad_profile if bad else hist.profile
                sqrt_profile = hist.sqrt_bad if bad else hist.sqrt_profile
                values = filler.fill(profile, sqrt_profile, me.rate * lumi)
                row: Row = {
                    "dataset_id": ds.dataset_id,
                    "dataset": name,
                    "file_id": file_id,
                    "run_number": run.run_number,
                    "ls_number": ls,
                    "me_id": me.me_id,
                    "me": me.me,
                    "x_min": me.x_min,
                    "x_max": me.x_max,
                    "x_bin": me.x_bin,
                    "entries": int(sum(values)),
                    "logical_file_name": lfns[file_id],
                }
                if me.dim == 1:
                    row["data"] = values
                    tables["th1"].append(row)
                    th1_count += 1
                else:
                    row["y_min"] = me.y_min
                    row["y_max"] = me.y_max
                    row["y_bin"] = me.y_bin
                    nx = me.x_bin
                    row["data"] = [values[j * nx : (j + 1) * nx] for j in range(me.y_bin)]
                    tables["th2"].append(row)
                    th2_count += 1
                me_counts[me.me_id] += 1
            tables["lumisection"].append(
                {
                    "dataset_id": ds.dataset_id,
                    "dataset": name,
                    "run_number": run.run_number,
                    "ls_number": ls,
                    "th1_count": th1_count,
                    "th2_count": th2_count,
                }
            )
        for model in spec.models:
            for ls, mse in bad_by_model[model.model_id].items():
                tables["ml_bad_lumisection"].append(
                    {
                        "model_id": model.model_id,
                        "dataset_id": ds.dataset_id,
                        "file_id": file_of_ls[ls],
                        "run_number": run.run_number,
                        "ls_number": ls,
                        "me_id": model.target_me_id,
                        "mse": mse,
                        "metric_value": mse,
                        "dataset": name,
                        "me": me_names[model.target_me_id],
                        "filename": model.filename,
                    }
                )
    tables["dataset_index"].append(
        {
            "dataset_id": ds.dataset_id,
            "dataset": name,
            **dataset_parts(name),
            "last_modification_date": iso(latest),
        }
    )


def build(size: Size = "small", seed: int = 0) -> dict[str, WorkspaceRows]:
    """Every workspace's rows for ``size`` and ``seed``."""
    return {name: build_workspace(maker(size), seed) for name, maker in WORKSPACES.items()}
