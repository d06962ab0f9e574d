"""The data model: schemas, reading YAML safely and writing it back, loading a registry from a
working tree or a git revision, the index, name resolution. Everything else reads through here."""
