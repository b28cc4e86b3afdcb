"""Classic import path of the ``mes`` group (names defined elsewhere)."""
