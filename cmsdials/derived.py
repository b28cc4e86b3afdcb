"""Per-lumisection numbers of stacked histograms, and ``hist`` objects of them.

:class:`HistogramMethods` gives :class:`cmsdials.arrays.Histograms` (what
``page.to_numpy()`` returns, and each monitoring element of a
:class:`~cmsdials.histograms.HistogramSet`) its methods. Every number is computed
for all lumisections at once, as whole-array numpy operations, one value per row
(``values.shape[0]``):

* ``integral()``: the sum of the bin contents;
* ``mean(axis=)``, ``std(axis=)``: the mean and the (population) standard deviation
  of the bin centres weighted by the contents, as
  ``numpy.average(centres, weights=contents)`` (ROOT's ``GetMean``/``GetStdDev``);
* ``quantile(q, axis=)``: the first bin centre at which the cumulative contents reach
  the fraction ``q``, as
  ``numpy.quantile(centres, q, weights=contents, method="inverted_cdf")``;
* ``normalize("area" | "max" | array)``: the contents divided by each lumisection's
  integral, its largest bin, or one number per lumisection (a luminosity, a rate);
* ``empty(threshold=0)``: the lumisections whose integral is at most ``threshold``;
* ``missing``: the rows that stand for no row of DIALS (all NaN: ``aligned()``).

For 2D histograms, ``mean``/``std``/``quantile`` need ``axis="x"`` or ``axis="y"``:
they are computed on that axis's projection (the contents summed over the other).

Edge cases, documented once here:

* **Empty histograms** (every bin 0): ``integral()`` is 0 and ``empty()`` is True;
  ``mean``, ``std`` and ``quantile`` are NaN (0/0: there is no distribution), and
  ``normalize("area"|"max")`` gives NaN bins, as numpy does for ``0 / 0``; no warning.
* **Under/overflow**: DIALS keeps the bins inside ``x_min .. x_max`` (and y) only, so
  nothing of the under- and overflow is in any number, and the ``hist`` axes are made
  without flow bins (``h.values(flow=True)`` is ``h.values()``).
* **Missing rows** (NaN rows of ``HistogramSet.aligned()``): every number is NaN for them,
  and ``empty()`` is False (a missing lumisection is not an empty one: see ``missing``).

``to_hist()`` builds a ``hist.Hist`` (``pip install 'cmsdials[hist]'``): the
contents are set directly on its storage (nothing is re-filled), with a ``Regular``
axis per histogram axis made from ``x_min``/``x_max``/``x_bin`` (and y), named
``x``/``y`` and labelled from the monitoring element, after a first axis over the
rows, ``lumisection``. That axis is an ``IntCategory``, not an ``Integer``: an
``Integer`` axis is a contiguous range, and the rows of a pull are not (a 2D ME kept
every fifth lumisection, lumisections DIALS did not ingest, a mask applied), so it
would have bins that stand for no row and ``values()`` would not be ``to_numpy()``'s.
Its categories are the lumisection numbers when the rows are of one run of one
dataset (a run's page: ``h[{"lumisection": hist.loc(42)}]``); rows of several runs
are numbered by position, 0 to n - 1 (boost-histogram's integer categories are 32-bit,
too small for a key such as ``run * 10000 + ls``). Either way the axis's ``metadata``
holds the rows' key columns (``dataset_id``, ``run_number``, ``ls_number``) in the
axis's order, and its ``label`` says which numbering it uses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    import hist
    import numpy as np
    import numpy.typing as npt

__all__ = ["HIST_INSTALL", "HistogramMethods", "row_to_hist"]

#: What the messages tell people to install for ``to_hist()``.
HIST_INSTALL = "pip install 'cmsdials[hist]'"

Axis = Literal["x", "y"] | None


def _hist() -> Any:
    try:
        import hist
    except ImportError:
        raise ImportError(
            f"to_hist() needs hist (scikit-hep), which is not installed: {HIST_INSTALL}"
        ) from None
    return hist


def _np() -> Any:
    import numpy

    return numpy


class HistogramMethods:
    """The methods of :class:`cmsdials.arrays.Histograms` (see the module doc)."""

    if TYPE_CHECKING:  # the fields of the dataclass that mixes this in
        values: npt.NDArray[np.float64]
        x_edges: npt.NDArray[np.float64]
        y_edges: npt.NDArray[np.float64] | None
        keys: dict[str, npt.NDArray[Any]]

        @property
        def ndim(self) -> int: ...
        @property
        def x_centers(self) -> npt.NDArray[np.float64]: ...
        @property
        def y_centers(self) -> npt.NDArray[np.float64] | None: ...

    # -- numbers ----------------------------------------------------------------
    def _bins(self) -> npt.NDArray[np.float64]:
        """The contents as ``(n, bins)``: every bin of a row in one axis."""
        return self.values.reshape(self.values.shape[0], -1)

    def integral(self) -> npt.NDArray[np.float64]:
        """The sum of each row's bin contents, ``(n,)`` (0 for an empty histogram)."""
        total: npt.NDArray[np.float64] = self._bins().sum(axis=1)
        return total

    def _projection(
        self, axis: Axis, what: str
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The contents along ``axis`` (summed over the other) and that axis's centres."""
        if self.ndim == 1:
            if axis not in (None, "x"):
                raise ValueError(f"{what}: a 1D histogram has one axis, 'x', not {axis!r}")
            return self.values, self.x_centers
        if axis == "x":
            return self.values.sum(axis=1), self.x_centers
        if axis == "y":
            assert self.y_centers is not None
            return self.values.sum(axis=2), self.y_centers
        raise ValueError(f"{what} of 2D histograms: pass axis='x' or axis='y', not {axis!r}")

    def mean(self, axis: Axis = None) -> npt.NDArray[np.float64]:
        """The mean of the bin centres weighted by the contents, per row (NaN if empty)."""
        xp = _np()
        weights, centres = self._projection(axis, "mean()")
        with xp.errstate(invalid="ignore", divide="ignore"):
            mean: npt.NDArray[np.float64] = (weights @ centres) / weights.sum(axis=1)
        return mean

    def std(self, axis: Axis = None) -> npt.NDArray[np.float64]:
        """The standard deviation of the bin centres weighted by the contents (ddof=0)."""
        xp = _np()
        weights, centres = self._projection(axis, "std()")
        with xp.errstate(invalid="ignore", divide="ignore"):
            total = weights.sum(axis=1)
            mean = (weights @ centres) / total
            spread = (weights * (centres[None, :] - mean[:, None]) ** 2).sum(axis=1) / total
            std: npt.NDArray[np.float64] = xp.sqrt(spread)
        return std

    def quantile(
        self, q: float | Sequence[float] | npt.NDArray[Any], axis: Axis = None
    ) -> npt.NDArray[np.float64]:
        """The first bin centre where the cumulative contents reach ``q`` of the integral.

        ``q`` in [0, 1]: a number gives ``(n,)``, a sequence ``(n, len(q))``. The
        median is ``quantile(0.5)``. NaN for an empty row.
        """
        xp = _np()
        qs = xp.asarray(q, dtype=xp.float64)
        if qs.ndim > 1 or not bool(((qs >= 0) & (qs <= 1)).all()):
            raise ValueError(
                f"quantile(): q must be a number or a list of numbers in [0, 1]: {q!r}"
            )
        weights, centres = self._projection(axis, "quantile()")
        with xp.errstate(invalid="ignore", divide="ignore"):
            cdf = xp.cumsum(weights, axis=1)
            cdf = cdf / cdf[:, -1:] if cdf.shape[1] else cdf
        flat = xp.atleast_1d(qs)
        # the index of the first bin whose cumulative fraction is not below q (inverted CDF)
        # (bins before the first content are skipped for q = 0, as numpy does)
        reached = cdf[:, :, None]
        below = ((reached < flat[None, None, :]) | (reached <= 0)).sum(axis=1)
        index = xp.minimum(below, max(len(centres) - 1, 0))
        found: npt.NDArray[np.float64] = (
            centres[index] if len(centres) else xp.full(index.shape, xp.nan)
        )
        found = xp.where(xp.isnan(cdf[:, -1:]) if cdf.shape[1] else True, xp.nan, found)
        return found[:, 0] if qs.ndim == 0 else found

    def normalize(self, by: Literal["area", "max"] | Sequence[float] | npt.NDArray[Any]) -> Any:
        """The same histograms with each row's contents divided by its integral
        (``"area"``: they then sum to 1), its largest bin (``"max"``), or the row's number
        in ``by`` (one per row: a recorded luminosity, a rate). 0/0 gives NaN bins."""
        xp = _np()
        rows = self.values.shape[0]
        if isinstance(by, str):
            if by == "area":
                scale = self.integral()
            elif by == "max":
                scale = self._bins().max(axis=1) if self._bins().shape[1] else xp.zeros(rows)
            else:
                raise ValueError(
                    f"normalize(): {by!r} is not known: 'area', 'max', or one number per row"
                )
        else:
            scale = xp.asarray(by, dtype=xp.float64)
            if scale.shape != (rows,):
                raise ValueError(
                    f"normalize(): by= has shape {scale.shape}; one number per row ({rows},)"
                )
        shape = (rows,) + (1,) * (self.values.ndim - 1)
        with xp.errstate(invalid="ignore", divide="ignore"):
            values = self.values / scale.reshape(shape)
        return dataclasses.replace(self, values=values)  # type: ignore[type-var]

    def empty(self, threshold: float = 0) -> npt.NDArray[np.bool_]:
        """The rows whose integral is at most ``threshold`` (all-zero rows for 0)."""
        flags: npt.NDArray[np.bool_] = self.integral() <= threshold
        return flags

    @property
    def missing(self) -> npt.NDArray[np.bool_]:
        """The rows that stand for no row of DIALS (NaN everywhere: ``aligned()``)."""
        xp = _np()
        flags: npt.NDArray[np.bool_] = xp.isnan(self._bins()).all(axis=1)
        return flags

    # -- hist -------------------------------------------------------------------
    def to_hist(self, *, name: str | None = None) -> hist.Hist[Any]:
        """A ``hist.Hist`` of the rows: axes ``lumisection`` (IntCategory), ``x``
        (Regular) and, for 2D, ``y`` (Regular); ``values()`` is ``values`` with the
        axes in that order (a 2D row's ``(y, x)`` transposed). See the module doc."""
        module = _hist()
        me = name or _me_name(self.keys)
        if self.x_edges.size < 2:
            raise ValueError(
                f"to_hist(): no row of {me or 'these histograms'}, so no binning to make "
                "axes from: check the filters (ME, runs, datasets)"
            )
        axes = [_lumisection_axis(module, self.keys, self.values.shape[0])]
        axes.extend(_bin_axes(module, self, me))
        made = module.Hist(*axes, storage=module.storage.Double(), name=me, label=me)
        values = self.values if self.ndim == 1 else self.values.transpose(0, 2, 1)
        made.view(flow=False)[...] = values
        return cast("hist.Hist[Any]", made)


def _me_name(keys: dict[str, Any]) -> str | None:
    names = keys.get("me")
    if names is None or len(names) == 0:
        return None
    return str(names[0])


def _leaf(me: str | None) -> str:
    return me.rsplit("/", 1)[-1] if me else ""


def _bin_axes(module: Any, h: HistogramMethods, me: str | None) -> list[Any]:
    leaf = _leaf(me)
    made = [_regular(module, h.x_edges, "x", f"{leaf} (x)" if leaf else "x")]
    if h.y_edges is not None:
        made.append(_regular(module, h.y_edges, "y", f"{leaf} (y)" if leaf else "y"))
    return made


def _regular(module: Any, edges: Any, name: str, label: str) -> Any:
    return module.axis.Regular(
        len(edges) - 1,
        float(edges[0]),
        float(edges[-1]),
        name=name,
        label=label,
        underflow=False,
        overflow=False,
    )


def _lumisection_axis(module: Any, keys: dict[str, Any], rows: int) -> Any:
    xp = _np()
    runs, lumis = keys.get("run_number"), keys.get("ls_number")
    metadata = {k: keys[k] for k in ("dataset_id", "run_number", "ls_number") if k in keys}
    datasets = keys.get("dataset_id")
    one_run = runs is None or len(runs) == 0 or runs.min() == runs.max()
    one_dataset = datasets is None or len(datasets) == 0 or datasets.min() == datasets.max()
    if lumis is not None and one_run and one_dataset:
        categories, label = lumis, "lumisection"
        ordered = xp.sort(lumis)  # (not numpy.unique, whose first call imports numpy.ma)
        if bool((ordered[1:] == ordered[:-1]).any()):
            raise ValueError("to_hist(): some lumisections appear more than once in the rows")
    else:
        categories = xp.arange(rows)
        label = "row (its run and lumisection: the axis's metadata)"
    return module.axis.IntCategory(
        [int(c) for c in categories],
        name="lumisection",
        label=label,
        overflow=False,
        metadata=metadata,
    )


def row_to_hist(row: Any, histograms: Any) -> hist.Hist[Any]:
    """``row.to_hist()``: one histogram row as a ``hist.Hist`` with its ``x`` (and ``y``)
    axis only (no lumisection axis). ``histograms`` is :func:`cmsdials.arrays.histograms`
    (passed in: the arrays module builds on this one, not the other way round)."""
    values = row if isinstance(row, dict) else vars(row)
    if "data" not in values or "x_bin" not in values:
        raise TypeError(
            f"to_hist() makes histograms of h1d/h2d rows; a {type(row).__name__} has no bins"
        )
    _hist()  # the ImportError before any work
    h = histograms([row])
    module = _hist()
    me = _me_name(h.keys)
    made = module.Hist(
        *_bin_axes(module, h, me), storage=module.storage.Double(), name=me, label=me
    )
    made.view(flow=False)[...] = h.values[0] if h.ndim == 1 else h.values[0].T
    return cast("hist.Hist[Any]", made)
