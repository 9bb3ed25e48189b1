"""lvzhi (履职): read, search and compare Chinese township duty lists.

What a plugin author needs is importable from here, as with llm::

    from lvzhi import Extractor, ExtractionError, ExtractedDocument, ExtractedRow, hookimpl

In the repository this package is the ``explorer/`` folder (see ``pyproject.toml``).
"""

from lvzhi.extractor import ExtractionError, Extractor, NoDutyListError
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument, ExtractedRow, HeaderMapping, ListKind, SourceLine, Span
from lvzhi.text import read_text

__version__ = "0.2.0"

__all__ = [
    "ExtractedDocument",
    "ExtractedRow",
    "ExtractionError",
    "Extractor",
    "HeaderMapping",
    "ListKind",
    "NoDutyListError",
    "SourceLine",
    "Span",
    "__version__",
    "hookimpl",
    "read_text",
]
