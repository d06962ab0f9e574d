"""Shared test helpers: small real registries in tmp_path and the real CLI."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from peernet_cli import yamlio
from peernet_cli.cli.app import app
from peernet_cli.registry import path_for, render

SEED = "001_6fd433e7a95ecce0.txt"
SOURCE = [{"document": SEED}]

BASE_RECORDS: list[tuple[str, dict[str, Any]]] = [
    ("network", {"id": "cfa-brigade-network", "name": "Code for America Brigade Network",
                 "classification": "brigade-network", "operator": "code-for-america", "sources": SOURCE}),
    ("partner", {"id": "code-for-america", "name": "Code for America", "classification": "nonprofit",
                 "sources": SOURCE}),
    ("brigade", {"id": "code-for-boston", "name": "Code for Boston", "aliases": ["boston"],
                 "classification": "brigade", "status": "active",
                 "location": {"city": "Boston", "state": "MA", "country": "US"},
                 "networks": [{"network": "cfa-brigade-network", "role": "member"}], "sources": SOURCE}),
    ("partner", {"id": "greater-mattapan-neighborhood-council", "name": "Greater Mattapan Neighborhood Council",
                 "other_names": [{"name": "GMNC", "note": "abbreviation"}],
                 "classification": "community-group", "sources": SOURCE}),
    ("partnership", {"id": "code-for-boston--greater-mattapan-neighborhood-council",
                     "brigade": "code-for-boston", "partner": "greater-mattapan-neighborhood-council",
                     "kind": "project-partnership", "status": "active", "start_date": "2018",
                     "sources": SOURCE}),
    ("event", {"id": "national-day-of-civic-hacking", "name": "National Day of Civic Hacking",
               "type": "day-of-civic-hacking", "recurring": True, "organizers": ["code-for-america"],
               "sources": SOURCE}),
]


class RegistryBuilder:
    """Builds a registry in a folder: canonical records via `add`, anything via `write`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "registry").mkdir(parents=True, exist_ok=True)

    def add(self, kind: str, data: dict[str, Any]) -> Path:
        path = path_for(self.root, kind, data["id"])
        yamlio.write_atomic(path, render(kind, data))
        return path

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path


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
