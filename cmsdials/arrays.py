"""Histograms as arrays: ``page.to_numpy()`` for the rows of ``h1d`` / ``h2d``.

What the users' code did by hand (``np.array(df["data"].to_list())``, the edges
with ``np.linspace``), done once, from the decoded rows (each row's
``__dict__`` is the object DIALS sent, so its ``data`` list goes to numpy as
it is: one C-level conversion of the nested lists, no per-bin Python work):

* ``values``: the bin contents stacked, float64, ``(n, x_bin)`` for 1D rows and
  ``(n, y_bin, x_bin)`` for 2D rows (DIALS's ``data`` is a list of ``y_bin``
  rows of ``x_bin`` values);
* ``x_edges`` (and ``y_edges``): ``x_bin + 1`` edges from ``x_min`` to
  ``x_max``, computed as ``hist``/boost-histogram computes a ``Regular`` axis's
  (``(1 - i/n) * x_min + (i/n) * x_max``), so that ``to_hist()``'s edges equal
  them bit for bit (``np.linspace`` can differ in the last digit).
  (``np.linspace(x_min, x_max, x_bin)``, seen in users' code, gives
  ``x_bin`` points, which are neither the edges nor the bin centres; the
  centres are ``histograms.x_centers``);
* ``keys``: the key columns aligned with ``values`` (``dataset``, ``dataset_id``,
  ``run_number``, ``ls_number``, ``me``, ``me_id``, those the rows carry),
  one numpy array each.

:func:`histograms` does the same for a DataFrame of such rows (``to_pandas()``,
a computed ``to_dask()``, a parquet cache). All rows must share one binning (one
monitoring element, or several with the same binning); otherwise
:class:`ValueError` says how many there are and what to do. numpy is needed:
``pip install 'cmsdials[numpy]'`` (the ``pandas`` extra brings it too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .derived import HistogramMethods

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

__all__ = ["KEY_COLUMNS", "Histograms", "histograms"]

#: The key columns of histogram rows, in the routes' primary-key order (names first).
KEY_COLUMNS = ("dataset", "dataset_id", "run_number", "ls_number", "me", "me_id")
_BINNING_1D = ("x_min", "x_max", "x_bin")
_BINNING_2D = ("x_min", "x_max", "x_bin", "y_min", "y_max", "y_bin")


def require_numpy() -> Any:
    """numpy, or an ImportError naming the extra that brings it."""
    try:
        import numpy
    except ImportError:
        raise ImportError(
            "to_numpy() needs numpy, which is not installed: pip install 'cmsdials[numpy]' "
            "(or 'cmsdials[pandas]', which brings it)"
        ) from None
    return numpy


@dataclass(frozen=True, eq=False)
class Histograms(HistogramMethods):
    """Stacked histograms of one binning, with their edges and key columns; their
    per-lumisection numbers and ``to_hist()`` are in :mod:`cmsdials.derived`."""

    #: ``(n, x_bin)`` (1D) or ``(n, y_bin, x_bin)`` (2D), float64.
    values: npt.NDArray[np.float64]
    #: ``x_bin + 1`` bin edges, float64.
    x_edges: npt.NDArray[np.float64]
    #: ``y_bin + 1`` bin edges for 2D rows, else ``None``.
    y_edges: npt.NDArray[np.float64] | None = None
    #: Key columns aligned with ``values`` (``keys["run_number"][i]`` is row i's run).
    keys: dict[str, npt.NDArray[Any]] = field(default_factory=dict)

    @property
    def ndim(self) -> int:
        """1 or 2: the histograms' dimension (not the array's)."""
        return 2 if self.y_edges is not None else 1

    @property
    def x_centers(self) -> npt.NDArray[np.float64]:
        centers: npt.NDArray[np.float64] = (self.x_edges[:-1] + self.x_edges[1:]) / 2
        return centers

    @property
    def y_centers(self) -> npt.NDArray[np.float64] | None:
        if self.y_edges is None:
            return None
        centers: npt.NDArray[np.float64] = (self.y_edges[:-1] + self.y_edges[1:]) / 2
        return centers

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def __repr__(self) -> str:
        shape = "x".join(str(n) for n in self.values.shape)
        return f"Histograms({shape}, {self.ndim}D, keys={list(self.keys)})"


def edges(np: Any, low: float, high: float, bins: int) -> npt.NDArray[np.float64]:
    """``bins + 1`` edges from ``low`` to ``high``, as a ``hist`` ``Regular`` axis has them."""
    z = np.arange(bins + 1, dtype=np.float64) / bins
    made: npt.NDArray[np.float64] = (1.0 - z) * float(low) + z * float(high)
    return made


def _wire(row: Any) -> dict[str, Any]:
    values: dict[str, Any] = row if isinstance(row, dict) else row.__dict__
    return values


def histograms(rows: Sequence[Any] | pd.DataFrame) -> Histograms:
    """:class:`Histograms` of histogram rows: models, the plain dicts of ``fields=``, or a
    DataFrame of them (``to_pandas()``, a computed ``to_dask()``, a parquet cache)."""
    np = require_numpy()
    if hasattr(rows, "columns") and hasattr(rows, "to_dict"):
        return _from_frame(np, rows)
    dicts = [_wire(row) for row in rows]
    if not dicts:
        empty = np.empty((0, 0), dtype=np.float64)
        return Histograms(empty, np.empty(0, dtype=np.float64))
    first = dicts[0]
    if "data" not in first or "x_bin" not in first:
        raise ValueError(
            "to_numpy() needs histogram rows (h1d / h2d) with their data and binning "
            "(data, x_min, x_max, x_bin); with fields=, ask for those too"
        )
    two_d = first.get("y_bin") is not None
    binning = _BINNING_2D if two_d else _BINNING_1D
    seen = {tuple(d.get(name) for name in binning) for d in dicts}
    if len(seen) > 1:
        mes = {d.get("me") for d in dicts}
        raise ValueError(
            f"to_numpy() stacks histograms of one binning, and these {len(dicts)} rows have "
            f"{len(seen)} ({len(mes)} monitoring elements): select one ME (me= or me_id=) "
            "or split the rows by me_id first"
        )
    x_min, x_max, x_bin = (first[name] for name in _BINNING_1D)
    try:
        values = np.array([d["data"] for d in dicts], dtype=np.float64)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"to_numpy(): the rows' data do not form one array of their binning ({exc})"
        ) from None
    shape = (len(dicts), int(first["y_bin"]), int(x_bin)) if two_d else (len(dicts), int(x_bin))
    if values.shape != shape:
        raise ValueError(
            f"to_numpy(): the rows' data have shape {values.shape[1:]}, their binning says "
            f"{shape[1:]}"
        )
    x_edges = edges(np, x_min, x_max, int(x_bin))
    y_edges = edges(np, first["y_min"], first["y_max"], int(first["y_bin"])) if two_d else None
    keys: dict[str, Any] = {}
    for name in KEY_COLUMNS:
        if name in first:
            column = [d.get(name) for d in dicts]
            integer = name.endswith(("_id", "_number"))
            keys[name] = np.array(column, dtype=np.int64 if integer else str)
    return Histograms(values, x_edges, y_edges, keys)


def _from_frame(np: Any, frame: Any) -> Histograms:
    """The same from a DataFrame's columns (no row objects)."""
    if len(frame) == 0:
        return Histograms(np.empty((0, 0), dtype=np.float64), np.empty(0, dtype=np.float64))
    columns = set(frame.columns)
    if not {"data", *_BINNING_1D} <= columns:
        raise ValueError(
            "histograms() needs a frame of histogram rows with columns data, x_min, x_max, x_bin"
        )
    two_d = "y_bin" in columns and frame["y_bin"].notna().all()
    binning = list(_BINNING_2D if two_d else _BINNING_1D)
    distinct = frame[binning].drop_duplicates()
    if len(distinct) > 1:
        raise ValueError(
            f"histograms() stacks histograms of one binning, and this frame has {len(distinct)}:"
            " select one ME (me= or me_id=) or split the frame by me_id first"
        )
    first = distinct.iloc[0]
    x_bin = int(first["x_bin"])
    try:
        values = np.array(frame["data"].tolist(), dtype=np.float64)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"histograms(): the data column is not one array ({exc})") from None
    shape = (len(frame), int(first["y_bin"]), x_bin) if two_d else (len(frame), x_bin)
    if values.shape != shape:
        raise ValueError(
            f"histograms(): the data have shape {values.shape[1:]}, the binning says {shape[1:]}"
        )
    x_edges = edges(np, first["x_min"], first["x_max"], x_bin)
    y_edges = edges(np, first["y_min"], first["y_max"], int(first["y_bin"])) if two_d else None
    keys: dict[str, Any] = {}
    for name in KEY_COLUMNS:
        if name in columns:
            integer = name.endswith(("_id", "_number"))
            keys[name] = frame[name].to_numpy(dtype=np.int64 if integer else str)
    return Histograms(values, x_edges, y_edges, keys)
