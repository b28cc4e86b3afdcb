"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_lumisection": {
        "method": "GET",
        "path": "/api/v1/lumisection/",
        "path_params": (),
        "query_params": (
            ("next_token", "next_token", "str", False),
            ("page_size", "page_size", "int", False),
            ("fields", "fields", "list[str]", False),
            ("dataset_id", "dataset_id", "int", False),
            ("run_number", "run_number", "int", False),
            ("run_number__lte", "run_number_lte", "int", False),
            ("run_number__gte", "run_number_gte", "int", False),
            ("ls_number", "ls_number", "int", False),
            ("ls_number__lte", "ls_number_lte", "int", False),
            ("ls_number__gte", "ls_number_gte", "int", False),
            ("dataset", "dataset", "str", False),
            ("dataset__regex", "dataset_regex", "str", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "PaginatedLumisectionList",
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
                            "model": "Lumisection",
                            "fields": (
                                ("id", "int", False, None),
                                ("dataset", "str", False, None),
                                ("dataset_id", "int", True, None),
                                ("run_number", "int", True, None),
                                ("ls_number", "int", True, None),
                                ("th1_count", "int", True, None),
                                ("th2_count", "int", True, None),
                            ),
                        }
                    },
                ),
            ),
        },
        "security": True,
        "deprecated": False,
    },
    "count_lumisection": {
        "method": "GET",
        "path": "/api/v1/lumisection/count/",
        "path_params": (),
        "query_params": (
            ("dataset_id", "dataset_id", "int", False),
            ("run_number", "run_number", "int", False),
            ("run_number__lte", "run_number_lte", "int", False),
            ("run_number__gte", "run_number_gte", "int", False),
            ("dataset", "dataset", "str", False),
            ("dataset__regex", "dataset_regex", "str", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {"model": "Count", "fields": (("count", "int", True, None),)},
        "security": True,
        "deprecated": False,
    },
    "retrieve_lumisection": {
        "method": "GET",
        "path": "/api/v1/lumisection/{dataset_id}/{run_number}/{ls_number}/",
        "path_params": (
            ("dataset_id", "dataset_id", "int", True),
            ("run_number", "run_number", "int", True),
            ("ls_number", "ls_number", "int", True),
        ),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "Lumisection",
            "fields": (
                ("id", "int", False, None),
                ("dataset", "str", False, None),
                ("dataset_id", "int", True, None),
                ("run_number", "int", True, None),
                ("ls_number", "int", True, None),
                ("th1_count", "int", True, None),
                ("th2_count", "int", True, None),
            ),
        },
        "security": True,
        "deprecated": False,
    },
}


class PaginatedLumisectionListRow:
    """The fields of a ``PaginatedLumisectionList`` as DIALS sends them (annotations only)."""

    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class LumisectionRow:
    """The fields of a ``Lumisection`` as DIALS sends them (annotations only)."""

    id: int | None
    dataset: str | None
    dataset_id: int
    run_number: int
    ls_number: int
    th1_count: int
    th2_count: int


class CountRow:
    """The fields of a ``Count`` as DIALS sends them (annotations only)."""

    count: int


#: The filters of ``GET /api/v1/lumisection/`` (wire names; ``None`` means not set).
class LumisectionFilters(TypedDict, total=False):
    next_token: str | None
    page_size: int | None
    fields: Sequence[str] | None
    dataset_id: int | None
    run_number: int | None
    run_number__lte: int | None
    run_number__gte: int | None
    ls_number: int | None
    ls_number__lte: int | None
    ls_number__gte: int | None
    dataset: str | None
    dataset__regex: str | None


_LumisectionRow_co = TypeVar("_LumisectionRow_co", covariant=True)
_LumisectionRetries_contra = TypeVar("_LumisectionRetries_contra", contravariant=True)


class LumisectionGet(Protocol[_LumisectionRow_co, _LumisectionRetries_contra]):
    """The signature of ``get()`` for ``GET /api/v1/lumisection/{dataset_id}/{run_number}/{ls_number}/``: its path parameters."""

    def __call__(
        self,
        dataset_id: int,
        run_number: int,
        ls_number: int,
        *,
        retries: _LumisectionRetries_contra | None = ...,
        timeout: float | None = ...,
    ) -> _LumisectionRow_co: ...
