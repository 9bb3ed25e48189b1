"""From what an extractor found to what the store holds: one Document and its Items."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from lvzhi.model import Document, ExtractedDocument, ExtractedRow, Item, ListKind
from lvzhi.text import readable_name
from lvzhi.vocabulary import (
    canonical_category,
    split_departments,
    split_receiver,
    split_steps,
)


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fill_down_categories(rows: list[ExtractedRow]) -> None:
    """A category printed only on the first row of a run (a merged cell) applies to the run."""
    previous: dict[ListKind, str] = {}
    for row in rows:
        if not row.category.strip() and previous.get(row.list):
            row.category = previous[row.list]
            row.category_filled = True
        if row.category.strip():
            previous[row.list] = row.category


def settle_receivers(rows: list[ExtractedRow]) -> None:
    """A receiver printed as two columns (承接部门 | 工作方式) is also kept whole, its parts
    joined by a space; one printed whole gives its parts where the cell labels them."""
    for row in rows:
        if row.list != ListKind.RECLAIMED:
            continue
        parts = [p for p in (row.receiver_department, row.receiver_method) if p.strip()]
        if parts and not row.receiver.strip():
            row.receiver = " ".join(parts)
        elif row.receiver and not parts:
            row.receiver_department, row.receiver_method = split_receiver(row.receiver)


def _steps(cell: str, marked: list[str] | None) -> list[str]:
    """The extractor's steps when the source marks them and they add up to the cell."""
    if marked and "".join(marked) == cell:
        return list(marked)
    return split_steps(cell)


def to_item(doc: Document, row: ExtractedRow) -> Item:
    return Item(
        id=Item.make_id(doc.id, row.list, row.serial),
        doc_id=doc.id,
        source=doc.source,
        prefecture=doc.prefecture,
        county=doc.county,
        township=doc.township,
        list=row.list,
        serial=row.serial,
        category=row.category,
        category_canonical=canonical_category(row.category) or row.category,
        name=row.name,
        departments=row.departments,
        department_names=split_departments(row.departments),
        upper_duties=_steps(row.upper_duties, row.upper_steps),
        township_duties=_steps(row.township_duties, row.township_steps),
        receiver=row.receiver,
        receiver_department=row.receiver_department,
        receiver_method=row.receiver_method,
        extra=dict(row.extra),
        span=row.span,
        warnings=list(row.warnings),
    )


def normalize(
    extracted: ExtractedDocument,
    *,
    path: Path,
    data: bytes,
    format_name: str,
    extractor_label: str,
    warnings: list[str] | None = None,
) -> tuple[Document, list[Item]]:
    # Categories are filled down by the caller before the extraction report is built
    # (lvzhi.ingest.extract_file), so the report sees the rows the store will hold.
    counts = {str(kind): 0 for kind in ListKind}
    for row in extracted.rows:
        counts[str(row.list)] += 1
    doc = Document(
        id=file_id(data),
        source=readable_name(path.name),  # the store is UTF-8 JSON, whatever the disk holds
        path=readable_name(str(path.resolve())),
        format=format_name,
        extractor=extractor_label,
        prefecture=extracted.prefecture,
        county=extracted.county,
        township=extracted.township,
        title=extracted.title,
        notes=extracted.notes,
        lists={k: v for k, v in counts.items() if v},
        warnings=list(extracted.warnings) + list(warnings or []),
        ingested_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        encoding=extracted.encoding,
    )
    return doc, [to_item(doc, row) for row in extracted.rows]
