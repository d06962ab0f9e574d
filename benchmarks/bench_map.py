"""Benchmark of the network map and the dashboard at scale (issue 15), as whole processes.

    python benchmarks/bench_map.py [--sizes 1000,10000] [--repeat 3] [--write-results]

Registries: registry_gen.build at each size (renamed copies of the bundled registry: many small
groups, as the real network is) and registry_gen.build_dense (about 2,000 brigades and partners
joined by 6,000 partnerships drawn from a fixed seed, with hub partners: one big group, the case
that made the old pure-Python layout quadratic). For each it times `report map --format svg`,
`report html` (both warm: the index primed by an untimed run) and a cold `validate` of the same
files, the yardstick of the target for `report html` (at most 3x a cold validate).

It then times the candidate layouts in-process on each registry's graph (every connected group
of more than two nodes, as peernet lays them out): igraph's Fruchterman-Reingold (exact, and
with its grid), LGL, DrL, graphopt, Kamada-Kawai, and Graphviz's sfdp when it is on PATH, with
two measures of the biggest group's picture: the spread of edge lengths (coefficient of
variation) and the share of nodes crowded onto another (closer than a fifth of the even spacing).
With --write-results the tables replace this script's section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench
import registry_gen

from peernet_cli.publish import graph
from peernet_cli.registry.loader import load

HEADING = "## Network map and dashboard at scale (issue 15)"
R_COLD, R_SVG, R_HTML = "`validate`, cold", "`report map --format svg`, warm", "`report html`, warm"
# Measured once on commit 0fce23d (the pure-Python layout this benchmark replaced), same machine.
BEFORE = """Before (commit 0fce23d, the hand-written Fruchterman–Reingold and an all-pairs label pass):
`report map --format svg` took 0.26 s on 1,000 registry_gen files and 2.45 s on 10,000 (many small
groups, each laid out alone), but the layout of one big group is quadratic: 29.9 s for a
556-node build_dense graph (2 copies, 1,700 partnerships, `graph.layout` in-process), and 3.4 s for
3 of its 300 iterations on the 1,946-node dense graph, about 340 s for the layout alone
(issue 15 measured 28 s at 1,000 and 121 s at 2,000 files of a connected synthetic registry,
and no result in 300 s at 10,000).
"""
CHOICE = """Chosen (publish/graph.py): igraph, a pip wheel with no system package, laying out each group
on its own: the exact Fruchterman–Reingold up to 500 nodes (the best pictures of small groups, well
under 0.1 s for every group of the 10,000-file registry) and LGL above (the least crowded on the
dense graph, 5× faster than exact FR, whose steps are O(n²)). FR with its grid is faster still but
crowds a quarter of the nodes; sfdp draws as well as LGL but needs Graphviz installed and one
process per group (4.6 s for the 241 groups at 10,000 files); DrL costs half a second a call.
"""
HTML_LIMIT = 3.0  # report html within 3x a cold validate of the same files


def bench_registry(name: str, root: Path, work: Path, fast: int, slow: int) -> tuple[str, list[bench.Row]]:
    """Time the map, the dashboard and a cold validate of one registry."""
    base = bench.environment()
    time.sleep(2.1)  # the index waits two seconds before trusting a new file

    def warm() -> dict[str, str]:
        return base | {"PEERNET_CACHE_DIR": str(work / f"cache-{name}")}

    def cold() -> dict[str, str]:
        return base | {"PEERNET_CACHE_DIR": tempfile.mkdtemp(prefix="cold-", dir=work)}

    def pn(*args: str) -> list[bench.Argv]:
        return [[bench.PEERNET, "--registry", str(root), *args]]

    site, svg = work / f"site-{name}", work / f"map-{name}.svg"
    rows = [
        bench.measure(R_COLD, pn("validate"), slow, cold),
        bench.measure(R_SVG, pn("report", "map", "--format", "svg", "--output", str(svg)), fast, warm, prime=True),
        bench.measure(R_HTML, pn("report", "html", "--output", str(site)), slow, warm, prime=True,
                      before=lambda i: shutil.rmtree(site, ignore_errors=True)),
    ]
    return name, rows


def cli_table(results: list[tuple[str, str, list[bench.Row]]]) -> str:
    lines = ["| registry | command | runs | median s | exit | × validate cold | target | result |",
             "|---|---|---:|---:|---|---:|---|---|"]
    notes = []
    for name, described, rows in results:
        cold = rows[0].median
        for row in rows:
            ratio = "" if row is rows[0] else f"{row.median / cold:.1f}×"
            target = f"≤ {HTML_LIMIT:g}× (× validate cold)" if row.label == R_HTML else ""
            verdict = ("PASS" if row.median / cold <= HTML_LIMIT and row.exits == {0} else "MISS") if target else ""
            exits = ", ".join(f"exit {e}" for e in sorted(row.exits))
            lines.append(f"| {name} | {row.label} | {len(row.times)} | {row.median:.3f} | {exits} | {ratio} "
                         f"| {target} | {verdict} |")
            notes += [f"- {name}, {row.label}: {failure}" for failure in sorted(row.failures)]
        notes.append(f"- {name}: {described}")
    return "\n".join(lines + [""] + notes) + "\n"


# --- the layout candidates, in-process ------------------------------------------------------

Layout = Callable[[list[str], list[tuple[int, int]]], list[tuple[float, float]]]


def _igraph(method: str) -> Layout:
    def run(nodes: list[str], edges: list[tuple[int, int]]) -> list[tuple[float, float]]:
        import igraph  # type: ignore[import-untyped]

        net = igraph.Graph(n=len(nodes), edges=edges)
        igraph.set_random_number_generator(random.Random(7))
        calls: dict[str, Callable[[], object]] = {
            "fr": lambda: net.layout_fruchterman_reingold(niter=500, grid="nogrid"),
            "fr-grid": lambda: net.layout_fruchterman_reingold(niter=500, grid="grid"),
            "lgl": net.layout_lgl, "drl": net.layout_drl,
            "graphopt": lambda: net.layout_graphopt(niter=500), "kk": net.layout_kamada_kawai,
        }
        found = calls[method]()
        igraph.set_random_number_generator(random)
        return [(float(x), float(y)) for x, y in found.coords]  # type: ignore[attr-defined]
    return run


def _sfdp(nodes: list[str], edges: list[tuple[int, int]]) -> list[tuple[float, float]]:
    dot = "graph g {\n" + "".join(f"{i};\n" for i in range(len(nodes)))
    dot += "".join(f"{a} -- {b};\n" for a, b in edges) + "}\n"
    out = subprocess.run(["sfdp", "-Tplain", "-Gstart=7"], input=dot, capture_output=True, text=True,
                         check=True).stdout
    pos = {int(p[1]): (float(p[2]), float(p[3])) for p in (line.split() for line in out.splitlines())
           if p[0] == "node"}
    return [pos[i] for i in range(len(nodes))]


CANDIDATES: dict[str, Layout] = {
    "igraph Fruchterman–Reingold (exact)": _igraph("fr"), "igraph Fruchterman–Reingold (grid)": _igraph("fr-grid"),
    "igraph LGL": _igraph("lgl"), "igraph DrL": _igraph("drl"), "igraph graphopt": _igraph("graphopt"),
    "igraph Kamada–Kawai": _igraph("kk"), "Graphviz sfdp (one process per group)": _sfdp,
}
# DrL costs about half a second a call: timed only where the groups are few (bundled, dense)
PER_CALL = {"igraph DrL"}


def _quality(pts: list[tuple[float, float]], edges: list[tuple[int, int]]) -> tuple[float, float]:
    lengths = [math.dist(pts[a], pts[b]) for a, b in edges]
    spread = statistics.pstdev(lengths) / (statistics.mean(lengths) or 1.0)
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    near = 0.2 * math.sqrt(((max(xs) - min(xs)) * (max(ys) - min(ys)) or 1.0) / len(pts))
    cells: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(pts):
        cells.setdefault((math.floor(x / near), math.floor(y / near)), []).append(i)
    crowded = sum(any(j != i and math.dist(pts[i], pts[j]) < near
                      for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                      for j in cells.get((math.floor(x / near) + dx, math.floor(y / near) + dy), []))
                  for i, (x, y) in enumerate(pts))
    return spread, crowded / len(pts)


def candidates(name: str, root: Path, skip_slow: bool) -> list[str]:
    import igraph  # noqa: F401  # type: ignore[import-untyped]  (imported before the clock starts)

    g = graph.build(load(root))
    index = {n: i for group in graph.components(g) for i, n in enumerate(group)}
    groups = [c for c in graph.components(g) if len(c) > 2]
    members = {n: k for k, group in enumerate(groups) for n in group}
    edges: list[list[tuple[int, int]]] = [[] for _ in groups]
    for e in g.edges:
        if e["source"] in members:
            edges[members[e["source"]]].append((index[e["source"]], index[e["target"]]))
    rows = []
    for label, run in CANDIDATES.items():
        if (label.startswith("Graphviz") and not shutil.which("sfdp")) or (skip_slow and label in PER_CALL):
            continue
        start = time.perf_counter()
        pts = [run(group, links) for group, links in zip(groups, edges)]
        took = time.perf_counter() - start
        spread, crowded = _quality(pts[0], edges[0])
        rows.append(f"| {name} | {label} | {took:.3f} | {spread:.2f} | {crowded:.0%} |")
        print(f"  {name}: {label:<44} {took:8.3f} s", file=sys.stderr)
    sizes = f"{len(groups)} group(s) of 3+ nodes, the biggest {len(groups[0])} nodes"
    return [f"| {name} ({sizes}) | | | | |", *rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="registry_gen sizes in files (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the map (default 3)")
    parser.add_argument("--slow-repeat", type=int, default=1, help="runs of validate and report html (default 1)")
    parser.add_argument("--write-results", action="store_true", help="write this section of benchmarks/RESULTS.md")
    args = parser.parse_args()
    command = "python benchmarks/bench_map.py " + " ".join(sys.argv[1:])
    work = Path(tempfile.mkdtemp(prefix="peernet-bench-map-"))
    try:
        registries: list[tuple[str, Path, Callable[[Path], int]]] = [
            (f"{n} files", work / f"reg-{n}", functools.partial(registry_gen.build, n=int(n)))
            for n in args.sizes.split(",") if n.strip()]
        registries.append(("dense", work / "dense", registry_gen.build_dense))
        results, layouts = [], ["| registry | layout | s | edge-length spread | crowded |", "|---|---|---:|---:|---:|"]
        layouts += candidates("bundled", registry_gen.BUNDLED.parent, skip_slow=False)
        for name, root, make in registries:
            written = make(root)
            print(f"{name}: {written} files ({bench.counts(root)})", file=sys.stderr)
            label, rows = bench_registry(name.split()[0], root, work, max(1, args.repeat), max(1, args.slow_repeat))
            results.append((label, f"{written} files ({bench.counts(root)})", rows))
            layouts += candidates(name, root, skip_slow=name != "dense")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = (f"{HEADING}\n\nRun on {datetime.now():%Y-%m-%d %H:%M} with\n\n```sh\n{command.strip()}\n```\n\n"
            f"{bench.machine()}\n\nWhole processes (medians):\n\n{cli_table(results)}\n"
            "Layout candidates, in-process, every group of 3+ nodes (the biggest group's picture measured):\n\n"
            + "\n".join(layouts) + "\n\n" + CHOICE + "\n" + BEFORE)
    print(text)
    if args.write_results:
        bench.write_section(HEADING, text)


if __name__ == "__main__":
    main()
