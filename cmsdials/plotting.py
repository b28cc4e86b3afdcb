"""Look at the data: ``row.plot()``, ``page.plot()`` and the rich notebook display.

One method name on the two things people hold, a row and a page, rather than an
accessor (``page.plot.heatmap()``): there are only a few pictures, each picked by
what is plotted (a 1D or 2D row, a page of them) and by one argument, so a
plain ``plot()`` is what one types first, and what pandas users expect. Every
call draws on ``ax=`` when given (else on a new figure) and returns the
matplotlib ``Axes`` it drew on.

* **1D row**: a step histogram over the true bin edges (``x_min`` .. ``x_max``
  in ``x_bin`` bins), titled with the ME, run and lumisection.
* **2D row**: a heat map over both axes' edges, with a colour bar.
* **page of 1D rows of one ME and one run**: a lumisection x bin heat map,
  lumisections sorted, missing lumisections left blank (a gap, not a
  stretched neighbour). ``bad=`` overlays bad lumisections: an ML model's
  ``ml_bad_lumis`` rows (a page or a list), ``ml_bad_lumis.cert_json(...)``
  output, a ``LumiMask`` or lumisection numbers. A page of several MEs, datasets
  or runs is refused, naming them; pick one with ``me=`` / ``run_number=`` /
  ``dataset_id=``.
* ``style="CMS"`` (with ``label="Preliminary"``, ``"Private Work"``, ...) draws in
  mplhep's CMS style with the CMS label (``hep.style.CMS``, ``hep.cms.label``; mplhep
  comes with the ``plot`` extra); without ``style=`` nothing of mplhep is used.
* **page of 2D rows**: one of them, ``index=i`` (the i-th row of the page), or
  their sum, ``reduce="sum"``. Both work on a page of 1D rows too.

Everything is drawn from :func:`cmsdials.arrays.histograms` (``to_numpy()``):
the bins go to matplotlib as whole arrays, never one by one.

matplotlib is an optional extra (``pip install 'cmsdials[plot]'``), imported
only when something is drawn; no backend is chosen here (matplotlib's default,
or the notebook's, applies).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlsplit

from .arrays import Histograms, histograms
from .lumi import LumiMask

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["bad_lumisections", "page_html", "plot_page", "plot_row", "row_html", "row_png"]

#: What the messages tell people to install.
INSTALL = "pip install 'cmsdials[plot]'"
#: Rows shown by a page's HTML table.
HTML_ROWS = 5
_NAMES_SHOWN = 5


def _pyplot() -> Any:
    """matplotlib.pyplot, or an ImportError saying what to install."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(f"plot() needs matplotlib, which is not installed: {INSTALL}") from None
    return plt


#: The plot styles of ``style=`` (mplhep's experiment styles): CMS's.
STYLES = ("CMS",)


def _mplhep() -> Any:
    try:
        import mplhep
    except ImportError:
        raise ImportError(
            f"plot(style='CMS') needs mplhep, which is not installed: {INSTALL}"
        ) from None
    return mplhep


def styled(style: str | None, label: str | None, draw: Callable[[], Axes]) -> Axes:
    """``draw()`` in an experiment's style (``style="CMS"``: mplhep's ``CMS`` style while
    drawing, then ``hep.cms.label(label)``, with the plot's last title line on the right).
    ``style=None`` draws as always (matplotlib's own style)."""
    if style is None:
        if label is not None:
            raise ValueError("plot(): label= is the experiment label of style='CMS'; pass both")
        return draw()
    if style not in STYLES:
        raise ValueError(f"plot(): style={style!r} is not known; styles: {', '.join(STYLES)}")
    hep = _mplhep()
    _pyplot()
    import matplotlib.style

    with matplotlib.style.context(hep.style.CMS):
        ax = draw()
        title = ax.get_title()
        ax.set_title("")
        right = title.rsplit("\n", 1)[-1] if title else None
        hep.cms.label(label or "", data=True, ax=ax, rlabel=right)
    return ax


