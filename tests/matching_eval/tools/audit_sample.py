"""Draw a precision audit's sample (see ../audit_merges.json, ../audit_merges_2.json): 50
pairs of items in one matter that no label reaches and whose names differ, from
``Matcher.build`` over the five seeds.

    python tests/matching_eval/tools/audit_sample.py          # the first audit (seed 1650)
    python tests/matching_eval/tools/audit_sample.py 1617     # a new draw with another seed
"""

from __future__ import annotations

import itertools
import random
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import test_matching_eval as E  # noqa: E402

from lvzhi.ingest import ingest  # noqa: E402
from lvzhi.matching import Matcher  # noqa: E402
from lvzhi.model import Item  # noqa: E402
from lvzhi.plugins import load_plugins  # noqa: E402
from lvzhi.store import Store  # noqa: E402
from lvzhi.text import strip_spaces  # noqa: E402

SEED, SIZE = 1650, 50


def key(item: Item) -> tuple[str, str, int]:
    return item.source, str(item.list), item.serial


def norm(name: str) -> str:
    return re.sub(r"本[乡镇]|[乡镇]|[县市]", "", strip_spaces(name))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.json")
        ingest(store, load_plugins([]), [E.SAMPLES])
        items = list(store.items())
    labeled = {E.ref(e) for e in E.all_entries()}
    matcher = Matcher.build(items)
    pairs = []
    for matter in matcher.matters():
        for a, b in itertools.combinations(matter.members, 2):
            if key(a.item) in labeled or key(b.item) in labeled:
                continue
            if norm(a.item.name) != norm(b.item.name):
                pairs.append((a.item, b.item))
    pairs.sort(key=lambda p: (key(p[0]), key(p[1])))
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else SEED
    print(f"{len(pairs)} pairs; drawing {SIZE} with seed {seed}")
    for n, (a, b) in enumerate(random.Random(seed).sample(pairs, SIZE), 1):
        print(f"{n:2} [{matcher.explain(a, b)}]\n   {key(a)} {a.name}\n   {key(b)} {b.name}")


if __name__ == "__main__":
    main()
