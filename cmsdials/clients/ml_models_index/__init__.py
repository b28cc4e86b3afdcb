"""Classic import path of the ``ml_models_index`` group (names defined elsewhere)."""
