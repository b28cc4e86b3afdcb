"""The transport options of cmsdials, in one place: :class:`TransportSettings`.

``Dials``, the standalone clients (``LumisectionHistogram1DClient(...)``, ...) and
``AuthClient`` take the classic positional arguments (``base_url``, ``route``,
``version``, and ``workspace`` where the classic had it) and the keyword-only
options of :class:`TransportOptions` (``timeout``, ``retries``, ``verify``,
``proxy``); all of them become one :class:`TransportSettings`, which checks every
value when the client is built (a ``ValueError`` or ``TypeError`` naming the
argument), long before the first request.

The defaults (production DIALS, ``api/``, ``v1/``, 30 s, the retry policy) and
the statuses worth retrying live here, once. So does what the options make of
the connections (:meth:`TransportSettings.http_transports`: TLS verification,
the proxy, or the environment's proxies): a new transport option is a field,
its check and its place there, and reaches ``Dials``, ``AuthClient`` and Dask
workers alike.
"""

from __future__ import annotations

import math
import os
import re
import ssl
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

import httpx
from urllib3.util import Retry

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "DEFAULT_RETRY",
    "DEFAULT_ROUTE",
    "DEFAULT_TIMEOUT",
    "DEFAULT_VERSION",
    "PRODUCTION_BASE_URL",
    "TRANSIENT_STATUSES",
    "ProxyURL",
    "RetriesType",
    "TransportOptions",
    "TransportSettings",
    "VerifyType",
    "check_url",
    "environment_proxies",
    "mask_url_passwords",
    "positive_seconds",
    "resolve_retry",
    "with_slash",
]

PRODUCTION_BASE_URL = "https://cmsdials-api.web.cern.ch/"
DEFAULT_ROUTE = "api/"
DEFAULT_VERSION = "v1/"
#: Seconds one call may take, retries included (and each read within it).
DEFAULT_TIMEOUT = 30.0

#: The statuses that say "try again later": a timeout, throttling, a proxy or a
#: server that is restarting or overloaded. The one list of cmsdials.
TRANSIENT_STATUSES: frozenset[int] = frozenset({408, 429, 502, 503, 504})


class _DefaultRetry(Retry):
    """The default policy's ``Retry``: a server's ``Retry-After`` is honoured up to 120 s.

    (urllib3 2.6.3 added ``retry_after_max`` for this; cmsdials supports urllib3 2.0 on.)
    """

    RETRY_AFTER_MAX = 120.0

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.RETRY_AFTER_MAX)


#: Without ``retries=``: connection errors, and the transient statuses on idempotent
#: requests, a few times with exponential backoff (0.5 s, 1 s, 2 s, ... at most
#: 8 s) and jitter; ``Retry-After`` is honoured (up to 120 s, and within the timeout).
DEFAULT_RETRY: Retry = _DefaultRetry(
    total=4,
    connect=4,
    read=2,
    status=4,
    other=0,
    redirect=0,
    status_forcelist=TRANSIENT_STATUSES,
    allowed_methods=Retry.DEFAULT_ALLOWED_METHODS,
    backoff_factor=0.5,
    backoff_max=8.0,
    backoff_jitter=0.25,
    respect_retry_after_header=True,
    raise_on_status=False,
)

RetriesType = int | Retry | None

#: What the server's certificate is checked against: ``True`` (the system's
#: trust store / ``SSL_CERT_FILE``), a CA bundle file, an ``ssl.SSLContext``,
#: or ``False`` (no check; never against a real DIALS).
VerifyType = bool | str | os.PathLike[str] | ssl.SSLContext


def resolve_retry(retries: RetriesType, default: Retry = DEFAULT_RETRY) -> Retry:
    """``None`` → the default policy; an ``int`` → urllib3's ``Retry.from_int``."""
    if retries is None:
        return default
    if isinstance(retries, Retry):
        return retries
    if isinstance(retries, bool) or not isinstance(retries, int):
        raise TypeError(f"retries must be an int or a urllib3.util.Retry, not {retries!r}")
    if retries < 0:
        raise ValueError(f"retries must not be negative, not {retries!r}")
    return Retry.from_int(retries)


