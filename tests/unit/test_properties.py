"""Property tests: whatever a user feeds them, extractors fail only with ExtractionError.

Arbitrary bytes, arbitrary text shaped like tables, and seeds mutated the way real files get
mangled (lines dropped, duplicated, shuffled, cut short) never crash an extractor with
anything but its documented error type.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvzhi.extractor import ExtractionError
from lvzhi.model import ExtractedDocument
from lvzhi.plugins import load_plugins
from tests.conftest import EXPECTED_COUNTS, SAMPLES

REGISTRY = load_plugins()
EXTRACTORS = {name: REGISTRY.extractor(name) for name in ("plaintext", "markdown", "tsv", "pdf")}
SUFFIX = {"plaintext": ".txt", "markdown": ".md", "tsv": ".tsv", "pdf": ".pdf"}
PROFILE = settings(max_examples=40, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

# Characters that make text look like the seeds: CJK, digits, table and list syntax.
TABLE_CHARS = "序号事项类别名称党的建设民生服务乡镇县市部局1234567890.、，。：；|\t -<>/pol\n（）“”"
TABLE_TOKENS = st.sampled_from([*TABLE_CHARS, "\n", "|---|", "<p>", "</p>",
                                "序号\t事项类别\t事项名称"])


def _extract_only_documented_errors(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{SUFFIX[name]}"
        path.write_bytes(data)
        try:
            result = EXTRACTORS[name].extract(path)
        except ExtractionError as exc:
            assert str(exc).strip(), "an ExtractionError needs a message"
            assert "\n" not in str(exc), "errors are one line"
            return
        assert isinstance(result, ExtractedDocument)


@pytest.mark.parametrize("name", EXTRACTORS)
@PROFILE
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes(name: str, data: bytes) -> None:
    _extract_only_documented_errors(name, data)


@pytest.mark.parametrize("name", ["plaintext", "markdown", "tsv"])
@PROFILE
@given(text=st.lists(TABLE_TOKENS, max_size=1500).map("".join))
def test_arbitrary_table_like_text(name: str, text: str) -> None:
    _extract_only_documented_errors(name, text.encode("utf-8"))


def _mutate(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 30)):
        op = rng.choice(["drop", "duplicate", "swap", "cut", "truncate-line"])
        if not lines:
            break
        i = rng.randrange(len(lines))
        if op == "drop":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines = lines[: max(1, i)]
        else:
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
    return lines


@pytest.mark.parametrize("seed", sorted(EXPECTED_COUNTS))
@PROFILE
@given(seed_value=st.integers(0, 2**32 - 1))
def test_mutated_seeds(seed: str, seed_value: int) -> None:
    text = (SAMPLES / seed).read_text(encoding="utf-8")
    mutated = "\n".join(_mutate(text.splitlines(), random.Random(seed_value)))
    name = REGISTRY_CHOICE[seed]
    _extract_only_documented_errors(name, mutated.encode("utf-8"))


def _choose(seed: str) -> str:
    from lvzhi.ingest import choose_extractor

    path = SAMPLES / seed
    return choose_extractor(REGISTRY, path, path.read_bytes()[:8192]).name


REGISTRY_CHOICE = {seed: _choose(seed) for seed in EXPECTED_COUNTS}
