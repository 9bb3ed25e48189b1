"""A synthetic province: N township duty lists in the formats lvzhi reads, made from the seeds.

The five seed documents in ``data/samples`` are read with lvzhi's own extractors; each
generated township takes one seed's rows as its base, moves them to another place (a fixed
list of invented township names under the counties of ``lvzhi.gazetteer``), rewords a few
names lightly (县/市, 乡/镇, a county name inserted, a character dropped), drops, adds (copied
from another seed) and reorders rows, renumbers every list 1..N, and is written in the layout
of one of the seeds: plain text dumped from a PDF (000, 002, 004: narrow columns wrapped at
widths chosen per document, headers repeated on every page, the two duty columns of a
cooperative row printed one after the other), markdown tables (001) or tab-separated tables
(003). Everything is drawn from ``random.Random`` seeded per township, so township ``i`` is the
same file whatever N is, and the corpus for N=10 is the first ten files of the one for N=1000.

``manifest.jsonl`` beside the documents records what each file must extract to (place, rows
per list, names), one line a document, written as each is made so a country's corpus is never
held in memory; ``corpus.json``, written last, says what the corpus is (N, seed, layouts,
formats), and a corpus that has one for the same N, seed and layouts is reused instead of
written again. ``verify`` extracts the files back and reports every file that does not.

    python benchmarks/corpus.py --townships 100 --out benchmarks/out/corpus-100 --verify
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import orjson

from lvzhi.gazetteer import PREFECTURE_ALIASES, XINJIANG, counties_of
from lvzhi.ingest import Extraction, IngestError, extract_each, extract_file
from lvzhi.model import Item, ListKind
from lvzhi.plugins import Registry, load_plugins

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "samples"
EXPECTED_COUNTS = ROOT / "tests" / "expected_counts.json"
DEFAULT_SEED = 20250701

# Layouts, named after the seed they imitate, and the format each one is.
LAYOUT_FORMAT = {"000": "plaintext", "001": "markdown", "002": "plaintext",
                 "003": "tsv", "004": "plaintext"}
LAYOUTS = tuple(LAYOUT_FORMAT)

# Invented township names: plausible Xinjiang place-name syllables, none a real county's name.
_NAME_HEADS = ("阿克", "喀拉", "托格", "英阿", "巴格", "库尔", "塔什", "博斯坦", "也克",
               "吐尔", "萨依", "铁热克", "阔什", "奥依", "克孜", "乌拉", "牙哈", "琼库",
               "恰尔", "加依", "红旗", "团结", "幸福", "光明", "胜利", "新华", "和平", "前进",
               "向阳", "丰收")
_NAME_TAILS = ("苏", "布拉克", "塔格", "巴什", "阿瓦提", "库勒", "艾日克", "墩", "其兰", "吾斯塘",
               "萨拉", "托汗", "玛纳", "博依", "恰克", "兰干", "乌恰", "依格孜", "拜格", "买里")

# Counties in a fixed order: townships are dealt out over them.
COUNTIES: tuple[tuple[str, str], ...] = tuple(
    (prefecture, county) for prefecture, counties in counties_of(XINJIANG).items()
    for county in counties
)
_LONG_PREFECTURE = {short: long for long, short in PREFECTURE_ALIASES.items() if len(long) > 2}


# --- the intended content of one generated document ------------------------------------

@dataclass
class Row:
    """One row to print: the fields an extractor must give back."""

    list: ListKind
    serial: int
    category: str
    name: str
    departments: str = ""
    upper_duties: list[str] = field(default_factory=list)  # steps, "".join() is the cell
    township_duties: list[str] = field(default_factory=list)
    receiver: str = ""

    @classmethod
    def from_item(cls, item: Item) -> Row:
        return cls(item.list, item.serial, item.category, item.name, item.departments,
                   list(item.upper_duties), list(item.township_duties), item.receiver)

    def map_text(self, change: Callable[[str], str]) -> Row:
        return replace(self, category=self.category, name=change(self.name),
                       departments=change(self.departments),
                       upper_duties=[change(s) for s in self.upper_duties],
                       township_duties=[change(s) for s in self.township_duties],
                       receiver=change(self.receiver))


@dataclass
class Township:
    index: int
    prefecture: str
    county: str
    township: str
    layout: str
    base_seed: str
    rows: list[Row]

    @property
    def format(self) -> str:
        return LAYOUT_FORMAT[self.layout]

    @property
    def file_name(self) -> str:
        return f"{self.index:04d}_{self.layout}_{self.township}.txt"

    def counts(self) -> dict[str, int]:
        return {str(kind): sum(1 for r in self.rows if r.list is kind) for kind in ListKind}

    def rows_of(self, kind: ListKind) -> list[Row]:
        return [r for r in self.rows if r.list is kind]


@dataclass
class Seed:
    key: str  # "000".."004"
    source: str
    prefecture: str
    county: str
    township: str
    rows: list[Row]


# --- reading the seeds -------------------------------------------------------------------

def load_seeds(registry: Registry, seed_dir: Path = SEED_DIR) -> tuple[list[Seed], list[str]]:
    """The seeds lvzhi's extractors can read, and a note for each one they cannot."""
    expected = orjson.loads(EXPECTED_COUNTS.read_bytes())
    seeds: list[Seed] = []
    notes: list[str] = []
    for path in sorted(seed_dir.glob("*.txt")):
        truth = expected.get(path.name, {})
        try:
            extraction = extract_file(registry, path)
        except IngestError as exc:
            notes.append(f"seed {path.name} not used: {exc.reason}")
            continue
        counts = extraction.document.lists
        wrong = [k for k in ListKind if counts.get(str(k), 0) != truth.get(str(k))]
        if wrong:
            notes.append(f"seed {path.name} not used: its {', '.join(wrong)} list extracts to "
                         f"{[counts.get(str(k), 0) for k in wrong]} rows, not "
                         f"{[truth.get(str(k)) for k in wrong]}")
            continue
        seeds.append(Seed(path.name[:3], path.name, truth["prefecture"], truth["county"],
                          truth["township"],
                          [Row.from_item(item) for item in extraction.items]))
    if not seeds:
        raise SystemExit("no seed document can be extracted yet: " + "; ".join(notes))
    return seeds, notes


