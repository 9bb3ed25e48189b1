"""Plain text dumped from a PDF (pdftotext and friends): layout recovery without a grid."""

from __future__ import annotations

from pathlib import Path

from explorer.extractor import ExtractionError, Extractor
from explorer.hookspecs import hookimpl
from explorer.model import ExtractedDocument


class PlainTextExtractor(Extractor):
    name = "plaintext"
    version = "0.1"
    description = "text dumped from a PDF: wrapped columns, repeated page headers"
    extensions = (".txt", ".text")

    def sniff(self, path: Path, head: bytes) -> float:
        return 0.3 if path.suffix.lower() in self.extensions else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        raise ExtractionError("the plain-text extractor is not written yet")


@hookimpl
def register_extractors(register):
    register(PlainTextExtractor())
