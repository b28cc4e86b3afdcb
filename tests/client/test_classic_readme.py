"""Every code example of the classic README (2.1), executed as written against the local DIALS.

Changes to the README's text are limited to pointing it at the local server:
``base_url=srv.base_url`` on ``Dials``/``AuthClient``, and credentials made
from the local server's secret (or, for the "local DIALS" section, a token the
local server issued, cached as a previous login would have). The README's
filter-import block forgets ``DatasetIndexFilters`` and
``MLModelsIndexFilters``; they are imported too. The resume example's failure
("Code may broke inside this routine") is produced by a fault injected in the
middle of the walk.

The README's lines are kept as they are written (length, import order, spacing).
"""
# ruff: noqa: E501, I001
# fmt: off

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from urllib3.util import Retry

from cmsdials.testing import DialsServer, serve

from .helpers import api_requests, query

@pytest.fixture
def creds(srv: DialsServer) -> Any:
    from cmsdials.auth.secret_key import Credentials

    return Credentials(token=srv.secret)


def test_basic_example(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials
    from cmsdials.filters import LumisectionHistogram1DFilters

    dials = Dials(creds, base_url=srv.base_url)

    # Getting h1d data
    data = dials.h1d.list_all(LumisectionHistogram1DFilters(me="PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"), max_pages=5)

    assert len(data.results) == 50  # 5 pages of DIALS's default 10 rows
    assert {row.me for row in data.results} == {"PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"}
    dials.close()


def test_workspace_example(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials

    dials = Dials(creds, workspace="jetmet", base_url=srv.base_url)

    assert dials.run.list().results
    assert api_requests(srv)[0].headers["Workspace"] == "jetmet"


def test_get_examples(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials

    dials = Dials(creds, base_url=srv.base_url)

    a = dials.dataset_index.get(dataset_id=14677060)
    b = dials.file_index.get(dataset_id=14677060, file_id=3393809397)
    c = dials.h1d.get(dataset_id=14677060, run_number=367112, ls_number=10, me_id=1)
    d = dials.h1d.get(dataset_id=14677060, run_number=367112, ls_number=10, me_id=96)
    e = dials.lumi.get(dataset_id=14677060, run_number=367112, ls_number=10)
    f = dials.run.get(dataset_id=14677060, run_number=367112)

    assert a.dataset_id == b.dataset_id == 14677060 and b.file_id == 3393809397
    assert (c.me_id, d.me_id, e.ls_number, f.run_number) == (1, 96, 10, 367112)

    # jetmet worskpace
    dials = Dials(creds, workspace="jetmet", base_url=srv.base_url)
    g = dials.ml_models_index(model_id=1)
    h = dials.ml_bad_lumisection(model_id=19, dataset_id=15102369, run_number=386951, ls_number=36)

    assert g.id == 1 and (h.model_id, h.ls_number) == (19, 36)  # current DIALS: id, not model_id


def test_list_examples(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials

    dials = Dials(creds, base_url=srv.base_url)

    pages = [
        dials.dataset_index.list(),
        dials.file_index.list(),
        dials.h1d.list(),
        dials.h2d.list(),
        dials.lumi.list(),
        dials.run.list(),
        dials.ml_models_index.list(),
        dials.ml_bad_lumisection.list(),
    ]

    assert [len(p.results) for p in pages] == [4, 10, 10, 10, 10, 10, 0, 0]  # tracker has no ML


@pytest.fixture(scope="module")
def unchecked_server() -> Iterator[DialsServer]:
    """A local DIALS without the contract checker, which costs ~20 ms a request.

    ``list_all()`` without filters walks whole tables 10 rows a page (about a
    thousand requests); the same requests are contract-checked elsewhere.
    """
    with serve(size="small", seed=0) as server:
        yield server


def test_list_all_examples(unchecked_server: DialsServer) -> None:
    from cmsdials import Dials
    from cmsdials.auth.secret_key import Credentials

    srv = unchecked_server
    creds = Credentials(token=srv.secret)
    dials = Dials(creds, base_url=srv.base_url)

    results = [
        dials.dataset_index.list_all(),
        dials.file_index.list_all(),
        dials.h1d.list_all(),
        dials.h2d.list_all(),
        dials.lumi.list_all(),
        dials.run.list_all(),
        dials.ml_models_index.list_all(),
        dials.ml_bad_lumisection.list_all(),
    ]

    tables = ["dataset_index", "file_index", "th1", "th2", "lumisection", "run"]
    counts = [query(srv.db(), f"SELECT count(*) FROM {t}")[0][0] for t in tables] + [0, 0]
    assert [len(r.results) for r in results] == counts

    data = dials.run.list_all(..., max_pages=5)

    assert len(data.results) == min(50, counts[5])


def test_filter_examples(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials
    from cmsdials.filters import (
        DatasetIndexFilters,  # not in the README's import block
        FileIndexFilters,
        LumisectionFilters,
        LumisectionHistogram1DFilters,
        LumisectionHistogram2DFilters,
        MLBadLumisectionFilters,
        MLModelsIndexFilters,  # not in the README's import block
        RunFilters,
    )

    dials = Dials(creds, base_url=srv.base_url)

    a = dials.dataset_index.list_all(DatasetIndexFilters(page_size=500))

    b = dials.file_index.list(FileIndexFilters(dataset__regex="2024B"))

    c = dials.h1d.list(LumisectionHistogram1DFilters(me="PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"))

    d = dials.h2d.list_all(LumisectionHistogram2DFilters(me__regex="PXBarrel", ls_number=78, entries__gte=100), max_pages=5)

    e = dials.lumi.list_all(LumisectionFilters(run_number=360392), max_pages=5)

    f = dials.run.list_all(RunFilters(run_number__gte=360392, run_number__lte=365000), max_pages=5)

    assert len(a.results) == 4 and b.results and all("2024B" in r.dataset for r in b.results)
    assert c.results and len(d.results) == 50 and len(e.results) == 50
    assert all(r.ls_number == 78 and r.entries >= 100 for r in d.results)
    assert all(360392 <= r.run_number <= 365000 for r in f.results)

    dials = Dials(creds, workspace="jetmet", base_url=srv.base_url)

    # jetmet workspace
    g = dials.ml_models_index.list_all(MLModelsIndexFilters(active=True))

    # jetmet workspace
    h = dials.ml_bad_lumis.list_all(
        MLBadLumisectionFilters(
            page_size=500,
            model_id__in=[20,19],
            dataset_id__in=[15042670],
            run_number__in=[385801,385799,385764]
        )
    )

    assert sorted(m.id for m in g.results) == [19, 20]
    assert {r.model_id for r in h.results} == {19, 20}
    assert len(h.results) == query(
        srv.db("jetmet"),
        "SELECT count(*) FROM ml_bad_lumisection WHERE model_id IN (20, 19) "
        "AND dataset_id = 15042670 AND run_number IN (385801, 385799, 385764)",
    )[0][0]


def test_mes_example(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials

    dials = Dials(creds, base_url=srv.base_url)

    mes = dials.mes.list()

    assert len(mes) == query(srv.db(), "SELECT count(*) FROM mes")[0][0]


def test_pandas_example(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials
    from cmsdials.filters import LumisectionHistogram1DFilters

    dials = Dials(creds, base_url=srv.base_url)

    data = dials.h1d.list_all(LumisectionHistogram1DFilters(me="PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2"), max_pages=5)
    frame = data.to_pandas()

    assert frame.shape == (50, len(dials.h1d.model.model_fields))


def test_progress_example(srv: DialsServer, creds: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    class Terminal(io.StringIO):  # the README's reader runs it in a terminal
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())

    from cmsdials import Dials
    from cmsdials.filters import LumisectionHistogram2DFilters

    dials = Dials(creds, base_url=srv.base_url)

    dials.h2d.list_all(LumisectionHistogram2DFilters(me__regex="PXBarrel", ls_number=78, entries__gte=100), max_pages=5)

    err = sys.stderr.getvalue()
    # The classic's "indefinite progress bar": duration and number of pages (and rows); no
    # percentage, since DIALS's pages do not say how many follow (issue 23).
    assert "Progress: 5 pages [" in err and "pages/s" in err and "%" not in err


def test_retrying_examples(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials
    from cmsdials.filters import LumisectionHistogram1DFilters

    dials = Dials(creds, base_url=srv.base_url)
    srv.faults.inject("reset", count=1)  # an unstable connection: the Retry object retries it

    data = dials.h1d.get(dataset_id=14677060, run_number=367112, ls_number=10, me_id=1, retries=Retry(total=3, backoff_factor=0.1))
    assert data.me_id == 1
    data = dials.h1d.list(retries=Retry(total=3, backoff_factor=0.1))
    assert len(data.results) == 10
    data = dials.h1d.list_all(LumisectionHistogram1DFilters(), max_pages=5, retries=Retry(total=5, backoff_factor=0.1))
    assert len(data.results) == 50

    assert [r.fault for r in api_requests(srv)][:2] == ["reset", None]


def test_resuming_examples(srv: DialsServer, creds: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from cmsdials.auth.client import AuthClient
    from cmsdials import Dials
    from cmsdials.filters import LumisectionHistogram2DFilters

    auth = AuthClient(base_url=srv.base_url)
    dials = Dials(creds, workspace="tracker", base_url=srv.base_url)
    answers = 0

    def fail_the_fifth_page(response: Any) -> None:
        nonlocal answers
        answers += 1
        if answers == 4:
            srv.faults.inject("status", status=500)

    dials.transport.http.event_hooks["response"].append(fail_the_fifth_page)

    with pytest.warns(RuntimeWarning):
        data = dials.h2d.list_all(LumisectionHistogram2DFilters(me__regex="PXBarrel", ls_number=78, entries__gte=100), keep_failed=True)  # Code may broke inside this routine
    print(len(data.results))  # 100
    print(data.exc_type)
    print(data.exc_formatted)

    # After failing, run this again
    data = dials.h2d.list_all(LumisectionHistogram2DFilters(me__regex="PXBarrel", ls_number=78, entries__gte=100), keep_failed=True, resume_from=data)  # Resume from failed object
    print(len(data.results))  # 200

    out = capsys.readouterr().out.splitlines()
    everything = [
        r for r in srv.db().execute("SELECT me, entries FROM th2 WHERE ls_number = 78")
        if "PXBarrel" in r["me"] and r["entries"] >= 100
    ]
    assert len(everything) > 40
    assert out[0] == "40" and out[1] == "ServerError" and "500 Server Error" in "\n".join(out)
    assert out[-1] == str(len(everything))

    data = dials.h2d.list_all(LumisectionHistogram2DFilters(me__regex="PXBarrel", ls_number=78, entries__gte=100), max_pages=10, keep_failed=True)  # Code may not break, however will fetch only 100 elements
    print(len(data.results))  # 100

    # After fetching first 100, fetch next 100
    with pytest.warns(RuntimeWarning, match="nothing left to fetch"):  # all fit in 10 pages
        data = dials.h2d.list_all(LumisectionHistogram2DFilters(me__regex="PXBarrel", ls_number=78, entries__gte=100), max_pages=10, keep_failed=True, resume_from=data)  # Resume from partial object
    print(len(data.results))  # 200

    assert capsys.readouterr().out.split() == [str(len(everything))] * 2
    auth.close()


def test_cert_and_golden_json_examples(srv: DialsServer, creds: Any) -> None:
    from cmsdials import Dials

    dials = Dials(creds, workspace="jetmet", base_url=srv.base_url)

    cert = dials.ml_bad_lumis.cert_json(
        model_id__in=[20,19],
        dataset_id__in=[15042670],
        run_number__in=[385801,385799,385764]
    )

    golden = dials.ml_bad_lumis.golden_json(
        model_id__in=[20,19],
        dataset_id__in=[15042670],
        run_number__in=[385801,385799,385764]
    )

    assert set(cert) == set(golden) == {"385801", "385799", "385764"}
    assert isinstance(cert, dict) and isinstance(golden["385764"], list)


def test_local_dials_example(
    srv: DialsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cmsdials.auth.bearer import Credentials as Bearer
    from cmsdials.auth.models import Token

    monkeypatch.chdir(tmp_path)
    # a previous login cached a token of the local DIALS in .cache-dev
    answer = srv.issue_token(expires_in=3600, refresh_expires_in=7200)
    now = datetime.now()
    fields = ("access_token", "expires_in", "refresh_expires_in", "refresh_token", "token_type")
    token = Token(
        **{k: answer[k] for k in fields},
        expires_at=now + timedelta(seconds=3600),
        refresh_expires_at=now + timedelta(seconds=7200),
    )

    from cmsdials.auth.client import AuthClient
    from cmsdials.auth.bearer import Credentials
    from cmsdials import Dials
    from cmsdials.filters import LumisectionHistogram2DFilters

    DEV_URL = srv.base_url
    DEV_CACHE_DIR = ".cache-dev"

    auth = AuthClient(base_url=DEV_URL)
    Bearer.from_authclient_token(token, cache_dir=DEV_CACHE_DIR, client=auth)
    creds = Credentials.from_creds_file(cache_dir=DEV_CACHE_DIR, client=auth)  # Make sure to specify the auth client with overwritten values, using another cache_dir is recommended
    dials = Dials(creds, base_url=DEV_URL)

    data = dials.h2d.list_all(LumisectionHistogram2DFilters(me__regex="EEOT digi occupancy EE +", entries__gte=100, run_number__gte=360392, run_number__lte=365000), max_pages=5)

    assert data.results and all(
        r.me.startswith("EcalEndcap/EEOccupancyTask/EEOT digi occupancy EE") for r in data.results
    )
    assert all(r.headers["Authorization"].startswith("Bearer ") for r in api_requests(srv))
    assert (tmp_path / DEV_CACHE_DIR / "creds").is_file()
    auth.close()
