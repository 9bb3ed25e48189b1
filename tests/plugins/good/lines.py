"""Working test extractors: `.lines` files ("serial|category|name" a line) and `.buggy`."""

from pathlib import Path

from lvzhi.extractor import ExtractionError, Extractor
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument, ExtractedRow, ListKind, SourceLine, Span
from lvzhi.text import read_text


class LinesExtractor(Extractor):
    name = "lines"
    version = "0.1"
    extensions = (".lines",)

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        doc = ExtractedDocument(township=path.stem, encoding=encoding)
        for number, line in enumerate(text.splitlines(), start=1):
            parts = line.split("|")
            if len(parts) != 3:
                raise ExtractionError("expected serial|category|name", line=number)
            doc.rows.append(ExtractedRow(ListKind.BASIC, int(parts[0]), parts[1], parts[2],
                                         span=Span(number, number),
                                         source=[SourceLine(number, "".join(parts))]))
        return doc


class BuggyExtractor(Extractor):
    name = "buggy"
    extensions = (".buggy",)

    def extract(self, path: Path) -> ExtractedDocument:
        raise ZeroDivisionError("division by zero inside the plugin")


@hookimpl
def register_extractors(register):
    register(LinesExtractor())
    register(BuggyExtractor())
