"""A route that starts paging is walked whole (issue 22, 3b).

``mes.list()``, ``mes.list_all()`` and ``mes.list_by_run()`` are documented as "the
whole list": DIALS answers them in one piece today. This test regenerates the
client from a spec in which both routes answer cursor pages, serves that spec
with the local DIALS (which then pages them, 10 rows by default) and checks, in a
fresh interpreter on the regenerated tree, that every page is fetched: the rows
equal the unpaged answer of today's DIALS, with more than one request per call.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .test_regen_survival import run_user_script, scratch_tree

MES = "/api/v1/mes/"
BY_RUN = "/api/v1/mes/{dataset_id}/{run_number}/"


def paged_spec() -> dict[str, Any]:
    """The committed spec, with mes/ and mes/<dataset>/<run>/ answering cursor pages."""
    doc: dict[str, Any] = copy.deepcopy(json.loads((ROOT / "openapi.json").read_text()))
    schemas = doc["components"]["schemas"]
    cursor = next(
        p for p in doc["paths"]["/api/v1/th1/"]["get"]["parameters"] if p["name"] == "next_token"
    )
    size = next(
        p for p in doc["paths"]["/api/v1/th1/"]["get"]["parameters"] if p["name"] == "page_size"
    )
    for path, row in ((MES, "MEs"), (BY_RUN, "MinifiedMEs")):
        page = f"Paginated{row}List"
        schemas[page] = {
            "type": "object",
            "properties": {
                "next": {"type": "string", "nullable": True},
                "previous": {"type": "string", "nullable": True},
                "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{row}"}},
            },
            "required": ["next", "previous", "results"],
        }
        op = doc["paths"][path]["get"]
        op["parameters"] = [cursor, size, *op["parameters"]]
        content = op["responses"]["200"]["content"]["application/json"]
        content["schema"] = {"$ref": f"#/components/schemas/{page}"}
    return doc


SCRIPT = """
    import warnings
    import cmsdials, cmsdials.adapter
    assert cmsdials.__file__.startswith({tree!r}), cmsdials.__file__
    from cmsdials import Dials
    from cmsdials.auth.secret_key import Credentials
    from cmsdials.testing import serve

    warnings.simplefilter("ignore", DeprecationWarning)
    with serve(spec_path={spec!r}, size="small", seed=0) as srv:
        dials = Dials(Credentials(srv.secret), base_url=srv.base_url)
        assert cmsdials.adapter.api().at("mes/").page_rows is not None  # the spec says: a page

        def calls(path):
            return sum(r.path == path for r in srv.requests)

        srv.clear_requests()
        every = dials.mes.list_all()
        assert len(every) == {total}, len(every)
        assert calls("/api/v1/mes/") == {pages}, srv.requests
        assert [m.me_id for m in every] == sorted(m.me_id for m in every)
        assert [m.me for m in dials.mes.list()] == [m.me for m in every]
        assert len(dials.mes.list_all({{"page_size": 4}}, max_pages=2)) == 8

        run = dials.run.list().results[0]
        srv.clear_requests()
        by_run = dials.mes.list_by_run(run.dataset_id, run.run_number)
        path = f"/api/v1/mes/{{run.dataset_id}}/{{run.run_number}}/"
        assert [m.me_id for m in by_run] == {by_run}, [m.me_id for m in by_run]
        assert calls(path) == {by_run_pages}, srv.requests
    print("ok")
"""


@pytest.fixture(scope="module")
def unpaged() -> dict[str, Any]:
    """What today's DIALS (the committed spec, unpaged) answers: the expected rows."""
    import warnings

    from cmsdials import Dials
    from cmsdials.auth.secret_key import Credentials
    from cmsdials.testing import serve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with serve(size="small", seed=0) as srv:
            dials = Dials(Credentials(srv.secret), base_url=srv.base_url)
            mes = dials.mes.list_all()
            run = dials.run.list().results[0]
            by_run = [m.me_id for m in dials.mes.list_by_run(run.dataset_id, run.run_number)]
    return {"total": len(mes), "by_run": by_run}


def test_whole_lists_follow_next_when_the_route_pages(
    tmp_path: Path, unpaged: dict[str, Any]
) -> None:
    total, by_run = unpaged["total"], unpaged["by_run"]
    assert total > 10 and len(by_run) > 10  # more than one page of 10 rows each
    tree = scratch_tree(tmp_path, paged_spec(), new_group=False)
    code = SCRIPT.format(
        tree=str(tree),
        spec=str(tree / "openapi.json"),
        total=total,
        pages=-(-total // 10),
        by_run=by_run,
        by_run_pages=-(-len(by_run) // 10),
    )
    done = run_user_script(tree, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
