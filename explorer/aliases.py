"""Equivalent terms of this domain, as data: abbreviations and campaign slogans against what
they stand for, old and new names of an institution, a service and its formal name.

The table shipped with lvzhi is ``explorer/data/aliases.toml`` (its header says how to write
an entry). A user adds entries in the same shape in ``aliases.toml`` next to the store; they
are read after the shipped ones. Matching replaces every variant by its canonical wording in
the comparable form of a name (``lvzhi.search.match_key``) before names are scored, and
says which aliases it used when it explains a match.

The same files hold *contrasts*: sets of terms of one kind that name different things (林业 /
草原 / 湿地; 大气 / 水污染 / 土壤 污染; 价格监测 / 价格监督检查). Two names that each hold
exactly one kind of a contrast, and not the same one, are different matters whatever else
they share; matching scales their name score down (``lvzhi.matching.CONTRAST_FACTOR``).
A name that holds several kinds (大气、水、土壤…污染防治) covers them and is not contrasted.
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


@dataclass(frozen=True, slots=True)
class Contrast:
    """Kinds of one sort that name different things; each kind is one or more terms (林业 and
    森林 are one kind, 草原 another)."""

    kinds: tuple[tuple[str, ...], ...]
    why: str = ""


@dataclass(slots=True)
class AliasTable:
    aliases: list[Alias] = field(default_factory=list)
    contrasts: list[Contrast] = field(default_factory=list)
    # folded variant (or canonical) -> folded canonical
    _to: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None
    # folded contrast term -> (contrast number, kind number) pairs
    _kind_of: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _contrast_pattern: re.Pattern[str] | None = None

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

    def add_contrast(self, contrast: Contrast) -> None:
        number = len(self.contrasts)
        self.contrasts.append(contrast)
        for kind, terms in enumerate(contrast.kinds):
            for term in terms:
                # Terms are compared with names as matching sees them: folded, aliases in.
                if folded := self.apply(_folded(term))[0]:
                    self._kind_of.setdefault(folded, []).append((number, kind))
        self._contrast_pattern = None

    @property
    def digest(self) -> str:
        """Changes whenever the table does (part of the matcher cache's key)."""
        text = "\n".join([f"{k}\t{v}" for k, v in sorted(self._to.items())] + [
            f"{k}\t{v}" for k, v in sorted(self._kind_of.items())])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def kinds_in(self, key: str) -> frozenset[tuple[int, int]]:
        """The (contrast, kind) pairs whose terms occur in ``key`` (a folded match key with
        aliases in). Terms may overlap (水污染 inside 地下水污染): every occurrence counts."""
        if not self._kind_of:
            return frozenset()
        if self._contrast_pattern is None:
            terms = sorted(self._kind_of, key=lambda t: (-len(t), t))
            # A lookahead finds overlapping terms too.
            self._contrast_pattern = re.compile(
                "(?=(" + "|".join(map(re.escape, terms)) + "))")
        return frozenset(pair for m in self._contrast_pattern.finditer(key)
                         for pair in self._kind_of[m.group(1)])

    def contrasted(self, kinds_a: frozenset[tuple[int, int]],
                   kinds_b: frozenset[tuple[int, int]]) -> bool:
        """Whether two names (their ``kinds_in``) name different kinds of one contrast: each
        holds exactly one kind of it, and not the same one."""
        if not kinds_a or not kinds_b or kinds_a == kinds_b:
            return False
        for contrast in {c for c, _ in kinds_a} & {c for c, _ in kinds_b}:
            own_a = [k for c, k in kinds_a if c == contrast]
            own_b = [k for c, k in kinds_b if c == contrast]
            if len(own_a) == 1 and len(own_b) == 1 and own_a != own_b:
                return True
        return False

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


def _parse(data: bytes, where: str) -> tuple[list[Alias], list[Contrast]]:
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
    contrasts = []
    entries = table.get("contrast", [])
    if not isinstance(entries, list):
        raise AliasError(f"{where}: `contrast` must be a list of [[contrast]] tables")
    for n, entry in enumerate(entries, 1):
        kinds = entry.get("kinds")
        if not (isinstance(kinds, list) and len(kinds) >= 2 and all(
                isinstance(k, list) and k and all(isinstance(t, str) and t.strip() for t in k)
                for k in kinds)):
            raise AliasError(f"{where}: contrast {n} needs `kinds`: two or more lists of "
                             "terms")
        contrasts.append(Contrast(tuple(tuple(t.strip() for t in k) for k in kinds),
                                  str(entry.get("why", ""))))
    return aliases, contrasts


def _shipped() -> tuple[list[Alias], list[Contrast]]:
    data = resources.files("lvzhi.data").joinpath("aliases.toml").read_bytes()
    return _parse(data, "lvzhi/data/aliases.toml")


def shipped() -> list[Alias]:
    return _shipped()[0]


def shipped_contrasts() -> list[Contrast]:
    return _shipped()[1]


def user_file(store_path: Path) -> Path:
    """Where a user's own aliases live: next to the store file."""
    return store_path.parent / USER_FILE


def load(store_path: Path | None = None) -> AliasTable:
    """The shipped table, plus the user's file next to ``store_path`` when there is one."""
    table = AliasTable()
    parts = [_shipped()]
    if store_path is not None:
        path = user_file(store_path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = None
        except OSError as exc:
            raise AliasError(f"{path}: cannot read ({exc.strerror or exc})") from exc
        if data is not None:
            parts.append(_parse(data, str(path)))
    # Every alias first: contrast terms are read with the aliases in.
    for aliases, _ in parts:
        for alias in aliases:
            table.add(alias)
    for _, contrasts in parts:
        for contrast in contrasts:
            table.add_contrast(contrast)
    return table
