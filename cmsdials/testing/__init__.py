"""A local DIALS server: DIALS's REST API over seeded SQLite data, for tests and offline use.

::

    from cmsdials import Dials
    from cmsdials.auth.client import AuthClient
    from cmsdials.auth.client_credentials import Credentials
    from cmsdials.testing import serve

    with serve(size="small", seed=0) as srv:
        auth = AuthClient(keycloak_url=srv.keycloak_url)
        creds = Credentials(srv.client_id, srv.client_secret, auth)
        dials = Dials(creds, base_url=srv.base_url)
        ...

In a notebook, without ``with``: ``srv = serve()`` in one cell, ``srv.base_url`` in the
next, ``srv.close()`` when done.

``serve(api="v1.12")`` (``--api v1.12``) speaks DIALS v1.12.0 instead of the current API:
its routes and row shapes, from the repaired v1.12.0 spec shipped with this package.

Or from a shell, in a clone: ``make server`` (or ``uv run python -m cmsdials.testing
[--port N] [--size small|large] [--seed S]``; a plain ``python`` needs cmsdials installed
with its dependencies, ``pip install '.[server]'``)
(first two stdout lines: ``BASE_URL=...`` and ``SECRET_KEY=...``; after them
``KEYCLOAK_URL=``, ``CLIENT_ID=`` and ``CLIENT_SECRET=`` of its Keycloak realm, see
:mod:`cmsdials.testing.keycloak`).  ``serve(tls=True)`` or
``--tls [--cert-dir DIR]`` serves HTTPS, as production DIALS does, with a throwaway CA
(made by ``trustme``, which must be installed): trust ``srv.ca_file``, printed as a third
line ``CA_FILE=...`` (``SSL_CERT_FILE`` for httpx, ``REQUESTS_CA_BUNDLE`` for requests).
A process is steered through loopback-only control routes, all but the first needing the
``X-CLIENT-SECRET`` header: ``GET /_control/device?user_code=...`` (the person
logs in: the ``verification_uri_complete`` of a device code points here; ``&deny=1``
refuses the login),
``POST|GET|DELETE /_control/faults`` (body: the keywords of ``Faults.inject``),
``POST|GET|DELETE /_control/row-tweaks`` (body: the keywords of ``DialsServer.tweak_rows``),
``POST /_control/approve-device`` and ``/_control/slow-down-device``
(``{"device_code", "times"}``), ``POST /_control/clock/advance`` (``{"seconds"}``),
``POST /_control/deny-device`` (``{"device_code"}``),
``POST /_control/revoke-refresh-tokens`` (Keycloak logs everybody out),
``POST /_control/issue-token``, ``GET|DELETE /_control/requests`` and
``GET /_control/contract-errors``.
Importing this package starts nothing, builds nothing and imports the server
modules only when one of the names below is first used; openapi-core (the
``server`` extra) is imported only by servers started with ``contract=True``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .auth import Clock
    from .faults import FAULT_KINDS, Fault, Faults
    from .routes import APIS
    from .row_tweaks import RowTweak
    from .server import DialsServer, RecordedRequest, serve

__all__ = [
    "APIS",
    "FAULT_KINDS",
    "Clock",
    "DialsServer",
    "Fault",
    "Faults",
    "RecordedRequest",
    "RowTweak",
    "serve",
]

_HOMES = {
    "APIS": "routes",
    "Clock": "auth",
    "FAULT_KINDS": "faults",
    "Fault": "faults",
    "Faults": "faults",
    "DialsServer": "server",
    "RecordedRequest": "server",
    "RowTweak": "row_tweaks",
    "serve": "server",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
