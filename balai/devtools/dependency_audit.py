"""Known vulnerabilities in the installed dependencies (`make audit`, run by `.ci/run`).

Runs pip-audit over the project's environment and reads its JSON report. Three outcomes:

- a dependency has a known vulnerability: the list is printed and the exit status is 1;
- every dependency was audited, or some were skipped (not published on the package index,
  such as Balai itself): the exit status is 0 and the skipped ones are named;
- **no** dependency could be audited: the vulnerability data could not be reached (a machine
  without internet or behind a mirror that serves packages but not their advisories). That is
  said plainly, and the exit status is 0, or 3 when ``BALAI_AUDIT_REQUIRED=1`` (set it where
  the audit must never be skipped, such as a release pipeline with internet).

Usage: ``python -m balai.devtools.dependency_audit [pip-audit options]``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

UNREACHABLE_EXIT = 3


@dataclass
class AuditResult:
    audited: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    vulnerable: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def unreachable(self) -> bool:
        """True when nothing could be audited at all: no advisory data was reached."""
        return self.audited == 0 and bool(self.skipped)


def read_report(report: dict) -> AuditResult:
    """Sort pip-audit's JSON report into audited, skipped and vulnerable dependencies."""
    result = AuditResult()
    for dependency in report.get("dependencies", []):
        name = dependency.get("name", "?")
        if "skip_reason" in dependency:
            result.skipped.append((name, dependency["skip_reason"]))
            continue
        result.audited += 1
        for vulnerability in dependency.get("vulns", []):
            fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fix yet"
            result.vulnerable.append(
                (name, dependency.get("version", "?"), vulnerability.get("id", "?"), fixed)
            )
    return result


def exit_status(result: AuditResult, *, required: bool) -> int:
    if result.vulnerable:
        return 1
    if result.unreachable:
        return UNREACHABLE_EXIT if required else 0
    return 0


def summary(result: AuditResult) -> str:
    lines = []
    for name, version, vulnerability_id, fixed in result.vulnerable:
        lines.append(f"VULNERABLE {name} {version}: {vulnerability_id} (fixed in: {fixed})")
    if result.unreachable:
        lines.append(
            f"Audit not possible here: none of the {len(result.skipped)} dependencies could be "
            "looked up in the vulnerability data (no internet, or a package mirror without "
            "advisories). Run `make audit` on a machine with internet before a release."
        )
    else:
        for name, reason in result.skipped:
            lines.append(f"skipped {name}: {reason}")
        lines.append(
            f"{result.audited} dependencies audited, {len(result.vulnerable)} known "
            f"vulnerabilities, {len(result.skipped)} skipped."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = [sys.executable, "-m", "pip_audit", "--format", "json", "--skip-editable", *argv]
    # The arguments are this module's own and the developer's command line: nothing untrusted.
    completed = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(completed.stderr)
        print(f"pip-audit did not produce a report (exit status {completed.returncode}).")
        return 2
    result = read_report(report)
    print(summary(result))
    return exit_status(result, required=os.environ.get("BALAI_AUDIT_REQUIRED") == "1")


if __name__ == "__main__":
    sys.exit(main())
