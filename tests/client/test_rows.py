"""Rows behave like the classic's pydantic rows for the code users wrote against them.

Every row here comes from the local DIALS over HTTP; the idioms are the ones of
downstream code (DQMExplore's ``pd.DataFrame([x.__dict__ for x in data.results])``)
and of pydantic's API that the classic's rows had.
"""

from __future__ import annotations

import copy
import datetime
import json
import pickle

import pandas as pd
import pytest

from cmsdials import Dials
from cmsdials.filters import (
    FileIndexFilters,
    LumisectionFilters,
    LumisectionHistogram1DFilters,
    LumisectionHistogram2DFilters,
    RunFilters,
)
from cmsdials.models import LumisectionHistogram1D, Run
from cmsdials.testing import DialsServer


def test_dict_idioms_of_downstream_code(dials: Dials) -> None:
    data = dials.h1d.list_all(LumisectionHistogram1DFilters(page_size=5), max_pages=2)
    assert len(data.results) == 10
    # DQMExplore, unchanged:
    frame = pd.DataFrame([x.__dict__ for x in data.results])
    assert list(frame.columns) == list(LumisectionHistogram1D.model_fields)
    assert len(frame) == 10
    first = data.results[0]
    assert vars(first) is first.__dict__
    assert first.__dict__ == first.model_dump() == first.dict()
    assert {**first.__dict__}["me"] == first.me
    assert isinstance(first.data, list) and len(first.data) == first.x_bin


def test_model_dump_options(dials: Dials) -> None:
    row = dials.file_index.list(FileIndexFilters(page_size=1)).results[0]
    assert isinstance(row.creation_date, datetime.datetime)
    assert row.creation_date.tzinfo is datetime.timezone.utc  # not dateutil's tzutc()

    python = row.model_dump()
    assert python["creation_date"] == row.creation_date
    as_json = row.model_dump(mode="json")
    assert isinstance(as_json["creation_date"], str) and as_json["creation_date"].endswith("Z")
    assert datetime.datetime.fromisoformat(as_json["creation_date"].replace("Z", "+00:00")) == (
        row.creation_date
    )
    assert json.loads(row.model_dump_json()) == as_json
    assert json.loads(row.model_dump_json(indent=2)) == as_json
    assert "\n" in row.model_dump_json(indent=2)

    assert list(row.model_dump(include={"file_size", "dataset_id"})) == [
        "dataset_id",
        "file_size",
    ]  # the schema's order, not the set's
    assert "creation_date" not in row.model_dump(exclude=["creation_date"])
    assert list(row.model_dump(include={"file_id": True})) == ["file_id"]
    assert row.model_dump(exclude_none=True) == {k: v for k, v in python.items() if v is not None}
    assert row.dict(exclude={"creation_date"}) == row.model_dump(exclude={"creation_date"})


def test_model_dump_rejects_unknown_names(dials: Dials) -> None:
    row = dials.h1d.list(LumisectionHistogram1DFilters(page_size=1)).results[0]
    with pytest.raises(ValueError, match=r"no field 'run_numbr'; did you mean 'run_number'"):
        row.model_dump(include={"run_numbr"})
    with pytest.raises(ValueError, match=r"model_dump\(exclude=\.\.\.\): no field 'nope'"):
        row.model_dump(exclude=["nope"])
    with pytest.raises(TypeError, match="set, list or dict of field names"):
        row.model_dump(include="run_number")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'python' or 'json'"):
        row.model_dump(mode="yaml")


def test_missing_optional_field_is_none_not_unset(dials: Dials, srv: DialsServer) -> None:
    srv.tweak_rows(route=r"/th1/", drop=["me"])
    row = dials.h1d.list(LumisectionHistogram1DFilters(page_size=1)).results[0]
    assert row.me is None
    assert "me" not in row.__dict__
    assert row.model_dump()["me"] is None
    assert "me" not in row.model_dump(exclude_none=True)
    assert "Unset" not in repr(row) and "Unset" not in repr(row.model_dump())


def test_model_fields_is_a_mapping_of_the_spec_fields() -> None:
    fields = LumisectionHistogram1D.model_fields
    assert list(fields)[:2] == ["dataset", "me"]
    assert "x_bin" in fields and fields.keys() >= {"data", "entries"}
    assert fields["data"].shape.kind == "list[float]"
    assert fields["run_number"].required is True


def test_equality_pickle_and_copy(dials: Dials) -> None:
    rows = dials.h2d.list(LumisectionHistogram2DFilters(page_size=2)).results
    first, second = rows
    again = dials.h2d.get(
        dataset_id=first.dataset_id,
        run_number=first.run_number,
        ls_number=first.ls_number,
        me_id=first.me_id,
    )
    assert again == first and again is not first
    assert first != second
    assert first != first.model_dump()  # a row is not equal to a dict, as in pydantic

    restored = pickle.loads(pickle.dumps(first))
    assert restored == first and type(restored) is type(first)
    assert restored.__dict__ == first.__dict__

    shallow = copy.copy(first)
    assert shallow == first and shallow.data is first.data
    deep = copy.deepcopy(first)
    assert deep == first and deep.data is not first.data
    deep.data[0][0] += 1
    assert deep != first

    changed = first.model_copy(update={"entries": -1})
    assert changed.entries == -1 and first.entries != -1
    assert changed.model_copy() == changed


