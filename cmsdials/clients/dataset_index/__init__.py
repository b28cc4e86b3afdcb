"""Classic import path of the ``dataset_index`` group (names defined elsewhere)."""
