"""Files shipped inside the lvzhi package: the bundled sample lists and the example plugin.

Both are read through ``importlib.resources``, so they are found the same way in a source
checkout (``data/samples``, ``plugins/``) and in an installed wheel (``lvzhi/bundled/samples``,
``lvzhi/example_plugins``); never by walking up from this file, which in site-packages would
land in folders other packages share.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str, *parts: str) -> Path:
    # Installed as files (a wheel, an editable checkout), the resource is a real folder.
    return Path(str(files(package).joinpath(*parts)))


def samples_dir() -> Path:
    """The five sample lists ingested on the very first start."""
    return _folder("lvzhi.bundled", "samples")


def example_plugins_dir() -> Path:
    """The drop-in folder holding the documented example plugin (``csv_lists.py``)."""
    return _folder("lvzhi.example_plugins")
