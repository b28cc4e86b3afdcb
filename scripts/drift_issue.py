"""Open or update the project's "DIALS API drift" issue with a drift report (the scheduled
CI job's ``after_script``, when ``make check-drift`` failed).

    python3 scripts/drift_issue.py drift-report.txt

Reads GitLab's predefined ``CI_API_V4_URL``, ``CI_PROJECT_ID`` and ``CI_PIPELINE_URL``, and
the project access token ``DRIFT_ISSUE_TOKEN`` (scope ``api``), which is sent in the
``PRIVATE-TOKEN`` header only and never printed. An open issue of that title gets the report
as a new comment; otherwise one is opened. Standard library only: it runs before any
environment is set up.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

TITLE = "DIALS API drift"
LABEL = "api-drift"


def call(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("PRIVATE-TOKEN", token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: drift_issue.py REPORT", file=sys.stderr)
        return 2
    token = os.environ.get("DRIFT_ISSUE_TOKEN", "")
    api = os.environ.get("CI_API_V4_URL", "").rstrip("/")
    project = os.environ.get("CI_PROJECT_ID", "")
    if not (token and api and project):
        print(
            "drift_issue: DRIFT_ISSUE_TOKEN, CI_API_V4_URL and CI_PROJECT_ID must be set "
            "(GitLab sets the last two in a pipeline)",
            file=sys.stderr,
        )
        return 2
    report = Path(argv[0]).read_text(encoding="utf-8", errors="replace")
    pipeline = os.environ.get("CI_PIPELINE_URL", "a scheduled pipeline")
    text = (
        f"The scheduled drift check ({pipeline}) found that production's DIALS spec differs "
        "from `openapi.json`. Run `make pull-spec && make regen`, review, and commit.\n\n"
        f"```\n{report[-60000:]}\n```"
    )
    base = f"{api}/projects/{urllib.parse.quote(project, safe='')}/issues"
    query = urllib.parse.urlencode({"state": "opened", "search": TITLE, "in": "title"})
    try:
        found = [i for i in call("GET", f"{base}?{query}", token) if i.get("title") == TITLE]
        if found:
            iid = found[0]["iid"]
            call("POST", f"{base}/{iid}/notes", token, {"body": text})
            print(f"drift_issue: commented on issue #{iid}")
        else:
            made = call("POST", base, token, {"title": TITLE, "description": text, "labels": LABEL})
            print(f"drift_issue: opened issue #{made['iid']}")
    except OSError as exc:  # urllib's HTTPError and URLError are OSErrors
        print(f"drift_issue: the GitLab API call failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
