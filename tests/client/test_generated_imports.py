"""The layout's one rule about the generated package: only the adapter imports it.

``cmsdials_api`` (``generated/cmsdials_api``, written by ``make regen``) is read by
``cmsdials/adapter.py`` alone, so that a change of the generator's layout or of an
operation's name has one place to break. This walks every module of ``cmsdials/``
(AST, lazy imports inside functions included) and fails on any other importer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cmsdials

PACKAGE = Path(cmsdials.__file__).parent
GENERATED = "cmsdials_api"


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, module)`` of every import and ``import_module("...")`` call in ``tree``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((node.lineno, first.value))
    return found


def importers_of_generated() -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        lines = [
            line
            for line, module in _imports(tree)
            if module == GENERATED or module.startswith(GENERATED + ".")
        ]
        if lines:
            out[str(path.relative_to(PACKAGE.parent))] = lines
    return out


def test_only_the_adapter_imports_the_generated_package() -> None:
    found = importers_of_generated()
    assert set(found) == {"cmsdials/adapter.py"}, found


def test_the_walk_sees_lazy_and_dynamic_imports() -> None:
    code = (
        "def f():\n    import cmsdials_api.client\n"
        "def g():\n    from cmsdials_api.api.run import list_run\n"
        "importlib.import_module('cmsdials_api.models')\n"
        "import cmsdials_apix\n"
    )
    modules = sorted(module for _, module in _imports(ast.parse(code)))
    assert modules == [
        "cmsdials_api.api.run",
        "cmsdials_api.client",
        "cmsdials_api.models",
        "cmsdials_apix",
    ]
