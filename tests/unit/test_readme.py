"""The README stays true: its set-up commands and its plugin example work as printed."""

from __future__ import annotations

import re
from pathlib import Path

from lvzhi.ingest import extract_file
from lvzhi.plugins import load_plugins
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_setup_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1).splitlines()
    assert first_block == ["python3 -m pip install -e . && lvzhi",
                           "python3 -m pip install -e '.[test]' && python3 -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert first_block[1] in ci


def test_readme_plugin_example_runs_and_is_under_40_lines(tmp_path: Path) -> None:
    section = README.split("## Writing an extractor plugin", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.splitlines()) < 40
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "jsonl_lists.py").write_text(code, encoding="utf-8")
    registry = load_plugins([plugins])
    assert "jsonl" in registry.extractors and not registry.failures
    doc = tmp_path / "托格拉克乡.jsonl"
    doc.write_text('{"list": "basic", "serial": 1, "category": "党的建设", "name": "学习"}\n'
                   '{"list": "reclaimed", "serial": 1, "category": "民生服务", '
                   '"name": "工伤认定调查", "receiver": "市人社局"}\n', encoding="utf-8")
    extraction = extract_file(registry, doc)
    assert [(i.list, i.name) for i in extraction.items] == [("basic", "学习"),
                                                             ("reclaimed", "工伤认定调查")]
    assert extraction.document.township == "托格拉克乡"
    assert extraction.report.trustworthy
