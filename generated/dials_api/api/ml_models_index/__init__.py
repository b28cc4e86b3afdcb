"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from typing import Any

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_ml_models_index": {
        "method": "GET",
        "path": "/api/v1/ml-models-index/",
        "path_params": (),
        "query_params": (
            ("next_token", "next_token", "str", False),
            ("page_size", "page_size", "int", False),
            ("fields", "fields", "list[str]", False),
            ("model_id", "model_id", "int", False),
            ("model_id__in", "model_id_in", "list[int]", False),
            ("filename", "filename", "str", False),
            ("filename__regex", "filename_regex", "str", False),
            ("target_me", "target_me", "str", False),
            ("target_me__regex", "target_me_regex", "str", False),
            ("active", "active", "bool", False),
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
                                ("model_id", "int", True, None),
                                ("filename", "str", True, None),
                                ("target_me", "str", True, None),
                                ("active", "bool", True, None),
                            ),
                        }
                    },
                ),
            ),
        },
        "security": True,
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
                ("model_id", "int", True, None),
                ("filename", "str", True, None),
                ("target_me", "str", True, None),
                ("active", "bool", True, None),
            ),
        },
        "security": True,
    },
}


class PaginatedMLModelsIndexListRow:
    """The fields of a ``PaginatedMLModelsIndexList`` as DIALS sends them (annotations only)."""

    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class MLModelsIndexRow:
    """The fields of a ``MLModelsIndex`` as DIALS sends them (annotations only)."""

    model_id: int
    filename: str
    target_me: str
    active: bool
