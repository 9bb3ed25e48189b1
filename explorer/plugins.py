"""The plugin manager: entry points one by one, then drop-in folders; failures recorded, not fatal.

Built-in extractors come in through the ``lvzhi`` entry-point group exactly like a third-party
package's would. A plugin that fails to import, or raises while registering, is recorded with
its name and error and skipped; set ``LVZHI_STRICT_PLUGINS=1`` to make that an error instead
(useful while writing a plugin).

Plugins are code: a plugin folder's ``*.py`` files and entry points run with the user's
rights, once in the lvzhi process and once more in every ingest worker process (ingest
extracts files in a process pool; each worker loads the plugins once). Only folders the user
names (``--plugins-dir``, ``LVZHI_PLUGINS_DIR``) are loaded, besides lvzhi's own example
folder, which ships inside the package (``lvzhi.resources``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pluggy

from lvzhi import hookspecs
from lvzhi.extractor import Extractor
from lvzhi.resources import example_plugins_dir

ENTRY_POINT_GROUP = "lvzhi"
STRICT_ENV = "LVZHI_STRICT_PLUGINS"
PLUGINS_DIR_ENV = "LVZHI_PLUGINS_DIR"

# The example plugin ships inside the package (``lvzhi.example_plugins``, the repository's
# plugins/ folder), so it is found the same way installed or not; no path is derived from
# where this file sits, which in site-packages would be a folder any package may fill.
BUNDLED_PLUGINS_DIR = example_plugins_dir()


class PluginError(Exception):
    """A plugin failed to load while strict mode was on."""


@dataclass(slots=True)
class PluginFailure:
    plugin: str
    error: str
    detail: str = ""  # the traceback, for `lvzhi plugins --verbose`


@dataclass(slots=True)
class RegisteredExtractor:
    extractor: Extractor
    plugin: str  # which plugin registered it


@dataclass
class Registry:
    """Everything the loaded plugins provide."""

    manager: pluggy.PluginManager
    extractors: dict[str, RegisteredExtractor] = field(default_factory=dict)
    failures: list[PluginFailure] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)  # names in load order

    def extractor(self, name: str) -> Extractor:
        return self.extractors[name].extractor

    def extensions(self) -> list[str]:
        return sorted({e for r in self.extractors.values() for e in r.extractor.extensions})


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0", "false", "no")


def _record(registry: Registry, plugin: str, exc: BaseException) -> None:
    failure = PluginFailure(
        plugin=plugin,
        error=f"{type(exc).__name__}: {exc}",
        detail="".join(traceback.format_exception(exc)),
    )
    if _strict():
        raise PluginError(f"plugin {plugin!r} failed: {failure.error}") from exc
    registry.failures.append(failure)


def _load_module_from_file(path: Path) -> ModuleType:
    module_name = f"lvzhi_plugin_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _register_module(registry: Registry, name: str, module: object) -> None:
    if registry.manager.is_registered(module):
        return
    registry.manager.register(module, name=name)
    registry.plugins.append(name)


def plugin_dirs(extra: list[Path] | None = None) -> list[Path]:
    """The folders whose ``*.py`` files are loaded: lvzhi's own example folder, then
    ``$LVZHI_PLUGINS_DIR``, then ``extra``."""
    dirs = [BUNDLED_PLUGINS_DIR]
    if env := os.environ.get(PLUGINS_DIR_ENV):
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += list(extra or [])
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.append(d.resolve())
    return seen


def load_plugins(
    plugins_dirs: list[Path] | None = None, *, entry_point_group: str = ENTRY_POINT_GROUP
) -> Registry:
    """Load entry-point plugins, then every ``*.py`` in the plugin folders; collect extractors."""
    manager = pluggy.PluginManager("lvzhi")
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager=manager)

    for ep in sorted(entry_points(group=entry_point_group), key=lambda e: e.name):
        try:
            _register_module(registry, ep.name, ep.load())
        except Exception as exc:
            _record(registry, ep.name, exc)

    for folder in plugin_dirs(plugins_dirs):
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            name = f"{folder.name}/{path.name}"
            try:
                _register_module(registry, name, _load_module_from_file(path))
            except Exception as exc:
                _record(registry, name, exc)

    # Call each plugin's hook on its own, so one that raises does not hide the others' extractors.
    for impl in manager.hook.register_extractors.get_hookimpls():  # registration order
        plugin_name = impl.plugin_name

        def register(extractor: Extractor, _plugin: str = plugin_name) -> None:
            if not isinstance(extractor, Extractor):
                raise TypeError(f"register() wants an Extractor instance, got {extractor!r}")
            if not extractor.name:
                raise ValueError(f"{type(extractor).__name__} has no name")
            if extractor.name in registry.extractors:
                other = registry.extractors[extractor.name].plugin
                raise ValueError(f"extractor {extractor.name!r} is already registered by {other}")
            registry.extractors[extractor.name] = RegisteredExtractor(extractor, _plugin)

        try:
            impl.function(register=register)
        except Exception as exc:
            _record(registry, plugin_name, exc)
    return registry
