"""Classic import path of the ``file_index`` group (names defined elsewhere)."""
