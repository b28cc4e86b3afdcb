"""LumiMask on what the local DIALS serves: golden_json(), cert_json(), bad-lumisection rows,
and masks applied to pages, DataFrames and plots."""

from __future__ import annotations

from typing import Any

import pytest

from cmsdials import Dials
from cmsdials.filters import LumisectionFilters, MLBadLumisectionFilters
from cmsdials.lumi import LumiMask
from cmsdials.pagination import Page
from cmsdials.testing import DialsServer

from .test_ml import SELECTION, bad_rows, runs_and_lumis

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

DATASET = SELECTION["dataset_id__in"][0]


def every_lumisection(srv: DialsServer) -> set[tuple[int, int]]:
    return {(run, ls) for run, lumis in runs_and_lumis(srv).items() for ls in lumis}


def flagged(srv: DialsServer) -> set[tuple[int, int]]:
    return {(row["run_number"], row["ls_number"]) for row in bad_rows(srv)}


def test_masks_of_golden_json_and_cert_json(jetmet: Dials, srv: DialsServer) -> None:
    everything, bad = every_lumisection(srv), flagged(srv)
    assert bad and everything - bad and bad <= everything

    golden = LumiMask(jetmet.ml_bad_lumis.golden_json(**SELECTION))
    cert = LumiMask(jetmet.ml_bad_lumis.cert_json(**SELECTION))
    assert set(golden) == everything - bad
    assert set(cert) == bad  # the lumisections cert_json lists; clean runs ({}) add none
    assert not golden & cert
    assert list(golden | cert) == sorted(everything)
    assert golden.runs == tuple(sorted({run for run, _ in everything - bad}))


def test_mask_of_bad_lumisection_rows(jetmet: Dials, srv: DialsServer) -> None:
    cert = LumiMask(jetmet.ml_bad_lumis.cert_json(**SELECTION))
    selection: dict[str, Any] = {
        "model_id__in": SELECTION["model_id__in"],
        "dataset_id": DATASET,
        "run_number__in": SELECTION["run_number__in"],
    }
    page = jetmet.ml_bad_lumis.list_all(
        MLBadLumisectionFilters(**selection, page_size=7), enable_progress=False
    )
    assert len(page.results) > len(cert)  # two models flag some lumisections alike
    assert LumiMask.from_rows(page) == LumiMask.from_rows(page.results) == cert
    assert LumiMask.from_rows(page.to_pandas()) == cert
    only = jetmet.ml_bad_lumis.list(MLBadLumisectionFilters(**selection, page_size=500))
    assert LumiMask.from_rows(only) == cert


def test_page_select_data_frame_filter_and_arrays(jetmet: Dials, srv: DialsServer) -> None:
    golden = LumiMask(jetmet.ml_bad_lumis.golden_json(**SELECTION))
    runs = SELECTION["run_number__in"]
    page = jetmet.lumi.list_all(
        LumisectionFilters(
            dataset_id=DATASET, run_number__gte=min(runs), run_number__lte=max(runs)
        ),
        enable_progress=False,
    )
    inside = [r for r in page.results if (r.run_number, r.ls_number) in set(golden)]
    assert 0 < len(inside) < len(page.results)

    selected = page.select(golden)
    assert isinstance(selected, Page) and selected.results == inside
    assert page.select(LumiMask()).results == []
    assert list(page.select(LumiMask()).to_pandas().columns) == list(page.to_pandas().columns)

    frame = page.to_pandas()
    kept = golden.filter(frame)
    assert list(zip(kept.run_number, kept.ls_number, strict=True)) == [
        (r.run_number, r.ls_number) for r in inside
    ]
    flags = golden(frame["run_number"].to_numpy(), frame["ls_number"].to_numpy())
    assert flags.sum() == len(inside)

    dicts = jetmet.lumi.list_all(
        LumisectionFilters(
            dataset_id=DATASET,
            run_number__gte=min(runs),
            run_number__lte=max(runs),
            fields=["run_number", "ls_number"],
        ),
        enable_progress=False,
    )
    assert [(d["run_number"], d["ls_number"]) for d in dicts.select(golden).results] == [
        (r.run_number, r.ls_number) for r in inside
    ]


def test_histogram_arrays_through_mask(jetmet: Dials, srv: DialsServer) -> None:
    """The documented way to apply a mask to ``to_numpy()`` arrays: ``mask(runs, lumis)``."""
    cert = LumiMask(jetmet.ml_bad_lumis.cert_json(**SELECTION))
    page = jetmet.h1d.list_all(
        {
            "me_id": 1,
            "dataset_id": DATASET,
            "run_number__gte": min(SELECTION["run_number__in"]),
            "run_number__lte": max(SELECTION["run_number__in"]),
        },
        enable_progress=False,
    )
    h = page.to_numpy()
    keep = cert(h.keys["run_number"], h.keys["ls_number"])
    expected = [(r.run_number, r.ls_number) in set(cert) for r in page.results]
    assert keep.tolist() == expected and 0 < sum(expected) < len(expected)
    np.testing.assert_array_equal(h.values[keep], h.values[np.array(expected)])


def test_plot_bad_takes_a_mask(jetmet: Dials) -> None:
    from .test_plotting import DATASET as PLOT_DATASET
    from .test_plotting import MODEL, RUN, _ax, _bands, _run_page

    page = _run_page(jetmet)
    cert: Any = jetmet.ml_bad_lumis.cert_json(
        model_id__in=[MODEL], dataset_id__in=[PLOT_DATASET], run_number__in=[RUN]
    )
    expected = _bands(page.plot(ax=_ax(), bad=cert))
    assert expected
    mask = LumiMask(cert) | LumiMask([(RUN + 1, 3)])  # another run's lumisection: not drawn
    assert _bands(page.plot(ax=_ax(), bad=mask)) == expected
