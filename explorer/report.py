"""The extraction report: can a user trust what was read from this file?

Rows per list, gaps and repeats in serials, suspicious rows, and text conservation: every
non-whitespace character of the table bodies must land in exactly one field.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from lvzhi.model import ExtractedDocument, ExtractedRow, ListKind, SourceLine
from lvzhi.text import strip_spaces
from lvzhi.vocabulary import split_departments

# A matter's name (cooperative, reclaimed) rarely runs past ~80 characters; a basic duty's name
# is the whole duty statement (the seeds' first basic rows print 134-136 characters), so a
# name is long only past twice that. Longer names are flagged for review: two rows merged?
LONG_NAME = {ListKind.BASIC: 160, ListKind.COOPERATIVE: 80, ListKind.RECLAIMED: 80}
# A department name is short and never a sentence.
_DUTY_LIKE_RE = re.compile(r"^\d+[.．、]|负责|做好|开展|。|；")
LONG_DEPARTMENT = 30


@dataclass(slots=True)
class TextRun:
    """A run of characters lost (in the source, in no field) or added (in a field, not in
    the source)."""

    text: str
    line: int | None = None
    page: int | None = None
    row: str = ""  # "<list> <serial>" of the row concerned, if any


@dataclass(slots=True)
class RowProblem:
    list: str
    serial: int
    problem: str
    line: int | None = None
    page: int | None = None
    # "error": the row is certainly wrong (empty or unknown required field); "review": it
    # may be wrong and a person should look (a very long name, text in a neighbour's column).
    severity: str = "error"


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What an ingest keeps of a stored file's report: the counts its one line says. (The
    whole reports, kept for every file until the end, were most of a country's ingest
    memory: 2.6 GB at 38,000 files.)"""

    conserved: bool  # no text lost or added
    lost_chars: int
    added_chars: int
    errors: int  # rows certainly wrong
    to_review: int  # rows a person should look at
    serial_problems: int
    trustworthy: bool


@dataclass
class ExtractionReport:
    source: str
    extractor: str
    township: str
    rows: dict[str, int] = field(default_factory=dict)
    serial_problems: list[str] = field(default_factory=list)
    suspicious: list[RowProblem] = field(default_factory=list)
    lost: list[TextRun] = field(default_factory=list)
    added: list[TextRun] = field(default_factory=list)
    body_chars: int = 0
    page_repeats: int = 0  # characters of cells printed again after a page break
    merge_repeats: int = 0  # characters of merged cells read again in each row they cover
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None
    # How each list's header was read: {"list", "line", "page", "cells": [[printed, field]]}.
    headers: list[dict[str, Any]] = field(default_factory=list)
    advice: str = ""  # the extractor's advice where the reading is not trusted

    @property
    def lost_chars(self) -> int:
        return sum(len(r.text) for r in self.lost)

    @property
    def added_chars(self) -> int:
        return sum(len(r.text) for r in self.added)

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.suspicious if p.severity == "error"]

    @property
    def to_review(self) -> list[RowProblem]:
        return [p for p in self.suspicious if p.severity != "error"]

    @property
    def trustworthy(self) -> bool:
        """Every row found, every character placed, every required field sound. Rows to
        review do not make a document untrustworthy; they are listed for a person to look."""
        return not (self.serial_problems or self.errors or self.lost or self.added)

    def distrust(self) -> str:
        """Why the extraction cannot be trusted, in one line ("" if it can)."""
        reasons = [*self.serial_problems]
        if self.lost or self.added:
            reasons.append(f"{self.lost_chars} characters lost, {self.added_chars} added")
        if errors := self.errors:
            first = errors[0]
            reasons.append(f"{len(errors)} rows with a bad field (first: {first.list} "
                           f"{first.serial}, {first.problem})")
        if reasons and self.advice:
            reasons.append(self.advice)
        return "; ".join(reasons)

    def summary(self) -> ReportSummary:
        return ReportSummary(not (self.lost or self.added), self.lost_chars, self.added_chars,
                             len(self.errors), len(self.to_review), len(self.serial_problems),
                             self.trustworthy)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data |= {"lost_chars": self.lost_chars, "added_chars": self.added_chars,
                 "errors": len(self.errors), "to_review": len(self.to_review),
                 "trustworthy": self.trustworthy}
        return data


def _row_label(row: ExtractedRow) -> str:
    return f"{row.list} {row.serial}"


def check_serials(rows: list[ExtractedRow]) -> list[str]:
    problems = []
    for kind in ListKind:
        serials = [r.serial for r in rows if r.list == kind]
        if not serials:
            continue
        repeats = sorted(s for s, n in Counter(serials).items() if n > 1)
        missing = sorted(set(range(1, max(serials) + 1)) - set(serials))
        if repeats:
            problems.append(f"{kind}: serial repeated: {_ranges(repeats)}")
        if missing:
            problems.append(f"{kind}: serial missing: {_ranges(missing)}")
        if serials != sorted(serials):
            problems.append(f"{kind}: serials out of order")
    return problems


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def department_problem(cell: str) -> str | None:
    """Why a 对应上级部门 cell reads like a duty rather than department names, if it does."""
    for piece in split_departments(cell):
        if _DUTY_LIKE_RE.search(piece) or len(piece) > LONG_DEPARTMENT:
            return f"department cell reads like a duty: {piece[:30]!r}"
    return None