def with_slash(value: str) -> str:
    return value if value.endswith("/") else value + "/"


class TransportOptions(TypedDict, total=False):
    """The keyword-only options every client takes (the fields of :class:`TransportSettings`
    that the classic constructors did not have)."""

    timeout: float | httpx.Timeout
    retries: RetriesType
    verify: VerifyType
    proxy: str | ProxyURL | None


#: An HTTP header value made of "token" characters (RFC 9110, 5.6.2): no space, CR or LF.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: A route or version: path segments only.
_SEGMENTS = re.compile(r"[A-Za-z0-9._~\-/]*")


@dataclass(frozen=True)
class TransportSettings:
    """Where DIALS is and how to talk to it; checked and normalised when built.

    ``base_url`` is the host (``https://cmsdials-api.web.cern.ch/`` by default),
    ``route`` and ``version`` the API prefix (``api/``, ``v1/``), ``workspace``
    the ``Workspace`` header (``None``: the server's default), ``timeout`` the
    seconds a whole call may take (retries included) and each read within it
    (or an ``httpx.Timeout``), ``retries`` the default retry policy (an
    ``int`` or a ``urllib3.util.Retry``), ``verify`` the certificate check,
    ``proxy`` the forward proxy of every request (``http://[user:password@]host:port``;
    ``None``: the environment's ``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY`` and
    ``NO_PROXY``, as httpx and requests read them). A proxy's password never shows
    (:class:`ProxyURL`).
    """

    base_url: str | None = None
    route: str | None = None
    version: str | None = None
    workspace: str | None = None
    timeout: float | httpx.Timeout = DEFAULT_TIMEOUT
    retries: RetriesType = None
    verify: VerifyType = True
    proxy: str | ProxyURL | None = None
    #: The resolved retry policy.
    retry: Retry = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "base_url", _check_base_url(self.base_url))
        set_(self, "route", _check_segments("route", self.route, DEFAULT_ROUTE))
        set_(self, "version", _check_segments("version", self.version, DEFAULT_VERSION))
        _check_not_the_api_root(str(self.base_url), f"{self.route}{self.version}")
        set_(self, "workspace", _check_workspace(self.workspace))
        set_(self, "timeout", _check_timeout(self.timeout))
        set_(self, "retry", resolve_retry(self.retries))
        _check_verify(self.verify)
        set_(self, "proxy", None if self.proxy is None else ProxyURL.check("proxy", self.proxy))

    @classmethod
    def of(
        cls,
        settings: TransportSettings | None = None,
        base_url: str | None = None,
        route: str | None = None,
        version: str | None = None,
        workspace: str | None = None,
        **options: Unpack[TransportOptions],
    ) -> TransportSettings:
        """The settings of a constructor: its ``settings=``, or its classic arguments and
        keyword options (a ``TypeError`` when both are given, or an unknown option)."""
        unknown = set(options) - _OPTION_NAMES
        if unknown:
            raise TypeError(
                f"unexpected keyword argument(s) {', '.join(sorted(unknown))}; "
                f"the transport options are {', '.join(sorted(_OPTION_NAMES))}"
            )
        if settings is None:
            return cls(base_url, route, version, workspace, **options)
        given = [
            name
            for name, value in (
                ("base_url", base_url),
                ("route", route),
                ("version", version),
                ("workspace", workspace),
            )
            if value is not None
        ] + sorted(options)
        if given:
            raise TypeError(f"pass settings= or {', '.join(given)}, not both")
        if not isinstance(settings, TransportSettings):
            raise TypeError(f"settings must be a TransportSettings, not {type(settings).__name__}")
        return settings

    # -- derived facts -------------------------------------------------------
    @property
    def api_root(self) -> str:
        """The host the generated paths (``/api/v1/...``) are appended to."""
        assert self.base_url is not None  # normalised in __post_init__
        return self.base_url

    @property
    def prefix(self) -> str:
        """The API's path prefix, ``/api/v1/`` by default."""
        return "/" + str(self.route).lstrip("/") + str(self.version)

    @property
    def api_url(self) -> str:
        """The API root, e.g. ``https://cmsdials-api.web.cern.ch/api/v1/``."""
        return f"{self.base_url}{self.route}{self.version}"

    @property
    def httpx_timeout(self) -> httpx.Timeout:
        return (
            self.timeout if isinstance(self.timeout, httpx.Timeout) else httpx.Timeout(self.timeout)
        )

    @property
    def deadline(self) -> float:
        """Seconds a whole call may take, retries included."""
        if isinstance(self.timeout, httpx.Timeout):
            parts = self.timeout.as_dict().values()
            return max(float(part) for part in parts if part is not None)
        return float(self.timeout)

    def options(self) -> TransportOptions:
        """The keyword options (:class:`TransportOptions`) these settings were built with."""
        return {name: getattr(self, name) for name in _OPTION_NAMES}  # type: ignore[return-value]

    def http_transports(
        self, make: Callable[..., httpx.BaseTransport]
    ) -> tuple[httpx.BaseTransport, dict[str, httpx.BaseTransport | None]]:
        """The connections of an ``httpx.Client``: ``(transport, mounts)``.

        ``make(**options)`` builds one httpx transport (the caller's class, taking
        ``httpx.HTTPTransport``'s keywords). With ``proxy`` every request goes through
        it; without, the environment's proxies are mounted by URL pattern (and
        ``NO_PROXY`` hosts go direct), as ``httpx.Client`` itself would do.
        """
        verify = self.ssl_verify()
        if self.proxy is not None:
            proxy = ProxyURL.check("proxy", self.proxy)
            return make(verify=verify, proxy=httpx.Proxy(proxy.url)), {}
        mounts: dict[str, httpx.BaseTransport | None] = {
            pattern: None if url is None else make(verify=verify, proxy=httpx.Proxy(url))
            for pattern, url in environment_proxies().items()
        }
        return make(verify=verify), mounts

    def ssl_verify(self) -> bool | ssl.SSLContext:
        verify = self.verify
        if not isinstance(verify, str | os.PathLike):
            return verify
        try:
            return ssl.create_default_context(cafile=os.fspath(verify))
        except (OSError, ssl.SSLError) as exc:
            raise ValueError(
                f"verify={os.fspath(verify)!r} is not a readable CA bundle (PEM): {exc}"
            ) from None


