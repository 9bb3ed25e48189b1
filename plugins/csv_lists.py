"""Example drop-in plugin: duty lists saved as CSV (Excel's, WPS's or LibreOffice's "Save as
CSV").

lvzhi loads every ``*.py`` file in this folder (and in ``--plugins-dir DIR``) as a plugin. This
one reads a format the core does not know, using only the public plugin API:

- ``lvzhi.extractor.Extractor`` — subclass it: ``name``, ``extensions``, ``sniff``, ``extract``;
- ``lvzhi.hookspecs.hookimpl`` — mark ``register_extractors`` so pluggy finds it;
- ``lvzhi.text.read_text`` — decode GBK/UTF-8/UTF-16 files;
- ``lvzhi.extractors.tables.TableAssembler`` — the assembler every built-in table reader
  (Word, Excel, web pages, PDF, TSV) hands its rows of cells to.

A table format needs no more than this: turn the file into rows of cells, in order, and hand
them to the assembler. It finds the list titles and the headers (by meaning: 牵头部门, 责任单位,
乡镇（街道）职责 …, on one row or two), section rows (``一、党的建设``), category cells left empty
under a merged one, serials as counties print them, columns the model has no field for
(kept in ``extra``), the place named in the titles, and the source line of every cell, which
``lvzhi check`` uses to verify that no character was lost.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from lvzhi import ExtractedDocument, Extractor, hookimpl, read_text
from lvzhi.extractors.tables import TableAssembler, clean_cell

_LINE_BREAK_RE = re.compile(r"\r\n|[\r\n]")


class CSVListExtractor(Extractor):
    name = "csv"
    version = "2.0"
    description = "example plugin: lists saved as CSV from a spreadsheet"
    extensions = (".csv",)

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        tables = TableAssembler()
        records = csv.reader(io.StringIO(text, newline=""))
        first = 1  # the line the next record starts on (a quoted cell may hold line breaks)
        for cells in records:
            last = records.line_num
            # a line break typed in a cell wraps its text (joined with nothing, as Excel's
            # own reader does); other runs of whitespace are one space
            texts = [clean_cell(_LINE_BREAK_RE.sub("", cell)) for cell in cells]
            if any(texts):
                tables.row(texts, line=first, line_last=last)
            else:
                tables.page_break()  # an empty row: tables are apart by them
            first = last + 1
        document = tables.finish()
        document.encoding = encoding
        return document


@hookimpl
def register_extractors(register):
    register(CSVListExtractor())
