"""docs/cli.md's first look runs as written against the local DIALS."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import shell

DOCS = Path(__file__).resolve().parents[2] / "docs" / "guides" / "cli.md"


def first_look() -> str:
    text = DOCS.read_text()
    section = text.split("## A first look", 1)[1]
    found = re.search(r"^```bash\n(.*?)^```$", section, re.S | re.M)
    assert found is not None
    return found.group(1)


def test_the_first_look_runs(env: dict[str, str], tmp_path: Path) -> None:
    script = first_look()
    assert script.count("\ndials ") >= 9  # the block is the one meant
    done = shell(script, env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "lumis.csv").read_text().startswith("id,dataset")
    assert (tmp_path / "pixel-store").is_dir()
    assert "run 385764" in done.stdout  # json diff: the bad lumisections are not the good
