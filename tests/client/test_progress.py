"""The progress bar of list_all: silent in batch, one updating line in a terminal, forced/hidden.

(The notebook widget is tested by executing a notebook: tests/client/test_notebook.py.)
"""

from __future__ import annotations

import io
import re
import sys
import warnings

import pytest

from cmsdials import Dials, progress
from cmsdials.filters import LumisectionHistogram1DFilters

FILTERS = LumisectionHistogram1DFilters(page_size=5)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_batch_is_silent_by_default(dials: Dials, capfd: pytest.CaptureFixture[str]) -> None:
    assert not sys.stderr.isatty()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(8):
            dials.h1d.list_all(FILTERS, max_pages=3)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_terminal_gets_one_updating_line(dials: Dials, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    page = dials.h1d.list_all(FILTERS, max_pages=4)
    assert len(page.results) == 20
    text = terminal.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")  # one line, updated with \r
    assert "\r" in text
    last = text.rstrip().rsplit("\r", 1)[-1]
    # The total is unknown (DIALS's pages do not say how many follow): no percentage.
    assert last.startswith("Progress: 4 pages [") and "20 rows" in last and "pages/s" in last
    assert "%" not in text and "4/" not in text


def test_forced_and_hidden(dials: Dials, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()  # not a terminal
    monkeypatch.setattr(sys, "stderr", stream)
    dials.h1d.list_all(FILTERS, max_pages=2, enable_progress=True)
    assert "Progress: 2 pages" in stream.getvalue()

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    dials.h1d.list_all(FILTERS, max_pages=2, enable_progress=False)
    assert terminal.getvalue() == ""

    with pytest.raises(TypeError, match="enable_progress must be True, False or None"):
        dials.h1d.list_all(FILTERS, max_pages=1, enable_progress="yes")  # type: ignore[arg-type]


def test_without_tqdm_one_line_written_by_cmsdials(
    dials: Dials, monkeypatch: pytest.MonkeyPatch
) -> None:
    has = progress._has
    monkeypatch.setattr(progress, "_has", lambda name: False if name == "tqdm" else has(name))
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    every = dials.h1d.list_all(LumisectionHistogram1DFilters(page_size=5, run_number=360392))
    pages = -(-len(every.results) // 5)
    lines = terminal.getvalue().split("\r")
    assert lines[0] == "" and lines[-1].endswith("\n") and len(lines) == pages + 1
    for n, line in enumerate(lines[1:], 1):
        rows = min(5 * n, len(every.results))
        assert re.fullmatch(rf"Progress: {n} pages, {rows} rows, [\d.]+ pages/s\n?", line), line
