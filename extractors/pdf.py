"""PDF through pdfplumber: ruled tables over many pages, stitched back into rows."""

from __future__ import annotations

from pathlib import Path

from explorer.extractor import ExtractionError, Extractor
from explorer.hookspecs import hookimpl
from explorer.model import ExtractedDocument


class PDFExtractor(Extractor):
    name = "pdf"
    version = "0.1"
    description = "PDF with ruled tables (pdfplumber); scans need OCR first"
    extensions = (".pdf",)

    def sniff(self, path: Path, head: bytes) -> float:
        if head.startswith(b"%PDF"):
            return 1.0
        return 0.5 if path.suffix.lower() == ".pdf" else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        raise ExtractionError("the PDF extractor is not written yet")


@hookimpl
def register_extractors(register):
    register(PDFExtractor())