def test_repr_summarises_histogram_data(dials: Dials, srv: DialsServer) -> None:
    one = dials.h1d.list(LumisectionHistogram1DFilters(page_size=1)).results[0]
    text = repr(one)
    assert text.startswith("LumisectionHistogram1D(dataset=")
    for name in ("me_id", "run_number", "ls_number", "x_bin", "entries", "data"):
        assert f"{name}=" in text
    total = sum(one.data)
    assert f"data=<{len(one.data)} values, sum={float(f'{total:.6g}')}>" in text
    assert len(text) < 600

    two = dials.h2d.list(LumisectionHistogram2DFilters(page_size=1)).results[0]
    rows, cols = len(two.data), len(two.data[0])
    assert f"data=<{rows}x{cols} values, sum=" in repr(two)
    assert len(repr(two)) < 600

    srv.tweak_rows(route=r"/run/", drop=["id"])  # as DIALS v1.12's run rows
    run = dials.run.list(RunFilters(page_size=1)).results[0]
    assert repr(run).startswith("Run(dataset=")  # `id`, not sent, is not shown


def test_rows_fields_request_gives_plain_dicts(dials: Dials) -> None:
    page = dials.run.list(RunFilters(page_size=3, fields=["run_number"]))
    assert page.results and all(set(r) == {"run_number"} for r in page.results)
    assert list(page.to_pandas().columns) == ["run_number"]


def test_run_row_types(dials: Dials) -> None:
    run: Run = dials.run.list(RunFilters(page_size=1)).results[0]
    assert isinstance(run.run_number, int)


# -- to_pandas -------------------------------------------------------------------


def test_to_pandas_columns_and_dtypes(dials: Dials) -> None:
    frame = dials.h1d.list(LumisectionHistogram1DFilters(page_size=4)).to_pandas()
    # The classic's order (dataset and me first), which is DIALS's schema order.
    assert list(frame.columns) == [
        "dataset", "me", "dataset_id", "file_id", "run_number", "ls_number", "me_id",
        "x_min", "x_max", "x_bin", "entries", "data",
    ]  # fmt: skip
    assert frame["x_min"].dtype == "float64" and frame["entries"].dtype == "int64"
    # Documented difference: bin counts are int64 (DIALS sends integers; the classic's
    # model made them floats), so np.linspace(x_min, x_max, x_bin) works as is.
    assert frame["x_bin"].dtype == "int64"
    assert isinstance(frame["data"][0], list)

    files = dials.file_index.list(FileIndexFilters(page_size=3)).to_pandas()
    for column in ("creation_date", "last_modification_date"):
        dtype = files[column].dtype
        assert isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC", dtype


def test_to_pandas_has_no_column_for_a_field_never_sent(dials: Dials, srv: DialsServer) -> None:
    srv.tweak_rows(route=r"/lumisection/", drop=["id"])  # optional in the spec, not sent
    frame = dials.lumi.list(LumisectionFilters(page_size=3)).to_pandas()
    assert "id" not in frame.columns
    assert list(frame.columns)[:2] == ["dataset", "dataset_id"]
    # A required field the server left out keeps its (all-None) column: the spec promises it.
    srv.tweak_rows(route=r"/lumisection/", drop=["th1_count"])
    frame = dials.lumi.list(LumisectionFilters(page_size=3)).to_pandas()
    assert frame["th1_count"].isna().all()
    empty = dials.lumi.list(LumisectionFilters(run_number=1)).to_pandas()
    assert empty.empty and list(empty.columns) == list(dials.lumi.model.model_fields)


def test_plain_json_answers_are_not_pages(jetmet: Dials) -> None:
    dials = jetmet
    model = dials.ml_models_index.list().results[0]
    answer = dials.ml_bad_lumis.cert_json(
        model_id__in=[model.id], dataset_id__in=[1], run_number__in=[1]
    )
    assert isinstance(answer, dict)
    for method in ("to_pandas", "to_numpy"):
        with pytest.raises(TypeError, match=r"cert_json\(\) returns plain JSON"):
            getattr(answer, method)()
    golden = dials.ml_bad_lumis.golden_json(
        model_id__in=[model.id], dataset_id__in=[1], run_number__in=[1]
    )
    with pytest.raises(TypeError, match=r"golden_json\(\) returns plain JSON"):
        golden.to_pandas()
    assert json.loads(json.dumps(golden)) == golden
