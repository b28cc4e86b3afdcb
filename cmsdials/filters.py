"""Filter classes, built from the generated operations' query parameters.

Each filter class belongs to one endpoint group (``group="h1d"``, see
:mod:`cmsdials.groups`); its valid keywords and their types are the query
parameters of that group's list operation, as :mod:`cmsdials.adapter` reads
them from the generated package. The keywords are the wire names
(``run_number__gte=``, ``me__regex=``, ``model_id__in=[20, 19]``), as in the
classic: when DIALS adds a filter to its spec, ``make regen`` adds it here,
with no hand edit. The same checks serve JSON request bodies (cert-json).

Compared with the classic (pydantic) filters, which silently dropped unknown
names and the server then ignored:

* an unknown name raises :class:`TypeError` naming it and the closest valid
  names (``ls_numbet__lte`` → did you mean ``ls_number__lte``?);
* a value of the wrong type raises :class:`TypeError` (or :class:`ValueError`
  for a string that is not a number) when the filter is built, before any
  request. Values are read as pydantic's lax mode read them: ``"360392"``
  is a valid ``int``, ``"true"`` a valid ``bool``; lists accept any sequence.

``None`` means "not set", as in the classic.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

from . import adapter
from .groups import GROUPS, Group, group

__all__ = [
    "DatasetIndexFilters",
    "FileIndexFilters",
    "FilterValue",
    "Filters",
    "LumisectionFilters",
    "LumisectionHistogram1DFilters",
    "LumisectionHistogram2DFilters",
    "MEFilters",
    "MLBadLumisectionFilters",
    "MLModelsIndexFilters",
    "OMSFilter",
    "OMSPage",
    "ParamSet",
    "QueryParam",
    "RunFilters",
    "body_params",
    "filters_class",
    "query_params",
]

#: What a filter keyword accepts (checked at run time against the spec's type).
FilterValue = str | int | float | bool | Sequence[str | int | float] | None


# -- value conversion ---------------------------------------------------------

_TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})
_FALSE = frozenset({"false", "0", "no", "off", "f", "n"})


def _type_error(where: str, expected: str, value: Any) -> TypeError:
    return TypeError(f"{where} expects {expected}, got {value!r} ({type(value).__name__})")


def _to_int(where: str, value: Any) -> int:
    if type(value) is int:
        return value
    if isinstance(value, bool):
        raise _type_error(where, "an int", value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"{where} expects an int, got {value!r} (not a whole number)")
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise ValueError(f"{where} expects an int, got {value!r}") from None
    raise _type_error(where, "an int", value)


def _to_float(where: str, value: Any) -> float:
    if isinstance(value, bool):
        raise _type_error(where, "a number", value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise ValueError(f"{where} expects a number, got {value!r}") from None
    raise _type_error(where, "a number", value)


def _to_str(where: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _type_error(where, "a str", value)


def _to_bool(where: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{where} expects a bool, got {value!r}")
    raise _type_error(where, "a bool", value)


def _passthrough(where: str, value: Any) -> Any:
    return value


def _list_converter(
    item: Callable[[str, Any], Any], item_name: str
) -> Callable[[str, Any], list[Any]]:
    def convert(where: str, value: Any) -> list[Any]:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            raise _type_error(where, f"a list of {item_name}", value)
        return [item(f"{where}[{i}]", v) for i, v in enumerate(value)]

    return convert


def _to_iso(where: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return str(isoformat())
    raise _type_error(where, "a date or datetime (or an ISO 8601 str)", value)


_SCALARS: dict[str, Callable[[str, Any], Any]] = {
    "int": _to_int,
    "float": _to_float,
    "str": _to_str,
    "bool": _to_bool,
    "datetime": _to_iso,
    "date": _to_iso,
}


def converter(kind: str) -> Callable[[str, Any], Any]:
    """The check of a value of the spec kind ``kind`` (the adapter's vocabulary)."""
    if kind.startswith("union["):  # nullable (``union[int, none]``): None is "not set" anyway
        options = [k for k in adapter.split_kinds(kind[6:-1]) if k != "none"]
        return converter(options[0]) if len(options) == 1 else _passthrough
    if kind in _SCALARS:
        return _SCALARS[kind]
    if kind.startswith("list["):
        item = kind[5:-1]
        return _list_converter(converter(item), item if item in _SCALARS else "values")
    # A kind the spec may bring later: sent as given.
    return _passthrough


@dataclass(frozen=True)
class QueryParam:
    """One parameter (query filter or body field), under its wire name."""

    wire: str  # the name on the wire and in the classic filters: run_number__gte
    type_name: str  # for messages and docs: int, str, bool, list[int], ...
    required: bool
    convert: Callable[[str, Any], Any]


class ParamSet:
    """The parameters of one operation's query (or JSON body), keyed by wire name."""

    def __init__(self, params: Iterable[adapter.Param], what: str = "filter") -> None:
        by_wire = {
            p.wire: QueryParam(p.wire, p.kind, p.required, converter(p.kind)) for p in params
        }
        self.by_wire: Mapping[str, QueryParam] = types.MappingProxyType(by_wire)
        self.required = frozenset(w for w, p in by_wire.items() if p.required)
        self.what = what

    def unknown(self, owner: str, name: str) -> TypeError:
        """The error for a name this operation does not have, with the closest valid names."""
        close = difflib.get_close_matches(name, list(self.by_wire), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        valid = ", ".join(sorted(self.by_wire))
        return TypeError(f"{owner}: unknown {self.what} {name!r}{hint} (valid: {valid})")

    def convert(self, owner: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Check wire-named ``values`` against this operation; ``None`` values are dropped."""
        out: dict[str, Any] = {}
        for name, value in values.items():
            param = self.by_wire.get(name)
            if param is None:
                raise self.unknown(owner, name)
            if value is not None:
                out[name] = param.convert(f"{owner}: {name}", value)
        return out

    def select(
        self, owner: str, values: Mapping[str, Any], *, ignore: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """Checked ``values`` that this operation takes, all required ones present.

        Names in ``ignore`` are skipped when this operation lacks them (the
        pagination parameters of a filter object handed to a count route).
        """
        out: dict[str, Any] = {}
        for name, value in values.items():
            if name not in self.by_wire:
                if name in ignore:
                    continue
                raise self.unknown(owner, name)
            out[name] = value
        missing = self.required - out.keys()
        if missing:
            raise TypeError(f"{owner}: missing required {', '.join(sorted(missing))}")
        return out


_QUERY_CACHE: dict[adapter.Operation, ParamSet] = {}
_BODY_CACHE: dict[adapter.Operation, ParamSet] = {}


def query_params(operation: adapter.Operation) -> ParamSet:
    """The (cached) query parameters of an operation."""
    params = _QUERY_CACHE.get(operation)
    if params is None:
        params = _QUERY_CACHE[operation] = ParamSet(operation.query.values())
    return params


def body_params(operation: adapter.Operation) -> ParamSet:
    """The (cached) fields of an operation's JSON body."""
    params = _BODY_CACHE.get(operation)
    if params is None:
        fields = operation.body.values() if operation.body is not None else ()
        params = _BODY_CACHE[operation] = ParamSet(fields, what="keyword")
    return params


# -- the filter classes -------------------------------------------------------


def _rebuild(cls: type[Filters], values: dict[str, Any]) -> Filters:
    return cls(**values)


class Filters:
    """Base of the filter classes: keyword arguments are the list route's query names.

    Subclasses name their endpoint group (see :mod:`cmsdials.groups`)::

        class RunFilters(Filters, group="run"): ...
    """

    __slots__ = ("_values",)

    #: The endpoint group (``dials.<attribute>``) whose list route these filter.
    group: ClassVar[Group]
    _params: ClassVar[ParamSet | None] = None

    _values: dict[str, Any]

    def __init_subclass__(cls, group: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if group is None:
            return
        cls.group = _group_of(group)
        operation = adapter.api().group(cls.group.route).list
        cls._params = query_params(operation) if operation is not None else None

    @classmethod
    def operation(cls) -> adapter.Operation:
        """The list operation these filters are for (or :class:`MissingOperationError`)."""
        if not hasattr(cls, "group"):
            raise TypeError("Filters is a base class: use a filter class such as RunFilters")
        return adapter.api().require(cls.group.route, what=f"{cls.__name__}")

    @classmethod
    def params(cls) -> ParamSet:
        """Every valid keyword (wire name) of these filters, with its type."""
        if cls._params is None:
            cls.operation()  # raises: no such base class / no such operation
        assert cls._params is not None
        return cls._params

    # The classic's pydantic API: Model.model_fields names every keyword.
    @classmethod
    def _model_fields(cls) -> Mapping[str, QueryParam]:
        return cls.params().by_wire

    def __init__(self, **filters: FilterValue) -> None:
        object.__setattr__(self, "_values", self.params().convert(type(self).__name__, filters))

    # Attribute access by wire name, as on the classic pydantic models.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_values":
            raise AttributeError(name)
        params = type(self).params()
        if name in params.by_wire:
            return self._values.get(name)
        raise AttributeError(str(params.unknown(type(self).__name__, name)))

    def __setattr__(self, name: str, value: FilterValue) -> None:
        converted = self.params().convert(type(self).__name__, {name: value})
        if name in converted:
            self._values[name] = converted[name]
        else:
            self._values.pop(name, None)

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Filters)
        return self._values == other._values

    __hash__ = None  # type: ignore[assignment]  # mutable, like a pydantic model

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), dict(self._values)))

    # -- views ----------------------------------------------------------------
    def model_dump(self, *, exclude_none: bool = False) -> dict[str, Any]:
        """Every keyword with its value (``None`` when unset), like pydantic's."""
        if exclude_none:
            return dict(self._values)
        return {name: self._values.get(name) for name in self.params().by_wire}

    def cleandict(self) -> dict[str, Any]:
        """The set filters as DIALS reads them: lists comma-joined (the classic's name)."""
        return {
            name: ",".join(str(v) for v in value) if isinstance(value, list) else value
            for name, value in self._values.items()
        }

    def replace(self, **changes: FilterValue) -> Filters:
        """A copy with some keywords changed (``None`` unsets one)."""
        return type(self)(**{**self._values, **changes})


