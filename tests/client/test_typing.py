"""Type checkers see the filters and get() keys that `make regen` writes from openapi.json.

mypy --strict runs on a user's script: the valid calls pass, and a misspelt filter,
a wrongly typed filter value and a misspelt or wrongly typed get() key are errors
before the script ever runs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

USER_SCRIPT = """\
from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
from cmsdials.filters import LumisectionHistogram1DFilters, MLModelsIndexFilters, RunFilters

dials = Dials(Credentials(token="..."), base_url="http://127.0.0.1:8000/")
good = LumisectionHistogram1DFilters(me__regex="PXBarrel", run_number__gte=367000, page_size=500)
row = dials.h1d.list_all(good, max_pages=5).results[0]
bins: int = row.x_bin
name: str = row.me or ""
one = dials.h1d.get(dataset_id=1, run_number=2, ls_number=3, me_id=4)
also = dials.h1d(1, 2, 3, 4, timeout=5.0)
models = MLModelsIndexFilters(id__in=[1, 2], active=True)
runs = dials.run.list(RunFilters(run_number__gte=360392), timeout=10).results
me = dials.mes.get(id=1, timeout=5)  # the classic's keyword
me_too = dials.mes.get(1)
reveal_type(one)
reveal_type(row.me)
bad_name = LumisectionHistogram1DFilters(me__regx="PXBarrel")  # line 18
bad_value = RunFilters(run_number__gte="367000")  # line 19
bad_key = dials.h1d.get(dataset_id=1, run_number=2, ls_number=3, me_idd=4)  # line 20
bad_key_value = dials.run.get(dataset_id="1", run_number=2)  # line 21
bad_list = MLModelsIndexFilters(id__in=["a"])  # line 22
"""


def _mypy(script: Path) -> str:
    out = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--no-incremental",
            "--cache-dir", str(script.parent / ".mypy_cache"), str(script),
        ],
        capture_output=True, text=True, cwd=script.parent,
        env={"MYPYPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    return out.stdout + out.stderr


@pytest.mark.timeout(600)
def test_mypy_rejects_a_misspelt_filter_and_a_wrongly_typed_value(tmp_path: Path) -> None:
    script = tmp_path / "analysis.py"
    script.write_text(USER_SCRIPT)
    report = _mypy(script)
    errors = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r"^analysis\.py:(\d+): error: (.*)$", report, re.M)
    }
    assert sorted(errors) == [18, 19, 20, 21, 22], report
    assert 'Unexpected keyword argument "me__regx"' in errors[18]
    assert 'did you mean "me__regex"' in errors[18]
    assert 'Argument "run_number__gte" to "RunFilters" has incompatible type "str"' in errors[19]
    assert 'Unexpected keyword argument "me_idd"' in errors[20]
    assert 'Argument "dataset_id"' in errors[21] and 'expected "int"' in errors[21]
    assert 'incompatible type "str"; expected "int"' in errors[22]
    notes = re.findall(r"^analysis\.py:\d+: note: Revealed type is \"(.*)\"$", report, re.M)
    # (the groups' classes as type checkers see them: cmsdials/_typed, written by make regen)
    assert notes == ["cmsdials._typed.rows.LumisectionHistogram1D", "str | None"], report


def test_pyright_sees_the_same_signatures(tmp_path: Path) -> None:
    """IDEs (pylance is pyright) see the keywords too: basedpyright, a dev dependency."""
    pyright = Path(sys.executable).with_name("basedpyright")
    if not pyright.exists():
        pytest.skip("basedpyright is not installed")
    script = tmp_path / "analysis.py"
    script.write_text(USER_SCRIPT.replace("reveal_type(", "print("))
    (tmp_path / "pyrightconfig.json").write_text(
        json.dumps({"extraPaths": [str(ROOT)], "pythonVersion": "3.10"})
    )
    out = subprocess.run(
        [str(pyright), "--outputjson", str(script)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    report = json.loads(out.stdout)
    lines = sorted(
        {d["range"]["start"]["line"] + 1 for d in report["generalDiagnostics"]
         if d["severity"] == "error"}
    )  # fmt: skip
    assert lines == [18, 19, 20, 21, 22], out.stdout
    messages = " ".join(d["message"] for d in report["generalDiagnostics"])
    assert 'No parameter named "me__regx"' in messages and 'No parameter named "me_idd"' in messages
