"""An installed peernet carries its schemas: it validates a registry that lives anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_the_schemas_and_validates_a_registry_elsewhere(tmp_path, registry):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(wheels.glob("peernet-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for kind in ("defs", "brigade", "partner", "partnership", "event", "network"):
        assert f"peernet_cli/schemas/{kind}.schema.json" in names
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    bad = registry.write("registry/partners/bad.yaml", "id: bad\nname: Bad\nclassification: gov\nsources: [{document: x}]\n")
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    done = subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(registry.root), "validate"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "registry/partners/bad.yaml:3:17: classification: 'gov' is not one of" in done.stdout
    assert bad.exists()
