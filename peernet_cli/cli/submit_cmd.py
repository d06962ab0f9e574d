"""`peernet submit`: the retry after a failed push or pull request."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import UsageError
from .context import registry_root
from .options import Base, Remote


def submit(ctx: typer.Context, branch: Annotated[str, typer.Argument(help="The branch peernet committed to.")],
           remote: Remote = "origin", base: Base = None) -> None:
    """Push a branch and open its pull request: the retry after a failed push or PR."""
    from .. import output
    from ..propose import submit as run
    from ..vcs import find_repo

    repo = find_repo(registry_root(ctx))
    if repo is None or not repo.branch_exists(branch):
        raise UsageError(f"no local branch '{branch}' here; list them with 'git branch'")
    output.write(run(repo, branch, remote, base))


command = submit  # registered as `peernet submit` by app.py
