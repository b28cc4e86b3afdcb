"""Who ``dials`` is and which DIALS it talks to: the global options, credentials, ``Dials``.

Credentials, in this order:

1. an application's client credentials: the id from ``--client-id`` /
   ``CMSDIALS_CLIENT_ID`` and the secret from ``--client-secret-file`` or
   ``CMSDIALS_CLIENT_SECRET`` (never from an argument: it would show in ``ps``
   and in the shell's history);
2. a person's login, cached by ``dials login`` in the file the library reads
   (``.cache/creds``, or under ``--cache-dir`` / ``CMSDIALS_CACHE_DIR``);
3. on a terminal with neither, the device flow, as ``dials login`` runs it.

Without any of them and without a terminal, :func:`credentials` fails with what to do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    import httpx

    from cmsdials.auth.client import AuthClient

    from ..cmsdials import Dials

__all__ = ["ENV_SECRET", "Config", "secret_from"]

#: The environment variable holding an application's client secret.
ENV_SECRET = "CMSDIALS_CLIENT_SECRET"

WHAT_TO_DO = (
    "run 'dials login' once in a terminal (it writes the cache file; set CMSDIALS_CACHE_DIR "
    "to share it with batch jobs), or give an application's credentials: "
    f"CMSDIALS_CLIENT_ID and {ENV_SECRET} (or --client-secret-file)"
)


def secret_from(path: str | None) -> str | None:
    """The client secret: the file's first line when ``path`` is given, else the environment."""
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise click.BadParameter(
                f"cannot read {path}: {reason or type(exc).__name__}",
                param_hint="'--client-secret-file'",
            ) from None
        lines = text.splitlines()
        secret = lines[0].strip() if lines else ""
        if not secret:
            raise click.BadParameter(f"{path} is empty", param_hint="'--client-secret-file'")
        return secret
    return os.environ.get(ENV_SECRET) or None


@dataclass
class Config:
    """The global options of ``dials`` (each also read from its environment variable)."""

    base_url: str | None = None
    workspace: str | None = None
    keycloak_url: str | None = None
    client_id: str | None = None
    audience: str | None = None
    cache_dir: str | None = None
    client_secret_file: str | None = None
    timeout: float | None = None
    debug: bool = False
    quiet: bool = False
    verbose: int = 0

    # -- credentials ------------------------------------------------------------
    def auth_client(self, *, interactive: bool | None = None) -> AuthClient:
        """The Keycloak client: production's realm unless ``--keycloak-url`` says otherwise."""
        from cmsdials.auth.client import AuthClient

        try:
            return AuthClient(
                keycloak_url=self.keycloak_url,
                client_id=None if self.application else self.client_id,
                audience=self.audience,
                interactive=interactive,
            )
        except (TypeError, ValueError) as exc:
            raise click.UsageError(str(exc)) from None

    @property
    def application(self) -> bool:
        """Client credentials are configured (a secret in a file or the environment)."""
        return self.client_secret_file is not None or bool(os.environ.get(ENV_SECRET))

    def cache_file(self) -> Path:
        from cmsdials.auth._cache import creds_path

        return creds_path(self.cache_dir)

    def credentials(self) -> Any:
        """The credentials of this run (see the module doc), as an ``httpx.Auth``.

        What can be checked without the network is checked now (a usage error, or exit 1
        without credentials); the token itself is asked for at the first request, so a
        command that needs none (a complete ``dials pull``) sends none.
        """
        if self.application:
            secret = secret_from(self.client_secret_file)  # checked now
            self._check_application(secret)
            return deferred(lambda: self.application_credentials(secret))
        from cmsdials.auth.client import is_interactive

        path = self.cache_file()
        if path.exists():
            return deferred(self.person_credentials)
        if not is_interactive():
            raise click.ClickException(f"no DIALS credentials (no {path}): {WHAT_TO_DO}")
        return self.person_credentials()  # the device flow, before anything else

    def person_credentials(self) -> Any:
        from cmsdials.auth.device import Credentials
        from cmsdials.auth.exceptions import NonInteractiveError

        try:
            return Credentials.from_creds_file(self.cache_dir, client=self.auth_client())
        except NonInteractiveError:
            raise click.ClickException(
                f"the login cached in {self.cache_file()} has expired and nobody can log in "
                f"here: {WHAT_TO_DO}"
            ) from None

    def _check_application(self, secret: str | None) -> str:
        if not self.client_id:
            raise click.UsageError(
                "a client secret is set but no client id: set CMSDIALS_CLIENT_ID or pass "
                "--client-id (the application's id)"
            )
        if secret is None:
            raise click.UsageError(f"no client secret: set {ENV_SECRET} or --client-secret-file")
        return secret

    def application_credentials(self, secret: str | None = None) -> Any:
        """An application's client credentials (a token is asked for now)."""
        from cmsdials.auth.client_credentials import Credentials

        secret = self._check_application(secret or secret_from(self.client_secret_file))
        assert self.client_id is not None
        try:
            return Credentials(self.client_id, secret, self.auth_client())
        except ValueError as exc:  # an id or secret with spaces or control characters
            raise click.UsageError(str(exc)) from None

    # -- the client -------------------------------------------------------------------
    def dials(self) -> Dials:
        """A ``Dials`` with these options and credentials (close it, or use ``with``)."""
        from ..cmsdials import Dials

        self.check()
        options: dict[str, Any] = {} if self.timeout is None else {"timeout": self.timeout}
        return Dials(
            self.credentials(), workspace=self.workspace, base_url=self.base_url, **options
        )

    def check(self) -> None:
        """The URLs and the workspace, checked as the library checks them (usage errors)."""
        from cmsdials.settings import TransportSettings

        options: dict[str, Any] = {} if self.timeout is None else {"timeout": self.timeout}
        try:
            TransportSettings(base_url=self.base_url, workspace=self.workspace, **options)
        except (TypeError, ValueError) as exc:
            raise click.UsageError(str(exc)) from None


def deferred(make: Callable[[], Any]) -> httpx.Auth:
    """An ``httpx.Auth`` that builds the real credentials with ``make()`` at the first
    request (once, under a lock, however many threads send)."""
    import threading

    import httpx

    class Deferred(httpx.Auth):
        def __init__(self) -> None:
            self._auth: Any = None
            self._lock = threading.Lock()

        def sync_auth_flow(
            self, request: httpx.Request
        ) -> Generator[httpx.Request, httpx.Response, None]:
            with self._lock:
                if self._auth is None:
                    self._auth = make()
            yield from self._auth.sync_auth_flow(request)

    return Deferred()