class _ModelFields:
    """``FilterClass.model_fields`` on the class, as pydantic has it."""

    def __get__(self, obj: object, cls: type[Filters]) -> Mapping[str, QueryParam]:
        return cls._model_fields()


Filters.model_fields = _ModelFields()  # type: ignore[attr-defined]


def _group_of(attribute: str) -> Group:
    try:
        return group(attribute)
    except KeyError:
        raise TypeError(f"no endpoint group {attribute!r} in cmsdials.groups") from None


_CLASSES: dict[str, type[Filters]] = {}


def filters_class(attribute: str) -> type[Filters]:
    """The filter class of ``dials.<attribute>`` (made from the name table for a new group)."""
    cls = _CLASSES.get(attribute)
    if cls is None:
        g = _group_of(attribute)
        doc = f"Filters of ``dials.{attribute}``."
        cls = _CLASSES[attribute] = types.new_class(
            g.filters, (Filters,), {"group": attribute}, lambda ns: ns.update(__doc__=doc)
        )
        cls.__module__ = __name__
    return cls


# The filter class of every group of the name table. Type checkers see them, with their
# keywords and types, in cmsdials/_typed/filters.pyi (written by make regen).
if TYPE_CHECKING:
    from ._typed.filters import *
else:
    globals().update({g.filters: filters_class(g.attribute) for g in GROUPS})


