"""Classic import path of the ``ml_bad_lumisection`` group (names defined elsewhere)."""
