"""What a newcomer meets first (issue 23): installing, first errors, Ctrl-C, notebooks.

Each test plays what a new user does, over real sockets (and real processes where the
issue is about a terminal or a signal), and checks what they see.
"""

from __future__ import annotations

import io
import os
import pickle
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmsdials import Dials, exceptions
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials as ClientCredentials
from cmsdials.auth.exceptions import KeycloakUnreachableError
from cmsdials.auth.secret_key import Credentials
from cmsdials.testing import DialsServer

from .helpers import api_requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port nobody listens on (bound, read, released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def run_python(
    tmp_path: Path, code: str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``code`` as a user's script file in a fresh interpreter: no logging configured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMSDIALS_")}
    env["PYTHONWARNINGS"] = "ignore::DeprecationWarning"
    script = tmp_path / "user_script.py"
    script.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


def frames_below(stderr: str, marker: str) -> int:
    """Frames Python printed below the user's line ``marker``, over every chained block."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    return sum(1 for line in lines[start + 1 :] if line.startswith('  File "'))


# -- item 2: credentials without client= go to CERN's Keycloak ---------------------------


def test_credentials_without_client_name_cerns_keycloak_once(
    monkeypatch: pytest.MonkeyPatch, no_sleep: list[float]
) -> None:
    # CERN's Keycloak unreachable from here (as from a laptop off the network): the
    # production URL is pointed at a loopback port nobody listens on.
    production = f"http://127.0.0.1:{free_port()}/auth/"
    monkeypatch.setattr(AuthClient, "PRODUCTION_KEYCLOAK_URL", production)
    with pytest.raises(KeycloakUnreachableError) as caught:
        creds = ClientCredentials(client_id="my-application", client_secret="s3cret-value")
        Dials(creds, base_url="http://127.0.0.1:1/").run.list()
    message = str(caught.value)
    assert message.count(production) == 1 and message.count("http") == 1
    assert "Keycloak at " + production in message
    assert "no AuthClient(keycloak_url=...) was given" in message
    assert "CERN's production realm" in message and "client=AuthClient(keycloak_url=" in message
    assert "base_url" not in message and "DIALS reachable" not in message
    assert "((" not in message and "s3cret-value" not in message
    assert "5 attempts" in message and "ConnectError" in message
    assert isinstance(caught.value, exceptions.DialsConnectionError)


def test_an_explicit_keycloak_url_is_not_called_production(no_sleep: list[float]) -> None:
    url = f"http://127.0.0.1:{free_port()}/auth/"
    with pytest.raises(KeycloakUnreachableError) as caught:
        creds = ClientCredentials("my-application", "s3cret-value", AuthClient(keycloak_url=url))
        Dials(creds, base_url="http://127.0.0.1:1/").run.list(retries=0)
    message = str(caught.value)
    assert message.count(url) == 1 and "check the network and keycloak_url" in message
    assert "production" not in message


# -- item 3: nothing listening at base_url ---------------------------------------------


def test_nothing_listening_says_attempts_and_time_with_a_short_traceback(
    tmp_path: Path,
) -> None:
    """A user's script, no logging set up: one WARNING at the first retry, then an error
    naming the attempts and the time, whose traceback ends in our frames."""
    result = run_python(
        tmp_path,
        f"""
        from urllib3.util import Retry
        from cmsdials import Dials
        dials = Dials(None, base_url="http://127.0.0.1:{free_port()}/")
        dials.run.list(retries=Retry(connect=3, backoff_factor=0.01))  # the user's call
        """,
    )
    err = result.stderr
    assert result.returncode == 1, err
    assert err.count("retrying GET") == 1  # the first retry only: a WARNING
    assert "further retries back off" in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("cmsdials.exceptions.DialsConnectionError: GET ")
    assert "failed after 4 attempts over " in last and "ConnectError" in last
    assert "direct cause" not in err and "During handling" not in err
    assert "httpx" not in err.split("Traceback", 1)[1].split(last)[0]
    assert frames_below(err, "# the user's call") <= 8


def test_the_cause_stays_on_an_attribute_and_out_of_a_pickle(no_sleep: list[float]) -> None:
    import httpx

    with Dials(None, base_url=f"http://127.0.0.1:{free_port()}/") as dials:
        with pytest.raises(exceptions.DialsConnectionError) as caught:
            dials.run.list()
    error = caught.value
    assert isinstance(error.cause, httpx.ConnectError) and error.attempts == 5
    assert error.__cause__ is None and error.__suppress_context__
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) and copy.cause is None and copy.attempts == 5


# -- item 4: resume_from of another route or other filters ------------------------------

ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"


def test_resume_from_another_group_or_filters_is_refused_before_any_request(
    srv: DialsServer, dials: Dials
) -> None:
    from cmsdials.filters import LumisectionHistogram1DFilters

    filters = LumisectionHistogram1DFilters(me=ME, page_size=10)
    part = dials.h1d.list_all(filters, max_pages=2, enable_progress=False)
    assert part.next is not None
    srv.clear_requests()
    with pytest.raises(ValueError, match=r"resume_from is a page of /api/v1/th1/.*/api/v1/run/"):
        dials.run.list_all(resume_from=part)
    other = LumisectionHistogram1DFilters(me=ME, page_size=20)
    with pytest.raises(ValueError, match=r"other filters.*page_size"):
        dials.h1d.list_all(other, resume_from=part)
    with pytest.raises(ValueError, match=r"other filters.*me"):
        dials.h1d.list_all(LumisectionHistogram1DFilters(page_size=10), resume_from=part)
    assert api_requests(srv) == []  # refused before any request
    whole = dials.h1d.list_all(filters, resume_from=part, enable_progress=False)
    assert whole == dials.h1d.list_all(filters, enable_progress=False)


# -- item 8: max_pages=0 as in the classic 2.4.1 ------------------------------------------


def test_max_pages_zero_means_no_limit_with_a_deprecation_warning(dials: Dials) -> None:
    from cmsdials.filters import LumisectionHistogram1DFilters

    filters = LumisectionHistogram1DFilters(me=ME, page_size=100)
    with pytest.warns(DeprecationWarning, match="pass max_pages=None") as caught:
        page = dials.h1d.list_all(filters, max_pages=0, enable_progress=False)
    assert caught[0].filename == __file__  # points at the caller's line
    assert page == dials.h1d.list_all(filters, max_pages=None, enable_progress=False)
    assert len(page.results) > 100
    with pytest.warns(DeprecationWarning, match="pass max_pages=None"):
        assert dials.mes.list_all(max_pages=0) == dials.mes.list_all()
    with pytest.raises(ValueError, match="max_pages"):
        dials.h1d.list_all(filters, max_pages=-1)


# -- item 5: Ctrl-C in a serial list_all --------------------------------------------------

WALKER = """
import pickle, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)
from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
from cmsdials.filters import LumisectionHistogram1DFilters

ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"
base_url, secret, out, workers = sys.argv[1:5]
dials = Dials(Credentials(token=secret), base_url=base_url)
filters = LumisectionHistogram1DFilters(me=ME, page_size=10, run_number__gte=0)
print("walking", flush=True)
if out == "-":
    dials.h1d.list_all(filters, enable_progress=False, workers=int(workers))  # the user's call
else:
    try:
        dials.h1d.list_all(filters, keep_failed=True, enable_progress=False, workers=int(workers))
    except KeyboardInterrupt as exc:
        with open(out, "wb") as f:
            pickle.dump(exc.page, f)
        raise
"""


def interrupt_a_walk(
    tmp_path: Path, server: DialsServer, out: str, workers: int = 1
) -> subprocess.CompletedProcess[str]:
    """Run the walker in its own process; send it SIGINT once the server has answered a
    few of its pages (the server delays each answer, as production's round trip does)."""
    import signal
    import time

    script = tmp_path / "walker.py"
    script.write_text(WALKER)
    server.clear_requests()
    child = subprocess.Popen(
        [sys.executable, str(script), server.base_url, server.secret, out, str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "walking\n"
        waited = 0.0
        while sum(r.path == "/api/v1/th1/" for r in list(server.requests)) < 4:
            assert waited < 60, "the walker never fetched its pages"
            time.sleep(0.05)
            waited += 0.05
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def slow_server() -> Iterator[DialsServer]:
    from cmsdials.testing import serve

    with serve(latency_ms=60) as server:
        yield server


def test_ctrl_c_stops_a_serial_walk_with_a_short_traceback(
    tmp_path: Path, slow_server: DialsServer
) -> None:
    result = interrupt_a_walk(tmp_path, slow_server, "-")
    err = result.stderr
    last = err.strip().splitlines()[-1]
    assert last.startswith("cmsdials.exceptions.Interrupted: interrupted after "), err
    assert "resume_from=" in last
    assert "During handling" not in err and "direct cause" not in err
    assert "httpcore" not in err and "httpx" not in err
    assert frames_below(err, "# the user's call") <= 8
    assert result.returncode != 0


@pytest.mark.parametrize("workers", [1, 4])
def test_ctrl_c_keeps_the_rows_and_resumes_exactly(
    tmp_path: Path, slow_server: DialsServer, workers: int
) -> None:
    from cmsdials.filters import LumisectionHistogram1DFilters

    out = tmp_path / "page.pickle"
    result = interrupt_a_walk(tmp_path, slow_server, str(out), workers)
    assert "cmsdials.exceptions.Interrupted" in result.stderr, result.stderr
    with out.open("rb") as f:
        kept = pickle.load(f)
    assert kept.results and kept.next is not None  # some rows, and where to go on
    filters = LumisectionHistogram1DFilters(me=ME, page_size=10, run_number__gte=0)
    with Dials(Credentials(token=slow_server.secret), base_url=slow_server.base_url) as dials:
        rest = dials.h1d.list_all(filters, resume_from=kept, enable_progress=False, workers=workers)
        whole = dials.h1d.list_all(filters, enable_progress=False, workers=8)
    keys = [(r.dataset_id, r.run_number, r.ls_number, r.me_id) for r in rest.results]
    assert keys == [(r.dataset_id, r.run_number, r.ls_number, r.me_id) for r in whole.results]
    assert len(kept.results) < len(whole.results)


# -- item 7: a percentage only when the total is known -----------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_pages_and_rows_without_a_total_and_lumisections_with_one(
    dials: Dials, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmsdials.filters import LumisectionHistogram1DFilters

    filters = LumisectionHistogram1DFilters(me=ME, page_size=20, run_number__gte=0)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    serial = dials.h1d.list_all(filters)
    shown = terminal.getvalue().rstrip("\n").split("\r")[1:]
    assert shown and "%" not in terminal.getvalue() and "/?" not in terminal.getvalue()
    pages = -(-len(serial.results) // 20)
    assert shown[-1].startswith(f"Progress: {pages} pages [")
    assert f"{len(serial.results)} rows]" in shown[-1] and "pages/s" in shown[-1]

    # Split by runs: the run list's ls_count is the total, in lumisections.
    total = dials.h1d.plan(filters, workers=4).ls_count
    assert total
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    split = dials.h1d.list_all(filters, workers=4)
    assert split == serial
    shown = terminal.getvalue().rstrip("\n").split("\r")[1:]
    percents = [int(line.split("%", 1)[0].rsplit(" ", 1)[-1]) for line in shown]
    assert percents == sorted(percents) and percents[-1] == 100 and percents[0] < 100
    assert f"{total}/{total} [" in shown[-1] and "LS/s" in shown[-1]
    assert f"{len(split.results)} rows" in shown[-1]


# -- item 6: notebooks ------------------------------------------------------------------


def test_serve_without_with_runs_until_closed() -> None:
    from cmsdials.testing import serve

    srv = serve()  # one notebook cell
    base_url = srv.base_url
    try:
        with Dials(Credentials(token=srv.secret), base_url=base_url) as dials:
            assert dials.run.list().results  # the next cell
    finally:
        srv.close()
    with pytest.raises(exceptions.DialsConnectionError):
        Dials(None, base_url=base_url).run.list(retries=0)
    with serve() as again:  # the block form still stops at its end
        assert again.base_url


def test_a_page_table_shows_what_is_common_once_and_what_varies_bins_first(
    dials: Dials,
) -> None:
    import html
    import re

    page = dials.h1d.list({"me_id": 1, "page_size": 8})
    shown = page._repr_html_()
    header, table = shown.split("<table>", 1)
    common = header.split("every row:", 1)[1]
    for name, value in [("dataset", page.results[0].dataset), ("me", page.results[0].me)]:
        assert f"{name} <code>{html.escape(str(value))}</code>" in common
        assert table.count(str(value)) == 0  # not repeated in each row
    assert "x_bin <code>100</code>" in common
    heads = re.findall(r"<th>([^<]*)</th>", table)
    assert heads[0] == "bins" and "ls_number" in heads and "dataset" not in heads
    assert len(heads) <= 4  # what varies: bins, ls_number, entries
    assert table.count("<svg") == 5 and table.count("<polyline") == 5  # a sparkline a row
    # The next URL: shortened in the header, whole in a tooltip only.
    assert page.next is not None
    visible = re.sub(r'title="[^"]*"', "", header)
    assert page.next not in visible and html.escape(page.next) not in visible
    assert "th1/?next_token=" in visible and "\u2026" in visible

    # 2D rows: the sparkline of the x projection, the binning when it varies.
    page2 = dials.h2d.list({"page_size": 4})
    table2 = page2._repr_html_().split("<table>", 1)[1]
    assert re.findall(r"<th>([^<]*)</th>", table2)[0] == "bins"
    assert table2.count("<polyline") == 4 and " bins in x [" in table2


# -- item 9: the small things ------------------------------------------------------------


def test_no_resource_warning_at_exit_with_client_credentials(tmp_path: Path) -> None:
    from cmsdials.testing import serve

    with serve() as srv:
        result = run_python(
            tmp_path,
            f"""
            import warnings
            warnings.simplefilter("always", ResourceWarning)
            from cmsdials import Dials
            from cmsdials.auth.client import AuthClient
            from cmsdials.auth.client_credentials import Credentials

            auth = AuthClient(keycloak_url={srv.keycloak_url!r})
            creds = Credentials({srv.client_id!r}, {srv.client_secret!r}, auth)
            with Dials(creds, base_url={srv.base_url!r}) as dials:
                print(len(dials.run.list().results))
            """,
        )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0
    assert "ResourceWarning" not in result.stderr and "unclosed" not in result.stderr


def test_ml_models_are_got_by_their_id_as_the_readme_says(
    srv: DialsServer, creds: Credentials
) -> None:
    with Dials(creds, workspace="jetmet", base_url=srv.base_url) as dials:
        first = dials.ml_models_index.list().results[0]
        assert dials.ml_models_index.get(id=first.id) == first
        assert dials.ml_models_index.get(model_id=first.id) == first  # the route's name
        with pytest.raises(TypeError, match="unknown key 'name'"):
            dials.ml_models_index.get(name=first.name)


@pytest.mark.parametrize("url", ["https://dials.example/api/v1/", "http://localhost:8000/api/v1"])
def test_a_base_url_with_the_api_prefix_is_refused_when_built(url: str) -> None:
    with pytest.raises(ValueError, match=r"drop the 'api/v1/' part") as caught:
        Dials(None, base_url=url)
    assert "/api/v1/'" in str(caught.value) and url.split("/api/")[0] + "/'" in str(caught.value)
    Dials(None, base_url=url.split("api/v1")[0]).close()  # the host alone is fine


def test_an_unknown_workspace_lists_the_valid_names(srv: DialsServer, creds: Credentials) -> None:
    with Dials(creds, workspace="JetMET", base_url=srv.base_url) as dials:
        with pytest.raises(exceptions.WorkspaceNotFoundError) as caught:
            dials.run.list()
    error = caught.value
    assert error.workspaces is not None and "jetmet" in error.workspaces
    assert "jetmet" in str(error) and "case-sensitive" in str(error)
    assert pickle.loads(pickle.dumps(error)).workspaces == error.workspaces


def test_a_numeric_string_filter_is_taken_as_the_readme_says() -> None:
    from cmsdials.filters import RunFilters

    assert RunFilters(run_number__gte="367000")._values == {"run_number__gte": 367000}
    with pytest.raises(ValueError, match="expects an int"):
        RunFilters(run_number__gte="367k")
    with pytest.raises(TypeError, match="expects an int"):
        RunFilters(run_number__gte=True)
    readme = " ".join((ROOT / "docs" / "guides" / "querying.md").read_text().split())
    assert 'numeric string such as `"367000"` is taken as the number' in readme


def test_a_sign_in_page_says_the_credentials_did_not_reach_dials(
    srv: DialsServer, dials: Dials
) -> None:
    srv.faults.inject("html_body", route="/th1/")
    with pytest.raises(exceptions.DialsDecodeError) as caught:
        dials.h1d.list()
    assert caught.value.sign_in
    assert "sign-in page (CERN SSO): the credentials did not reach DIALS" in str(caught.value)


def test_the_testing_docstring_uses_no_deprecated_credentials() -> None:
    import cmsdials.testing

    doc = cmsdials.testing.__doc__ or ""
    assert "Credentials(token=" not in doc and "client_credentials import Credentials" in doc
    assert "srv = serve()" in doc and "srv.close()" in doc and "make server" in doc


def test_a_port_in_use_is_one_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "cmsdials.testing", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def test_the_demo_fits_80_columns_and_says_what_next() -> None:
    pytest.importorskip("pandas")
    env = {**os.environ, "COLUMNS": "80"}
    result = subprocess.run(
        [sys.executable, "-m", "cmsdials.testing.demo"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert any(line.startswith("fetched 50 rows") for line in lines)
    assert lines[-2].startswith("next: `make server`")


# -- item 1: installing -------------------------------------------------------------------


def test_the_readme_says_how_to_install_this_release_and_run_the_server() -> None:
    import re

    readme = (ROOT / "README.md").read_text()
    installing = readme.split("## Install\n", 1)[1].split("\n## ", 1)[0]
    started = (ROOT / "docs" / "getting-started.md").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', pyproject, re.M)
    repository = re.search(r'^Repository = "([^"]+)"', pyproject, re.M)
    assert version is not None and repository is not None
    repository = repository.group(1)
    assert version.group(1) in installing and "not on PyPI yet" in installing
    assert "pip install '.[pandas,tqdm]'" in installing  # from a clone
    assert f"git clone {repository}.git" in installing
    assert f"@ git+{repository}.git" in installing  # from the repository URL
    assert "Once it is released" in installing  # from PyPI
    assert "make server" in started and "uv run python" in started
    assert "make server" in (ROOT / "docs" / "guides" / "local-dials.md").read_text()
    dry = subprocess.run(["make", "-n", "server"], capture_output=True, text=True, cwd=ROOT)
    assert dry.returncode == 0 and "python -m cmsdials.testing" in dry.stdout