# -- OMS proxy ----------------------------------------------------------------

OMSOperator = Literal["EQ", "NEQ", "LT", "GT", "LE", "GE", "LIKE"]
_OMS_OPERATORS: tuple[str, ...] = get_args(OMSOperator)


class OMSFilter:
    """One OMS API filter: ``filter[<attribute_name>][<operator>]=<value>``."""

    __slots__ = ("attribute_name", "operator", "value")

    attribute_name: str
    value: str | int | float
    operator: OMSOperator

    def __init__(
        self, attribute_name: str, value: str | int | float, operator: OMSOperator
    ) -> None:
        if not isinstance(attribute_name, str) or not attribute_name:
            raise _type_error("OMSFilter: attribute_name", "a non-empty str", attribute_name)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _type_error("OMSFilter: value", "a str, int or float", value)
        if operator not in _OMS_OPERATORS:
            close = difflib.get_close_matches(str(operator).upper(), _OMS_OPERATORS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"OMSFilter: operator must be one of {', '.join(_OMS_OPERATORS)}, "
                f"got {operator!r}{hint}"
            )
        self.attribute_name = attribute_name
        self.value = value
        self.operator = operator

    def query_item(self) -> tuple[str, str | int | float]:
        return f"filter[{self.attribute_name}][{self.operator}]", self.value

    def model_dump(self) -> dict[str, Any]:
        return {
            "attribute_name": self.attribute_name,
            "value": self.value,
            "operator": self.operator,
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OMSFilter) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"OMSFilter(attribute_name={self.attribute_name!r}, value={self.value!r}, "
            f"operator={self.operator!r})"
        )


class OMSPage:
    """One OMS API page setting: ``page[<attribute_name>]=<value>`` (e.g. ``limit``, ``offset``)."""

    __slots__ = ("attribute_name", "value")

    attribute_name: str
    value: int

    def __init__(self, attribute_name: str, value: int) -> None:
        if not isinstance(attribute_name, str) or not attribute_name:
            raise _type_error("OMSPage: attribute_name", "a non-empty str", attribute_name)
        self.attribute_name = attribute_name
        self.value = _to_int("OMSPage: value", value)

    def query_item(self) -> tuple[str, int]:
        return f"page[{self.attribute_name}]", self.value

    def model_dump(self) -> dict[str, Any]:
        return {"attribute_name": self.attribute_name, "value": self.value}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OMSPage) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"OMSPage(attribute_name={self.attribute_name!r}, value={self.value!r})"
