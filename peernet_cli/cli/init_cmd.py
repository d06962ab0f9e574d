"""`peernet init`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    folder: Annotated[Path, typer.Argument(help="Folder to create the registry in (new or empty).", metavar="DIR", show_default=False)],
    name: Annotated[str | None, typer.Option("--name", help="Name of the network, for the README (default: the folder name).", show_default=False)] = None,
    peernet_spec: Annotated[str | None, typer.Option("--peernet-spec", help="What CI and pre-commit pip-install to get peernet, e.g. 'peernet==0.1.0' or 'peernet @ git+https://…' (default: this version).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that is not empty (files with the same names are replaced).")] = False,
) -> None:
    """Start a new, empty registry for another network: schemas, registry folders, a CI
    workflow, pull-request and issue templates, pre-commit hooks, editor settings and a README.

    Refuses a folder that is not empty unless --force. Afterwards `peernet --registry FOLDER
    validate` passes.
    """
    import shlex

    from peernet_cli.cli import output
    from peernet_cli.publish.scaffold import scaffold

    created = scaffold(folder, name=name, peernet_spec=peernet_spec, force=force)
    output.message(f"peernet: created {len(created)} file(s) in {folder}")
    output.message(f"peernet: next: cd {shlex.quote(str(folder))} && git init && git add . && git commit -m 'New registry', "
                   "then add records with 'peernet partnerships add' and check them with 'peernet validate'")


command = init  # registered as `peernet init` by app.py
