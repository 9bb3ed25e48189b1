"""Local drop-in plugins: every ``*.py`` here not starting with ``_`` is loaded (see README.md)."""
