"""Extra columns (履职依据, 备注, 事项编码 …) drawn at random for the dump generator.

Which columns, where they stand (after the serial, after the model's columns, or between them
after the name), how wide each is, what their cells say and how often a cell is empty are all
drawn from one ``random.Random``, so hypothesis (through ``st.randoms()``) and a measurement
over a fixed list of seeds draw from the same space. The cell texts are built from parts of
many lengths, not from a fixed list: legal bases, codes, offices, time limits and free remarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tests.layouts.render_dump import DumpStyle
from tests.layouts.truth import EXTRA_COLUMNS, Layout, Truth

# Headers of columns the model has no field for, each ending with a word lvzhi's vocabulary
# knows as such (依据, 备注, 编码 …), in the words other counties print.
EXTRA_HEADERS = (*EXTRA_COLUMNS, "法律依据", "实施依据", "责任股室", "办理期限", "服务对象")
SLOTS = ("lead", "tail", "middle")  # after the serial / after the model's columns / after the name
_HAN = "".join(chr(c) for c in range(0x4E00, 0x9FA6, 37))  # an even spread of CJK characters


def _han(rnd: random.Random, least: int, most: int) -> str:
    return "".join(rnd.choice(_HAN) for _ in range(rnd.randint(least, most)))


def cell_text(rnd: random.Random) -> str:
    """One cell of an extra column: any of the kinds real ones hold, of any length."""
    kind = rnd.randrange(6)
    if kind == 0:  # a legal basis, maybe several
        return "、".join(f"《{_han(rnd, 2, 14)}》第{rnd.randint(1, 120)}条"
                        for _ in range(rnd.randint(1, 3)))
    if kind == 1:  # a code
        return "".join(rnd.choice("0123456789ABCDEFGHJK-") for _ in range(rnd.randint(2, 14)))
    if kind == 2:  # an office
        return _han(rnd, 2, 8) + rnd.choice(("办公室", "中心", "所", "站", "股"))
    if kind == 3:  # a time limit
        return f"{rnd.randint(1, 60)}个工作日" if rnd.random() < 0.7 else _han(rnd, 2, 6)
    # free text: a few clauses
    return "，".join(_han(rnd, 2, 16) for _ in range(rnd.randint(1, 4))) + rnd.choice(("", "。"))


@dataclass
class ExtraColumns:
    """Drawn extra columns: where they go (a ``Layout.extra``), their widths and texts."""

    extra: tuple[tuple[str, int], ...]
    slots: tuple[str, ...]
    widths: tuple[tuple[str, int], ...]
    texts: dict[str, tuple[list[str], float, int]] = field(default_factory=dict)

    @property
    def placed(self) -> bool:
        """Whether a dump's reader is expected to place them (none between the model's)."""
        return "middle" not in self.slots


def draw(rnd: random.Random, categories: str, *, middle: float = 0.15) -> ExtraColumns:
    """One to three extra columns; ``middle``: the chance that one stands after the name."""
    headers = rnd.sample(EXTRA_HEADERS, rnd.randint(1, 3))
    slots = [rnd.choice(("lead", "tail", "tail")) for _ in headers]
    if rnd.random() < middle:
        slots[rnd.randrange(len(slots))] = "middle"
    order = sorted(range(len(headers)), key=lambda i: ("lead", "middle", "tail").index(
        slots[i]))
    headers = [headers[i] for i in order]
    slots = [slots[i] for i in order]
    name_at = 2 if categories in ("column", "merged") else 1  # in the model's columns
    extra, leads, middles = [], 0, 0
    for header, slot in zip(headers, slots, strict=True):
        if slot == "lead":
            leads += 1
            extra.append((header, leads))  # inserted after the serial, in drawn order
        elif slot == "middle":
            middles += 1
            extra.append((header, leads + name_at + middles))
        else:
            extra.append((header, -1))
    texts = {}
    for header, slot in zip(headers, slots, strict=True):
        empty = 0.0 if slot == "lead" else rnd.choice((0.0, 0.3, 0.7))
        texts[header] = ([cell_text(rnd) for _ in range(4)], empty, rnd.randrange(1000))
    widths = tuple((header, rnd.randint(3, 16)) for header in headers)
    return ExtraColumns(tuple(extra), tuple(slots), widths, texts)


def fill(truth: Truth, columns: ExtraColumns) -> None:
    """Each row's extra cells: one of the drawn texts, empty now and then (seeded)."""
    for header, (cells, empty, seed) in columns.texts.items():
        chance = random.Random(seed)
        for row in truth.rows:
            if header in row.extra:
                text = cells[chance.randrange(len(cells))]
                row.extra[header] = "" if chance.random() < empty else text


def random_style(rnd: random.Random) -> DumpStyle:
    """A dump's column widths and page habits, as ``dump_styles`` in the tests draws them."""
    upper = rnd.randint(22, 48)
    category = rnd.randint(2, 6)
    return DumpStyle(
        category=category, list_category=rnd.randint(3, 8),
        name=rnd.randint(category + 1, 9), departments=rnd.randint(3, 10),
        upper=upper, township=upper - rnd.randint(3, 9), basic=rnd.randint(26, 60),
        reclaimed_name=rnd.randint(11, 30), receiver=rnd.randint(20, 40),
        rows_per_page=rnd.randint(1, 6), blanks=rnd.randrange(1000),
        wrapped_header=rnd.random() < 0.5, title_every_page=rnd.random() < 0.5,
        footers=rnd.random() < 0.5)


def layout_of(columns: ExtraColumns, categories: str, rows: int | None) -> Layout:
    return Layout(extra=columns.extra, categories=categories, rows=rows)
