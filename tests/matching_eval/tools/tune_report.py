"""Score the matcher on the TUNE half only (what constants and aliases may be chosen on):
pairwise precision and recall, the tune half's near misses joined, and its wrong and missed
pairs. It never prints anything of the test half, so tuning cannot peek at it.

    python tests/matching_eval/tools/tune_report.py            # figures and the tune errors
    python tests/matching_eval/tools/tune_report.py --quiet    # figures only
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import test_matching_eval as E  # noqa: E402

from lvzhi.ingest import ingest  # noqa: E402
from lvzhi.matching import Matcher  # noqa: E402
from lvzhi.plugins import load_plugins  # noqa: E402
from lvzhi.store import Store  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.json")
        ingest(store, load_plugins([]), [E.SAMPLES])
        items = list(store.items())
    started = time.perf_counter()
    matcher = Matcher.build(items)
    seconds = time.perf_counter() - started
    precision, recall, hits, predicted, truth, listing = E.score(matcher, "tune")
    joined = E.joined_near_misses(matcher, "tune")
    print(f"tune: precision {precision:.3f} ({hits}/{predicted}), recall {recall:.3f} "
          f"({hits}/{truth}); near misses joined {len(joined)}; built in {seconds:.2f} s")
    if "--quiet" not in sys.argv:
        print(listing)
        for why in joined:
            print("near miss joined:", why)


if __name__ == "__main__":
    main()