def _have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    _, new = _pyplot().subplots()
    created: Axes = new
    return created


def _wire(row: Any) -> Mapping[str, Any]:
    values: Mapping[str, Any] = row if isinstance(row, Mapping) else vars(row)
    return values


def _is_histogram(values: Mapping[str, Any]) -> bool:
    return "data" in values and "x_bin" in values


def _kind(values: Mapping[str, Any]) -> str:
    return "2D" if values.get("y_bin") is not None else "1D"


def _label(values: Mapping[str, Any]) -> str:
    """``run 360392, LS 12`` (what the row carries of it)."""
    parts = []
    if values.get("run_number") is not None:
        parts.append(f"run {values['run_number']}")
    if values.get("ls_number") is not None:
        parts.append(f"LS {values['ls_number']}")
    return ", ".join(parts)


def _me(values: Mapping[str, Any]) -> str:
    me = values.get("me")
    if me is not None:
        return str(me)
    return f"ME {values['me_id']}" if values.get("me_id") is not None else "histogram"


def _leaf(title: str) -> str:
    """The quantity an ME histograms, as its name's last part (``.../Cleaned/MET`` -> ``MET``)."""
    return title.split("\n", 1)[0].rsplit("/", 1)[-1]


def _check_bins(values: Mapping[str, Any]) -> None:
    """A row whose bins do not match its binning: say so, as a server inconsistency."""
    data = values.get("data")
    x_bin, y_bin = values.get("x_bin"), values.get("y_bin")
    if not isinstance(data, list):
        raise ValueError(
            f"plot(): {_me(values)} ({_label(values)}) has no bins (data={data!r}); "
            "with fields=, ask for data, x_min, x_max, x_bin too"
        )
    if y_bin is None:
        got, want = f"{len(data)} bins", f"x_bin={x_bin}"
        ok = len(data) == x_bin
    else:
        widths = {len(line) if isinstance(line, list) else -1 for line in data}
        got = f"{len(data)} rows of {'/'.join(str(w) for w in sorted(widths))} bins"
        want = f"y_bin={y_bin} rows of x_bin={x_bin}"
        ok = len(data) == y_bin and widths <= {x_bin}
    if not ok:
        raise ValueError(
            f"plot(): DIALS sent {got} for {_me(values)} ({_label(values)}) where its binning "
            f"says {want}: the server is inconsistent, this row cannot be drawn "
            "(its data are kept as sent in row.data)"
        )


def _arrays(rows: Sequence[Any]) -> Histograms:
    """``histograms(rows)``, with the bins of a mismatching row named."""
    try:
        return histograms(rows)
    except ValueError:
        for row in rows:  # only on the error path: find the row to name
            _check_bins(_wire(row))
        raise


# -- rows ---------------------------------------------------------------------


def plot_row(
    row: Any,
    *,
    ax: Axes | None = None,
    style: str | None = None,
    label: str | None = None,
    **kwargs: Any,
) -> Axes:
    """One histogram row: a step histogram (1D) or a heat map with a colour bar (2D).

    ``kwargs`` go to ``Axes.stairs`` (1D) or ``Axes.pcolormesh`` (2D); ``style="CMS"``,
    ``label="Preliminary"``: see :func:`styled`.
    """
    if style is not None or label is not None:
        return styled(style, label, lambda: plot_row(row, ax=ax, **kwargs))
    values = _wire(row)
    if not _is_histogram(values):
        raise TypeError(
            f"plot() draws histogram rows (dials.h1d, dials.h2d); a {type(row).__name__} "
            "has no bins"
        )
    if ax is None:
        _pyplot()  # the ImportError first, before any work
    _check_bins(values)
    h = _arrays([row])
    return _draw_histogram(h.values[0], h, _axes(ax), f"{_me(values)}\n{_label(values)}", kwargs)


