"""Lumisection masks: :class:`LumiMask`, an immutable set of (run, lumisection).

Certification speaks in sets of lumisections: golden JSONs, DCS JSONs, the lumisections an
ML model flags, the lumisections a pull holds. They are written in the CMS JSON format,
``{"run": [[first, last], ...]}`` (inclusive ranges). A :class:`LumiMask` reads that format
(and ``cert_json()`` output, pairs, rows), combines masks exactly (``& | - ^``), compares
them, writes them back deterministically, and answers membership for whole arrays at once.

Representation. Each (run, lumisection) is the integer key ``run << 20 | ls``; the mask
is the sorted tuple of its boundaries ``(lo0, hi0, lo1, hi1, ...)``, each range the
half-open key interval ``[lo, hi)``. Ranges are merged (overlapping and adjacent ones
become one), so the boundaries strictly increase and a key is in the mask exactly when the
number of boundaries at or below it is odd: one ``bisect`` in Python, one
``numpy.searchsorted`` for an array of keys. Lumisection 0 is never a member, so a range
never crosses from one run into the next. Limits: ``1 <= ls < 2**20`` (1,048,576) and
``1 <= run < 2**42``; a number beyond is a :class:`ValueError` when building a mask, and
simply not a member when asking.

Everything but :meth:`LumiMask.__call__` and :meth:`LumiMask.from_arrays` is plain Python;
those two need numpy (``pip install 'cmsdials[numpy]'``), imported when called.
"""

from __future__ import annotations

import html
import json
import operator
import os
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, cast

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

__all__ = ["LS_BITS", "MAX_LS", "MAX_RUN", "LumiDiff", "LumiMask", "RunDiff"]

#: Bits of the lumisection in a key ``run << LS_BITS | ls``.
LS_BITS = 20
#: The largest lumisection number a mask holds (2**20 - 1).
MAX_LS = (1 << LS_BITS) - 1
#: The largest run number a mask holds (2**42 - 1: keys and bounds stay within int64).
MAX_RUN = (1 << 42) - 1
#: Ranges shown by ``repr`` and the notebook display.
_SHOWN = 6

#: What ``LumiMask(...)`` reads.
MaskSource = Union["LumiMask", Mapping[Any, Any], str, bytes, "os.PathLike[str]", Iterable[Any]]


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        raise ImportError(
            "LumiMask's array calls need numpy, which is not installed: "
            "pip install 'cmsdials[numpy]' (or 'cmsdials[pandas]', which brings it)"
        ) from None
    return numpy


def _integer(value: Any, what: str, *, key: bool = False) -> int:
    """``value`` as an int (ints, numpy ints; digit strings only for JSON keys, ``key``),
    else a ValueError naming ``what``."""
    if type(value) is int:
        return value
    if key and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, (bool, str)):
        raise ValueError(f"{what}: {value!r} is not an integer")
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(f"{what}: {value!r} ({type(value).__name__}) is not an integer") from None


def _run(value: Any, *, key: bool = False) -> int:
    run = _integer(value, "run number", key=key)
    if not 1 <= run <= MAX_RUN:
        raise ValueError(f"run {run}: run numbers go from 1 to {MAX_RUN}")
    return run


def _lumi(run: int, value: Any, where: str, *, key: bool = False) -> int:
    ls = _integer(value, f"run {run}, {where}", key=key)
    if not 1 <= ls <= MAX_LS:
        raise ValueError(
            f"run {run}, {where}: lumisection {ls} is out of bounds "
            f"(lumisections go from 1 to {MAX_LS}, 2**{LS_BITS} - 1)"
        )
    return ls


def _merge(intervals: list[tuple[int, int]]) -> tuple[int, ...]:
    """Boundaries of the union of half-open key intervals (in any order)."""
    intervals.sort()
    out: list[int] = []
    for lo, hi in intervals:
        if out and lo <= out[-1]:
            if hi > out[-1]:
                out[-1] = hi
        else:
            out.append(lo)
            out.append(hi)
    return tuple(out)


