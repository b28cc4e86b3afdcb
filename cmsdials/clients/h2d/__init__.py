"""Classic import path of the ``h2d`` group (names defined elsewhere)."""
