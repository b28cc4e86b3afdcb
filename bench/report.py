"""Medians, ratios and the issue's targets, rendered as Markdown and JSON."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

METRICS = ("wall_s", "cpu_s", "peak_rss_mb")
METRIC_LABELS = {"wall_s": "wall s", "cpu_s": "CPU s", "peak_rss_mb": "peak RSS MiB"}
# Extra per-run values kept as medians when a driver reports them.
EXTRA_METRICS = (
    "first_item_rss_mb",
    "base_rss_mb",
    "setup_s",
    "requests",
    "store_bytes",
    "json_bytes",
)


@dataclass(frozen=True)
class Target:
    """One target of the issue: ``ours.metric <= limit * versus.metric`` on a workload."""

    workload: str
    metric: str
    versus: str  # an implementation, or "first_item_rss" for W5's own first-page RSS
    limit: float
    reason: str
    subject: str = "ours"

    @property
    def label(self) -> str:
        if self.versus == "first_item_rss":
            return f"{self.workload} peak RSS <= {self.limit:g} x RSS after the first page"
        return (
            f"{self.workload} {METRIC_LABELS[self.metric]}: {self.subject} <= "
            f"{self.limit:g} x {self.versus}"
        )


TARGETS: tuple[Target, ...] = (
    Target("W3", "wall_s", "classic", 0.5, "connection reuse and a lean request path"),
    Target("W4", "wall_s", "classic", 0.5, "connection reuse and a lean request path"),
    *(
        Target(w, "cpu_s", versus, limit, "client CPU time")
        for w in ("W1", "W2", "W6")
        for versus, limit in (("classic", 0.8), ("floor", 1.5))
    ),
    Target("W1", "peak_rss_mb", "classic", 1.0, "peak RSS"),
    Target("W2", "peak_rss_mb", "classic", 1.0, "peak RSS"),
    Target("W6", "peak_rss_mb", "classic", 1.0, "peak RSS with the DataFrame (issue 17)"),
    Target("W5", "peak_rss_mb", "first_item_rss", 1.25, "constant memory while iterating"),
    Target("W7", "wall_s", "ours", 0.15, "workers=8 at 100 ms latency", subject="ours-w8"),
    Target("W7", "wall_s", "classic", 0.2, "workers=8 at 100 ms latency", subject="ours-w8"),
    Target("W9", "cpu_s", "floor-orjson", 1.2, "to_numpy() near decode + numpy.asarray"),
    Target("W10", "cpu_s", "floor-mpl", 1.5, "page.plot() near matplotlib's own pcolormesh"),
    Target("W14", "cpu_s", "floor-searchsorted", 1.5, "mask(runs, lumis) near np.searchsorted"),
    Target("W17", "wall_s", "floor", 2.0, "dials --help starts near import cmsdials"),
    Target(
        "W11",
        "cpu_s",
        "floor-parquet",
        1.15,
        "a store pull near fetch + write_table",
        subject="ours-store",
    ),
    Target(
        "W12",
        "wall_s",
        "floor-parquet",
        1.3,
        "reading a store near read_table().to_pandas()",
        subject="ours-store",
    ),
    Target(
        "W13",
        "wall_s",
        "ours-store",
        1.25,
        "killed at half and run again vs one pull",
        subject="ours-store-kill",
    ),
    Target("W15", "wall_s", "ours-loop", 0.15, "8 MEs at once, workers=8", subject="ours-mes"),
    Target("W16", "cpu_s", "floor-hist", 1.2, "to_hist() near hist.Hist built by hand"),
)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def medians(runs: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Median of each metric over the kept runs of one workload x implementation."""
    summary: dict[str, float] = {}
    for name in (*METRICS, *EXTRA_METRICS):
        values = [float(run[name]) for run in runs if run.get(name) is not None]
        if values:
            summary[name] = median(values)
    summary["runs"] = float(len(runs))
    return summary


def evaluate_targets(table: dict[str, dict[str, dict[str, float]]]) -> list[dict[str, Any]]:
    """Each target with the two medians, their ratio and PASS / FAIL (N/A when unmeasured)."""
    checked: list[dict[str, Any]] = []
    for target in TARGETS:
        cells = table.get(target.workload, {})
        ours = cells.get(target.subject, {}).get(target.metric)
        if target.versus == "first_item_rss":
            reference = cells.get("ours", {}).get("first_item_rss_mb")
        else:
            reference = cells.get(target.versus, {}).get(target.metric)
        ratio = ours / reference if ours is not None and reference else None
        status = "N/A" if ratio is None else ("PASS" if ratio <= target.limit else "FAIL")
        checked.append(
            {
                "target": target.label,
                "workload": target.workload,
                "metric": target.metric,
                "versus": target.versus,
                "limit": target.limit,
                "ours": ours,
                "reference": reference,
                "ratio": ratio,
                "status": status,
                "why": target.reason,
            }
        )
    return checked


