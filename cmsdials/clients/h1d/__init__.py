"""Classic import path of the ``h1d`` group (names defined elsewhere)."""
