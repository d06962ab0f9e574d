"""The contributor's ecosystem: the CI workflow, pre-commit hooks, issue and pull-request
templates, CONTRIBUTING.md and editor settings are valid, agree with the schemas and the
templates `peernet init` writes, and run commands the test suite actually executes."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peernet_cli.publish.scaffold import render_template, template_files
from peernet_cli.registry import yamlio
from peernet_cli.registry.schemas import KINDS, enum_values

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github/workflows/validate.yml"
TEMPLATE_WORKFLOW = ".github/workflows/validate.yml"

# Files this repository shares with every registry `peernet init` creates (with peernet
# installed from a clone, `pip install "."`).
# (The issue forms are generated from the schemas for both: tests/test_issue_forms.py.)
SHARED = [".github/PULL_REQUEST_TEMPLATE.md", ".vscode/settings.json", "CONTRIBUTING.md"]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def load_yaml(text: str) -> Any:
    data, error = yamlio.parse_text(text)
    assert error is None, error
    return data


def workflows() -> dict[str, Any]:
    """This repository's workflow and the one `peernet init` writes."""
    return {
        "repository": load_yaml(WORKFLOW.read_text(encoding="utf-8")),
        "template": load_yaml(render_template(TEMPLATE_WORKFLOW, "Example", "peernet==0.1.0")),
    }


def steps(workflow: Any) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **GIT_ENV}, check=True).stdout


def copy_registry(target: Path) -> Path:
    shutil.copytree(ROOT / "registry", target / "registry")
    return target


# --- the workflow -----------------------------------------------------------------------

def has_check_jsonschema() -> bool:
    return importlib.util.find_spec("check_jsonschema") is not None


