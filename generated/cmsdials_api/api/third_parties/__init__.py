"""Contains endpoint functions for accessing the API"""

# Written by cmsdials' template (templates/endpoint_init.py.jinja): the facts of
# each operation of this package, and the row shapes of its answers.

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

OPERATIONS: dict[str, dict[str, Any]] = {
    "retrieve_brilcalc_lumi": {
        "method": "GET",
        "path": "/api/v1/brilws/brilcalc-lumi/",
        "path_params": (),
        "query_params": (
            ("brilws_version", "brilws_version", "str", False),
            ("connect", "connect", "str", False),
            ("fillnum", "fillnum", "union[str, none]", False),
            ("runnumber", "runnumber", "union[str, none]", False),
            ("beamstatus", "beamstatus", "union[str, none]", False),
            ("unit", "unit", "str", False),
            ("amodetag", "amodetag", "union[str, none]", False),
            ("normtag", "normtag", "union[str, none]", False),
            ("begin", "begin", "union[str, none]", False),
            ("end", "end", "union[str, none]", False),
            ("byls", "byls", "bool", False),
            ("scope", "scope", "str", False),
        ),
        "header_params": (),
        "body": None,
        "body_required": False,
        "response": None,
        "security": True,
        "deprecated": False,
    },
    "retrieve_caf": {
        "method": "GET",
        "path": "/api/v1/caf/",
        "path_params": (),
        "query_params": (
            ("class_name", "class_name", "str", True),
            ("kind", "kind", "str", True),
        ),
        "header_params": (),
        "body": None,
        "body_required": False,
        "response": {
            "model": "CAFJson",
            "fields": (
                ("name", "str", False, None),
                ("url", "str", False, None),
                ("last_modified", "str", False, None),
                ("size", "str", False, None),
                (
                    "content",
                    "object",
                    False,
                    {
                        "model": "CAFJsonContent",
                        "fields": (
                            (
                                "run_number",
                                "list[list[int]]",
                                False,
                                {"list": {"list": None}},
                            ),
                        ),
                    },
                ),
            ),
        },
        "security": True,
        "deprecated": False,
    },
    "proxy_oms": {
        "method": "GET",
        "path": "/api/v1/oms-proxy/",
        "path_params": (),
        "query_params": (
            ("endpoint", "endpoint", "str", True),
            ("filter", "filter_", "object", True),
            ("page", "page", "object", False),
        ),
        "header_params": (),
        "body": None,
        "body_required": False,
        "response": {"model": "ProxyOmsResponse200", "fields": ()},
        "security": True,
        "deprecated": False,
    },
    "retrieve_rr_editable_datasets": {
        "method": "GET",
        "path": "/api/v1/runregistry/editable-datasets/",
        "path_params": (),
        "query_params": (
            ("class_name", "class_name", "str", True),
            ("dataset_name", "dataset_name", "str", True),
            ("global_state", "global_state", "str", True),
        ),
        "header_params": (),
        "body": None,
        "body_required": False,
        "response": {"list": None},
        "security": True,
        "deprecated": False,
    },
}


class CAFJsonRow:
    """The fields of a ``CAFJson`` as DIALS sends them (annotations only)."""

    name: str | None
    url: str | None
    last_modified: str | None
    size: str | None
    content: dict[str, Any] | None


class CAFJsonContentRow:
    """The fields of a ``CAFJsonContent`` as DIALS sends them (annotations only)."""

    run_number: list[list[int]] | None
