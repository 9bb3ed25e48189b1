"""A second version of the bundled 昭苏镇: the sample with one row removed, one reworded, one
moved to another list and one added, as a revised list of the same township would be."""

from __future__ import annotations

from pathlib import Path

ZHAOSU = Path(__file__).resolve().parent.parent / "data" / "samples" / "001_608acf05b3629a7f.txt"
REMOVED = "集中管理本镇档案，推进档案信息化建设"  # basic 89, the last
MOVED = "负责本辖区食品摊贩登记备案管理工作"  # basic 83 -> reclaimed 53
REWORDED_OLD = "人民网留言板"  # in basic 87
REWORDED_NEW = "人民网领导留言板"
ADDED = "负责本镇数据资源归集共享工作"
DATED_TITLE = "昭苏县昭苏镇履职事项清单（2025年10月修订）"


def write_second_version(path: Path, *, dated: bool = False) -> Path:
    """The revised 昭苏镇 at ``path``: basic loses 83 (moved to reclaimed as 53) and 89
    (removed), gains 负责本镇数据资源归集共享工作; 87 is reworded. Serials stay gapless.
    ``dated`` prints 2025年10月 in the title."""
    lines = ZHAOSU.read_text("utf-8").split("\n")
    out: list[str] = []
    for line in lines:
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 5 and cells[1].isdigit() and cells[3] in (MOVED, REMOVED):
            continue
        if len(cells) == 5 and cells[1].isdigit() and 84 <= int(cells[1]) <= 88:
            line = line.replace(f"| {cells[1]} |", f"| {int(cells[1]) - 1} |", 1)
            if REWORDED_OLD in line:
                line = line.replace(REWORDED_OLD, REWORDED_NEW)
            if cells[1] == "88":
                line += f"\n| 88 | 综合政务 | {ADDED} |"
        if dated and line.startswith("新疆") and line.endswith("昭苏县昭苏镇履职事项清单"):
            line = line.replace("昭苏县昭苏镇履职事项清单", DATED_TITLE, 1)
        out.append(line)
    text = "\n".join(out).rstrip("\n")
    text += ("\n| 53 | 市场监管 | " + MOVED
             + " | 县市监局 承接方式：由县市监局负责食品摊贩登记备案管理 |\n")
    path.write_text(text, encoding="utf-8")
    return path
