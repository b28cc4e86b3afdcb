"""How credentials travel to another process (a Dask worker): as a recipe, never as a live object.

Credentials are not pickled (they hold tokens and locks). Each kind says how to
rebuild itself elsewhere with ``for_worker()``: a :class:`Recipe`, a picklable
zero-argument callable naming a function of this package and its arguments.
Secrets inside it are :class:`Secret` values, whose repr is ``'***'`` and which
tokenize to a constant, so that no secret shows in a repr, a graph key or a
dashboard. The receiving process calls the recipe once and reuses what it built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Recipe", "Secret"]


class Secret:
    """A secret string that does not show: repr ``'***'``, a constant Dask token."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Secret, (self._value,))

    def __dask_tokenize__(self) -> str:
        return "cmsdials.Secret"


@dataclass(frozen=True, repr=False)
class Recipe:
    """``build(**arguments)`` in another process: a :class:`Secret` is revealed there, a
    nested :class:`Recipe` built there first (the Keycloak client of the credentials)."""

    build: Callable[..., Any]
    arguments: Mapping[str, Any]

    def __call__(self) -> Any:
        return self.build(**{name: _ready(value) for name, value in self.arguments.items()})

    def __repr__(self) -> str:
        name = getattr(self.build, "__qualname__", type(self.build).__name__)
        shown = ", ".join(f"{k}={v!r}" for k, v in self.arguments.items())
        return f"Recipe({name}, {shown})"

    def __dask_tokenize__(self) -> Any:
        return ("cmsdials.Recipe", repr(self))


def _ready(value: Any) -> Any:
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, Recipe):
        return value()
    return value
