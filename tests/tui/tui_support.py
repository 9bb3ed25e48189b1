"""Helpers shared by the explorer's tests: the ``make_app`` factory, a fixed store, ``settle``."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from lvzhi.ingest import ingest
from lvzhi.plugins import load_plugins
from lvzhi.store import Store
from lvzhi.tui.app import LvzhiApp

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def build_store(folder: Path, sources: list[Path]) -> Path:
    """A store holding exactly ``sources`` (files or folders), ingested like `lvzhi ingest`."""
    path = folder / "store.json"
    result = ingest(Store(path), load_plugins([]), sources)
    assert not result.failed, [str(f) for f in result.failed]
    return path


def make_app(store_path: Path, samples_dir: Path | None = None) -> LvzhiApp:
    """The explorer on ``store_path``, as `lvzhi --db store_path` opens it."""
    return LvzhiApp(store_path, [], samples_dir)


async def settle(pilot: Pilot[object]) -> None:
    """Wait until the store is loaded, the indexes are built and no worker is running."""
    app = pilot.app
    for _ in range(400):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        ready = getattr(app, "indexes_ready", True)
        if ready and not any(w.is_running for w in app.workers):
            return
    raise AssertionError("the explorer did not settle")


def text_of(static: Static) -> str:
    """The plain text a Static shows (its Rich renderable rendered wide, no styles)."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(static.content)
    return console.export_text()


async def type_into_focused(pilot: Pilot[object], text: str) -> None:
    """Type into the focused Input (Pilot cannot press CJK characters as keys), its cursor
    still (a blinking cursor would make a snapshot flaky), then let the screen settle."""
    from textual.widgets import Input

    focused = pilot.app.focused
    assert isinstance(focused, Input)
    focused.cursor_blink = False
    for char in text:
        focused.insert_text_at_cursor(char)
    await settle(pilot)
    await pilot.pause(0.5)  # the detail pane follows once typing rests


Scenario = Callable[[Pilot[object], LvzhiApp], Awaitable[None]]


def drive(store: Path, scenario: Scenario, *, size: tuple[int, int] = (120, 40),
          samples: Path | None = None) -> LvzhiApp:
    """Run the explorer on ``store`` headless at ``size``, settled, then ``scenario``."""
    app = make_app(store, samples)

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(pilot, app)

    asyncio.run(run())
    return app


async def press(pilot: Pilot[object], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot: Pilot[object], text: str) -> None:
    """Type into the focused Input (Pilot.press cannot send CJK characters as keys), a
    character at a time as a person would, then let the screen settle."""
    focused = pilot.app.focused
    assert isinstance(focused, Input)
    focused.cursor_blink = False
    for char in text:
        focused.insert_text_at_cursor(char)
        await pilot.pause()
    await settle(pilot)
