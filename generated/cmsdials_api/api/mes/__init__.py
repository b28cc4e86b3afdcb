"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_mes": {
        "method": "GET",
        "path": "/api/v1/mes/",
        "path_params": (),
        "query_params": (
            ("fields", "fields", "list[str]", False),
            ("me", "me", "str", False),
            ("me__regex", "me_regex", "str", False),
            ("dim", "dim", "int", False),
        ),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "list": {
                "model": "MEs",
                "fields": (
                    ("me_id", "int", False, None),
                    ("me", "str", True, None),
                    ("count", "int", True, None),
                    ("dim", "int", True, None),
                ),
            }
        },
        "security": True,
        "deprecated": False,
    },
    "list_dataset_run_mes": {
        "method": "GET",
        "path": "/api/v1/mes/{dataset_id}/{run_number}/",
        "path_params": (
            ("dataset_id", "dataset_id", "int", True),
            ("run_number", "run_number", "int", True),
        ),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "list": {
                "model": "MinifiedMEs",
                "fields": (
                    ("me_id", "int", False, None),
                    ("me", "str", True, None),
                    ("dim", "int", True, None),
                ),
            }
        },
        "security": True,
        "deprecated": False,
    },
    "retrieve_me": {
        "method": "GET",
        "path": "/api/v1/mes/{me_id}/",
        "path_params": (("me_id", "me_id", "int", True),),
        "query_params": (),
        "header_params": (("workspace", "workspace", "str", False),),
        "body": None,
        "body_required": False,
        "response": {
            "model": "MEs",
            "fields": (
                ("me_id", "int", False, None),
                ("me", "str", True, None),
                ("count", "int", True, None),
                ("dim", "int", True, None),
            ),
        },
        "security": True,
        "deprecated": False,
    },
}


class MEsRow:
    """The fields of a ``MEs`` as DIALS sends them (annotations only)."""

    me_id: int | None
    me: str
    count: int
    dim: int


class MinifiedMEsRow:
    """The fields of a ``MinifiedMEs`` as DIALS sends them (annotations only)."""

    me_id: int | None
    me: str
    dim: int


#: The filters of ``GET /api/v1/mes/`` (wire names; ``None`` means not set).
class MEsFilters(TypedDict, total=False):
    fields: Sequence[str] | None
    me: str | None
    me__regex: str | None
    dim: int | None


_MEsRow_co = TypeVar("_MEsRow_co", covariant=True)
_MEsRetries_contra = TypeVar("_MEsRetries_contra", contravariant=True)


class MEsGet(Protocol[_MEsRow_co, _MEsRetries_contra]):
    """The signature of ``get()`` for ``GET /api/v1/mes/{me_id}/``: its path parameters."""

    def __call__(
        self,
        me_id: int,
        *,
        retries: _MEsRetries_contra | None = ...,
        timeout: float | None = ...,
    ) -> _MEsRow_co: ...