_OPTION_NAMES = frozenset(TransportOptions.__annotations__)

#: ``scheme://user:password@`` in a text: the password part.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*:)[^\s/]*@")


def mask_url_passwords(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@host`` as ``***``."""
    return _URL_PASSWORD.sub(r"\1***@", text)


@dataclass(frozen=True, repr=False)
class ProxyURL:
    """A forward proxy's URL; its password (if any) shows as ``***`` in ``str`` and ``repr``.

    ``url`` is the whole URL, what httpx is given.
    """

    url: str

    @classmethod
    def check(cls, name: str, value: object) -> ProxyURL:
        """``value`` (a URL or a :class:`ProxyURL`), checked; a ``ValueError`` naming
        ``name`` (without the password) when it is not a proxy URL."""
        if isinstance(value, ProxyURL):
            return value
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a URL string, not {type(value).__name__}")
        shown = mask_url_passwords(value)
        example = "e.g. 'http://proxy.example.ch:3128'"
        if value != value.strip() or any(c in value for c in "\r\n\t "):
            raise ValueError(
                f"{name} must not contain spaces or line breaks ({example}): {shown!r}"
            )
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError as exc:
            raise ValueError(f"{name} is not a valid URL ({exc}; {example}): {shown!r}") from None
        if parts.scheme not in ("http", "https", "socks5", "socks5h"):
            raise ValueError(
                f"{name} must start with http://, https://, socks5:// or socks5h:// "
                f"({example}): {shown!r}"
            )
        if not parts.hostname:
            raise ValueError(f"{name} has no host ({example}): {shown!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"{name} must not have a query or a fragment ({example}): {shown!r}")
        return cls(value)

    @property
    def masked(self) -> str:
        return mask_url_passwords(self.url)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"ProxyURL({self.masked!r})"


def environment_proxies() -> dict[str, str | None]:
    """The environment's proxies as httpx mount patterns: ``{"https://": url, ...}``, and
    ``None`` for each ``NO_PROXY`` host (``"all://*.cern.ch"``: go direct).

    Read as httpx and requests read them (``urllib.request.getproxies``: the lower-case
    names first); ``NO_PROXY=*`` turns every proxy off.
    """
    found = urllib.request.getproxies()
    mounts: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        url = found.get(scheme)
        if url:
            mounts[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    for host in (h.strip() for h in found.get("no", "").split(",")):
        if not host:
            continue
        if host == "*":
            return {}
        if "://" in host:
            mounts[host] = None
        elif host.lower() == "localhost" or _is_ip(host.split("/", 1)[0]):
            mounts[f"all://{_bracketed(host)}"] = None
        else:
            # "cern.ch" and ".cern.ch" both cover cern.ch and every host under it.
            mounts[f"all://*{host.lstrip('.')}"] = None
    return mounts


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _bracketed(host: str) -> str:
    bare = host.strip("[]")
    return f"[{bare}]" if ":" in bare else bare


assert _OPTION_NAMES <= {f.name for f in fields(TransportSettings)}


def _check_base_url(value: object) -> str:
    # None or "" (the classic's ``base_url or PRODUCTION_BASE_URL``): production.
    return PRODUCTION_BASE_URL if value is None or value == "" else check_url("base_url", value)


def _check_not_the_api_root(base_url: str, prefix: str) -> None:
    """``.../api/v1/`` as base_url would send ``/api/v1/api/v1/run/``: refuse it when built."""
    if urlsplit(base_url).path.endswith("/" + prefix.strip("/") + "/"):
        host = base_url[: -len(prefix.strip("/")) - 1]
        raise ValueError(
            f"base_url={base_url!r} ends with the API prefix {prefix!r}, which cmsdials adds "
            f"itself: drop the {prefix!r} part (base_url={host!r})"
        )


def check_url(name: str, value: object) -> str:
    """``value`` with a trailing slash, if it is an ``http(s)://host/...`` URL without
    a query, a fragment or a password; else a ``ValueError`` naming ``name``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    example = "e.g. 'https://cmsdials-api.web.cern.ch/'"
    if value != value.strip() or any(c in value for c in "\r\n\t "):
        raise ValueError(f"{name} must not contain spaces or line breaks ({example}): {value!r}")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValueError(f"{name} is not a valid URL ({exc}; {example}): {value!r}") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{name} must start with https:// (or http://), {example}: {value!r}")
    if not parts.hostname:
        raise ValueError(f"{name} has no host ({example}): {value!r}")
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            f"{name} must not carry a user name or password (pass credentials as creds=): "
            f"{parts.scheme}://...@{parts.hostname}"
        )
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise ValueError(f"{name} must not have a query or a fragment ({example}): {value!r}")
    return with_slash(value)


