"""The shipped schemas work in stock JSON Schema tools, offline, with no peernet code in
the way: check-jsonschema (no flags beyond --schemafile) and jsonschema + referencing.

They used to carry absolute `$id`s on a reserved `.invalid` host, so every relative `$ref`
resolved to an address no tool could fetch (issue 10). These tests keep it from coming back.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from peernet_cli.registry import yamlio
from peernet_cli.registry.schemas import KINDS, Kind

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
BUNDLED = ROOT / "registry"
# Any attempt to fetch a schema over the network goes to a closed local port and fails at
# once, so "passes" can only mean "resolved from the files next to the schema".
NO_NETWORK = {name: "http://127.0.0.1:9" for name in
              ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")}


def check_jsonschema(schema: Path, *instances: Path) -> subprocess.CompletedProcess[str]:
    """Run the real check-jsonschema from this interpreter's environment, network blocked.
    --no-cache: a cached download from an earlier run must not stand in for a local file."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy",)}
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--no-cache", "--schemafile", str(schema),
         *map(str, instances)],
        capture_output=True, text=True, env={**env, **NO_NETWORK}, timeout=300,
    )


def records(kind: Kind) -> list[Path]:
    return sorted((BUNDLED / kind.folder).glob("*.yaml"))


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda k: k.name)
def test_check_jsonschema_accepts_every_bundled_record(kind: Kind) -> None:
    files = records(kind)
    assert files, f"no bundled {kind.folder}"
    result = check_jsonschema(SCHEMAS / kind.schema_file, *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validation done" in result.stdout


BROKEN = {
    # The slug rule lives in defs.schema.json: rejecting this proves the cross-file $ref is
    # followed, not silently skipped.
    "bad-slug-via-defs": ("id: code-for-boston\n", "id: Code For Boston\n", "Code For Boston"),
    # An enum in the kind schema itself.
    "bad-status": ("status: active\n", "status: thriving\n", "thriving"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_check_jsonschema_rejects_a_broken_record(case: str, tmp_path: Path) -> None:
    good, bad, quoted = BROKEN[case]
    source = (BUNDLED / "brigades" / "code-for-boston.yaml").read_text(encoding="utf-8")
    assert good in source, f"fixture line {good!r} no longer in code-for-boston.yaml"
    broken = tmp_path / "code-for-boston.yaml"
    broken.write_text(source.replace(good, bad, 1), encoding="utf-8")
    result = check_jsonschema(SCHEMAS / "brigade.schema.json", broken)
    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "Schema validation errors" in output and quoted in output, output
    # Rejected for its content, not because a schema could not be loaded.
    assert "Unresolvable" not in output and "Unretrievable" not in output, output


def _validator(kind: Kind, how: str) -> Draft202012Validator:
    """A plain jsonschema validator, the schemas registered the way a user with a copy of
    schemas/ would: under their bare file names ("relative-id"; the kind schemas have no
    $id, so "defs.schema.json#/..." resolves to that name), or under their file:// URIs
    with the kind schema entered by reference, so that its base URI is its own file and
    "defs.schema.json" resolves to the file beside it. No retrieve function: anything not
    registered is an error, never a download."""
    def key(path: Path) -> str:
        return path.as_uri() if how == "file-uri" else path.name

    registry: Registry[Any] = Registry().with_resources(
        (key(p), Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))))
        for p in sorted(SCHEMAS.glob("*.schema.json")))
    path = SCHEMAS / kind.schema_file
    schema: dict[str, Any] = ({"$ref": key(path)} if how == "file-uri"
                              else json.loads(path.read_text(encoding="utf-8")))
    return Draft202012Validator(schema, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("how", ["relative-id", "file-uri"])
@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda k: k.name)
def test_jsonschema_and_referencing_validate_the_bundled_records(kind: Kind, how: str) -> None:
    check = _validator(kind, how)
    for path in records(kind):
        parsed = yamlio.parse(path)
        assert parsed.error is None, (path, parsed.error)
        errors = [e.message for e in check.iter_errors(parsed.data)]
        assert not errors, (path.name, errors)


@pytest.mark.parametrize("how", ["relative-id", "file-uri"])
def test_jsonschema_and_referencing_follow_the_ref_into_defs(how: str) -> None:
    check = _validator(KINDS["brigade"], how)
    data = yamlio.parse(BUNDLED / "brigades" / "code-for-boston.yaml").data
    errors = list(check.iter_errors({**data, "id": "Code For Boston"}))
    assert [e.json_path for e in errors] == ["$.id"], [e.message for e in errors]
    assert "does not match" in errors[0].message


def test_no_schema_names_an_address_to_fetch() -> None:
    """Absolute $ids are what broke the tools: keep them relative (or absent)."""
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema_id = json.loads(path.read_text(encoding="utf-8")).get("$id")
        assert schema_id in (None, path.name), (path.name, schema_id)


def test_the_readme_command_line_works() -> None:
    """The check-jsonschema line the README gives users, run as written from the repository
    root (the shell's glob expanded here)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Validate", 1)[1].split("\n### ", 1)[0]
    lines = [line.removeprefix("$ ") for line in section.splitlines()
             if line.removeprefix("$ ").startswith("check-jsonschema ")]
    assert len(lines) == 1, "the Validate section should show one check-jsonschema command"
    args = shlex.split(lines[0])
    expanded = [a for arg in args[1:] for a in (sorted(map(str, ROOT.glob(arg))) if "*" in arg else [arg])]
    assert len(expanded) > len(args) - 1, "the glob matched no files"
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *expanded],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **NO_NETWORK}, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
