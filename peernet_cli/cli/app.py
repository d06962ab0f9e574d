"""The root `peernet` command: global options, sub-apps, and the one place errors become
exit codes and one-line messages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import PeernetError


class PeernetGroup(TyperGroup):
    """Turns a PeernetError raised by any command into `peernet: error: …` and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PeernetError as exc:
            if (ctx.obj or {}).get("traceback"):
                raise
            from ..output import message

            message(f"peernet: error: {exc}")
            raise typer.Exit(int(exc.exit_code)) from None


app = typer.Typer(
    cls=PeernetGroup,
    name="peernet",
    help="Keep track of who works with whom in the civic-tech network: brigades, partners, "
    "partnerships, events and networks, stored as YAML in a git repository.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"peernet {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    registry: Annotated[
        Path | None,
        typer.Option("--registry", help="Folder holding registry/ (default: $PEERNET_REGISTRY, "
                     "then the nearest folder above the working directory).", show_default=False),
    ] = None,
    color: Annotated[str, typer.Option("--color", help="Colour output: auto, always or never.")] = "auto",
    traceback: Annotated[bool, typer.Option("--traceback", help="Show the Python traceback on errors (for debugging).")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """peernet: the civic-tech partnership registry."""
    from ..output import set_color

    if color not in ("auto", "always", "never"):
        raise typer.BadParameter("choose auto, always or never", param_hint="--color")
    set_color(color)
    ctx.obj = {"registry": registry, "traceback": traceback}


def registry_root(ctx: typer.Context) -> Path:
    """The registry root for this invocation (see registry.find_root)."""
    from ..registry import find_root

    obj = ctx.find_root().obj or {}
    return find_root(obj.get("registry"))


def register() -> None:
    from . import (
        contribute_cmds,
        export_cmd,
        fmt_cmd,
        import_cmd,
        init_cmd,
        query_cmds,
        report_cmds,
        schema_cmd,
        validate_cmd,
    )

    query_cmds.register(app)
    report_cmds.register(app)
    contribute_cmds.register(app)
    validate_cmd.register(app)
    fmt_cmd.register(app)
    export_cmd.register(app)
    import_cmd.register(app)
    schema_cmd.register(app)
    init_cmd.register(app)


register()


def main() -> None:
    app(prog_name="peernet")


if __name__ == "__main__":  # pragma: no cover
    main()
