"""The formats `peernet export` writes, declared once: publish/export.py checks a format against
them and the CLI offers exactly these. A module of its own so `peernet --help` can name them
without importing the exporters."""

from __future__ import annotations

from enum import Enum


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    sqlite = "sqlite"
    datapackage = "datapackage"
    geojson = "geojson"
