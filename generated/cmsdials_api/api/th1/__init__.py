"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_th1": {
        "method": "GET",
        "path": "/api/v1/th1/",
        "path_params": (),
        "query_params": (
            ("next_token", "next_token", "str", False),
            ("page_size", "page_size", "int", False),
            ("fields", "fields", "list[str]", False),
            ("dataset_id", "dataset_id", "int", False),
            ("file_id", "file_id", "int", False),
            ("run_number", "run_number", "int", False),
            ("run_number__lte", "run_number_lte", "int", False),
            ("run_number__gte", "run_number_gte", "int", False),
            ("ls_number", "ls_number", "int", False),
            ("ls_number__lte", "ls_number_lte", "int", False),
            ("ls_number__gte", "ls_number_gte", "int", False),
            ("me_id", "me_id", "int", False),
            ("entries__gte", "entries_gte", "int", False),
            ("dataset", "dataset", "str", False),
            ("dataset__regex", "dataset_regex", "str", False),
            ("logical_file_name", "logical_file_name", "str", False),
            ("logical_file_name__regex", "logical_file_name_regex", "str", False),
            ("me", "me", "str", False),
            ("me__regex", "me_regex", "str", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "PaginatedTH1List",
            "fields": (
                (
                    "next",
                    "union[str, none]",
                    True,
                    {
                        "union": (
                            None,
                            None,
                        )
                    },
                ),
                (
                    "previous",
                    "union[str, none]",
                    True,
                    {
                        "union": (
                            None,
                            None,
                        )
                    },
                ),
                (
                    "results",
                    "list[object]",
                    True,
                    {
                        "list": {
                            "model": "TH1",
                            "fields": (
                                ("dataset", "str", False, None),
                                ("me", "str", False, None),
                                ("dataset_id", "int", True, None),
                                ("file_id", "int", True, None),
                                ("run_number", "int", True, None),
                                ("ls_number", "int", True, None),
                                ("me_id", "int", True, None),
                                ("x_min", "float", True, None),
                                ("x_max", "float", True, None),
                                ("x_bin", "int", True, None),
                                ("entries", "int", True, None),
                                ("data", "list[float]", True, {"list": None}),
                            ),
                        }
                    },
                ),
            ),
        },
        "security": True,
        "deprecated": False,
    },
    "retrieve_th1": {
        "method": "GET",
        "path": "/api/v1/th1/{dataset_id}/{run_number}/{ls_number}/{me_id}/",
        "path_params": (
            ("dataset_id", "dataset_id", "int", True),
            ("run_number", "run_number", "int", True),
            ("ls_number", "ls_number", "int", True),
            ("me_id", "me_id", "int", True),
        ),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "TH1",
            "fields": (
                ("dataset", "str", False, None),
                ("me", "str", False, None),
                ("dataset_id", "int", True, None),
                ("file_id", "int", True, None),
                ("run_number", "int", True, None),
                ("ls_number", "int", True, None),
                ("me_id", "int", True, None),
                ("x_min", "float", True, None),
                ("x_max", "float", True, None),
                ("x_bin", "int", True, None),
                ("entries", "int", True, None),
                ("data", "list[float]", True, {"list": None}),
            ),
        },
        "security": True,
        "deprecated": False,
    },
}


class PaginatedTH1ListRow:
    """The fields of a ``PaginatedTH1List`` as DIALS sends them (annotations only)."""

    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class TH1Row:
    """The fields of a ``TH1`` as DIALS sends them (annotations only)."""

    dataset: str | None
    me: str | None
    dataset_id: int
    file_id: int
    run_number: int
    ls_number: int
    me_id: int
    x_min: float
    x_max: float
    x_bin: int
    entries: int
    data: list[float]


#: The filters of ``GET /api/v1/th1/`` (wire names; ``None`` means not set).
class TH1Filters(TypedDict, total=False):
    next_token: str | None
    page_size: int | None
    fields: Sequence[str] | None
    dataset_id: int | None
    file_id: int | None
    run_number: int | None
    run_number__lte: int | None
    run_number__gte: int | None
    ls_number: int | None
    ls_number__lte: int | None
    ls_number__gte: int | None
    me_id: int | None
    entries__gte: int | None
    dataset: str | None
    dataset__regex: str | None
    logical_file_name: str | None
    logical_file_name__regex: str | None
    me: str | None
    me__regex: str | None


_TH1Row_co = TypeVar("_TH1Row_co", covariant=True)
_TH1Retries_contra = TypeVar("_TH1Retries_contra", contravariant=True)


class TH1Get(Protocol[_TH1Row_co, _TH1Retries_contra]):
    """The signature of ``get()`` for ``GET /api/v1/th1/{dataset_id}/{run_number}/{ls_number}/{me_id}/``: its path parameters."""

    def __call__(
        self,
        dataset_id: int,
        run_number: int,
        ls_number: int,
        me_id: int,
        *,
        retries: _TH1Retries_contra | None = ...,
        timeout: float | None = ...,
    ) -> _TH1Row_co: ...
