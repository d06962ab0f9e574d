"""The README's quick start is what CI runs, and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from peernet_cli.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_quick_start_has_exactly_two_commands():
    assert len(quick_start_commands()) == 2


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = quick_start_commands()[1]
    assert test_command in ci.splitlines()


def test_the_test_command_installs_what_pip_cannot_and_runs_pytest():
    script = (ROOT / quick_start_commands()[1].split()[0]).read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in script
    assert "apt-get install -y -qq chromium" in script and "playwright install chromium" in script
    assert script.rstrip().endswith('python -m pytest "$@"')


def _commands(group, prefix=()):
    import typer.main

    click_group = typer.main.get_command(app) if group is None else group
    for name, command in getattr(click_group, "commands", {}).items():
        path = (*prefix, name)
        if getattr(command, "commands", None):
            yield from _commands(command, path)
        else:
            yield " ".join(path)


def test_every_command_is_documented_with_an_example():
    missing = [c for c in _commands(None) if f"peernet {c}" not in README]
    assert not missing, f"README has no example for: {missing}"


def test_every_command_has_help_text():
    import typer.main

    def walk(cmd, path):
        assert cmd.help or cmd.short_help, f"no help for {' '.join(path)}"
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ("peernet",))
