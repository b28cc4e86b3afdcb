"""The rich display in a real notebook, executed headless (nbclient + ipykernel).

A page shows as an HTML table (count, ``next`` state, first rows with the bins
summarised), a histogram row as a summary line and an inline PNG, a call of
``plot()`` draws a figure the notebook shows; a kernel without matplotlib shows
the text summary instead.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from cmsdials.testing import DialsServer

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

CELLS = [
    """\
import warnings
warnings.simplefilter("ignore", DeprecationWarning)
from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
dials = Dials(Credentials(token=SECRET), workspace="jetmet", base_url=BASE_URL)
page = dials.h1d.list({"me_id": 1, "run_number": 386951, "page_size": 20})
""",
    "page",
    "page.results[0]",
    "ax = page.plot()",
    """\
import sys
for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
    del sys.modules[name]
sys.modules["matplotlib"] = None  # as in a kernel without the plot extra
page.results[1]
""",
]


def _display(cell: Any) -> list[dict[str, Any]]:
    return [
        dict(o.data) for o in cell.outputs if o.output_type in ("execute_result", "display_data")
    ]


def test_notebook_shows_pages_rows_and_plots(srv: DialsServer, tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    setup = f"BASE_URL = {srv.base_url!r}\nSECRET = {srv.secret!r}\n"
    nb.cells = [nbformat.v4.new_code_cell(setup)] + [nbformat.v4.new_code_cell(c) for c in CELLS]
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    page, row, plotted, bare = (_display(nb.cells[i]) for i in (2, 3, 4, 5))

    (shown,) = page
    assert "<table>" in shown["text/html"] and "Page</b> of 20" in shown["text/html"]
    assert "more to fetch" in shown["text/html"] and "<polyline" in shown["text/html"]
    assert "x_max <code>500.0</code>" in shown["text/html"]  # the shared binning, once
    assert shown["text/plain"].startswith("Page(<20 results>")  # the short plain text

    (shown,) = row
    html = shown["text/html"]
    assert "JetMET/Jet/Cleanedak4PFJetsCHS/Pt (run 386951, LS" in html
    png = base64.b64decode(html.split("base64,", 1)[1].split('"', 1)[0])
    assert png.startswith(b"\x89PNG")

    # plot() in a notebook: the inline backend shows the figure after the cell.
    assert any("image/png" in data for data in plotted), plotted

    (shown,) = bare
    assert "<img" not in shown["text/html"] and "cmsdials[plot]" in shown["text/html"]
