"""``python -m cmsdials.testing``: run a local DIALS in the foreground.

The first two lines on stdout are ``BASE_URL=...`` and ``SECRET_KEY=...``
(flushed), so a parent process can read them; with ``--tls`` (HTTPS with a
throwaway CA) a third line ``CA_FILE=...`` names the CA certificate (PEM) to
trust.  Then come ``KEYCLOAK_URL=...`` (the local Keycloak realm), ``CLIENT_ID=...``
and ``CLIENT_SECRET=...`` (its registered application, for client credentials).
Ctrl-C or SIGTERM stops it cleanly with exit status 0.
"""

from __future__ import annotations

import signal
import time
from types import FrameType

#: Set by SIGTERM/SIGINT.  A plain flag, not a threading.Event: an Event's set()
#: inside a signal handler deadlocks when the signal lands while the main thread
#: holds the Event's lock in wait().  The handlers are installed before anything
#: heavy is imported, so a signal during start-up also ends in a clean exit.
_STOP: list[int] = []


def _on_signal(signum: int, frame: FrameType | None) -> None:
    _STOP.append(signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

import argparse  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402

from .contract import ContractUnavailableError  # noqa: E402
from .keycloak import RealmUnavailableError  # noqa: E402
from .routes import APIS  # noqa: E402
from .server import SIZES, DialsServer  # noqa: E402
from .tls import TLSUnavailableError  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cmsdials.testing",
        description="Serve DIALS's REST API from seeded local data (loopback by default).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (0 = a free one)")
    parser.add_argument("--size", choices=SIZES, default="small", help="amount of data")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    parser.add_argument("--secret", default=None, help="X-CLIENT-SECRET to accept (default random)")
    parser.add_argument(
        "--db-dir",
        default=None,
        help="keep the SQLite databases in this directory (default memory)",
    )
    parser.add_argument(
        "--contract",
        action="store_true",
        help="validate every request against openapi.json (needs the 'server' extra)",
    )
    parser.add_argument(
        "--api",
        choices=APIS,
        default="current",
        help="which DIALS API to speak: current (the shipped openapi.json, default) or "
        "v1.12 (DIALS v1.12.0's routes and row shapes)",
    )
    parser.add_argument("--spec", default=None, help="spec to serve instead (overrides --api)")
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a throwaway CA (needs the server extra); prints CA_FILE=<CA PEM>",
    )
    parser.add_argument(
        "--cert-dir",
        default=None,
        help="with --tls: write the CA certificate here and keep it (default: a temporary "
        "directory removed on exit)",
    )
    parser.add_argument(
        "--client-secret",
        default=None,
        help="client secret of the realm's registered application (default random)",
    )
    parser.add_argument(
        "--refuse-secret-header",
        action="store_true",
        help="refuse the deprecated X-CLIENT-SECRET header (as DIALS will)",
    )
    parser.add_argument(
        "--no-legacy-device-routes",
        action="store_true",
        help="do not serve DIALS v1.12's own auth/new-device/ ... routes (as current DIALS)",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="delay every API answer by this many milliseconds (a sleep, no CPU), standing "
        "for production's round trip and query time (default 0)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if args.cert_dir is not None and not args.tls:
        parser.error("--cert-dir goes with --tls")
    if args.latency_ms < 0:
        parser.error("--latency-ms must not be negative")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        server = DialsServer(
            host=args.host,
            port=args.port,
            size=args.size,
            seed=args.seed,
            contract=args.contract,
            secret=args.secret,
            db_dir=args.db_dir,
            spec_path=args.spec,
            tls=args.tls,
            cert_dir=args.cert_dir,
            api=args.api,
            client_secret=args.client_secret,
            secret_header=not args.refuse_secret_header,
            legacy_device_routes=not args.no_legacy_device_routes,
            latency_ms=args.latency_ms,
        )
    except RealmUnavailableError as exc:  # the server extra is missing
        sys.stderr.write(f"python -m cmsdials.testing: {exc}\n")
        return 2
    try:
        try:
            server.start()
        except (TLSUnavailableError, ContractUnavailableError, RealmUnavailableError) as exc:
            sys.stderr.write(f"python -m cmsdials.testing: {exc}\n")
            return 2
        except OSError as exc:  # the port is taken, or the address is not this machine's
            sys.stderr.write(
                f"python -m cmsdials.testing: cannot listen on {args.host}:{args.port}: "
                f"{exc.strerror or exc}; pick another --port (0: a free one)\n"
            )
            return 2
        lines = [f"BASE_URL={server.base_url}", f"SECRET_KEY={server.secret}"]
        if server.ca_file is not None:
            lines.append(f"CA_FILE={server.ca_file}")
        lines += [
            f"KEYCLOAK_URL={server.keycloak_url}",
            f"CLIENT_ID={server.client_id}",
            f"CLIENT_SECRET={server.client_secret}",
        ]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
        sys.stderr.write(
            f"local DIALS ({args.api} API, {args.size}, seed {args.seed}) serving on "
            f"{server.base_url}; "
            "Ctrl-C to stop\n"
        )
        sys.stderr.flush()
        while not _STOP:
            time.sleep(0.2)
    finally:
        server.stop()
    if server.contract_errors:
        sys.stderr.write(f"{len(server.contract_errors)} request(s) broke the contract:\n")
        for problem in server.contract_errors:
            sys.stderr.write(f"  {problem}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
