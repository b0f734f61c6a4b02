"""`make audit`: pip-audit's report read correctly, against a local server speaking the OSV API.

The real vulnerability databases are out of reach of the test machine; pip-audit itself runs
for real, pointed with ``--osv-url`` at a local server that answers ``POST /v1/query`` as the
documented OSV API does (https://google.github.io/osv.dev/post-v1-query/)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from balai.devtools import dependency_audit

ADVISORY = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-0001", "GHSA-xxxx-yyyy-zzzz"],
    "summary": "SQL injection in a simulated advisory",
    "affected": [
        {
            "package": {"name": "django", "ecosystem": "PyPI"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.2.1"}]}],
        }
    ],
}


class FakeOsv(BaseHTTPRequestHandler):
    queries: list[dict] = []

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOsv.queries.append(query)
        vulnerable = query["package"]["name"].lower() == "django" and query["version"] == "4.2.0"
        body = json.dumps({"vulns": [ADVISORY]} if vulnerable else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def osv_url():
    FakeOsv.queries = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsv)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1/query"
    server.shutdown()


def audit(tmp_path, osv_url, requirements, capsys):
    path = tmp_path / "requirements.txt"
    path.write_text(requirements)
    options = ["--vulnerability-service", "osv", "--osv-url", osv_url, "--requirement", str(path)]
    status = dependency_audit.main(
        [*options, "--no-deps", "--disable-pip", "--cache-dir", str(tmp_path / "cache")]
    )
    return status, capsys.readouterr().out


def test_a_vulnerable_dependency_fails_the_audit_and_names_the_fix(tmp_path, osv_url, capsys):
    status, out = audit(tmp_path, osv_url, "django==4.2.0\nsix==1.16.0\n", capsys)

    assert status == 1
    assert "VULNERABLE django 4.2.0: PYSEC-2099-1 (fixed in: 4.2.1)" in out
    assert {query["package"]["name"].lower() for query in FakeOsv.queries} == {"django", "six"}


def test_clean_dependencies_pass_and_are_counted(tmp_path, osv_url, capsys):
    status, out = audit(tmp_path, osv_url, "django==4.2.1\nsix==1.16.0\n", capsys)

    assert status == 0
    assert "2 dependencies audited, 0 known vulnerabilities, 0 skipped." in out


REPORT_NOTHING_REACHED = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        {"name": "six", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ]
}


def test_no_advisory_data_reached_is_said_plainly_and_fails_only_when_required():
    result = dependency_audit.read_report(REPORT_NOTHING_REACHED)

    assert result.unreachable
    assert "Audit not possible here: none of the 2 dependencies" in dependency_audit.summary(result)
    assert dependency_audit.exit_status(result, required=False) == 0
    assert dependency_audit.exit_status(result, required=True) == dependency_audit.UNREACHABLE_EXIT


def test_a_skipped_editable_project_beside_audited_ones_is_not_unreachable():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.8", "vulns": []},
            {"name": "balai", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    result = dependency_audit.read_report(report)

    assert not result.unreachable
    assert dependency_audit.exit_status(result, required=True) == 0
    assert "skipped balai" in dependency_audit.summary(result)
