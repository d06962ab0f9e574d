"""`peernet fmt`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peernet_cli.cli.context import registry_root
from peernet_cli.errors import ExitCode


def fmt(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the whole registry).", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Change nothing; print a diff and exit 1 if any file is not canonical.")] = False,
) -> None:
    """Rewrite record files into the canonical form: modeline, schema key order, indentation.

    Comments are kept. Files that are not valid YAML are left alone (see peernet validate).
    """
    from peernet_cli.change import reformat as formatting
    from peernet_cli.cli import output
    from peernet_cli.errors import UsageError
    from peernet_cli.registry.loader import Registry

    root = registry_root(ctx)
    for path in paths or []:
        if not path.exists():
            raise UsageError("no such file or folder; check the path", path)
    changes, skipped = formatting.plan(root, [p.resolve() for p in paths] if paths else None)
    # CI runs `fmt --check`: file names are written with their control characters shown (one
    # line each) and the diff through output.ci_safe, so no file can print a workflow command.
    relpath = Registry(root).relpath

    def rel(path: Path) -> str:
        return output.safe_text(relpath(path))

    for item in skipped:
        output.message(f"peernet: skipped {rel(item.path)}: {item.reason}")
    if check:
        for change in changes:
            output.write(output.ci_safe(change.diff(rel(change.path))))
        output.message(f"peernet: {len(changes)} file(s) would be reformatted")
        if changes:
            raise typer.Exit(int(ExitCode.INVALID_DATA))
        return
    formatting.apply(root, changes)
    for change in changes:
        output.message(f"peernet: formatted {rel(change.path)}")
    output.message(f"peernet: {len(changes)} file(s) reformatted")


command = fmt  # registered as `peernet fmt` by app.py
