"""`peernet schema docs` and `peernet schema issue-forms`."""

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


@group.command("issue-forms")
def issue_forms(
    ctx: typer.Context,
    output_dir: Annotated[Path | None, typer.Option("--output", "-o", help="Write the forms into this folder "
                          "(default: .github/ISSUE_TEMPLATE/ of the registry).", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if a form there differs "
                                        "from what the schemas generate.")] = False,
) -> None:
    """Write the GitHub issue forms (add or update a partnership, add or correct a brigade,
    report outdated information) from the schemas: dropdowns offer each field's allowed
    values, help text is each field's description. `peernet import issue-form` reads them back."""
    from peernet_cli.cli import output
    from peernet_cli.cli.context import registry_root
    from peernet_cli.errors import InvalidDataError, UsageError
    from peernet_cli.publish.issue_forms import FOLDER, stale_forms, write_forms

    folder = output_dir if output_dir is not None else registry_root(ctx) / FOLDER
    if folder.exists() and not folder.is_dir():
        raise UsageError("is not a folder; give the folder to write the forms into", folder)
    if check:
        stale = stale_forms(folder)
        if stale:
            raise InvalidDataError(f"{len(stale)} issue form(s) differ from the schemas: "
                                   f"{', '.join(p.name for p in stale)}; run 'peernet schema issue-forms'", folder)
        output.message(f"peernet: the issue forms in {folder} match the schemas")
        return
    try:
        for path in write_forms(folder):
            output.message(f"peernet: wrote {path}")
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}", folder) from None
