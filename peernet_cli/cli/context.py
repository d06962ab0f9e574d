"""What a command needs from its invocation: the registry root chosen by the global options,
the registry loaded from it, and names given on the command line resolved to ids.

Command modules import this, never app.py, so nothing in cli/ imports the module that
registers it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from peernet_cli.query.listings import LinkedRegistry


def registry_root(ctx: typer.Context) -> Path:
    """The registry root for this invocation (see registry.find_root)."""
    from peernet_cli.registry.loader import find_root

    obj = ctx.find_root().obj or {}
    return find_root(obj.get("registry"))


def load_registry(ctx: typer.Context, at: str | None = None) -> Any:
    """The registry, loaded as it is (or, with `at`, as it stood at that git revision or at the
    end of that date, read from git objects); the caller decides what unreadable files mean."""
    from peernet_cli.registry.loader import load

    root = registry_root(ctx)
    if at is None:
        return load(root)
    from peernet_cli.registry.gitlog import GitHistory
    from peernet_cli.registry.sources import GitRevision

    return load(GitRevision(root, GitHistory(root).at(at)))


def load_linked(ctx: typer.Context, at: str | None = None) -> LinkedRegistry:
    """Load the registry once for a query command, its links indexed; unreadable files are a
    warning here (validate is where they are errors)."""
    from peernet_cli.cli import output
    from peernet_cli.query.listings import LinkedRegistry

    reg = load_registry(ctx, at)
    bad = len(reg.unreadable) + len(reg.stray)
    if bad:
        output.message(f"peernet: warning: {bad} file(s) could not be read and are left out; "
                       "run 'peernet validate' to see why")
    return LinkedRegistry(reg)


def resolve_ids(linked: LinkedRegistry, kinds: list[str], names: list[str] | None, label: str) -> list[str]:
    """The ids of the records the given names (ids, aliases, names…) stand for."""
    from peernet_cli.registry.names import resolve

    return [resolve(linked.reg, kinds, n, label).id for n in names or []]
