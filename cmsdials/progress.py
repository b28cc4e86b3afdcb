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
    """Counts pages: ``update(more=...)`` after each page, ``close()`` at the end."""

    def __init__(self, bar: Any = None, stream: TextIO | None = None) -> None:
        self._bar = bar
        self._stream = stream
        self.pages = 0

    def update(self, more: bool) -> None:
        self.pages += 1
        total = self.pages + (1 if more else 0)
        bar = self._bar
        if bar is not None:
            bar.total = total
            widget = getattr(bar, "container", None)
            if widget is not None:  # tqdm.notebook: the widget keeps its own maximum
                widget.children[1].max = total
            bar.update(1)
        elif self._stream is not None:
            self._stream.write(f"\rProgress: {self.pages}/{total} pages")
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
