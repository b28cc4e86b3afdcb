"""The credentials cache file: classic format both ways, modes, atomic writes, bad files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from auth_helpers import FakeAuthAPI, FakeClock, classic_env_python, make_token, read_json

from cmsdials.auth import _cache
from cmsdials.auth.client import AuthClient
from cmsdials.auth.device import CacheFileWarning, Credentials
from cmsdials.auth.models import Token

DATA = Path(__file__).parent / "data"
#: Written by cmsdials 2.1.0 itself (Credentials.from_authclient_token in a scratch venv).
CLASSIC_FILE = DATA / "classic-2.1.0-creds.json"
CLASSIC_BYTES = CLASSIC_FILE.read_bytes()


def creds_file(cache_dir: str) -> Path:
    return Path(cache_dir) / "creds"


def test_default_location_is_dot_cache_creds_under_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _cache.creds_path() == tmp_path / ".cache" / "creds"
    assert _cache.creds_path("dev") == tmp_path / "dev" / "creds"
    assert _cache.creds_path("/abs/dir") == Path("/abs/dir/creds")


def test_default_cache_dir_is_used_by_credentials(
    auth: AuthClient, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Credentials.from_authclient_token(make_token(clock), client=auth)
    assert (tmp_path / ".cache" / "creds").is_file()


def test_we_write_the_same_bytes_as_the_classic() -> None:
    classic_text = CLASSIC_FILE.read_text()
    token = Token.model_validate(json.loads(classic_text))
    assert _cache.dump_token(token) == classic_text


def test_a_file_written_by_the_classic_loads(
    auth: AuthClient, api: FakeAuthAPI, cache_dir: str
) -> None:
    os.makedirs(cache_dir)
    creds_file(cache_dir).write_bytes(CLASSIC_FILE.read_bytes())
    # the classic file's token expires in 2031; the fake clock is at 2030
    creds = Credentials.from_creds_file(cache_dir, auth)
    assert creds.token == "classic-access-token-value"
    assert creds.refresh_token == "classic-refresh-token-value"
    assert creds.expires_at == datetime(2031, 5, 4, 10, 5, 0, 123456)
    assert api.requests == []  # no device flow, no refresh


def test_the_classic_can_read_what_we_write(
    auth: AuthClient, clock: FakeClock, cache_dir: str
) -> None:
    """What the classic does with the file: json + fromisoformat + compare with datetime.now()."""
    Credentials.from_authclient_token(make_token(clock), cache_dir, auth)
    data = read_json(str(creds_file(cache_dir)))
    assert list(data) == list(json.loads(CLASSIC_FILE.read_text()))
    for key in ("expires_at", "refresh_expires_at"):
        moment = datetime.fromisoformat(str(data[key]))
        assert moment.tzinfo is None  # the classic compares with naive datetime.now()
        assert moment > datetime.now() or moment <= datetime.now()


@pytest.fixture(scope="module", params=["2.1.0", "2.4.1"])
def classic_python(request: pytest.FixtureRequest) -> tuple[str, str]:
    """``(release, python)``: a Python with the real cmsdials of that release from PyPI."""
    return request.param, classic_env_python(request.param)


def _classic_import(release: str) -> str:
    # 2.4.1 moved the class to auth.device (auth.bearer is its deprecated alias)
    module = "device" if release == "2.4.1" else "bearer"
    return f"from cmsdials.auth.{module} import Credentials\n"


def _run_classic(python: str, script: str, cache_dir: str) -> list[str]:
    os.makedirs(cache_dir, exist_ok=True)
    out = subprocess.run(
        [python, "-W", "ignore::DeprecationWarning", "-c", script, cache_dir],
        capture_output=True,
        text=True,
        check=True,
        cwd=cache_dir,  # not the repository, whose cmsdials would shadow the classic
    )
    return out.stdout.split()


def test_the_real_classic_loads_our_file(
    auth: AuthClient, cache_dir: str, classic_python: tuple[str, str]
) -> None:
    release, python = classic_python
    future = datetime.now().replace(microsecond=0, year=datetime.now().year + 1)
    token = Token(
        access_token="ours-access-secret",
        expires_in=300,
        refresh_expires_in=1800,
        refresh_token="ours-refresh-secret",
        token_type="Bearer",
        expires_at=future,
        refresh_expires_at=future,
    )
    _cache.write_token(creds_file(cache_dir), token)
    script = (
        "import sys\n"
        + _classic_import(release)
        + "c = Credentials.from_creds_file(cache_dir=sys.argv[1], client=object())\n"
        "print(c.token, c.refresh_token, c.token_state.name)\n"
    )
    assert _run_classic(python, script, cache_dir) == [
        "ours-access-secret",
        "ours-refresh-secret",
        "FRESH",
    ]


def test_we_load_the_file_the_real_classic_writes(
    auth: AuthClient, api: FakeAuthAPI, cache_dir: str, classic_python: tuple[str, str]
) -> None:
    release, python = classic_python
    script = (
        "import sys\n"
        "from datetime import datetime, timedelta\n"
        "from cmsdials.auth.models import Token\n"
        + _classic_import(release)
        # the fake clock of our side is at 2030: a token valid then and now
        + "later = datetime(2040, 5, 4, 10, 5, 0, 123456)\n"
        "t = Token(access_token='classic-access', expires_in=300, refresh_expires_in=1800,\n"
        "          refresh_token='classic-refresh', token_type='Bearer',\n"
        "          expires_at=later, refresh_expires_at=later + timedelta(seconds=1500))\n"
        "Credentials.from_authclient_token(t, cache_dir=sys.argv[1], client=object())\n"
        "print(t.expires_at.isoformat())\n"
    )
    (written,) = _run_classic(python, script, cache_dir)
    assert list(read_json(str(creds_file(cache_dir)))) == list(_cache.TOKEN_FIELDS)
    creds = Credentials.from_creds_file(cache_dir, auth)
    assert (creds.token, creds.refresh_token) == ("classic-access", "classic-refresh")
    assert creds.expires_at == datetime.fromisoformat(written)
    assert api.requests == []  # used as it is: no device flow, no refresh


def test_the_cache_directory_can_come_from_the_environment(
    auth: AuthClient,
    api: FakeAuthAPI,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CMSDIALS_CACHE_DIR", str(tmp_path / "batch-creds"))
    Credentials.from_authclient_token(make_token(clock), client=auth)
    assert (tmp_path / "batch-creds" / "creds").is_file()
    assert not (tmp_path / ".cache").exists()
    again = Credentials.from_creds_file(client=auth)
    assert again.token == "access-token-0000-secret"
    assert again.cache_dir == str(tmp_path / "batch-creds")
    given = Credentials.from_creds_file(str(tmp_path / "explicit"), auth)  # the argument wins
    assert (tmp_path / "explicit" / "creds").is_file() and given.token == api.issued[-1]


def test_file_mode_0600_and_directory_0700(
    auth: AuthClient, clock: FakeClock, cache_dir: str
) -> None:
    old = os.umask(0o022)
    try:
        Credentials.from_authclient_token(make_token(clock), cache_dir, auth)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(creds_file(cache_dir)).st_mode) == 0o600


def test_replacing_keeps_mode_0600_even_over_a_world_readable_file(
    auth: AuthClient, clock: FakeClock, cache_dir: str
) -> None:
    os.makedirs(cache_dir)
    path = creds_file(cache_dir)
    path.write_text(CLASSIC_FILE.read_text())
    os.chmod(path, 0o644)  # what the classic left behind
    Credentials.from_creds_file(cache_dir, auth).cache_credentials()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_refresh_rewrites_the_file(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    creds = Credentials.from_authclient_token(make_token(clock), cache_dir, auth)
    clock.advance(301)
    creds.before_request({})
    assert read_json(str(creds_file(cache_dir)))["access_token"] == api.issued[-1]


def test_a_crash_mid_write_leaves_the_old_file_intact(
    auth: AuthClient, clock: FakeClock, cache_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = Credentials.from_authclient_token(make_token(clock), cache_dir, auth)
    before = creds_file(cache_dir).read_bytes()

    def crash(token: Token) -> str:
        raise KeyboardInterrupt  # e.g. Ctrl-C between opening and writing

    monkeypatch.setattr(_cache, "dump_token", crash)
    with pytest.raises(KeyboardInterrupt):
        _cache.write_token(creds_file(cache_dir), creds._token)
    assert creds_file(cache_dir).read_bytes() == before
    # no temporary file left behind (the lock file stays, empty)
    assert sorted(os.listdir(cache_dir)) == [".creds.lock", "creds"]


def test_a_failing_rename_leaves_the_old_file_intact(
    auth: AuthClient, clock: FakeClock, cache_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = Credentials.from_authclient_token(make_token(clock), cache_dir, auth)
    before = creds_file(cache_dir).read_bytes()

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    creds.cache_credentials()  # logged, not raised: the credentials still work
    assert creds_file(cache_dir).read_bytes() == before
    assert sorted(os.listdir(cache_dir)) == [".creds.lock", "creds"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "not valid JSON"),
        (b'{"access_token": "tok-secret", "expires_in": 3', "not valid JSON"),  # truncated
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"access_token": "x"}', "missing field"),
        (
            CLASSIC_FILE.read_bytes().replace(b'"2031-05-04T10:05', b'"soon-05-04T10:05'),
            "expires_at",
        ),
        (
            CLASSIC_FILE.read_bytes().replace(b'"expires_in": 300', b'"expires_in": "x"'),
            "expires_in",
        ),
    ],
)
def test_a_bad_file_warns_and_runs_a_fresh_device_flow(
    auth: AuthClient,
    api: FakeAuthAPI,
    cache_dir: str,
    content: bytes,
    problem: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    os.makedirs(cache_dir)
    creds_file(cache_dir).write_bytes(content)
    with pytest.warns(CacheFileWarning, match=problem) as warned:
        creds = Credentials.from_creds_file(cache_dir, auth)
    assert creds.token == api.issued[-1]
    assert read_json(str(creds_file(cache_dir)))["access_token"] == api.issued[-1]
    assert "Ignoring the credentials cache file" in caplog.text
    for text in (caplog.text, str(warned[0].message)):
        assert "secret" not in text
        assert "classic-access-token-value" not in text


def test_an_unreadable_file_warns_and_runs_a_fresh_device_flow(
    auth: AuthClient, api: FakeAuthAPI, cache_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.makedirs(cache_dir)
    creds_file(cache_dir).write_bytes(CLASSIC_BYTES)
    os.chmod(creds_file(cache_dir), 0o000)
    if os.access(creds_file(cache_dir), os.R_OK):  # root reads anything: make it fail anyway

        def denied(self: Path) -> bytes:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.warns(CacheFileWarning, match="cannot be read"):
        creds = Credentials.from_creds_file(cache_dir, auth)
    assert creds.token == api.issued[-1]


def test_a_directory_in_place_of_the_file_warns_and_still_authenticates(
    auth: AuthClient, api: FakeAuthAPI, cache_dir: str, caplog: pytest.LogCaptureFixture
) -> None:
    os.makedirs(creds_file(cache_dir))
    with pytest.warns(CacheFileWarning, match="cannot be read"):
        creds = Credentials.from_creds_file(cache_dir, auth)
    assert creds.token == api.issued[-1]
    assert "could not write the credentials cache file" in caplog.text


def test_no_file_runs_the_device_flow(auth: AuthClient, api: FakeAuthAPI, cache_dir: str) -> None:
    creds = Credentials.from_creds_file(cache_dir, auth)
    assert creds.token == api.issued[-1]
    assert creds_file(cache_dir).is_file()
    again = Credentials.from_creds_file(cache_dir, auth)
    assert again.token == creds.token
    assert len(api.issued) == 1


def test_an_expired_cached_token_is_refreshed_on_load(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    Credentials.from_authclient_token(make_token(clock), cache_dir, auth)
    clock.advance(600)
    creds = Credentials.from_creds_file(cache_dir, auth)
    assert api.refreshes == 1
    assert creds.token == api.issued[-1]


def test_a_cached_token_with_expired_refresh_token_runs_the_device_flow(
    auth: AuthClient, api: FakeAuthAPI, clock: FakeClock, cache_dir: str
) -> None:
    Credentials.from_authclient_token(make_token(clock), cache_dir, auth)
    clock.advance(3600)
    creds = Credentials.from_creds_file(cache_dir, auth)
    assert api.refreshes == 0
    assert creds.token == api.issued[-1]
    assert read_json(str(creds_file(cache_dir)))["access_token"] == api.issued[-1]