def _combine(
    a: tuple[int, ...], b: tuple[int, ...], op: Callable[[bool, bool], bool]
) -> tuple[int, ...]:
    """Boundaries of ``op(in a, in b)`` by one sweep over both boundary lists."""
    out: list[int] = []
    i = j = 0
    na, nb = len(a), len(b)
    in_a = in_b = inside = False
    while i < na or j < nb:
        x = a[i] if j >= nb or (i < na and a[i] <= b[j]) else b[j]
        if i < na and a[i] == x:
            in_a = not in_a
            i += 1
        if j < nb and b[j] == x:
            in_b = not in_b
            j += 1
        now = op(in_a, in_b)
        if now != inside:
            out.append(x)
            inside = now
    return tuple(out)


def _only_first(a: bool, b: bool) -> bool:
    return a and not b


def _operation(
    op: Callable[[bool, bool], bool], doc: str
) -> Callable[[LumiMask, LumiMask], LumiMask]:
    """A binary set operation of masks (``NotImplemented`` for anything but a mask)."""

    def operation(self: LumiMask, other: LumiMask) -> LumiMask:
        if not isinstance(other, LumiMask):
            return NotImplemented
        return LumiMask._of(_combine(self._bounds, other._bounds, op))

    operation.__doc__ = doc
    return operation


