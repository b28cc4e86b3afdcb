"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "list_workspaces": {
        "method": "GET",
        "path": "/api/v1/workspaces/",
        "path_params": (),
        "query_params": (),
        "header_params": (),
        "body": None,
        "body_required": False,
        "response": {
            "model": "ConfiguredWorkspaces",
            "fields": (("workspaces", "list[str]", True, {"list": None}),),
        },
        "security": True,
        "deprecated": False,
    },
    "my_default_workspace": {
        "method": "GET",
        "path": "/api/v1/workspaces/my-default/",
        "path_params": (),
        "query_params": (),
        "header_params": (),
        "body": None,
        "body_required": False,
        "response": {
            "model": "UserDefaultWorkspace",
            "fields": (("workspace", "str", True, None),),
        },
        "security": True,
        "deprecated": False,
    },
}


class ConfiguredWorkspacesRow:
    """The fields of a ``ConfiguredWorkspaces`` as DIALS sends them (annotations only)."""

    workspaces: list[str]


class UserDefaultWorkspaceRow:
    """The fields of a ``UserDefaultWorkspace`` as DIALS sends them (annotations only)."""

    workspace: str
