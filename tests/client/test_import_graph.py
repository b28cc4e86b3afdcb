"""The modules of ``cmsdials`` import each other one way: no cycle, lazy imports included.

The graph is read from the source (AST), so an import inside a function (made
only when it runs) counts as much as one at the top. Imports under
``if TYPE_CHECKING:`` are left out: they never run. The generated package
(``cmsdials_api``, in ``generated/``) is outside ``cmsdials/`` (it imports only itself).
Importing ``cmsdials.a.b`` runs ``cmsdials/a/__init__.py`` too; that implied edge is left
out, as the package ``__init__`` of ``cmsdials`` re-exports its faces.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "cmsdials"
SKIP: tuple[str, ...] = ()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {_module_name(p): p for p in ROOT.rglob("*.py")}
    return {name: path for name, path in found.items() if not name.startswith(SKIP)}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run, at any depth, except under ``if TYPE_CHECKING``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the cmsdials modules it imports (the most specific module named)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # `from pkg import mod` names the module mod, else the names of pkg
                targets = [
                    f"{stem}.{a.name}" if f"{stem}.{a.name}" in modules else stem
                    for a in node.names
                ]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("cmsdials"):
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (its modules in import order, the first repeated), or None."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_is_read_from_the_source() -> None:
    graph = import_graph()
    # the edges the layers are made of, a lazy one included (partitions reads the name table)
    assert "cmsdials.endpoints" in graph["cmsdials.cmsdials"]
    assert "cmsdials.adapter" in graph["cmsdials.endpoints"]
    assert "cmsdials.groups" in graph["cmsdials.partitions"]
    assert "cmsdials.exceptions" in graph["cmsdials.auth.device"]


def test_no_import_cycle_among_cmsdials_modules() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


#: Private attributes read on another object where that is the object's own module's
#: business: a filter compared with another of its class; an httpx answer the transport
#: decoded itself; a LumiMask combined with another (its class's own constructor).
OWN_PRIVATE_READS = {
    ("cmsdials.filters", "other._values"),
    ("cmsdials.transport", "response._decoded"),
    ("cmsdials.lumi", "LumiMask._of"),
    ("cmsdials.lumi", "other._bounds"),
    ("cmsdials.lumi", "source._bounds"),
}


def test_no_module_reaches_into_another_modules_private_names() -> None:
    found = []
    modules = _modules()
    for name, path in modules.items():
        if name.startswith("cmsdials.testing"):  # the local server's own rooms
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in _imports(tree):
            if isinstance(node, ast.ImportFrom) and (
                node.level or "cmsdials" in (node.module or "")
            ):
                found += [
                    f"{name}: from {node.module} import {a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
                continue
            if node.attr.startswith("__"):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if isinstance(owner, ast.Call) and ast.unparse(owner.func) == "super":
                continue
            text = ast.unparse(node)
            if (name, text) not in OWN_PRIVATE_READS:
                found.append(f"{name}:{node.lineno}: {text}")
    assert found == []


def _documented_layout() -> list[list[str]]:
    """The rooms of the maintainers' page's "Layout" under ``cmsdials/``, top to bottom
    (module prefixes)."""
    text = (ROOT.parent / "docs" / "maintainers.md").read_text(encoding="utf-8")
    block = text.split("## Layout\n", 1)[1].split("```\n", 2)[1]
    rooms = []
    for line in block.splitlines():
        if not line.startswith("  ") or line.startswith("   "):
            continue
        found = re.match(r"\s+((?:[\w./]+, )*[\w./]+)", line)
        assert found, line
        names = found.group(1).split(", ")
        rooms.append(["cmsdials." + n.removesuffix(".py").removesuffix("/") for n in names])
    return rooms


def test_the_documented_layout_lists_every_module_above_what_it_imports() -> None:
    rooms = _documented_layout()
    level = {prefix: i for i, room in enumerate(rooms) for prefix in room}

    def room_of(module: str) -> int | None:
        for prefix, i in level.items():
            if module == prefix or module.startswith(prefix + "."):
                return i
        return None

    graph = import_graph()
    unlisted = [m for m in graph if m != "cmsdials" and room_of(m) is None]
    assert unlisted == []
    upward = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if module != "cmsdials" and (room_of(target) or 0) < (room_of(module) or 0)
    ]
    assert upward == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"a"}}, ["a", "a"]),
    ],
)
def test_find_cycle(graph: dict[str, set[str]], expected: list[str] | None) -> None:
    assert find_cycle(graph) == expected


def test_a_lazy_import_counts() -> None:
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n"
        "def f():\n    import y\n"
    )
    names = [a.name for node in _imports(ast.parse(source)) for a in node.names]
    assert names == ["TYPE_CHECKING", "y"]
