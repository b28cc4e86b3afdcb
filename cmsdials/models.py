"""The rows cmsdials returns: DIALS's JSON objects, readable as attributes, tolerant of the server.

A row's ``__dict__`` *is* the object DIALS sent (dates parsed), so ``row.me``,
``row.type`` and ``vars(row)`` cost nothing and every field arrives under its
wire name. The fields a row class knows come from the spec (through
:mod:`cmsdials.adapter`), and so do its types, for type checkers too.

Rows are tolerant of a server that differs from the spec, as openai-python's
models are:

* a field the server leaves out reads as ``None`` (and is left out of
  ``vars(row)``; ``model_dump()`` has it as ``None``);
* a field the server adds is kept: ``row.extra``, ``model_dump()``, ``to_pandas()``;
* a value of another type than the spec's is kept as sent;
* each such difference is logged once per route and field, at WARNING.

Only an answer that is not an object at all is an error
(:class:`~cmsdials.exceptions.DialsDecodeError`, naming the route).
"""

from __future__ import annotations

import builtins
import copy
import datetime
import difflib
import json
import logging
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import orjson
from dateutil.parser import isoparse

from . import adapter
from .exceptions import DialsDecodeError
from .groups import GROUPS, group

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
    "RowReader",
    "Run",
    "model_dump",
    "row_class",
]

logger = logging.getLogger(__name__)

_NONE = type(None)
#: Python types of the values each spec kind arrives as (after date parsing).
_WIRE_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (float, int),
    "str": (str,),
    "bool": (bool,),
    "datetime": (datetime.datetime,),
    "date": (datetime.date,),
    "object": (dict,),
    "none": (_NONE,),
}


def _wire_types(shape: adapter.Shape) -> tuple[type, ...] | None:
    """The types a value of ``shape`` may have, or ``None`` for "anything"."""
    if shape.kind.startswith("list["):
        return (list,)
    if shape.kind.startswith("union["):
        types: list[type] = []
        for option in shape.options:
            allowed = _wire_types(option)
            if allowed is None:
                return None
            types.extend(allowed)
        return tuple(dict.fromkeys(types))
    return _WIRE_TYPES.get(shape.kind)


def _parse_datetime(text: str) -> datetime.datetime:
    """An ISO 8601 timestamp; UTC as :data:`datetime.timezone.utc` (not dateutil's ``tzutc()``),
    as the classic's pydantic rows had it, so that pandas shows ``datetime64[ns, UTC]``."""
    value = isoparse(text)
    offset = value.utcoffset()
    if offset is not None and not offset and value.tzinfo is not datetime.timezone.utc:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def _date_parser(shape: adapter.Shape) -> Callable[[str], Any] | None:
    kind = shape.without_null().kind
    if kind == "datetime":
        return _parse_datetime
    if kind == "date":
        return lambda text: isoparse(text).date()
    return None


