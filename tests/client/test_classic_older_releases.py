"""Calls and errors of older classic releases: requests' HTTPError, mes.list_all (1.5)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from cmsdials import Dials
from cmsdials.exceptions import DialsError, DialsHTTPError, NotFoundError
from cmsdials.filters import MEFilters
from cmsdials.models import MonitoringElement
from cmsdials.testing import DialsServer


def test_http_errors_are_requests_http_errors(dials: Dials, srv: DialsServer) -> None:
    with pytest.raises(requests.exceptions.HTTPError) as caught:
        dials.h1d.get(dataset_id=1, run_number=1, ls_number=1, me_id=1)
    err = caught.value
    assert isinstance(err, NotFoundError) and isinstance(err, DialsError)
    assert isinstance(err, requests.RequestException)
    assert str(err).startswith("404 Client Error: Not Found for url: ")
    # What requests users read off the error; the request (its credential headers) is absent.
    assert err.response.status_code == 404
    assert err.response.url == err.url
    assert err.response.json() == err.data
    assert err.request is None
    assert srv.secret not in repr(err.response.__dict__)

    srv.faults.inject("status", status=403, count=1)
    with pytest.raises(requests.HTTPError, match="403 Client Error"):
        dials.run.list()


def test_without_requests_the_errors_are_dials_errors_only() -> None:
    code = (
        "import sys; sys.modules['requests'] = None\n"
        "from cmsdials.exceptions import DialsHTTPError, DialsError\n"
        "assert DialsHTTPError.__mro__[1:] == (DialsError, Exception, BaseException, object)\n"
        "e = DialsHTTPError(status_code=500, method='GET', url='http://x/', body='')\n"
        "assert not hasattr(e, 'response'), e.response\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_mes_list_all_is_the_whole_list_as_in_classic_1_5(dials: Dials) -> None:
    every = dials.mes.list_all()
    assert isinstance(every, list) and every
    assert all(isinstance(me, MonitoringElement) for me in every)
    assert every == dials.mes.list()
    pixel = dials.mes.list_all(MEFilters(me__regex="PXBarrel"))
    assert pixel and all("PXBarrel" in me.me for me in pixel)
    assert len(pixel) < len(every)
    with pytest.raises(ValueError, match="max_pages"):
        dials.mes.list_all(max_pages=-1)


def test_every_row_group_has_get_list_list_all(dials: Dials) -> None:
    from cmsdials.groups import GROUPS

    for g in GROUPS:
        client = getattr(dials, g.attribute)
        for method in ("get", "list", "list_all", "iter_items"):
            assert callable(getattr(client, method)), (g.attribute, method)
    assert issubclass(DialsHTTPError, requests.HTTPError)