def _fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "-"
    if metric == "peak_rss_mb" or metric.endswith("_mb"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def _load(values: Sequence[float]) -> str:
    return "/".join(f"{value:.2f}" for value in values)


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or not b:
        return "-"
    return f"{a / b:.2f}"


TRUST_LABELS = {
    "ca": "the local CA alone",
    "certifi+ca": "certifi's bundle plus the local CA",
}


def _transport_line(results: dict[str, Any]) -> str:
    """How the clients reached the server: HTTPS (with what trust) or plain HTTP."""
    transport = results.get("transport", "http")
    if transport != "https":
        return "- transport: plain HTTP on loopback (new connections cost no TLS handshake)"
    session = results.get("tls_session") or {}
    detail = ", ".join(session[key] for key in ("version", "cipher") if key in session)
    trust = TRUST_LABELS.get(str(results.get("trust")), str(results.get("trust")))
    return (
        f"- transport: HTTPS on loopback{f' ({detail})' if detail else ''}, like production "
        f"DIALS; the clients trust {trust} (`SSL_CERT_FILE` for httpx, `REQUESTS_CA_BUNDLE` "
        "for requests)"
    )


def render_markdown(results: dict[str, Any]) -> str:
    """The human-readable report: context, medians with ratios, targets."""
    impls: list[str] = results["impls"]
    table: dict[str, dict[str, dict[str, float]]] = results["workloads"]
    versions: dict[str, Any] = results["versions"]
    kept = results["rounds"] - (1 if results["rounds"] > 1 else 0)
    lines = [
        "# cmsdials benchmark: ours vs classic vs floor",
        "",
        f"- date: {results['date']}",
        f"- machine: {results['cores']} cores ({results['cpu']}), {results['platform']}; "
        f"load average {_load(results['load_average_at_start'])} at start, "
        f"{_load(results['load_average_at_end'])} at end",
        f"- python: {versions.get('python', '?')}",
        f"- ours: cmsdials {versions.get('ours', {}).get('cmsdials', '?')} "
        f"(commit {results.get('commit', '?')})",
    ]
    for impl in impls:
        if impl.startswith("classic"):
            lines.append(f"- {impl}: cmsdials {versions.get(impl, {}).get('cmsdials', '?')}")
    lines += [
        f"- rounds: {results['rounds']} interleaved "
        f"({'first discarded, ' if results['rounds'] > 1 else ''}medians of {kept}); "
        f"server data set: {results['size']}{' (smoke)' if results['smoke'] else ''}",
        _transport_line(results),
        "- each run is a fresh process; wall and CPU (user+sys) cover the workload call only;"
        " peak RSS is the process's high-water mark (VmHWM)",
        "",
        "## Workloads",
        "",
    ]
    for name, info in results["workload_params"].items():
        lines.append(f"- **{name}** {info['title']}; filters `{info['filters']}`")
        lines.extend(f"  - note: {note}" for note in info.get("notes", []))
    header = ["Workload", "Metric", *impls]
    references = ("classic", "floor", "floor-orjson", "floor-mpl", "floor-hist")
    known = (*references, "floor-searchsorted", "loop-dict")
    refs = [impl for impl in known if impl in impls]
    header += [f"ours/{impl}" for impl in refs]
    lines += [
        "",
        "## Medians",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for name in results["workload_params"]:
        cells = table.get(name, {})
        for metric in METRICS:
            row = [name, METRIC_LABELS[metric]]
            row += [_fmt(cells.get(impl, {}).get(metric), metric) for impl in impls]
            ours = cells.get("ours", {}).get(metric)
            row += [_ratio(ours, cells.get(ref, {}).get(metric)) for ref in refs]
            lines.append("| " + " | ".join(row) + " |")
        first = cells.get("ours", {}).get("first_item_rss_mb")
        if first is not None:
            cols = [name, "RSS after 1st page MiB"]
            cols += [_fmt(first, "peak_rss_mb") if impl == "ours" else "-" for impl in impls]
            cols += ["-" for _ in refs]
            lines.append("| " + " | ".join(cols) + " |")
    lines += [
        "",
        "## Targets",
        "",
        "| Target | ours | reference | ratio | limit | result |",
        "|---|---|---|---|---|---|",
    ]
    for target in results["targets"]:
        metric = target["metric"]
        ratio = "-" if target["ratio"] is None else f"{target['ratio']:.2f}"
        lines.append(
            f"| {target['target']} | {_fmt(target['ours'], metric)} | "
            f"{_fmt(target['reference'], metric)} | {ratio} | {target['limit']:g} | "
            f"{target['status']} |"
        )
    if results.get("errors"):
        lines += ["", "## Errors", ""]
        lines.extend(f"- {error}" for error in results["errors"])
    return "\n".join(lines) + "\n"
