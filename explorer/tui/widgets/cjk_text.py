"""Chinese text wrapped the way Chinese is typeset.

Rich wraps at spaces, which Chinese does not have; ``overflow="fold"`` breaks anywhere, so a
line can start with ``，`` or ``。`` or end with ``（``. ``FoldedText`` breaks between any two
characters but follows the basic line-breaking rules (禁则): a closing mark never starts a
line and an opening mark never ends one; the character before such a mark moves down with
it. Every character is kept, in order; nothing is added.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style, StyleType

from lvzhi.text import safe_display

# Marks that may not begin a line (closing punctuation) and may not end one (opening).
NO_LINE_START = frozenset("，。、；：！？）】」』”’》〉〕…—·%,.;:!?)]}")
NO_LINE_END = frozenset("（【「『“‘《〈〔([{")


def wrap_cjk(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells, paragraphs kept at ``\\n``."""
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width))
    return lines


def _wrap_paragraph(paragraph: str, width: int) -> Iterator[str]:
    line: list[str] = []
    used = 0
    for char in paragraph:
        size = get_character_cell_size(char)
        if used + size > width and line:
            carry: list[str] = []
            if (char in NO_LINE_START or line[-1] in NO_LINE_END) and len(line) > 1:
                # The character before the mark moves down with it (never emptying the line).
                carry.insert(0, line.pop())
                while len(line) > 1 and (carry[0] in NO_LINE_START or line[-1] in NO_LINE_END):
                    carry.insert(0, line.pop())
                if sum(get_character_cell_size(c) for c in carry) + size > width:
                    line += carry  # too narrow to move anything: break where it falls
                    carry = []
            yield "".join(line)
            line, used = carry, sum(get_character_cell_size(c) for c in carry)
        line.append(char)
        used += size
    yield "".join(line)


class FoldedText:
    """A Rich renderable: ``text`` wrapped by ``wrap_cjk`` at the width it is given, with an
    optional style and highlighted character ranges."""

    def __init__(self, text: str, style: StyleType = "",
                 highlights: Sequence[tuple[int, int]] = (),
                 highlight_style: StyleType = "reverse") -> None:
        # Document text: control characters made visible, one for one (highlights hold).
        self.text = safe_display(text, newlines=True)
        self.style = style
        self.highlights = highlights
        self.highlight_style = highlight_style

    @property
    def plain(self) -> str:
        return self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(p) for p in self.text.split("\n")), default=0)
        return Measurement(min(2, longest), longest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = console.get_style(self.style) if self.style else Style()
        marked = style + console.get_style(self.highlight_style)
        flags = [False] * len(self.text)
        for start, end in self.highlights:
            for n in range(max(start, 0), min(end, len(self.text))):
                flags[n] = True
        at = 0
        for line in wrap_cjk(self.text, options.max_width):
            at = self.text.find(line, at) if line else at
            start = 0
            for n in range(1, len(line) + 1):
                if n == len(line) or flags[at + n] != flags[at + start]:
                    yield Segment(line[start:n], marked if flags[at + start] else style)
                    start = n
            at += len(line)
            yield Segment.line()
