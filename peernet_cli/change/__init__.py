"""Proposing a change: records from values, the change set, verify, the lock, commit, pull request,
and rewriting files into canonical form (fmt)."""