def _draw_histogram(bins: Any, h: Histograms, ax: Axes, title: str, kwargs: dict[str, Any]) -> Axes:
    if h.y_edges is None:
        ax.stairs(bins, h.x_edges, **kwargs)
        ax.set_ylabel("bin content")
        ax.set_xlabel(_leaf(title))
    else:
        mesh = ax.pcolormesh(h.x_edges, h.y_edges, bins, **kwargs)
        ax.figure.colorbar(mesh, ax=ax, label="bin content")
        ax.set_ylim(float(h.y_edges[0]), float(h.y_edges[-1]))
    ax.set_xlim(float(h.x_edges[0]), float(h.x_edges[-1]))
    ax.set_title(title, fontsize="medium")
    return ax


# -- pages --------------------------------------------------------------------

BadSource = Any  # ml_bad_lumis rows (a Page or a list), cert_json output, a LumiMask, LS numbers


def plot_page(
    rows: Sequence[Any],
    *,
    ax: Axes | None = None,
    index: int | None = None,
    reduce: Literal["sum"] | None = None,
    me: str | None = None,
    run_number: int | None = None,
    dataset_id: int | None = None,
    bad: BadSource = None,
    style: str | None = None,
    label: str | None = None,
    **kwargs: Any,
) -> Axes:
    """The rows of a page: see the module doc. ``kwargs`` go to matplotlib's drawing call;
    ``style="CMS"``, ``label="Preliminary"``: see :func:`styled`."""
    if style is not None or label is not None:
        return styled(
            style,
            label,
            lambda: plot_page(
                rows,
                ax=ax,
                index=index,
                reduce=reduce,
                me=me,
                run_number=run_number,
                dataset_id=dataset_id,
                bad=bad,
                **kwargs,
            ),
        )
    if index is not None and reduce is not None:
        raise ValueError("plot(): pass index= (one row) or reduce='sum' (all rows), not both")
    if reduce is not None and reduce != "sum":
        raise ValueError(f"plot(): reduce={reduce!r} is not known; reduce='sum' adds the rows up")
    if ax is None:
        _pyplot()  # the ImportError first
    wires = [_wire(row) for row in rows]
    if not wires:
        raise ValueError(
            "plot(): the page is empty, nothing to draw: check its filters "
            "(a run, ME and dataset that exist), or the next page (page.next)"
        )
    if not _is_histogram(wires[0]):
        raise TypeError(
            f"plot() draws pages of histogram rows (dials.h1d, dials.h2d); these are "
            f"{type(rows[0]).__name__} rows. With fields=, ask for data, x_min, x_max, x_bin too"
        )
    kinds = [_kind(w) for w in wires]
    if len(set(kinds)) > 1:
        raise ValueError(
            f"plot(): the page mixes 1D and 2D histograms ({kinds.count('1D')} 1D, "
            f"{kinds.count('2D')} 2D): plot dials.h1d and dials.h2d pages apart"
        )
    selected = [
        i
        for i, w in enumerate(wires)
        if (me is None or w.get("me") == me)
        and (run_number is None or w.get("run_number") == run_number)
        and (dataset_id is None or w.get("dataset_id") == dataset_id)
    ]
    if not selected:
        raise ValueError(
            f"plot(): no row of the page has {_asked(me, run_number, dataset_id)}; "
            f"the page has {_distinct_text(wires)}"
        )
    rows = [rows[i] for i in selected]
    wires = [wires[i] for i in selected]
    if index is not None:
        if bad is not None:
            raise ValueError("plot(): bad= marks lumisections on the heat map (no index=)")
        if not -len(rows) <= index < len(rows):
            raise IndexError(f"plot(): index={index}, and the page has {len(rows)} rows")
        return plot_row(rows[index], ax=ax, **kwargs)
    _one("monitoring element", "me=", wires, "me", "me_id")
    if reduce == "sum":
        if bad is not None:
            raise ValueError("plot(): bad= marks lumisections on the heat map (no reduce=)")
        h = _arrays(rows)
        title = f"{_me(wires[0])}\nsum of {len(rows)} lumisections{_runs_text(h)}"
        return _draw_histogram(h.values.sum(axis=0), h, _axes(ax), title, kwargs)
    if kinds[0] == "2D":
        if len(rows) == 1:
            return plot_row(rows[0], ax=ax, **kwargs)
        raise ValueError(
            f"plot(): a page of {len(rows)} 2D histograms: pass index=i for one of them "
            f"(0 <= i < {len(rows)}) or reduce='sum' for their sum"
        )
    _one("dataset", "dataset_id=", wires, "dataset_id", "dataset")
    _one("run", "run_number=", wires, "run_number")
    return _heat_map(rows, wires, _axes(ax), bad, kwargs)


