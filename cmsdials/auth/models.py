"""The shapes of the authentication answers: ``Device``, ``DeviceToken``, ``Token``, ``ApiToken``.

The classic client declared them as pydantic models; these are attrs classes with
the same field names, built by keywords (``Token(access_token=..., ...)``), with
``model_dump()``. Values are checked and coerced the way a user of the classic
could rely on: integers may come as numeric strings, datetimes as ISO strings.

:class:`Token` is the one definition of a person's token fields: the cache file's
fields (:data:`TOKEN_FIELDS`, in the classic's order) and the credentials' classic
attributes (:func:`classic_attribute`: ``access_token`` is ``token`` there) are
derived from it.

Secrets (the access token, the refresh token and the device code) never appear in
``repr`` or ``str``: they are shown as ``'<masked>'``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

import attrs

__all__ = [
    "TOKEN_FIELDS",
    "ApiToken",
    "Device",
    "DeviceToken",
    "RefreshToken",
    "Token",
    "classic_attribute",
    "mask",
]

_M = TypeVar("_M", bound="_Model")

MASKED = "<masked>"


def mask(value: object) -> str:
    """What a secret looks like in a repr: nothing of it but whether it is set."""
    return repr(MASKED) if value else repr(value)


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("expected an integer, got a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value.strip())
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def _to_optional_int(value: Any) -> int | None:
    return None if value is None else _to_int(value)


def _to_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _to_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):  # fromisoformat accepts "Z" only from 3.11 on
            text = text[:-1] + "+00:00"
        return datetime.fromisoformat(text)
    raise TypeError(f"expected a datetime or an ISO 8601 string, got {type(value).__name__}")


class _Model:
    """``model_dump`` / ``model_validate`` in the spirit of the classic pydantic models."""

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as a dict; ``mode="json"`` gives datetimes as ISO strings."""
        data = attrs.asdict(self, recurse=False)  # type: ignore[arg-type]
        if mode == "json":
            return {
                key: value.isoformat() if isinstance(value, datetime) else value
                for key, value in data.items()
            }
        if mode != "python":
            raise ValueError(f"mode must be 'python' or 'json', not {mode!r}")
        return data

    @classmethod
    def model_validate(cls: type[_M], data: Mapping[str, Any]) -> _M:
        """Build from a mapping, ignoring keys that are not fields (as pydantic does)."""
        names = {field.name for field in attrs.fields(cls)}  # type: ignore[arg-type]
        return cls(**{key: value for key, value in data.items() if key in names})


@attrs.define(kw_only=True)
class Device(_Model):
    """A device code (RFC 8628): Keycloak's device endpoint, or DIALS v1.12's ``auth/new-device/``.

    ``interval`` (seconds between polls) is sent by Keycloak, not by DIALS v1.12.
    """

    device_code: str = attrs.field(converter=_to_str, repr=mask)
    verification_uri_complete: str = attrs.field(converter=_to_str)
    expires_in: int = attrs.field(converter=_to_int)
    interval: int | None = attrs.field(default=None, converter=_to_optional_int)


@attrs.define(kw_only=True)
class DeviceToken(_Model):
    """A person's token answer (device code or refresh grant)."""

    access_token: str = attrs.field(converter=_to_str, repr=mask)
    expires_in: int = attrs.field(converter=_to_int)
    refresh_expires_in: int = attrs.field(converter=_to_int)
    refresh_token: str = attrs.field(converter=_to_str, repr=mask)
    token_type: str = attrs.field(converter=_to_str)


#: The refresh answer has the same shape as the device-token answer.
RefreshToken = DeviceToken


@attrs.define(kw_only=True)
class Token(DeviceToken):
    """A token with the moments it and its refresh token expire (as the cache file holds it)."""

    expires_at: datetime = attrs.field(converter=_to_datetime)
    refresh_expires_at: datetime = attrs.field(converter=_to_datetime)

    @classmethod
    def stamped(cls, answer: Mapping[str, Any], issued: datetime) -> Token:
        """A token answer with its expiry moments, counted from ``issued`` (when it was asked)."""
        token = DeviceToken.model_validate(answer)
        return cls(
            **token.model_dump(),
            expires_at=issued + timedelta(seconds=token.expires_in),
            refresh_expires_at=issued + timedelta(seconds=token.refresh_expires_in),
        )


@attrs.define(kw_only=True)
class ApiToken(_Model):
    """A client-credentials token (the realm's ``api-access/token``): no refresh token."""

    access_token: str = attrs.field(converter=_to_str, repr=mask)
    expires_in: int = attrs.field(converter=_to_int)
    token_type: str = attrs.field(converter=_to_str)
    expires_at: datetime = attrs.field(converter=_to_datetime)


#: The fields of a person's token, in the order of the classic cache file.
TOKEN_FIELDS: tuple[str, ...] = tuple(field.name for field in attrs.fields(Token))

_CLASSIC_NAMES = {"access_token": "token"}


def classic_attribute(field: str) -> str:
    """The credentials' attribute holding token field ``field`` (``access_token`` → ``token``)."""
    return _CLASSIC_NAMES.get(field, field)
