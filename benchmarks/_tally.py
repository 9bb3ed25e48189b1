"""One drawn document's reading counted into a benchmark's tally, and the tally's result line.

The layout benchmarks (``table_quirks.py``, ``office_quirks.py``, ``html_sites.py``,
``merged_cells.py``, ``pdf_quirks.py``) each draw layouts, print them and read them as
``lvzhi check`` does; what they count, and how they print it, is here once. A tally is a
``Counter``: documents, rows, fields; rows exact (every field), fields exact, rows found;
perfect (every row and field), exact (perfect and the report clean: no text lost or added,
no serial problem, no error), report not clean, trusted, **trusted wrong** (trusted, yet not
perfect: the figure that must be 0), refused (the reader gave up).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lvzhi.ingest import Extraction, IngestError
from tests.layouts.truth import FIELDS, Score, Truth, extract_and_score


@dataclass(slots=True)
class Reading:
    """One document as read: its score and extraction, or the error it was refused with."""

    result: Score | None = None
    extraction: Extraction | None = None
    error: IngestError | None = None
    clean: bool = False


def read_into(tally: Counter[str], path: Path, data: bytes, truth: Truth, *,
              forced: str | None = None, printed_place: bool = False) -> Reading:
    """Write ``data`` to ``path``, read and score it against ``truth``, count it in ``tally``.
    ``printed_place``: a part of the place the document leaves empty is no error (a page need
    not print it, the gazetteer may not know it), only a part read wrong is."""
    tally["documents"] += 1
    tally["rows"] += len(truth.rows)
    tally["fields"] += len(truth.rows) * len(FIELDS)
    try:
        result, extraction = extract_and_score(path, data, truth, forced)
    except IngestError as error:
        tally["refused"] += 1
        return Reading(error=error)
    if printed_place:
        doc = extraction.document
        got = (doc.prefecture, doc.county, doc.township)
        want = (truth.place.prefecture, truth.place.county, truth.place.township)
        result.place_ok = all(not g or g == w for g, w in zip(got, want, strict=True))
        if not result.place_ok:
            result.differences.insert(0, f"place: got {got}, want {want}")
    report = extraction.report
    wrong = {" ".join(d.split(" ")[:2]).rstrip(":") for d in result.differences}
    tally["fields exact"] += result.fields_exact
    tally["rows exact"] += sum(1 for row in truth.rows if f"{row.list} {row.serial}" not in wrong)
    tally["rows found"] += result.rows_found
    clean = not (report.lost or report.added or report.serial_problems or report.errors)
    tally["perfect"] += result.perfect
    tally["exact"] += result.perfect and clean
    tally["report not clean"] += not clean
    tally["trusted"] += report.trustworthy
    tally["trusted wrong"] += report.trustworthy and not result.perfect
    return Reading(result, extraction, clean=clean)


# The parts of a result line, each a template over the tally's counts.
PARTS = {
    "exact": "exact {exact}/{documents} documents",
    "perfect": "exact {perfect}/{documents} documents",
    "rows": "rows exact {rows exact}/{rows}",
    "rows found": "rows exact {rows exact}/{rows} (found {rows found})",
    "fields": "fields exact {fields exact}/{fields}",
    "not clean": "report not clean {report not clean}",
    "trusted": "trusted {trusted}",
    "trusted wrong": "trusted while wrong {trusted wrong}",
    "failed": "failed {refused}",
    "refused": "refused {refused}",
}


def result_line(tally: Counter[str], parts: list[str], name: str | None = None) -> str:
    """The tally as one line of ``parts`` (keys of ``PARTS``), after ``name`` if given."""
    text = ", ".join(PARTS[part].format_map(tally) for part in parts)
    return text if name is None else f"{name:5} {text}"


TABLE_HEAD = (f"{'docs':>4} {'rows exact':>12} {'fields exact':>14} {'trusted':>7} {'TWW':>4} "
              f"{'refused':>7} {'skipped':>7}")


def table_row(tally: Counter[str], skipped: int) -> str:
    """The tally as a row under ``TABLE_HEAD``."""
    return (f"{tally['documents']:4} {tally['rows exact']:5}/{tally['rows']:<6} "
            f"{tally['fields exact']:6}/{tally['fields']:<7} {tally['trusted']:7} "
            f"{tally['trusted wrong']:4} {tally['refused']:7} {skipped:7}")
