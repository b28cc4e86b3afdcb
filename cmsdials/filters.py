"""Filter classes, built from the generated operations' query parameters.

Each filter class names one generated list operation (``operation=``); its
valid keywords, their wire names and their types are read from that
operation's ``_get_kwargs`` once, when the class is created. The classic
keywords are the wire names (``run_number__gte=``, ``me__regex=``,
``model_id__in=[20, 19]``): when DIALS adds a filter to its spec, ``make
regen`` adds it here, with no hand edit.

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
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Union, get_args, get_origin

from dials_api.api.dataset_index import list_dataset_index
from dials_api.api.file_index import list_file_index
from dials_api.api.lumisection import list_lumisection
from dials_api.api.mes import list_mes
from dials_api.api.ml_bad_lumisection import list_ml_bad_lumisection
from dials_api.api.ml_models_index import list_ml_models_index
from dials_api.api.run import list_run
from dials_api.api.th1 import list_th1
from dials_api.api.th2 import list_th2
from dials_api.types import Unset

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
    "OperationParams",
    "QueryParam",
    "RunFilters",
    "operation_params",
]

#: What a filter keyword accepts (checked at run time against the spec's type).
FilterValue = str | int | float | bool | Sequence[str | int | float] | None

#: Query parameters that steer pagination rather than select rows.
PAGINATION_PARAMS = frozenset({"next_token", "page_size", "fields"})

# Parameters of the generated functions that are not query filters.
_NOT_FILTERS = frozenset({"workspace", "body", "client"})


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


_SCALARS: dict[Any, tuple[str, Callable[[str, Any], Any]]] = {
    int: ("int", _to_int),
    float: ("float", _to_float),
    str: ("str", _to_str),
    bool: ("bool", _to_bool),
}


def _list_converter(
    item: Callable[[str, Any], Any], item_name: str
) -> Callable[[str, Any], list[Any]]:
    def convert(where: str, value: Any) -> list[Any]:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            raise _type_error(where, f"a list of {item_name}", value)
        return [item(f"{where}[{i}]", v) for i, v in enumerate(value)]

    return convert


def _strip_unset(annotation: Any) -> Any:
    """``int | Unset`` → ``int``; ``None | str | Unset`` → ``str``."""
    if get_origin(annotation) in (Union, types.UnionType):
        kept = [a for a in get_args(annotation) if a not in (Unset, type(None))]
        if len(kept) == 1:
            return kept[0]
    return annotation


def _converter(annotation: Any) -> tuple[str, Callable[[str, Any], Any]]:
    base = _strip_unset(annotation)
    if base in _SCALARS:
        return _SCALARS[base]
    if get_origin(base) is list:
        (item,) = get_args(base) or (Any,)
        if item in _SCALARS:
            name, convert = _SCALARS[item]
            return f"list[{name}]", _list_converter(convert, name)
        return "list", _list_converter(_passthrough, "values")
    # A type the spec may bring later (a date, an enum): handed to the
    # generated function as given, which knows how to serialise it.
    return getattr(base, "__name__", str(base)), _passthrough


# -- introspection of a generated operation -----------------------------------


class _Probe(str):
    """A marker value to see where ``_get_kwargs`` puts each keyword.

    It is a ``str`` (so it survives ``str()``), and answers the few
    conversions generated code applies to query values (``.value`` of an enum,
    ``.isoformat()`` of a date) with itself.
    """

    __slots__ = ()

    @property
    def value(self) -> _Probe:
        return self

    def isoformat(self) -> _Probe:
        return self


@dataclass(frozen=True)
class QueryParam:
    """One query parameter of a generated operation."""

    wire: str  # the name on the wire and in the classic filters: run_number__gte
    keyword: str  # the keyword of the generated function: run_number_gte
    type_name: str  # for messages and docs: int, str, bool, list[int], ...
    required: bool
    convert: Callable[[str, Any], Any]


class OperationParams:
    """The query parameters of one generated operation, keyed by wire name."""

    def __init__(self, operation: types.ModuleType) -> None:
        self.operation = operation
        build = operation._get_kwargs
        signature = inspect.signature(build)
        hints = typing.get_type_hints(build)
        positional: list[Any] = []
        probes: dict[str, Any] = {}
        for parameter in signature.parameters.values():
            if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
                positional.append(0)  # a path parameter: not a filter
            elif parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                if parameter.name in _NOT_FILTERS:
                    continue
                probe = _Probe(f"\x00{parameter.name}\x00")
                is_list = get_origin(_strip_unset(hints[parameter.name])) is list
                probes[parameter.name] = [probe] if is_list else probe
        built = build(*positional, **probes)
        wire_of: dict[str, str] = {}
        for wire, value in (built.get("params") or {}).items():
            if isinstance(value, list) and value:
                value = value[0]
            text = str(value)
            if text.startswith("\x00") and text.endswith("\x00"):
                wire_of[text.strip("\x00")] = wire
        missing = sorted(set(probes) - set(wire_of))
        if missing:
            raise RuntimeError(
                f"cannot find the query names of {missing} in {operation.__name__}._get_kwargs"
            )
        by_wire: dict[str, QueryParam] = {}
        for keyword, wire in wire_of.items():
            type_name, convert = _converter(hints[keyword])
            required = signature.parameters[keyword].default is inspect.Parameter.empty
            by_wire[wire] = QueryParam(wire, keyword, type_name, required, convert)
        self.by_wire: Mapping[str, QueryParam] = types.MappingProxyType(by_wire)
        self.required = frozenset(w for w, p in by_wire.items() if p.required)

    def unknown(self, owner: str, name: str, *, what: str = "filter") -> TypeError:
        """The error for a name this operation does not have, with the closest valid names."""
        close = difflib.get_close_matches(name, list(self.by_wire), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        valid = ", ".join(sorted(self.by_wire))
        return TypeError(f"{owner}: unknown {what} {name!r}{hint} (valid: {valid})")

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

    def keywords(
        self, owner: str, values: Mapping[str, Any], *, ignore: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """Checked wire-named ``values`` → the generated function's keywords.

        Names in ``ignore`` are skipped when this operation lacks them (the
        pagination parameters of a filter object handed to a count route).
        """
        out: dict[str, Any] = {}
        for name, value in values.items():
            param = self.by_wire.get(name)
            if param is None:
                if name in ignore:
                    continue
                raise self.unknown(owner, name)
            out[param.keyword] = value
        missing = self.required - values.keys()
        if missing:
            raise TypeError(f"{owner}: missing required {', '.join(sorted(missing))}")
        return out


_PARAMS_CACHE: dict[types.ModuleType, OperationParams] = {}


def operation_params(operation: types.ModuleType) -> OperationParams:
    """The (cached) query parameters of a generated operation module."""
    params = _PARAMS_CACHE.get(operation)
    if params is None:
        params = _PARAMS_CACHE[operation] = OperationParams(operation)
    return params


# -- the filter classes -------------------------------------------------------


def _rebuild(cls: type[Filters], values: dict[str, Any]) -> Filters:
    return cls(**values)


class Filters:
    """Base of the filter classes: keyword arguments are the operation's query names.

    Subclasses name their generated list operation::

        class RunFilters(Filters, operation=list_run): ...
    """

    __slots__ = ("_values",)

    operation: ClassVar[types.ModuleType]
    params: ClassVar[OperationParams]
    #: Every valid keyword (wire name) → its :class:`QueryParam`.
    model_fields: ClassVar[Mapping[str, QueryParam]] = types.MappingProxyType({})

    _values: dict[str, Any]

    def __init_subclass__(cls, operation: types.ModuleType | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if operation is None:
            return
        cls.operation = operation
        cls.params = operation_params(operation)
        cls.model_fields = cls.params.by_wire
        listing = "\n".join(f"    {p.wire}: {p.type_name}" for p in cls.params.by_wire.values())
        cls.__doc__ = (
            f"{(cls.__doc__ or '').strip()}\n\n"
            f"Keywords (from the spec's ``{operation.__name__.rsplit('.', 1)[-1]}``):\n{listing}\n"
        )

    def __init__(self, **filters: FilterValue) -> None:
        if not hasattr(type(self), "params"):
            raise TypeError("Filters is a base class: use a filter class such as RunFilters")
        object.__setattr__(self, "_values", self.params.convert(type(self).__name__, filters))

    # Attribute access by wire name, as on the classic pydantic models.
    def __getattr__(self, name: str) -> Any:
        params = type(self).__dict__.get("params") or getattr(type(self), "params", None)
        if params is not None and name in params.by_wire:
            return self._values.get(name)
        if params is None or name.startswith("__"):
            raise AttributeError(name)
        error = params.unknown(type(self).__name__, name)
        raise AttributeError(str(error))

    def __setattr__(self, name: str, value: FilterValue) -> None:
        converted = self.params.convert(type(self).__name__, {name: value})
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
        return {name: self._values.get(name) for name in self.params.by_wire}

    def cleandict(self) -> dict[str, Any]:
        """The set filters as DIALS reads them: lists comma-joined (the classic's name)."""
        return {
            name: ",".join(str(v) for v in value) if isinstance(value, list) else value
            for name, value in self._values.items()
        }

    def replace(self, **changes: FilterValue) -> Filters:
        """A copy with some keywords changed (``None`` unsets one)."""
        return type(self)(**{**self._values, **changes})


class DatasetIndexFilters(Filters, operation=list_dataset_index):
    """Filters of ``dials.dataset_index``."""


class FileIndexFilters(Filters, operation=list_file_index):
    """Filters of ``dials.file_index``."""


class LumisectionFilters(Filters, operation=list_lumisection):
    """Filters of ``dials.lumi``."""


class LumisectionHistogram1DFilters(Filters, operation=list_th1):
    """Filters of ``dials.h1d`` (1D histograms)."""


class LumisectionHistogram2DFilters(Filters, operation=list_th2):
    """Filters of ``dials.h2d`` (2D histograms)."""


class MEFilters(Filters, operation=list_mes):
    """Filters of ``dials.mes``."""


class MLBadLumisectionFilters(Filters, operation=list_ml_bad_lumisection):
    """Filters of ``dials.ml_bad_lumis``."""


class MLModelsIndexFilters(Filters, operation=list_ml_models_index):
    """Filters of ``dials.ml_models_index``."""


class RunFilters(Filters, operation=list_run):
    """Filters of ``dials.run``."""


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
