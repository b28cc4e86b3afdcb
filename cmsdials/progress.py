"""The progress bar of ``list_all``: shown where a person is looking, silent elsewhere.

``enable_progress=None`` (the default) shows it when stderr is a terminal or
the code runs in a notebook kernel, and never in a batch job or a pipe;
``True`` forces it and ``False`` hides it. What is shown:

* in a notebook with ipywidgets: tqdm's widget bar, whose total grows as pages
  arrive (DIALS's cursor pages do not say how many follow: the total is the
  pages fetched, plus one while there are more);
* in a notebook without ipywidgets, or in a terminal: one text line that
  updates in place (tqdm's text bar, without its "IProgress not found" warning);
* without tqdm: the same line, written by cmsdials.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any, TextIO

__all__ = ["PageProgress", "progress", "where_a_person_looks"]


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
    """A progress bar of pages, with the part of tqdm's interface that the walks use:
    ``total`` (settable; a notebook widget's maximum follows it), ``update(n)``,
    ``set_postfix_str(text)`` and ``close()``. ``page(more=...)`` counts one page."""

    def __init__(self, bar: Any = None, stream: TextIO | None = None) -> None:
        self._bar = bar
        self._stream = stream
        self._total = 1
        self._postfix = ""
        self.pages = 0

    @property
    def total(self) -> int:
        return self._total

    @total.setter
    def total(self, total: int) -> None:
        self._total = total
        bar = self._bar
        if bar is not None:
            bar.total = total
            widget = getattr(bar, "container", None)
            if widget is not None:  # tqdm.notebook: the widget keeps its own maximum
                widget.children[1].max = total

    def update(self, n: int = 1) -> None:
        self.pages += n
        if self._bar is not None:
            self._bar.update(n)
        else:
            self._write()

    def set_postfix_str(self, text: str) -> None:
        self._postfix = text
        if self._bar is not None:
            self._bar.set_postfix_str(text)
        elif self.pages:
            self._write()

    def page(self, more: bool) -> None:
        """One more page fetched; ``more``: the walk goes on (DIALS says no more than that)."""
        self.total = self.pages + 1 + (1 if more else 0)
        self.update(1)

    def _write(self) -> None:
        if self._stream is not None:
            postfix = f", {self._postfix}" if self._postfix else ""
            self._stream.write(f"\rProgress: {self.pages}/{self._total} pages{postfix}")
            self._stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._stream is not None and self.pages:
            self._stream.write("\n")
            self._stream.flush()


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def progress(enabled: bool | None) -> PageProgress | None:
    """The progress of one ``list_all``, or ``None`` when nothing is to be shown."""
    if enabled is None:
        enabled = where_a_person_looks()
    elif not isinstance(enabled, bool):
        raise TypeError(f"enable_progress must be True, False or None, not {enabled!r}")
    if not enabled:
        return None
    options: dict[str, Any] = {"desc": "Progress", "total": 1, "unit": "page"}
    if _has("tqdm"):
        if _in_notebook() and _has("ipywidgets"):
            from tqdm.notebook import tqdm as widget_bar

            return PageProgress(widget_bar(**options))
        from tqdm.std import tqdm as text_bar

        return PageProgress(text_bar(file=sys.stderr, **options))
    return PageProgress(stream=sys.stderr)
