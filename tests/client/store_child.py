"""A store pull in a process of its own, for the store tests (kills, two processes, limits).

``python store_child.py '<json>'`` with ``DIALS_URL`` and ``DIALS_SECRET`` in the
environment (never on the command line). The JSON names ``group``, ``filters``,
``path`` and optionally ``workers``, ``shard``, ``refresh``, ``fsize`` (an
``RLIMIT_FSIZE`` in bytes set before the pull). Prints one line ``RESULT {json}``:
the pull's stats, or the error's type, message and ``path``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import warnings


def main() -> None:
    spec = json.loads(sys.argv[1])
    if spec.get("fsize") is not None:
        limit = int(spec["fsize"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    warnings.simplefilter("ignore")
    from cmsdials import Dials
    from cmsdials.auth.secret_key import Credentials
    from cmsdials.exceptions import StoreError

    dials = Dials(Credentials(token=os.environ["DIALS_SECRET"]), base_url=os.environ["DIALS_URL"])
    endpoint = getattr(dials, spec["group"])
    shard = tuple(spec["shard"]) if spec.get("shard") else None
    try:
        pull = endpoint.store(
            spec["filters"],
            spec["path"],
            workers=spec.get("workers", 1),
            shard=shard,
            refresh=spec.get("refresh", "incomplete"),
            enable_progress=False,
            retries=0,
        )
    except StoreError as exc:
        print(
            "RESULT " + json.dumps({"error": "StoreError", "message": str(exc), "path": exc.path})
        )
        return
    stats = pull.stats
    assert stats is not None
    out = {
        "fetched": stats.fetched,
        "already": stats.already,
        "rows": stats.rows,
        "requests": stats.requests,
        "parts": stats.fetched_parts,
        "complete": pull.complete,
    }
    print("RESULT " + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
