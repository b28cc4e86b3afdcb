"""row.plot() / page.plot() against the local DIALS: what was drawn, not how it looks.

Rendered with matplotlib's Agg backend; every check reads the drawn artists back
(axes limits, the heat map's array, the overlay's bands, the title) and compares
them with ``to_numpy()`` of the same rows.
"""

from __future__ import annotations

import base64
import random
import sys
from typing import Any

import pytest

from cmsdials import Dials
from cmsdials.pagination import Page
from cmsdials.testing import DialsServer

matplotlib = pytest.importorskip("matplotlib")
np = pytest.importorskip("numpy")
matplotlib.use("Agg")  # headless; the library itself never chooses a backend

from matplotlib.collections import PolyCollection, QuadMesh  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import StepPatch  # noqa: E402

RUN = 386951  # jetmet: ME 1 (jet pT) over 48 lumisections, model 19 flags some of them
DATASET = 15102369
MODEL = 19


def _ax() -> Any:
    return Figure().add_subplot()


def _mesh(ax: Any) -> Any:
    meshes = [c for c in ax.collections if isinstance(c, QuadMesh)]
    assert len(meshes) == 1, ax.collections
    return meshes[0]


def _bands(ax: Any) -> list[tuple[float, float]]:
    """(left, right) of each bad-lumisection band."""
    found = [c for c in ax.collections if c.get_gid() == "bad-lumisections"]
    assert len(found) == 1 and isinstance(found[0], PolyCollection)
    extents = []
    for path in found[0].get_paths():
        xs = path.vertices[:, 0]
        extents.append((float(xs.min()), float(xs.max())))
    return sorted(extents)


def _run_page(jetmet: Dials, me_id: int = 1) -> Page[Any]:
    page: Page[Any] = jetmet.h1d.list_all(
        {"me_id": me_id, "run_number": RUN, "dataset_id": DATASET}, enable_progress=False
    )
    assert len(page.results) > 20
    return page


# -- rows -----------------------------------------------------------------------


def test_1d_row_is_a_step_histogram_over_the_bin_edges(dials: Dials) -> None:
    row = dials.h1d.list({"me_id": 1, "page_size": 1}).results[0]
    ax = _ax()
    assert row.plot(ax=ax) is ax
    h = Page([row]).to_numpy()
    assert ax.get_xlim() == (row.x_min, row.x_max)
    (step,) = [p for p in ax.patches if isinstance(p, StepPatch)]
    drawn = step.get_data()
    np.testing.assert_array_equal(drawn.values, h.values[0])
    np.testing.assert_array_equal(drawn.edges, h.x_edges)
    title = ax.get_title()
    assert row.me in title and f"run {row.run_number}" in title and f"LS {row.ls_number}" in title


def test_2d_row_is_a_heat_map_over_both_edges_with_a_colour_bar(dials: Dials) -> None:
    row = dials.h2d.list({"page_size": 1}).results[0]
    ax = _ax()
    row.plot(ax=ax)
    h = Page([row]).to_numpy()
    assert h.y_edges is not None
    assert ax.get_xlim() == (row.x_min, row.x_max)
    assert ax.get_ylim() == (row.y_min, row.y_max)
    np.testing.assert_array_equal(np.asarray(_mesh(ax).get_array()), h.values[0])
    coords = _mesh(ax).get_coordinates()
    np.testing.assert_array_equal(coords[0, :, 0], h.x_edges)
    np.testing.assert_array_equal(coords[:, 0, 1], h.y_edges)
    assert len(ax.figure.axes) == 2  # the colour bar's axes
    assert row.me in ax.get_title()


def test_plot_without_ax_draws_on_a_new_pyplot_figure(dials: Dials) -> None:
    import matplotlib.pyplot as plt

    row = dials.h1d.list({"me_id": 1, "page_size": 1}).results[0]
    first, second = row.plot(), row.plot()
    try:
        assert first.figure is not second.figure  # no piling up on one axes
        assert plt.gcf() is second.figure
    finally:
        plt.close("all")


# -- pages ----------------------------------------------------------------------


