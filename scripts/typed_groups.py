"""Write ``cmsdials/_typed/``: what type checkers see of every group of the name table.

    python scripts/typed_groups.py [CMSDIALS_DIR]      (default: cmsdials; run by make regen)

The generated package is read from ``generated/cmsdials_api`` beside ``CMSDIALS_DIR``.

At run time the groups of ``cmsdials/groups.py`` are built from the generated
package (rows, filter classes, clients). Type checkers cannot run that table, so
this script writes it down for them as stubs (``.pyi``, never imported at run
time), from the name table and the generated package's typed names (the
template's ``<Row>Row``, ``<Row>Filters`` and ``<Row>Get``):

* ``_typed/__init__.pyi``: every typed name of the generated package;
* ``_typed/rows.pyi``: ``class <Stem>(DialsModel, <Row>Row)`` per group;
* ``_typed/filters.pyi``: ``class <Stem>Filters(Filters)`` with the keywords and types
  of the group's list route;
* ``_typed/clients.pyi``: ``class <Stem>Client(ListEndpoint[...])`` with its typed
  ``get()``, and ``Groups``, the attributes ``Dials`` has (``dials.<attribute>``).

A class that ``models.py``, ``filters.py`` or ``endpoints.py`` writes by hand (a group
with behaviour of its own, as ``mes``) is left to that module. So a new list route is
fully typed by one line of ``groups.py`` plus ``make regen``. Never edit the output.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "# Written by scripts/typed_groups.py (make regen) from cmsdials/groups.py and the\n"
HEADER += "# generated package: what type checkers see of each group. Never edit by hand.\n"


def hand_classes(path: Path) -> set[str]:
    """The classes a module defines by hand (at its top level, type-checking blocks included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        nodes = node.body + node.orelse if isinstance(node, ast.If) else [node]
        names.update(n.name for n in nodes if isinstance(n, ast.ClassDef))
    return names


def render(package_dir: Path) -> dict[str, str]:
    """The stub files (name -> text) for the package in ``package_dir``."""
    # The tree's own layer and generated package (generated/cmsdials_api beside cmsdials/),
    # before the installed ones.
    sys.path[:0] = [str(package_dir.parent), str(package_dir.parent / "generated")]
    adapter = importlib.import_module("cmsdials.adapter")
    found = Path(adapter.__file__).resolve().parent
    if found != package_dir.resolve():
        raise SystemExit(f"typed_groups: imported cmsdials from {found}, not {package_dir}")
    groups = importlib.import_module("cmsdials.groups")
    api = adapter.api()
    generated = adapter.GENERATED_PACKAGE
    found = Path(importlib.import_module(generated).__file__ or "").resolve().parent
    if found != (package_dir.parent / "generated" / generated).resolve():
        raise SystemExit(f"typed_groups: imported {generated} from {found}, not the tree's")

    # Every typed name of the generated package, by tag module (the first of a name wins).
    home: dict[str, str] = {}
    for op in api:
        module = importlib.import_module(f"{generated}.api.{op.tag}")
        for name in sorted(vars(module)):
            if name[0].isupper() and name.endswith(("Row", "Filters", "Get")):
                home.setdefault(name, module.__name__)

    def typed(name: str, stub: list[str]) -> str | None:
        """``name`` of the generated package imported into ``stub`` as ``_name``, if it exists."""
        if name not in home:
            return None
        line = f"from {home[name]} import {name} as _{name}\n"
        if line not in stub:
            stub.insert(1, line)
        return f"_{name}"

    init = [HEADER] + [f"from {module} import {n} as {n}\n" for n, module in sorted(home.items())]

    hand_rows = hand_classes(package_dir / "models.py")
    hand_filters = hand_classes(package_dir / "filters.py")
    hand_clients = hand_classes(package_dir / "endpoints.py")
    rows = [HEADER, "from ..models import DialsModel\n\n"]
    filters = [
        HEADER,
        "from typing_extensions import Unpack\n\n",
        "from ..filters import Filters\n\n",
    ]
    clients = [HEADER, "from ..endpoints import ListEndpoint\n"]
    clients += ["from ..settings import RetriesType\n"]
    clients += ["from .filters import *\n", "from .rows import *\n\n"]
    all_rows, all_filters, all_clients, attributes = [], [], [], []
    for g in groups.GROUPS:
        ops = api.group(g.route)
        schema = ops.schema or ""
        if g.stem not in hand_rows:
            fields = typed(f"{schema}Row", rows)
            base = f", {fields}" if fields else ""
            rows.append(f"class {g.stem}(DialsModel{base}): ...\n\n")
            all_rows.append(g.stem)
        if g.filters not in hand_filters:
            filters.append(f"class {g.filters}(Filters):\n")
            keywords = typed(f"{schema}Filters", filters)
            if keywords:
                filters.append(
                    f"    def __init__(self, **filters: Unpack[{keywords}]) -> None: ...\n"
                )
            else:
                filters.append("    ...\n")
            filters.append("\n")
            all_filters.append(g.filters)
        if g.client not in hand_clients:
            clients.append(f"class {g.client}(ListEndpoint[{g.stem}, {g.filters}]):\n")
            keys = typed(f"{schema}Get", clients)
            if keys:
                signature = f"{keys}[{g.stem}, RetriesType]"
                clients.append(f"    get: {signature}  # type: ignore[assignment]\n")
                clients.append(f"    __call__: {signature}  # type: ignore[assignment]\n")
            else:
                clients.append("    ...\n")
            clients.append("\n")
            all_clients.append(g.client)
        attributes += [f"    {name}: {g.client}\n" for name in (g.attribute, *g.aliases)]
        for name, module_name, hand in (
            (g.stem, "models", hand_rows),
            (g.filters, "filters", hand_filters),
            (g.client, "endpoints", hand_clients),
        ):
            if name in hand:
                clients.insert(1, f"from ..{module_name} import {name}\n")
    clients += ["class Groups:\n", '    """The groups of ``Dials`` (``dials.<attribute>``)."""\n\n']
    clients += attributes
    rows.append(f"__all__ = {all_rows!r}\n")
    filters.append(f"__all__ = {all_filters!r}\n")
    clients.append(f"\n__all__ = {[*all_clients, 'Groups']!r}\n")
    return {
        "__init__.pyi": "".join(init),
        "rows.pyi": "".join(rows),
        "filters.pyi": "".join(filters),
        "clients.pyi": "".join(clients),
    }


def main(argv: list[str]) -> int:
    package_dir = Path(argv[1]).resolve() if len(argv) > 1 else ROOT / "cmsdials"
    out = package_dir / "_typed"
    out.mkdir(exist_ok=True)
    for stale in out.glob("*.pyi"):
        stale.unlink()
    files = render(package_dir)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    command = [str(ruff) if ruff.exists() else "ruff", "format", "--quiet", str(out)]
    subprocess.run(command, check=True)
    fix = [command[0], "check", "--fix", "--quiet", "--select", "I", str(out)]
    subprocess.run(fix, check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
