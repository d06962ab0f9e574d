"""peernet: the civic-tech partnership registry and its command-line tool."""

__version__ = "0.1.0"
