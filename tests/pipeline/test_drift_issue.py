"""``scripts/drift_issue.py`` against a small local stand-in of GitLab's issues API: it opens
the drift issue once, then comments on it, and never shows the token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "drift_issue.py"
TOKEN = "glpat-not-a-real-token-123"


class FakeGitLab:
    def __init__(self) -> None:
        self.issues: list[dict[str, Any]] = []
        self.notes: list[tuple[int, str]] = []
        self.tokens: set[str | None] = set()


def _handler(state: FakeGitLab) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, payload: Any, status: int = 200) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            state.tokens.add(self.headers.get("PRIVATE-TOKEN"))
            self._answer([i for i in state.issues if i["state"] == "opened"])

        def do_POST(self) -> None:
            state.tokens.add(self.headers.get("PRIVATE-TOKEN"))
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path.endswith("/notes"):
                iid = int(self.path.split("/")[-2])
                state.notes.append((iid, body["body"]))
                self._answer({"id": len(state.notes)}, 201)
            else:
                issue = {"iid": len(state.issues) + 1, "state": "opened", **body}
                state.issues.append(issue)
                self._answer(issue, 201)

    return Handler


@pytest.fixture
def gitlab() -> Iterator[tuple[FakeGitLab, str]]:
    state = FakeGitLab()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    finally:
        server.shutdown()


def run(api: str, report: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DRIFT_ISSUE_TOKEN": TOKEN,
        "CI_API_V4_URL": api,
        "CI_PROJECT_ID": "cms-dqmdc/libraries/dials-py",
        "CI_PIPELINE_URL": "https://gitlab.example/pipelines/7",
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(report)], env=env, capture_output=True, text=True
    )


def test_opens_the_issue_then_comments(gitlab: tuple[FakeGitLab, str], tmp_path: Path) -> None:
    state, api = gitlab
    report = tmp_path / "drift-report.txt"
    report.write_text("GET /api/v1/th1/: query parameter era added (optional, string)\n")
    first = run(api, report)
    assert first.returncode == 0, first.stderr
    assert [i["title"] for i in state.issues] == ["DIALS API drift"]
    assert "query parameter era added" in state.issues[0]["description"]
    assert "make pull-spec && make regen" in state.issues[0]["description"]
    second = run(api, report)
    assert second.returncode == 0, second.stderr
    assert len(state.issues) == 1 and [iid for iid, _ in state.notes] == [1]
    assert state.tokens == {TOKEN}
    for out in (first, second):
        assert TOKEN not in out.stdout + out.stderr


def test_without_the_token_it_says_what_to_set(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("x")
    env = {k: v for k, v in os.environ.items() if k != "DRIFT_ISSUE_TOKEN"}
    out = subprocess.run(
        [sys.executable, str(SCRIPT), str(report)], env=env, capture_output=True, text=True
    )
    assert out.returncode == 2
    assert "DRIFT_ISSUE_TOKEN" in out.stderr


def test_an_unreachable_api_fails_in_one_line(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("x")
    out = run("http://127.0.0.1:9/api/v4", report)
    assert out.returncode == 1
    assert out.stderr.startswith("drift_issue: the GitLab API call failed:")
    assert "Traceback" not in out.stderr and TOKEN not in out.stderr
