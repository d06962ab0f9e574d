"""Turning JSON Schema errors into sentences a non-programmer can act on."""

from __future__ import annotations

import difflib
from typing import Any

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields (key: value)",
    "null": "nothing",
}


def describe_value(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({short(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def short(value: Any, limit: int = 60) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…'"


def schema_message(error: Any) -> str:
    """One sentence for one jsonschema ValidationError."""
    validator = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    arg = error.validator_value
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"missing required field '{missing}'; add it"
    if validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        bits = []
        for key in extra:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            bits.append(f"'{key}'{hint}")
        return f"unknown field {', '.join(bits)}; remove it or fix the spelling"
    if validator == "not" and isinstance(value, float) and value != value:
        return "NaN (.nan) is not a number; write the number, or leave the field out"
    if validator == "enum":
        return f"{short(value)} is not one of: {', '.join(map(str, arg))}"
    if validator == "type":
        wanted = arg if isinstance(arg, str) else arg[0]
        message = f"expected {_TYPE_WORDS.get(wanted, wanted)}, found {describe_value(value)}"
        if wanted == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            message += f"; put it in quotes: '{value}'"
        return message
    if validator == "pattern" or validator == "format":
        if validator == "format" and arg == "date":
            return f"{short(value)} is not a real calendar date; write YYYY-MM-DD"
        what = schema.get("description") or f"must match {arg}"
        return f"{short(value)} is not valid here: {lower_first(what)}"
    if validator == "minItems":
        return f"needs at least {arg} item{'s' if arg != 1 else ''}; the list is empty"
    if validator == "minLength":
        return "must not be empty"
    if validator == "maxLength":
        return f"{short(value)} is longer than {arg} characters"
    if validator in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        return f"{value} is out of range ({low} to {high})"
    if validator == "uniqueItems":
        return "lists the same value more than once; remove the repeat"
    if validator == "dependentRequired":
        pairs = [f"'{k}' needs '{', '.join(v)}' too" for k, v in arg.items() if k in value]
        return "; ".join(pairs) or error.message
    if validator == "anyOf" and schema.get("title") == "Source":
        return "a source needs at least a document, url or title"
    return str(error.message)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
