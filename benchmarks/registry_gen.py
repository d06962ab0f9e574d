"""Build a registry of exactly n record files with real record shapes.

    python benchmarks/registry_gen.py ROOT N      # writes ROOT/registry/, prints the count
    python benchmarks/registry_gen.py ROOT dense  # ~2,000 nodes, 6,000 partnerships (build_dense)

The records are copies of the bundled registry (registry/ at the top of this repository):
copy k renames every id to `<id>-c<k>` (partnerships to `<brigade>-c<k>--<partner>-c<k>`) and
every reference to it the same way, suffixes names with " (copy k)" and adds `/c<k>` to each
website, so the copies refer only to each other and are not likely duplicates of one another.
The last copy is partial: records are added with everything they refer to, until n is reached.
The files are rewritten as text (only those values change), so their layout, quoting,
modeline and sizes stay those of the real files. `peernet validate` on the result reports
the same findings as on the bundled registry, once per copy (four warnings a copy, today).
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent.parent / "registry"

# A whole-line scalar that may be an id: `id: x`, `brigade: x`, `  - network: x`, `  - x`.
# Only values that are ids of the source registry are renamed.
_VALUE = re.compile(r"(?m)^(?P<lead> *(?:- )?(?:[a-z_]+: )?)(?P<value>[a-z0-9][a-z0-9-]*) *$")
_NAME = re.compile(r"(?m)^(?P<lead>(?:  - )?name: )(?P<value>.+)$")
# A website, or a social profile under `social:` (`  github: https://…`): each copy gets its own,
# so the copies are not likely duplicates of each other by a shared link either.
_WEBSITE = re.compile(r"(?m)^(?P<lead>website: |  [a-z]+: (?=https?://))(?P<value>\S+)$")


@dataclass(frozen=True)
class Source:
    folder: str  # e.g. "brigades"
    stem: str  # the record id (the file name without .yaml)
    text: str
    refs: frozenset[str]  # ids (of other records) this record mentions


def load_sources(src: Path = BUNDLED) -> list[Source]:
    """Every record file of a registry folder, with the ids it refers to."""
    paths = sorted(src.glob("*/*.yaml"))
    ids = {p.stem for p in paths}
    sources = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        refs = {m["value"] for m in _VALUE.finditer(text)} & ids
        sources.append(Source(path.parent.name, path.stem, text, frozenset(refs - {path.stem})))
    return sources


def renamer(k: int) -> Callable[[str], str]:
    """Copy k's id for a source id."""

    def rename(stem: str) -> str:
        if "--" in stem:  # a partnership: <brigade>--<partner>
            brigade, partner = stem.split("--", 1)
            return f"{brigade}-c{k}--{partner}-c{k}"
        return f"{stem}-c{k}"
    return rename


def copy_text(text: str, ids: set[str], k: int) -> str:
    """The text of copy k of a record: ids, references, names, websites and social links changed."""
    rename = renamer(k)

    def value(m: re.Match[str]) -> str:
        v = m["value"]
        return m["lead"] + rename(v) if v in ids else m[0]

    def name(m: re.Match[str]) -> str:
        v = m["value"]
        if len(v) > 1 and v[0] in "'\"" and v[-1] == v[0]:
            return f"{m['lead']}{v[:-1]} (copy {k}){v[-1]}"
        return f"{m['lead']}{v} (copy {k})"

    def website(m: re.Match[str]) -> str:
        return f"{m['lead']}{m['value'].rstrip('/')}/c{k}"

    text = _VALUE.sub(value, text)
    text = _NAME.sub(name, text)
    return _WEBSITE.sub(website, text)


def _closure(stem: str, by_stem: dict[str, Source]) -> set[str]:
    seen: set[str] = set()
    todo = [stem]
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo.extend(by_stem[s].refs)
    return seen


def _partial(sources: list[Source], r: int) -> list[Source]:
    """r records, closed under references, in a fixed shuffled (kind-mixed) order."""
    by_stem = {s.stem: s for s in sources}
    order = sorted(by_stem)
    random.Random(0).shuffle(order)
    chosen: set[str] = set()
    for stem in order:
        need = _closure(stem, by_stem) - chosen
        if len(chosen) + len(need) <= r:
            chosen |= need
        if len(chosen) == r:
            break
    if len(chosen) != r:
        raise ValueError(f"could not choose {r} self-contained records")
    return [s for s in sources if s.stem in chosen]


def build(root: Path, n: int, src: Path = BUNDLED) -> int:
    """Write n record files under root/registry/ (root is what `--registry` takes) and
    return how many were written."""
    sources = load_sources(src)
    ids = {s.stem for s in sources}
    full, rest = divmod(n, len(sources))
    copies = [sources] * full + ([_partial(sources, rest)] if rest else [])
    written = 0
    for k, chunk in enumerate(copies):
        rename = renamer(k)
        for s in chunk:
            folder = root / "registry" / s.folder
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{rename(s.stem)}.yaml").write_text(copy_text(s.text, ids, k), encoding="utf-8")
            written += 1
    return written


_LINE = {key: re.compile(rf"(?m)^{key}: .*$") for key in ("id", "brigade", "partner")}


def build_dense(root: Path, copies: int = 7, partnerships: int = 6000, seed: int = 0) -> int:
    """A densely connected network of real record shapes, for the map layout: `copies` whole
    copies of the bundled brigades, partners and networks (7 copies: 1,281 brigades and 665
    partners, about 2,000 nodes) joined by `partnerships` partnerships drawn from a fixed seed.
    Brigades are picked uniformly and partners with a skew (index = partners * u**2), so a few
    partners are hubs shared by many brigades, as city governments and universities are, and
    nearly every node ends up in one component. Each partnership file is a bundled one with its
    id, brigade and partner lines replaced (its other references point at copy 0)."""
    sources = load_sources()
    ids = {s.stem for s in sources}
    files: dict[str, list[tuple[str, str]]] = {"brigades": [], "partners": [], "networks": []}
    for k in range(copies):
        for s in sources:
            if s.folder in files:
                files[s.folder].append((renamer(k)(s.stem), copy_text(s.text, ids, k)))
    brigades, partners = [stem for stem, _ in files["brigades"]], [stem for stem, _ in files["partners"]]
    templates = [copy_text(s.text, ids, 0) for s in sources if s.folder == "partnerships"]
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < partnerships:
        pairs.add((rng.randrange(len(brigades)), int(len(partners) * rng.random() ** 2)))
    files["partnerships"] = []
    for j, (b, p) in enumerate(sorted(pairs)):
        text = templates[j % len(templates)]
        for key, value in (("id", f"{brigades[b]}--{partners[p]}"), ("brigade", brigades[b]),
                           ("partner", partners[p])):
            text = _LINE[key].sub(f"{key}: {value}", text, count=1)
        files["partnerships"].append((f"{brigades[b]}--{partners[p]}", text))
    written = 0
    for folder, chosen in files.items():
        (root / "registry" / folder).mkdir(parents=True, exist_ok=True)
        for stem, text in chosen:
            (root / "registry" / folder / f"{stem}.yaml").write_text(text, encoding="utf-8")
            written += 1
    return written


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] == "dense":
        print(build_dense(Path(sys.argv[1])))
    elif len(sys.argv) == 3:
        print(build(Path(sys.argv[1]), int(sys.argv[2])))
    else:
        sys.exit("usage: python benchmarks/registry_gen.py ROOT N|dense")