def _asked(me: str | None, run_number: int | None, dataset_id: int | None) -> str:
    asked = {"me": me, "run_number": run_number, "dataset_id": dataset_id}
    return ", ".join(f"{k}={v!r}" for k, v in asked.items() if v is not None)


def _distinct(wires: Sequence[Mapping[str, Any]], name: str) -> list[Any]:
    return sorted({w.get(name) for w in wires}, key=str)


def _names(values: Sequence[Any]) -> str:
    shown = ", ".join(repr(v) for v in values[:_NAMES_SHOWN])
    more = len(values) - _NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _distinct_text(wires: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for name in ("me", "run_number", "dataset_id"):
        values = _distinct(wires, name)
        parts.append(f"{name} {_names(values)}")
    return "; ".join(parts)


def _one(what: str, argument: str, wires: Sequence[Mapping[str, Any]], *names: str) -> None:
    """Refuse rows of several MEs / runs / datasets, naming them and the argument to pass."""
    for name in names:
        if name not in wires[0]:
            continue
        values = _distinct(wires, name)
        if len(values) > 1:
            raise ValueError(
                f"plot(): the page holds {len(values)} {what}s ({name} {_names(values)}); "
                f"a heat map shows one: pass {argument} (or filter the query by it)"
            )
        return


def _runs_text(h: Histograms) -> str:
    runs = h.keys.get("run_number")
    if runs is None or len(runs) == 0:
        return ""
    first, last = int(runs.min()), int(runs.max())
    return f" of run {first}" if first == last else f" of runs {first}-{last}"


def _heat_map(
    rows: Sequence[Any],
    wires: Sequence[Mapping[str, Any]],
    ax: Axes,
    bad: BadSource,
    kwargs: dict[str, Any],
) -> Axes:
    """Lumisection (x) x bin (y); a missing lumisection is a blank cell."""
    import numpy as np

    h = _arrays(rows)
    if "ls_number" not in h.keys:
        raise ValueError(
            "plot(): the heat map needs the rows' ls_number (with fields=, ask for it)"
        )
    ls = h.keys["ls_number"]
    order = np.argsort(ls, kind="stable")
    ls = ls[order]
    if len(ls) > 1 and bool((np.diff(ls) == 0).any()):
        twice = np.unique(ls[1:][np.diff(ls) == 0])
        raise ValueError(
            f"plot(): lumisections {_names(twice.tolist())} appear more than once: "
            "a page of one ME, one run and one dataset has each lumisection once"
        )
    edges, grid = _gapped(np, ls, h.values[order])
    defaults: dict[str, Any] = {"shading": "flat"}
    mesh = ax.pcolormesh(edges, h.x_edges, grid.T, **{**defaults, **kwargs})
    ax.figure.colorbar(mesh, ax=ax, label="bin content")
    ax.set_xlim(float(edges[0]), float(edges[-1]))
    ax.set_ylim(float(h.x_edges[0]), float(h.x_edges[-1]))
    ax.set_xlabel("lumisection")
    ax.set_ylabel(_leaf(_me(wires[0])))
    first = wires[0]
    where = f"run {first['run_number']}" if first.get("run_number") is not None else ""
    if first.get("dataset"):
        where += f" of {first['dataset']}"
    count = f"{len(ls)} lumisections"
    ax.set_title(f"{_me(first)}\n{where + ', ' if where else ''}{count}", fontsize="medium")
    if bad is not None:
        marked = bad_lumisections(bad, first.get("run_number"), first.get("dataset_id"))
        _overlay(ax, marked)
    return ax


def _gapped(np: Any, ls: Any, values: Any) -> tuple[Any, Any]:
    """Cell edges along the lumisection axis and the masked grid, one blank cell per gap.

    Lumisection ``n`` spans ``n - 0.5 .. n + 0.5``; between two present lumisections
    ``a < b`` with ``b > a + 1`` one masked cell spans ``a + 0.5 .. b - 0.5``.
    """
    gap = np.diff(ls) > 1
    position = np.arange(len(ls)) + np.concatenate(([0], np.cumsum(gap)))
    cells = len(ls) + int(gap.sum())
    left = np.sort(np.concatenate((ls - 0.5, ls[:-1][gap] + 0.5)).astype(np.float64))
    edges = np.append(left, float(ls[-1]) + 0.5)
    data = np.zeros((cells, values.shape[1]), dtype=np.float64)
    data[position] = values
    blank = np.ones(cells, dtype=bool)
    blank[position] = False
    grid = np.ma.MaskedArray(data, mask=np.broadcast_to(blank[:, None], data.shape).copy())
    return edges, grid


def bad_lumisections(
    bad: BadSource, run_number: int | None = None, dataset_id: int | None = None
) -> list[int]:
    """The sorted lumisection numbers of ``run_number`` (and ``dataset_id``) in ``bad``.

    ``bad``: ``ml_bad_lumis`` rows (a Page, or a list of rows or dicts with
    ``ls_number``; rows of other runs/datasets are left out), the output of
    ``ml_bad_lumis.cert_json(...)`` (``{run: {ls: [...]}}``; the run's lumisections
    with at least one entry), a :class:`~cmsdials.lumi.LumiMask`, or lumisection numbers.
    """
    results = getattr(bad, "results", None)
    if isinstance(results, list):
        bad = results
    found: set[int] = set()
    if isinstance(bad, LumiMask):
        if run_number is None:
            raise ValueError("bad=: a LumiMask is keyed by run; the rows have no run_number")
        return [ls for _, ls in bad.restrict(runs=run_number)]
    if isinstance(bad, Mapping):
        if run_number is None:
            raise ValueError("bad=: cert_json output is keyed by run; the rows have no run_number")
        lumis = bad.get(str(run_number), bad.get(run_number, {}))
        if not isinstance(lumis, Mapping):
            raise TypeError(
                "bad= takes ml_bad_lumis rows, cert_json output ({run: {ls: [...]}}) "
                f"or lumisection numbers; run {run_number} maps to a {type(lumis).__name__} "
                "(golden_json output lists the good lumisections, not the bad ones)"
            )
        found = {int(ls) for ls, entries in lumis.items() if entries}
    elif isinstance(bad, Iterable) and not isinstance(bad, (str, bytes)):
        for item in bad:
            if isinstance(item, (int,)) and not isinstance(item, bool):
                found.add(item)
                continue
            values = _wire(item)
            if "ls_number" not in values:
                raise TypeError(
                    f"bad= takes ml_bad_lumis rows (with ls_number), cert_json output or "
                    f"lumisection numbers, not {type(item).__name__}"
                )
            if run_number is not None and values.get("run_number", run_number) != run_number:
                continue
            if dataset_id is not None and values.get("dataset_id", dataset_id) != dataset_id:
                continue
            found.add(int(values["ls_number"]))
    else:
        raise TypeError(
            "bad= takes ml_bad_lumis rows (a Page or a list), cert_json output "
            f"({{run: {{ls: [...]}}}}) or lumisection numbers, not {type(bad).__name__}"
        )
    return sorted(found)


def _overlay(ax: Axes, lumisections: list[int]) -> None:
    """A translucent band over each bad lumisection, the whole height of the axes."""
    label = f"bad lumisections ({len(lumisections)})"
    bands = ax.broken_barh(
        [(ls - 0.5, 1.0) for ls in lumisections],
        (0.0, 1.0),
        transform=ax.get_xaxis_transform(),
        facecolors=(1.0, 0.15, 0.1, 0.18),
        edgecolors=(1.0, 0.15, 0.1, 1.0),
        linewidths=1.2,
        label=label,
    )
    bands.set_gid("bad-lumisections")
    if lumisections:
        ax.legend(handles=[bands], loc="upper right", fontsize="small")


# -- notebook display -----------------------------------------------------------


def row_png(row: Any, *, size: tuple[float, float] = (4.2, 2.8), dpi: int = 80) -> bytes | None:
    """A small PNG of a histogram row; ``None`` for other rows or without matplotlib.

    Drawn on a figure of its own (no pyplot, no backend switched, nothing shown).
    """
    values = _wire(row)
    if not _is_histogram(values) or not _have_matplotlib():
        return None
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=dpi, layout="constrained")
    try:
        plot_row(row, ax=figure.add_subplot())
    except ValueError:
        return None  # inconsistent bins: the text summary says so
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def bins_summary(values: Mapping[str, Any]) -> str:
    """``100 bins in [0, 80000)`` / ``24x50 bins`` (not the bins themselves)."""
    data = values.get("data")
    if not isinstance(data, list):
        return "no bins"
    if values.get("y_bin") is not None:
        width = len(data[0]) if data and isinstance(data[0], list) else 0
        shape = f"{len(data)}x{width} bins"
        return (
            f"{shape} in x [{values.get('x_min')}, {values.get('x_max')}), "
            f"y [{values.get('y_min')}, {values.get('y_max')})"
        )
    return f"{len(data)} bins in [{values.get('x_min')}, {values.get('x_max')})"


