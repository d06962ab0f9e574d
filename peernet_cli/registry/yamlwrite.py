"""Writing record files: ruamel.yaml's round-trip loader and dumper, so comments and key
order survive an edit. Imported only by commands that write (it costs a read-only command
its import time for nothing)."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.representer import RoundTripRepresenter


def reads_otherwise(text: str) -> bool:
    """True when some reader would not read this text, written plain, as this text: a YAML
    1.1 reader (PyYAML's safe_load, js-yaml 3, so most scripts and ajv-cli) for `ON`, `yes`,
    `y`, `2011-02-08`, `10:00` (sexagesimal 600), `012`; peernet's own YAML 1.2 reading for
    numbers such as `.5e3`. Such strings are written quoted, so every reader sees the text."""
    from peernet_cli.registry import yamlsafe

    return yamlsafe.yaml11_tag(text) is not None or not isinstance(yamlsafe.plain_value(text), str)


class _Constructor(RoundTripConstructor):
    """Round-trip reading with dates and times kept as text, as the fast reader keeps them:
    every date field is a string in the schemas, and an impossible date (2020-02-30) must
    not crash an edit."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _Representer(RoundTripRepresenter):
    """Quote every string that some YAML reader would not read as a string (dates, times,
    YAML 1.1 booleans and numbers); ruamel already quotes what YAML 1.2 would misread."""

    def represent_str(self, data: str) -> Any:
        if data and reads_otherwise(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return super().represent_str(data)


_Representer.add_representer(str, _Representer.represent_str)


def round_trip() -> YAML:
    yaml = YAML()
    yaml.Constructor = _Constructor
    yaml.Representer = _Representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long text: folded lines end in stray spaces
    return yaml


def load(text: str) -> Any:
    """Load for editing: the result keeps comments, key order and quoting."""
    return round_trip().load(text)


def dump(data: Any) -> str:
    """YAML text for data (a plain dict or a round-trip document)."""
    buf = io.StringIO()
    round_trip().dump(data, buf)
    return buf.getvalue()
