"""The classic models' shape: keyword construction, coercion, model_dump, masked secrets."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from cmsdials.auth.models import Device, DeviceToken, RefreshToken, Token

FIELDS = dict(
    access_token="access-token-xyz-secret",
    expires_in=300,
    refresh_expires_in=1800,
    refresh_token="refresh-token-xyz-secret",
    token_type="Bearer",
)


def test_token_fields_and_model_dump_keep_the_classic_order() -> None:
    at = datetime(2030, 1, 1, 12, 5)
    token = Token(**FIELDS, expires_at=at, refresh_expires_at=at)
    assert list(token.model_dump()) == [
        "access_token",
        "expires_in",
        "refresh_expires_in",
        "refresh_token",
        "token_type",
        "expires_at",
        "refresh_expires_at",
    ]
    assert token.model_dump()["expires_at"] == at
    assert token.model_dump(mode="json")["expires_at"] == "2030-01-01T12:05:00"
    assert Token(**token.model_dump()) == token


def test_values_are_coerced_like_pydantic_lax_mode() -> None:
    token = Token(
        **{**FIELDS, "expires_in": "300"},
        expires_at="2030-01-01T12:05:00",
        refresh_expires_at="2030-01-01T12:30:00Z",
    )
    assert token.expires_in == 300
    assert token.expires_at == datetime(2030, 1, 1, 12, 5)
    assert token.refresh_expires_at == datetime(2030, 1, 1, 12, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "bad",
    [
        {"expires_in": "soon"},
        {"expires_in": True},
        {"access_token": 12},
        {"expires_at": 5},
    ],
)
def test_invalid_values_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises((TypeError, ValueError)):
        Token(
            **{
                **FIELDS,
                "expires_at": datetime(2030, 1, 1),
                "refresh_expires_at": datetime(2030, 1, 1),
                **bad,
            }
        )


def test_construction_is_by_keyword_and_requires_every_field() -> None:
    with pytest.raises(TypeError):
        DeviceToken("a", 1, 1, "r", "Bearer")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Token(**FIELDS)  # type: ignore[call-arg]


def test_model_validate_ignores_unknown_keys_like_the_classic() -> None:
    token = DeviceToken.model_validate({**FIELDS, "scope": "openid", "session_state": "x"})
    assert token.access_token == FIELDS["access_token"]
    assert RefreshToken is DeviceToken


def test_no_secret_in_repr_or_str() -> None:
    token = Token(
        **FIELDS, expires_at=datetime(2030, 1, 1), refresh_expires_at=datetime(2030, 1, 1)
    )
    device = Device(
        device_code="device-code-secret", verification_uri_complete="https://x/y", expires_in=600
    )
    for text in (repr(token), str(token), repr(device), str(device), repr(DeviceToken(**FIELDS))):
        assert "secret" not in text
        assert "<masked>" in text
    assert "https://x/y" in repr(device)
    assert "Bearer" in repr(token)
