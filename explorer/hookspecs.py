"""The hooks a lvzhi plugin can implement (pluggy project name ``lvzhi``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from lvzhi.extractor import Extractor

hookspec = pluggy.HookspecMarker("lvzhi")
hookimpl = pluggy.HookimplMarker("lvzhi")


@hookspec
def register_extractors(register: Callable[[Extractor], None]) -> None:
    """Call ``register(extractor)`` once for every document format the plugin reads."""
