"""The JSON Schemas: where they live, one validator per kind, and the canonical key order.

Schemas ship inside the wheel (peernet_cli/schemas/); in a source checkout they are the
top-level schemas/ folder. Either way they are loaded once per process.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from peernet_cli.errors import UsageError
from peernet_cli.registry.locations import SHARED as SHARED
from peernet_cli.registry.locations import schema_dir as schema_dir


@dataclass(frozen=True)
class Kind:
    """A record kind: its folder under registry/ and its schema file."""

    name: str  # singular, e.g. "partner"
    folder: str  # plural, e.g. "partners"

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"

    @property
    def modeline_ref(self) -> str:
        # Relative to registry/<folder>/<id>.yaml, so editors find the schema offline.
        return f"../../schemas/{self.schema_file}"


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("brigade", "brigades"),
        Kind("partner", "partners"),
        Kind("partnership", "partnerships"),
        Kind("event", "events"),
        Kind("network", "networks"),
    )
}
KIND_BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS.values()}


@cache
def load_schema(file_name: str) -> dict[str, Any]:
    path = schema_dir() / file_name
    try:
        return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read schema: {exc}; reinstall peernet", path) from exc


@cache
def _registry() -> Any:
    from referencing import Registry, Resource

    # Keyed by file name: the schemas carry no absolute $id (defs' is its own file name), so
    # a `$ref` like "defs.schema.json#/..." resolves next to the referring file, the same way
    # check-jsonschema, ajv and editors find it offline.
    resources = [(path.name, Resource.from_contents(load_schema(path.name)))
                 for path in sorted(schema_dir().glob("*.schema.json"))]
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Any:
    """A jsonschema validator for one kind. The $refs are inlined first: following them
    at validation time was over half the cost of checking a file."""
    from jsonschema import Draft202012Validator

    schema = load_schema(KINDS[kind].schema_file)
    return Draft202012Validator(
        inline_refs(schema, schema), registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@cache
def quick_check(kind: str) -> Any:
    """A compiled yes/no check for one kind (fastjsonschema: about 16x faster than
    jsonschema), used to skip jsonschema for files that are valid, which is nearly all of
    them. It must never accept what jsonschema rejects, so the two share the same schema
    (refs inlined, 2019-09 keywords spelled the draft-07 way) and the same format checks;
    tests compare their verdicts on every corpus file. None if unavailable.

    Generating and compiling the check costs a third of a second, more than checking
    thousands of files, so the generated code is kept as a module in the cache folder
    (named by a digest of the schema and fastjsonschema's version) and imported from there,
    with its bytecode cached by Python as for any module."""
    try:
        import fastjsonschema
    except ImportError:
        return None
    schema = load_schema(KINDS[kind].schema_file)
    draft7 = {**_as_draft7(inline_refs(schema, schema)), "$schema": "http://json-schema.org/draft-07/schema#"}
    formats = _formats()
    module = _generated_module(kind, draft7, formats, fastjsonschema)
    if module is None:
        return fastjsonschema.compile(draft7, formats=formats)
    validate = module.validate
    return lambda data: validate(data, custom_formats=formats)


def _formats() -> dict[str, Any]:
    """The format checks jsonschema applies, without importing jsonschema (a fifth of a
    second): `date` as jsonschema checks it; `uri` only when jsonschema can check it (an
    optional package), in which case its own checker is used."""
    from importlib.util import find_spec

    if find_spec("rfc3987") or find_spec("rfc3986_validator"):
        from jsonschema import Draft202012Validator

        checker = Draft202012Validator.FORMAT_CHECKER
        return {name: (lambda value, name=name: checker.conforms(value, name)) for name in ("date", "uri")}
    return {"date": _is_date, "uri": lambda value: True}


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: Any) -> bool:
    """jsonschema's `date` format check (RFC 3339 full-date that is a real day)."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and date.fromisoformat(value))
    except ValueError:
        return False


def _generated_module(kind: str, draft7: dict[str, Any], formats: dict[str, Any], fastjsonschema: Any) -> Any:
    """The generated check's namespace, from its bytecode in the cache folder (made there on
    first use). Bytecode like Python's own __pycache__, and as trusted: the folder is the
    user's; the name carries the interpreter's magic number, so another Python makes its own."""
    import hashlib
    import importlib.util
    import marshal
    from types import SimpleNamespace

    from peernet_cli.registry.locations import cache_dir

    key = json.dumps([draft7, fastjsonschema.VERSION, importlib.util.MAGIC_NUMBER.hex()], sort_keys=True)
    path = cache_dir() / "checks" / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.bin"
    try:
        try:
            code = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError):
            from peernet_cli.registry.yamlio import write_atomic_bytes

            code = compile(fastjsonschema.compile_to_code(draft7, formats=formats), f"<{kind} check>", "exec")
            write_atomic_bytes(path, marshal.dumps(code))
        namespace: dict[str, Any] = {}
        exec(code, namespace)  # noqa: S102 - our own generated validator
        return SimpleNamespace(validate=namespace["validate"])
    except (OSError, SyntaxError, KeyError, TypeError):
        return None  # an unwritable or damaged cache: compile in memory instead


