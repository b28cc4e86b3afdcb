"""The classic client's virtual environments, created under ``bench/.venvs/`` by the bench.

Each classic version gets its own venv with ``cmsdials==<version>``, ``tqdm`` and the same
``pandas``/``numpy`` (and ``pyarrow``, when ours has it) versions as ours (so that W6
compares clients, not pandas releases or what ``import pandas`` loads).
A venv is reused while the requirement list written into it at creation still matches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
VENV_ROOT = BENCH_DIR / ".venvs"
REQUIREMENTS_MARKER = "bench-requirements.txt"

# Implementation name in the bench -> classic release from PyPI.
CLASSIC_RELEASES: dict[str, str] = {"classic": "2.4.1", "classic-2.1.0": "2.1.0"}


class EnvError(RuntimeError):
    """A classic venv could not be created."""


@dataclass(frozen=True)
class ClassicEnv:
    impl: str
    release: str
    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"


def classic_env(impl: str) -> ClassicEnv:
    release = CLASSIC_RELEASES[impl]
    return ClassicEnv(impl=impl, release=release, path=VENV_ROOT / f"classic-{release}")


def requirements(release: str) -> list[str]:
    """What goes into a classic venv: the release, its extras' packages, pinned like ours."""
    wanted = [f"cmsdials=={release}", "tqdm"]
    for name in ("pandas", "numpy"):
        try:
            wanted.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            wanted.append(name)
    # pandas 3 imports pyarrow whenever it is installed (its string columns use it), which
    # costs ~45 MiB of RSS at `import pandas`; ours has it (dask's extra brings it), so the
    # classic gets the same version: W6 then compares the clients, not the environments.
    try:
        wanted.append(f"pyarrow=={metadata.version('pyarrow')}")
    except metadata.PackageNotFoundError:
        pass
    return wanted


def is_ready(env: ClassicEnv) -> bool:
    """The venv exists and was built from the requirements this bench would use now."""
    marker = env.path / REQUIREMENTS_MARKER
    if not env.python.exists() or not marker.exists():
        return False
    return marker.read_text(encoding="utf-8").split() == requirements(env.release)


def _uv_command() -> list[str] | None:
    """How to call uv: ``$UV`` (set by ``uv run``), ``uv`` on PATH, or ``python -m uv``."""
    from_env = os.environ.get("UV")
    if from_env and Path(from_env).exists():
        return [from_env]
    on_path = shutil.which("uv")
    if on_path:
        return [on_path]
    probe = subprocess.run(
        [sys.executable, "-m", "uv", "--version"], capture_output=True, check=False
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "uv"]
    return None


def _run(command: list[str], log: Path) -> None:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write("$ " + " ".join(command) + "\n")
        handle.flush()
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        completed = subprocess.run(
            command, stdout=handle, stderr=subprocess.STDOUT, check=False, env=env
        )
    if completed.returncode != 0:
        raise EnvError(f"{' '.join(command)} failed with {completed.returncode} (log: {log})")


def ensure(env: ClassicEnv, log: Path) -> ClassicEnv:
    """Create (or recreate) the venv unless it is ready; return it."""
    if is_ready(env):
        return env
    wanted = requirements(env.release)
    print(f"bench: creating {env.path.relative_to(BENCH_DIR.parent)} ({' '.join(wanted)})")
    log.parent.mkdir(parents=True, exist_ok=True)
    if env.path.exists():
        shutil.rmtree(env.path)
    VENV_ROOT.mkdir(parents=True, exist_ok=True)
    uv = _uv_command()
    if uv is not None:
        _run([*uv, "venv", "--quiet", "--python", sys.executable, str(env.path)], log)
        _run([*uv, "pip", "install", "--quiet", "--python", str(env.python), *wanted], log)
    else:
        _run([sys.executable, "-m", "venv", str(env.path)], log)
        _run([str(env.python), "-m", "pip", "install", "--quiet", *wanted], log)
    (env.path / REQUIREMENTS_MARKER).write_text("\n".join(wanted) + "\n", encoding="utf-8")
    return env
