"""`peernet init`: a new, empty registry for another network, from templates that ship
inside the package (peernet_cli/templates/init/), so a pip-installed peernet can do it.

Template file names starting with `dot-` become dot-files (`dot-github/` -> `.github/`):
hidden files are easy to lose when packaging. Placeholders: @NAME@ (the network's name) and
@PEERNET_SPEC@ (what CI and pre-commit pip-install to get peernet).
"""

from __future__ import annotations

from pathlib import Path

from peernet_cli import __version__
from peernet_cli.errors import UsageError
from peernet_cli.registry.schemas import KINDS, schema_dir

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "init"
DOT_PREFIX = "dot-"


def default_spec() -> str:
    return f"peernet=={__version__}"


def template_files() -> dict[str, Path]:
    """Target path (relative, posix) -> template file."""
    out: dict[str, Path] = {}
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        parts = path.relative_to(TEMPLATE_DIR).parts
        out["/".join("." + p[len(DOT_PREFIX):] if p.startswith(DOT_PREFIX) else p for p in parts)] = path
    return out


def render_template(rel: str, name: str, peernet_spec: str) -> str:
    """One template's text with its placeholders filled in."""
    text = template_files()[rel].read_text(encoding="utf-8")
    return text.replace("@NAME@", name).replace("@PEERNET_SPEC@", peernet_spec)


def plan(name: str, peernet_spec: str) -> dict[str, str]:
    """Every file of a new registry: relative path -> text."""
    from peernet_cli.publish.issue_forms import render_forms
    from peernet_cli.publish.schemadocs import render_markdown

    files = {rel: render_template(rel, name, peernet_spec) for rel in template_files()}
    files.update(render_forms())    # generated from the schemas, like docs/fields.md
    for schema in sorted(schema_dir().glob("*.schema.json")):
        files[f"schemas/{schema.name}"] = schema.read_text(encoding="utf-8")
    for kind in KINDS.values():
        files[f"registry/{kind.folder}/.gitkeep"] = ""
    files["docs/fields.md"] = render_markdown()
    return files


def scaffold(target: Path, name: str | None = None, peernet_spec: str | None = None,
             force: bool = False) -> list[Path]:
    """Write a new registry into target (created if missing). Refuses a folder that is not
    empty unless force. Returns the files written."""
    if target.exists() and not target.is_dir():
        raise UsageError("exists and is not a folder; choose a new folder name", target)
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError("is not empty; choose a new folder, or pass --force to write the registry "
                         "files into it (files with the same names are replaced)", target)
    spec = (peernet_spec or default_spec()).strip()
    if not spec or any(c in spec for c in "\"\n\r"):
        raise UsageError(f"--peernet-spec '{spec}' must be a non-empty pip requirement on one line, "
                         "without double quotes")
    title = (name or target.resolve().name).strip() or "peernet registry"
    written: list[Path] = []
    try:
        for rel, text in plan(title, spec).items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_dir():
                raise UsageError("is a folder where peernet init writes a file; move it away", path)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise UsageError(f"cannot write the registry: {exc.strerror or exc}", getattr(exc, "filename", None) or target) from None
    return written
