"""Index caches as plain data: a JSON header and raw integer arrays, never code.

A cache sits beside a store, and a store folder is something people hand to each other, so
reading one must not be able to run anything (``pickle`` can). The file is::

    MAGIC | header length (8 bytes, little-endian) | header (JSON) | arrays (raw bytes)

The header says the format, which index it is (``kind``), the digest of what it was built
from, a CRC of the arrays, its JSON data and where each array lies. ``decode`` checks all of
that before anything is used; any doubt raises ``InvalidCache`` and the caller rebuilds.
The digest is not a signature: a crafted cache can make a search find the wrong things (so
can a crafted store), but it is only ever parsed as JSON and numbers.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, pairwise
from typing import Any

import orjson

MAGIC = b"lvzhi index cache\n"
FORMAT = 1
# Integer arrays only: 32-bit positions and ids (a province has ~300,000 items).
TYPECODE = "i"
_LENGTH_BYTES = 8


class InvalidCache(ValueError):
    """The file is not a cache of this index for these items (stale, damaged or foreign)."""


def encode(kind: str, digest: str, data: dict[str, Any], arrays: dict[str, array]) -> bytes:
    """The bytes of a cache file holding ``data`` (JSON-able) and ``arrays``."""
    table: dict[str, list[int]] = {}
    chunks: list[bytes] = []
    at = 0
    for name, values in arrays.items():
        if values.typecode != TYPECODE:
            raise TypeError(f"array {name!r} has typecode {values.typecode!r}")
        raw = values.tobytes()
        table[name] = [at, len(values)]
        chunks.append(raw)
        at += len(raw)
    body = b"".join(chunks)
    header = orjson.dumps({
        "format": FORMAT, "kind": kind, "digest": digest, "byteorder": sys.byteorder,
        "itemsize": array(TYPECODE).itemsize, "crc32": zlib.crc32(body), "arrays": table,
        "data": data,
    })
    return b"".join([MAGIC, len(header).to_bytes(_LENGTH_BYTES, "little"), header, body])


def decode(blob: bytes, kind: str, digest: str) -> tuple[dict[str, Any], dict[str, array]]:
    """``data`` and ``arrays`` of a cache of ``kind`` built from ``digest``, or InvalidCache."""
    if not blob.startswith(MAGIC):
        raise InvalidCache("not an lvzhi index cache")
    start = len(MAGIC) + _LENGTH_BYTES
    length = int.from_bytes(blob[len(MAGIC):start], "little")
    if length > len(blob) - start:
        raise InvalidCache("truncated")
    try:
        header = orjson.loads(blob[start:start + length])
    except orjson.JSONDecodeError as error:
        raise InvalidCache(f"header: {error}") from None
    expected = {"format": FORMAT, "kind": kind, "digest": digest, "byteorder": sys.byteorder,
                "itemsize": array(TYPECODE).itemsize}
    if not isinstance(header, dict) or any(header.get(k) != v for k, v in expected.items()):
        raise InvalidCache("another version, index, machine or store content")
    body = memoryview(blob)[start + length:]
    table, data = header.get("arrays"), header.get("data")
    if zlib.crc32(body) != header.get("crc32") or not isinstance(table, dict) or (
            not isinstance(data, dict)):
        raise InvalidCache("damaged")
    itemsize = array(TYPECODE).itemsize
    arrays: dict[str, array] = {}
    for name, place in table.items():
        if not (isinstance(place, list) and len(place) == 2
                and all(type(n) is int and n >= 0 for n in place)):
            raise InvalidCache(f"array {name!r}: bad place")
        offset, count = place
        if offset % itemsize or offset + count * itemsize > len(body):
            raise InvalidCache(f"array {name!r}: out of the file")
        values = array(TYPECODE)
        values.frombytes(body[offset:offset + count * itemsize])
        arrays[name] = values
    return data, arrays


# --- typed access to decoded data (each raises InvalidCache on the wrong shape) -------------

def strings(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not set(map(type, value)) <= {str}:
        raise InvalidCache(f"{what}: not a list of strings")
    return value


def string(value: Any, what: str) -> str:
    if type(value) is not str:
        raise InvalidCache(f"{what}: not a string")
    return value


def ints_in_array(values: array, limit: int, what: str) -> None:
    """Every value of an integer array is a position below ``limit``."""
    if values and (min(values) < 0 or max(values) >= limit):
        raise InvalidCache(f"{what}: not positions below {limit}")


def one_array(arrays: dict[str, array], name: str, length: int | None = None) -> array:
    values = arrays.get(name)
    if values is None or (length is not None and len(values) != length):
        raise InvalidCache(f"array {name!r}: missing or of the wrong length")
    return values


# --- ragged arrays: many integer arrays held as one -----------------------------------------

class Ragged(Sequence[array]):
    """A list of integer arrays held as their concatenation and where each starts; row ``n``
    is a slice made when it is asked for, so loading one costs nothing per row."""

    def __init__(self, values: array, bounds: array) -> None:
        self.values = values
        self.bounds = bounds  # len(self) + 1 positions into values

    @classmethod
    def of(cls, rows: Iterable[Iterable[int]]) -> Ragged:
        values, bounds = array(TYPECODE), array(TYPECODE, [0])
        for row in rows:
            values.extend(row)
            bounds.append(len(values))
        return cls(values, bounds)

    @classmethod
    def with_lengths(cls, values: array, lengths: Iterable[int]) -> Ragged:
        """Rows of known lengths (e.g. one value per character of a text)."""
        return cls(values, array(TYPECODE, accumulate(lengths, initial=0)))

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def __getitem__(self, n: int) -> array:  # type: ignore[override]
        if n < 0:
            n += len(self)
        return self.values[self.bounds[n]:self.bounds[n + 1]]

    def __iter__(self) -> Iterator[array]:
        bounds, values = self.bounds, self.values
        for n in range(len(self)):
            yield values[bounds[n]:bounds[n + 1]]

    def to_arrays(self, name: str) -> dict[str, array]:
        return {f"{name}.values": self.values, f"{name}.bounds": self.bounds}

    @classmethod
    def from_arrays(cls, arrays: dict[str, array], name: str, rows: int | None = None
                    ) -> Ragged:
        """The ragged array ``name`` of a decoded cache, its shape checked: ``rows`` rows,
        bounds from 0 to the end of the values, never decreasing."""
        values = one_array(arrays, f"{name}.values")
        bounds = one_array(arrays, f"{name}.bounds", None if rows is None else rows + 1)
        if not bounds or bounds[0] != 0 or bounds[-1] != len(values) or any(
                a > b for a, b in pairwise(bounds)):
            raise InvalidCache(f"{name}: bounds out of order")
        return cls(values, bounds)


class RaggedMap:
    """A dict from strings to integer arrays, held as one ``Ragged`` (``get`` as a dict's)."""

    def __init__(self, keys: list[str], rows: Ragged) -> None:
        if len(keys) != len(rows):
            raise InvalidCache("a key for every row")
        self.keys = keys
        self.rows = rows
        self._index = dict(zip(keys, range(len(keys)), strict=True))
        if len(self._index) != len(keys):
            raise InvalidCache("keys repeat")

    @classmethod
    def of(cls, mapping: Mapping[str, Iterable[int]]) -> RaggedMap:
        return cls(list(mapping), Ragged.of(mapping.values()))

    def get(self, key: str, default: Any = None) -> Any:
        n = self._index.get(key)
        return default if n is None else self.rows[n]

    def __len__(self) -> int:
        return len(self.keys)

    def to_cache(self, name: str) -> tuple[dict[str, Any], dict[str, array]]:
        return {f"{name}.keys": self.keys}, self.rows.to_arrays(name)

    @classmethod
    def from_cache(cls, data: dict[str, Any], arrays: dict[str, array], name: str
                   ) -> RaggedMap:
        keys = strings(data.get(f"{name}.keys"), f"{name}.keys")
        return cls(keys, Ragged.from_arrays(arrays, name, len(keys)))
