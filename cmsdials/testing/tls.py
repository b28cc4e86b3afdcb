"""TLS for the local DIALS: a throwaway CA, a server certificate for loopback, contexts.

Production DIALS speaks HTTPS only; ``serve(tls=True)`` (``python -m cmsdials.testing
--tls``) serves the same API over TLS so that a client pays what it pays in production for
every new connection (TCP + TLS handshake).  The CA and the certificate are made by
`trustme <https://pypi.org/project/trustme/>`_, imported only here, only when TLS is asked
for; the CA's PEM file is what clients trust (``ssl.create_default_context(cafile=...)``,
``SSL_CERT_FILE`` for httpx, ``REQUESTS_CA_BUNDLE`` for requests).
"""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import tempfile
from pathlib import Path

#: Names the server certificate is always valid for (the server binds loopback).
LOOPBACK_IDENTITIES = ("127.0.0.1", "::1", "localhost")
#: File name of the CA certificate (PEM) in the certificate directory.
CA_FILE_NAME = "dials-local-ca.pem"


class TLSUnavailableError(RuntimeError):
    """TLS was asked for but ``trustme`` (which makes the throwaway CA) is not installed."""


def _identities(host: str) -> list[str]:
    """Loopback names, plus the bound address when it is a specific one."""
    names = list(LOOPBACK_IDENTITIES)
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        if host and host not in names:
            names.append(host)
        return names
    if not address.is_unspecified and str(address) not in names:
        names.append(str(address))
    return names


class ServerTLS:
    """A fresh CA and server certificate; the server-side ``ssl.SSLContext`` using them.

    The CA certificate is written to ``cert_dir`` (kept) or to a temporary directory
    (removed by :meth:`cleanup`).  The private keys stay in memory: trustme hands them to
    OpenSSL through a temporary file of its own, removed at once.
    """

    def __init__(self, host: str = "127.0.0.1", cert_dir: str | Path | None = None) -> None:
        try:
            import trustme
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise TLSUnavailableError(
                "the local DIALS serves TLS with a throwaway CA made by 'trustme', which is "
                "not installed: pip install 'cmsdials[server]' (or serve plain HTTP without tls)"
            ) from exc
        self._own_dir: Path | None = None
        if cert_dir is None:
            self._own_dir = Path(tempfile.mkdtemp(prefix="cmsdials-testing-tls-"))
            directory = self._own_dir
        else:
            directory = Path(cert_dir)
            directory.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA(organization_name="cmsdials local DIALS (throwaway test CA)")
        leaf = ca.issue_cert(*_identities(host))
        path = directory / CA_FILE_NAME
        ca.cert_pem.write_to_path(str(path))
        #: Path of the CA certificate (PEM) clients must trust.
        self.ca_file = str(path.resolve())
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        leaf.configure_cert(context)
        #: The server side of every connection.
        self.context = context

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this CA (and nothing else), hostname checked."""
        return ssl.create_default_context(cafile=self.ca_file)

    def cleanup(self) -> None:
        """Remove the CA file when it lives in a temporary directory of our own."""
        own, self._own_dir = self._own_dir, None
        if own is not None:
            shutil.rmtree(own, ignore_errors=True)
