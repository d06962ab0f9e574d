"""`peernet schema docs`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

group = typer.Typer(help="The record schemas.", no_args_is_help=True)


@group.command("docs")
def docs(
    output_file: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout (e.g. docs/fields.md).", show_default=False)] = None,
) -> None:
    """Write the field reference as Markdown: one table per record kind with every field,
    its type, whether it is required, its allowed values and its description, all taken
    from the schemas (so it never drifts from what validate checks)."""
    from peernet_cli.cli import output
    from peernet_cli.errors import UsageError
    from peernet_cli.publish.schemadocs import render_markdown

    text = render_markdown()
    if output_file is None:
        output.write(text)
        return
    if output_file.is_dir():
        raise UsageError("is a folder; give a file name, e.g. docs/fields.md", output_file)
    try:
        output_file.parent.mkdir(parents=True, exist_ok=True)
        output_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}", output_file) from None
    output.message(f"peernet: wrote {output_file}")