def row_summary(row: Any) -> str:
    """One line: ME, run and lumisection, bins, entries."""
    values = _wire(row)
    entries = values.get("entries")
    counted = f", {entries} entries" if entries is not None else ""
    return f"{_me(values)} ({_label(values)}): {bins_summary(values)}{counted}"


def row_html(row: Any) -> str | None:
    """A histogram row in a notebook: its summary line and a small plot (without
    matplotlib, the summary and what to install); ``None`` for other rows."""
    values = _wire(row)
    if not _is_histogram(values):
        return None
    head = f"<b>{html.escape(type(row).__name__)}</b> {html.escape(row_summary(row))}"
    png = row_png(row)
    if png is None:
        note = "" if _have_matplotlib() else f" <i>(plots: {html.escape(INSTALL)})</i>"
        return f"<div>{head}{note}</div>"
    encoded = base64.b64encode(png).decode("ascii")
    return f'<div>{head}<br><img src="data:image/png;base64,{encoded}" alt="histogram"></div>'


def _cell(name: str, value: Any, values: Mapping[str, Any], limit: int = 60) -> str:
    if name == "data" and isinstance(value, list):
        return bins_summary(values)
    if isinstance(value, list):
        return f"<{len(value)} values>" if len(value) > 4 else repr(value)
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def page_html(page: Any, rows: int = HTML_ROWS) -> str:
    """A page in a notebook: its count and state, once what every row shares, then a table
    of what varies, the bins first (a sparkline each, no plotting library needed)."""
    results: list[Any] = page.results
    count = len(results)
    if page.next is None:
        state = "complete (no next page)"
    else:
        state = f"more to fetch (<code>page.next</code>: {_short_url(str(page.next))})"
    model = getattr(page.model, "__name__", None) or (
        type(results[0]).__name__ if results else "rows"
    )
    lines = [
        "<div>",
        f"<b>Page</b> of {count} {html.escape(str(model))} result{'s' if count != 1 else ''}; "
        f"{state}",
    ]
    if page.exc_type:
        lines.append(
            f"<br><b>stopped by {html.escape(str(page.exc_type))}</b>: "
            "pass the page as resume_from= to continue"
        )
    shown = results[:rows]
    if shown:
        wires = [_wire(row) for row in shown]
        fields: list[str] = list(getattr(page.model, "model_fields", None) or [])
        names = fields + [k for w in wires for k in w if k not in fields]
        names = [n for n in dict.fromkeys(names) if any(n in w for w in wires)]
        histograms = all(_is_histogram(w) for w in wires)
        common = _common(results, names) if count > 1 else {}
        if common:
            shared = "; ".join(
                f"{html.escape(n)} <code>{html.escape(_cell(n, v, {}, limit=100))}</code>"
                for n, v in common.items()
            )
            lines.append(f"<br><i>every row:</i> {shared}")
        binning = [n for n in names if n in _BINNING]
        shared_binning = all(n in common for n in binning)
        hidden = {"data", *binning} if histograms else set()  # in the bins column
        varying = [n for n in names if n not in common and n not in hidden]
        head = ("<th>bins</th>" if histograms else "") + "".join(
            f"<th>{html.escape(n)}</th>" for n in varying
        )
        body = "".join(
            "<tr>"
            + (f"<td>{_bins_cell(w, shared_binning)}</td>" if histograms else "")
            + "".join(f"<td>{html.escape(_cell(n, w.get(n), w))}</td>" for n in varying)
            + "</tr>"
            for w in wires
        )
        lines.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        if count > len(shown):
            lines.append(f"<i>... and {count - len(shown)} more rows</i>")
    lines.append("</div>")
    return "\n".join(lines)


