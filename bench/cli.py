"""``python -m bench``: start the local server, run W1-W6 per implementation, report.

Runs are interleaved per workload (ours, classic, ..., floor, ours, classic, ...); every run
is a fresh driver process that measures itself. The first round is discarded (warm-up of
the server, its caches and the OS page cache) when more than one round is run.

The server speaks HTTPS by default, as production DIALS does (a new connection costs a TCP
and a TLS handshake); every driver trusts its throwaway CA through the environment:
``SSL_CERT_FILE`` (httpx: ours and the floor) and ``REQUESTS_CA_BUNDLE`` (requests: the
classic client). ``--no-tls`` serves plain HTTP instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import envs, report
from bench.server import LocalServer, ServerInfo
from bench.workloads import ALL_IMPLS, FULL, LATENCY_MS, SMOKE, Probe, Workload, discover

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DRIVERS = BENCH_DIR / "drivers"
RESULT_PREFIX = "BENCH_RESULT "
DEFAULT_IMPLS = ALL_IMPLS
TRUST_CHOICES = ("ca", "certifi+ca")
WORKLOAD_NAMES = (
    "W1",
    "W2",
    "W3",
    "W4",
    "W5",
    "W6",
    "W7",
    "W8",
    "W9",
    "W10",
    "W11",
    "W12",
    "W13",
    "W14",
    "W15",
    "W16",
    "W17",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark cmsdials (ours) against the classic client and a raw floor.",
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5; smoke 1)")
    parser.add_argument("--size", help="server data set (default large; smoke small)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny data, one round, classic only if its venv exists, results to a temp dir",
    )
    parser.add_argument("--only", help="comma-separated workloads, e.g. W1,W3")
    parser.add_argument(
        "--impl",
        help=f"comma-separated implementations among {','.join(ALL_IMPLS)} "
        f"(default {','.join(DEFAULT_IMPLS)})",
    )
    parser.add_argument("--out", type=Path, help="directory for latest.md / latest.json")
    parser.add_argument("--base-url", help="use this running server instead of starting one")
    parser.add_argument("--secret", help="client secret of the server given by --base-url")
    parser.add_argument(
        "--no-tls",
        action="store_true",
        help="serve plain HTTP (default: HTTPS with a throwaway CA, like production DIALS)",
    )
    parser.add_argument(
        "--ca-file", help="with an https --base-url: the PEM of the CA that server's cert is from"
    )
    parser.add_argument(
        "--trust",
        choices=TRUST_CHOICES,
        default="ca",
        help="what the clients trust over HTTPS: the local CA alone (default), or certifi's "
        "bundle plus the local CA (what the clients load in production)",
    )
    parser.add_argument(
        "--run-timeout", type=float, default=900.0, help="seconds allowed to one driver run"
    )
    parser.add_argument(
        "--specs-only",
        action="store_true",
        help="write the driver spec files (for profiling a driver by hand) and stop",
    )
    args = parser.parse_args(argv)
    if (args.base_url is None) != (args.secret is None):
        parser.error("--base-url and --secret go together")
    if args.ca_file is not None and args.base_url is None:
        parser.error("--ca-file goes with --base-url (a started server announces its CA)")
    if args.no_tls and args.base_url is not None:
        parser.error("--no-tls starts a plain HTTP server; with --base-url its scheme decides")
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def _split(value: str | None, default: tuple[str, ...], allowed: tuple[str, ...]) -> list[str]:
    if value is None:
        return list(default)
    chosen = [item.strip() for item in value.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in allowed]
    if unknown:
        raise SystemExit(f"bench: unknown {', '.join(unknown)} (choose among {allowed})")
    return chosen


@dataclass
class Run:
    workload: str
    impl: str
    round: int
    ok: bool
    metrics: dict[str, Any]
    error: str | None = None


def driver_command(impl: str, kind: str = "") -> list[str]:
    """The interpreter and driver script of an implementation (``-E -s``: no stray paths)."""
    if kind == "lumi":  # W14: every implementation in one driver
        return [sys.executable, "-E", "-s", str(DRIVERS / "lumi.py")]
    if kind == "startup":  # W17: the driver times a child process of either implementation
        return [sys.executable, "-E", "-s", str(DRIVERS / "startup.py")]
    if impl.startswith(("ours", "floor")):
        script = impl.split("-")[0]  # ours-w8 / ours-store...: ours.py; floor-*: floor.py
        return [sys.executable, "-E", "-s", str(DRIVERS / f"{script}.py")]
    return [str(envs.classic_env(impl).python), "-E", "-s", str(DRIVERS / "classic.py")]


def trust_environment(
    server: ServerInfo, trust: str, scratch: Path, second: ServerInfo | None = None
) -> dict[str, str]:
    """Environment variables that make every driver trust the server's CA (HTTPS only).

    httpx (ours, the floor) reads ``SSL_CERT_FILE`` when it builds its SSL context, requests
    (the classic client) reads ``REQUESTS_CA_BUNDLE`` for every request; both are given the
    same file: the CA alone, or with ``trust="certifi+ca"`` certifi's bundle followed by the
    CA, so that a client loads as many certificates as it does in production.
    """
    if server.ca_file is None:
        return {}
    bundle = server.ca_file
    if second is not None and second.ca_file is not None:  # the latency server's CA too
        both = scratch / "tls" / "local-cas.pem"
        both.parent.mkdir(parents=True, exist_ok=True)
        both.write_text(
            Path(server.ca_file).read_text(encoding="ascii").rstrip("\n")
            + "\n"
            + Path(second.ca_file).read_text(encoding="ascii"),
            encoding="ascii",
        )
        bundle = str(both)
    if trust == "certifi+ca":
        import certifi

        combined = scratch / "tls" / "certifi-and-local-ca.pem"
        combined.parent.mkdir(parents=True, exist_ok=True)
        public = Path(certifi.where()).read_text(encoding="ascii")
        local = Path(bundle).read_text(encoding="ascii")
        combined.write_text(public.rstrip("\n") + "\n" + local, encoding="ascii")
        bundle = str(combined)
    return {"SSL_CERT_FILE": bundle, "REQUESTS_CA_BUNDLE": bundle}


def run_driver(
    workload: Workload,
    impl: str,
    round_index: int,
    spec_path: Path,
    cwd: Path,
    timeout: float,
    env: dict[str, str] | None = None,
) -> Run:
    command = [*driver_command(impl, workload.kind), str(spec_path)]
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
            check=False,
            env={**os.environ, **(env or {})},
        )
    except subprocess.TimeoutExpired:
        return Run(workload.name, impl, round_index, False, {}, f"timed out after {timeout:.0f} s")
    found = [
        line[len(RESULT_PREFIX) :]
        for line in completed.stdout.splitlines()
        if line.startswith(RESULT_PREFIX)
    ]
    if completed.returncode != 0 or not found:
        tail = (completed.stderr.strip().splitlines() or ["(no stderr)"])[-6:]
        return Run(
            workload.name,
            impl,
            round_index,
            False,
            {},
            f"exit {completed.returncode}: " + " | ".join(tail),
        )
    metrics: dict[str, Any] = json.loads(found[-1])
    problems = []
    if metrics["rows"] != workload.expected_rows:
        problems.append(f"fetched {metrics['rows']} rows, expected {workload.expected_rows}")
    if metrics["checksum"] != workload.expected_checksum:
        problems.append(
            f"checksum {metrics['checksum']} of {workload.checksum_field}, "
            f"expected {workload.expected_checksum}"
        )
    if problems:
        return Run(workload.name, impl, round_index, False, metrics, "; ".join(problems))
    return Run(workload.name, impl, round_index, True, metrics)


def _git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "cmsdials", "generated"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+uncommitted" if dirty else "")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _progress(run: Run, rounds: int) -> None:
    head = f"bench: {run.workload} round {run.round + 1}/{rounds} {run.impl:<13}"
    if run.ok:
        m = run.metrics
        extra = (
            f" first-page RSS {m['first_item_rss_mb']:.1f} MiB" if "first_item_rss_mb" in m else ""
        )
        print(
            f"{head} wall {m['wall_s']:.3f} s  cpu {m['cpu_s']:.3f} s  "
            f"peak {m['peak_rss_mb']:.1f} MiB  rows {m['rows']}{extra}",
            flush=True,
        )
    else:
        print(f"{head} ERROR {run.error}", flush=True)


def run_bench(
    server: ServerInfo,
    workloads: list[Workload],
    impls: list[str],
    rounds: int,
    scratch: Path,
    timeout: float,
    env: dict[str, str] | None = None,
    slow_server: ServerInfo | None = None,
) -> list[Run]:
    specs = scratch / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    for workload in workloads:
        applicable = [impl for impl in impls if workload.applies_to(impl)]
        paths: dict[str, Path] = {}
        target = slow_server if workload.latency_ms and slow_server is not None else server
        for impl in applicable:
            paths[impl] = specs / f"{workload.name}-{impl}.json"
            spec = workload.spec(impl, target.base_url, target.secret)
            paths[impl].write_text(json.dumps(spec), encoding="utf-8")
        for round_index in range(rounds):
            for impl in applicable:
                run = run_driver(workload, impl, round_index, paths[impl], scratch, timeout, env)
                _progress(run, rounds)
                runs.append(run)
    return runs


def summarize(
    runs: list[Run],
    workloads: list[Workload],
    impls: list[str],
    rounds: int,
    meta: dict[str, Any],
) -> dict[str, Any]:
    first_kept = 1 if rounds > 1 else 0
    errors = [f"{r.workload} {r.impl} round {r.round + 1}: {r.error}" for r in runs if not r.ok]
    kept: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    versions: dict[str, Any] = {"python": platform.python_version()}
    for run in runs:
        if run.ok:
            versions.setdefault(run.impl, run.metrics.get("versions", {}))
            if run.round >= first_kept:
                kept[run.workload][run.impl].append(run.metrics)
    table: dict[str, dict[str, dict[str, float]]] = {}
    raw: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for workload in workloads:
        table[workload.name] = {}
        raw[workload.name] = {}
        for impl in impls:
            if not workload.applies_to(impl):
                continue
            cell = kept[workload.name][impl]
            raw[workload.name][impl] = [
                {
                    key: value
                    for key, value in metrics.items()
                    if key not in ("versions", "impl", "workload")
                }
                for metrics in cell
            ]
            if cell:
                summary = report.medians(cell)
                summary["rows"] = float(cell[0]["rows"])
                table[workload.name][impl] = summary
        rows = {impl: int(cell["rows"]) for impl, cell in table[workload.name].items()}
        if len(set(rows.values())) > 1:
            errors.append(f"{workload.name}: implementations fetched different row counts {rows}")
    return {
        **meta,
        "versions": versions,
        "rounds": rounds,
        "impls": impls,
        "workload_params": {w.name: w.describe() for w in workloads},
        "workloads": table,
        "targets": report.evaluate_targets(table),
        "runs": raw,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    smoke: bool = args.smoke
    size: str = args.size or ("small" if smoke else "large")
    rounds: int = args.rounds or (1 if smoke else 5)
    impls = _split(args.impl, DEFAULT_IMPLS, ALL_IMPLS)
    only = _split(args.only, WORKLOAD_NAMES, WORKLOAD_NAMES)
    out_dir: Path = (
        args.out
        or (Path(tempfile.mkdtemp(prefix="cmsdials-bench-")) if smoke else BENCH_DIR / "results")
    ).resolve()  # the drivers run elsewhere: a relative --out would not reach their specs
    scratch = out_dir / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)

    for impl in [impl for impl in impls if impl in envs.CLASSIC_RELEASES]:
        env = envs.classic_env(impl)
        if smoke and not envs.is_ready(env):
            print(f"bench: smoke mode skips {impl} (no venv at {env.path})")
            impls.remove(impl)
            continue
        envs.ensure(env, scratch / "venv.log")

    load_at_start = list(os.getloadavg())
    server_cm: LocalServer | None = None
    slow_cm: LocalServer | None = None
    slow_server: ServerInfo | None = None
    if args.base_url is not None:
        base_url = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
        ca_file = str(Path(args.ca_file).resolve()) if args.ca_file is not None else None
        server = ServerInfo(base_url=base_url, secret=args.secret, ca_file=ca_file)
    else:
        tls = not args.no_tls
        server_cm = LocalServer(
            size, scratch / "server.log", cwd=REPO_ROOT, tls=tls, cert_dir=scratch / "tls"
        )
        scheme = "HTTPS" if tls else "plain HTTP"
        print(f"bench: starting the local DIALS server (size {size}, {scheme})", flush=True)
        server = server_cm.start()
        if any(name in only for name in ("W7", "W8", "W13", "W15")):
            print(
                f"bench: starting a second server with {LATENCY_MS:g} ms latency (W7, W8, W13, W15)"
            )
            slow_cm = LocalServer(
                size,
                scratch / "server-latency.log",
                cwd=REPO_ROOT,
                tls=tls,
                cert_dir=scratch / "tls-latency",
                latency_ms=LATENCY_MS,
            )
            slow_server = slow_cm.start()
    driver_env = trust_environment(server, args.trust, scratch, slow_server)
    for name, value in driver_env.items():
        print(f"bench: drivers run with {name}={value}", flush=True)
    try:
        probe = Probe(server.base_url, server.secret, server.ca_file)
        try:
            tls_session = probe.tls_session()
            workloads = [w for w in discover(probe, SMOKE if smoke else FULL) if w.name in only]
        finally:
            probe.close()
        for workload in workloads:
            print(f"bench: {workload.name} {workload.title}", flush=True)
            for note in workload.notes:
                print(f"bench:   note: {note}", flush=True)
        if args.specs_only:
            for workload in workloads:
                for impl in impls:
                    if workload.applies_to(impl):
                        path = scratch / "specs" / f"{workload.name}-{impl}.json"
                        path.parent.mkdir(parents=True, exist_ok=True)
                        spec = workload.spec(impl, server.base_url, server.secret)
                        path.write_text(json.dumps(spec), encoding="utf-8")
            print(f"bench: specs written to {scratch / 'specs'}")
            if driver_env:
                exports = " ".join(f"{name}={value}" for name, value in driver_env.items())
                print(f"bench: run a driver by hand with: export {exports}")
            return 0
        runs = run_bench(
            server, workloads, impls, rounds, scratch, args.run_timeout, driver_env, slow_server
        )
    finally:
        if server_cm is not None:
            server_cm.stop()
        if slow_cm is not None:
            slow_cm.stop()

    meta = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "load_average_at_start": load_at_start,
        "load_average_at_end": list(os.getloadavg()),
        "commit": _git_commit(),
        "size": size,
        "smoke": smoke,
        "transport": server.transport,
        "trust": args.trust if server.transport == "https" else None,
        "tls_session": tls_session,
    }
    results = summarize(runs, workloads, impls, rounds, meta)
    markdown = report.render_markdown(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (out_dir / "latest.md").write_text(markdown, encoding="utf-8")
    print()
    print(markdown)
    print(f"bench: results written to {out_dir / 'latest.md'} and {out_dir / 'latest.json'}")
    return 1 if results["errors"] else 0
