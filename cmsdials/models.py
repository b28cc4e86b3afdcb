"""The rows cmsdials returns: the generated attrs models under their classic names.

Each class here *is* the generated model of :mod:`dials_api.models` (a subclass
that adds no field and no state, ``__slots__ = ()``), so ``isinstance(row,
dials_api.models.TH1)`` holds and every field comes from the spec. What it adds
is what code written against the classic (pydantic) models calls:

* ``row.model_dump()``: a ``dict`` of every field of the model (unset optional
  fields as ``None``) plus any extra field the server sent;
* ``Model.model_fields``: the field names, in the model's order (the columns of
  :meth:`cmsdials.pagination.Page.to_pandas`).

Rows are built with the generated ``from_dict`` (the subclass's own, so no
second object per row).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from dials_api import models as generated
from dials_api.types import UNSET, Unset

_T = TypeVar("_T")

__all__ = [
    "DatasetIndex",
    "DialsModel",
    "FileIndex",
    "Lumisection",
    "LumisectionHistogram1D",
    "LumisectionHistogram2D",
    "MLBadLumisection",
    "MLModelsIndex",
    "MinifiedMonitoringElement",
    "MonitoringElement",
    "Run",
    "model_dump",
]


class DialsModel:
    """Mixin of the row classes: ``model_dump()`` and ``model_fields`` (see the module doc)."""

    __slots__ = ()

    model_fields: ClassVar[tuple[str, ...]] = ()
    #: The fields the spec marks optional: they may hold ``UNSET``.
    _optional_fields: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        attrs_class: Any = cls
        fields = [f for f in attrs.fields(attrs_class) if f.name != "additional_properties"]
        cls.model_fields = tuple(f.name for f in fields)
        cls._optional_fields = frozenset(f.name for f in fields if f.default is UNSET)
        # attrs gives the generated base a __repr__ that shows unset fields as
        # "<dials_api.types.Unset object at 0x...>"; rows print like pydantic's instead.
        setattr(cls, "__repr__", _row_repr)  # noqa: B010 - replaces the attrs-made one

    if TYPE_CHECKING:  # given by the generated model each row class also derives from

        @classmethod
        def from_dict(cls: type[_T], src_dict: Mapping[str, Any]) -> _T: ...

    def model_dump(self) -> dict[str, Any]:
        """Every field as a ``dict`` (like pydantic's ``model_dump``); unset fields are ``None``."""
        return model_dump(self)


def _row_repr(row: Any) -> str:
    fields = ", ".join(f"{name}={value!r}" for name, value in _set_fields(row))
    return f"{type(row).__name__}({fields})"


def _set_fields(row: Any) -> list[tuple[str, Any]]:
    """The fields that hold a value (unset optional ones left out), then any extra field."""
    out = [
        (name, value)
        for name in type(row).model_fields
        if not isinstance(value := getattr(row, name), Unset)
    ]
    out.extend((getattr(row, "additional_properties", None) or {}).items())
    return out


def model_dump(row: Any) -> dict[str, Any]:
    """``row.model_dump()`` for any generated model, or a copy of a plain-``dict`` row."""
    if isinstance(row, dict):
        return dict(row)
    names: tuple[str, ...] = getattr(type(row), "model_fields", ()) or tuple(
        f.name for f in attrs.fields(type(row)) if f.name != "additional_properties"
    )
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(row, name)
        # isinstance, not `is UNSET`: an unpickled row holds another Unset instance
        out[name] = None if isinstance(value, Unset) else value
    extra = getattr(row, "additional_properties", None)
    if extra:
        out.update(extra)
    return out


# The generated model behind each classic row name. mypy reads these as the
# generated classes (same fields, same types) with model_dump() added.


class DatasetIndex(generated.DatasetIndex, DialsModel):
    __slots__ = ()


class FileIndex(generated.FileIndex, DialsModel):
    __slots__ = ()


class LumisectionHistogram1D(generated.TH1, DialsModel):
    __slots__ = ()


class LumisectionHistogram2D(generated.TH2, DialsModel):
    __slots__ = ()


class Lumisection(generated.Lumisection, DialsModel):
    __slots__ = ()


class Run(generated.Run, DialsModel):
    __slots__ = ()


class MonitoringElement(generated.MEs, DialsModel):
    __slots__ = ()


class MinifiedMonitoringElement(generated.MinifiedMEs, DialsModel):
    __slots__ = ()


class MLModelsIndex(generated.MLModelsIndex, DialsModel):
    __slots__ = ()


class MLBadLumisection(generated.MLBadLumisection, DialsModel):
    __slots__ = ()
