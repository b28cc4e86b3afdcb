"""Classic import path of the package logger.

The classic configured the root logger here (``logging.basicConfig``) at
import; this one is only the ``cmsdials`` logger: the application decides
where its records go (``logging.basicConfig(level=logging.INFO)`` shows them).
"""

import logging

logger = logging.getLogger("cmsdials")

__all__ = ["logger"]
