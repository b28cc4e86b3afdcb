"""Pull DIALS's OpenAPI document, repair it, and write ``openapi.json``.

    python scripts/pull_spec.py [--source URL_OR_FILE] [--output openapi.json]

The source defaults to ``$DIALS_SPEC_URL``, else the production API host's
``/static/swagger.json``.  The document is validated before and after the
repairs of ``scripts/repairs.py``; the output is written in canonical form
(sorted keys but for property maps, which keep their declared order; 2-space
indent; trailing newline) through a temporary file and a
rename, so a failed pull never leaves a half-written or invalid ``openapi.json``.

Exit status: 0 written or unchanged; 1 when the repairs cannot make the document
valid; 2 when the source cannot be read as an OpenAPI document.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from repairs import Outcome, apply_repairs

PRODUCTION_SPEC_URL = "https://cmsdials-api.web.cern.ch/static/swagger.json"
ROOT = Path(__file__).resolve().parent.parent


class PullError(Exception):
    """A one-line, user-facing reason the pull failed."""


class SourceError(PullError):
    """The source cannot be read as an OpenAPI document (a bad URL or file)."""


def default_source() -> str:
    return os.environ.get("DIALS_SPEC_URL") or PRODUCTION_SPEC_URL


def fetch(source: str, timeout: float = 30.0) -> bytes:
    """Read ``source``: an http(s) URL, a ``file://`` URL or a local path."""
    if source.startswith(("http://", "https://", "file://")):
        try:
            with urllib.request.urlopen(source, timeout=timeout) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            raise SourceError(f"{source}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SourceError(f"{source}: cannot fetch ({reason})") from None
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise SourceError(f"{source}: cannot read ({exc.strerror or exc})") from None


def parse(source: str, raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{source}: not JSON ({exc})") from None
    if not isinstance(doc, dict) or "openapi" not in doc or "paths" not in doc:
        raise SourceError(f"{source}: not an OpenAPI 3 document (no 'openapi'/'paths')")
    return doc


def validation_errors(doc: dict[str, Any], limit: int = 50) -> list[str]:
    """Schema errors of an OpenAPI 3.0 document (empty when valid)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator

    errors = []
    for err in OpenAPIV30SpecValidator(doc).iter_errors():
        where = "/".join(str(p) for p in err.absolute_path)
        errors.append(f"{where or '<root>'}: {err.message}")
        if len(errors) >= limit:
            break
    return errors


def _ordered(value: Any, declared: bool = False) -> Any:
    """Sort object keys, except a schema's ``properties`` map (``declared``), whose
    order is the upstream declaration order: it decides the field order of the
    generated models and so the column order of ``to_pandas()``."""
    if isinstance(value, dict):
        keys = list(value) if declared else sorted(value)
        return {k: _ordered(value[k], not declared and k == "properties") for k in keys}
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def canonical(doc: dict[str, Any]) -> str:
    """Stable text of ``doc``: keys sorted (property maps in declared order), 2-space
    indent, trailing newline."""
    return json.dumps(_ordered(doc), indent=2, ensure_ascii=False) + "\n"


def write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pull(source: str) -> tuple[dict[str, Any], list[Outcome], int]:
    """Fetch, repair and validate; return the repaired document, the outcomes and the
    number of upstream validation errors."""
    return repair(source, parse(source, fetch(source)))


def repair(source: str, doc: dict[str, Any]) -> tuple[dict[str, Any], list[Outcome], int]:
    """Repair and validate a parsed document (see ``pull``)."""
    upstream_errors = len(validation_errors(doc, limit=10_000))
    repaired, outcomes = apply_repairs(doc)
    errors = validation_errors(repaired)
    if errors:
        raise PullError(
            f"{source}: still invalid after repairs ({len(errors)} errors, first: {errors[0]})"
        )
    return repaired, outcomes, upstream_errors


def report(outcomes: list[Outcome], upstream_errors: int, out: Any = None) -> None:
    out = out or sys.stderr  # looked up at call time, so redirected stderr is honoured
    print(f"upstream document: {upstream_errors} validation error(s)", file=out)
    for o in outcomes:
        if o.applied:
            print(f"  applied      {o.repair.name} ({len(o.places)} place(s))", file=out)
        else:
            print(
                f"  unnecessary  {o.repair.name}: upstream no longer has this defect; "
                "remove the repair unless another spec you pull still needs it",
                file=out,
            )
        for place in o.left_alone:
            print(f"  left alone   {o.repair.name}: {place}", file=out)
    if any(o.left_alone for o in outcomes):
        print(
            "  (left alone: not the defect the repair mends, so openapi.json keeps upstream's "
            "declaration; check it, make check-drift shows it)",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=None, help="URL or file (default: $DIALS_SPEC_URL)")
    parser.add_argument("--output", default=str(ROOT / "openapi.json"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every repaired place")
    args = parser.parse_args(argv)
    source = args.source or default_source()
    try:
        repaired, outcomes, upstream_errors = pull(source)
    except SourceError as exc:
        hint = "point DIALS_SPEC_URL (or --source) at DIALS's swagger.json, a URL or a file"
        print(f"pull-spec: error: {exc}; {hint}", file=sys.stderr)
        return 2
    except PullError as exc:
        print(f"pull-spec: error: {exc}", file=sys.stderr)
        return 1
    report(outcomes, upstream_errors)
    if args.verbose:
        for o in outcomes:
            for place in o.places:
                print(f"    {o.repair.name}: {place}", file=sys.stderr)
    output = Path(args.output)
    text = canonical(repaired)
    if output.exists() and output.read_text(encoding="utf-8") == text:
        print(f"{output}: unchanged", file=sys.stderr)
        return 0
    write_atomically(output, text)
    print(f"{output}: written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
