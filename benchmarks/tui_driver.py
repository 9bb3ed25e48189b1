"""Drives the explorer headless (Textual's Pilot) and times what a user waits for.

- start: from the process's first line (imports included) to the items table drawing its
  first line of rows on screen (``start_idle_s`` is the same until the app next goes idle,
  which includes loading the cached indexes when their thread takes the interpreter first);
- a keystroke: from the key sent to the search bar to the table showing the view for the new
  query (the app searches in a worker) and the screen repainted.

Keystrokes are timed once the search index and the matcher are ready (the app builds them in
the background after the first screen); how long that takes is reported too
(``index_ready_s``, ``matcher_ready_s``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

# What a user types: a matter, erased, another one.
TYPED = ("工伤认定调查", "农村土地承包", "动物检疫", "gsrd", "燃气安全")
WAIT_S = 0.002
INDEX_TIMEOUT_S = 900.0
VIEW_TIMEOUT_S = 30.0


def keys_to_type(count: int) -> list[str]:
    keys: list[str] = []
    for word in TYPED:
        keys += list(word) + ["backspace"] * len(word)
    while len(keys) < count:
        keys += keys
    return keys[:count]


async def _until(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    import asyncio

    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(WAIT_S)
    return True


def _send_key(app, key: str) -> None:  # type: ignore[no-untyped-def]
    """A key as the terminal driver delivers it. (``Pilot.press`` would add its own waits for
    the process to go idle, 20 ms at a time, which are no part of what a user waits for.)"""
    from textual import events

    char = {"backspace": None}.get(key, key)
    app._driver.send_message(events.Key(key, char))


class _Painting:
    """The view the table showed when it last drew a line on screen, and when it first drew
    a line of rows."""

    view: object = None
    first_rows_at: float | None = None


def _watch_painting(table) -> _Painting:  # type: ignore[no-untyped-def]
    painted = _Painting()
    draw = table.render_line

    def render_line(y: int):  # type: ignore[no-untyped-def]
        painted.view = table.view
        line = draw(y)
        if painted.first_rows_at is None and len(table.view.rows):
            painted.first_rows_at = time.perf_counter()
        return line

    table.render_line = render_line
    return painted


async def measure(store_path: Path, *, process_start: float,
                  keystrokes: int = 24) -> dict[str, Any]:
    """``process_start``: ``time.perf_counter()`` at the process's first line."""
    from lvzhi.tui.app import LvzhiApp
    from lvzhi.tui.widgets.item_table import ItemTable

    imported_s = time.perf_counter() - process_start
    app = LvzhiApp(store_path, samples_dir=None)
    out: dict[str, Any] = {"imports_s": imported_s}
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.main.query_one(ItemTable)
        first = _watch_painting(table)
        if not await _until(lambda: first.first_rows_at is not None, INDEX_TIMEOUT_S):
            out["note"] = "the items table never showed a row"
            return out
        out["start_s"] = first.first_rows_at - process_start  # type: ignore[operator]
        # Polled, not after ``pilot.pause()``: that waits for the app to go idle, which it
        # does only once the matcher is loaded too (the index was ready 0.7 s before that
        # at 1,000 townships, and was reported as ready only then).
        ready = await _until(lambda: app.search_index is not None, INDEX_TIMEOUT_S)
        out["index_ready_s"] = time.perf_counter() - process_start
        await pilot.pause()
        out["start_idle_s"] = time.perf_counter() - process_start
        out["rows_shown"] = len(table.view.rows)
        # Keys are timed in the steady state: with the search index built and the matcher
        # no longer competing for the interpreter in its background thread.
        ready = ready and await _until(lambda: app.matcher is not None, INDEX_TIMEOUT_S)
        out["matcher_ready_s"] = time.perf_counter() - process_start
        if not ready:
            out["note"] = (f"indexes not ready after {INDEX_TIMEOUT_S:.0f} s: keystrokes "
                           "timed while they are still being built")
        await pilot.press("slash")
        await pilot.pause()
        painted = _watch_painting(table)
        timings: list[float] = []
        for key in keys_to_type(keystrokes):
            before = table.view
            started = time.perf_counter()
            _send_key(app, key)
            if not await _until(lambda before=before: painted.view not in (None, before),
                                VIEW_TIMEOUT_S):
                out["note"] = f"the table did not repaint within {VIEW_TIMEOUT_S:.0f} s of a key"
                break
            timings.append((time.perf_counter() - started) * 1000)
        out["keystrokes_ms"] = timings
        out["query_typed"] = app.main.query_one("#search").value
    return out
