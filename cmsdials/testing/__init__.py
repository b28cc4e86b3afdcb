"""A local DIALS server: DIALS's REST API over seeded SQLite data, for tests and offline use.

::

    from cmsdials.testing import serve

    with serve(size="small", seed=0) as srv:
        dials = Dials(Credentials(token=srv.secret), base_url=srv.base_url)
        ...

Or from a shell: ``python -m cmsdials.testing [--port N] [--size small|large] [--seed S]``.
Importing this package starts nothing and builds nothing; openapi-core (the
``server`` extra) is imported only by servers started with ``contract=True``.
"""

from __future__ import annotations

from .auth import Clock
from .faults import FAULT_KINDS, Fault, Faults
from .server import DialsServer, RecordedRequest, serve

__all__ = [
    "FAULT_KINDS",
    "Clock",
    "DialsServer",
    "Fault",
    "Faults",
    "RecordedRequest",
    "serve",
]