def test_workflows_and_issue_forms_match_githubs_schemas(tmp_path):
    rendered = tmp_path / "template-validate.yml"
    rendered.write_text(render_template(TEMPLATE_WORKFLOW, "Example", "peernet==0.1.0"), encoding="utf-8")
    checks = [("vendor.github-workflows", [WORKFLOW, rendered]),
              ("vendor.github-issue-forms", sorted((ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml")))]
    for schema, files in checks:
        done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                               *map(str, files)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("which", ["repository", "template"])
def test_actions_are_pinned_and_permissions_least_privilege(which):
    workflow = workflows()[which]
    assert workflow["permissions"] == {"contents": "read"}
    text = WORKFLOW.read_text() if which == "repository" else template_files()[TEMPLATE_WORKFLOW].read_text()
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert uses
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"not pinned to a commit: {ref}"
        assert re.search(r"# v\d+\.\d+\.\d+", comment), f"{ref}: say which release the SHA is"
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        if name == "pages":
            assert granted == {"pages": "write", "id-token": "write"}
            assert job["environment"]["name"] == "github-pages"
        else:
            assert not granted, f"job {name} should inherit contents: read"


@pytest.mark.parametrize("which", ["repository", "template"])
def test_pull_requests_check_only_their_changes_with_full_history(which):
    workflow = workflows()[which]
    assert "pull_request" in workflow["on"] and workflow["on"]["push"]["branches"] == ["main"]
    job = workflow["jobs"]["pull-request"]
    assert job["if"] == "github.event_name == 'pull_request'"
    checkout, setup = job["steps"][0], job["steps"][1]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    assert setup["uses"].startswith("actions/setup-python@") and setup["with"]["python-version"] == "3.11"
    validate = next(s for s in job["steps"] if "--changed-since" in s.get("run", ""))
    assert validate["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert any(s.get("run") == "peernet fmt --check" for s in job["steps"])
    pages = workflow["jobs"]["pages"]
    assert "vars.PUBLISH_PAGES == 'true'" in pages["if"] and pages["needs"] == "main"


def test_the_repository_workflow_runs_the_test_suite_as_ci_does():
    runs = [s.get("run", "") for s in steps(workflows()["repository"])]
    assert "pip install '.[gazetteer]'" in runs and "./scripts/test" in runs
    assert "./scripts/test" in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()


def _pr_clone(tmp_path: Path, bad: bool) -> Path:
    """A pull-request checkout: the bundled registry on origin/main, a branch adding a record."""
    origin = copy_registry(tmp_path / "origin")
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "registry")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "switch", "-q", "-c", "contribution")
    source = (clone / "registry/partners/caltrans.yaml").read_text(encoding="utf-8")
    record = source.replace("id: caltrans", "id: caltrans-district-3").replace("name: Caltrans", "name: Caltrans District 3")
    if bad:
        record = record.replace("classification: state-agency", "classification: gov")
    (clone / "registry/partners/caltrans-district-3.yaml").write_text(record, encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "contribution")
    return clone


def _run(cli: Callable[..., Any], command: str, env: dict[str, str] | None = None) -> Any:
    argv = shlex.split(os.path.expandvars(command) if env is None else _expand(command, env))
    assert argv[0] == "peernet"
    return cli(*argv[1:])


def _expand(command: str, env: dict[str, str]) -> str:
    return re.sub(r"\$(\w+)", lambda m: env[m.group(1)], command)


def check_changed_since(cli, tmp_path, monkeypatch, command, env):
    monkeypatch.chdir(_pr_clone(tmp_path / "good", bad=False))
    result = _run(cli, command, env)
    assert result.exit_code == 0, result.output
    assert "1 registry file(s) changed since origin/main" in result.stderr
    monkeypatch.chdir(_pr_clone(tmp_path / "bad", bad=True))
    result = _run(cli, command, env)
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=registry/partners/caltrans-district-3.yaml,line=")
    assert len(result.stdout.splitlines()) == 1


def check_on_bundled_registry(expect_output: str | None = None):
    def check(cli, tmp_path, monkeypatch, command, env):
        monkeypatch.chdir(copy_registry(tmp_path))
        result = _run(cli, command, env)
        assert result.exit_code == 0, result.output
        if expect_output:
            assert (tmp_path / expect_output).is_file()
    return check


# Every peernet command a workflow runs, and how this test suite runs it.
WORKFLOW_COMMANDS = {
    'peernet validate --changed-since "origin/$BASE_REF" --format github': check_changed_since,
    "peernet fmt --check": check_on_bundled_registry(),
    "peernet validate --format github": check_on_bundled_registry(),
    "peernet report html --output site": check_on_bundled_registry("site/index.html"),
}


def test_every_peernet_command_in_the_workflows_is_one_this_suite_runs():
    found = {s["run"] for wf in workflows().values() for s in steps(wf)
             if s.get("run", "").startswith("peernet ")}
    assert found == set(WORKFLOW_COMMANDS)


@pytest.mark.parametrize("command", sorted(WORKFLOW_COMMANDS))
def test_workflow_command_runs_as_in_ci(cli, tmp_path, monkeypatch, command):
    step = next(s for wf in workflows().values() for s in steps(wf) if s.get("run") == command)
    env = {k: ("main" if v == "${{ github.base_ref }}" else v) for k, v in step.get("env", {}).items()}
    WORKFLOW_COMMANDS[command](cli, tmp_path, monkeypatch, command, env)


# --- files shared with `peernet init` ------------------------------------------------------

@pytest.mark.parametrize("rel", SHARED)
def test_repository_copy_equals_the_init_template(rel):
    assert (ROOT / rel).read_text(encoding="utf-8") == render_template(rel, "peernet", "."), (
        f"{rel} differs from peernet_cli/templates/init/; edit the template and copy it over"
    )


def test_vscode_settings_map_each_folder_to_its_schema():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    for kind in KINDS.values():
        assert settings["yaml.schemas"][f"./schemas/{kind.schema_file}"] == [f"registry/{kind.folder}/*.yaml"]
        assert (ROOT / "schemas" / kind.schema_file).is_file()


def _form(name: str) -> dict[str, Any]:
    form = load_yaml((ROOT / ".github/ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    return {item["id"]: item for item in form["body"] if "id" in item}


def test_add_partnership_form_offers_the_schemas_values():
    fields = _form("add-partnership.yml")
    for field in ("brigade", "partner", "status", "source"):
        assert fields[field]["validations"]["required"] is True, field
    assert fields["status"]["attributes"]["options"] == enum_values("partnership", "status")
    assert fields["kind"]["attributes"]["options"] == enum_values("partnership", "kind")
    assert "relationship" in fields["relationship-building"]["attributes"]["label"]


def test_outdated_information_form_asks_which_record_what_is_wrong_and_a_source():
    fields = _form("outdated-information.yml")
    assert set(fields) == {"record", "wrong", "source"}
    assert all(f["validations"]["required"] for f in fields.values())


# --- CONTRIBUTING.md ------------------------------------------------------------------------

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_contributing_links_the_generated_field_reference():
    assert "](docs/fields.md)" in CONTRIBUTING
    assert (ROOT / "docs/fields.md").is_file()
    assert "peernet schema docs --output docs/fields.md" in CONTRIBUTING


def test_contributing_example_and_command_work(cli, registry):
    """The example file validates in a registry holding its brigade and partner, and the
    command-line example adds a partnership."""
    registry.add("brigade", {"id": "code-for-example", "name": "Code for Example", "status": "active",
                             "sources": [{"url": "https://example.org/"}]})
    registry.add("partner", {"id": "example-county-library", "name": "Example County Library",
                             "classification": "county-government", "sources": [{"url": "https://example.org/"}]})
    example = re.search(r"```yaml\n(.*?)```", CONTRIBUTING, re.DOTALL).group(1)
    data = load_yaml(example)
    registry.write(f"registry/partnerships/{data['id']}.yaml", example)
    result = cli("validate", "--as-of", "2026-01-01", root=registry.root)
    assert result.exit_code == 0 and "0 warning(s)" in result.stderr, result.output
    (registry.root / f"registry/partnerships/{data['id']}.yaml").unlink()
    joined = CONTRIBUTING.replace("\\\n", " ")  # shell line continuations
    argv = shlex.split(re.search(r"^peernet partnerships add .*$", joined, re.MULTILINE).group(0))
    result = cli(*argv[1:], "--no-pr", root=registry.root)
    assert result.exit_code == 0, result.output
    assert (registry.root / "registry/partnerships/code-for-example--example-county-library.yaml").is_file()


# --- pre-commit -------------------------------------------------------------------------

def test_pre_commit_hooks_manifest():
    hooks = {h["id"]: h for h in load_yaml((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"peernet-validate", "peernet-fmt"}
    assert hooks["peernet-validate"]["entry"] == "peernet validate"
    assert hooks["peernet-fmt"]["entry"] == "peernet fmt --check"
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is True
        pattern = re.compile(hook["files"])
        assert pattern.search("registry/partners/caltrans.yaml")
        assert not pattern.search("schemas/partner.schema.json") and not pattern.search("README.md")
    config = load_yaml((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = next(r for r in config["repos"] if r["repo"] == "local")
    assert {h["id"] for h in local["hooks"]} == set(hooks)
    ruff = next(r for r in config["repos"] if r["repo"].endswith("astral-sh/ruff-pre-commit"))
    assert re.fullmatch(r"[0-9a-f]{40}", ruff["rev"])


def has_pre_commit() -> bool:
    return importlib.util.find_spec("pre_commit") is not None


def test_pre_commit_files_are_valid(tmp_path):
    template = tmp_path / "template-config.yaml"
    template.write_text(render_template(".pre-commit-config.yaml", "Example", "peernet==0.1.0"))
    for command, path in (("validate-manifest", ROOT / ".pre-commit-hooks.yaml"),
                          ("validate-config", ROOT / ".pre-commit-config.yaml"),
                          ("validate-config", template)):
        done = subprocess.run([sys.executable, "-m", "pre_commit", command, str(path)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


SOURCE_FILES = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "peernet_cli", "schemas", "registry"]


def test_slow_pre_commit_try_repo_installs_the_hook_and_catches_a_bad_file(tmp_path):
    """`pre-commit try-repo . peernet-validate --all-files` in a clone of this repository:
    passes on the bundled registry, fails on a bad file. Slow (pre-commit pip-installs
    peernet into its own environment, once per run) and needs the package index."""
    repo = tmp_path / "peernet"
    repo.mkdir()
    for name in SOURCE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "peernet")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PEERNET_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("PEERNET_REGISTRY", None)
    try_repo = [sys.executable, "-m", "pre_commit", "try-repo", ".", "peernet-validate", "--all-files",
                "--color", "never"]

    done = subprocess.run(try_repo, cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"peernet validate\.+Passed", done.stdout), done.stdout

    bad = repo / "registry/partners/bad-partner.yaml"
    bad.write_text("id: bad-partner\nname: Bad Partner\nclassification: gov\nsources: [{document: x}]\n")
    git(repo, "add", str(bad))
    done = subprocess.run(try_repo, cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"peernet validate\.+Failed", done.stdout), done.stdout
    assert "registry/partners/bad-partner.yaml:3:17: classification: 'gov' is not one of" in done.stdout
