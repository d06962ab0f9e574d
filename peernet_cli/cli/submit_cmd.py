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
    from ..safetext import one_line
    from ..vcs import check_branch, check_remote, find_repo

    # Every value is checked before git sees it: none can be read as an option.
    check_remote(remote)
    if base is not None:
        check_branch(base)
    repo = find_repo(registry_root(ctx))
    if repo is None or branch.startswith("-") or not repo.branch_exists(branch):
        raise UsageError(f"no local branch '{one_line(branch)}' here; list them with 'git branch'")
    output.write(run(repo, branch, remote, base))


command = submit  # registered as `peernet submit` by app.py
