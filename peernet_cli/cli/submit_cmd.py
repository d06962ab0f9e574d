"""`peernet submit`: the retry after a failed push or pull request."""

from __future__ import annotations

from typing import Annotated

import typer

from peernet_cli.cli.context import registry_root
from peernet_cli.cli.options import Base, Remote
from peernet_cli.errors import UsageError


def submit(ctx: typer.Context, branch: Annotated[str, typer.Argument(help="The branch peernet committed to.")],
           remote: Remote = "origin", base: Base = None) -> None:
    """Push a branch and open its pull request: the retry after a failed push or PR."""
    from peernet_cli.change.propose import submit as run
    from peernet_cli.cli import output
    from peernet_cli.registry.git import check_branch, check_remote, find_repo
    from peernet_cli.safetext import one_line

    # Every value is checked before git sees it: none can be read as an option.
    check_remote(remote)
    if base is not None:
        check_branch(base)
    repo = find_repo(registry_root(ctx))
    if repo is None or branch.startswith("-") or not repo.branch_exists(branch):
        raise UsageError(f"no local branch '{one_line(branch)}' here; list them with 'git branch'")
    output.write(run(repo, branch, remote, base))


command = submit  # registered as `peernet submit` by app.py