class LumiMask:
    """An immutable set of (run, lumisection); see the module doc.

    ``LumiMask(source)`` reads:

    * the CMS JSON format ``{run: [[first, last], ...]}``: a dict (run keys as strings or
      ints), a JSON string, or the path of a JSON file; ``golden_json()`` answers this;
    * ``cert_json()`` output, ``{run: {ls: [entries]}}``: the lumisections it lists (the
      ones an ML model flags; a clean run, ``{}``, holds none);
    * an iterable of ``(run, ls)`` pairs, or another mask.

    Overlapping and adjacent ranges are merged; unsorted input is fine. Bad input is a
    ``ValueError`` naming the run and the range.
    """

    __slots__ = ("_array", "_bounds")

    _bounds: tuple[int, ...]
    _array: Any

    def __init__(self, source: MaskSource | None = None) -> None:
        if isinstance(source, LumiMask):
            bounds = source._bounds
        elif hasattr(source, "results") or hasattr(source, "columns"):
            raise TypeError(
                f"LumiMask() reads CMS JSON or (run, ls) pairs; for a {type(source).__name__} "
                "of rows with run_number and ls_number, use LumiMask.from_rows(...)"
            )
        elif source is None:
            bounds = ()
        elif isinstance(source, Mapping):
            bounds = _from_mapping(source)
        elif isinstance(source, (str, bytes, os.PathLike)):
            bounds = _from_mapping(_load(source))
        elif isinstance(source, Iterable):
            bounds = _from_pairs(source)
        else:
            raise TypeError(
                "LumiMask() reads a CMS JSON dict ({run: [[first, last], ...]}), cert_json() "
                "output, a JSON string, a file path or (run, ls) pairs; not "
                f"{type(source).__name__}"
            )
        object.__setattr__(self, "_bounds", bounds)
        object.__setattr__(self, "_array", None)

    @classmethod
    def _of(cls, bounds: tuple[int, ...]) -> LumiMask:
        mask = cls.__new__(cls)
        object.__setattr__(mask, "_bounds", bounds)
        object.__setattr__(mask, "_array", None)
        return mask

    @classmethod
    def from_rows(cls, rows: Any) -> LumiMask:
        """The (run_number, ls_number) of rows: ``ml_bad_lumis`` rows (a model's bad
        lumisections), a ``Page`` or list of any rows or dicts having both fields, or a
        DataFrame with those columns."""
        results = getattr(rows, "results", None)
        if isinstance(results, list):
            rows = results
        if hasattr(rows, "columns") and hasattr(rows, "to_numpy"):
            return cls.from_arrays(*_key_columns(rows, "LumiMask.from_rows()"))
        pairs: list[tuple[Any, Any]] = []
        for index, row in enumerate(rows):
            values = row if isinstance(row, Mapping) else getattr(row, "__dict__", {})
            try:
                pairs.append((values["run_number"], values["ls_number"]))
            except KeyError:
                raise ValueError(
                    f"LumiMask.from_rows(): row {index} ({type(row).__name__}) has no "
                    "run_number and ls_number (with fields=, ask for both)"
                ) from None
        return cls._of(_from_pairs(pairs))

    @classmethod
    def from_arrays(cls, runs: Any, lumis: Any) -> LumiMask:
        """The pairs ``(runs[i], lumis[i])`` of two integer arrays (numpy, pandas, lists),
        vectorised: the mask of what a pull holds. Needs numpy."""
        xp = _numpy()
        run_array, ls_array = _arrays(xp, runs, lumis, "LumiMask.from_arrays()")
        if run_array.size == 0:
            return cls._of(())
        bad_runs = (run_array < 1) | (run_array > MAX_RUN)
        bad_lumis = (ls_array < 1) | (ls_array > MAX_LS)
        if bad_runs.any() or bad_lumis.any():
            i = int(xp.flatnonzero(bad_runs | bad_lumis)[0])
            run = _run(int(run_array.flat[i]))
            _lumi(run, int(ls_array.flat[i]), f"pair {i}")
        keys = xp.unique((run_array << LS_BITS) | ls_array)
        breaks = xp.flatnonzero(xp.diff(keys) != 1)
        lows = xp.concatenate((keys[:1], keys[breaks + 1]))
        highs = xp.concatenate((keys[breaks], keys[-1:])) + 1
        bounds = xp.empty(2 * len(lows), dtype=xp.int64)
        bounds[0::2] = lows
        bounds[1::2] = highs
        return cls._of(tuple(bounds.tolist()))

    # -- membership ---------------------------------------------------------------

    def __call__(self, runs: Any, lumis: Any) -> npt.NDArray[np.bool_]:
        """Which ``(runs[i], lumis[i])`` are in the mask: a numpy bool array of their shape.

        ``runs`` and ``lumis``: integer numpy arrays, pandas Series or lists, of one shape.
        This is the way to apply a mask to arrays (``h.keys["run_number"]``, DataFrame
        columns). Numbers outside the mask's limits are simply not members. Needs numpy.
        """
        xp = _numpy()
        run_array, ls_array = _arrays(xp, runs, lumis, "mask()")
        keys = run_array << LS_BITS
        keys |= ls_array
        found = xp.searchsorted(self._bounds_array(xp), keys, side="right")
        found &= 1
        inside: npt.NDArray[np.bool_] = found.astype(bool)
        if inside.size and (
            int(ls_array.min()) < 1
            or int(ls_array.max()) > MAX_LS
            or int(run_array.min()) < 1
            or int(run_array.max()) > MAX_RUN
        ):
            inside &= (ls_array >= 1) & (ls_array <= MAX_LS)
            inside &= (run_array >= 1) & (run_array <= MAX_RUN)
        return inside

    def _bounds_array(self, np: Any) -> Any:
        if self._array is None:
            object.__setattr__(self, "_array", np.array(self._bounds, dtype=np.int64))
        return self._array

    def filter(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of a DataFrame whose ``run_number``/``ls_number`` are in the mask."""
        kept: pd.DataFrame = frame[self(*_key_columns(frame, "mask.filter()"))]
        return kept

    def select(self, rows: Iterable[Any]) -> list[Any]:
        """The rows (models or dicts with ``run_number`` and ``ls_number``) in the mask, in
        their order; ``page.select(mask)`` wraps them in a ``Page``."""
        kept = []
        for row in rows:
            values = row if isinstance(row, Mapping) else row.__dict__
            run, ls = values.get("run_number"), values.get("ls_number")
            if run is None or ls is None:
                raise ValueError(
                    f"select(): a {type(row).__name__} row without run_number and ls_number "
                    "(with fields=, ask for both)"
                )
            if (run, ls) in self:
                kept.append(row)
        return kept

    def __contains__(self, item: object) -> bool:
        try:
            raw_run, raw_ls = cast("tuple[Any, Any]", item)
            run, ls = operator.index(raw_run), operator.index(raw_ls)
        except (TypeError, ValueError):
            return False
        if not (1 <= ls <= MAX_LS and 1 <= run <= MAX_RUN):
            return False
        return bisect_right(self._bounds, run << LS_BITS | ls) & 1 == 1

    def __len__(self) -> int:
        """The number of lumisections."""
        bounds = self._bounds
        return sum(bounds[1::2]) - sum(bounds[0::2])

    def __bool__(self) -> bool:
        return bool(self._bounds)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        """The (run, lumisection) pairs, sorted."""
        bounds = self._bounds
        for i in range(0, len(bounds), 2):
            run = bounds[i] >> LS_BITS
            for ls in range(bounds[i] & MAX_LS, ((bounds[i + 1] - 1) & MAX_LS) + 1):
                yield run, ls

    @property
    def runs(self) -> tuple[int, ...]:
        """The runs with at least one lumisection, sorted."""
        return tuple(sorted({lo >> LS_BITS for lo in self._bounds[0::2]}))

    def ranges(self) -> Iterator[tuple[int, int, int]]:
        """``(run, first, last)`` of every merged range, sorted (inclusive bounds)."""
        bounds = self._bounds
        for i in range(0, len(bounds), 2):
            yield bounds[i] >> LS_BITS, bounds[i] & MAX_LS, (bounds[i + 1] - 1) & MAX_LS

    # -- set algebra ----------------------------------------------------------------

    __and__ = _operation(operator.and_, "The lumisections in both masks.")
    __or__ = _operation(operator.or_, "The lumisections in either mask.")
    __sub__ = _operation(_only_first, "The lumisections in this mask and not in the other.")
    __xor__ = _operation(operator.xor, "The lumisections in one mask only.")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LumiMask):
            return NotImplemented
        return self._bounds == other._bounds

    def __hash__(self) -> int:
        return hash(self._bounds)

    def __le__(self, other: LumiMask) -> bool:
        if not isinstance(other, LumiMask):
            return NotImplemented
        return not _combine(self._bounds, other._bounds, _only_first)

    def __lt__(self, other: LumiMask) -> bool:
        if not isinstance(other, LumiMask):
            return NotImplemented
        return self <= other and self._bounds != other._bounds

    def __ge__(self, other: LumiMask) -> bool:
        if not isinstance(other, LumiMask):
            return NotImplemented
        return other <= self

    def __gt__(self, other: LumiMask) -> bool:
        if not isinstance(other, LumiMask):
            return NotImplemented
        return other < self

    def restrict(self, runs: int | Iterable[int]) -> LumiMask:
        """The mask of these runs only (an int, an iterable of ints, or a ``range``)."""
        keep: Any
        if isinstance(runs, range):
            keep = runs
        elif isinstance(runs, Iterable) and not isinstance(runs, (str, bytes)):
            keep = {_integer(run, "restrict(runs=)") for run in runs}
        else:
            keep = {_integer(runs, "restrict(runs=)")}
        bounds = self._bounds
        out: list[int] = []
        for i in range(0, len(bounds), 2):
            if bounds[i] >> LS_BITS in keep:
                out += bounds[i : i + 2]
        return LumiMask._of(tuple(out))

    @staticmethod
    def diff(a: LumiMask, b: LumiMask) -> LumiDiff:
        """What ``a`` has that ``b`` lacks and the other way round, run by run."""
        return LumiDiff(a - b, b - a)

    # -- output -------------------------------------------------------------------

    def to_dict(self) -> dict[str, list[list[int]]]:
        """The CMS JSON format: ``{"run": [[first, last], ...]}``, runs and ranges sorted,
        ranges merged."""
        out: dict[str, list[list[int]]] = {}
        for run, first, last in self.ranges():
            out.setdefault(str(run), []).append([first, last])
        return out

    def to_json(self) -> str:
        """:meth:`to_dict` as compact JSON (no spaces): the same mask, the same text."""
        return json.dumps(self.to_dict(), separators=(",", ":"))

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`to_json` (and a newline) to ``path`` atomically: a reader sees the
        old file or the new one, never a part. Returns the path."""
        target = Path(path)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{id(self):x}.tmp")
        data = (self.to_json() + "\n").encode("ascii")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return target

    def __repr__(self) -> str:
        if not self._bounds:
            return "LumiMask(<empty>)"
        runs = self.runs
        span = f"run {runs[0]}" if len(runs) == 1 else f"runs {runs[0]}-{runs[-1]}"
        return (
            f"LumiMask(<{len(runs):,} run{'s' if len(runs) > 1 else ''}, {len(self):,} "
            f"lumisections in {len(self._bounds) // 2:,} ranges, {span}>)"
        )

    def _repr_html_(self) -> str:
        rows = []
        for count, (run, first, last) in enumerate(self.ranges()):
            if count == _SHOWN:
                rows.append("<tr><td>…</td><td>…</td><td></td></tr>")
                break
            rows.append(
                f"<tr><td>{run}</td><td>{first}-{last}</td><td>{last - first + 1}</td></tr>"
            )
        table = (
            "<table><thead><tr><th>run</th><th>lumisections</th><th>count</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            if rows
            else ""
        )
        return f"<div><b>{html.escape(repr(self))}</b>{table}</div>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LumiMask._of, (self._bounds,))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a LumiMask is immutable: combine masks with & | - ^ instead")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a LumiMask is immutable")


