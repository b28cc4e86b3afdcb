"""``dials.api``: the generated client (``cmsdials_api``) put to use over the ``Dials``'s transport.

Generated operations called with ``client=dials.api`` against the local DIALS, with an
application's client credentials from its Keycloak realm: the same pooled connection,
the token (renewed when DIALS refuses it), the ``Workspace`` header, retries, and the
generated client's own way of reporting statuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus

import pytest

from cmsdials import Dials
from cmsdials.auth.client import AuthClient
from cmsdials.auth.client_credentials import Credentials
from cmsdials.exceptions import DialsConnectionError, DialsHTTPError
from cmsdials.filters import RunFilters
from cmsdials.testing import DialsServer
from cmsdials_api import AuthenticatedClient
from cmsdials_api.api.run import list_run, retrieve_run
from cmsdials_api.api.th1 import list_th1
from cmsdials_api.models import PaginatedRunList, Run


@pytest.fixture
def app_dials(srv: DialsServer) -> Iterator[Dials]:
    """A Dials with the realm's application credentials, in the jetmet workspace."""
    auth = AuthClient(keycloak_url=srv.keycloak_url)
    creds = Credentials(srv.client_id, srv.client_secret, auth)
    with Dials(creds, workspace="jetmet", base_url=srv.base_url) as dials:
        yield dials
    auth.close()


def test_two_generated_operations_through_dials_api(srv: DialsServer, app_dials: Dials) -> None:
    first = app_dials.run.list(RunFilters(page_size=5)).results
    low = min(r.run_number for r in first)
    assert isinstance(app_dials.api, AuthenticatedClient)
    assert app_dials.api is app_dials.api  # one client per Dials

    answer = list_run.sync_detailed(client=app_dials.api, run_number_gte=low, page_size=3)
    assert answer.status_code == HTTPStatus.OK
    assert isinstance(answer.parsed, PaginatedRunList)
    ours = app_dials.run.list(RunFilters(run_number__gte=low, page_size=3)).results
    assert [r.run_number for r in answer.parsed.results] == [r.run_number for r in ours]
    assert all(r.run_number >= low for r in answer.parsed.results)

    row = answer.parsed.results[0]
    one = retrieve_run.sync(
        client=app_dials.api, dataset_id=row.dataset_id, run_number=row.run_number
    )
    assert isinstance(one, Run) and one.run_number == row.run_number

    # What reached DIALS: the bearer token from Keycloak, the workspace, one connection pool.
    sent = [r for r in srv.requests if r.path.startswith("/api/v1/run/")]
    assert len(sent) == 4
    for request in sent:
        assert request.headers["authorization"].startswith("Bearer ")
        assert request.headers["workspace"] == "jetmet"
        assert request.headers["user-agent"].startswith("cmsdials/")


def test_the_generated_way_of_reporting_statuses(srv: DialsServer, app_dials: Dials) -> None:
    missing = retrieve_run.sync_detailed(client=app_dials.api, dataset_id=1, run_number=1)
    assert missing.status_code == HTTPStatus.NOT_FOUND and missing.parsed is None
    assert b"detail" in missing.content
    # A status the generated code cannot name (HTTPStatus(499) raises) is our typed error.
    srv.faults.inject("status", status=499, route="/api/v1/run/")
    with pytest.raises(DialsHTTPError) as caught:
        list_run.sync_detailed(client=app_dials.api)
    assert caught.value.status_code == 499


def test_retries_renewal_and_workspace_are_shared(
    srv: DialsServer, app_dials: Dials, no_sleep: list[float]
) -> None:
    # no_sleep patches Transport.__init__: a Dials built now records its waits.
    auth = AuthClient(keycloak_url=srv.keycloak_url)
    creds = Credentials(srv.client_id, srv.client_secret, auth)
    with Dials(creds, workspace="jetmet", base_url=srv.base_url) as dials:  # default retries
        srv.faults.inject("status", status=503, count=2, route="/api/v1/th1/")
        answer = list_th1.sync_detailed(client=dials.api, page_size=2)
        assert answer.status_code == HTTPStatus.OK and len(no_sleep) == 2
        srv.faults.inject("status", status=503, count=5, route="/api/v1/th1/")
        given_up = list_th1.sync_detailed(client=dials.api, page_size=2)
        assert given_up.status_code == HTTPStatus.SERVICE_UNAVAILABLE  # after 4 retries
        assert len(no_sleep) == 2 + 4
        srv.faults.inject("expire_token", route="/api/v1/th1/")
        renewed = list_th1.sync_detailed(client=dials.api, page_size=2)
        assert renewed.status_code == HTTPStatus.OK
        # An explicit workspace= of the generated function wins over the Dials's.
        srv.clear_requests()
        list_th1.sync_detailed(client=dials.api, page_size=1, workspace="tracker")
        assert srv.requests[-1].headers["workspace"] == "tracker"
    auth.close()


def test_closing_the_low_level_client_leaves_the_dials_open(app_dials: Dials) -> None:
    with app_dials.api as api:
        assert list_run.sync_detailed(client=api, page_size=1).status_code == HTTPStatus.OK
    app_dials.api.get_httpx_client().close()
    assert app_dials.run.count() > 0
    assert list_run.sync_detailed(client=app_dials.api, page_size=1).status_code == HTTPStatus.OK


def test_no_answer_is_a_cmsdials_error() -> None:
    # Port 9 (discard) is closed on loopback: the connection is refused.
    with Dials(None, base_url="http://127.0.0.1:9/", retries=0) as dials:
        with pytest.raises(DialsConnectionError, match=r"127\.0\.0\.1:9/"):
            list_run.sync_detailed(client=dials.api)
