"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_dataset_index": {
        "method": "GET",
        "path": "/api/v1/dataset-index/",
        "path_params": (),
        "query_params": (
            ("next_token", "next_token", "str", False),
            ("page_size", "page_size", "int", False),
            ("fields", "fields", "list[str]", False),
            ("dataset", "dataset", "str", False),
            ("dataset__regex", "dataset_regex", "str", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "PaginatedDatasetIndexList",
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
                            "model": "DatasetIndex",
                            "fields": (
                                ("dataset_id", "int", True, None),
                                ("dataset", "str", True, None),
                                ("era", "str", True, None),
                                ("data_tier", "str", True, None),
                                ("primary_ds_name", "str", True, None),
                                ("processed_ds_name", "str", True, None),
                                ("processing_version", "int", True, None),
                                ("last_modification_date", "datetime", True, None),
                            ),
                        }
                    },
                ),
            ),
        },
        "security": True,
        "deprecated": False,
    },
    "retrieve_dataset_index": {
        "method": "GET",
        "path": "/api/v1/dataset-index/{dataset_id}/",
        "path_params": (("dataset_id", "dataset_id", "int", True),),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "DatasetIndex",
            "fields": (
                ("dataset_id", "int", True, None),
                ("dataset", "str", True, None),
                ("era", "str", True, None),
                ("data_tier", "str", True, None),
                ("primary_ds_name", "str", True, None),
                ("processed_ds_name", "str", True, None),
                ("processing_version", "int", True, None),
                ("last_modification_date", "datetime", True, None),
            ),
        },
        "security": True,
        "deprecated": False,
    },
}


class PaginatedDatasetIndexListRow:
    """The fields of a ``PaginatedDatasetIndexList`` as DIALS sends them (annotations only)."""

    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class DatasetIndexRow:
    """The fields of a ``DatasetIndex`` as DIALS sends them (annotations only)."""

    dataset_id: int
    dataset: str
    era: str
    data_tier: str
    primary_ds_name: str
    processed_ds_name: str
    processing_version: int
    last_modification_date: datetime.datetime


#: The filters of ``GET /api/v1/dataset-index/`` (wire names; ``None`` means not set).
class DatasetIndexFilters(TypedDict, total=False):
    next_token: str | None
    page_size: int | None
    fields: Sequence[str] | None
    dataset: str | None
    dataset__regex: str | None


_DatasetIndexRow_co = TypeVar("_DatasetIndexRow_co", covariant=True)
_DatasetIndexRetries_contra = TypeVar("_DatasetIndexRetries_contra", contravariant=True)


class DatasetIndexGet(Protocol[_DatasetIndexRow_co, _DatasetIndexRetries_contra]):
    """The signature of ``get()`` for ``GET /api/v1/dataset-index/{dataset_id}/``: its path parameters."""

    def __call__(
        self,
        dataset_id: int,
        *,
        retries: _DatasetIndexRetries_contra | None = ...,
        timeout: float | None = ...,
    ) -> _DatasetIndexRow_co: ...
