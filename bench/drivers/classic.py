"""Bench driver for the classic client (``cmsdials`` 2.x from PyPI, in its own venv).

Run by the orchestrator with the classic venv's interpreter:
``<venv>/bin/python bench/drivers/classic.py SPEC.json``.
"""

from __future__ import annotations

import time

SETUP_STARTED = time.perf_counter()

import sys  # noqa: E402

from _classic_api import classic_api_workload, make_dials  # noqa: E402
from _measure import load_spec, package_versions, run_measured  # noqa: E402


def main() -> None:
    spec = load_spec(sys.argv)
    dials = make_dials(spec)
    workload, summarize = classic_api_workload(spec, dials)
    versions = package_versions(
        ["cmsdials", "pydantic", "pydantic-core", "requests", "urllib3", "pandas", "numpy"]
    )
    run_measured(spec, spec["impl"], workload, summarize, versions, SETUP_STARTED)


if __name__ == "__main__":
    main()
