"""Benchmark: `peernet validate` on a synthetic registry of N small files, cold and warm.

    python benchmarks/validate_bench.py [N]        # default 10000

Builds the registry in a temporary folder (a quarter brigades, a quarter partners, half
partnerships), then times the real CLI in a subprocess: once with an empty cache (cold),
once again (warm: every file unchanged), and once with --no-cache. If check-jsonschema is
installed it is timed on the same files for comparison. Prints one line per run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peernet_cli import yamlio
from peernet_cli.registry import path_for, render

SRC = [{"document": "seed.txt", "note": "synthetic benchmark record"}]


def build(root: Path, n: int) -> None:
    quarter = n // 4
    for i in range(quarter):
        b, p = f"brigade-{i}", f"partner-{i}"
        yamlio.write_atomic(path_for(root, "brigade", b), render("brigade", {
            "id": b, "name": f"Code for Place {i}", "status": "active",
            "location": {"city": f"City {i}", "state": "MA", "country": "US", "latitude": 42.1, "longitude": -71.2},
            "website": f"https://b{i}.example.org", "sources": SRC}))
        yamlio.write_atomic(path_for(root, "partner", p), render("partner", {
            "id": p, "name": f"Partner {i}", "classification": "nonprofit",
            "description": "A partner organization.", "sources": SRC}))
        for j in range(2):
            q = f"partner-{(i + j) % quarter}"
            yamlio.write_atomic(path_for(root, "partnership", f"{b}--{q}"), render("partnership", {
                "id": f"{b}--{q}", "brigade": b, "partner": q, "kind": "project-partnership",
                "status": "active", "start_date": "2019", "priorities": ["Open data", "Housing"],
                "sources": SRC}))


def timed(label: str, argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    print(f"{label:<28} {elapsed:6.2f} s  (exit {done.returncode})")
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    work = Path(tempfile.mkdtemp(prefix="peernet-bench-"))
    try:
        build(work, n)
        files = sorted(str(p) for p in (work / "registry").rglob("*.yaml"))
        print(f"{len(files)} files, {os.cpu_count()} cores")
        env = {**os.environ, "PEERNET_CACHE_DIR": str(work / "cache")}
        peernet = [sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(work), "validate"]
        timed("peernet validate (cold)", peernet, env)
        timed("peernet validate (warm)", peernet, env)
        timed("peernet validate --no-cache", [*peernet, "--no-cache"], env)
        if shutil.which("check-jsonschema"):
            # One self-contained schema per kind (refs inlined: its $ids are names, not
            # addresses to fetch), every file of that kind; the times are added up.
            import json

            from peernet_cli.schemas import KINDS, inline_refs, load_schema

            total = 0.0
            for kind in KINDS.values():
                schema = load_schema(kind.schema_file)
                bundled = work / f"{kind.name}.json"
                bundled.write_text(json.dumps({**inline_refs(schema, schema), "$schema": schema["$schema"]}))
                chunk = [f for f in files if f"/{kind.folder}/" in f]
                if chunk:
                    total += timed(f"check-jsonschema {kind.folder}", ["check-jsonschema", "--schemafile", str(bundled), *chunk], env)
            print(f"{'check-jsonschema (all)':<28} {total:6.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
