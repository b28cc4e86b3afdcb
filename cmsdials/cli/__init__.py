"""The ``dials`` command line: DIALS from a shell or a batch job.

``dials`` (also ``python -m cmsdials``) is a thin layer over the library: each
command builds one :class:`~cmsdials.Dials` and calls it. The commands are
declared with click in :mod:`cmsdials.cli.app`; filters are checked by the
library's own filter classes (:mod:`cmsdials.cli.query`), credentials come from
:mod:`cmsdials.cli.session`, and rows are written by :mod:`cmsdials.cli.output`.

Exit codes: 0 success, 1 a DIALS, network or authentication failure (one line on
stderr; the traceback only with ``--debug``), 2 a usage error, 130 interrupted.
``dials --help`` imports nothing heavy: pandas, numpy, pyarrow, matplotlib, dask
and even the HTTP layer are imported by the commands that use them.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``dials`` with ``argv`` (default: the process's arguments); the exit code."""
    from .app import run

    return run(argv)
