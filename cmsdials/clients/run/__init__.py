"""Classic import path of the ``run`` group (names defined elsewhere)."""
