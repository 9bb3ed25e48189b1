"""strip_spaces removes exactly what the regex ``\\s`` calls whitespace, however it does it."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from lvzhi.text import strip_spaces

WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c)))


def test_every_whitespace_character_the_regex_knows_is_removed_and_no_other():
    assert strip_spaces(WHITESPACE) == ""
    assert strip_spaces(f"党{WHITESPACE}建\u200b") == "党建\u200b"  # a zero-width space is not one


@given(st.text(alphabet=st.sampled_from([*WHITESPACE, *"党的建设1a，。\u200b\ufeff"])))
def test_the_same_as_removing_every_regex_whitespace_run(text):
    assert strip_spaces(text) == re.sub(r"\s+", "", text)
