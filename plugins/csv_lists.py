"""Example drop-in plugin: duty lists saved as CSV (Excel's "Save as CSV").

lvzhi loads every ``*.py`` file in this folder (and in ``--plugins-dir DIR``) as a plugin. This
one reads a format the core does not know, using only the public plugin API:

- ``lvzhi.extractor.Extractor`` — subclass it: ``name``, ``extensions``, ``sniff``, ``extract``;
- ``lvzhi.hookspecs.hookimpl`` — mark ``register_extractors`` so pluggy finds it;
- ``lvzhi.vocabulary`` — recognise list titles, headers and places the same way the
  built-in extractors do; ``lvzhi.text.read_text`` — decode GBK/UTF-8/UTF-16 files.

Expected layout: a title row (``XX县XX乡基本履职事项清单``), then a header row
(``序号,事项类别,事项名称[,对应上级部门,上级部门职责,乡镇配合职责 | ,承接部门及工作方式]``),
then one row per item; further lists follow the same way in the same file.
"""

from __future__ import annotations

import csv
from pathlib import Path

from lvzhi import (
    ExtractedDocument,
    ExtractedRow,
    ExtractionError,
    Extractor,
    ListKind,
    SourceLine,
    Span,
    hookimpl,
    read_text,
)
from lvzhi.vocabulary import (
    COLUMNS,
    list_kind_of_header,
    list_kind_of_title,
    merge_places,
    parse_place,
)


class CSVListExtractor(Extractor):
    name = "csv"
    version = "1.0"
    description = "example plugin: lists saved as CSV from a spreadsheet"
    extensions = (".csv",)

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        doc = ExtractedDocument(encoding=encoding)
        kind: ListKind | None = None
        places = []
        for number, cells in enumerate(csv.reader(text.splitlines()), start=1):
            cells = [c.strip() for c in cells]
            filled = [c for c in cells if c]
            if not filled:
                continue
            if len(filled) == 1 and (title_kind := list_kind_of_title(filled[0])):
                doc.title = doc.title or filled[0]
                places.append(parse_place(filled[0]))
                kind = title_kind
            elif header_kind := list_kind_of_header(cells):
                kind = header_kind
            elif kind is not None and cells[0].isdigit():
                columns = COLUMNS[kind]
                if len(cells) < len(columns):
                    raise ExtractionError(f"a {kind} row needs {len(columns)} columns, "
                                          f"found {len(cells)}", line=number)
                row = ExtractedRow(list=kind, serial=int(cells[0]), category="", name="",
                                   span=Span(number, number),
                                   source=[SourceLine(number, "".join(cells))])
                for column, value in zip(columns[1:], cells[1:], strict=False):
                    setattr(row, column, value)
                doc.rows.append(row)
        place = merge_places(places)
        doc.prefecture, doc.county, doc.township = place.prefecture, place.county, place.township
        return doc


@hookimpl
def register_extractors(register):
    register(CSVListExtractor())
