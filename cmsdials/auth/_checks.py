"""Checks of secrets and ids when credentials are built, before anything is sent.

A secret read from a file often keeps its trailing newline; sent as it is, it
breaks the HTTP header or form it goes into, and the error that follows would
quote it. These checks raise ``ValueError`` naming the argument and the problem,
never the value.
"""

from __future__ import annotations

import unicodedata

__all__ = ["check_text"]


def check_text(name: str, value: object) -> str:
    """``value`` if it is a usable secret or id for argument ``name``; else ``ValueError``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} is empty: pass the non-empty value")
    if value != value.strip():
        raise ValueError(
            f"{name} has surrounding whitespace (a trailing newline from a file?): "
            "strip it before passing it (the value is not shown)"
        )
    if any(unicodedata.category(char).startswith("C") for char in value):
        raise ValueError(
            f"{name} contains control or non-printable characters: "
            "check where it was read from (the value is not shown)"
        )
    if any(char.isspace() for char in value):
        raise ValueError(f"{name} contains whitespace: check its value (the value is not shown)")
    return value
