"""Finding the registry and loading its records: the one way to read the data.

A registry root is a folder holding `registry/<kind folder>/<id>.yaml` files. Records are
read with the fast loader; files that cannot be read come back as `Parsed` values with an
error so that a validation run can report them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlio
from .errors import RegistryNotFound
from .schemas import KIND_BY_FOLDER, KINDS, canonical

ENV_VAR = "PEERNET_REGISTRY"
DATA_DIR = "registry"


def find_root(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The folder holding `registry/`: from --registry, then $PEERNET_REGISTRY, then the
    nearest ancestor of the working directory."""
    for given, how in ((explicit, "--registry"), (os.environ.get(ENV_VAR) or None, ENV_VAR)):
        if given is None:
            continue
        path = Path(given).expanduser().resolve()
        if (path / DATA_DIR).is_dir():
            return path
        if path.name == DATA_DIR and path.is_dir():
            return path.parent
        raise RegistryNotFound(
            f"{how} points to {path}, which has no {DATA_DIR}/ folder; "
            "give the folder that holds registry/"
        )
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / DATA_DIR).is_dir():
            return folder
    raise RegistryNotFound(
        f"no {DATA_DIR}/ folder found in {start} or any folder above it; "
        f"run inside a peernet registry, or pass --registry PATH or set {ENV_VAR}"
    )


@dataclass(frozen=True)
class Record:
    """One record file that parsed as a YAML mapping."""

    kind: str
    path: Path
    data: dict[str, Any]
    text: str

    @property
    def id(self) -> str:
        return self.path.stem

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def name(self) -> str:
        return str(self.data.get("name") or self.data.get("id") or self.id)


@dataclass
class Registry:
    """Everything loaded from one registry root."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {k: {} for k in KINDS})
    # Files that are not usable records (bad YAML, not a mapping, wrong place), as values.
    unreadable: list[yamlio.Parsed] = field(default_factory=list)
    stray: list[Path] = field(default_factory=list)
    files_read: int = 0

    def of(self, kind: str) -> dict[str, Record]:
        return self.records[kind]

    def all(self) -> Iterator[Record]:
        for by_id in self.records.values():
            yield from by_id.values()

    def find(self, record_id: str, kinds: Iterable[str] = KINDS) -> Record | None:
        for kind in kinds:
            if record_id in self.records[kind]:
                return self.records[kind][record_id]
        return None

    def relpath(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def record_files(root: Path) -> Iterator[tuple[str | None, Path]]:
    """Every file under registry/, with its kind (None for a file in no known folder)."""
    data = root / DATA_DIR
    for path in sorted(data.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(data).parts
        kind = KIND_BY_FOLDER.get(rel[0]) if len(rel) == 2 else None
        if kind is not None and path.suffix == ".yaml":
            yield kind.name, path
        elif path.suffix in (".yaml", ".yml") or kind is not None:
            yield None, path


def load(root: Path) -> Registry:
    """Load every record under root/registry/."""
    reg = Registry(root=root.resolve())
    for kind, path in record_files(reg.root):
        reg.files_read += 1
        if kind is None:
            reg.stray.append(path)
            continue
        parsed = yamlio.parse(path)
        if parsed.error is None and isinstance(parsed.data, dict):
            reg.records[kind][path.stem] = Record(kind, path, parsed.data, parsed.text)
        else:
            reg.unreadable.append(parsed)
    return reg


def path_for(root: Path, kind: str, record_id: str) -> Path:
    return root / DATA_DIR / KINDS[kind].folder / f"{record_id}.yaml"


def kind_of(root: Path, path: Path) -> str | None:
    """The kind a file belongs to by where it sits, or None."""
    try:
        rel = path.resolve().relative_to(root.resolve() / DATA_DIR).parts
    except ValueError:
        return None
    kind = KIND_BY_FOLDER.get(rel[0]) if len(rel) == 2 else None
    return kind.name if kind else None


def render(kind: str, data: dict[str, Any]) -> str:
    """The canonical text of a record: modeline, then fields in schema order."""
    return yamlio.modeline(KINDS[kind].modeline_ref) + yamlio.dump(canonical(kind, data))
