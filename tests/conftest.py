"""Shared pytest set-up: the local DIALS server's fixtures (``dials_server``, ...)."""

pytest_plugins = ["cmsdials.testing.pytest_plugin"]
