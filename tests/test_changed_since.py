"""`peernet validate --changed-since REV`: only the files a branch (or the working tree)
changed are reported on, as a pull request check needs."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}

NEW_PARTNER = {"id": "city-of-boston", "name": "City of Boston", "classification": "city-government",
               "sources": [{"url": "https://www.boston.gov/"}]}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **GIT_ENV}, check=True)
    return done.stdout


def commit_all(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)


@pytest.fixture
def repo(registry):
    """The small registry as a git repository: main committed, then a branch 'work'."""
    git(registry.root, "init", "-q")
    commit_all(registry.root, "registry")
    git(registry.root, "switch", "-q", "-c", "work")
    return registry


def files_in(result) -> set[str]:
    """The files named by the findings on stdout (text or github format)."""
    found = set()
    for line in result.stdout.splitlines():
        match = re.search(r"file=([^,:]+)", line) if line.startswith("::") else None
        found.add(match.group(1) if match else line.split(":", 1)[0])
    return found


def test_only_files_changed_on_the_branch_are_reported(repo, validate):
    # A problem already on main is not this branch's business...
    repo.write("registry/partners/old-problem.yaml", "id: old-problem\nname: Old\n")
    git(repo.root, "switch", "-q", "main")
    commit_all(repo.root, "a bad file on main")
    git(repo.root, "switch", "-q", "work")
    git(repo.root, "merge", "-q", "main")
    # ...while the branch's own new, valid file is checked and passes.
    repo.add("partner", dict(NEW_PARTNER))
    commit_all(repo.root, "add a partner")
    result = validate(repo.root, "--changed-since", "main")
    assert result.exit_code == 0, result.output
    assert "1 registry file(s) changed since main" in result.stderr
    assert "0 error(s), 0 warning(s) in 1 file(s)" in result.stderr
    # The whole registry does have the old problem.
    assert validate(repo.root).exit_code == 1


def test_an_error_in_a_changed_file_fails_and_names_only_that_file(repo, validate):
    path = repo.root / "registry/partners/code-for-america.yaml"
    path.write_text(path.read_text().replace("classification: nonprofit", "classification: charity"))
    commit_all(repo.root, "break a partner")
    result = validate(repo.root, "--changed-since", "main", "--format", "github")
    assert result.exit_code == 1
    assert files_in(result) == {"registry/partners/code-for-america.yaml"}
    assert result.stdout.startswith("::error file=registry/partners/code-for-america.yaml,line=")


def test_uncommitted_and_untracked_files_count_as_changed(repo, validate):
    repo.write("registry/partners/untracked.yaml", "id: untracked\n")
    staged = repo.add("partner", {**NEW_PARTNER, "id": "staged", "name": "Staged Org"})
    git(repo.root, "add", str(staged))
    edited = repo.root / "registry/brigades/code-for-boston.yaml"
    edited.write_text(edited.read_text().replace("status: active", "status: lively"))
    result = validate(repo.root, "--changed-since", "main")
    assert result.exit_code == 1
    assert files_in(result) == {"registry/partners/untracked.yaml", "registry/brigades/code-for-boston.yaml"}
    assert "3 registry file(s) changed since main" in result.stderr


def test_files_referring_to_a_deleted_record_are_reported(repo, validate):
    (repo.root / "registry/partners/greater-mattapan-neighborhood-council.yaml").unlink()
    commit_all(repo.root, "remove a partner that a partnership still uses")
    result = validate(repo.root, "--changed-since", "main")
    assert result.exit_code == 1
    assert files_in(result) == {"registry/partnerships/code-for-boston--greater-mattapan-neighborhood-council.yaml"}
    assert "is not a known partner or brigade id" in result.stdout


def test_nothing_changed_is_clean(repo, validate):
    repo.write("notes.txt", "not a record")  # changes outside registry/ are not records
    result = validate(repo.root, "--changed-since", "main")
    assert result.exit_code == 0
    assert "0 registry file(s) changed since main" in result.stderr
    assert "in 0 file(s)" in result.stderr


def test_paths_narrow_the_changed_files(repo, validate):
    repo.write("registry/partners/bad.yaml", "id: bad\n")
    repo.write("registry/events/bad-event.yaml", "id: bad-event\n")
    result = validate(repo.root, "--changed-since", "main", str(repo.root / "registry/events"))
    assert result.exit_code == 1
    assert files_in(result) == {"registry/events/bad-event.yaml"}


def test_registry_in_a_subfolder_of_the_repository(tmp_path, registry, validate):
    # The registry fixture lives in tmp_path/reg; make tmp_path the repository.
    git(tmp_path, "init", "-q")
    commit_all(tmp_path, "registry in a subfolder")
    registry.write("registry/partners/bad.yaml", "id: bad\n")
    result = validate(registry.root, "--changed-since", "HEAD")
    assert result.exit_code == 1
    assert files_in(result) == {"registry/partners/bad.yaml"}


def test_a_pull_request_checkout_compares_with_the_remote_branch(tmp_path, repo, validate):
    """What CI does: a clone, so the base is origin/main."""
    git(repo.root, "switch", "-q", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo.root), str(clone))
    git(clone, "switch", "-q", "-c", "pr")
    (clone / "registry/partners/new.yaml").write_text("id: new\nname: New\n")
    commit_all(clone, "a contribution")
    result = validate(clone, "--changed-since", "origin/main", "--format", "github")
    assert result.exit_code == 1
    assert files_in(result) == {"registry/partners/new.yaml"}
    assert "::error file=registry/partners/new.yaml" in result.stdout


def test_outside_git_is_a_usage_error(registry, validate):
    result = validate(registry.root, "--changed-since", "main")
    assert result.exit_code == 2
    assert "--changed-since needs a git repository" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("rev", ["no-such-branch", "origin/main", "-p"])
def test_an_unknown_revision_is_a_usage_error(repo, validate, rev):
    result = validate(repo.root, f"--changed-since={rev}")
    assert result.exit_code == 2
    assert rev in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