# --- places --------------------------------------------------------------------------------

def township_names() -> list[str]:
    """Every invented township name, in a fixed shuffled order."""
    names = [head + tail for head in _NAME_HEADS for tail in _NAME_TAILS]
    random.Random(7).shuffle(names)
    counties = [c for _, c in COUNTIES]
    return [n for n in names if not any(c in n or n in c for c in counties)]


def place_of(index: int, names: list[str]) -> tuple[str, str, str]:
    prefecture, county = COUNTIES[index % len(COUNTIES)]
    name = names[index % len(names)]
    suffix = "镇" if (index // len(names) + index) % 3 == 0 else "乡"
    round_ = index // len(names)
    if round_:  # more townships than names: make the name distinct again
        name += "东西南北中"[round_ % 5] if round_ <= 5 else str(round_)
    return prefecture, county, name + suffix


# --- rewording -------------------------------------------------------------------------------

_COUNTY_WORD_RE = re.compile(r"(?<![\u4e00-\u9fff])县(?=[\u4e00-\u9fff])|(?<=[、，由报至与和向])县"
                             r"|县(?=级|委|直|域|人民|政府)")
_CITY_WORD_RE = re.compile(r"(?<![\u4e00-\u9fff])市(?=[\u4e00-\u9fff])|(?<=[、，由报至与和向])市"
                           r"|(?<!师)市(?=级|委|直|域|人民|政府)")
_TOWNSHIP_WORDS = ("本乡", "全乡", "乡级", "乡党委", "乡人大", "乡政府", "各乡", "乡人民政府")
_LEADING_VERBS = ("负责", "做好", "开展", "落实", "推进", "加强", "组织", "协助", "配合", "指导")


def relocate(seed: Seed, prefecture: str, county: str,
             township: str) -> Callable[[str], str]:
    """Text of the seed's place made into text of the new one (names, 县/市, 乡/镇 words)."""
    to_city = county.endswith("市") and not seed.county.endswith("市")
    to_county = county.endswith("县") and seed.county.endswith("市")
    to_town = township.endswith("镇") != seed.township.endswith("镇")
    old_word, new_word = ("乡", "镇") if township.endswith("镇") else ("镇", "乡")

    def change(text: str) -> str:
        if not text:
            return text
        text = text.replace(seed.county, county).replace(seed.township, township)
        text = text.replace(seed.prefecture, prefecture)  # 哈密市生态环境局 moves too
        if to_city:
            text = _COUNTY_WORD_RE.sub("市", text)
        elif to_county:
            text = _CITY_WORD_RE.sub("县", text)
        if to_town:
            for word in _TOWNSHIP_WORDS:
                word = word.replace("乡", old_word)
                text = text.replace(word, word.replace(old_word, new_word))
        return text

    return change


def reword(name: str, county: str, rng: random.Random) -> str:
    """One light change a neighbouring county would make to a matter's name, or none."""
    roll = rng.random()
    if roll < 0.04 and ("县" in name or "市" in name):
        return name.replace("县", "\0").replace("市", "县").replace("\0", "市")
    if roll < 0.08 and any(w in name for w in ("本乡", "本镇", "乡级", "镇级")):
        return name.translate(str.maketrans("乡镇", "镇乡"))
    if roll < 0.12 and name.startswith(_LEADING_VERBS):
        return name[:2] + county + name[2:]
    if roll < 0.16 and len(name) >= 8:
        at = rng.randrange(2, len(name) - 2)
        if "\u4e00" <= name[at] <= "\u9fff":
            return name[:at] + name[at + 1:]
    return name


# --- planning a township ---------------------------------------------------------------------

def plan_township(index: int, seeds: list[Seed], names: list[str], seed: int,
                  layouts: tuple[str, ...] = LAYOUTS) -> Township:
    rng = random.Random(seed * 1_000_003 + index)
    prefecture, county, township = place_of(index, names)
    layout = layouts[index % len(layouts)]
    base = seeds[rng.randrange(len(seeds))]
    others = [s for s in seeds if s is not base] or [base]
    change = relocate(base, prefecture, county, township)
    rows: list[Row] = []
    for kind in ListKind:
        own = [r.map_text(change) for r in base.rows if r.list is kind]
        moves = {s.key: relocate(s, prefecture, county, township) for s in others}
        pool = [(moves[s.key], r) for s in others for r in s.rows if r.list is kind]
        rows += mutate_list(own, pool, rng)
    for row in rows:
        row.name = reword(row.name, county, rng)
    return Township(index, prefecture, county, township, layout, base.key, rows)


def mutate_list(rows: list[Row], pool: list[tuple[Callable[[str], str], Row]],
                rng: random.Random) -> list[Row]:
    """Drop a few rows, add a few from another seed, move a few; serials renumbered 1..N.

    ``pool``: rows of the other seeds, each with the change that moves it to this township.
    """
    rows = [r for r in rows if rng.random() >= 0.04] or rows[:1]
    for _ in range(rng.randint(0, max(1, len(rows) // 12)) if pool else 0):
        move, row = rng.choice(pool)
        rows.insert(rng.randint(0, len(rows)), row.map_text(move))
    for _ in range(rng.randint(0, 3)):
        if len(rows) > 2:
            row = rows.pop(rng.randrange(len(rows)))
            rows.insert(rng.randrange(len(rows) + 1), row)
    return [replace(r, serial=n) for n, r in enumerate(rows, start=1)]


# --- shared rendering helpers ------------------------------------------------------------------

LIST_TITLES = {ListKind.BASIC: "基本履职事项清单", ListKind.COOPERATIVE: "配合履职事项清单",
               ListKind.RECLAIMED: "上级部门收回事项清单"}


def wrap(text: str, width: int) -> list[str]:
    """Cut text into lines of ``width`` characters, as a PDF table cell wraps Chinese text.

    A space that falls at a line's edge is lost, as it is in a PDF dump.
    """
    lines = (text[i:i + width].strip() for i in range(0, len(text), width))
    return [line for line in lines if line] or [""]


def long_prefecture(prefecture: str) -> str:
    return _LONG_PREFECTURE.get(prefecture, prefecture)


# --- plain text dumped from a PDF (000, 002, 004) ------------------------------------------------

@dataclass(frozen=True)
class PlainLayout:
    """How one seed's PDF dump looks; widths are in characters and vary per document."""

    basic_width: int
    coop_widths: tuple[int, int, int, int, int]  # category, name, departments, upper, township
    reclaimed_widths: tuple[int, int]  # name, receiver
    coop_header: tuple[str, ...]
    title_on_every_page: bool  # 002 prints the list title on every page, 000/004 the header only
    footers: bool  # "第 N 页，共 M 页" now and then (002, 004)
    preface: bool  # a 说明 that states the counts (004)
    serial_alone: bool  # 004 puts the serial on its own line before a long category


PLAIN_LAYOUTS: dict[str, PlainLayout] = {
    "000": PlainLayout(48, (3, 5, 4, 24, 21), (26, 26),
                       ("序", "号", "", "事项", "", "类别", "事项名称", "", "对应上", "级", "",
                        "部门", "上级部门职责 {t}配合职责"), False, False, False, False),
    "002": PlainLayout(51, (4, 5, 7, 21, 19), (11, 39),
                       ("序号 事项类别 事项名称 对应上级部门 上级部门职责 乡镇配合职责",),
                       True, True, False, False),
    "004": PlainLayout(44, (2, 3, 3, 23, 22), (15, 31),
                       ("序号", "事项", "类别", "", "事项", "名称", "", "对应", "上级", "部门", "",
                        "上级部门职责 乡镇配合职责"), False, True, True, True),
}

PLAIN_HEADERS = {ListKind.BASIC: "序号 事项类别 事项名称",
                 ListKind.RECLAIMED: "序号 事项类别 事项名称 承接部门及工作方式"}
_RECEIVER_MARKS_RE = re.compile(r"(?=承接方式[:：]|工作方式[:：])")


class PlainRenderer:
    """Lays rows out the way pdftotext dumps the seeds' tables: one row after another, each
    column's text wrapped at its own width, blank lines where the PDF had vertical gaps, the
    list title and column header again at every page break (only ever between rows)."""

    def __init__(self, town: Township, rng: random.Random) -> None:
        self.town, self.rng = town, rng
        base = PLAIN_LAYOUTS[town.layout]
        self.layout = replace(
            base,
            basic_width=base.basic_width + rng.randint(-4, 4),
            coop_widths=self.rewrapped(base.coop_widths),
            reclaimed_widths=self.rewrapped(base.reclaimed_widths),
        )
        self.lines: list[str] = []
        self.page = 1

    def rewrapped(self, widths: tuple[int, ...]) -> tuple:
        """Another document's column widths: the wide columns a few characters either way."""
        return tuple(w + self.rng.randint(-2, 2) if w > 6 else w for w in widths)

    def capacity(self, kind: ListKind) -> int:
        """Printed (non-blank) lines a page holds before the next row goes over the break."""
        return {ListKind.BASIC: 22, ListKind.COOPERATIVE: 48, ListKind.RECLAIMED: 26}[kind]

    def title(self, kind: ListKind) -> str:
        t = self.town
        return f"{t.prefecture}{t.county}{t.township}{LIST_TITLES[kind]}"

    def header(self, kind: ListKind) -> list[str]:
        if kind is ListKind.COOPERATIVE:
            word = self.town.township[-1]
            return [h.replace("{t}", word) for h in self.layout.coop_header]
        return [PLAIN_HEADERS[kind]]

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    def gappy(self, lines: list[str], rate: float) -> list[str]:
        """Blank lines inside a cell, where the PDF left vertical space between text lines."""
        out: list[str] = []
        for i, line in enumerate(lines):
            out.append(line)
            if i < len(lines) - 1 and self.rng.random() < rate:
                out.append("")
        return out

    def page_break(self, kind: ListKind) -> None:
        self.page += 1
        header = self.header(kind)
        if self.layout.footers and self.rng.random() < 0.2:
            # the total is known only at the end: render() fills in {pages}
            self.emit("", f"第 {self.page - 1} 页，共 {{pages}} 页", "", "")
            block = ([self.title(kind), ""] if self.layout.title_on_every_page else []) + header
        elif self.layout.title_on_every_page:
            block = [" " + self.title(kind), "", *header]
        else:
            block = [" " + header[0], *header[1:]]
        self.emit(*block, "")

    def render(self) -> str:
        if self.layout.preface:
            self.preface()
        for kind in ListKind:
            rows = self.town.rows_of(kind)
            if not rows:
                continue
            self.emit(" " + self.title(kind), *([""] if self.layout.title_on_every_page
                                                 or self.layout.preface else []))
            self.emit(*self.header(kind), "")
            used = 0
            for n, row in enumerate(rows):
                block = self.row_lines(row)
                printed = sum(1 for line in block if line.strip())
                if n and used + printed > self.capacity(kind):
                    self.page_break(kind)
                    used = 0
                self.emit(*block)
                used += printed
        text = "\n".join(self.lines) + "\n"
        return text.replace("{pages}", str(self.page))

    def preface(self) -> None:
        t = self.town
        counts = t.counts()
        self.emit(" 说 明", "", "一、基本情况", "",
                  f"{t.township}位于{t.county}，是农业型乡镇。", "", "二、清单内容", "",
                  f"基本履职事项清单是本乡镇必须为、全负责的事项，共有基本履职事项 "
                  f"{counts['basic']}项。", "",
                  f"配合履职事项清单是以上级部门为主责、乡镇配合的事项，共有配合履职事项 "
                  f"{counts['cooperative']}项。", "",
                  f"上级部门收回事项清单共有上级部门收回事项 {counts['reclaimed']}项。")

    def row_lines(self, row: Row) -> list[str]:
        if row.list is ListKind.BASIC:
            return self.basic_lines(row)
        if row.list is ListKind.COOPERATIVE:
            return self.cooperative_lines(row)
        return self.reclaimed_lines(row)

    def lead(self, row: Row, category_width: int | None = None) -> list[str]:
        """The serial and the category, as the narrow first two columns print them."""
        if category_width is None or len(row.category) <= category_width:
            return [f"{row.serial} {row.category}"]
        parts = wrap(row.category, category_width)
        if self.layout.serial_alone and len(row.category) > 4:
            return [str(row.serial), *parts]
        return [f"{row.serial} {parts[0]}", *parts[1:]]

    def basic_lines(self, row: Row) -> list[str]:
        width = self.layout.basic_width
        if len(row.name) <= width - len(row.category) - 2:
            return [f"{row.serial} {row.category} {row.name}", ""]
        lead = self.lead(row) + ([""] if self.rng.random() < 0.15 else [])
        return [*lead, *self.gappy(wrap(row.name, width), 0.1), ""]

    def duty_lines(self, steps: list[str], width: int) -> list[str]:
        """Each step wrapped on its own; steps usually stand apart by a blank line."""
        lines: list[str] = []
        for n, step in enumerate(steps):
            if n and self.rng.random() < 0.7:
                lines.append("")
            lines += self.gappy(wrap(step, width), 0.5)
        return lines

    def cooperative_lines(self, row: Row) -> list[str]:
        cat_w, name_w, dept_w, upper_w, town_w = self.layout.coop_widths
        lines = [*self.lead(row, cat_w), ""]
        lines += [*self.gappy(wrap(row.name, name_w), 0.05), ""]
        if row.departments:
            lines += [*wrap(row.departments, dept_w), ""]
        if row.upper_duties:
            lines += [*self.duty_lines(row.upper_duties, upper_w), ""]
        if row.township_duties:
            lines += [*self.duty_lines(row.township_duties, town_w), ""]
        return lines

    def reclaimed_lines(self, row: Row) -> list[str]:
        name_w, receiver_w = self.layout.reclaimed_widths
        parts = [p.strip() for p in _RECEIVER_MARKS_RE.split(row.receiver) if p.strip()]
        one_line = f"{row.serial} {row.category} {row.name}"
        if len(parts) == 1 and len(row.name) <= name_w and len(parts[0]) <= receiver_w:
            return [f"{one_line} {parts[0]}", ""]  # a receiver that fits stays on the name's line
        lines = [one_line] if len(row.name) <= name_w else [
            *self.lead(row), *self.gappy(wrap(row.name, name_w), 0.1), ""]
        for part in parts:
            lines += [*wrap(part, receiver_w), ""]
        return lines


# --- markdown (001) and tab-separated (003) --------------------------------------------------

MARKDOWN_HEADERS = {
    ListKind.BASIC: ("序号", "事项类别", "事项名称"),
    ListKind.COOPERATIVE: ("序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责",
                           "{t}配合职责"),
    ListKind.RECLAIMED: ("序号", "事项类别", "事项名称", "承接部门及工作方式"),
}
TSV_TITLES = {ListKind.BASIC: "基本履职事项清单", ListKind.COOPERATIVE: "配合履职事项",
              ListKind.RECLAIMED: "收回履职事项清单"}


def duty_cell(steps: list[str], rng: random.Random, html: float) -> str:
    """A duty cell as converters write it: the text, or one ``<p>`` per step."""
    if len(steps) > 1 and rng.random() < html:
        return " ".join(f"<p>{s.strip()}</p>" for s in steps)
    return "".join(steps)


def cells_of(row: Row, rng: random.Random, html: float) -> list[str]:
    cells = [str(row.serial), row.category, row.name]
    if row.list is ListKind.COOPERATIVE:
        cells += [row.departments, duty_cell(row.upper_duties, rng, html),
                  duty_cell(row.township_duties, rng, html)]
    elif row.list is ListKind.RECLAIMED:
        cells.append(row.receiver)
    return cells


def chunks(rows: list[Row], rng: random.Random, low: int, high: int) -> list[list[Row]]:
    """Rows cut into tables as page breaks cut them."""
    out: list[list[Row]] = []
    at = 0
    while at < len(rows):
        size = rng.randint(low, high)
        out.append(rows[at:at + size])
        at += size
    return out


def render_markdown(town: Township, rng: random.Random) -> str:
    t = town
    word = t.township[-1]
    cover = f"新疆维吾尔自治区{long_prefecture(t.prefecture)} {t.county}{t.township}履职事项清单"
    out = ["", "", cover, "", "2025 年 7 月", "", "目 录", "", "| | |", "|" + "-" * 19 + "|----|"]
    out += [f"| {n}.{LIST_TITLES[k]}..... | {p} |" for n, (k, p) in
            enumerate(zip(ListKind, (1, 11, 61), strict=True), start=1)]
    for kind in ListKind:
        rows = t.rows_of(kind)
        if not rows:
            continue
        out += ["", f"{t.prefecture}{t.county}{t.township}{LIST_TITLES[kind]}"]
        header = [h.replace("{t}", word) for h in MARKDOWN_HEADERS[kind]]
        low, high = (7, 12) if kind is ListKind.BASIC else (2, 6)
        for table in chunks(rows, rng, low, high):
            out += ["", "| " + " | ".join(header) + " |",
                    "|" + "|".join("-" * rng.randint(2, 20) for _ in header) + "|"]
            out += ["| " + " | ".join(c.replace("|", "｜") for c in cells_of(r, rng, 0.5)) + " |"
                    for r in table]
    return "\n".join(out) + "\n"


def render_tsv(town: Township, rng: random.Random) -> str:
    t = town
    place = f"{t.county}{t.township}"
    out = ["", "", f"{place}履职事项清单", "", "目 录", ""]
    toc = ("基本履职事项清单", "配合履职事项清单", "上级部门收回履职事项清单")
    out += [f"{n}.{t.township}{title}.....\t({page})"
            for n, (title, page) in enumerate(zip(toc, (1, 11, 53), strict=True), start=1)]
    headers = {
        ListKind.BASIC: "序号\t事项类别\t履职事项名称",
        ListKind.COOPERATIVE: "\t".join(("序号", "事项类别", "事项名称", "对应上级部门",
                                          "上级部门职责", f"{t.township}配合职责")),
        ListKind.RECLAIMED: "序号\t事项类别\t履职事项名称\t承接部门及工作方式",
    }
    for kind in ListKind:
        rows = t.rows_of(kind)
        if not rows:
            continue
        out += ["", f"{place}{TSV_TITLES[kind]}"]
        low, high = (9, 12) if kind is ListKind.BASIC else (2, 5)
        for table in chunks(rows, rng, low, high):
            out += ["", headers[kind]]
            out += ["\t".join(c.replace("\t", " ") for c in cells_of(r, rng, 0.3))
                    for r in table]
    return "\n".join(out) + "\n"


def render(town: Township, seed: int = DEFAULT_SEED) -> str:
    rng = random.Random(seed * 7_919 + town.index)
    if town.format == "markdown":
        return render_markdown(town, rng)
    if town.format == "tsv":
        return render_tsv(town, rng)
    return PlainRenderer(town, rng).render()


# --- the corpus ------------------------------------------------------------------------------

class Manifest(Mapping[str, dict]):
    """``manifest.jsonl`` read lazily: where each document's line is, parsed when asked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._at: dict[str, int] = {}
        with path.open("rb") as lines:
            lines.readline()  # the header
            while True:
                at = lines.tell()
                line = lines.readline()
                if not line:
                    break
                name = orjson.loads(line)["file"]
                self._at[name] = at

    def __getitem__(self, name: str) -> dict:
        with self.path.open("rb") as lines:
            lines.seek(self._at[name])
            return orjson.loads(lines.readline())

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def values(self) -> Iterator[dict]:  # type: ignore[override]  # one pass, not a seek each
        with self.path.open("rb") as lines:
            lines.readline()
            for line in lines:
                yield orjson.loads(line)


@dataclass
class Corpus:
    directory: Path  # the documents, and nothing else (a folder to ingest)
    manifest: Manifest  # file name -> what it must extract to
    notes: list[str]
    formats: dict[str, int] = field(default_factory=dict)  # format -> documents

    @property
    def files(self) -> list[Path]:
        return [self.directory / name for name in self.manifest]


def write_corpus(out: Path, townships: int, *, registry: Registry | None = None,
                 seed: int = DEFAULT_SEED, layouts: tuple[str, ...] = LAYOUTS,
                 seeds: tuple[list[Seed], list[str]] | None = None,
                 reuse: bool = False) -> Corpus:
    """Write ``townships`` documents into ``out/documents``, ``out/manifest.jsonl`` and, last,
    ``out/corpus.json``; with ``reuse``, a corpus already there for the same N, seed and
    layouts is taken as it is.

    ``layouts`` (seed names, "000".."004") limits the layouts used, e.g. to one format;
    ``seeds`` is what ``load_seeds`` returned, to save reading them again.
    """
    documents = out / "documents"
    summary_path = out / "corpus.json"
    wanted = {"townships": townships, "seed": seed, "layouts": list(layouts)}
    if reuse and summary_path.exists():
        summary = orjson.loads(summary_path.read_bytes())
        if {k: summary.get(k) for k in wanted} == wanted:
            return Corpus(documents, Manifest(out / "manifest.jsonl"), summary["notes"],
                          summary["formats"])
    summary_path.unlink(missing_ok=True)  # incomplete until written again, last
    seeds, notes = seeds or load_seeds(registry or load_plugins())
    names = township_names()
    documents.mkdir(parents=True, exist_ok=True)
    for old in documents.glob("*.txt"):
        old.unlink()
    formats: dict[str, int] = {}
    with (out / "manifest.jsonl").open("wb") as manifest:
        manifest.write(orjson.dumps(wanted | {"notes": notes}) + b"\n")
        for index in range(townships):
            town = plan_township(index, seeds, names, seed, layouts)
            (documents / town.file_name).write_text(render(town, seed), encoding="utf-8")
            formats[town.format] = formats.get(town.format, 0) + 1
            manifest.write(orjson.dumps({
                "file": town.file_name, "prefecture": town.prefecture, "county": town.county,
                "township": town.township, "format": town.format, "layout": town.layout,
                "base_seed": town.base_seed, **town.counts(),
                "names": {str(k): [r.name for r in town.rows_of(k)] for k in ListKind},
            }) + b"\n")
    summary_path.write_bytes(orjson.dumps(wanted | {"notes": notes, "formats": formats}))
    return Corpus(documents, Manifest(out / "manifest.jsonl"), notes, formats)


# --- checking that the documents read back -----------------------------------------------------

@dataclass
class Verification:
    documents: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # file -> why
    by_format: dict[str, list[int]] = field(default_factory=dict)  # format -> [ok, total]
    names_total: int = 0
    names_equal: int = 0
    # documents read (not refused) with a name that is not the one meant: a wrong reading the
    # extractor trusted, the figure that must be 0
    wrong_names: list[str] = field(default_factory=list)

    @property
    def failure_rate(self) -> float:
        return len(self.failed) / self.documents if self.documents else 0.0

    def summary(self) -> str:
        formats = ", ".join(f"{f} {ok}/{n}" for f, (ok, n) in sorted(self.by_format.items()))
        names = (f"; names read back identical: {self.names_equal}/{self.names_total}"
                 f" ({len(self.wrong_names)} documents with a name read wrong)"
                 if self.names_total else "")
        return (f"{self.documents - len(self.failed)}/{self.documents} documents extract to "
                f"their intended place and row counts ({formats}){names}")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_extraction(expected: dict, outcome: Extraction | IngestError,
                     result: Verification, name: str) -> None:
    fmt = expected["format"]
    tally = result.by_format.setdefault(fmt, [0, 0])
    tally[1] += 1
    result.documents += 1
    if isinstance(outcome, IngestError):
        result.failed[name] = outcome.reason
        return
    doc = outcome.document
    problems = [f"{k} {doc.lists.get(str(k), 0)} rows, meant {expected[str(k)]}"
                for k in ListKind if doc.lists.get(str(k), 0) != expected[str(k)]]
    problems += [f"{attr} {getattr(doc, attr)!r}, meant {expected[attr]!r}"
                 for attr in ("prefecture", "county", "township")
                 if getattr(doc, attr) != expected[attr]]
    got = {str(k): [_squash(i.name) for i in outcome.items if i.list is k] for k in ListKind}
    for kind, names in expected["names"].items():
        result.names_total += len(names)
        equal = sum(1 for a, b in zip(names, got[kind], strict=False) if _squash(a) == b)
        result.names_equal += equal
        if equal < len(names) and name not in result.wrong_names:
            result.wrong_names.append(name)
    if problems:
        result.failed[name] = "; ".join(problems)
    else:
        tally[0] += 1


def verify(corpus: Corpus, registry: Registry | None = None) -> Verification:
    """Extract every document (in parallel) and compare it with the manifest."""
    registry = registry or load_plugins()
    result = Verification()
    for path, outcome in extract_each(registry, corpus.files):
        check_extraction(corpus.manifest[path.name], outcome, result, path.name)
    return result


def parse_layouts(text: str) -> tuple[str, ...]:
    layouts = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [layout for layout in layouts if layout not in LAYOUT_FORMAT]
    if unknown or not layouts:
        raise SystemExit(f"unknown layouts {unknown}; choose from {', '.join(LAYOUTS)}")
    return layouts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--townships", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "corpus")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--layouts", default=",".join(LAYOUTS),
                        help="seed layouts to imitate, comma-separated (default: all five)")
    parser.add_argument("--verify", action="store_true",
                        help="extract every document back and report those that differ")
    args = parser.parse_args(argv)
    registry = load_plugins()
    corpus = write_corpus(args.out, args.townships, registry=registry, seed=args.seed,
                          layouts=parse_layouts(args.layouts))
    for note in corpus.notes:
        print(note)
    print(f"wrote {len(corpus.manifest)} documents to {corpus.directory}")
    if args.verify:
        result = verify(corpus, registry)
        print(result.summary())
        for name, why in sorted(result.failed.items())[:30]:
            print(f"  {name}: {why}")
        return 1 if result.failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
