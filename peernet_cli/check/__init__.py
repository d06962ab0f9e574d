"""Validation: single-file checks, cross-file rules, findings and their messages."""
