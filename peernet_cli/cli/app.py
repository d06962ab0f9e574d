"""The root `peernet` command: global options, the one table of top-level commands, and the
one place errors become exit codes and one-line messages.

Typer turns every registered function into a click command each time the app is called
(signature, type hints, a parameter object per option), so `main()` registers only the
top-level command being run: `peernet partners list` converts the 3 partners commands, not all
31. Help, shell completion and anything it cannot place get the whole tree, so what they show
is unchanged.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from peernet_cli import __version__
from peernet_cli.errors import PeernetError

# Every top-level command and the module of peernet_cli.cli that provides it, in registration
# order (`peernet --help` lists the plain commands first, then the groups, each in this order).
# A module holds `group`, a Typer with subcommands, or `command`, one function.
COMMANDS: dict[str, str] = {
    "brigades": "brigades_cmd",
    "partners": "partners_cmd",
    "partnerships": "partnerships_cmd",
    "events": "events_cmd",
    "networks": "networks_cmd",
    "search": "search_cmd",
    "history": "history_cmd",
    "report": "report_cmd",
    "submit": "submit_cmd",
    "validate": "validate_cmd",
    "fmt": "fmt_cmd",
    "export": "export_cmd",
    "import": "import_cmd",
    "schema": "schema_cmd",
    "init": "init_cmd",
}


class PeernetGroup(TyperGroup):
    """Turns a PeernetError raised by any command into `peernet: error: …` and its exit code;
    with --traceback the traceback comes first (on stderr), and the exit code is the same."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PeernetError as exc:
            from peernet_cli.cli.output import ci_safe, message

            if (ctx.obj or {}).get("traceback"):
                import traceback

                sys.stderr.write(ci_safe(traceback.format_exc()) + "\n")
            message(f"peernet: error: {exc}")
            raise typer.Exit(int(exc.exit_code)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"peernet {__version__}")
        raise typer.Exit()


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
    from peernet_cli.cli.output import set_color

    if color not in ("auto", "always", "never"):
        raise typer.BadParameter("choose auto, always or never", param_hint="--color")
    set_color(color)
    ctx.obj = {"registry": registry, "traceback": traceback}


def build_app(commands: Collection[str] | None = None) -> typer.Typer:
    """The `peernet` app with these top-level commands (default: all of them); only the
    modules of the commands asked for are imported."""
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
    app.callback()(root)
    for name, module_name in COMMANDS.items():
        if commands is not None and name not in commands:
            continue
        module = importlib.import_module(f"{__package__}.{module_name}")
        if hasattr(module, "group"):
            app.add_typer(module.group, name=name)
        else:
            app.command(name)(module.command)
    return app


# The global options that take a value (`--registry PATH` or `--registry=PATH`).
_VALUE_OPTIONS = ("--registry", "--color")
_VALUE_PREFIXES = tuple(f"{option}=" for option in _VALUE_OPTIONS)
# Set while a shell asks for completions (typer's scripts set both for zsh, fish, PowerShell).
_COMPLETION_VARS = ("_PEERNET_COMPLETE", "_TYPER_COMPLETE_ARGS")


def commands_for(argv: Sequence[str], environ: Mapping[str, str]) -> set[str] | None:
    """The top-level commands `peernet ARGV` needs, or None for all of them: no command, -h or
    --help before it, an option that is not a global one, an unknown command (so click's
    "No such command … Did you mean" sees every name) and shell completion. A bare --version
    needs none: it is eager, so it prints and exits before any command is looked at."""
    if any(var in environ for var in _COMPLETION_VARS):
        return None
    args = iter(argv)
    version = False
    for arg in args:
        if arg in _VALUE_OPTIONS:
            next(args, None)
        elif arg.startswith(_VALUE_PREFIXES) or arg == "--traceback":
            continue
        elif arg == "--version":
            version = True
        elif arg.startswith("-"):
            return None
        else:
            return {arg} if arg in COMMANDS else None
    return set() if version else None


def main() -> None:
    """The `peernet` console script."""
    build_app(commands_for(sys.argv[1:], os.environ))(prog_name="peernet")


def __getattr__(name: str) -> typer.Typer:
    # `app`, the whole tree (for tests and `typer.main.get_command(app)`), is built on first use
    # so that the console script, which builds only what it runs, never imports every command.
    if name == "app":
        app = build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    main()
