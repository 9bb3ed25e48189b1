"""Failures in background work become notifications, never a traceback on the screen."""

from __future__ import annotations

import contextlib
import functools
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def guarded(what: str) -> Callable[[F], F]:
    """Wrap a thread worker's body: an unexpected exception is shown as an error notification
    titled ``what`` (and logged with its traceback for a bug report); the app keeps running."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return func(self, *args, **kwargs)
            except Exception as exc:
                app = self.app
                app.log.error("".join(traceback.format_exception(exc)))
                with contextlib.suppress(RuntimeError):  # the app is closing: nobody to tell
                    app.call_from_thread(app.notify, f"{type(exc).__name__}: {exc}",
                                         title=what, severity="error", timeout=30)
                return None

        return wrapper  # type: ignore[return-value]

    return decorate
