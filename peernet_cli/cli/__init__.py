"""The command-line layer: each command parses flags, calls one core function, renders."""
