"""Tab-separated tables, header row repeated, section titles between tables."""

from __future__ import annotations

from pathlib import Path

from explorer.extractor import ExtractionError, Extractor
from explorer.hookspecs import hookimpl
from explorer.model import ExtractedDocument


class TSVExtractor(Extractor):
    name = "tsv"
    version = "0.1"
    description = "tab-separated tables with repeated header rows"
    extensions = (".tsv", ".tab", ".txt")

    def sniff(self, path: Path, head: bytes) -> float:
        lines = head.splitlines()
        tabbed = sum(1 for line in lines if line.count(b"\t") >= 2)
        if lines and tabbed >= max(3, len(lines) // 4):
            return 0.85
        return 0.4 if path.suffix.lower() in (".tsv", ".tab") else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        raise ExtractionError("the TSV extractor is not written yet")


@hookimpl
def register_extractors(register):
    register(TSVExtractor())
