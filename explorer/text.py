"""CJK text helpers shared by every format: decoding, joining wraps, folding for matching.

Folding (NFKC, punctuation) is for *matching* only; what the user reads is never folded
(aligned columns only swap ambiguous-width punctuation for same-meaning twins:
``unambiguous_width``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from lvzhi.extractor import ExtractionError

# Encodings real offices produce, tried in this order after the BOMs.
_FALLBACK_ENCODINGS = ("utf-8", "gb18030")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the head of the file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


def _plausible(text: str) -> float:
    """Share of characters a Chinese office document is made of (Han, ASCII, CJK punctuation)."""
    if not text:
        return 0.0
    good = sum(1 for c in text if (c.isascii() and (c.isprintable() or c in "\n\t"))
               or is_han(c) or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
               or "\u2010" <= c <= "\u2027")
    return good / len(text)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: its newlines and ASCII leave NUL bytes; pick the side that
    decodes to plausible text."""
    if b"\x00" not in data[:8192] or len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausible(text[:4000])
        # Text has line ends; random bytes read as UTF-16 are "plausible" Han soup without them.
        if "\n" in text[:4000] and score >= 0.95 and (best is None or score > best[0]):
            best = (score, text, encoding)
    return (best[1], best[2]) if best else None


def decode(data: bytes) -> tuple[str, str]:
    """Decode text in the encodings Chinese offices use; return (text, encoding name).

    Line ends are normalized to ``\\n`` (CRLF and CR both), so line numbers mean the same
    thing whatever produced the file.
    """
    if not data.strip():
        raise ExtractionError("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ExtractionError(f"the file starts with a {encoding} mark but is not "
                                      f"valid {encoding}: {exc.reason}") from exc
            return _normalize_newlines(text), encoding.replace("-sig", " with BOM")
    if (utf16 := _utf16_without_bom(data)) is not None:
        return _normalize_newlines(utf16[0]), utf16[1]
    if looks_binary(data):
        raise ExtractionError("the file is binary, not text")
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return _normalize_newlines(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    raise ExtractionError("the text is neither UTF-8, UTF-16 nor GB18030/GBK")


def decode_head(head: bytes) -> str:
    """Best-effort text of a file's first bytes, for ``sniff``: the head may end inside a
    character, and sniffing must see through GBK and UTF-16 as reading does."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore")
    if b"\x00" in head:
        cut = head[: len(head) - len(head) % 2]
        if (utf16 := _utf16_without_bom(cut)) is not None:
            return utf16[0]
        return ""
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # only the last character was cut
            return head[: exc.start].decode("utf-8", errors="ignore")
    return head.decode("gb18030", errors="ignore")


def read_text(path: Path) -> tuple[str, str]:
    """Read and decode a text file: (text, encoding)."""
    return decode(path.read_bytes())


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_spaces(text: str) -> str:
    """Remove all whitespace: what the conservation check and matching compare."""
    # str.split() splits at exactly the characters the regex \s matches (every code point
    # checked), four times faster than re.sub: this runs for every line of every document.
    return "".join(text.split())


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def join_wrapped(lines: list[str]) -> str:
    """Join the lines a cell was wrapped over: nothing inserted between them (CJK has no spaces).

    Leading and trailing whitespace of each line is layout, not text. A space is kept only
    where two Latin letters or digits would otherwise run together ("2025 年" stays readable
    only if the source had the space *inside* a line; across lines we add nothing).
    """
    return "".join(line.strip() for line in lines)


# Punctuation that differs only by width or style, folded to one form for matching.
_PUNCT_FOLD = str.maketrans({
    "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
    "、": ",", "，": ",", "；": ";", "：": ":", "。": ".", "（": "(", "）": ")",
    "【": "[", "】": "]", "《": "<", "》": ">", "—": "-", "－": "-", "·": ".",
})


def fold(text: str) -> str:
    """Matching key: NFKC (full-width to half-width), unified punctuation, no whitespace."""
    return strip_spaces(unicodedata.normalize("NFKC", text).translate(_PUNCT_FOLD)).lower()


# --- characters whose width the terminal decides -------------------------------------------

# East Asian *ambiguous* width characters (UAX #11) are drawn one cell wide by most Western
# terminals and two by CJK ones (gnome-terminal, iTerm2, Windows Terminal and PuTTY have a
# setting; vim calls it ``ambiwidth``). Rich and Textual measure them as one cell, so in a
# CJK terminal every “ ” … — · or ① in a row pushes the rest of that row one cell right and
# columns drift. A terminal does not say which it does, so the aligned views (the items
# table, compare, counterparts) show each such character as one whose width every terminal
# agrees on and whose meaning is the same: 「」『』 are the standard's own quotation marks
# (GB/T 15834-2011 4.1: 「」 for “”, 『』 for ‘’, as set in vertical text), ⋯ is the
# midline ellipsis Chinese typesets …… as, ﹘ is the em dash's small form (NFKC gives —),
# ・ the East Asian middle dot, ➀–➉ the same circled digits, ￩￪￫￬ the same arrows.
# One character for one, so search-match spans still hold. The detail pane and the source
# view keep the document's own characters; ×, °, ℃, ※, ○, Ⅰ and Greek letters have no
# such twin and stay (rare in duty lists; each can shift a CJK terminal's row by a cell).
_UNAMBIGUOUS = str.maketrans({
    "“": "「", "”": "」", "‘": "『", "’": "』", "…": "⋯", "—": "﹘", "―": "﹘", "–": "-",
    "·": "・", "→": "￫", "←": "￩", "↑": "￪", "↓": "￬",
    **{chr(0x2460 + n): chr(0x2780 + n) for n in range(10)},  # ①–⑩ -> ➀–➉
    **{chr(0x2776 + n): chr(0x278A + n) for n in range(10)},  # ❶–❿ -> ➊–➓
})
_APOSTROPHE = re.compile(r"(?<=[A-Za-z])’(?=[A-Za-z])")


def unambiguous_width(text: str) -> str:
    """``text`` for an aligned column: East Asian ambiguous-width punctuation replaced, one
    character for one, by an equivalent every terminal draws at the width Rich measures
    (``“两委”`` -> ``「两委」``, ``……`` -> ``⋯⋯``; an apostrophe in Latin text -> ``'``)."""
    return _APOSTROPHE.sub("'", text).translate(_UNAMBIGUOUS)


# --- untrusted text on a screen or in a spreadsheet ------------------------------------------

def _visible_controls(keep: str) -> dict[int, str]:
    """What each control character becomes on screen, one character for one so that match
    spans and column widths computed on the stored text still hold: C0 and DEL as their
    Unicode control pictures (ESC -> ␛, BEL -> ␇), C1 controls (U+0080-U+009F, e.g. the
    8-bit CSI U+009B) and the bidirectional overrides (which can reorder what a reader sees)
    as U+FFFD. Characters in ``keep`` stay."""
    table = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"
    # Lone surrogates (a file name that is not UTF-8, decoded with surrogateescape) cannot
    # even be written to a UTF-8 terminal: U+FFFD as well.
    table.update(dict.fromkeys((*range(0x80, 0xA0), *range(0x202A, 0x202F),
                                *range(0x2066, 0x206A), *range(0xD800, 0xE000)), "\ufffd"))
    for char in keep:
        table.pop(ord(char), None)
    return table


_SHOWN_ONE_LINE = _visible_controls("\t")
_SHOWN_LINES = _visible_controls("\t\n")


def safe_display(text: str, *, newlines: bool = False) -> str:
    """``text`` from a document or a file name, fit to print to a terminal: no control
    character reaches it (an ESC could retitle the window, clear the screen or write the
    clipboard), each is shown instead (``␛``), one character for one. ``newlines`` keeps line
    breaks for views that show several lines. Markup is the printer's business
    (``rich.markup.escape``, ``Text``)."""
    return text.translate(_SHOWN_LINES if newlines else _SHOWN_ONE_LINE)


def readable_name(name: str) -> str:
    """A file name or path as the store keeps it: valid Unicode whatever the bytes on disk.

    Python gives a name that is not UTF-8 with its bytes as lone surrogates
    (``os.fsdecode``), which no JSON writer accepts. Such names mostly come from Chinese
    Windows (GBK, e.g. unpacked from a zip): read as GB18030 when the bytes are, else the odd
    bytes are written as ``\\xb0`` escapes.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a ``'`` before a text starting like a
    formula (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``). Numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
