"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from typing import Any

OPERATIONS: dict[str, dict[str, Any]] = {
    "issue_device_token": {
        "method": "POST",
        "path": "/api/v1/auth/device-token/",
        "path_params": (),
        "query_params": (),
        "header_params": (),
        "body": {
            "model": "IssueDeviceTokenBody",
            "fields": (("device_code", "str", True, None),),
        },
        "body_required": False,
        "response": {
            "model": "DeviceToken",
            "fields": (
                ("access_token", "str", True, None),
                ("expires_in", "int", True, None),
                ("refresh_expires_in", "int", True, None),
                ("refresh_token", "str", True, None),
                ("token_type", "str", True, None),
                ("session_state", "str", True, None),
                ("scope", "str", True, None),
            ),
        },
        "security": False,
    },
    "get_device": {
        "method": "GET",
        "path": "/api/v1/auth/new-device/",
        "path_params": (),
        "query_params": (),
        "header_params": (),
        "body": None,
        "body_required": False,
        "response": {
            "model": "Device",
            "fields": (
                ("device_code", "str", True, None),
                ("verification_uri_complete", "str", True, None),
                ("expires_in", "int", True, None),
            ),
        },
        "security": False,
    },
    "refresh_token": {
        "method": "POST",
        "path": "/api/v1/auth/refresh-token/",
        "path_params": (),
        "query_params": (),
        "header_params": (),
        "body": {
            "model": "RefreshTokenBody",
            "fields": (("refresh_token", "str", True, None),),
        },
        "body_required": False,
        "response": {
            "model": "DeviceToken",
            "fields": (
                ("access_token", "str", True, None),
                ("expires_in", "int", True, None),
                ("refresh_expires_in", "int", True, None),
                ("refresh_token", "str", True, None),
                ("token_type", "str", True, None),
                ("session_state", "str", True, None),
                ("scope", "str", True, None),
            ),
        },
        "security": False,
    },
    "get_user_default_workspace": {
        "method": "GET",
        "path": "/api/v1/auth/user-default-workspace/",
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
    },
    "get_workspaces": {
        "method": "GET",
        "path": "/api/v1/auth/workspaces/",
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
    },
}


class DeviceTokenRow:
    """The fields of a ``DeviceToken`` as DIALS sends them (annotations only)."""

    access_token: str
    expires_in: int
    refresh_expires_in: int
    refresh_token: str
    token_type: str
    session_state: str
    scope: str


class DeviceRow:
    """The fields of a ``Device`` as DIALS sends them (annotations only)."""

    device_code: str
    verification_uri_complete: str
    expires_in: int


class UserDefaultWorkspaceRow:
    """The fields of a ``UserDefaultWorkspace`` as DIALS sends them (annotations only)."""

    workspace: str


class ConfiguredWorkspacesRow:
    """The fields of a ``ConfiguredWorkspaces`` as DIALS sends them (annotations only)."""

    workspaces: list[str]
