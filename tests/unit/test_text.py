"""Decoding what real offices produce, and folding for matching."""

from __future__ import annotations

import codecs

import pytest

from lvzhi.extractor import ExtractionError
from lvzhi.text import decode, fold, join_wrapped

SAMPLE = ("伊犁州伊宁市托格拉克乡基本履职事项清单\n序号 事项类别 事项名称\n"
          "1 党的建设 推荐“两个确立”（试行）\n")


@pytest.mark.parametrize(("data", "encoding"), [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8 with BOM"),
    (SAMPLE.encode("gb18030"), "gb18030"),
    (SAMPLE.encode("gbk"), "gb18030"),
    (SAMPLE.encode("utf-16"), "utf-16"),
    (SAMPLE.encode("utf-16-le"), "utf-16-le"),
    (SAMPLE.encode("utf-16-be"), "utf-16-be"),
    (SAMPLE.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    (SAMPLE.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
])
def test_decode_reads_every_encoding_offices_use(data: bytes, encoding: str) -> None:
    text, used = decode(data)
    assert text == SAMPLE
    assert used == encoding


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"  \n\n ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(256)) * 4, "binary"),
])
def test_decode_rejects_what_is_not_text(data: bytes, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        decode(data)


def test_join_wrapped_inserts_nothing() -> None:
    assert join_wrapped(["推荐市级以", "上党代表工 ", " 作"]) == "推荐市级以上党代表工作"


def test_fold_unifies_width_and_punctuation_but_not_meaning() -> None:
    assert fold("（试行）“两个确立”，ＡＢＣ１２") == fold('(试行)"两个确立",abc12')
    assert fold("工伤认定") != fold("工伤鉴定")
