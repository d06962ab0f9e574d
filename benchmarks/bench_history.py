"""History benchmark: a git repository of N record files and C commits, then `report growth`
and `history` timed against a cold `validate` of the same files.

    python benchmarks/bench_history.py [--files 10000] [--commits 1000] [--work DIR]

The first commit holds a registry built by registry_gen.py (real record shapes); each later
commit, by one of five authors and one day after the one before, changes the status of 1-5
partnerships (cycling prospective -> active -> paused -> ended), and every tenth also
renames a partnership file. Commits are written with `git fast-import`, so building the
repository takes seconds. Every command runs as a whole process with a cold cache folder;
"warm" runs reuse the cache of the run before.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import registry_gen

AUTHORS = ["Ana Lima", "Ben Ode", "Chloe Ng", "Dev Rao", "Eve Park"]
CYCLE = {"prospective": "active", "active": "paused", "paused": "ended", "ended": "active", "unknown": "active"}
_STATUS = re.compile(r"(?m)^status: (\S+)$")


def build_repo(root: Path, files: int, commits: int, seed: int = 1) -> None:
    registry_gen.build(root, files)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    ships = sorted((root / "registry" / "partnerships").glob("*.yaml"))
    texts = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("registry/*/*.yaml")}
    rng = random.Random(seed)
    start = 1577880000  # 2020-01-01T12:00:00Z: commits run one a day from here
    out: list[bytes] = []

    def data(text: str) -> None:
        raw = text.encode()
        out.append(b"data %d\n" % len(raw) + raw + b"\n")

    for n in range(commits):
        author = AUTHORS[n % len(AUTHORS)]
        when = start + n * 86400
        out.append(b"commit refs/heads/main\n")
        out.append(f"author {author} <{author.split()[0].lower()}@example.org> {when} +0000\n".encode())
        out.append(f"committer {author} <{author.split()[0].lower()}@example.org> {when} +0000\n".encode())
        data("initial registry" if n == 0 else f"change {n}")
        if n == 0:
            for rel, text in sorted(texts.items()):
                out.append(f"M 100644 inline {rel}\n".encode())
                data(text)
            continue
        for path in rng.sample(ships, rng.randint(1, 5)):
            rel = path.relative_to(root).as_posix()
            if rel not in texts:
                continue
            old = _STATUS.search(texts[rel])
            if old:
                texts[rel] = _STATUS.sub(f"status: {CYCLE.get(old.group(1), 'active')}", texts[rel], count=1)
                out.append(f"M 100644 inline {rel}\n".encode())
                data(texts[rel])
        if n % 10 == 0:  # a file moved aside and back (a rename each way, over two commits)
            rel = ships[n % len(ships)].relative_to(root).as_posix()
            if rel in texts:
                out.append(f"D {rel}\n".encode())
                out.append(f"M 100644 inline {rel}\n".encode())
                data(texts[rel] + "# touched\n")
                texts[rel] += "# touched\n"
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(out), check=True, env=env)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True, env=env)


def timed(argv: list[str], cache: Path) -> float:
    env = {**os.environ, "PEERNET_CACHE_DIR": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env)
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-400:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="peernet-history-"))
    root = work / "repo"
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    build_repo(root, args.files, args.commits)
    print(f"built {args.files} files, {args.commits} commits in {time.perf_counter() - started:.1f} s")
    peernet = [sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(root)]
    ship = min((root / "registry" / "partnerships").glob("*.yaml")).stem
    rows = []
    for label, argv in (("validate (cold)", ["validate"]),
                        ("report growth --every quarter (cold)", ["report", "growth", "--every", "quarter",
                                                                   "--format", "json"]),
                        ("report growth --every month (cold)", ["report", "growth", "--every", "month",
                                                                 "--format", "json"]),
                        (f"history {ship} (cold)", ["history", ship, "--format", "json"])):
        cache = Path(tempfile.mkdtemp(prefix="peernet-cache-"))
        cold = timed(peernet + argv, cache)
        warm = timed(peernet + argv, cache)
        rows.append((label, cold, warm))
        shutil.rmtree(cache)
    base = rows[0][1]
    print(f"\n| command ({args.files} files, {args.commits} commits) | cold s | warm s | cold / cold validate |")
    print("|---|---|---|---|")
    for label, cold, warm in rows:
        print(f"| `{label.replace(' (cold)', '')}` | {cold:.2f} | {warm:.2f} | {cold / base:.1f}x |")


if __name__ == "__main__":
    main()
