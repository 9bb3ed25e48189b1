"""Plugin loading: entry points, drop-in folders, and plugins that fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi import hookspecs
from lvzhi.ingest import IngestError, extract_file
from lvzhi.plugins import BUNDLED_PLUGINS_DIR, PluginError, load_plugins
from tests.conftest import TEST_PLUGINS

BUILT_INS = {"plaintext", "markdown", "tsv", "pdf", "html", "docx", "xlsx", "xls",
             "legacy_office", "pdftotext-layout", "pdftotext-plain"}


def test_built_in_extractors_come_through_the_entry_point_group() -> None:
    registry = load_plugins()
    for name in BUILT_INS:
        assert registry.extractors[name].plugin == name  # registered by its entry point
    assert not registry.failures


def test_bundled_plugins_folder_example_is_loaded() -> None:
    registry = load_plugins()
    assert registry.extractors["csv"].plugin == f"{BUNDLED_PLUGINS_DIR.name}/csv_lists.py"


def test_plugins_dir_adds_extractors(tmp_path: Path) -> None:
    registry = load_plugins([TEST_PLUGINS / "good"])
    assert {"lines", "buggy"} <= set(registry.extractors)
    doc = tmp_path / "demo.lines"
    doc.write_text("1|党的建设|学习\n2|党的建设|宣传\n", encoding="utf-8")
    extraction = extract_file(registry, doc)
    assert [i.name for i in extraction.items] == ["学习", "宣传"]
    assert extraction.report.trustworthy


def test_plugins_dir_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LVZHI_PLUGINS_DIR", str(TEST_PLUGINS / "good"))
    assert "lines" in load_plugins().extractors


def test_plugin_that_fails_to_import_is_recorded_and_skipped() -> None:
    registry = load_plugins([TEST_PLUGINS / "broken"])
    assert set(registry.extractors) >= BUILT_INS
    [failure] = registry.failures
    assert failure.plugin == "broken/broken_import.py"
    assert "ModuleNotFoundError" in failure.error
    assert "this_module_does_not_exist" in failure.error


def test_plugin_whose_hook_raises_is_recorded_and_others_still_load() -> None:
    registry = load_plugins([TEST_PLUGINS / "raising", TEST_PLUGINS / "good"])
    assert "lines" in registry.extractors
    assert set(registry.extractors) >= BUILT_INS
    [failure] = registry.failures
    assert failure.plugin == "raising/raising_register.py"
    assert "boom in register_extractors" in failure.error


def test_name_clash_is_a_failure_of_the_later_plugin() -> None:
    registry = load_plugins([TEST_PLUGINS / "clash"])
    assert registry.extractors["markdown"].plugin == "markdown"
    [failure] = registry.failures
    assert "already registered by markdown" in failure.error


def test_strict_mode_turns_failures_into_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LVZHI_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match="broken_import"):
        load_plugins([TEST_PLUGINS / "broken"])


def test_a_bug_inside_extract_fails_that_file_with_the_plugin_name(tmp_path: Path) -> None:
    registry = load_plugins([TEST_PLUGINS / "good"])
    bad = tmp_path / "x.buggy"
    bad.write_text("anything", encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        extract_file(registry, bad)
    message = str(caught.value)
    assert "buggy" in message and "good/lines.py" in message and "ZeroDivisionError" in message


def test_every_hook_has_a_test() -> None:
    """Datasette's meta-test: a new hookspec must come with a test that names it."""
    hooks = [name for name in dir(hookspecs) if name.startswith("register_")]
    here = Path(__file__).read_text(encoding="utf-8")
    for hook in hooks:
        assert f"test_hook_{hook}" in here, f"hook {hook} has no test_hook_{hook} test"


def test_hook_register_extractors() -> None:
    """The hook receives a register callable; every registered object is an Extractor."""
    registry = load_plugins([TEST_PLUGINS / "good"])
    impls = registry.manager.hook.register_extractors.get_hookimpls()
    assert {impl.plugin_name for impl in impls} >= {*BUILT_INS, "good/lines.py"}
    for registered in registry.extractors.values():
        assert registered.extractor.name and registered.extractor.label
