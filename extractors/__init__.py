"""Built-in extractor plugins, one module a format.

Each module is a pluggy plugin registered through the ``lvzhi`` entry-point group in
``pyproject.toml``, exactly as a third-party package would register its own. To add a format,
copy ``plugins/csv_lists.py`` (a documented example) and see "Writing an extractor plugin" in
the README.
"""
