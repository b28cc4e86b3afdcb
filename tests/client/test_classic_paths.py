"""The classic import paths and conventions: faces, model_dump, import side effects."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import MutableMapping

import pytest

from cmsdials import Dials
from cmsdials.models import DialsModel
from cmsdials.pagination import Page
from cmsdials.testing import DialsServer

from .helpers import api_requests, spec_schema

#: group → (client class, row classes, page class, filter class), as the classic named them.
CLASSIC: dict[str, tuple[str, tuple[str, ...], str | None, str | None]] = {
    "dataset_index": (
        "DatasetIndexClient",
        ("DatasetIndex",),
        "PaginatedDatasetIndexList",
        "DatasetIndexFilters",
    ),
    "file_index": ("FileIndexClient", ("FileIndex",), "PaginatedFileIndexList", "FileIndexFilters"),
    "h1d": (
        "LumisectionHistogram1DClient",
        ("LumisectionHistogram1D",),
        "PaginatedLumisectionHistogram1DList",
        "LumisectionHistogram1DFilters",
    ),
    "h2d": (
        "LumisectionHistogram2DClient",
        ("LumisectionHistogram2D",),
        "PaginatedLumisectionHistogram2DList",
        "LumisectionHistogram2DFilters",
    ),
    "lumisection": (
        "LumisectionClient",
        ("Lumisection",),
        "PaginatedLumisectionList",
        "LumisectionFilters",
    ),
    "mes": ("MonitoringElementClient", ("MonitoringElement",), None, "MEFilters"),
    "ml_bad_lumisection": (
        "MLBadLumisectionClient",
        ("MLBadLumisection",),
        "PaginatedMLBadLumisectionList",
        "MLBadLumisectionFilters",
    ),
    "ml_models_index": (
        "MLModelsIndexClient",
        ("MLModelsIndex",),
        "PaginatedMLModelsIndexList",
        "MLModelsIndexFilters",
    ),
    "oms_proxy": ("OMSProxyClient", ("OMSFilter", "OMSPage"), None, None),
    "run": ("RunClient", ("Run",), "PaginatedRunList", "RunFilters"),
    "workspace": ("WorkspaceClient", (), None, None),
}

#: classic row name → the spec's schema behind it.
SCHEMAS = {
    "DatasetIndex": "DatasetIndex",
    "FileIndex": "FileIndex",
    "LumisectionHistogram1D": "TH1",
    "LumisectionHistogram2D": "TH2",
    "Lumisection": "Lumisection",
    "MonitoringElement": "MEs",
    "MLBadLumisection": "MLBadLumisection",
    "MLModelsIndex": "MLModelsIndex",
    "Run": "Run",
}


@pytest.mark.parametrize("group", sorted(CLASSIC))
def test_classic_import_paths(group: str) -> None:
    client_name, rows, page, filters = CLASSIC[group]
    client = importlib.import_module(f"cmsdials.clients.{group}.client")
    assert getattr(client, client_name).__name__ == client_name
    if group == "workspace":
        return
    models = importlib.import_module(f"cmsdials.clients.{group}.models")
    for name in rows:
        cls = getattr(models, name)
        if name in SCHEMAS:  # a tolerant row of the spec's schema, under its classic name
            assert issubclass(cls, DialsModel) and cls.__name__ == name
            assert cls.schema_name == SCHEMAS[name]
            assert list(cls.model_fields) == list(spec_schema(SCHEMAS[name])["properties"])
    if page is not None:
        assert getattr(models, page) is Page
    if filters is not None:
        assert getattr(models, filters) is getattr(
            importlib.import_module("cmsdials.filters"), filters
        )


def test_classic_utils_paths() -> None:
    from cmsdials.endpoints import LumisectionHistogram1DClient
    from cmsdials.filters import RunFilters
    from cmsdials.utils.api_client import BaseAPIClient, BaseAuthorizedPaginatedAPIClient
    from cmsdials.utils.base_model import PaginatedBaseFilters, PaginatedBaseModel
    from cmsdials.utils.logger import logger

    assert issubclass(LumisectionHistogram1DClient, BaseAuthorizedPaginatedAPIClient)
    assert issubclass(LumisectionHistogram1DClient, BaseAPIClient)
    assert issubclass(RunFilters, PaginatedBaseFilters) and PaginatedBaseModel is Page
    assert BaseAPIClient.PRODUCTION_BASE_URL == "https://cmsdials-api.web.cern.ch/"
    assert logger.name == "cmsdials" and not logger.handlers


def test_import_has_no_side_effects() -> None:
    code = (
        "import logging, sys\n"
        "import cmsdials, cmsdials.filters\n"
        "from cmsdials import Dials, __version__\n"
        "assert not logging.getLogger().handlers, 'root logger configured'\n"
        "assert logging.getLogger().level == logging.WARNING\n"
        "heavy = [m for m in ('pandas', 'tqdm', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "print(__version__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_rows_model_dump(dials: Dials) -> None:
    row = dials.h1d.list().results[0]
    dumped = row.model_dump()
    assert list(dumped) == list(type(row).model_fields)
    assert dumped["data"] == row.data and dumped["run_number"] == row.run_number


def test_rows_print_their_values_not_unset_placeholders(dials: Dials) -> None:
    run = dials.run.list().results[0]
    text = repr(run)
    assert text.startswith("Run(") and "Unset" not in text
    assert text.index("dataset=") < text.index("dataset_id=")  # the schema's field order
    assert ", id=" not in text  # the optional field the server did not send
    assert f"run_number={run.run_number!r}" in text and f"dataset={run.dataset!r}" in text
    assert str(run) == text
    row = dials.h1d.list().results[0]
    assert f"me={row.me!r}" in repr(row) and f"data=<{len(row.data)} values, sum=" in repr(row)


def test_positional_arguments_as_the_classic(srv: DialsServer, creds: object) -> None:
    with Dials(creds, "jetmet", srv.base_url) as dials:
        dials.run.list()
    assert api_requests(srv)[0].headers["Workspace"] == "jetmet"


class UserCredentials:
    """Credentials a user wrote for the classic client (its before_request protocol)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    def before_request(self, headers: MutableMapping[str, str]) -> None:
        headers["X-CLIENT-SECRET"] = self.secret


def test_classic_style_credentials_end_to_end(srv: DialsServer) -> None:
    with Dials(UserCredentials(srv.secret), base_url=srv.base_url) as dials:
        assert dials.run.list().results
    assert api_requests(srv)[0].headers["X-CLIENT-SECRET"] == srv.secret


def test_close_releases_the_pool(srv: DialsServer, creds: object) -> None:
    dials = Dials(creds, base_url=srv.base_url)
    dials.run.list()
    dials.close()
    assert dials.transport.http.is_closed
    with Dials(creds, base_url=srv.base_url) as again:
        assert again.mes.list()
    assert again.transport.http.is_closed


def test_mes_fields_rows_are_dicts(dials: Dials) -> None:
    from cmsdials.filters import MEFilters

    rows = dials.mes.list(MEFilters(fields=["me_id"], dim=1))
    assert rows and all(isinstance(r, dict) and set(r) == {"me_id"} for r in rows)
