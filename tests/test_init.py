"""`peernet init DIR`: a new, empty registry for another network that validates at once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from peernet_cli.publish.issue_forms import render_forms
from peernet_cli.publish.scaffold import default_spec, template_files
from peernet_cli.publish.schemadocs import render_markdown
from peernet_cli.registry import yamlio
from peernet_cli.registry.schemas import KINDS, schema_dir

ROOT = Path(__file__).resolve().parent.parent

EXPECTED = [
    ".github/workflows/validate.yml",
    ".github/PULL_REQUEST_TEMPLATE.md",
    *render_forms(),    # the issue forms, generated from the schemas
    ".pre-commit-config.yaml",
    ".vscode/settings.json",
    ".gitignore",
    "README.md",
    "CONTRIBUTING.md",
    "docs/fields.md",
    *(f"schemas/{p.name}" for p in schema_dir().glob("*.schema.json")),
    *(f"registry/{k.folder}/.gitkeep" for k in KINDS.values()),
]


def test_init_scaffolds_a_registry_that_validates(cli, tmp_path):
    target = tmp_path / "new-network"
    result = cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert f"created {len(EXPECTED)} file(s)" in result.stderr
    for rel in EXPECTED:
        assert (target / rel).is_file(), rel
    for schema in schema_dir().glob("*.schema.json"):
        assert (target / "schemas" / schema.name).read_bytes() == schema.read_bytes()
    assert (target / "docs/fields.md").read_text(encoding="utf-8") == render_markdown()
    result = cli("--registry", str(target), "validate")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s) in 0 file(s)" in result.stderr
    assert cli("--registry", str(target), "fmt", "--check").exit_code == 0


def test_records_added_to_a_new_registry_validate_and_find_their_schema(cli, tmp_path):
    target = tmp_path / "net"
    assert cli("init", str(target)).exit_code == 0
    result = cli("partners", "add", "--no-pr", "--name", "Example County Library",
                 "--classification", "county-government", "--source", "https://example.org/library",
                 root=target)
    assert result.exit_code == 0, result.output
    record = target / "registry/partners/example-county-library.yaml"
    assert record.is_file()
    modeline = record.read_text(encoding="utf-8").splitlines()[0]
    schema_ref = modeline.split("$schema=", 1)[1]
    assert (record.parent / schema_ref).resolve() == (target / "schemas/partner.schema.json").resolve()
    assert cli("--registry", str(target), "validate").exit_code == 0


def test_placeholders_are_filled_in(cli, tmp_path):
    target = tmp_path / "net"
    spec = "peernet @ git+https://example.org/peernet.git@v1"
    result = cli("init", str(target), "--name", "Example Network", "--peernet-spec", spec)
    assert result.exit_code == 0, result.output
    for path in target.rglob("*"):
        if path.is_file():
            assert not re.search(r"@[A-Z_]+@", path.read_text(encoding="utf-8")), path
    assert (target / "README.md").read_text(encoding="utf-8").startswith("# Example Network\n")
    workflow, _ = yamlio.parse_text((target / ".github/workflows/validate.yml").read_text(encoding="utf-8"))
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in job.get("steps", [])]
    assert f'pip install "{spec}"' in runs
    hooks, _ = yamlio.parse_text((target / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    for hook in hooks["repos"][0]["hooks"]:
        assert hook["additional_dependencies"] == [spec]


def test_default_spec_is_this_version(cli, tmp_path):
    target = tmp_path / "net"
    assert cli("init", str(target)).exit_code == 0
    assert f'pip install "{default_spec()}"' in (target / ".github/workflows/validate.yml").read_text()
    assert (target / "README.md").read_text(encoding="utf-8").startswith("# net\n")


def test_a_non_empty_folder_is_refused_unless_forced(cli, tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = cli("init", str(target))
    assert result.exit_code == 2
    assert "is not empty" in result.stderr and "--force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    result = cli("init", str(target), "--force")
    assert result.exit_code == 0, result.output
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "registry/partners/.gitkeep").exists()


def test_an_existing_empty_folder_is_fine_and_a_file_is_refused(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("init", str(empty)).exit_code == 0
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    result = cli("init", str(a_file))
    assert result.exit_code == 2
    assert "not a folder" in result.stderr
    result = cli("init", str(tmp_path / "x"), "--peernet-spec", 'bad"quote')
    assert result.exit_code == 2


def test_vscode_settings_map_every_kind_to_its_schema(tmp_path, cli):
    target = tmp_path / "net"
    assert cli("init", str(target)).exit_code == 0
    settings = json.loads((target / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == {f"./schemas/{k.schema_file}": [f"registry/{k.folder}/*.yaml"] for k in KINDS.values()}
    for schema_path in mapping:
        assert (target / schema_path).is_file()


def test_the_wheel_ships_the_templates_and_an_installed_peernet_can_init(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(wheels.glob("peernet-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in template_files().values():
        assert f"peernet_cli/{template.relative_to(ROOT / 'peernet_cli').as_posix()}" in names
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    env = {**os.environ, "PYTHONPATH": str(unpacked), "PEERNET_CACHE_DIR": str(tmp_path / "cache")}
    target = tmp_path / "elsewhere"
    run = [sys.executable, "-m", "peernet_cli.cli.app"]
    done = subprocess.run([*run, "init", str(target)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (target / ".github/workflows/validate.yml").is_file()
    done = subprocess.run([*run, "--registry", str(target), "validate"], capture_output=True, text=True,
                          env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
