"""Pairwise precision and recall of ``Matcher.matters()`` on the labeled seed items.

``groups.json`` names items of the five seed documents by (source file, list, serial), each
checked by reading the seed:

- **groups** — items of different townships that are one matter (same wording, reworded, or
  in another list in some townships);
- **near_misses** — pairs of different townships that share a wording pattern but are
  different matters (拖拉机登记 vs 拖拉机操作证件核发);
- **singletons** — items that no other seed has: anything matched to them is wrong.

Precision and recall count unordered pairs of items put in one matter:

- *true pairs*: every pair inside a group;
- *predicted pairs*: every pair of labeled items in one matter, plus every pair between a
  singleton and any item of its matter (labeled or not);
- precision = |true ∩ predicted| / |predicted|, recall = |true ∩ predicted| / |true|.

**Tune and test halves.** Every group, near miss and singleton carries a fixed ``split``
("tune" or "test", the parity of the first byte of sha1 of its label / why / what; see
``split`` in ``groups.json``). The matcher's constants were chosen on the tune half only;
the issue's targets, precision ≥ 0.97 and recall ≥ 0.93, are asserted on the test half, and
the hard non-matches (near misses) must never be joined. Entries marked ``"added": "issue 16"``
were judged by hand from a random sample (seed 16) of seed items outside the earlier groups,
excluding items whose exact wording is in two or more other seeds (the easy ones); entries
marked ``"added": "issue 16 round 2"`` came the same way from a second draw (seed 1616), see
``SAMPLING.md``. ``audit_merges.json`` and ``audit_merges_2.json`` each judge 50 random merges
no label reaches (two draws, the second after the shared-opening-clause fix).

Figures at the chosen constants (pairwise): see the README's Matching paragraph.

The test is skipped, with the reason, while any seed does not extract with its true row
counts (``tests/expected_counts.json``): labels name rows by serial, so they only mean
something once every row is right.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from lvzhi.ingest import ingest
from lvzhi.matching import Matcher
from lvzhi.model import Item, ListKind
from lvzhi.plugins import load_plugins
from lvzhi.store import Store
from lvzhi.text import strip_spaces

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLES = ROOT / "data" / "samples"
LABELS = json.loads((HERE / "groups.json").read_text(encoding="utf-8"))
EXPECTED = json.loads((ROOT / "tests" / "expected_counts.json").read_text(encoding="utf-8"))

MIN_PRECISION = 0.97
MIN_RECALL = 0.93
# What the matcher does now on the test half (precision 0.991, recall 0.930, see README): a
# regression below these fails at once, with the listing of the errors.
FLOOR_PRECISION = 0.985
FLOOR_RECALL = 0.925

Ref = tuple[str, str, int]


def ref(entry: dict) -> Ref:
    return entry["source"], entry["list"], entry["serial"]


def all_entries() -> list[dict]:
    entries = [m for g in LABELS["groups"] for m in g["members"]]
    entries += [nm[side] for nm in LABELS["near_misses"] for side in ("a", "b")]
    entries += [s["item"] for s in LABELS["singletons"]]
    return entries


# --- the labels themselves (no extraction needed) -------------------------------------------

def test_labels_are_well_formed():
    groups, near, singles = LABELS["groups"], LABELS["near_misses"], LABELS["singletons"]
    assert len(groups) >= 50
    assert len(near) >= 15
    assert {g["kind"] for g in groups} == {"easy", "reworded", "moved"}
    assert sum(g["kind"] == "moved" for g in groups) >= 5
    group_of: dict[Ref, int] = {}
    for n, group in enumerate(groups):
        members = [ref(m) for m in group["members"]]
        sources = [m[0] for m in members]
        assert len(set(sources)) == len(sources) >= 2, group["label"]  # one item per township
        if group["kind"] == "moved":
            assert len({m[1] for m in members}) >= 2, group["label"]
        for member in members:
            assert member not in group_of, f"{member} is in two groups"
            group_of[member] = n
    for pair in near:
        a, b = ref(pair["a"]), ref(pair["b"])
        assert a[0] != b[0], pair["why"]
        assert a not in group_of or group_of.get(a) != group_of.get(b), pair["why"]
    for single in singles:
        assert ref(single["item"]) not in group_of, single["what"]
    for entry in all_entries():
        source, kind, serial = ref(entry)
        assert 1 <= serial <= EXPECTED[source][ListKind(kind).value], entry
        assert entry["name_starts"], entry


# --- against the extracted seeds ------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_items(tmp_path_factory: pytest.TempPathFactory) -> dict[Ref, Item]:
    store = Store(tmp_path_factory.mktemp("eval") / "store.json")
    result = ingest(store, load_plugins([]), [SAMPLES])
    problems = [f"{failure}" for failure in result.failed]
    for extraction in result.done:
        doc = extraction.document
        expected = EXPECTED.get(doc.source, {})
        wrong = {k: (doc.lists.get(k, 0), expected[k]) for k in ("basic", "cooperative",
                 "reclaimed") if expected and doc.lists.get(k, 0) != expected[k]}
        if wrong:
            problems.append(f"{doc.source}: rows (found, true) {wrong}")
    missing = set(EXPECTED) - {e.document.source for e in result.done}
    if problems or missing:
        pytest.skip("the seeds do not all extract with their true row counts yet: "
                    + "; ".join(problems + [f"{m} not extracted" for m in sorted(missing)]))
    return {(i.source, str(i.list), i.serial): i for i in store.items()}


def test_labeled_items_are_the_rows_named(seed_items: dict[Ref, Item]):
    for entry in all_entries():
        item = seed_items[ref(entry)]
        assert strip_spaces(item.name).startswith(entry["name_starts"]), (
            f"{ref(entry)}: label says the name starts with {entry['name_starts']!r}, "
            f"the extracted name is {item.name[:30]!r}")


SPLITS = ("tune", "test")


def in_split(entry: dict, split: str | None) -> bool:
    return split is None or entry.get("split") == split


def pairwise(matcher: Matcher, split: str | None = None
             ) -> tuple[set[frozenset], set[frozenset]]:
    """(true pairs, predicted pairs) over item ids, as the module docstring defines them,
    counting only the groups and singletons of ``split`` (both halves when None)."""
    groups = [g for g in LABELS["groups"] if in_split(g, split)]
    singles_of = [s for s in LABELS["singletons"] if in_split(s, split)]
    entries = [m for g in groups for m in g["members"]] + [s["item"] for s in singles_of]
    id_of = {ref(e): f"{e['source']}|{e['list']}|{e['serial']}" for e in entries}
    truth = {frozenset((id_of[ref(a)], id_of[ref(b)]))
             for g in groups for a, b in itertools.combinations(g["members"], 2)}
    labeled = set(id_of.values())
    singles = {id_of[ref(s["item"])] for s in singles_of}
    predicted: set[frozenset] = set()
    for matter in matcher.matters():
        ids = [f"{m.item.source}|{m.item.list}|{m.item.serial}" for m in matter.members]
        inside = [i for i in ids if i in labeled]
        predicted.update(frozenset(p) for p in itertools.combinations(inside, 2))
        for single in singles.intersection(ids):
            predicted.update(frozenset((single, other)) for other in ids if other != single)
    return truth, predicted


def joined_near_misses(matcher: Matcher, split: str | None = None) -> list[str]:
    """The near misses (hard non-matches) the matcher put in one matter."""
    matter_of = {}
    for matter in matcher.matters():
        for m in matter.members:
            matter_of[(m.item.source, str(m.item.list), m.item.serial)] = matter.id
    return [pair["why"] for pair in LABELS["near_misses"] if in_split(pair, split)
            and matter_of.get(ref(pair["a"])) is not None
            and matter_of.get(ref(pair["a"])) == matter_of.get(ref(pair["b"]))]


def score(matcher: Matcher, split: str | None) -> tuple[float, float, int, int, int, str]:
    """precision, recall, hits, predicted, true pairs, and a listing of the errors."""
    truth, predicted = pairwise(matcher, split)
    hits = truth & predicted
    precision = len(hits) / len(predicted) if predicted else 1.0
    recall = len(hits) / len(truth) if truth else 1.0
    name = {f"{i.source}|{i.list}|{i.serial}": i.name[:24] for i in matcher.rows}

    def show(pairs: set[frozenset]) -> str:
        return "\n".join(" <> ".join(f"{p[:3]}{p[p.index('|'):]} {name[p]}" for p in sorted(pair))
                         for pair in sorted(pairs, key=sorted))

    listing = (f"wrong pairs:\n{show(predicted - truth)}\nmissed pairs:\n"
               f"{show(truth - predicted)}")
    return precision, recall, len(hits), len(predicted), len(truth), listing


def test_no_regression_on_the_test_half(seed_items: dict[Ref, Item]):
    precision, recall, *_, listing = score(Matcher.build(list(seed_items.values())), "test")
    report = f"precision {precision:.3f}, recall {recall:.3f}\n{listing}"
    assert precision >= FLOOR_PRECISION, report
    assert recall >= FLOOR_RECALL, report


def test_matches_precision_and_recall(seed_items: dict[Ref, Item]):
    """Both halves are reported; the targets hold on the test half, which nothing was
    tuned on."""
    matcher = Matcher.build(list(seed_items.values()))
    lines = []
    for split in SPLITS:
        precision, recall, hits, predicted, truth, listing = score(matcher, split)
        lines.append(f"{split}: precision {precision:.3f} ({hits}/{predicted}), recall "
                     f"{recall:.3f} ({hits}/{truth})\n{listing}")
    report = "\n".join(lines)
    print(report)
    precision, recall, *_ = score(matcher, "test")
    assert precision >= MIN_PRECISION, report
    assert recall >= MIN_RECALL, report


def test_hard_non_matches_are_never_joined(seed_items: dict[Ref, Item]):
    joined = joined_near_misses(Matcher.build(list(seed_items.values())))
    assert not joined, joined
