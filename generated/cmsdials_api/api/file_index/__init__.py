"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_file_index": {
        "method": "GET",
        "path": "/api/v1/file-index/",
        "path_params": (),
        "query_params": (
            ("next_token", "next_token", "str", False),
            ("page_size", "page_size", "int", False),
            ("fields", "fields", "list[str]", False),
            ("dataset_id", "dataset_id", "int", False),
            ("logical_file_name", "logical_file_name", "str", False),
            ("logical_file_name__regex", "logical_file_name_regex", "str", False),
            ("status", "status", "str", False),
            ("min_size", "min_size", "int", False),
            ("dataset", "dataset", "str", False),
            ("dataset__regex", "dataset_regex", "str", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "PaginatedFileIndexList",
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
                            "model": "FileIndex",
                            "fields": (
                                ("file_id", "int", True, None),
                                ("dataset", "str", False, None),
                                ("dataset_id", "int", True, None),
                                ("file_size", "int", True, None),
                                ("creation_date", "datetime", True, None),
                                ("last_modification_date", "datetime", True, None),
                                ("logical_file_name", "str", True, None),
                                ("status", "str", True, None),
                                (
                                    "err_trace",
                                    "union[str, none]",
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
    "count_file_index": {
        "method": "GET",
        "path": "/api/v1/file-index/count/",
        "path_params": (),
        "query_params": (
            ("logical_file_name", "logical_file_name", "str", False),
            ("logical_file_name__regex", "logical_file_name_regex", "str", False),
            ("status", "status", "str", False),
            ("min_size", "min_size", "int", False),
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
    "retrieve_file_index": {
        "method": "GET",
        "path": "/api/v1/file-index/{dataset_id}/{file_id}/",
        "path_params": (
            ("dataset_id", "dataset_id", "int", True),
            ("file_id", "file_id", "int", True),
        ),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "FileIndex",
            "fields": (
                ("file_id", "int", True, None),
                ("dataset", "str", False, None),
                ("dataset_id", "int", True, None),
                ("file_size", "int", True, None),
                ("creation_date", "datetime", True, None),
                ("last_modification_date", "datetime", True, None),
                ("logical_file_name", "str", True, None),
                ("status", "str", True, None),
                (
                    "err_trace",
                    "union[str, none]",
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


class PaginatedFileIndexListRow:
    """The fields of a ``PaginatedFileIndexList`` as DIALS sends them (annotations only)."""

    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class FileIndexRow:
    """The fields of a ``FileIndex`` as DIALS sends them (annotations only)."""

    file_id: int
    dataset: str | None
    dataset_id: int
    file_size: int
    creation_date: datetime.datetime
    last_modification_date: datetime.datetime
    logical_file_name: str
    status: str
    err_trace: str | None


class CountRow:
    """The fields of a ``Count`` as DIALS sends them (annotations only)."""

    count: int


#: The filters of ``GET /api/v1/file-index/`` (wire names; ``None`` means not set).
class FileIndexFilters(TypedDict, total=False):
    next_token: str | None
    page_size: int | None
    fields: Sequence[str] | None
    dataset_id: int | None
    logical_file_name: str | None
    logical_file_name__regex: str | None
    status: str | None
    min_size: int | None
    dataset: str | None
    dataset__regex: str | None


_FileIndexRow_co = TypeVar("_FileIndexRow_co", covariant=True)
_FileIndexRetries_contra = TypeVar("_FileIndexRetries_contra", contravariant=True)


class FileIndexGet(Protocol[_FileIndexRow_co, _FileIndexRetries_contra]):
    """The signature of ``get()`` for ``GET /api/v1/file-index/{dataset_id}/{file_id}/``: its path parameters."""

    def __call__(
        self,
        dataset_id: int,
        file_id: int,
        *,
        retries: _FileIndexRetries_contra | None = ...,
        timeout: float | None = ...,
    ) -> _FileIndexRow_co: ...
