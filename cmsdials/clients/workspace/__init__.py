"""Classic import path of the ``workspace`` group (names defined elsewhere)."""