def _short_url(url: str) -> str:
    """A cursor URL as its route and a clipped token; the whole URL in the tooltip."""
    parts = urlsplit(url)
    route = parts.path.rstrip("/").rsplit("/", 1)[-1]
    token = parse_qs(parts.query).get("next_token", [""])[-1]
    clipped = token if len(token) <= 12 else token[:10] + "\u2026"
    text = f"{route}/?next_token={clipped}" if token else route + "/"
    return f'<code title="{html.escape(url)}">{html.escape(text)}</code>'


def _common(results: list[Any], names: list[str]) -> dict[str, Any]:
    """The fields whose value is the same in every row (lists and bins excepted)."""
    first = _wire(results[0])
    common: dict[str, Any] = {}
    for name in names:
        value = first.get(name, _MISSING)
        if value is _MISSING or isinstance(value, list | dict):
            continue
        if all(_wire(row).get(name, _MISSING) == value for row in results[1:]):
            common[name] = value
    return common


_MISSING: Any = object()
_BINNING = ("x_min", "x_max", "x_bin", "y_min", "y_max", "y_bin")


def _bins_cell(values: Mapping[str, Any], binning_shared: bool) -> str:
    """A histogram row's bins: an inline SVG sparkline (a 2D row: its x projection), with
    the binning when it is not the same for every row."""
    data = values.get("data")
    line = _sparkline(_profile(data)) if isinstance(data, list) else ""
    if binning_shared:
        return line or "no bins"
    return f"{line} {html.escape(bins_summary(values))}".strip()


def _profile(data: list[Any]) -> list[float]:
    if data and isinstance(data[0], list):  # 2D: sum over y
        width = max((len(r) for r in data if isinstance(r, list)), default=0)
        sums = [0.0] * width
        for r in data:
            if isinstance(r, list):
                for i, v in enumerate(r):
                    sums[i] += float(v) if isinstance(v, int | float) else 0.0
        return sums
    return [float(v) if isinstance(v, int | float) else 0.0 for v in data]


def _sparkline(values: list[float], width: int = 120, height: int = 22) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 1 - (v - low) / span * (height - 2):.1f}"
        for i, v in enumerate(values)
    )
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="bins">'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1" points="{points}"/></svg>'
    )
