"""lvzhi.library.Library without a terminal: the resolver, search, counterparts, compare,
export and ingest, on a store of three townships (as tests/unit/test_cli_matching.py)."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from lvzhi.export import export_items, write_items
from lvzhi.library import AmbiguousTownship, Library, LibraryError, list_kind
from lvzhi.model import Item, ListKind
from lvzhi.search import SearchIndex
from lvzhi.store import Store
from tests.unit.test_cli_matching import TOWNSHIPS, write_township


@pytest.fixture
def library(tmp_path: Path, store_path: Path) -> Library:
    paths = [write_township(tmp_path / name, *spec) for name, spec in TOWNSHIPS.items()]
    library = Library(store_path)
    seen: list[str] = []
    result = library.ingest(paths, progress=lambda path, _: seen.append(path.name))
    assert result.ok and len(result.done) == 3
    assert sorted(seen) == sorted(TOWNSHIPS)  # progress once per file
    return library


def test_library_does_not_import_a_terminal_ui() -> None:
    import subprocess
    import sys

    code = ("import sys, lvzhi.library, lvzhi.export; "
            "sys.exit(any(m in sys.modules for m in ('textual', 'rich')))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_townships_by_name_place_source_and_id(library: Library) -> None:
    (doc,) = library.townships("昭苏镇")
    assert doc.township == "昭苏镇"
    assert library.township("昭苏县").id == doc.id  # part of the place
    assert library.township(doc.source).id == doc.id
    assert library.township(doc.id).id == doc.id
    assert library.townships("无此乡") == []
    with pytest.raises(LibraryError, match="no township matches"):
        library.township("无此乡")


def test_an_ambiguous_name_lists_the_candidates_and_how_to_pick(library: Library,
                                                                tmp_path: Path) -> None:
    with pytest.raises(AmbiguousTownship) as caught:
        library.township("伊犁州")
    assert {d.township for d in caught.value.candidates} == {"托格拉克乡", "昭苏镇"}
    message = str(caught.value)
    assert "托格拉克乡" in message and "昭苏镇" in message and "its id" in message
    assert all(d.id[:12] in message for d in caught.value.candidates)
    picked = caught.value.candidates[0]
    assert library.township(picked.id[:12]) == picked  # as the message shows it
    # Two townships of one name in different counties: exact names tie too.
    other = write_township(tmp_path / "d.csv", "伊犁州", "特克斯县", "昭苏镇",
                           TOWNSHIPS["b.csv"][3])
    library.ingest([other])
    with pytest.raises(AmbiguousTownship) as caught:
        library.township("昭苏镇")
    assert len(caught.value.candidates) == 2
    assert library.township("特克斯县昭苏镇").county == "特克斯县"
    with pytest.raises(LibraryError, match="several documents; use its id"):
        library.item("昭苏镇:reclaimed:2")


@pytest.mark.parametrize("ref", ["昭苏镇:reclaimed:2", "昭苏镇:收:2", "昭苏县昭苏镇:收:2",
                                 "b.csv:reclaimed:2"])
def test_item_refs(library: Library, ref: str) -> None:
    item = library.item(ref)
    assert (item.township, item.list, item.serial) == ("昭苏镇", ListKind.RECLAIMED, 2)
    assert library.item(item.id) == item
    assert library.item(f"{item.doc_id[:8]}:基:1").list is ListKind.BASIC


@pytest.mark.parametrize("ref", ["昭苏镇", "昭苏镇:nonsense:1", "昭苏镇:收:x"])
def test_bad_item_refs_say_how_to_write_one(library: Library, ref: str) -> None:
    with pytest.raises(LibraryError, match=r"is not an item.*昭苏镇:收:2"):
        library.item(ref)


def test_list_kind_words() -> None:
    assert [list_kind(w) for w in ("basic", "配", "收", "上级部门收回事项")] == [
        ListKind.BASIC, ListKind.COOPERATIVE, ListKind.RECLAIMED, ListKind.RECLAIMED]


def test_the_library_matches_with_duty_text_read_from_the_store(library: Library,
                                                                 store_path: Path) -> None:
    """The matcher reads duty text through the library's row accessor: the same matters as
    a matcher given the whole items."""
    from lvzhi.matching import Matcher

    whole = Matcher.build(Store(store_path).items())
    assert [(m.id, m.label) for m in library.matters()] == [
        (m.id, m.label) for m in whole.matters()]


def test_search_gives_what_the_index_gives(library: Library, store_path: Path) -> None:
    index = SearchIndex.build(Store(store_path).items())  # in memory, from whole items
    cases: list[tuple[str, dict]] = [("工伤", {}), ("gsrd", {}), ("工伤认定", {"limit": 1}),
                                     ("党代表", {"kinds": [ListKind.COOPERATIVE]})]
    for query, filters in cases:
        expected = [(h.item.id, h.score, h.spans) for h in index.search(query, **filters)]
        got = [(h.item.id, h.score, h.spans) for h in library.search(query, **filters)]
        assert got == expected and got, query
    zhaosu = library.search("工伤", townships="昭苏镇")
    assert zhaosu and {h.item.township for h in zhaosu} == {"昭苏镇"}
    assert library.search_index is not None  # built once, then kept


def test_counterparts_and_their_fallback(library: Library) -> None:
    found, note = library.counterparts("昭苏镇:收:1")
    assert note == "" and found
    assert {c.item.township for c in found} >= {"托格拉克乡"}
    assert all(c.why for c in found)

    fresh = Library(library.store)
    assert fresh.counterparts("昭苏镇:收:1", build=False) == (
        [], "the search index is still being built; try again in a moment")
    fresh.build_search_index()
    by_name, note = fresh.counterparts("昭苏镇:收:1", build=False)
    assert note.startswith("by name only")
    assert by_name and all(c.item.township != "昭苏镇" and c.why == "name search"
                           for c in by_name)
    assert fresh.matcher is None  # nothing was built for the fallback


def test_compare_coverage_matters(library: Library) -> None:
    a, b, result = library.compare("托格拉克乡", "昭苏镇")
    assert (a.township, b.township) == ("托格拉克乡", "昭苏镇")
    assert result.both
    assert [i.name for i in result.only_b] == ["拖拉机、联合收割机操作人员操作证件核发"]
    with pytest.raises(LibraryError, match="two different"):
        library.compare("昭苏镇", "昭苏县")
    townships, rows = library.coverage()
    assert len(townships) == 3 and rows
    assert library.matters()


def test_refresh_after_ingest_drops_what_was_built(library: Library, tmp_path: Path) -> None:
    library.build_search_index()
    assert library.refresh() is False and library.search_index is not None
    extra = write_township(tmp_path / "e.csv", "喀什地区", "疏附县", "站敏乡",
                           TOWNSHIPS["c.csv"][3])
    library.ingest([extra])
    assert library.search_index is None
    assert any(h.item.township == "站敏乡" for h in library.search("医保"))


def test_a_search_and_a_refresh_need_not_read_the_catalog(
        store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-shot search reads the index, not the catalog's content digest (a quarter second
    at a country's size); a refresh knows from the catalog file's stamp that nothing changed,
    and sees another process's ingest."""
    paths = [write_township(tmp_path / name, *spec) for name, spec in TOWNSHIPS.items()]
    Library(store_path).ingest(paths[:2])
    library = Library(store_path)

    def unread() -> str:
        raise AssertionError("the catalog's content was read")

    monkeypatch.setattr(library.store, "content_digest", unread)
    assert library.search("工伤")
    assert library.refresh() is False and library.search_index is not None
    monkeypatch.undo()
    Library(store_path).ingest(paths[2:])  # another process
    assert library.refresh() is True and library.search_index is None
    assert {d.township for d in library.documents()} == {
        spec[2] for spec in TOWNSHIPS.values()}


