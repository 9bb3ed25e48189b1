"""Equivalent terms of this domain, as data: abbreviations and campaign slogans against what
they stand for, old and new names of an institution, a service and its formal name.

The table shipped with lvzhi is ``explorer/data/aliases.toml`` (its header says how to write
an entry). A user adds entries in the same shape in ``aliases.toml`` next to the store; they
are read after the shipped ones. Matching replaces every variant by its canonical wording in
the comparable form of a name (``lvzhi.search.match_key``) before names are scored, and
says which aliases it used when it explains a match.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

USER_FILE = "aliases.toml"


class AliasError(ValueError):
    """An alias file that cannot be read (says which file and why)."""


@dataclass(frozen=True, slots=True)
class Alias:
    canonical: str
    variants: tuple[str, ...]
    why: str = ""


@dataclass(slots=True)
class AliasTable:
    aliases: list[Alias] = field(default_factory=list)
    # folded variant (or canonical) -> folded canonical
    _to: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    def add(self, alias: Alias) -> None:
        self.aliases.append(alias)
        canonical = _folded(alias.canonical)
        if not canonical:
            return
        self._to.setdefault(canonical, canonical)
        for variant in alias.variants:
            if (folded := _folded(variant)) and folded not in self._to:
                self._to[folded] = canonical
        self._pattern = None

    @property
    def digest(self) -> str:
        """Changes whenever the table does (part of the matcher cache's key)."""
        text = "\n".join(f"{k}\t{v}" for k, v in sorted(self._to.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def _regex(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._to:
            self._pattern = re.compile("|".join(
                map(re.escape, sorted(self._to, key=lambda s: (-len(s), s)))))
        return self._pattern

    def apply(self, key: str) -> tuple[str, list[str]]:
        """``key`` (a folded match key) with every variant replaced by its canonical
        wording, longest first, and the canonical wordings that replaced something."""
        pattern = self._regex()
        if pattern is None:
            return key, []
        used: list[str] = []

        def replace(m: re.Match[str]) -> str:
            canonical = self._to[m.group()]
            if m.group() != canonical and canonical not in used:
                used.append(canonical)
            return canonical

        return pattern.sub(replace, key), used


def _folded(text: str) -> str:
    from lvzhi.search import match_key

    return match_key(text).text


def _parse(data: bytes, where: str) -> list[Alias]:
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AliasError(f"{where}: not a TOML alias table ({exc})") from exc
    entries = table.get("alias", [])
    if not isinstance(entries, list):
        raise AliasError(f"{where}: `alias` must be a list of [[alias]] tables")
    aliases = []
    for n, entry in enumerate(entries, 1):
        canonical, variants = entry.get("canonical"), entry.get("variants", [])
        if not isinstance(canonical, str) or not canonical.strip() or not isinstance(
                variants, list) or not all(isinstance(v, str) for v in variants):
            raise AliasError(f"{where}: alias {n} needs `canonical` (text) and `variants` "
                             "(a list of texts)")
        aliases.append(Alias(canonical.strip(), tuple(v.strip() for v in variants if v.strip()),
                             str(entry.get("why", ""))))
    return aliases


def shipped() -> list[Alias]:
    data = resources.files("lvzhi.data").joinpath("aliases.toml").read_bytes()
    return _parse(data, "lvzhi/data/aliases.toml")


def user_file(store_path: Path) -> Path:
    """Where a user's own aliases live: next to the store file."""
    return store_path.parent / USER_FILE


def load(store_path: Path | None = None) -> AliasTable:
    """The shipped table, plus the user's file next to ``store_path`` when there is one."""
    table = AliasTable()
    for alias in shipped():
        table.add(alias)
    if store_path is not None:
        path = user_file(store_path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = None
        except OSError as exc:
            raise AliasError(f"{path}: cannot read ({exc.strerror or exc})") from exc
        if data is not None:
            for alias in _parse(data, str(path)):
                table.add(alias)
    return table
