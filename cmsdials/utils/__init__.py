"""Classic import paths of ``cmsdials.utils`` (aliases of the real classes)."""
