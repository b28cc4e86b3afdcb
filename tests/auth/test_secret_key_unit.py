"""Secret-key credentials without a server: validation, header, repr."""

from __future__ import annotations

import httpx
import pytest

from cmsdials.auth._base import BaseCredentials, TokenState
from cmsdials.auth.secret_key import Credentials


@pytest.mark.parametrize("token", ["", None])
def test_empty_or_missing_token_is_refused(token: str | None) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        Credentials(token=token)


def test_missing_argument_is_refused() -> None:
    with pytest.raises(TypeError):
        Credentials()  # type: ignore[call-arg]


def test_header_through_the_classic_methods() -> None:
    creds = Credentials(token="app-secret-value")
    headers: dict[str, str] = {"Accept": "application/json"}
    creds.before_request(headers)
    assert headers == {"Accept": "application/json", "X-CLIENT-SECRET": "app-secret-value"}
    other: dict[str, str] = {}
    creds.apply(other)
    assert other == {"X-CLIENT-SECRET": "app-secret-value"}
    assert creds.token_state is TokenState.FRESH
    assert not creds.stale and not creds.expired and not creds.refresh_expired
    creds.refresh()
    assert creds.can_renew is False


def test_header_through_httpx() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    creds = Credentials(token="app-secret-value")
    assert isinstance(creds, BaseCredentials) and isinstance(creds, httpx.Auth)
    with httpx.Client(transport=httpx.MockTransport(handler), auth=creds) as http:
        http.get("http://dials.test/api/v1/th1/")
    assert seen[0].headers["X-CLIENT-SECRET"] == "app-secret-value"
    assert "Authorization" not in seen[0].headers


def test_repr_hides_the_secret() -> None:
    creds = Credentials(token="app-secret-value")
    assert "app-secret-value" not in repr(creds)
    assert "app-secret-value" not in str(creds)