def test_page_heat_map_sorts_lumisections_and_leaves_gaps_blank(jetmet: Dials) -> None:
    page = _run_page(jetmet)
    rows = [r for r in page.results if r.ls_number not in (10, 11, 12, 30)]
    random.Random(0).shuffle(rows)
    shuffled = Page(rows, model=page.model)
    ax = _ax()
    assert shuffled.plot(ax=ax) is ax

    h = shuffled.to_numpy()
    order = np.argsort(h.keys["ls_number"])
    ls = h.keys["ls_number"][order]
    grid = _mesh(ax).get_array()  # (bins, cells): lumisections along x
    assert grid.shape[0] == h.values.shape[1]
    kept = ~np.ma.getmaskarray(grid)[0]
    np.testing.assert_array_equal(np.asarray(grid)[:, kept], h.values[order].T)
    assert (~kept).sum() == 2  # one blank cell per gap: 10-12 and 30
    edges = _mesh(ax).get_coordinates()[0, :, 0]
    blank_cells = [(edges[i], edges[i + 1]) for i in np.flatnonzero(~kept)]
    assert blank_cells == [(9.5, 12.5), (29.5, 30.5)]
    assert ax.get_xlim() == (ls[0] - 0.5, ls[-1] + 0.5)
    assert ax.get_ylim() == (h.x_edges[0], h.x_edges[-1])
    assert ax.get_xlabel() == "lumisection"
    assert page.results[0].me in ax.get_title() and str(RUN) in ax.get_title()


def test_bad_lumisections_overlay_from_ml_rows_and_from_cert_json(jetmet: Dials) -> None:
    page = _run_page(jetmet)
    bad = jetmet.ml_bad_lumis.list_all({"model_id": MODEL}, enable_progress=False)
    flagged = sorted(r.ls_number for r in bad.results if r.run_number == RUN)
    assert flagged  # the model flags lumisections of this run (and of other runs)
    assert any(r.run_number != RUN for r in bad.results)
    expected = [(ls - 0.5, ls + 0.5) for ls in flagged]

    ax = page.plot(ax=_ax(), bad=bad)  # a Page of rows: other runs' rows left out
    assert _bands(ax) == expected
    assert ax.get_legend() is not None
    ax = page.plot(ax=_ax(), bad=bad.results)  # a list of rows
    assert _bands(ax) == expected

    cert = jetmet.ml_bad_lumis.cert_json(
        model_id__in=[MODEL], dataset_id__in=[DATASET], run_number__in=[RUN]
    )
    ax = page.plot(ax=_ax(), bad=cert)
    assert _bands(ax) == expected
    ax = page.plot(ax=_ax(), bad=[3, 5])  # lumisection numbers
    assert _bands(ax) == [(2.5, 3.5), (4.5, 5.5)]


def test_page_of_2d_rows_one_by_index_or_the_sum(jetmet: Dials) -> None:
    page = jetmet.h2d.list_all({"run_number": RUN, "me_id": 7}, enable_progress=False)
    assert len(page.results) > 1
    h = page.to_numpy()
    ax = page.plot(ax=_ax(), index=1)
    np.testing.assert_array_equal(np.asarray(_mesh(ax).get_array()), h.values[1])
    assert f"LS {page.results[1].ls_number}" in ax.get_title()
    ax = page.plot(ax=_ax(), reduce="sum")
    np.testing.assert_allclose(np.asarray(_mesh(ax).get_array()), h.values.sum(axis=0))
    assert f"sum of {len(page.results)} lumisections" in ax.get_title()
    with pytest.raises(ValueError, match=r"pass index=i .* or reduce='sum'"):
        page.plot(ax=_ax())


def test_page_of_1d_rows_by_index_and_summed(jetmet: Dials) -> None:
    page = _run_page(jetmet)
    h = page.to_numpy()
    ax = page.plot(ax=_ax(), reduce="sum")
    (step,) = [p for p in ax.patches if isinstance(p, StepPatch)]
    np.testing.assert_allclose(step.get_data().values, h.values.sum(axis=0))
    assert ax.get_xlim() == (h.x_edges[0], h.x_edges[-1])
    ax = page.plot(ax=_ax(), index=-1)
    (step,) = [p for p in ax.patches if isinstance(p, StepPatch)]
    np.testing.assert_array_equal(step.get_data().values, h.values[-1])


def test_several_mes_or_runs_are_refused_naming_them_or_selected(jetmet: Dials) -> None:
    mes = jetmet.h1d.list_all(
        {"me__regex": "^JetMET/Jet/Cleanedak4PFJetsCHS/(Pt|Eta)$", "run_number": RUN},
        enable_progress=False,
    )
    names = sorted({r.me for r in mes.results})
    with pytest.raises(ValueError, match="2 monitoring elements") as caught:
        mes.plot(ax=_ax())
    assert all(repr(name) in str(caught.value) for name in names) and "me=" in str(caught.value)
    ax = mes.plot(ax=_ax(), me=names[0])
    assert names[0] in ax.get_title()

    runs = jetmet.h1d.list_all(
        {"me_id": 1, "dataset_id": 15042670, "run_number__gte": 385764, "run_number__lte": 385799},
        enable_progress=False,
    )
    numbers = sorted({r.run_number for r in runs.results})
    assert numbers[0] == 385764 and numbers[-1] == 385799
    listed = ", ".join(str(n) for n in numbers)
    with pytest.raises(
        ValueError, match=rf"{len(numbers)} runs \(run_number {listed}\).*run_number="
    ):
        runs.plot(ax=_ax())
    ax = runs.plot(ax=_ax(), run_number=385799)
    assert "385799" in ax.get_title()
    with pytest.raises(ValueError, match="no row of the page has run_number=1"):
        runs.plot(ax=_ax(), run_number=1)