class DialsModel:
    """Base of the row classes (see the module doc). Attributes are the wire fields.

    What the classic's pydantic rows offered their users works on these too:
    ``row.__dict__`` / ``vars(row)`` (the wire object), ``model_dump(...)``,
    ``dict()``, ``model_dump_json()``, ``model_copy()``, ``model_fields``,
    ``==``, pickling and :mod:`copy`.
    """

    #: The spec's fields (name → :class:`cmsdials.adapter.Field`), in the schema's order:
    #: the columns of ``to_pandas``. Iterating it gives the names, as pydantic's does.
    model_fields: ClassVar[Mapping[str, adapter.Field]] = MappingProxyType({})
    #: The spec's schema name (``TH1``).
    schema_name: ClassVar[str] = ""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def plot(self, **options: Any) -> Axes:
        """Draw a histogram row (h1d: step histogram; h2d: heat map with a colour bar);
        returns the matplotlib ``Axes`` (``ax=`` to draw on one). See :mod:`cmsdials.plotting`."""
        from .plotting import plot_row

        return plot_row(self, **options)

    def to_hist(self) -> Any:
        """A histogram row as a ``hist.Hist`` (``Regular`` x, and y for h2d; contents set,
        not re-filled). Needs ``pip install 'cmsdials[hist]'``. See :mod:`cmsdials.derived`."""
        from .arrays import histograms
        from .derived import row_to_hist

        return row_to_hist(self, histograms)

    def _repr_html_(self) -> str | None:
        """Notebooks: a histogram row as a one-line summary and a small plot."""
        from .plotting import row_html

        return row_html(self)

    if not TYPE_CHECKING:  # (hidden from type checkers: they see the spec's fields only)

        def __getattr__(self, name: str) -> Any:
            # Only called for names not in the row: a spec field the server left out is None.
            if name in type(self).model_fields:
                return None
            if name.startswith("__"):  # copy/pickle probe dunders: not fields
                raise AttributeError(name)
            raise AttributeError(
                f"{type(self).__name__} has no field {name!r} "
                f"(fields: {', '.join(type(self).model_fields)})"
            )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, DialsModel)
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # mutable, like a pydantic model

    def __repr__(self) -> str:
        # What the server sent (a missing field is not shown); long lists summarised.
        sent = self.__dict__
        parts = []
        for name, value in self.model_dump().items():
            if name not in sent:
                continue
            text = _summary(value) if isinstance(value, list) else repr(value)
            parts.append(f"{name}={text}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self.schema_name, type(self).__name__, dict(self.__dict__)))

    def model_dump(
        self,
        *,
        mode: str = "python",
        include: _Names | None = None,
        exclude: _Names | None = None,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The row as a dict: every spec field (``None`` where the server left it out),
        then any field the server added.

        As pydantic's: ``mode="json"`` gives JSON-ready values (dates as ISO 8601
        strings); ``include``/``exclude`` are field names (a set, list or dict's
        keys); ``exclude_none`` drops the ``None`` values. A name that is not a
        field of the row is a ``ValueError``.
        """
        values = self.__dict__
        fields = type(self).model_fields
        out = {name: values.get(name) for name in fields}
        if len(values) > len(out) or any(k not in out for k in values):
            out.update((k, v) for k, v in values.items() if k not in out)
        if include is not None:
            keep = self._names("include", include, out)
            out = {k: v for k, v in out.items() if k in keep}
        if exclude is not None:
            drop = self._names("exclude", exclude, out)
            out = {k: v for k, v in out.items() if k not in drop}
        if exclude_none:
            out = {k: v for k, v in out.items() if v is not None}
        if mode == "json":
            return {k: _jsonable(v) for k, v in out.items()}
        if mode != "python":
            raise ValueError(f"model_dump(mode=...) must be 'python' or 'json', not {mode!r}")
        return out

    def _names(self, what: str, names: _Names, known: Mapping[str, Any]) -> set[str]:
        if isinstance(names, str) or not isinstance(names, Iterable):
            raise TypeError(
                f"model_dump({what}=...) takes a set, list or dict of field names, "
                f"not {type(names).__name__}"
            )
        chosen = set(names)
        unknown = sorted(str(n) for n in chosen if n not in known)
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(known), n=2)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise ValueError(
                f"{type(self).__name__}.model_dump({what}=...): no field "
                f"{', '.join(map(repr, unknown))}{hint} (fields: {', '.join(known)})"
            )
        return chosen

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        include: _Names | None = None,
        exclude: _Names | None = None,
        exclude_none: bool = False,
    ) -> str:
        """The row as a JSON string (``model_dump(mode="json")`` encoded), as pydantic's."""
        dumped = self.model_dump(
            mode="json", include=include, exclude=exclude, exclude_none=exclude_none
        )
        if indent is None:
            return orjson.dumps(dumped).decode()
        return json.dumps(dumped, indent=indent)

    def model_copy(self: _R, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> _R:
        """A copy of the row, with ``update``'s fields changed, as pydantic's."""
        values = dict(self.__dict__)
        if deep:
            values = copy.deepcopy(values)
        if update:
            values.update(update)
        row = object.__new__(type(self))
        row.__dict__.update(values)
        return row

    def dict(
        self,
        *,
        include: _Names | None = None,
        exclude: _Names | None = None,
        exclude_none: bool = False,
    ) -> builtins.dict[str, Any]:
        """``model_dump()`` under pydantic 1's name (the classic's rows had both)."""
        return self.model_dump(include=include, exclude=exclude, exclude_none=exclude_none)


_R = TypeVar("_R", bound="DialsModel")

#: Field names for ``include=`` / ``exclude=``: a set, list, tuple or a dict's keys.
_Names = AbstractSet[str] | Sequence[str] | Mapping[str, Any]


def _summary(values: list[Any]) -> str:
    """A list in a repr: short ones in full, long ones as their shape and sum."""
    if len(values) <= 8 and not any(isinstance(v, list) for v in values):
        return repr(values)
    shape: list[int] = []
    level: Any = values
    while isinstance(level, list):
        shape.append(len(level))
        level = level[0] if level else None
    try:
        total: Any = sum(_flat(values))
    except TypeError:  # not numbers
        return f"<list of {len(values)}>"
    if isinstance(total, float):
        total = float(f"{total:.6g}")
    dims = "x".join(map(str, shape))
    return f"<{dims} values, sum={total}>"


def _flat(values: list[Any]) -> Iterator[Any]:
    for value in values:
        if isinstance(value, list):
            yield from _flat(value)
        elif value is not None:
            yield value


def _jsonable(value: Any) -> Any:
    """A value as JSON has it, as pydantic's ``mode="json"`` (UTC as ``Z``)."""
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and (value != value or value in (math.inf, -math.inf)):
        return None
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def model_dump(row: Any) -> dict[str, Any]:
    """``row.model_dump()`` for a row, or a copy of a plain-``dict`` row (``fields=``)."""
    if isinstance(row, dict):
        return dict(row)
    dump: Callable[[], dict[str, Any]] = row.model_dump
    return dump()


class RowReader:
    """Turns the decoded objects of one route's answers into rows of one class, tolerantly."""

    def __init__(self, cls: type[DialsModel], shape: adapter.Shape | None, route: str) -> None:
        self.cls = cls
        self.route = route
        fields = shape.fields if shape is not None else ()
        self.fields = {f.name: f for f in fields}
        self.expected = frozenset(self.fields)
        self.checks = [
            (f.name, allowed)
            for f in fields
            if (allowed := _wire_types(f.shape)) is not None and not _parsed_later(f.shape)
        ]
        self.dates = [(f.name, parse) for f in fields if (parse := _date_parser(f.shape))]

    def read(self, objects: Any) -> list[Any]:
        """Rows of a list of decoded objects (a page's ``results``, a plain list answer)."""
        if not isinstance(objects, list):
            raise DialsDecodeError(
                f"{self.route}: expected a list of objects, got {type(objects).__name__}"
            )
        return [self.one(obj) for obj in objects]

    def one(self, obj: Any) -> Any:
        """One row from one decoded object."""
        if type(obj) is not dict:
            if not isinstance(obj, dict):
                raise DialsDecodeError(
                    f"{self.route}: a row is not a JSON object but {type(obj).__name__}: "
                    f"{str(obj)[:80]!r}"
                )
            obj = dict(obj)
        if obj.keys() != self.expected:
            self._differs(obj)
        for name, parse in self.dates:
            value = obj.get(name)
            if type(value) is str:
                try:
                    obj[name] = parse(value)
                except (ValueError, OverflowError):
                    _note(self.route, name, f"is not a date ({value[:40]!r}); kept as sent")
            elif value is not None:
                _note(self.route, name, f"is a {type(value).__name__}, not a date; kept as sent")
        for name, allowed in self.checks:
            value = obj.get(name, _MISSING)
            if value is not _MISSING and type(value) not in allowed:
                self._check(name, value, allowed)
        row = object.__new__(self.cls)
        row.__dict__ = obj
        return row

    def _differs(self, obj: Mapping[str, Any]) -> None:
        keys = obj.keys()
        for name in self.expected - keys:
            _note(self.route, name, "is missing from the answer; it reads as None")
        for name in keys - self.expected:
            _note(self.route, name, "is not in the spec; kept")

    def _check(self, name: str, value: Any, allowed: tuple[type, ...]) -> None:
        if isinstance(value, allowed) and not isinstance(value, bool):
            return  # a subclass (an int subclass of the spec's int)
        field = self.fields[name]
        _note(
            self.route,
            name,
            f"is a {type(value).__name__} where the spec says {field.shape.kind}; kept as sent",
        )


_MISSING = object()


def _parsed_later(shape: adapter.Shape) -> bool:
    return shape.without_null().kind in ("datetime", "date")


_noted: set[tuple[str, str, str]] = set()
_noted_lock = threading.Lock()


def _note(route: str, name: str, what: str) -> None:
    """Log a difference from the spec once per route and field."""
    key = (route, name, what.split(" ", 2)[1] if " " in what else what)
    with _noted_lock:
        if key in _noted:
            return
        _noted.add(key)
    logger.warning("DIALS %s: field %r %s", route, name, what)


# -- the row classes ----------------------------------------------------------

_classes: dict[str, type[DialsModel]] = {}
_classes_lock = threading.Lock()


def row_class(schema: str, name: str | None = None) -> type[DialsModel]:
    """The row class of the spec's schema ``schema`` (created once), named ``name``."""
    cls = _classes.get(schema)
    if cls is not None:
        return cls
    with _classes_lock:
        cls = _classes.get(schema)
        if cls is None:
            shape = adapter.api().model(schema)
            fields = {f.name: f for f in shape.fields} if shape is not None else {}
            namespace = {
                "model_fields": MappingProxyType(fields),
                "schema_name": schema,
                "__module__": __name__,
                "__doc__": f"A row of DIALS's ``{schema}`` (fields: {', '.join(fields)}).",
            }
            cls = type(name or schema, (DialsModel,), namespace)
            _classes[schema] = cls
    return cls


def group_row_class(attribute: str) -> type[DialsModel]:
    """The row class of ``dials.<attribute>`` under its classic name."""
    g = group(attribute)
    schema = adapter.api().group(g.route).schema or g.stem
    return row_class(schema, g.stem)


def _restore(schema: str, name: str, values: dict[str, Any]) -> DialsModel:
    row = object.__new__(row_class(schema, name))
    row.__dict__.update(values)
    return row


def reader(cls: type[DialsModel], route: str) -> RowReader:
    """A :class:`RowReader` for rows of ``cls`` answered by ``route``."""
    return RowReader(cls, adapter.api().model(cls.schema_name), route)


# The classic row names: the tolerant row class of each group of the name table, found
# through the adapter (never failing at import). Type checkers see the spec's fields
# (the template's ``<Schema>Row`` annotations) in cmsdials/_typed/rows.pyi (make regen).
if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from . import _typed as _t
    from ._typed.rows import *

    class MinifiedMonitoringElement(DialsModel, _t.MinifiedMEsRow): ...

else:
    globals().update({g.stem: group_row_class(g.attribute) for g in GROUPS})
    MinifiedMonitoringElement = row_class(
        adapter.api().group(group("mes").route).by_run_schema or "MinifiedMEs",
        "MinifiedMonitoringElement",
    )
