"""Whole lists in the dump style at random widths, measured on a fixed random draw.

    python3 benchmarks/dump_widths.py [--files 400] [--first 0]

The property test ``test_any_widths_words_and_headers`` reads twelve rows a list; this reads
every row. Draw ``i`` uses ``random.Random(i)`` for what the test varies: the seed (000, 002 or
004, the dump-style seeds), column widths and page habits, category words from outside the
vocabulary, header words, how categories are printed (a column, merged, section rows, none),
list titles, a receiver in two columns and a two-row header. Each list is printed with the dump
generator of the test suite (``tests/layouts/render_dump.py``) and read as ``lvzhi check``
reads it. Reports files read exactly, rows and fields right, and files **trusted while wrong**
(the report says trustworthy, yet a row or field differs). Rows the test counts as ambiguous
(``AMBIGUOUS`` there) are not counted wrong. ``--long-places``: each list moved to a county
named at length (``LONG_PLACES`` there: 焉耆回族自治县 …), its cells naming it as the seed's
named its own; drawn after the rest, so draw ``i`` is otherwise the same list.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lvzhi.ingest import IngestError  # noqa: E402
from tests.extractors.test_plaintext_layouts import (  # noqa: E402
    DUMP_SEEDS,
    LONG_PLACES,
    _ambiguous,
    moved,
    read,
)
from tests.layouts.render_dump import SEED_PLACES, DumpStyle  # noqa: E402
from tests.layouts.truth import HEADERS, Layout, expected  # noqa: E402

CATEGORIES = ("column", "merged", "section", "none")


def _words(rnd: random.Random) -> list[str]:
    """Forty distinct words of two to six Han characters, none the start of another."""
    while True:
        found: set[str] = set()
        while len(found) < 40:
            found.add("".join(chr(rnd.randint(0x4E00, 0x9FA5))
                              for _ in range(rnd.randint(2, 6))))
        words = sorted(found)
        if not any(a != b and b.startswith(a) for a in words for b in words):
            rnd.shuffle(words)
            return words


def _style(rnd: random.Random) -> DumpStyle:
    """As ``dump_styles`` in the test draws it."""
    upper, category = rnd.randint(22, 48), rnd.randint(2, 6)
    return DumpStyle(
        category=category, list_category=rnd.randint(3, 8),
        name=rnd.randint(category + 1, 9), departments=rnd.randint(3, 10),
        upper=upper, township=upper - rnd.randint(3, 9), basic=rnd.randint(26, 60),
        reclaimed_name=rnd.randint(11, 30), receiver=rnd.randint(20, 40),
        rows_per_page=rnd.randint(1, 6), blanks=rnd.randint(0, 999),
        wrapped_header=rnd.random() < 0.5, title_every_page=rnd.random() < 0.5,
        footers=rnd.random() < 0.5)


def one(work: Path, number: int, long_places: bool = False) -> tuple[str, Counter[str]]:
    rnd = random.Random(number)
    seed = rnd.choice(DUMP_SEEDS)
    style = _style(rnd)
    words = _words(rnd)
    headers = tuple(rnd.randint(0, 4) for _ in HEADERS)
    categories = rnd.choice(CATEGORIES)
    list_words = (rnd.randint(0, 3), rnd.randint(0, 3), rnd.randint(0, 3))
    layout = Layout(place=SEED_PLACES[seed[:3]], headers=tuple(zip(HEADERS, headers, strict=True)),
                    categories=categories, list_words=list_words,
                    receiver_split=rnd.random() < 0.5, two_row_header=rnd.random() < 0.5)
    truth = expected(seed, layout)
    if long_places:
        place = LONG_PLACES[rnd.choice(sorted(LONG_PLACES))]
        layout = replace(layout, place=place)
        truth = moved(truth, seed, place)
    if categories not in ("none", "merged"):  # as the test: other words, but not when merged
        chosen = dict(zip(sorted({row.category for row in truth.rows}), words, strict=False))
        for row in truth.rows:
            row.category = chosen[row.category]
    out = Counter(files=1, rows=len(truth.rows), fields=len(truth.rows) * 9)
    try:
        result, report = read(work, truth, layout, style)
    except IngestError:
        out["refused"] = 1
        return categories, out
    ambiguous = _ambiguous(seed, truth, layout)
    wrong = {" ".join(d.split()[:2]) for d in result.differences if not d.startswith(ambiguous)}
    out["rows right"] = result.rows_matched - len(wrong)
    out["fields right"] = result.fields_exact
    exact = not wrong and result.rows_found == result.rows_expected == result.rows_matched
    out["exact"] = exact
    out["trusted"] = report.trustworthy
    out["trusted wrong"] = report.trustworthy and not exact
    return categories, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--first", type=int, default=0, help="the first draw's number")
    parser.add_argument("--long-places", action="store_true",
                        help="move each list to a county named at length")
    args = parser.parse_args()
    sums: dict[str, Counter[str]] = {name: Counter() for name in CATEGORIES}
    with tempfile.TemporaryDirectory() as work:
        for number in range(args.first, args.first + args.files):
            folder = Path(work) / str(number)
            folder.mkdir()
            categories, counts = one(folder, number, args.long_places)
            sums[categories] += counts
            if counts["trusted wrong"]:
                print(f"draw {number} ({categories}): read wrong, yet trusted", flush=True)
    for name in CATEGORIES:
        _line(name, sums[name])
    _line("all", sum(sums.values(), Counter()))


def _line(name: str, sums: Counter[str]) -> None:
    print(f"{name:8} files {sums['files']:4}  exact {sums['exact']:4}  "
          f"refused {sums['refused']:3}  "
          f"rows right {sums['rows right']:6}/{sums['rows']:6}  "
          f"fields right {sums['fields right']:7}/{sums['fields']:7}  "
          f"trusted {sums['trusted']:4}  trusted wrong {sums['trusted wrong']:3}")


if __name__ == "__main__":
    main()
