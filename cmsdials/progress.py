"""The progress bar of ``list_all``: shown where a person is looking, silent elsewhere.

``enable_progress=None`` (the default) shows it when stderr is a terminal or
the code runs in a notebook kernel, and never in a batch job or a pipe;
``True`` forces it and ``False`` hides it. What it shows depends on what is known:

* **the total is not known** (a serial walk: DIALS's cursor pages do not say how
  many follow): pages, rows, elapsed time and rate, and no percentage or ETA,
  e.g. ``Progress: 25 pages [00:05, 4.93 pages/s, 250 rows]``;
* **the total is known** (a walk split by runs, ``workers=N``: the run list gave
  each run's ``ls_count``): a real percentage of the lumisections, with ETA,
  e.g. ``Progress: 45%|████▌     | 1234/2741 LS [00:05<00:06, ..., 25 pages, 250 rows]``.

Where: in a notebook with ipywidgets, tqdm's widget, whose plain-text form (what a
static viewer such as nbconvert's HTML shows without widgets) is updated to the
final count when the walk ends; in a notebook without ipywidgets, or in a terminal,
one text line that updates in place (tqdm's text bar, without its "IProgress not
found" warning); without tqdm, the same line, written by cmsdials.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

__all__ = ["LumisectionsDone", "PageProgress", "progress", "where_a_person_looks"]


def _in_notebook() -> bool:
    """Running in a Jupyter kernel (not only with IPython imported)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def where_a_person_looks() -> bool:
    """stderr is a terminal, or this runs in a notebook."""
    return _in_notebook() or _isatty(sys.stderr)


class PageProgress:
    """A progress bar of a walk, over tqdm (text or widget) or cmsdials' own line.

    ``total`` is ``None`` while the total is unknown: the bar counts pages. With a
    total (lumisections), it counts those (``advance_to``); pages and rows then go
    in its postfix. ``page(rows=...)`` counts one page; ``set_postfix_str(text)``
    adds to the postfix; ``close()`` ends the line (and, in a notebook, updates the
    widget's plain-text form to the final state).
    """

    def __init__(
        self,
        bar: Any = None,
        stream: TextIO | None = None,
        *,
        total: int | None = None,
        unit: str = "LS",
        handle: Any = None,
    ) -> None:
        self._bar = bar
        self._stream = stream
        self._handle = handle  # a notebook display handle of the widget
        self._total = total
        self._unit = unit
        self._extra = ""
        self._started = time.monotonic()
        self.pages = 0
        self.rows = 0
        self._count_rows = False
        self.n = 0  # what the bar counts: pages (no total) or units of the total

    @property
    def total(self) -> int | None:
        return self._total

    def advance_to(self, n: int) -> None:
        """With a known total: ``n`` units of it are done (never goes back)."""
        if self._total is None:
            return
        n = min(n, self._total)
        if n > self.n:
            step, self.n = n - self.n, n
            if self._bar is not None:
                self._bar.update(step)

    def page(self, more: bool = True, rows: int | None = None) -> None:
        """One more page fetched, with ``rows`` rows (shown once some call gives them;
        ``more``: kept for callers of earlier versions; the walk's end is not guessed)."""
        self.pages += 1
        if rows is not None:
            self.rows += rows
            self._count_rows = True
        if self._total is None:
            self.n += 1
            if self._bar is not None:
                self._bar.update(1)
        self._show()

    def update(self, n: int = 1) -> None:
        """Count ``n`` more pages (tqdm's name)."""
        for _ in range(n):
            self.page()

    def set_postfix_str(self, text: str) -> None:
        self._extra = text
        self._show()

    def _postfix(self) -> str:
        parts = [] if self._total is None else [f"{self.pages} pages"]
        if self._count_rows:
            parts.append(f"{self.rows} rows")
        if self._extra:
            parts.append(self._extra)
        return ", ".join(parts)

    def _show(self) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(self._postfix(), refresh=True)
        elif self._stream is not None and self.pages:
            self._stream.write("\r" + self.line())
            self._stream.flush()

    def line(self) -> str:
        """The line cmsdials writes without tqdm."""
        elapsed = max(time.monotonic() - self._started, 1e-9)
        if self._total is None:
            rows = f", {self.rows} rows" if self._count_rows else ""
            return f"Progress: {self.pages} pages{rows}, {self.pages / elapsed:.1f} pages/s"
        percent = 100 * self.n // max(self._total, 1)
        return (
            f"Progress: {percent}% ({self.n}/{self._total} {self._unit}), {self._postfix()}, "
            f"{self.pages / elapsed:.1f} pages/s"
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            if self._handle is not None:  # the widget's plain-text form: the final count
                self._handle.update(self._bar.container)
        elif self._stream is not None and self.pages:
            self._stream.write("\n")
            self._stream.flush()


class LumisectionsDone:
    """How many lumisections a walk split by runs has covered: each lane's ``ls_count``
    once it is done, and before that the distinct ``(run_number, ls_number)`` of the rows
    read from it (at most its ``ls_count``)."""

    def __init__(self, counts: Sequence[int]) -> None:
        self.counts = list(counts)
        self._seen: list[set[tuple[Any, Any]]] = [set() for _ in self.counts]
        self._finished = [False] * len(self.counts)

    @property
    def total(self) -> int:
        return sum(self.counts)

    def add(self, lane: int, rows: Sequence[Any], finished: bool) -> int:
        """Count the rows of one page of ``lane``; returns the lumisections done."""
        seen = self._seen[lane]
        for row in rows:
            if isinstance(row, dict):
                seen.add((row.get("run_number"), row.get("ls_number")))
            else:
                seen.add((getattr(row, "run_number", None), getattr(row, "ls_number", None)))
        if finished:
            self._finished[lane] = True
            seen.clear()
        return self.done

    @property
    def done(self) -> int:
        return sum(
            count if finished else min(len(seen), count)
            for count, seen, finished in zip(self.counts, self._seen, self._finished, strict=True)
        )


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def progress(
    enabled: bool | None, total: int | None = None, unit: str = "LS"
) -> PageProgress | None:
    """The progress of one walk, or ``None`` when nothing is to be shown.

    ``total``: how many ``unit`` the walk covers, when known (else it counts pages).
    """
    if enabled is None:
        enabled = where_a_person_looks()
    elif not isinstance(enabled, bool):
        raise TypeError(f"enable_progress must be True, False or None, not {enabled!r}")
    if not enabled:
        return None
    if total is not None and total < 1:
        total = None
    options: dict[str, Any] = {
        "desc": "Progress",
        "total": total,
        "unit": f" {unit}" if total is not None else " pages",
    }
    if total is None:  # no "?" total, no percentage, no ETA: what is known
        options["bar_format"] = "{desc}: {n_fmt}{unit} [{elapsed}, {rate_fmt}{postfix}]"
    if _has("tqdm"):
        if _in_notebook() and _has("ipywidgets"):
            from IPython import display as ipython_display
            from tqdm.notebook import tqdm as widget_bar

            bar = widget_bar(display=False, **options)
            show: Any = ipython_display.display
            handle = show(bar.container, display_id=True)
            return PageProgress(bar, total=total, unit=unit, handle=handle)
        from tqdm.std import tqdm as text_bar

        return PageProgress(text_bar(file=sys.stderr, **options), total=total, unit=unit)
    return PageProgress(stream=sys.stderr, total=total, unit=unit)
