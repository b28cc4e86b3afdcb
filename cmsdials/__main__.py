"""``python -m cmsdials``: the ``dials`` command line (see :mod:`cmsdials.cli`)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
