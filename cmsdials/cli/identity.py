"""``dials whoami``: who the credentials say you are, never the token itself.

The name comes from the token's claims (``preferred_username``, else ``sub``),
read without checking the signature: only DIALS needs to trust it, and this
prints nothing DIALS would act on.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import click
import orjson

from .output import iso
from .session import WHAT_TO_DO, Config

__all__ = ["claims", "describe"]


def claims(token: str | None) -> dict[str, Any]:
    """The payload of a JWT (``{}`` for a token that is not one)."""
    parts = (token or "").split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        data = orjson.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _who(found: dict[str, Any], fallback: str) -> str:
    name = found.get("preferred_username") or found.get("sub") or fallback
    email = found.get("email")
    return f"{name} <{email}>" if email and email != name else str(name)


def describe(config: Config) -> dict[str, Any]:
    """What ``whoami`` prints: who, how, where, and until when."""
    from cmsdials.auth._cache import CacheFileError, read_token

    info: dict[str, Any] = {}
    if config.application:
        creds = config.application_credentials()
        info["user"] = _who(claims(creds.token), str(creds.client_id))
        info["login"] = f"client credentials of the application {creds.client_id}"
        info["token_expires"] = iso(creds.expires_at.astimezone())
        info["login_expires"] = "never: the token is renewed while the secret is valid"
    else:
        path = config.cache_file()
        try:
            token = read_token(path)
        except CacheFileError as exc:
            raise click.ClickException(
                f"the cached login {path} is unusable ({exc}): run 'dials login'"
            ) from None
        if token is None:
            raise click.ClickException(f"not logged in (no {path}): {WHAT_TO_DO}")
        info["user"] = _who(claims(token.access_token), "unknown")
        info["login"] = f"device login cached in {path}"
        info["token_expires"] = iso(token.expires_at.astimezone())
        info["login_expires"] = iso(token.refresh_expires_at.astimezone())
    info["dials"] = config.base_url or "https://cmsdials-api.web.cern.ch/"
    if config.workspace:
        info["workspace"] = config.workspace
    else:
        with config.dials() as dials:
            answer = dials.workspace.my_workspace()
        info["workspace"] = answer.get("workspace") if isinstance(answer, dict) else answer
    return info
