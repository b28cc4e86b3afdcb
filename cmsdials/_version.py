"""The installed version of cmsdials."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cmsdials")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
