"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_ml_bad_lumisection": {
        "method": "GET",
        "path": "/api/v1/ml-bad-lumisection/",
        "path_params": (),
        "query_params": (
            ("next_token", "next_token", "str", False),
            ("page_size", "page_size", "int", False),
            ("fields", "fields", "list[str]", False),
            ("model_id", "model_id", "int", False),
            ("model_id__in", "model_id_in", "list[int]", False),
            ("dataset_id", "dataset_id", "int", False),
            ("dataset_id__in", "dataset_id_in", "list[int]", False),
            ("dataset", "dataset", "str", False),
            ("dataset__regex", "dataset_regex", "str", False),
            ("me_id", "me_id", "int", False),
            ("me", "me", "str", False),
            ("me__regex", "me_regex", "str", False),
            ("run_number", "run_number", "int", False),
            ("run_number__in", "run_number_in", "list[int]", False),
            ("ls_number", "ls_number", "int", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "PaginatedMLBadLumisectionList",
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
                            "model": "MLBadLumisection",
                            "fields": (
                                ("model_id", "int", True, None),
                                ("dataset_id", "int", True, None),
                                ("run_number", "int", True, None),
                                ("ls_number", "int", True, None),
                                ("metric_value", "float", True, None),
                            ),
                        }
                    },
                ),
            ),
        },
        "security": True,
        "deprecated": False,
    },
    "cert_json_ml_bad_lumisection": {
        "method": "POST",
        "path": "/api/v1/ml-bad-lumisection/cert-json/",
        "path_params": (),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": {
            "model": "CertJsonMlBadLumisectionBody",
            "fields": (
                ("model_id__in", "list[int]", True, {"list": None}),
                ("dataset_id__in", "list[int]", True, {"list": None}),
                ("run_number__in", "list[int]", True, {"list": None}),
            ),
        },
        "body_required": True,
        "response": {"model": "MLBadLumisectionCertJson", "fields": ()},
        "security": True,
        "deprecated": False,
    },
    "golden_json_ml_bad_lumisection": {
        "method": "POST",
        "path": "/api/v1/ml-bad-lumisection/golden-json/",
        "path_params": (),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": {
            "model": "GoldenJsonMlBadLumisectionBody",
            "fields": (
                ("model_id__in", "list[int]", True, {"list": None}),
                ("dataset_id__in", "list[int]", True, {"list": None}),
                ("run_number__in", "list[int]", True, {"list": None}),
            ),
        },
        "body_required": True,
        "response": {"model": "MLBadLumisectionGoldenJson", "fields": ()},
        "security": True,
        "deprecated": False,
    },
    "retrieve_ml_bad_lumisection": {
        "method": "GET",
        "path": "/api/v1/ml-bad-lumisection/{model_id}/{dataset_id}/{run_number}/{ls_number}/",
        "path_params": (
            ("model_id", "model_id", "int", True),
            ("dataset_id", "dataset_id", "int", True),
            ("run_number", "run_number", "int", True),
            ("ls_number", "ls_number", "int", True),
        ),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "MLBadLumisection",
            "fields": (
                ("model_id", "int", True, None),
                ("dataset_id", "int", True, None),
                ("run_number", "int", True, None),
                ("ls_number", "int", True, None),
                ("metric_value", "float", True, None),
            ),
        },
        "security": True,
        "deprecated": False,
    },
}


class PaginatedMLBadLumisectionListRow:
    """The fields of a ``PaginatedMLBadLumisectionList`` as DIALS sends them (annotations only)."""

    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class MLBadLumisectionRow:
    """The fields of a ``MLBadLumisection`` as DIALS sends them (annotations only)."""

    model_id: int
    dataset_id: int
    run_number: int
    ls_number: int
    metric_value: float


#: The filters of ``GET /api/v1/ml-bad-lumisection/`` (wire names; ``None`` means not set).
class MLBadLumisectionFilters(TypedDict, total=False):
    next_token: str | None
    page_size: int | None
    fields: Sequence[str] | None
    model_id: int | None
    model_id__in: Sequence[int] | None
    dataset_id: int | None
    dataset_id__in: Sequence[int] | None
    dataset: str | None
    dataset__regex: str | None
    me_id: int | None
    me: str | None
    me__regex: str | None
    run_number: int | None
    run_number__in: Sequence[int] | None
    ls_number: int | None


_MLBadLumisectionRow_co = TypeVar("_MLBadLumisectionRow_co", covariant=True)
_MLBadLumisectionRetries_contra = TypeVar(
    "_MLBadLumisectionRetries_contra", contravariant=True
)


class MLBadLumisectionGet(
    Protocol[_MLBadLumisectionRow_co, _MLBadLumisectionRetries_contra]
):
    """The signature of ``get()`` for ``GET /api/v1/ml-bad-lumisection/{model_id}/{dataset_id}/{run_number}/{ls_number}/``: its path parameters."""

    def __call__(
        self,
        model_id: int,
        dataset_id: int,
        run_number: int,
        ls_number: int,
        *,
        retries: _MLBadLumisectionRetries_contra | None = ...,
        timeout: float | None = ...,
    ) -> _MLBadLumisectionRow_co: ...