@dataclass(frozen=True)
class RunDiff:
    """One run of a :class:`LumiDiff`: the ranges only ``a`` has and only ``b`` has."""

    run: int
    only_a: tuple[tuple[int, int], ...]
    only_b: tuple[tuple[int, int], ...]

    @property
    def count_a(self) -> int:
        """Lumisections of the run that only ``a`` has."""
        return sum(last - first + 1 for first, last in self.only_a)

    @property
    def count_b(self) -> int:
        """Lumisections of the run that only ``b`` has."""
        return sum(last - first + 1 for first, last in self.only_b)

    def __str__(self) -> str:
        def spell(ranges: tuple[tuple[int, int], ...]) -> str:
            return ",".join(f"{f}" if f == last else f"{f}-{last}" for f, last in ranges)

        parts = [f"run {self.run}:"]
        if self.only_a:
            parts.append(f"only in a {self.count_a} ({spell(self.only_a)})")
        if self.only_b:
            parts.append(f"only in b {self.count_b} ({spell(self.only_b)})")
        return " ".join(parts)


class LumiDiff:
    """``LumiMask.diff(a, b)``: per run, what ``a`` has that ``b`` lacks and the reverse.

    ``only_a`` and ``only_b`` are the two masks; iterating gives one :class:`RunDiff` per
    run that differs, sorted; ``str()`` is one line per run; ``to_dict()`` is JSON-ready.
    An empty diff (the masks are equal) is falsy.
    """

    __slots__ = ("only_a", "only_b")

    def __init__(self, only_a: LumiMask, only_b: LumiMask) -> None:
        self.only_a = only_a
        self.only_b = only_b

    def __iter__(self) -> Iterator[RunDiff]:
        a: dict[int, list[tuple[int, int]]] = {}
        b: dict[int, list[tuple[int, int]]] = {}
        for side, mask in ((a, self.only_a), (b, self.only_b)):
            for run, first, last in mask.ranges():
                side.setdefault(run, []).append((first, last))
        for run in sorted(a.keys() | b.keys()):
            yield RunDiff(run, tuple(a.get(run, ())), tuple(b.get(run, ())))

    def __len__(self) -> int:
        """The number of runs that differ."""
        return len(set(self.only_a.runs) | set(self.only_b.runs))

    def __bool__(self) -> bool:
        return bool(self.only_a or self.only_b)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """``{"run": {"only_a": [[f, l], ...], "only_b": [...], "count_a": n, "count_b": m}}``."""
        return {
            str(d.run): {
                "only_a": [list(r) for r in d.only_a],
                "only_b": [list(r) for r in d.only_b],
                "count_a": d.count_a,
                "count_b": d.count_b,
            }
            for d in self
        }

    def __str__(self) -> str:
        if not self:
            return "no difference"
        lines = [str(d) for d in self]
        lines.append(
            f"total: only in a {len(self.only_a):,} lumisections, "
            f"only in b {len(self.only_b):,}, in {len(self):,} runs"
        )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"LumiDiff(<{len(self):,} runs differ: only in a {len(self.only_a):,} "
            f"lumisections, only in b {len(self.only_b):,}>)"
        )


