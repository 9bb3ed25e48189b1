"""What an extractor is: the contract between the core and every format plugin."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from lvzhi.model import ExtractedDocument


class ExtractionError(Exception):
    """The file cannot be read as a duty list. The message says why, in one line.

    Extractors raise this (and only this) for bad input; anything else escaping ``extract`` is
    treated as a bug in the plugin and reported with the plugin's name.
    """

    def __init__(self, message: str, *, line: int | None = None, page: int | None = None):
        where = []
        if page is not None:
            where.append(f"page {page}")
        if line is not None:
            where.append(f"line {line}")
        super().__init__(f"{message} ({', '.join(where)})" if where else message)
        self.line = line
        self.page = page


class NoDutyListError(ExtractionError):
    """The file reads fine in this format but holds no duty list (a README, a report).

    Named on the command line, such a file is an error; met while walking a folder, it is
    skipped with a note (folders hold other documents too).
    """


class Extractor:
    """Base class for extractors. Subclass it, set the class attributes, implement two methods.

    ``sniff`` looks at the path and the first bytes of the file and returns a confidence in
    0..1 that this extractor reads it (0: certainly not). The best-scoring extractor wins;
    ``lvzhi ingest --format NAME`` forces one.
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0"
    description: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()  # lower-case, with the dot: (".md",)

    def sniff(self, path: Path, head: bytes) -> float:
        return 0.5 if path.suffix.lower() in self.extensions else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        raise NotImplementedError

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"
