"""Classic import path of the ``lumisection`` group (names defined elsewhere)."""
