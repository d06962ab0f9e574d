"""The architecture, as the tree shows it: each folder of peernet_cli/ is a layer, and imports only
point down. Read from the source (every import, including those inside functions), so a new module
lands in the right place or this test says where it went wrong."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "peernet_cli"

# Bottom to top. A module may import from its own layer and the ones below it.
LAYERS = ["base", "registry", "check", "query", "change", "publish", "imports", "cli"]
# Modules at the top of the package, below every layer: errors, inert text, atomic writes.
BASE = {"peernet_cli", "peernet_cli.errors", "peernet_cli.safetext", "peernet_cli.files"}


def module_of(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    if module in BASE:
        return "base"
    parts = module.split(".")
    assert len(parts) >= 2 and parts[1] in LAYERS, f"{module} is in no layer; put it in one of {LAYERS[1:]}"
    return parts[1]


def imports_of(path: Path) -> set[str]:
    """Every peernet_cli module `path` imports, resolved to a module (not a name in it)."""
    here = module_of(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "peernet_cli"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "peernet_cli":
                continue
            for alias in node.names:  # `from pkg import module` imports the module
                candidate = f"{source}.{alias.name}"
                found.add(candidate if MODULES.get(candidate) else source)
    return {m for m in found if m in MODULES} - {here}


MODULES = {module_of(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {m: imports_of(p) for m, p in MODULES.items()}


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_imports_only_point_down() -> None:
    upward = [f"{m} ({layer_of(m)}) imports {t} ({layer_of(t)})"
              for m, targets in sorted(GRAPH.items()) for t in sorted(targets)
              if LAYERS.index(layer_of(t)) > LAYERS.index(layer_of(m))]
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


def test_the_core_never_imports_the_cli_typer_or_rich() -> None:
    offenders = []
    for module, path in MODULES.items():
        if layer_of(module) == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            offenders += [f"{module} imports {n}" for n in names if n.split(".")[0] in ("typer", "rich", "click")]
    assert not offenders


def cycles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_there_is_no_import_loop() -> None:
    assert not cycles(), f"modules importing each other (directly or round a loop): {cycles()}"


def test_a_package_imports_nothing_above_it_even_lazily() -> None:
    """The layer rule again, stated per package for the README's map of the code."""
    by_layer: dict[str, set[str]] = defaultdict(set)
    for m, targets in GRAPH.items():
        by_layer[layer_of(m)] |= {layer_of(t) for t in targets}
    for layer, used in by_layer.items():
        assert all(LAYERS.index(u) <= LAYERS.index(layer) for u in used), (layer, used)
