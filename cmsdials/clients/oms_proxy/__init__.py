"""Classic import path of the ``oms_proxy`` group (names defined elsewhere)."""
