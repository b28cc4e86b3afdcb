"""``dials``: every command through the installed console script, against the local DIALS."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials
from cmsdials.testing import DialsServer

from .conftest import DIALS, Run, run_dials, shell, start

DATASET = 14412045  # the tracker workspace's first dataset
RUN = 360392
ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"
JETMET_DATASET = 15042670
JETMET_RUN = 385764


def api_requests(srv: DialsServer) -> list[str]:
    return [r.path for r in srv.requests if r.path.startswith("/api/")]


# -- help ---------------------------------------------------------------------------------

COMMANDS = [
    "login",
    "logout",
    "whoami",
    "workspaces",
    "ls",
    "count",
    "get",
    "mes",
    "pull",
    "json",
    "cert-json",
    "golden-json",
    "plot",
    "server",
    "completion",
]


def test_help_lists_the_commands_and_the_environment(dials: Run) -> None:
    out = dials("--help").stdout
    for command in COMMANDS:
        assert re.search(rf"^  {command}\s", out, re.M), command
    for option, variable in [
        ("--base-url", "CMSDIALS_BASE_URL"),
        ("--workspace", "CMSDIALS_WORKSPACE"),
        ("--keycloak-url", "CMSDIALS_KEYCLOAK_URL"),
        ("--client-id", "CMSDIALS_CLIENT_ID"),
    ]:
        assert option in out and variable in out
    assert "CMSDIALS_CLIENT_SECRET" in out and "--client-secret-file" in out
    assert "Examples:" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(dials: Run, command: str) -> None:
    out = dials(command, "--help").stdout
    assert out.startswith(f"Usage: dials {command}")
    assert re.search(r"^  Examples?:\n    .*\bdials ", out, re.M), out


def test_help_imports_nothing_heavy(env: dict[str, str]) -> None:
    code = (
        "import sys, contextlib, io\n"
        "from cmsdials.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.replace("'", '"')))
    assert "click" in loaded  # the check sees the modules
    heavy = {"pandas", "numpy", "pyarrow", "matplotlib", "dask", "httpx"}
    assert not heavy & loaded


def test_python_dash_m_cmsdials_is_dials(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cmsdials", "--version"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith("dials, version ")


# -- rows ---------------------------------------------------------------------------------


def test_ls_shows_one_page_as_a_table_and_says_so_on_stderr(dials: Run, lib: Dials) -> None:
    done = dials("ls", "run")
    first_page = lib.run.list().results
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "dataset", "dataset_id"]
    assert len(lines) == 1 + len(first_page)
    assert all(len(line) <= 100 for line in lines)
    assert "--limit N or --all" in done.stderr  # messages on stderr, not in the data


def test_the_table_summarises_the_bins_and_fits_the_width(dials: Run) -> None:
    done = dials("ls", "h1d", "--limit", "3", COLUMNS="90")
    lines = done.stdout.splitlines()
    assert len(lines) == 4 and all(len(line) <= 90 for line in lines)
    assert lines[1].endswith("100 bins in [0.0, 80000.0)")
    assert "not shown at this width" in done.stderr


def test_ls_json_is_a_list_of_row_objects_with_utc_dates(dials: Run, lib: Dials) -> None:
    rows = json.loads(dials("ls", "dataset_index", "--format", "json").stdout)
    expected = lib.dataset_index.list().results
    assert [r["dataset_id"] for r in rows] == [r.dataset_id for r in expected]
    dates = [r["last_modification_date"] for r in rows]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", d) for d in dates)


def test_ls_all_streams_every_row_and_count_agrees(dials: Run, lib: Dials) -> None:
    selection = ["-f", f"dataset_id={DATASET}", "-f", "page_size=50"]
    rows = json.loads(dials("ls", "lumi", *selection, "--all", "--format", "json").stdout)
    n = dials("count", "lumi", "-f", f"dataset_id={DATASET}").stdout
    assert n == f"{len(rows)}\n"  # the number alone
    assert len(rows) == lib.lumi.count({"dataset_id": DATASET}) > 50
    refused = dials("count", "h1d", code=2)  # DIALS has no count of histogram rows
    assert "DIALS counts the rows of" in refused.stderr and "lumi" in refused.stderr
    concurrent = dials("ls", "lumi", *selection, "--all", "--workers", "3", "--format", "json")
    assert json.loads(concurrent.stdout) == rows


def test_ls_limit(dials: Run) -> None:
    rows = json.loads(
        dials("ls", "lumi", "-f", "page_size=7", "--limit", "10", "--format", "json").stdout
    )
    assert len(rows) == 10


def test_csv_round_trips_into_pandas(dials: Run, lib: Dials, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    filters = {"run_number": RUN, "me": ME, "page_size": 20}
    args = [f"-f{k}={v}" for k, v in filters.items()]
    text = dials("ls", "h1d", *args, "--limit", "30", "--format", "csv").stdout
    got = pd.read_csv(io.StringIO(text))
    want = lib.h1d.list_all(filters, max_pages=2).to_pandas().head(30)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want) == 30
    for name in want.columns:
        if name == "data":
            assert [json.loads(cell) for cell in got[name]] == list(want[name])
        else:
            assert list(got[name]) == list(want[name]), name


def test_parquet_opens_with_pyarrow(dials: Run, tmp_path: Path, lib: Dials) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "rows.parquet"
    dials("ls", "h2d", "-f", f"run_number={RUN}", "--limit", "5", "-o", str(path))
    table = pq.read_table(path)
    assert table.num_rows == 5
    want = lib.h2d.list({"run_number": RUN}).results[:5]
    assert table.column("data").to_pylist() == [r.data for r in want]
    dates = tmp_path / "datasets.parquet"
    dials("ls", "dataset_index", "--format", "parquet", "-o", str(dates))
    kind = pq.read_table(dates).schema.field("last_modification_date").type
    assert str(kind.tz) == "UTC"


def test_the_output_file_is_complete_or_absent(
    dials: Run, srv: DialsServer, tmp_path: Path
) -> None:
    path = tmp_path / "lumis.json"
    srv.faults.inject("status", count=1, route="lumisection/", status=500, query="next_token")
    dials("ls", "lumi", "-f", "page_size=5", "--all", "-o", str(path), code=1)
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".lumis")] == []


def test_get_one_row(dials: Run, lib: Dials) -> None:
    keys = {"dataset_id": DATASET, "run_number": RUN, "ls_number": 10, "me_id": 2}
    args = [f"{k}={v}" for k, v in keys.items()]
    rows = json.loads(dials("get", "h1d", *args, "--format", "json").stdout)
    assert rows == [lib.h1d.get(**keys).model_dump(mode="json")]
    table = dials("get", "th1", *args).stdout  # DIALS's route name works too
    assert re.search(r"^data\s+100 bins in", table, re.M)


def test_mes(dials: Run, lib: Dials) -> None:
    rows = json.loads(dials("mes", "--regex", "charge_PXLayer", "--format", "json").stdout)
    assert [r["me"] for r in rows] == [
        m.me for m in lib.mes.list_all({"me__regex": "charge_PXLayer"})
    ]
    by_run = json.loads(
        dials("mes", "--dataset-id", str(DATASET), "--run", str(RUN), "--format", "json").stdout
    )
    assert {r["me_id"] for r in by_run} == {m.me_id for m in lib.mes.list_by_run(DATASET, RUN)}


def test_workspaces_and_whoami_never_print_a_secret(dials: Run, srv: DialsServer) -> None:
    out = dials("workspaces").stdout.split()
    assert set(out) - {"*"} == set(srv.workspaces) and "tracker" in out
    who = dials("whoami")
    info = json.loads(dials("--workspace", "jetmet", "whoami", "--format", "json").stdout)
    assert info["workspace"] == "jetmet"
    assert srv.client_id in info["login"]
    assert re.fullmatch(r"\d{4}-.*Z", info["token_expires"])
    for text in (who.stdout, who.stderr, json.dumps(info)):
        assert srv.client_secret not in text
        assert "eyJ" not in text  # no JWT


# -- filters ------------------------------------------------------------------------------


def test_a_misspelt_filter_exits_2_before_any_request(dials: Run, srv: DialsServer) -> None:
    srv.clear_requests()
    done = dials("ls", "h1d", "-f", "me__regx=PXBarrel", code=2)
    assert "Usage: dials ls" in done.stderr
    assert "did you mean 'me__regex'" in done.stderr
    done = dials("count", "run", "-f", "run_number__gte=abc", code=2)
    assert "run_number__gte" in done.stderr
    assert srv.requests == []  # neither DIALS nor Keycloak was asked


def test_lists_and_shorthands(dials: Run, lib: Dials) -> None:
    runs = [r.run_number for r in lib.run.list_all({"dataset_id": DATASET}).results][:3]
    listed = ",".join(map(str, runs))
    rows = json.loads(
        dials(
            "ls",
            "run",
            "-f",
            f"dataset_id__in={DATASET}",
            "--runs",
            f"{runs[0]}-{runs[-1]}",
            "--all",
            "--format",
            "json",
        ).stdout
    )
    assert sorted({r["run_number"] for r in rows}) == runs
    bad = json.loads(
        dials(
            "--workspace",
            "jetmet",
            "ls",
            "ml_bad_lumis",
            "-f",
            f"run_number__in={listed}",
            "--all",
            "--format",
            "json",
        ).stdout
    )
    assert {r["run_number"] for r in bad} <= set(runs)
    regex = json.loads(
        dials(
            "ls",
            "h1d",
            "--runs",
            str(RUN),
            "--me-regex",
            "charge_PXLayer_2$",
            "--dataset-regex",
            "ZeroBias",
            "--fields",
            "me,run_number",
            "--all",
            "--format",
            "json",
        ).stdout
    )
    assert regex and all(r == {"me": ME, "run_number": RUN} for r in regex)
    dials("ls", "run", "--me-regex", "x", code=2)  # runs have no ME


# -- ML JSON, plots ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["cert-json", "golden-json"])
def test_ml_json(dials: Run, srv: DialsServer, tmp_path: Path, command: str) -> None:
    auth = AuthClient(keycloak_url=srv.keycloak_url)
    creds = Credentials(srv.client_id, srv.client_secret, auth)
    with Dials(creds, workspace="jetmet", base_url=srv.base_url) as jetmet:
        want = getattr(jetmet.ml_bad_lumis, command.replace("-", "_"))(
            [1, 2], [JETMET_DATASET], [JETMET_RUN]
        )
    path = tmp_path / "out.json"
    args = ["--model-id", "1,2", "--dataset-id", str(JETMET_DATASET), "--run", str(JETMET_RUN)]
    dials("--workspace", "jetmet", command, *args, "-o", str(path))
    assert json.loads(path.read_text()) == want and want
    dials("--workspace", "jetmet", command, "--model-id", "1", code=2)  # dataset and run missing


def test_plot(dials: Run, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "run.png"
    select = ["-f", f"run_number={JETMET_RUN}", "-f", "me_id=1"]
    dials("--workspace", "jetmet", "plot", "h1d", *select, "--bad-model", "1", "-o", str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = dials(
        "--workspace",
        "jetmet",
        "plot",
        "h1d",
        "-f",
        f"run_number={JETMET_RUN}",
        "-o",
        str(tmp_path / "many.png"),
        code=2,
    )
    assert "monitoring elements" in done.stderr
    assert not (tmp_path / "many.png").exists()


# -- credentials, errors --------------------------------------------------------------------------


def test_without_credentials_or_terminal_exit_1_with_what_to_do(dials: Run) -> None:
    done = dials("ls", "run", code=1, CMSDIALS_CLIENT_SECRET=None)
    assert "dials login" in done.stderr and "CMSDIALS_CLIENT_SECRET" in done.stderr
    assert done.stdout == ""


def test_a_secret_is_never_an_argument(dials: Run) -> None:
    done = dials("--client-secret", "hunter2", "ls", "run", code=2)
    assert "never taken on the command line" in done.stderr
    assert "hunter2" not in done.stderr


def test_client_secret_file(dials: Run, srv: DialsServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text(srv.client_secret + "\n")
    out = dials("--client-secret-file", str(secret), "count", "run", CMSDIALS_CLIENT_SECRET=None)
    assert int(out.stdout) > 0
    dials("--client-secret-file", str(tmp_path / "absent"), "count", "run", code=2)


def test_a_dials_failure_is_one_line_and_exit_1(dials: Run, srv: DialsServer) -> None:
    srv.faults.inject("status", count=1, route="run/count", status=500)
    done = dials("count", "run", code=1)
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "500" in done.stderr
    srv.faults.inject("status", count=1, route="run/count", status=500)
    debug = dials("--debug", "count", "run", code=1)
    assert "Traceback" in debug.stderr and "ServerError" in debug.stderr


def test_verbose_shows_the_retries(dials: Run, srv: DialsServer) -> None:
    srv.faults.inject("status", count=1, route="run/count", status=503, retry_after=0)
    done = dials("-v", "count", "run")
    assert "cmsdials.transport" in done.stderr and "503" in done.stderr
    srv.faults.inject("status", count=1, route="run/count", status=503, retry_after=0)
    assert dials("-q", "count", "run").stderr == ""


def test_a_bad_base_url_is_a_usage_error(dials: Run) -> None:
    done = dials("--base-url", "ftp://x", "count", "run", code=2)
    assert "base_url" in done.stderr


def test_a_closed_pipe_ends_quietly(env: dict[str, str], tmp_path: Path) -> None:
    done = shell("dials ls lumi -f page_size=5 --all --format csv | head -n 2", env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2
    assert "Traceback" not in done.stderr and "Error" not in done.stderr


def test_ctrl_c_exits_130(env: dict[str, str], srv: DialsServer, tmp_path: Path) -> None:
    srv.faults.inject("stall", count=1, route="lumisection/", stall_seconds=30)
    proc = start(["ls", "lumi", "--all", "--format", "json"], env, tmp_path)
    try:
        _wait_for_request(srv, "/api/v1/lumisection/")
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in err and "Interrupted" in err


def _wait_for_request(srv: DialsServer, path: str, timeout: float = 30) -> None:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(r.path == path for r in list(srv.requests)):
            return
        time.sleep(0.05)
    raise AssertionError(f"no request to {path}")


# -- login ---------------------------------------------------------------------------------


def test_login_whoami_logout_against_the_local_realm(
    env: dict[str, str], srv: DialsServer, tmp_path: Path
) -> None:
    person = {
        k: v for k, v in env.items() if k not in ("CMSDIALS_CLIENT_ID", "CMSDIALS_CLIENT_SECRET")
    }
    proc = start(["login"], person, tmp_path)
    try:
        assert proc.stderr is not None
        url = None
        for line in proc.stderr:
            found = re.search(r"https?://\S+/_control/device\?user_code=\S+", line)
            if found:
                url = found.group(0)
                break
        assert url is not None
        assert httpx.get(url).status_code == 200  # the person logs in
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    cache = Path(env["CMSDIALS_CACHE_DIR"]) / "creds"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    info = json.loads(run_dials(["whoami", "--format", "json"], person, cwd=tmp_path).stdout)
    assert info["user"].startswith("dials-tester")
    assert info["login_expires"].endswith("Z")
    token = json.loads(cache.read_text())["access_token"]
    rows = run_dials(["ls", "run", "--format", "json"], person, cwd=tmp_path).stdout
    assert token not in rows and json.loads(rows)
    run_dials(["logout"], person, cwd=tmp_path)
    assert not cache.exists()
    run_dials(["whoami"], person, code=1, cwd=tmp_path)


# -- the local DIALS, completion --------------------------------------------------------------


def test_server_prints_how_to_point_dials_at_it(env: dict[str, str], tmp_path: Path) -> None:
    clean = {k: v for k, v in env.items() if not k.startswith("CMSDIALS_")}
    proc = start(["server", "--port", "0"], clean, tmp_path)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
        exported = dict(re.fullmatch(r"export (\w+)=(\S+)\n", line).groups() for line in lines)  # type: ignore[union-attr]
        assert set(exported) == {
            "CMSDIALS_BASE_URL",
            "CMSDIALS_KEYCLOAK_URL",
            "CMSDIALS_CLIENT_ID",
            "CMSDIALS_CLIENT_SECRET",
        }
        counted = run_dials(["count", "run"], {**clean, **exported}, cwd=tmp_path)
        assert int(counted.stdout) > 0
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130


def test_completion(env: dict[str, str], tmp_path: Path) -> None:
    for name in ("bash", "zsh"):
        script = run_dials(["completion", name], env, cwd=tmp_path).stdout
        assert "_DIALS_COMPLETE" in script

    def complete(words: str) -> list[str]:
        cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
        done = subprocess.run(
            [str(DIALS)],
            env={
                **env,
                "_DIALS_COMPLETE": "bash_complete",
                "COMP_WORDS": words,
                "COMP_CWORD": cword,
            },
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]

    assert complete("dials ls h") == ["h1d", "h2d"]
    assert "me__regex=" in complete("dials ls h1d -f me__re")
    assert "count" in complete("dials co")


def test_no_secret_left_in_files_written(dials: Run, srv: DialsServer, tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    dials("ls", "run", "-o", str(path))
    assert srv.client_secret not in path.read_text()
    assert os.listdir(tmp_path) == ["runs.csv"]


# -- lumisection masks ----------------------------------------------------------------------


def test_json_and_or_sub_diff_through_lumimask(dials: Run, tmp_path: Path) -> None:
    from cmsdials.lumi import LumiMask

    a = {"1": [[1, 10]], "2": [[5, 6]]}
    b = {"1": [[5, 20]], "3": [[1, 1]]}
    (tmp_path / "a.json").write_text(json.dumps(a))
    (tmp_path / "b.json").write_text(json.dumps(b))
    masks = LumiMask(a), LumiMask(b)
    for operation, want in [
        ("and", masks[0] & masks[1]),
        ("or", masks[0] | masks[1]),
        ("sub", masks[0] - masks[1]),
    ]:
        out = dials("json", operation, "a.json", "b.json").stdout
        assert LumiMask(json.loads(out)) == want, operation
    dials("json", "and", "a.json", "b.json", "-o", "both.json")
    assert json.loads((tmp_path / "both.json").read_text()) == {"1": [[5, 10]]}
    diff = json.loads(dials("json", "diff", "a.json", "b.json", "--format", "json").stdout)
    assert diff == LumiMask.diff(*masks).to_dict()
    assert "run 2: only in a 2" in dials("json", "diff", "a.json", "b.json").stdout
    dials("json", "and", "a.json", code=2)  # one file
    assert "no file" in dials("json", "or", "a.json", "absent.json", code=2).stderr


def test_cert_json_piped_into_json(env: dict[str, str], tmp_path: Path) -> None:
    select = f"--model-id 1 --dataset-id {JETMET_DATASET} --run {JETMET_RUN}"
    pipeline = (
        f"dials --workspace jetmet golden-json {select} > good.json\n"
        f"dials --workspace jetmet cert-json {select} | dials json and - good.json"
    )
    done = shell(pipeline, env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {}  # a model's bad lumisections are not its good ones
    assert json.loads((tmp_path / "good.json").read_text())


def test_progress_only_on_a_terminal(env: dict[str, str], tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    args = ["ls", "lumi", "-f", "page_size=20", "--all", "-o", "lumis.json"]
    master, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 wide
    proc = subprocess.Popen(
        [str(DIALS), *args],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child has gone: the terminal is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert "Progress" in b"".join(chunks).decode(errors="replace")
    assert "Progress" not in run_dials(args, env, cwd=tmp_path).stderr  # no terminal
    assert len(json.loads((tmp_path / "lumis.json").read_text())) > 20
