"""The benchmark corpus: deterministic, and every document it writes reads back as intended.

A generator whose documents the extractors cannot read would measure nothing, so this checks
each generated document against the manifest: place and rows per list. Layouts whose seed the
project cannot extract yet are skipped (the generator cannot use them either).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from lvzhi.plugins import load_plugins

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load_corpus_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("lvzhi_bench_corpus", BENCHMARKS / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return load_plugins()


@pytest.fixture(scope="module")
def seeds(registry):  # type: ignore[no-untyped-def]
    return corpus.load_seeds(registry)


@pytest.fixture(scope="module")
def usable_layouts(seeds) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """Layouts whose own seed extracts: the generator imitates only what lvzhi can read."""
    keys = {seed.key for seed in seeds[0]}
    layouts = tuple(layout for layout in corpus.LAYOUTS if layout in keys)
    if not layouts:
        pytest.skip("no seed extracts yet")
    return layouts


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.txt"))}


def test_same_seed_same_bytes_and_smaller_corpus_is_a_prefix(tmp_path, seeds,
                                                             usable_layouts) -> None:
    first = corpus.write_corpus(tmp_path / "a", 6, seeds=seeds, layouts=usable_layouts)
    again = corpus.write_corpus(tmp_path / "b", 6, seeds=seeds, layouts=usable_layouts)
    fewer = corpus.write_corpus(tmp_path / "c", 3, seeds=seeds, layouts=usable_layouts)
    assert _files(first.directory) == _files(again.directory)
    assert _files(fewer.directory) == dict(list(_files(first.directory).items())[:3])
    other = corpus.write_corpus(tmp_path / "d", 6, seeds=seeds, layouts=usable_layouts,
                                seed=corpus.DEFAULT_SEED + 1)
    assert _files(other.directory) != _files(first.directory)


def test_every_document_extracts_to_its_intended_place_and_counts(tmp_path, registry, seeds,
                                                                  usable_layouts) -> None:
    # Two documents of every usable layout, with rows dropped, added and reworded.
    made = corpus.write_corpus(tmp_path, 2 * len(usable_layouts), seeds=seeds,
                               layouts=usable_layouts)
    assert {m["layout"] for m in made.manifest.values()} == set(usable_layouts)
    result = corpus.verify(made, registry)
    assert result.failed == {}
    assert result.names_total == sum(len(names) for m in made.manifest.values()
                                     for names in m["names"].values())


def test_townships_are_distinct_places_under_known_counties() -> None:
    names = corpus.township_names()
    places = [corpus.place_of(i, names) for i in range(1200)]
    assert len(set(places)) == len(places)
    counties = {county for _, county in corpus.COUNTIES}
    assert all(county in counties and township[-1] in "乡镇"
               for _, county, township in places)


def test_a_corpus_is_reused_for_the_same_n_seed_and_layouts(tmp_path, seeds,
                                                            usable_layouts) -> None:
    made = corpus.write_corpus(tmp_path, 3, seeds=seeds, layouts=usable_layouts)
    stamps = {p.name: p.stat().st_mtime_ns for p in made.files}
    again = corpus.write_corpus(tmp_path, 3, seeds=seeds, layouts=usable_layouts, reuse=True)
    assert {p.name: p.stat().st_mtime_ns for p in again.files} == stamps
    assert list(again.manifest) == list(made.manifest) and again.formats == made.formats
    assert again.manifest[made.files[0].name]["township"]
    bigger = corpus.write_corpus(tmp_path, 4, seeds=seeds, layouts=usable_layouts, reuse=True)
    assert len(bigger.manifest) == 4 and len(bigger.files) == 4


# Townships of the 38,000-township corpus whose dumps were read with a name cut inside a word,
# and trusted: seed 004's columns three characters wide cut ``对本辖`` over ``区自然`` (the next
# line opens as ``区自然资源局`` would; ``保护区`` over ``、湿地`` ends no office's name) and
# ``组织特克斯`` over ``县红十字会…`` (inside the county's name).
@pytest.mark.parametrize("index", [324, 414, 10972])
def test_names_cut_inside_a_word_in_narrow_columns(tmp_path, registry, seeds, index) -> None:
    from lvzhi.ingest import extract_file

    town = corpus.plan_township(index, seeds[0], corpus.township_names(), corpus.DEFAULT_SEED)
    path = tmp_path / town.file_name
    path.write_text(corpus.render(town), encoding="utf-8")
    extraction = extract_file(registry, path)
    for kind in corpus.ListKind:
        got = [corpus._squash(item.name) for item in extraction.items if item.list is kind]
        assert got == [corpus._squash(row.name) for row in town.rows_of(kind)], kind
