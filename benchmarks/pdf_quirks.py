"""How the PDF readers read real county tables' quirks, quirk by quirk, on fixed draws.

    python3 benchmarks/pdf_quirks.py --count 8 --seed 1 [--quirks one_table,no_serial] \
        [--readers pdf,layout,plain] [--show 2]

Per quirk (``tests.layouts.truth.draw_quirks``: a title / 填报单位 row in the table, 注 · 合计 ·
blank rows, other column orders, serial styles, three lists in one table, stray whitespace,
serials anew in each category, no 序号 column) ``--count`` layouts are drawn from
``random.Random`` seeded by ``--seed``, the quirk and the draw's number: every other choice as
``random_layout(quirks=False)`` draws it, then that one quirk on (``all``: every quirk drawn as
``random_layout`` draws them). Each is printed from a seed (by turns) in a page style drawn as
``pdftotext_draws.py`` draws one, rendered to PDF (``tests/layouts/render_pdf.py``) and read by
the PDF reader (pdfplumber) and by the ``pdftotext -layout`` reader (the PDF dumped with
poppler), as ``lvzhi check`` reads them; ``plain``: the plain ``pdftotext`` reader (dumped
without ``-layout``). A layout reportlab can only print by breaking a row
(it then reprints the header above the row's first part, as no office suite does) is skipped
and counted.

Per quirk and reader: rows exact (every field), fields exact, documents trusted, and documents
trusted while wrong (the report trusts the reading, yet a row or field differs): the figure
that must be 0. The PDF reader is scored as ``tests/extractors/test_pdf_layouts.py`` scores it
(spaces in the duty cells not compared: the font prints no no-break space, and some spaces
are glyph spacing only).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import zlib
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.platypus.doctemplate import LayoutError  # noqa: E402

from benchmarks._tally import TABLE_HEAD, table_row  # noqa: E402
from lvzhi.ingest import IngestError, extract_file  # noqa: E402
from lvzhi.plugins import load_plugins  # noqa: E402
from tests.extractors.test_pdftotext import printed  # noqa: E402
from tests.layouts.render_pdf import PdfStyle, dump, render_as  # noqa: E402
from tests.layouts.truth import (  # noqa: E402
    FIELDS,
    FOOTERS,
    SEEDS,
    SERIAL_STYLES,
    Layout,
    Truth,
    TruthRow,
    expected,
    random_layout,
)

# One quirk on: the values it may take (each drawn with rnd).
QUIRKS = {
    "table_title": lambda rnd: {"table_title": rnd.choice(("title", "unit"))},
    "footers": lambda rnd: {"footers": tuple(f for f in FOOTERS if rnd.random() < 0.5)
                            or (rnd.choice(FOOTERS),)},
    "order": lambda rnd: {"order": rnd.choice((1, 2, 3))},
    "serial_style": lambda rnd: {"serial_style": rnd.choice(SERIAL_STYLES[1:])},
    "one_table": lambda rnd: {"one_table": True},
    "stray_spaces": lambda rnd: {"stray_spaces": True},
    # numbering anew shows only in a list with categories and serials
    "serials_per_category": lambda rnd: {"serials_per_category": True, "no_serial": False,
                                         "categories": rnd.choice(("column", "merged",
                                                                   "section"))},
    "no_serial": lambda rnd: {"no_serial": True},
}
# Print styles an office suite prints a list in (``PdfStyle``), each on a layout drawn with
# every quirk as ``random_layout`` draws them: ``style:<name>`` on the command line.
STYLES = {
    # Word's "allow row to break across pages": the row at a page's foot broken over it
    "row_breaks": lambda rnd: {"word_breaks": True, "repeat_header": rnd.random() < 0.7,
                               "cut_rules": rnd.random() < 0.5},
    # other rulings, on rows broken over pages or not
    "thick": lambda rnd: {"rules": "thick", "word_breaks": rnd.random() < 0.5},
    "rects": lambda rnd: {"rules": "rects", "word_breaks": rnd.random() < 0.5},
    "filled": lambda rnd: {"rules": "filled", "word_breaks": rnd.random() < 0.7,
                           "cut_rules": rnd.random() < 0.3},
    "outer": lambda rnd: {"rules": "outer"},
    "three_line": lambda rnd: {"rules": "three_line"},
    "furniture": lambda rnd: {"page_numbers": rnd.choice(("em", "of", "none")),
                              "attachment": rnd.random() < 0.5, "running_title": True},
    "preface": lambda rnd: {"preface": True, "cover_page": rnd.random() < 0.5},
    "mid_page": lambda rnd: {"cover_page": False},
    # all of them drawn at once, the rules as a grid or a grid-like style
    "office": lambda rnd: {"word_breaks": rnd.random() < 0.6,
                           "repeat_header": rnd.random() < 0.7, "cut_rules": rnd.random() < 0.5,
                           "rules": rnd.choice(("grid", "thick", "filled", "rects")),
                           "page_numbers": rnd.choice(("dash", "em", "of", "none")),
                           "attachment": rnd.random() < 0.3, "preface": rnd.random() < 0.3,
                           "cover_page": rnd.random() < 0.5},
}
READERS = {"pdf": "pdf", "layout": "pdftotext-layout", "plain": "pdftotext-plain"}
_DUTIES = ("upper_duties", "township_duties")


def draw(quirk: str, seed: int, number: int) -> tuple[Layout, PdfStyle]:
    rnd = random.Random(seed * 1_000_003 + zlib.crc32(quirk.encode()) * 1009 + number)
    styled = quirk.removeprefix("style:")
    if quirk == "all" or styled in STYLES:
        layout = random_layout(rnd)
    else:
        layout = replace(random_layout(rnd, quirks=False), **QUIRKS[quirk](rnd))
    style = PdfStyle(portrait=rnd.random() < 0.4, font_size=rnd.choice((8, 9, 9, 10, 10.5)),
                     name_share=rnd.choice((0.6, 1.0, 1.0, 1.5)),
                     running_title=rnd.random() < 0.7, new_page_per_list=rnd.random() < 0.7)
    if styled in STYLES:
        style = replace(style, **STYLES[styled](rnd))
    return layout, style


def _squeezed(text: str) -> str:
    return text.replace(" ", "").replace("\xa0", "")


def row_exact(item, row: TruthRow, *, lenient: bool) -> tuple[bool, int]:
    """Whether an item reads ``row`` exactly, and how many of its fields are exact."""
    exact = 0
    for name in FIELDS:
        got, want = getattr(item, name), getattr(row, name)
        if name in _DUTIES:
            got = "".join(got)
            if lenient:
                got, want = _squeezed(got), _squeezed(want)
        if isinstance(want, str):
            got, want = got.replace("\xa0", " "), want.replace("\xa0", " ")
        exact += got == want
    return exact == len(FIELDS), exact


def measure(quirks: list[str], readers: list[str], count: int, seed: int, show: int) -> None:
    registry = load_plugins([])
    tallies: dict[tuple[str, str], Counter[str]] = {}
    shown = 0
    with tempfile.TemporaryDirectory() as folder:
        for quirk in quirks:
            for number in range(count):
                layout, style = draw(quirk, seed, number)
                source = SEEDS[number % len(SEEDS)]
                truth = printed(expected(source, layout))
                try:
                    pdf, used = render_as(expected(source, layout), layout, style)
                except LayoutError:
                    for reader in readers:
                        tallies.setdefault((quirk, reader), Counter())["unrenderable"] += 1
                    continue
                for reader in readers:
                    tally = tallies.setdefault((quirk, reader), Counter())
                    if used.split_rows:
                        tally["rows broken"] += 1
                        continue
                    path = Path(folder) / ("list.pdf" if reader == "pdf" else "list.txt")
                    if reader == "pdf":
                        path.write_bytes(pdf)
                    else:
                        path.write_text(dump(pdf, layout=reader == "layout"), encoding="utf-8")
                    wrong = read(registry, path, READERS[reader], truth, tally,
                                 lenient=reader == "pdf")
                    if wrong and shown < show:
                        shown += 1
                        print(f"--- {quirk} / {reader} draw {number} ({source[:3]}): "
                              f"{wrong[0]}\n  {layout}\n  {used}\n  " + "\n  ".join(wrong[1:12]))
    print(f"{'quirk':22} {'reader':7} {TABLE_HEAD}")
    for (quirk, reader), t in tallies.items():
        print(f"{quirk:22} {reader:7} {table_row(t, t['rows broken'] + t['unrenderable'])}")


def read(registry, path: Path, reader: str, truth: Truth, tally: Counter[str], *,
         lenient: bool) -> list[str]:
    """Read one document into ``tally``; what was wrong (empty if it was exact)."""
    tally["documents"] += 1
    tally["rows"] += len(truth.rows)
    tally["fields"] += len(truth.rows) * len(FIELDS)
    try:
        extraction = extract_file(registry, path, reader)
    except IngestError as exc:
        tally["refused"] += 1
        return [f"refused: {exc}"]
    found = {(item.list, item.serial): item for item in extraction.items}
    wrong: list[str] = []
    for row in truth.rows:
        item = found.pop((row.list, row.serial), None)
        if item is None:
            wrong.append(f"{row.list} {row.serial}: missing")
            continue
        exact, fields = row_exact(item, row, lenient=lenient)
        tally["rows exact"] += exact
        tally["fields exact"] += fields
        if not exact:
            differing = [name for name in FIELDS if not row_exact(
                replace_field(item, row, name), row, lenient=lenient)[0]]
            wrong.append(f"{row.list} {row.serial}: {', '.join(differing)}: " + "; ".join(
                f"got {str(getattr(item, n))[:50]!r} want {str(getattr(row, n))[:50]!r}"
                for n in differing[:2]))
    wrong += [f"{key[0]} {key[1]}: not in the truth" for key in found]
    trusted = extraction.report.trustworthy
    tally["trusted"] += trusted
    if wrong and trusted:
        tally["trusted wrong"] += 1
        wrong.insert(0, "TRUSTED WHILE WRONG")
    elif wrong:
        wrong.insert(0, f"untrusted: {extraction.report.distrust()[:200]}")
    return wrong


def replace_field(item, row: TruthRow, keep: str):
    """A copy of ``item`` with every field but ``keep`` taken from ``row`` (to name the
    fields that differ)."""
    copy = item.model_copy() if hasattr(item, "model_copy") else replace(item)
    for name in FIELDS:
        if name != keep:
            value = getattr(row, name)
            setattr(copy, name, value if name not in _DUTIES else [value])
    return copy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quirks", default=",".join([*QUIRKS, "all"]),
                        help="quirks, and print styles as style:<name> (" + ", ".join(
                            f"style:{name}" for name in STYLES) + ")")
    parser.add_argument("--readers", default="pdf,layout")
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    measure(args.quirks.split(","), args.readers.split(","), args.count, args.seed, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
