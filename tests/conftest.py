"""Shared fixtures: isolated stores, the project's samples, small synthetic documents."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import Phase, settings

# The checkout's folders install as lvzhi and lvzhi.extractors; run from the checkout, Python
# could also import them as top-level `explorer` / `extractors`, which an installed lvzhi
# cannot. Make that fail here as it would there (tests.extractors is another name: unaffected).
sys.modules["explorer"] = None  # type: ignore[assignment]
sys.modules["extractors"] = None  # type: ignore[assignment]

# CI draws the same examples on every run (a failure there is then reproducible, not luck)
# and does not shrink a failure (it can take many minutes; the blob printed reproduces it);
# locally every run draws new ones, which is how new failures are found.
settings.register_profile("ci", derandomize=True, print_blob=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target])
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
EXPECTED_COUNTS = json.loads((Path(__file__).parent / "expected_counts.json").read_text("utf-8"))
TEST_PLUGINS = Path(__file__).parent / "plugins"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test ever touches the user's store or plugin folders."""
    monkeypatch.setenv("LVZHI_DB", str(tmp_path / "default-store.json"))
    monkeypatch.delenv("LVZHI_PLUGINS_DIR", raising=False)
    monkeypatch.delenv("LVZHI_STRICT_PLUGINS", raising=False)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.json"


def write_csv_list(path: Path, township: str = "托格拉克乡", county: str = "伊宁市",
                   prefecture: str = "伊犁州", rows: int = 3, extra: str = "") -> Path:
    """A small document in the example CSV plugin's format (basic + reclaimed lists)."""
    lines = [f"{prefecture}{county}{township}基本履职事项清单", "序号,事项类别,事项名称"]
    lines += [f"{n},党的建设,第{n}项基本事项{extra}" for n in range(1, rows + 1)]
    lines += [f"{prefecture}{county}{township}上级部门收回事项清单",
              "序号,事项类别,事项名称,承接部门及工作方式",
              "1,民生服务,工伤认定调查,市人社局"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli_on(store_path: Path, capsysbinary: pytest.CaptureFixture[bytes]):
    """A function running ``lvzhi --db <store_path> ARGS``; it returns (exit code, stdout,
    stderr)."""
    from lvzhi.cli import main

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(store_path), *args])
        out, err = capsysbinary.readouterr()
        return code, out.decode("utf-8"), err.decode("utf-8")

    return invoke


@pytest.fixture
def run_cli(store_path: Path, capsysbinary: pytest.CaptureFixture[bytes]):
    """Run ``lvzhi --db <store_path> ARGS``; returns (exit code, stdout, stderr)."""
    return cli_on(store_path, capsysbinary)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard output taken for a terminal: listings print Rich tables and notes."""
    monkeypatch.setattr("lvzhi.cli.base.stdout_is_terminal", lambda: True)


@pytest.fixture
def csv_list(tmp_path: Path):
    def make(name: str = "a.csv", **kwargs) -> Path:
        return write_csv_list(tmp_path / name, **kwargs)

    return make
