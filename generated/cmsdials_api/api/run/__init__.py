"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_run": {
        "method": "GET",
        "path": "/api/v1/run/",
        "path_params": (),
        "query_params": (
            ("next_token", "next_token", "str", False),
            ("page_size", "page_size", "int", False),
            ("fields", "fields", "list[str]", False),
            ("dataset_id", "dataset_id", "int", False),
            ("dataset_id__in", "dataset_id_in", "list[int]", False),
            ("run_number", "run_number", "int", False),
            ("run_number__lte", "run_number_lte", "int", False),
            ("run_number__gte", "run_number_gte", "int", False),
            ("dataset", "dataset", "str", False),
            ("dataset__regex", "dataset_regex", "str", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "PaginatedRunList",
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
                            "model": "Run",
                            "fields": (
                                ("id", "int", False, None),
                                ("dataset", "str", False, None),
                                ("dataset_id", "int", True, None),
                                ("run_number", "int", True, None),
                                ("ls_count", "int", True, None),
                                (
                                    "ls_completeness",
                                    "union[float, none]",
                                    True,
                                    {
                                        "union": (
                                            None,
                                            None,
                                        )
                                    },
                                ),
                            ),
                        }
                    },
                ),
            ),
        },
        "security": True,
        "deprecated": False,
    },
    "count_run": {
        "method": "GET",
        "path": "/api/v1/run/count/",
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
    "retrieve_run": {
        "method": "GET",
        "path": "/api/v1/run/{dataset_id}/{run_number}/",
        "path_params": (
            ("dataset_id", "dataset_id", "int", True),
            ("run_number", "run_number", "int", True),
        ),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "Run",
            "fields": (
                ("id", "int", False, None),
                ("dataset", "str", False, None),
                ("dataset_id", "int", True, None),
                ("run_number", "int", True, None),
                ("ls_count", "int", True, None),
                (
                    "ls_completeness",
                    "union[float, none]",
                    True,
                    {
                        "union": (
                            None,
                            None,
                        )
                    },
                ),
            ),
        },
        "security": True,
        "deprecated": False,
    },
}


class PaginatedRunListRow:
    """The fields of a ``PaginatedRunList`` as DIALS sends them (annotations only)."""

    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class RunRow:
    """The fields of a ``Run`` as DIALS sends them (annotations only)."""

    id: int | None
    dataset: str | None
    dataset_id: int
    run_number: int
    ls_count: int
    ls_completeness: float | None


class CountRow:
    """The fields of a ``Count`` as DIALS sends them (annotations only)."""

    count: int


#: The filters of ``GET /api/v1/run/`` (wire names; ``None`` means not set).
class RunFilters(TypedDict, total=False):
    next_token: str | None
    page_size: int | None
    fields: Sequence[str] | None
    dataset_id: int | None
    dataset_id__in: Sequence[int] | None
    run_number: int | None
    run_number__lte: int | None
    run_number__gte: int | None
    dataset: str | None
    dataset__regex: str | None


_RunRow_co = TypeVar("_RunRow_co", covariant=True)
_RunRetries_contra = TypeVar("_RunRetries_contra", contravariant=True)


class RunGet(Protocol[_RunRow_co, _RunRetries_contra]):
    """The signature of ``get()`` for ``GET /api/v1/run/{dataset_id}/{run_number}/``: its path parameters."""

    def __call__(
        self,
        dataset_id: int,
        run_number: int,
        *,
        retries: _RunRetries_contra | None = ...,
        timeout: float | None = ...,
    ) -> _RunRow_co: ...
