"""Benchmark of peernet's read path, as whole processes, against check-jsonschema.

    python benchmarks/bench.py [--sizes 1000,10000] [--repeat 5] [--write-results]

What it measures and why: contributors run `peernet validate` and queries on registries that
will grow to thousands of files, and CI runs validate on every pull request. A schema check
of the same files with check-jsonschema is the yardstick for validate (it only checks
schemas, so peernet, which also checks references, ids and duplicates, should still beat it
by using a fast validator and its on-disk cache); `python -c pass` is the floor for any
command, and the same query on the bundled registry (373 files) shows how much a query
costs per extra file. Every number is the wall-clock time of real subprocesses, start to
exit, so interpreter start-up, imports, YAML parsing and cache reads are all counted.

For each size it builds a registry of real record shapes (registry_gen.py: copies of the
bundled registry with renamed ids) in a temporary folder and prints one Markdown table:
the median of several runs of each command, ratios, and the target with PASS/MISS.
Cold runs get an empty $PEERNET_CACHE_DIR every time; warm runs share one, primed by an
untimed run first. "After editing 10 files" edits 10 records' text between runs (one of
them keeping its size and restoring its mtime, as `cp -p` would) and then validates.
With --write-results the tables and the machine they ran on go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import registry_gen

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "schemas"
BIN = Path(sys.executable).parent
PEERNET = str(BIN / "peernet")
CJS = str(BIN / "check-jsonschema") if (BIN / "check-jsonschema").exists() else "check-jsonschema"
KINDS = {"brigades": "brigade", "partners": "partner", "partnerships": "partnership",
         "events": "event", "networks": "network"}
BUNDLED_QUERY = "boston"
QUERY = "code-for-boston-c1"  # present from 746 files on (copy 1 of the bundled registry)
# Editable lines: a top-level description or notes that is a plain (unquoted) scalar.
_EDITABLE = re.compile(r"(?m)^(?:description|notes): (?P<value>[A-Za-z].*)$")

Argv = list[str]


@dataclass
class Row:
    label: str
    times: list[float] = field(default_factory=list)
    exits: set[int] = field(default_factory=set)
    failures: set[str] = field(default_factory=set)  # last stderr line of failed processes

    @property
    def median(self) -> float:
        return statistics.median(self.times)


@dataclass(frozen=True)
class Target:
    row: str  # label of the row it applies to
    column: str  # ratio column it reads
    limit: float
    at_least: bool  # True: the ratio must be >= limit, else <= limit

    def text(self) -> str:
        return f"{'≥' if self.at_least else '≤'} {self.limit:g}× ({self.column})"

    def met(self, ratio: float) -> bool:
        return ratio >= self.limit if self.at_least else ratio <= self.limit


R_PASS, R_BUNDLED = "`python -c pass`", f"`partners list --brigade {BUNDLED_QUERY}`, bundled registry, warm"
R_CJS, R_COLD, R_WARM = "check-jsonschema (one process per kind)", "`validate`, cold", "`validate`, warm"
R_EDIT = "`validate` after editing 10 files"
R_QCOLD, R_QWARM = f"`partners list --brigade {QUERY}`, cold", f"`partners list --brigade {QUERY}`, warm"
R_HTML = "`report html`, warm"
C_CJS, C_PASS = "faster than check-jsonschema", "× python -c pass"
C_BUNDLED, C_WARM = "× bundled query", "× validate warm"
TARGETS = [Target(R_COLD, C_CJS, 7, True), Target(R_WARM, C_CJS, 35, True),
           Target(R_QWARM, C_PASS, 15, False), Target(R_QWARM, C_BUNDLED, 1.5, False),
           Target(R_EDIT, C_WARM, 2, False)]


TIMEOUT = 120.0  # seconds; a run that takes longer is stopped and shown as "> 120 s"


def run(argvs: list[Argv], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int, set[str]]:
    """Run the processes one after another: their total time, the worst exit code and
    the last line of stderr of each that failed (a run past TIMEOUT counts as exit 124)."""
    total, worst, failures = 0.0, 0, set()
    for argv in argvs:
        start = time.perf_counter()
        try:
            done = subprocess.run(argv, check=False, capture_output=True, env=env, cwd=cwd, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            total += time.perf_counter() - start
            worst = max(worst, 124)
            failures.add(f"did not finish in {TIMEOUT:.0f} s (stopped)")
            continue
        total += time.perf_counter() - start
        worst = max(worst, done.returncode)
        if done.returncode:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["(no stderr)"]
            failures.add(f"exit {done.returncode}: {lines[-1][:200]}")
    return total, worst, failures


def measure(label: str, argvs: list[Argv], runs: int, env: Callable[[], dict[str, str]],
            cwd: Path | None = None, prime: bool = False,
            before: Callable[[int], None] | None = None) -> Row:
    row = Row(label)
    if prime:
        _elapsed, code, row.failures = run(argvs, env(), cwd)
        if code == 124:  # it did not finish even once: one timed-out run says so
            row.times.append(_elapsed)
            row.exits.add(code)
            runs = 0
    for i in range(runs):
        if before:
            before(i)
        elapsed, code, failures = run(argvs, env(), cwd)
        row.times.append(elapsed)
        row.exits.add(code)
        row.failures |= failures
        if code == 124:
            break
    print(f"  {label:<62} {row.median:8.3f} s", file=sys.stderr)
    return row


def editor(root: Path) -> Callable[[int], None]:
    """Round i edits 10 files (nine grow by a few bytes; one keeps its size and mtime)."""
    files = [p for p in sorted((root / "registry").rglob("*.yaml")) if _EDITABLE.search(p.read_text("utf-8"))]

    def edit(i: int) -> None:
        for j in range(10):
            path = files[(i * 10 + j) % len(files)]
            text, st = path.read_text("utf-8"), path.stat()
            m = _EDITABLE.search(text)
            assert m
            start = m.start("value")
            if j < 9:
                text = text[:m.end()] + f" (edit {i})" + text[m.end():]
            else:  # same size: flip the case of the first letter, then put the mtime back
                text = text[:start] + text[start].swapcase() + text[start + 1:]
            path.write_text(text, "utf-8")
            if j == 9:
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return edit


def counts(root: Path) -> str:
    return ", ".join(f"{len(list((root / 'registry' / f).glob('*.yaml')))} {f}" for f in KINDS)


def environment() -> dict[str, str]:
    """The environment peernet runs in: PYTHONDONTWRITEBYTECODE (set on some build machines)
    would make every run recompile peernet's modules, which no installed peernet does; time
    what users run."""
    base = {k: v for k, v in os.environ.items() if k not in ("PEERNET_REGISTRY", "PYTHONDONTWRITEBYTECODE")}
    return base | {"NO_COLOR": "1"}


def write_section(heading: str, text: str) -> None:
    """Put `text` (which starts with the `## ` line `heading`) in benchmarks/RESULTS.md in place
    of that section, or after the others: each benchmark script owns one section."""
    path = HERE / "RESULTS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start = old.find(heading + "\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(heading))
        new = old[:start] + text.rstrip("\n") + "\n" + (old[end:] if end >= 0 else "")
    path.write_text(new, encoding="utf-8")
    print(f"wrote {heading.lstrip('# ')} in {path}", file=sys.stderr)


def bench_size(n: int, work: Path, fast: int, slow: int) -> str:
    """Build a registry of n files, time every command, return the Markdown table."""
    root, bundled = work / f"reg-{n}", work / "bundled"
    written = registry_gen.build(root, n)
    if not bundled.exists():
        shutil.copytree(registry_gen.BUNDLED, bundled / "registry")
    base = environment()
    time.sleep(2.1)  # let the new files settle: the index waits two seconds before trusting a change

    def cache(name: str) -> Callable[[], dict[str, str]]:
        return lambda: base | {"PEERNET_CACHE_DIR": str(work / f"cache-{name}")}

    def fresh() -> dict[str, str]:
        return base | {"PEERNET_CACHE_DIR": tempfile.mkdtemp(prefix="cold-", dir=work)}

    def pn(where: Path, *args: str) -> list[Argv]:
        return [[PEERNET, "--registry", str(where), *args]]

    summary = subprocess.run(pn(root, "validate")[0], check=False, capture_output=True, text=True,
                             env=fresh())
    said = (summary.stderr.strip().splitlines() or ["(no output)"])[-1].removeprefix("peernet: ")
    print(f"{n}: {written} files ({counts(root)}); {said}", file=sys.stderr)
    cjs = [[CJS, "--schemafile", str(SCHEMAS / f"{kind}.schema.json"),
            *sorted(str(p.relative_to(root)) for p in (root / "registry" / folder).glob("*.yaml"))]
           for folder, kind in KINDS.items()]
    query = ("partners", "list", "--brigade", QUERY, "--format", "csv")
    site = work / f"site-{n}"
    return table(n, written, counts(root), said, [
        measure(R_PASS, [[sys.executable, "-c", "pass"]], fast, lambda: base),
        measure(R_BUNDLED, pn(bundled, "partners", "list", "--brigade", BUNDLED_QUERY, "--format", "csv"),
                fast, cache(f"bundled-{n}"), prime=True),
        measure(R_CJS, cjs, slow, lambda: base, cwd=root),
        measure(R_COLD, pn(root, "validate"), slow, fresh),
        measure(R_WARM, pn(root, "validate"), fast, cache(f"{n}"), prime=True),
        measure(R_EDIT, pn(root, "validate"), fast, cache(f"{n}"), prime=True, before=editor(root)),
        measure(R_QCOLD, pn(root, *query), slow, fresh),
        measure(R_QWARM, pn(root, *query), fast, cache(f"{n}"), prime=True),
        measure(R_HTML, pn(root, "report", "html", "--output", str(site)), slow, cache(f"{n}"), prime=True,
                before=lambda i: shutil.rmtree(site, ignore_errors=True)),
    ])


def ratios(rows: list[Row]) -> dict[str, dict[str, float]]:
    """Each row's ratio columns: check-jsonschema ÷ row for validate rows, row ÷ baseline
    for query rows, row ÷ warm validate for the edit row."""
    m = {r.label: r.median for r in rows}
    out: dict[str, dict[str, float]] = {r.label: {} for r in rows}
    for label in (R_COLD, R_WARM, R_EDIT):
        out[label][C_CJS] = m[R_CJS] / m[label]
    for label in (R_BUNDLED, R_QCOLD, R_QWARM):
        out[label][C_PASS] = m[label] / m[R_PASS]
    for label in (R_QCOLD, R_QWARM):
        out[label][C_BUNDLED] = m[label] / m[R_BUNDLED]
    out[R_EDIT][C_WARM] = m[R_EDIT] / m[R_WARM]
    return out


def table(n: int, written: int, kinds: str, said: str, rows: list[Row]) -> str:
    got = ratios(rows)
    columns = (C_CJS, C_PASS, C_BUNDLED, C_WARM)
    head = ["command", "runs", "median s", "exit", f"× {C_CJS}", *columns[1:], "target", "result"]
    align = ["---", "---:", "---:", "---", "---:", "---:", "---:", "---:", "---", "---"]
    lines = [f"### {n} files", "", f"{written} files ({kinds}). `peernet validate`: {said}", "",
             "| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        cells = [f"{got[row.label][c]:.1f}×" if c in got[row.label] else "" for c in columns]
        exits = ", ".join(f"exit {e}" for e in sorted(row.exits))
        targets = [t for t in TARGETS if t.row == row.label]
        verdicts = ["PASS" if t.met(got[row.label][t.column]) else "MISS" for t in targets]
        cells = [row.label, str(len(row.times)), f"{row.median:.3f}", exits, *cells,
                 "; ".join(t.text() for t in targets), ", ".join(verdicts)]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {row.label}: {failure}" for row in rows for failure in sorted(row.failures)]
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def version(argv: Argv) -> str:
    try:
        done = subprocess.run(argv, check=False, capture_output=True, text=True)
    except OSError as exc:
        return f"unavailable ({exc})"
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return "\n".join([
        f"- System: {version(['uname', '-srm'])}",
        f"- CPU: {cpu}; {os.cpu_count()} cores ({usable} usable by this process)",
        f"- Python: {platform.python_version()} ({sys.executable})",
        f"- peernet: {version([PEERNET, '--version'])}",
        f"- check-jsonschema: {version([CJS, '--version'])}",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="registry sizes in files (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each fast command (default 5)")
    parser.add_argument("--slow-repeat", type=int, default=3,
                        help="runs of check-jsonschema, cold runs and report html (default 3)")
    parser.add_argument("--write-results", action="store_true", help="write benchmarks/RESULTS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    fast, slow = max(1, args.repeat), max(1, min(args.slow_repeat, args.repeat))
    if min(sizes) < 746:
        parser.error(f"sizes must be at least 746 files, so that {QUERY} exists")
    command = "python benchmarks/bench.py " + " ".join(sys.argv[1:])
    work = Path(tempfile.mkdtemp(prefix="peernet-bench-"))
    try:
        tables = [bench_size(n, work, fast, slow) for n in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(tables))
    if args.write_results:
        text = (f"# Read-path benchmark results\n\nRun on {datetime.now():%Y-%m-%d %H:%M} with\n\n"
                f"```sh\n{command.strip()}\n```\n\n{machine()}\n\n"
                "Medians of whole-process wall-clock times; the docstring of `bench.py` says what "
                "each row does.\n\n" + "\n".join(tables))
        old = (HERE / "RESULTS.md").read_text(encoding="utf-8") if (HERE / "RESULTS.md").exists() else ""
        others = old.find("\n## ")  # sections of other scripts (bench_map.py) stay
        (HERE / "RESULTS.md").write_text(text + (old[others:] if others >= 0 else ""), encoding="utf-8")
        print(f"wrote {HERE / 'RESULTS.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