# -- bad input ------------------------------------------------------------------


def test_plot_without_matplotlib_says_what_to_install(
    dials: Dials, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = dials.h1d.list({"me_id": 1, "page_size": 3})
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for call in (page.plot, page.results[0].plot):
        with pytest.raises(ImportError, match=r"pip install 'cmsdials\[plot\]'"):
            call()
    # The notebook display still works: a text summary naming the extra.
    shown = page.results[0]._repr_html_()
    assert shown is not None and "<img" not in shown and "cmsdials[plot]" in shown
    assert "100 bins" in shown


def test_importing_cmsdials_imports_no_matplotlib_and_sets_no_backend() -> None:
    import subprocess

    code = (
        "import sys, cmsdials, cmsdials.plotting, cmsdials.pagination, cmsdials.models\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_bad_rejects_golden_json_saying_it_lists_good_lumisections(jetmet: Dials) -> None:
    page = _run_page(jetmet)
    golden = jetmet.ml_bad_lumis.golden_json(
        model_id__in=[MODEL], dataset_id__in=[DATASET], run_number__in=[RUN]
    )
    with pytest.raises(TypeError, match="golden_json output lists the good lumisections"):
        page.plot(ax=_ax(), bad=golden)


def test_a_row_whose_bins_do_not_match_x_bin_is_a_server_inconsistency(
    srv: DialsServer, dials: Dials
) -> None:
    srv.tweak_rows(route=r"/th1/", retype={"x_bin": 99})
    page = dials.h1d.list({"me_id": 1, "page_size": 3})
    for call in (lambda: page.results[0].plot(ax=_ax()), lambda: page.plot(ax=_ax())):
        with pytest.raises(ValueError, match=r"DIALS sent 100 bins .* x_bin=99.*inconsistent"):
            call()


def test_a_page_mixing_1d_and_2d_and_an_empty_page_are_refused(jetmet: Dials) -> None:
    one = jetmet.h1d.list({"run_number": RUN, "page_size": 3})
    two = jetmet.h2d.list({"run_number": RUN, "page_size": 2})
    with pytest.raises(ValueError, match=r"mixes 1D and 2D histograms \(3 1D, 2 2D\)"):
        Page(one.results + two.results).plot(ax=_ax())
    empty = jetmet.h1d.list({"run_number": 1, "page_size": 3})
    assert empty.results == []
    with pytest.raises(ValueError, match="the page is empty"):
        empty.plot(ax=_ax())


def test_rows_without_bins_are_a_type_error(dials: Dials) -> None:
    run = dials.run.list({"page_size": 1})
    with pytest.raises(TypeError, match=r"plot\(\) draws histogram rows"):
        run.results[0].plot(ax=_ax())
    with pytest.raises(TypeError, match=r"plot\(\) draws pages of histogram rows"):
        run.plot(ax=_ax())
    assert run.results[0]._repr_html_() is None  # plain text for rows that are not histograms


# -- rich display -----------------------------------------------------------------


def test_page_html_shows_count_next_and_a_few_rows_with_bins_summarised(dials: Dials) -> None:
    page = dials.h1d.list({"me_id": 1, "page_size": 8})
    assert page.next is not None
    shown = page._repr_html_()
    assert "Page</b> of 8 LumisectionHistogram1D results" in shown
    assert "more to fetch" in shown and "next_token" in shown
    assert shown.count("<tr>") == 1 + 5  # header + the first five rows
    assert "x_bin <code>100</code>" in shown and "and 3 more rows" in shown
    assert str(page.results[0].data[:3])[1:-1] not in shown  # no bin values
    whole = dials.h1d.list_all({"me_id": 1, "run_number": 360392}, enable_progress=False)
    assert "complete (no next page)" in whole._repr_html_()
    # Plain-text reprs stay short.
    assert len(repr(page)) < 300 and len(repr(page.results[0])) < 400


def test_histogram_row_html_embeds_a_small_png(dials: Dials) -> None:
    row = dials.h2d.list({"page_size": 1}).results[0]
    shown = row._repr_html_()
    assert shown is not None and row.me in shown
    encoded = shown.split('src="data:image/png;base64,', 1)[1].split('"', 1)[0]
    png = base64.b64decode(encoded)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width <= 400 and height <= 300  # small, inline


def test_make_plots_draws_the_readme_picture(srv: DialsServer, tmp_path: Any) -> None:
    from cmsdials.testing.plots import draw

    output = tmp_path / "plots.png"
    draw(srv.base_url, srv.secret, output)
    assert output.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