class _Watched(io.BytesIO):
    """Records how many items had been drawn when each write came."""

    def __init__(self, drawn: list[int]) -> None:
        super().__init__()
        self.drawn = drawn
        self.at_write: list[int] = []

    def write(self, data) -> int:  # type: ignore[no-untyped-def,override]
        self.at_write.append(len(self.drawn))
        return super().write(data)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_export_streams_and_writes_what_export_items_wrote(library: Library, fmt: str) -> None:
    items = list(library.items())
    drawn: list[int] = []

    def one_by_one():
        for n, item in enumerate(items):
            drawn.append(n)
            yield item

    out = _Watched(drawn)
    assert write_items(one_by_one(), fmt, out) == len(items)
    assert out.at_write[1] < len(items)  # written while items were still coming
    assert out.getvalue() == export_items(items, fmt)
    if fmt == "json":  # as before: orjson's own indented list
        assert out.getvalue() == orjson.dumps([i.to_dict() for i in items],
                                              option=orjson.OPT_INDENT_2) + b"\n"


def test_export_to_a_file_or_stream(library: Library, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    count = library.export("jsonl", target, township="昭苏镇", kinds=[ListKind.RECLAIMED])
    lines = target.read_bytes().splitlines()
    assert count == len(lines) == 3
    assert {orjson.loads(line)["township"] for line in lines} == {"昭苏镇"}
    rows = [library.item("昭苏镇:收:1"), library.item("托格拉克乡:基:1")]
    stream = io.BytesIO()
    assert library.export("jsonl", stream, items=rows) == 2
    exported = [Item.from_dict(orjson.loads(line)) for line in stream.getvalue().splitlines()]
    assert [i.id for i in exported] == [r.id for r in rows] and exported[0].township_duties \
        is not None
    assert orjson.loads(export_items([], "json")) == []
    with pytest.raises(LibraryError, match="no township"):
        library.export("csv", tmp_path / "x.csv", township="无此乡")
    assert not (tmp_path / "x.csv").exists()


def test_a_correction_applies_to_a_built_matcher_at_once(library: Library) -> None:
    a, b = library.item("托格拉克乡:收:1"), library.item("昭苏镇:收:1")
    matcher = library.build_matcher()
    assert library.correct(a.id, "昭苏镇:收:1", same=True) == (a, b)
    matter = library.matcher.matter_of(a.id) if library.matcher else None
    assert library.matcher is matcher and matter is not None
    assert b.id in {m.item.id for m in matter.members}
    library.correct(a, b, same=False)
    matter = matcher.matter_of(a.id)
    assert matter is None or b.id not in {m.item.id for m in matter.members}
    with pytest.raises(LibraryError, match="same document"):
        library.correct("昭苏镇:收:1", "昭苏镇:收:2", same=True)


def test_reindex_throws_the_indexes_away_and_builds_them_again(library: Library,
                                                               store_path: Path, run_cli) -> None:
    from lvzhi.index import index_path
    from lvzhi.search import cache_path

    library.build_search_index()
    library.build_matcher()
    library.store.index.close()
    index = index_path(store_path)
    index.write_bytes(b"a damaged index")  # what reindex is for
    code, out, _ = run_cli("reindex", "--json")
    data = orjson.loads(out)
    assert code == 0 and data["townships"] == 3 and data["matters"] > 0
    assert index.read_bytes().startswith(b"SQLite format 3")
    assert cache_path(store_path, "matters").exists()
    assert Library(store_path).search("工伤")
