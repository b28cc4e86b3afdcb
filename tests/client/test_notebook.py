"""A notebook, executed headless (nbclient + ipykernel), as a physicist runs one.

It logs in with the device flow against the local DIALS's Keycloak (the test
plays the person who opens the link), then pulls a few pages with list_all:
the link is shown as a clickable HTML link, the progress bar is a real widget
whose maximum is the number of pages fetched, and without ipywidgets the bar
is one text line with no warning.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cmsdials import Dials
from cmsdials.auth.secret_key import Credentials
from cmsdials.filters import LumisectionHistogram1DFilters
from cmsdials.testing import DialsServer, serve

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")

SELECTION = {"page_size": 5, "run_number": 360392, "me_id": 1}

CELLS = [
    """\
from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.device import Credentials
from cmsdials.filters import LumisectionHistogram1DFilters
""",
    """\
creds = Credentials.from_creds_file(client=AuthClient(keycloak_url=KEYCLOAK_URL))
""",
    """\
dials = Dials(creds, base_url=BASE_URL)
data = dials.h1d.list_all(LumisectionHistogram1DFilters(**SELECTION))
print(len(data.results), "rows")
""",
    """\
import sys
import warnings

sys.modules["ipywidgets"] = None  # as in a kernel without ipywidgets
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    again = dials.h1d.list_all(LumisectionHistogram1DFilters(**SELECTION))
print(len(again.results), "rows again,", len(caught), "warnings")
""",
]


def _approve_devices(srv: DialsServer, stop: threading.Event) -> None:
    """The person: approves each device login as soon as it is asked for."""
    realm = srv.auth.realm
    while not stop.wait(0.05):
        with realm._lock:
            pending = [d.device_code for d in realm._devices.values() if not d.approved]
        for code in pending:
            srv.approve_device(code)


def _widgets(nb: Any) -> dict[str, dict[str, Any]]:
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models: dict[str, dict[str, Any]] = state.get("state", {})
    return models


@pytest.fixture
def srv() -> Iterator[DialsServer]:
    # Its own server: the session one checks every request against openapi.json,
    # which does not describe Keycloak's routes.
    with serve() as server:
        yield server


@pytest.fixture
def dials(srv: DialsServer) -> Iterator[Dials]:
    with Dials(Credentials(token=srv.secret), base_url=srv.base_url) as client:
        yield client


def test_notebook_shows_the_login_link_and_a_growing_widget_bar(
    srv: DialsServer, dials: Dials, tmp_path: Path
) -> None:
    rows = sum(1 for _ in dials.h1d.iter_items(LumisectionHistogram1DFilters(**SELECTION)))
    pages = math.ceil(rows / SELECTION["page_size"])
    assert pages >= 3  # a walk of several pages

    nb = nbformat.v4.new_notebook()
    setup = f"BASE_URL = {srv.base_url!r}\nKEYCLOAK_URL = {srv.keycloak_url!r}\n"
    setup += f"SELECTION = {SELECTION!r}\n"
    nb.cells = [nbformat.v4.new_code_cell(setup)] + [nbformat.v4.new_code_cell(c) for c in CELLS]
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    stop = threading.Event()
    person = threading.Thread(target=_approve_devices, args=(srv, stop), daemon=True)
    person.start()
    try:
        client.execute()
    finally:
        stop.set()
        person.join()

    login, pull, plain = nb.cells[2], nb.cells[3], nb.cells[4]
    # The device-flow link: displayed as HTML with a clickable link (not a log line).
    shown = [o for o in login.outputs if o.output_type == "display_data"]
    assert shown, login.outputs
    link = shown[0].data["text/html"]
    assert f'<a href="{srv.base_url}_control/device?user_code=' in link
    assert (tmp_path / ".cache" / "creds").exists()  # the token was cached beside the notebook

    # The progress bar: a widget counting pages and rows, with no made-up total (DIALS's
    # pages do not say how many follow); its plain-text form, which a static viewer shows
    # (nbconvert's HTML without widget JavaScript), holds the final count.
    assert any(o.get("text", "").strip() == f"{rows} rows" for o in pull.outputs), pull.outputs
    bars = [m["state"] for m in _widgets(nb).values() if m["model_name"] == "FloatProgressModel"]
    assert len(bars) == 1, bars
    assert bars[0]["max"] == 1 == bars[0]["value"]  # tqdm's bar of an unknown total
    texts = [m["state"]["value"] for m in _widgets(nb).values() if m["model_name"] == "HTMLModel"]
    assert any(f"{pages}\u2007pages" in t and f"{rows}\u2007rows" in t for t in texts), texts
    views = [o for o in pull.outputs if o.output_type == "display_data"]
    assert any("application/vnd.jupyter.widget-view+json" in o.data for o in views)
    fallback = [o.data["text/plain"] for o in views if "text/plain" in o.data]
    assert fallback and fallback[-1].startswith(f"Progress: {pages} pages ["), fallback
    assert f"{rows} rows" in fallback[-1] and "0/1" not in fallback[-1]

    # Without ipywidgets: a text line on stderr, no widget, no warning.
    stderr = "".join(o.get("text", "") for o in plain.outputs if o.get("name") == "stderr")
    stdout = "".join(o.get("text", "") for o in plain.outputs if o.get("name") == "stdout")
    assert stdout.strip() == f"{rows} rows again, 0 warnings"
    assert "IProgress" not in stderr and f"Progress: {pages} pages [" in stderr
    assert not [o for o in plain.outputs if o.output_type == "display_data"]