def check_fields(row: ExtractedRow, *, categorised: bool = True) -> list[tuple[str, str]]:
    """(severity, problem) for each suspicious field of a row. Categories are an open
    vocabulary: any word is one; a row without one is wrong only in a list that has them
    (``categorised``): a list printed without any category is no error."""
    problems: list[tuple[str, str]] = []
    if not row.name.strip():
        problems.append(("error", "empty name"))
    if categorised and not row.category.strip():
        problems.append(("error", "empty category"))
    if (length := len(strip_spaces(row.name))) > LONG_NAME[row.list]:
        problems.append(("review", f"name of {length} characters"))
    if row.list == ListKind.COOPERATIVE:
        if not row.departments.strip():
            problems.append(("error", "empty department cell"))
        elif (problem := department_problem(row.departments)) and not any(
                "department cell" in w for w in row.warnings):  # the extractor said it
            problems.append(("review", problem))
        if not row.upper_duties.strip():
            problems.append(("error", "empty department duties"))
        if not row.township_duties.strip():
            problems.append(("error", "empty township duties"))
    if row.list == ListKind.RECLAIMED and not row.receiver.strip():
        problems.append(("error", "empty receiver cell"))
    problems.extend(("review", warning) for warning in row.warnings)
    return problems


def _serial_text(row: ExtractedRow) -> str:
    """The serial as the source prints it: none when it is the row's counted place (the
    printed number is then in ``extra``)."""
    return "" if row.serial_counted else str(row.serial)


def _field_chars(row: ExtractedRow) -> Counter[str]:
    texts = [_serial_text(row), row.name, row.departments, row.upper_duties,
             row.township_duties, row.receiver, *row.extra.values()]
    if not row.category_filled:
        texts.append(row.category)
    chars = Counter(strip_spaces("".join(texts)))
    chars.subtract(strip_spaces("".join(row.merged)))  # printed on a row above
    return +chars


def _source_order_text(row: ExtractedRow) -> str:
    """A row's fields in the order a table prints them (serial, category, name, …), spaces
    removed: when the source reads exactly this, no character was lost or added, and the
    check needs no counting."""
    category = "" if row.category_filled else row.category
    return strip_spaces("".join((_serial_text(row), category, row.name, row.departments,
                                 row.upper_duties, row.township_duties, row.receiver,
                                 *row.extra.values())))


def _runs(chars: list[tuple[str, SourceLine]]) -> list[TextRun]:
    """Group lost characters into runs by source line."""
    runs: list[TextRun] = []
    for char, source in chars:
        if runs and runs[-1].line == source.line:
            runs[-1].text += char
        else:
            runs.append(TextRun(char, source.line, source.page))
    return runs


def conservation(rows: list[ExtractedRow], orphans: list[SourceLine]) -> tuple[
        list[TextRun], list[TextRun], int]:
    """(lost runs, added runs, body characters): each row's source text against its fields."""
    lost: list[TextRun] = []
    added: list[TextRun] = []
    body = 0
    for row in rows:
        printed = strip_spaces("".join(source.text for source in row.source))
        body += len(printed)
        if not row.source or printed == _source_order_text(row):
            continue  # the common case: the fields read as the source, in its order
        available = _field_chars(row)
        if Counter(printed) == available:
            continue  # the same characters in another order; walk them only on a mismatch
        missing: list[tuple[str, SourceLine]] = []
        for source in row.source:
            for char in strip_spaces(source.text):
                if available[char] > 0:
                    available[char] -= 1
                else:
                    missing.append((char, source))
        for run in _runs(missing):
            run.row = _row_label(row)
            lost.append(run)
        extra = "".join(c * n for c, n in available.items() if n > 0)
        if extra:
            added.append(TextRun(extra, row.span.line_first, row.span.page_first,
                                 _row_label(row)))
    orphan_chars = [(c, s) for s in orphans for c in strip_spaces(s.text)]
    body += len(orphan_chars)
    lost.extend(_runs(orphan_chars))
    return lost, added, body


def build_report(extracted: ExtractedDocument, *, source: str, extractor: str) -> (
        ExtractionReport):
    rows = extracted.rows
    counts = {str(kind): sum(1 for r in rows if r.list == kind) for kind in ListKind}
    report = ExtractionReport(
        source=source,
        extractor=extractor,
        township=extracted.township,
        rows=counts,
        warnings=list(extracted.warnings),
        encoding=extracted.encoding,
        advice=extracted.advice,
    )
    report.serial_problems = check_serials(rows)
    report.headers = [{"list": str(h.list), "line": h.line, "page": h.page,
                       "cells": [list(cell) for cell in h.cells]} for h in extracted.headers]
    categorised = {row.list for row in rows if row.category.strip()}
    for row in rows:
        for severity, problem in check_fields(row, categorised=row.list in categorised):
            report.suspicious.append(RowProblem(str(row.list), row.serial, problem,
                                                row.span.line_first, row.span.page_first,
                                                severity))
    report.lost, report.added, report.body_chars = conservation(rows, extracted.orphans)
    report.page_repeats = extracted.page_repeats
    report.merge_repeats = extracted.merge_repeats
    return report
