"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_ml_models_index": {
        "method": "GET",
        "path": "/api/v1/ml-models-index/",
        "path_params": (),
        "query_params": (
            ("next_token", "next_token", "str", False),
            ("page_size", "page_size", "int", False),
            ("fields", "fields", "list[str]", False),
            ("id", "id", "int", False),
            ("id__in", "id_in", "list[int]", False),
            ("name", "name", "str", False),
            ("name__regex", "name_regex", "str", False),
            ("active", "active", "bool", False),
            ("ready", "ready", "bool", False),
            ("type", "type_", "str", False),
            (
                "input_signature_contains_me",
                "input_signature_contains_me",
                "str",
                False,
            ),
            (
                "input_signature_contains_me__regex",
                "input_signature_contains_me_regex",
                "str",
                False,
            ),
            ("tag_name", "tag_name", "str", False),
            ("tag_value", "tag_value", "str", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "PaginatedMLModelsIndexList",
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
                            "model": "MLModelsIndex",
                            "fields": (
                                ("id", "int", True, None),
                                ("name", "str", True, None),
                                ("revision", "int", True, None),
                                ("ready", "bool", True, None),
                                ("active", "bool", True, None),
                                ("type", "str", True, None),
                                (
                                    "anomaly_threshold",
                                    "union[float, none]",
                                    True,
                                    {
                                        "union": (
                                            None,
                                            None,
                                        )
                                    },
                                ),
                                ("builtin_threshold", "bool", True, None),
                                ("description", "str", True, None),
                                (
                                    "flagging_key",
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
                                    "input_signature",
                                    "list[object]",
                                    True,
                                    {
                                        "list": {
                                            "model": "MLModelsIndexInputSignatureItem",
                                            "fields": (),
                                        }
                                    },
                                ),
                                (
                                    "metric_key",
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
                                    "output_signature",
                                    "list[object]",
                                    True,
                                    {
                                        "list": {
                                            "model": "MLModelsIndexOutputSignatureItem",
                                            "fields": (),
                                        }
                                    },
                                ),
                                (
                                    "tags",
                                    "union[list[object], none]",
                                    True,
                                    {
                                        "union": (
                                            {
                                                "list": {
                                                    "model": "MLModelsIndexTagsType0Item",
                                                    "fields": (),
                                                }
                                            },
                                            None,
                                        )
                                    },
                                ),
                                (
                                    "isvc_service_name",
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
                                    "isvc_yaml",
                                    "union[str, none]",
                                    True,
                                    {
                                        "union": (
                                            None,
                                            None,
                                        )
                                    },
                                ),
                                ("created_by", "str", True, None),
                                ("modified_by", "str", True, None),
                                ("created_at", "datetime", True, None),
                                ("modified_at", "datetime", True, None),
                            ),
                        }
                    },
                ),
            ),
        },
        "security": True,
        "deprecated": False,
    },
    "retrieve_ml_models_index": {
        "method": "GET",
        "path": "/api/v1/ml-models-index/{model_id}/",
        "path_params": (("model_id", "model_id", "int", True),),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "MLModelsIndex",
            "fields": (
                ("id", "int", True, None),
                ("name", "str", True, None),
                ("revision", "int", True, None),
                ("ready", "bool", True, None),
                ("active", "bool", True, None),
                ("type", "str", True, None),
                (
                    "anomaly_threshold",
                    "union[float, none]",
                    True,
                    {
                        "union": (
                            None,
                            None,
                        )
                    },
                ),
                ("builtin_threshold", "bool", True, None),
                ("description", "str", True, None),
                (
                    "flagging_key",
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
                    "input_signature",
                    "list[object]",
                    True,
                    {
                        "list": {
                            "model": "MLModelsIndexInputSignatureItem",
                            "fields": (),
                        }
                    },
                ),
                (
                    "metric_key",
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
                    "output_signature",
                    "list[object]",
                    True,
                    {
                        "list": {
                            "model": "MLModelsIndexOutputSignatureItem",
                            "fields": (),
                        }
                    },
                ),
                (
                    "tags",
                    "union[list[object], none]",
                    True,
                    {
                        "union": (
                            {
                                "list": {
                                    "model": "MLModelsIndexTagsType0Item",
                                    "fields": (),
                                }
                            },
                            None,
                        )
                    },
                ),
                (
                    "isvc_service_name",
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
                    "isvc_yaml",
                    "union[str, none]",
                    True,
                    {
                        "union": (
                            None,
                            None,
                        )
                    },
                ),
                ("created_by", "str", True, None),
                ("modified_by", "str", True, None),
                ("created_at", "datetime", True, None),
                ("modified_at", "datetime", True, None),
            ),
        },
        "security": True,
        "deprecated": False,
    },
}


class PaginatedMLModelsIndexListRow:
    """The fields of a ``PaginatedMLModelsIndexList`` as DIALS sends them (annotations only)."""

    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class MLModelsIndexRow:
    """The fields of a ``MLModelsIndex`` as DIALS sends them (annotations only)."""

    id: int
    name: str
    revision: int
    ready: bool
    active: bool
    type: str
    anomaly_threshold: float | None
    builtin_threshold: bool
    description: str
    flagging_key: str | None
    input_signature: list[dict[str, Any]]
    metric_key: str | None
    output_signature: list[dict[str, Any]]
    tags: list[dict[str, Any]] | None
    isvc_service_name: str | None
    isvc_yaml: str | None
    created_by: str
    modified_by: str
    created_at: datetime.datetime
    modified_at: datetime.datetime


#: The filters of ``GET /api/v1/ml-models-index/`` (wire names; ``None`` means not set).
class MLModelsIndexFilters(TypedDict, total=False):
    next_token: str | None
    page_size: int | None
    fields: Sequence[str] | None
    id: int | None
    id__in: Sequence[int] | None
    name: str | None
    name__regex: str | None
    active: bool | None
    ready: bool | None
    type: str | None
    input_signature_contains_me: str | None
    input_signature_contains_me__regex: str | None
    tag_name: str | None
    tag_value: str | None


_MLModelsIndexRow_co = TypeVar("_MLModelsIndexRow_co", covariant=True)
_MLModelsIndexRetries_contra = TypeVar(
    "_MLModelsIndexRetries_contra", contravariant=True
)


class MLModelsIndexGet(Protocol[_MLModelsIndexRow_co, _MLModelsIndexRetries_contra]):
    """The signature of ``get()`` for ``GET /api/v1/ml-models-index/{model_id}/``: its path parameters."""

    def __call__(
        self,
        model_id: int,
        *,
        retries: _MLModelsIndexRetries_contra | None = ...,
        timeout: float | None = ...,
    ) -> _MLModelsIndexRow_co: ...
