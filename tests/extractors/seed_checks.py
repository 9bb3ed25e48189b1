"""Checks every extractor's seed tests share: the seed read exactly, rows found by serial."""

from __future__ import annotations

from lvzhi.ingest import Extraction
from lvzhi.model import ExtractedDocument, ExtractedRow, ListKind
from lvzhi.vocabulary import canonical_category
from tests.conftest import EXPECTED_COUNTS


def find(doc: ExtractedDocument, kind: ListKind, serial: int) -> ExtractedRow:
    [row] = [r for r in doc.rows if r.list == kind and r.serial == serial]
    return row


def assert_read_exactly(extraction: Extraction, seed: str, min_body_chars: int) -> None:
    """True rows per list, serials 1..N, known categories, every character placed."""
    expected = EXPECTED_COUNTS[seed]
    report = extraction.report
    assert report.rows == {kind: expected[kind] for kind in ("basic", "cooperative", "reclaimed")}
    assert report.serial_problems == []
    for kind in ListKind:
        serials = [i.serial for i in extraction.items if i.list == kind]
        assert serials == list(range(1, expected[kind] + 1))
    assert all(canonical_category(i.category) for i in extraction.items)
    assert (report.lost, report.added) == ([], [])
    assert report.body_chars > min_body_chars


def assert_place(extraction: Extraction, seed: str) -> None:
    doc, expected = extraction.document, EXPECTED_COUNTS[seed]
    assert (doc.prefecture, doc.county, doc.township) == (
        expected["prefecture"], expected["county"], expected["township"])
