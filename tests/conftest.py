"""Shared test helpers: small real registries in tmp_path and the real CLI."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from factories import (  # noqa: F401 - re-exported for tests that import them from conftest
    _GIT_ISOLATION,
    BASE_RECORDS,
    FORGE_REPO,
    FORGE_TOKEN,
    SEED,
    SOURCE,
    RegistryBuilder,
    peernet_env,
)
from forge_server import GIT_ENV, FakeForge, git, init_bare_remote
from typer.testing import CliRunner

from peernet_cli.cli.app import app


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own validate cache, never the user's."""
    monkeypatch.setenv("PEERNET_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def registry(tmp_path: Path) -> RegistryBuilder:
    """A small valid registry: one brigade, two partners, a partnership, a network, an event."""
    builder = RegistryBuilder(tmp_path / "reg")
    for kind, data in BASE_RECORDS:
        builder.add(kind, copy.deepcopy(data))
    return builder


@pytest.fixture
def empty_registry(tmp_path: Path) -> RegistryBuilder:
    return RegistryBuilder(tmp_path / "empty")


@pytest.fixture
def cli() -> Callable[..., Any]:
    """Run the real CLI in-process: cli(*args, root=...) -> click Result (stdout/stderr apart)."""
    runner = CliRunner()

    def run(*args: str, root: Path | None = None, input: str | None = None, env: dict[str, str] | None = None) -> Any:
        argv = ["--registry", str(root), *args] if root is not None else list(args)
        return runner.invoke(app, argv, input=input, env=env, catch_exceptions=False)

    return run


# --- validate helpers (added for the `peernet validate` tests) ---------------------------

AS_OF = "2026-01-01"


@pytest.fixture
def validate(cli: Callable[..., Any]) -> Callable[..., Any]:
    """Run `peernet validate --as-of 2026-01-01 ARGS` on a registry root, so date checks
    never depend on the day the tests run: validate(root, *args, env=None)."""

    def run(root: Path | None, *args: str, env: dict[str, str] | None = None) -> Any:
        return cli("validate", "--as-of", AS_OF, *args, root=root, env=env)

    return run


# --- contribute helpers: a real git checkout, the fake forge, the CLI as a subprocess -----



@dataclass
class Checkout:
    """A clone of a bare remote (`origin`) holding the small registry, committed and pushed
    on `main`: what a contributor has after `git clone`."""

    root: Path      # the working tree; holds registry/
    bare: Path      # the remote it was cloned from

    def git(self, *args: str) -> str:
        return git(*args, cwd=self.root)

    def branches(self) -> set[str]:
        return set(self.git("for-each-ref", "--format=%(refname:short)", "refs/heads").split())

    def current_branch(self) -> str:
        return self.git("symbolic-ref", "--short", "HEAD")

    def status(self) -> str:
        """`git status --porcelain`, untracked files included; '' means clean."""
        return self.git("status", "--porcelain", "--untracked-files=all")

    def head(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", ref)

    def remote_head(self, branch: str) -> str | None:
        """The commit `branch` points at in the bare remote, or None when it was never pushed."""
        done = subprocess.run(["git", "--git-dir", str(self.bare), "rev-parse", "--verify", "--quiet",
                               f"refs/heads/{branch}"], env=GIT_ENV, capture_output=True, text=True,
                              timeout=30, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def commit_record(self, kind: str, data: dict[str, Any], message: str) -> Path:
        """Add a record the usual way (commit on main and push), as another contributor would have."""
        path = RegistryBuilder(self.root).add(kind, data)
        self.git("add", "--", str(path.relative_to(self.root)))
        self.git("commit", "-q", "-m", message)
        self.git("push", "-q", "origin", "main")
        return path

    def commit_file(self, rel: str, text: str, message: str) -> Path:
        path = RegistryBuilder(self.root).write(rel, text)
        self.git("add", "--", rel)
        self.git("commit", "-q", "-m", message)
        self.git("push", "-q", "origin", "main")
        return path


@pytest.fixture(scope="session")
def _pushed_registry(tmp_path_factory: pytest.TempPathFactory) -> Checkout:
    """Built once per session: the `registry` fixture's records in a clone of a bare remote
    (init_bare_remote), committed and pushed on main. Tests get copies (`checkout`)."""
    base = tmp_path_factory.mktemp("pushed-registry")
    source = RegistryBuilder(base / "reg")
    for kind, data in BASE_RECORDS:
        source.add(kind, copy.deepcopy(data))
    bare = init_bare_remote(base / "remote" / "registry.git")
    root = base / "checkout"
    git("clone", "-q", str(bare), str(root))
    shutil.copytree(source.root / "registry", root / "registry")
    git("add", "registry", cwd=root)
    git("commit", "-q", "-m", "Add the registry", cwd=root)
    git("push", "-q", "origin", "main", cwd=root)
    return Checkout(root, bare)


@pytest.fixture
def checkout(_pushed_registry: Checkout, tmp_path: Path) -> Checkout:
    """A contributor's clone of the registry, in tmp_path: the small registry committed and
    pushed on main, origin a bare remote of its own, main checked out, the tree clean."""
    bare = tmp_path / "remote" / "registry.git"
    shutil.copytree(_pushed_registry.bare, bare, symlinks=True)
    root = tmp_path / "checkout"
    shutil.copytree(_pushed_registry.root, root, symlinks=True)
    git("remote", "set-url", "origin", str(bare), cwd=root)
    return Checkout(root, bare)


@pytest.fixture
def fake_forge(checkout: Checkout) -> Iterator[FakeForge]:
    """A GitHub-compatible API on 127.0.0.1 for network/registry, bound to the checkout's remote."""
    with FakeForge(checkout.bare, token=FORGE_TOKEN) as forge:
        yield forge


@pytest.fixture
def peernet_environ(fake_forge: FakeForge) -> Callable[..., dict[str, str]]:
    """peernet_environ(**overrides) -> the environment `peernet` runs the CLI in (see peernet_env)."""

    def environ(**overrides: str | None) -> dict[str, str]:
        return peernet_env(fake_forge.url, **overrides)

    return environ


@pytest.fixture
def peernet(checkout: Checkout, peernet_environ: Callable[..., dict[str, str]]
            ) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real CLI in a subprocess, in the checkout (the registry is found by walking up):
    peernet(*args, cwd=None, **env_overrides) -> CompletedProcess. stdin is /dev/null, so a
    command that wanted to prompt fails instead of hanging; every run is bounded by a timeout."""

    def run(*args: str, cwd: Path | None = None, **env: str | None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", *args],
                              cwd=cwd or checkout.root, env=peernet_environ(**env),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                              check=False)

    return run


# --- hypothesis profiles for tests/test_output_safety.py ---------------------------------------
# `security` (the default there) keeps CI fast; `pytest --hypothesis-profile=security-long` runs more.
from hypothesis import HealthCheck, settings

for _name, _examples in (("security", 30), ("security-long", 500)):
    settings.register_profile(_name, max_examples=_examples, deadline=None,
                              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
