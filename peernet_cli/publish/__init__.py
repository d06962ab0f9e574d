"""Outputs for people and tools: export formats, the dashboard, maps, the calendar, schema docs and
the scaffold of a new registry."""
