"""One home for errors: every error class of the client is defined in ``cmsdials.exceptions``.

The classic paths (``cmsdials.auth.exceptions``, ``cmsdials.adapter``) re-export the
same classes, so an ``except`` written against either catches the other.
The local DIALS server (``cmsdials.testing``) keeps its own, server-side errors.
"""

from __future__ import annotations

import ast
import inspect
import pickle
from pathlib import Path

import cmsdials.adapter
import cmsdials.auth.exceptions
import cmsdials.backoff
import cmsdials.exceptions

ROOT = Path(__file__).resolve().parents[2] / "cmsdials"


def _exception_classes(tree: ast.AST) -> list[str]:
    """Classes whose bases end in Error/Exception/Cancelled (the naming the package keeps)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(b).rpartition(".")[2] for b in node.bases]
            if any(b.endswith(("Error", "Exception", "Cancelled")) for b in bases):
                found.append(node.name)
    return found


def test_no_error_class_is_defined_outside_exceptions_py() -> None:
    elsewhere = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] == "testing" or rel == Path("exceptions.py"):
            continue
        classes = _exception_classes(ast.parse(path.read_text(), str(path)))
        if classes:
            elsewhere[str(rel)] = classes
    assert elsewhere == {}
    assert "KeycloakError" in _exception_classes(ast.parse((ROOT / "exceptions.py").read_text()))


def test_classic_paths_re_export_the_same_classes() -> None:
    for name in cmsdials.auth.exceptions.__all__:
        assert getattr(cmsdials.auth.exceptions, name) is getattr(cmsdials.exceptions, name)
    assert cmsdials.adapter.MissingOperationError is cmsdials.exceptions.MissingOperationError
    assert cmsdials.backoff.WalkCancelled is cmsdials.exceptions.WalkCancelled


def test_every_error_pickles_from_its_home() -> None:
    errors = [
        obj
        for _, obj in inspect.getmembers(cmsdials.exceptions, inspect.isclass)
        if issubclass(obj, Exception) and obj.__module__ == "cmsdials.exceptions"
    ]
    assert len(errors) >= 25
    keycloak = cmsdials.exceptions.InvalidClientError("wrong client", 401, "invalid_client")
    back = pickle.loads(pickle.dumps(keycloak))
    assert type(back).__module__ == "cmsdials.exceptions"
    assert (str(back), back.status, back.error) == ("wrong client", 401, "invalid_client")
