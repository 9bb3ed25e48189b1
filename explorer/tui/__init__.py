"""The explorer: a keyboard-driven Textual interface (the only package that imports textual)."""
