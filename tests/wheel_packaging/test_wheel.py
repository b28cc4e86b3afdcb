"""The package as users get it: sdist → wheel → pip install into fresh venvs.

One sdist and its wheel (built from the sdist, as PyPI users' pip would) are
installed into new virtual environments, bare and with every extra; each
imports cmsdials, makes a call against the local DIALS running in this test
process and asks for a DataFrame. The sdist's own tests then run against the
installed wheel. Needs a package index (or uv's cache) for the dependencies.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmsdials.testing import DialsServer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(900)

CALL = """\
import sys
import warnings

import cmsdials
from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
from cmsdials.filters import LumisectionHistogram1DFilters

warnings.simplefilter("ignore", DeprecationWarning)
base_url, secret, want_pandas = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
assert cmsdials.__file__.startswith(sys.prefix), cmsdials.__file__  # the installed copy
with Dials(Credentials(token=secret), base_url=base_url) as dials:
    page = dials.h1d.list_all(LumisectionHistogram1DFilters(page_size=5), max_pages=2)
    assert len(page.results) == 10, page
    row = page.results[0]
    assert row.model_dump()["me"] == row.me
    try:
        frame = page.to_pandas()
    except ImportError as exc:
        assert not want_pandas, exc
        assert "pip install 'cmsdials[pandas]'" in str(exc), exc
        print("no pandas:", exc)
    else:
        assert want_pandas
        assert list(frame.columns)[:2] == ["dataset", "me"] and len(frame) == 10
        print("frame", frame.shape)
import cmsdials_api
from cmsdials_api.api.run import list_run

assert cmsdials_api.__file__.startswith(sys.prefix), cmsdials_api.__file__
with Dials(Credentials(token=secret), base_url=base_url) as dials:
    answer = list_run.sync_detailed(client=dials.api, page_size=2)
    assert answer.status_code == 200 and len(answer.parsed.results) == 2, answer
print("ok", sys.version_info[:2])
"""


def _uv() -> str | None:
    return shutil.which("uv")


def _run(
    *args: str | Path, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT"))
    }
    out = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=cwd or Path.home(),  # not the source tree: python -c puts the cwd on sys.path
        env=env,
        timeout=600,
    )
    if check and out.returncode != 0:
        raise AssertionError(f"{args} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("dist")
    if _uv():
        _run(_uv() or "uv", "build", "--out-dir", out, ROOT, cwd=ROOT)  # the wheel from the sdist
    else:
        _run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=ROOT)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    yield sdist, wheel


def _venv(where: Path, python: str, wheel: Path, extras: str = "", *more: str) -> Path:
    target = f"{wheel}[{extras}]" if extras else str(wheel)
    if _uv():
        _run(_uv() or "uv", "venv", "--quiet", "--python", python, where)
        py = where / "bin" / "python"
        _run(_uv() or "uv", "pip", "install", "--quiet", "--python", py, target, *more)
    else:
        _run(python, "-m", "venv", where)
        py = where / "bin" / "python"
        _run(py, "-m", "pip", "install", "--quiet", target, *more)
    return py


def _oldest_python() -> str:
    """Python 3.10 (the oldest supported) when this machine has it, else this one."""
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)  # (tests may point HOME elsewhere)
    candidates = [str(p) for p in sorted(home.glob(".pyenv/versions/3.10*/bin/python3.10"))]
    candidates += [c for c in (shutil.which("python3.10"),) if c]
    for candidate in candidates:
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == "(3, 10)":
            return candidate
    return sys.executable


def test_wheel_and_sdist_contents(dist: tuple[Path, Path]) -> None:
    sdist, wheel = dist
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        metadata = whl.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: GPL-3.0-or-later" in metadata
    assert "Project-URL: Repository, " in metadata
    assert "Classifier: Programming Language :: Python :: 3.10" in metadata
    assert "Classifier: Development Status :: " in metadata
    assert "cmsdials/py.typed" in names and "cmsdials/testing/openapi.json" in names
    # Exactly two top-level packages: the layer and the generated low-level client.
    tops = {n.split("/", 1)[0] for n in names if "/" in n and ".dist-info/" not in n}
    assert tops == {"cmsdials", "cmsdials_api"}, tops
    assert "cmsdials_api/py.typed" in names and "cmsdials_api/api/run/list_run.py" in names
    with tarfile.open(sdist) as tar:
        members = [m.split("/", 1)[1] for m in tar.getnames() if "/" in m]
    assert "LICENSE" in members and "tests/conftest.py" in members
    assert "generated/cmsdials_api/client.py" in members
    assert "GNU GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text()[:200]
    assert not [m for m in members if m.startswith("bench")], "benchmarks do not ship"


def test_bare_install(dist: tuple[Path, Path], tmp_path: Path, srv: DialsServer) -> None:
    _, wheel = dist
    py = _venv(tmp_path / "bare", _oldest_python(), wheel)
    out = _run(py, "-c", CALL, srv.base_url, srv.secret, "0")
    assert "no pandas:" in out.stdout and out.stdout.rstrip().endswith(")")
    # The command line comes with a plain install, and says which extra a format needs.
    dials = py.parent / "dials"
    assert _run(dials, "--help").stdout.startswith("Usage: dials")
    secret = tmp_path / "secret"
    secret.write_text(srv.client_secret + "\n")
    app = ["--base-url", srv.base_url, "--keycloak-url", srv.keycloak_url]
    app += ["--client-id", srv.client_id, "--client-secret-file", str(secret)]
    assert int(_run(dials, *app, "count", "run").stdout) > 0
    parquet = _run(dials, *app, "ls", "run", "-o", tmp_path / "runs.parquet", check=False)
    assert parquet.returncode == 1 and "pip install 'cmsdials[store]'" in parquet.stderr
    assert not (tmp_path / "runs.parquet").exists()
    served = _run(dials, "server", "--port", "0", check=False)
    assert served.returncode == 1 and "pip install 'cmsdials[server]'" in served.stderr
    # The server's optional parts say which extra brings them.
    for flag in ("--contract", "--tls"):
        served = _run(py, "-m", "cmsdials.testing", "--port", "0", flag, check=False)
        assert served.returncode == 2, (flag, served.stdout, served.stderr)
        assert "pip install 'cmsdials[server]'" in served.stderr, served.stderr
        assert "Traceback" not in served.stderr


def test_install_with_extras_and_the_sdists_tests(
    dist: tuple[Path, Path], tmp_path: Path, srv: DialsServer
) -> None:
    sdist, wheel = dist
    py = _venv(
        tmp_path / "full",
        sys.executable,
        wheel,
        "pandas,tqdm,server",
        "pytest",
        "pytest-timeout",
        "requests",
    )
    out = _run(py, "-c", CALL, srv.base_url, srv.secret, "1")
    assert "frame (10, 12)" in out.stdout
    # The sdist's tests, run from the unpacked sdist against the installed wheel.
    unpacked = tmp_path / "src"
    with tarfile.open(sdist) as tar:
        tar.extractall(unpacked, filter="data")
    (top,) = unpacked.iterdir()
    tests = _run(
        tmp_path / "full" / "bin" / "pytest", "-q", "-p", "no:cacheprovider",
        "tests/client/test_rows.py", "tests/client/test_endpoints.py",
        "tests/client/test_classic_older_releases.py",
        cwd=top,
    )  # fmt: skip
    assert " passed" in tests.stdout and " failed" not in tests.stdout, tests.stdout
