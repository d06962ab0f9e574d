"""Test factories that tests import directly (conftest.py's fixtures use them too): the small
registry's records, a builder for registries in tmp_path, and the environment peernet runs in.
A plain module, because `from conftest import ...` finds whichever conftest pytest loaded last."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from forge_server import GIT_ENV

from peernet_cli.registry import yamlio
from peernet_cli.registry.canonical import canonical_text as render
from peernet_cli.registry.loader import path_for

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


# --- the environment of a peernet subprocess -----------------------------------------------

FORGE_TOKEN = "test-token-123"
FORGE_REPO = "network/registry"
# The isolated git identity and config from forge_server, applied on top of the test's environment.
_GIT_ISOLATION = {k: v for k, v in GIT_ENV.items() if k.startswith("GIT_")}


def peernet_env(forge_url: str, **overrides: str | None) -> dict[str, str]:
    """The environment peernet runs in: the test's (its private cache), an isolated git identity,
    and the forge settings; an override of None removes a variable."""
    env = {**os.environ, **_GIT_ISOLATION, "PEERNET_API_URL": forge_url, "PEERNET_REPO": FORGE_REPO,
           "GH_TOKEN": FORGE_TOKEN}
    for var in ("PEERNET_REGISTRY", "GITHUB_TOKEN", "PEERNET_HTTP_TIMEOUT"):
        env.pop(var, None)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *fragments: str) -> str:
    """Exit `code`, nothing on stdout, exactly one 'peernet: error:' line on stderr (no
    traceback), containing every fragment. Returns that line."""
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("peernet: error: ")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]