def _check_segments(name: str, value: object, default: str) -> str:
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not _SEGMENTS.fullmatch(value):
        raise ValueError(f"{name} must be path segments like {default!r}, not {value!r}")
    return with_slash(value)


def _check_workspace(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(f"workspace must be a str, not {type(value).__name__}")
    if not _TOKEN.fullmatch(value):
        raise ValueError(
            "workspace must be a name such as 'tracker' (letters, digits, '-', '_', '.'; "
            f"no spaces or line breaks), not {value!r}"
        )
    return value


def positive_seconds(name: str, value: object) -> float:
    """``value`` as seconds; a ``ValueError`` naming ``name`` unless a positive finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(
            f"{name} must be a positive number of seconds, not {value!r} "
            "(cmsdials never waits forever)"
        )
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


def _check_timeout(value: object) -> float | httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        parts = value.as_dict()
        for part, seconds in parts.items():
            if seconds is not None:
                positive_seconds(f"timeout.{part}", seconds)
        if all(seconds is None for seconds in parts.values()):
            raise ValueError("timeout must set at least one positive limit (never wait forever)")
        return value
    return positive_seconds("timeout", value)


def _check_verify(value: object) -> None:
    if not isinstance(value, bool | str | os.PathLike | ssl.SSLContext):
        raise TypeError(
            "verify must be True/False, a CA bundle path or an ssl.SSLContext, "
            f"not {type(value).__name__}"
        )