def is_valid_quickly(kind: str, data: Any) -> bool:
    """True when the record certainly passes its schema; False means 'ask jsonschema'."""
    check = quick_check(kind)
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # noqa: BLE001 - any doubt goes to the full validator
        return False
    return True


def _as_draft7(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_as_draft7(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("$schema", "$id", "$defs"):
            continue
        if key == "dependentRequired":
            out["dependencies"] = value
        else:
            out[key] = value if key in ("enum", "const", "required", "pattern") else _as_draft7(value)
    return out


def inline_refs(schema: Any, base: dict[str, Any]) -> Any:
    """The schema with every $ref replaced by its target (ours are not recursive)."""
    if isinstance(schema, list):
        return [inline_refs(item, base) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        node, doc = ref_target(schema["$ref"], base)
        # The target's own description wins: error messages quote it ("a kebab-case slug…").
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return inline_refs({**rest, **node}, doc)
    return {k: (v if k in ("enum", "const", "required", "pattern") else inline_refs(v, base))
            for k, v in schema.items()}


def resolve(schema: dict[str, Any], base: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Follow `$ref`s (ours are always 'file#/$defs/name' or '#/$defs/name'), keeping the
    referring schema's own keywords. Returns the resolved schema and its document."""
    while "$ref" in schema:
        node, base = ref_target(schema["$ref"], base)
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema, base


def ref_target(ref: str, base: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a `$ref` points at (ours are 'file#/$defs/name' or '#/$defs/name'), and the
    schema document it lives in."""
    target, _, pointer = ref.partition("#")
    doc = load_schema(target) if target else base
    node: Any = doc
    for part in pointer.strip("/").split("/"):
        node = node[part]
    return node, doc


def canonical(kind: str, data: Any) -> Any:
    """`data` with mapping keys in schema order at every level (unknown keys last, sorted)."""
    schema = load_schema(KINDS[kind].schema_file)
    return _ordered(data, schema, schema)


def _ordered(data: Any, schema: dict[str, Any], base: dict[str, Any]) -> Any:
    schema, base = resolve(schema, base)
    if isinstance(data, dict):
        props: dict[str, Any] = schema.get("properties", {})
        known = [k for k in props if k in data]
        extra = sorted((k for k in data if k not in props), key=str)
        out = type(data)() if type(data) is not dict else {}
        for key in known:
            out[key] = _ordered(data[key], props[key], base)
        for key in extra:
            out[key] = data[key]
        if hasattr(data, "ca") and hasattr(out, "ca"):
            # Round-trip documents: keep each key's comments with the key as it moves.
            out.ca.items.update(data.ca.items)
            out.ca.comment = data.ca.comment
        return out
    if isinstance(data, list):
        items = schema.get("items", {})
        ordered = [_ordered(item, items, base) for item in data]
        if type(data) is not list:
            data[:] = ordered
            return data
        return ordered
    return data


def enum_values(kind: str, field: str) -> list[str]:
    """The allowed values of a top-level enum field (for prompts, help text and errors)."""
    schema = load_schema(KINDS[kind].schema_file)
    prop, _ = resolve(schema["properties"][field], schema)
    return list(prop.get("enum", []))