# -- reading --------------------------------------------------------------------------


def _load(source: str | bytes | os.PathLike[str]) -> Any:
    """A JSON string or bytes (starting with ``{``), else the path of a JSON file."""
    if isinstance(source, (str, bytes)) and not source.strip():
        raise ValueError("LumiMask(): an empty string is neither CMS JSON nor a file path")
    if isinstance(source, (str, bytes)) and source.lstrip()[:1] in ("{", b"{"):
        text: str | bytes = source
        where = "the JSON text"
    else:
        path = Path(os.fsdecode(source))
        where = str(path)
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            raise ValueError(
                f"LumiMask(): no file {where} (a JSON string must start with '{{')"
            ) from None
        except OSError as exc:
            raise ValueError(f"LumiMask(): cannot read {where}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"LumiMask(): {where} is not valid JSON ({exc})") from None


def _from_mapping(data: Any) -> tuple[int, ...]:
    """Boundaries of a CMS JSON dict, or of ``cert_json()`` output."""
    if not isinstance(data, Mapping):
        raise ValueError(
            "LumiMask(): a CMS JSON is an object {run: [[first, last], ...]}, "
            f"not a {type(data).__name__}"
        )
    intervals: list[tuple[int, int]] = []
    for key, value in data.items():
        run = _run(key, key=True)
        base = run << LS_BITS
        if isinstance(value, Mapping):  # cert_json(): {ls: [entries]}
            for ls in value:
                number = base | _lumi(run, ls, f"lumisection key {ls!r}", key=True)
                intervals.append((number, number + 1))
            continue
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise ValueError(f"run {run}: expected a list of [first, last] ranges, not {value!r}")
        for item in value:
            if isinstance(item, (str, bytes, Mapping)) or not isinstance(item, Iterable):
                raise ValueError(f"run {run}, range {item!r}: a range is [first, last]")
            pair = list(item)
            if len(pair) != 2:
                raise ValueError(f"run {run}, range {item!r}: a range is [first, last]")
            where = f"range {pair!r}"
            first, last = _lumi(run, pair[0], where), _lumi(run, pair[1], where)
            if first > last:
                raise ValueError(f"run {run}, range {pair!r}: first {first} > last {last}")
            intervals.append((base | first, (base | last) + 1))
    return _merge(intervals)


def _from_pairs(pairs: Iterable[Any]) -> tuple[int, ...]:
    """Boundaries of (run, ls) pairs."""
    keys: list[int] = []
    for item in pairs:
        try:
            raw_run, raw_ls = item
        except (TypeError, ValueError):
            raise ValueError(
                f"LumiMask(): expected (run, lumisection) pairs, got {item!r}"
            ) from None
        run = _run(raw_run)
        keys.append(run << LS_BITS | _lumi(run, raw_ls, f"pair {item!r}"))
    keys.sort()
    out: list[int] = []
    for key in keys:
        if out and key <= out[-1]:
            if key == out[-1]:
                out[-1] = key + 1
        else:
            out.append(key)
            out.append(key + 1)
    return tuple(out)


def _key_columns(frame: Any, what: str) -> tuple[Any, Any]:
    """The ``run_number`` and ``ls_number`` columns of a DataFrame, or a ValueError."""
    missing = [c for c in ("run_number", "ls_number") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what}: the frame has no {' or '.join(missing)} column "
            f"(columns: {', '.join(map(str, frame.columns))})"
        )
    return frame["run_number"], frame["ls_number"]


def _arrays(np: Any, runs: Any, lumis: Any, what: str) -> tuple[Any, Any]:
    """Two integer arrays of one shape, or a TypeError/ValueError saying what is wrong."""
    run_array, ls_array = np.asarray(runs), np.asarray(lumis)
    for name, array in (("runs", run_array), ("lumis", ls_array)):
        if array.dtype.kind not in "iu":
            if array.size == 0:
                continue
            raise TypeError(
                f"{what}: {name} must hold integers, not {array.dtype} "
                "(missing values? drop them, then .astype('int64'))"
            )
    if run_array.shape != ls_array.shape:
        raise ValueError(
            f"{what}: runs and lumis differ in shape ({run_array.shape} and {ls_array.shape})"
        )
    if run_array.dtype.kind != "i" or run_array.dtype.itemsize != 8:
        run_array = run_array.astype(np.int64)
    if ls_array.dtype.kind != "i" or ls_array.dtype.itemsize != 8:
        ls_array = ls_array.astype(np.int64)
    return run_array, ls_array
