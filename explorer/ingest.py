"""sniff -> extract -> check -> normalize -> store.

Every file either lands whole or is reported with a one-line reason; the store is written once
per ingest, atomically, with the files that succeeded.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lvzhi.extractor import ExtractionError, Extractor, NoDutyListError
from lvzhi.model import Document, Item
from lvzhi.normalize import file_id, fill_down_categories, normalize, settle_receivers
from lvzhi.plugins import Registry, load_plugins
from lvzhi.report import ExtractionReport, ReportSummary, build_report
from lvzhi.store import Store, gc_paused
from lvzhi.text import readable_name

HEAD_BYTES = 8192
# The largest file read, in MB (a duty list is a few hundred KB; a PDF with scans some MB):
# a device, a runaway file or a decompression bomb must not take the machine's memory.
MAX_FILE_MB_ENV = "LVZHI_MAX_FILE_MB"
MAX_FILE_MB = 200


# The longest one file may take to extract, in seconds (a list takes well under one; a
# 300-page PDF some tens): a crafted file must not stall a folder's ingest.
FILE_SECONDS_ENV = "LVZHI_FILE_SECONDS"
FILE_SECONDS = 120


def max_file_bytes() -> int:
    return int(_env_number(MAX_FILE_MB_ENV, MAX_FILE_MB) * 1024 * 1024)


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


class _OverTime(BaseException):  # not Exception: an extractor's own handlers must not catch it
    pass


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``_OverTime`` in the block after ``seconds`` (main thread only: an ingest
    worker process, or the command line; elsewhere no budget is kept)."""
    try:
        previous = signal.signal(signal.SIGALRM, _over_time)
    except (ValueError, AttributeError):  # not the main thread, or no SIGALRM here
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _over_time(_signum: int, _frame: object) -> None:
    raise _OverTime


class IngestError(Exception):
    """A file could not be ingested. ``str()`` is one line naming the file and the reason."""

    def __init__(self, path: Path | str, message: str, no_list: bool = False) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.reason = message
        self.no_list = no_list  # the file reads fine but holds no duty list

    def __reduce__(self) -> tuple[type[IngestError], tuple[str, str, bool]]:
        # Errors travel back from the extraction worker processes: keep them picklable.
        return (IngestError, (self.path, self.reason, self.no_list))


@dataclass
class Extraction:
    """One file read successfully."""

    path: Path
    document: Document
    items: list[Item]
    report: ExtractionReport
    extractor: str


@dataclass(slots=True)
class Stored:
    """A file an ingest stored: what it was read as (its items are in the store now), or the
    stored document of the same bytes (``summary`` None: not read again)."""

    path: Path
    document: Document
    status: str  # added / replaced / unchanged
    summary: ReportSummary | None = None  # of its extraction report


@dataclass
class IngestResult:
    done: list[Stored] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # files in folders no plugin claims
    # Files met in a folder that read fine but hold no duty list (a README): not failures.
    not_lists: list[IngestError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def formats_hint(registry: Registry) -> str:
    claims = ", ".join(
        f"{name} ({' '.join(r.extractor.extensions) or 'by content'})"
        for name, r in sorted(registry.extractors.items())
    )
    return f"known formats: {claims}; force one with --format NAME"


def choose_extractor(registry: Registry, path: Path, head: bytes,
                     forced: str | None = None) -> Extractor:
    if forced:
        if forced not in registry.extractors:
            raise IngestError(path, f"no extractor named {forced!r}; {formats_hint(registry)}")
        return registry.extractor(forced)
    scored: list[tuple[float, str]] = []
    for name, registered in registry.extractors.items():
        try:
            score = float(registered.extractor.sniff(path, head))
        except Exception:  # a broken sniff must not stop the others: it just claims nothing
            score = 0.0
        scored.append((score, name))
    scored.sort(key=lambda s: (-s[0], s[1]))
    if not scored or scored[0][0] <= 0:
        raise IngestError(path, f"unknown format {path.suffix or '(no extension)'}; "
                                f"{formats_hint(registry)}")
    return registry.extractor(scored[0][1])


def check_file(path: Path) -> int:
    """The size of a file lvzhi may read, or IngestError: only regular files (never a
    device, a FIFO or a socket, which could be read forever or block), up to the size limit."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise IngestError(path, "no such file") from exc
    except PermissionError as exc:
        raise IngestError(path, "permission denied") from exc
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(path, "not a regular file (a device, a FIFO or a socket): "
                                "only files are read")
    if info.st_size > (limit := max_file_bytes()):
        raise IngestError(path, f"{info.st_size / 2**20:.0f} MB is over the "
                                f"{limit / 2**20:.0f} MB limit for one file (set "
                                f"{MAX_FILE_MB_ENV} to raise it)")
    return info.st_size


def _read_head(path: Path) -> bytes:
    check_file(path)
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except PermissionError as exc:
        raise IngestError(path, "permission denied") from exc
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from exc


def extract_file(registry: Registry, path: Path, forced: str | None = None) -> Extraction:
    """Read one file into a Document and Items, with its extraction report. Never stores."""
    path = Path(path)
    head = _read_head(path)
    if not head:
        raise IngestError(path, "the file is empty")
    extractor = choose_extractor(registry, path, head, forced)
    plugin = registry.extractors[extractor.name].plugin
    budget = _env_number(FILE_SECONDS_ENV, FILE_SECONDS)
    try:
        data = path.read_bytes()
        with time_budget(budget):
            extracted = extractor.extract(path)
    except _OverTime as exc:
        raise IngestError(path, f"refused: extracting took over {budget:g} s "
                                f"[{extractor.name}] (set {FILE_SECONDS_ENV} to allow "
                                "more)") from exc
    except NoDutyListError as exc:
        raise IngestError(path, f"{exc} [{extractor.name}]", no_list=True) from exc
    except ExtractionError as exc:
        raise IngestError(path, f"{exc} [{extractor.name}]") from exc
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:
        raise IngestError(path, f"extractor {extractor.name!r} (plugin {plugin}) failed: "
                                f"{type(exc).__name__}: {exc}") from exc
    if not extracted.rows:
        raise IngestError(path, f"no duty list recognised in this file [{extractor.name}]",
                          no_list=True)
    fill_down_categories(extracted.rows)
    settle_receivers(extracted.rows)
    report = build_report(extracted, source=readable_name(path.name),
                          extractor=extractor.label)
    doc, items = normalize(extracted, path=path, data=data, format_name=extractor.name,
                           extractor_label=extractor.label)
    return Extraction(path, doc, items, report, extractor.name)


def walk_files(folder: Path, unreadable: list[IngestError]) -> Iterator[Path]:
    """Every regular file under ``folder``, in name order, without recursion (a tree 1,000
    folders deep is fine) and without following symlinked folders (no loops). Hidden files
    and folders are left out; a folder that cannot be read is reported in ``unreadable``."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            unreadable.append(IngestError(Path(current), "folder skipped: "
                                                         f"{exc.strerror or exc}"))
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                elif entry.is_file():  # a regular file, or a symlink to one
                    yield Path(entry.path)
        stack.extend(reversed(folders))


def collect_files(paths: Iterable[Path], registry: Registry,
                  unreadable: list[IngestError] | None = None) -> tuple[list[Path], list[Path]]:
    """Expand folders (recursively) into files a plugin claims; explicit files are kept as is.

    Returns (files, skipped): skipped are files inside folders whose extension no plugin
    claims (an explicit file with such an extension is tried, and fails with a clear error).
    Folders that cannot be read are added to ``unreadable``.
    """
    claimed = set(registry.extensions())
    files: list[Path] = []
    skipped: list[Path] = []
    problems = unreadable if unreadable is not None else []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in walk_files(path, problems):
                (files if child.suffix.lower() in claimed else skipped).append(child)
        else:
            files.append(path)
    return files, skipped


def _worker_extract(args: tuple[Path, str | None, list[Path]]) -> Extraction | IngestError:
    path, forced, plugin_dirs = args
    registry = _worker_registry(tuple(plugin_dirs))
    try:
        return extract_file(registry, path, forced)
    except IngestError as exc:
        return exc
    finally:
        # The cyclic collector is off in a worker (_worker_started): run on its own, it walked
        # the imported modules' objects again and again (5-10% of extraction). One collection
        # per document takes what the document left, and freezing what survives (imports,
        # caches) keeps the next one to a document's objects: 0.1 ms.
        gc.collect()
        gc.freeze()


_REGISTRIES: dict[tuple[Path, ...], Registry] = {}


def _worker_registry(plugin_dirs: tuple[Path, ...]) -> Registry:
    if plugin_dirs not in _REGISTRIES:
        _REGISTRIES[plugin_dirs] = load_plugins(list(plugin_dirs))
    return _REGISTRIES[plugin_dirs]


def extract_each(
    registry: Registry,
    files: list[Path],
    *,
    forced: str | None = None,
    plugin_dirs: list[Path] | None = None,
    progress: Callable[[Path, Extraction | IngestError], None] | None = None,
    jobs: int | None = None,
) -> Iterator[tuple[Path, Extraction | IngestError]]:
    """Each file and what extracting it gave, in order, as they come: in parallel
    processes when there are many (extraction is CPU-bound). The caller holds only what it
    keeps of them."""
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if jobs <= 1 or len(files) < 8:
        for path in files:
            try:
                result: Extraction | IngestError = extract_file(registry, path, forced)
            except IngestError as exc:
                result = exc
            if progress:
                progress(path, result)
            yield path, result
        return
    # multiprocessing's Pool, not concurrent.futures: its terminate() ends the workers and its
    # own threads at once, where an executor's exit handler can wait for ever on a worker
    # that was stopped in the middle of a task (Ctrl-C, SIGTERM).
    pool = multiprocessing.Pool(jobs, initializer=_worker_started)
    try:
        tasks = [(path, forced, list(plugin_dirs or [])) for path in files]
        for path, result in zip(files, pool.imap(_worker_extract, tasks, chunksize=4),
                                strict=True):
            if progress:
                progress(path, result)
            yield path, result
    except BaseException:
        # Ctrl-C, a signal, an error: no worker outlives the ingest, and a second Ctrl-C
        # while they stop does not interrupt the stopping.
        with _sigint_ignored():
            pool.terminate()
            pool.join()
        raise
    pool.close()
    pool.join()


def _worker_started() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers, which must not
    # each print a traceback of their own. The parent stops them with SIGTERM, which must
    # end them, not raise the ``Interrupted`` a forked worker inherits.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C (workers stopped, nothing stored)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def interrupt_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into ``Interrupted`` in the main thread, so an ingest ends
    its workers and leaves the store as it was, as it does for Ctrl-C."""
    def interrupt(signum: int, _frame: object) -> None:
        raise Interrupted(signum)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def untrusted(extraction: Extraction, accept: bool) -> IngestError | None:
    """An extraction whose report is not trustworthy (rows missing, text lost, a required
    field empty) is refused, or, when the user accepts it, stored with the reason as a
    warning on the document and on every row, where the explorer shows it."""
    reason = extraction.report.distrust()
    if not reason:
        return None
    if not accept:
        return IngestError(extraction.path, f"not trustworthy: {reason}; nothing stored. "
                                            f"See `lvzhi check {extraction.path}`, or ingest "
                                            "it anyway with --accept-untrusted")
    warning = f"untrusted extraction, stored on request: {reason}"
    extraction.document.warnings.append(warning)
    for item in extraction.items:
        item.warnings.append(warning)
    return None


def ingest(
    store: Store,
    registry: Registry,
    paths: Iterable[Path],
    *,
    forced: str | None = None,
    plugin_dirs: list[Path] | None = None,
    progress: Callable[[Path, Extraction | IngestError], None] | None = None,
    on_files: Callable[[int], None] | None = None,
    accept_untrusted: bool = False,
    batch_items: int | None = None,
) -> IngestResult:
    """Extract every file and store what succeeded, in batches of about ``batch_items``
    items, each one atomic transaction. A file whose extraction is not trustworthy is
    refused unless ``accept_untrusted``.

    Memory holds one batch: what is stored is kept as its document and report
    (``Stored``), not its items. A crash or Ctrl-C keeps the batches stored before it, and
    files already in the store (the same bytes) are not extracted again, so running the same
    ingest again resumes it.
    """
    result = IngestResult()
    paths = [Path(p) for p in paths]
    named = {p for p in paths if not p.is_dir()}  # files the user named, not found in a folder
    files, result.skipped = collect_files(paths, registry, result.failed)
    if on_files:
        on_files(len(files))
    stored = store.records_by_id()
    to_extract = []
    for path in files:
        known = _known_id(path, stored)
        if known is None:
            to_extract.append(path)
        else:
            result.done.append(Stored(path, Document.from_dict(stored[known]), "unchanged"))
    limit = batch_items or BATCH_ITEMS
    batch: list[Extraction] = []
    # A batch is hundreds of thousands of objects arriving (unpickled from the workers) and
    # indexed, none of them cyclic: the collector, left on, walked the growing heap again and
    # again (a fifth of the parent's CPU). It runs once after each batch instead, over what
    # the batch left (generations 0 and 1: with the collector off, everything new is there).
    with gc_paused():
        for path, outcome in extract_each(registry, to_extract, forced=forced,
                                          plugin_dirs=plugin_dirs, progress=progress):
            if not isinstance(outcome, IngestError) and (
                    refused := untrusted(outcome, accept_untrusted)) is not None:
                outcome = refused
            if not isinstance(outcome, IngestError):
                batch.append(outcome)
                if sum(len(e.items) for e in batch) >= limit:
                    result.done += _store_batch(store, batch)
                    batch = []
                    gc.collect(1)
            elif outcome.no_list and path not in named:
                result.not_lists.append(outcome)
            else:
                result.failed.append(outcome)
        if batch:
            result.done += _store_batch(store, batch)
    return result


# An ingest commits every this many items (a few hundred townships): what it holds in memory,
# and what a crash can make it extract again.
BATCH_ITEMS = 50_000


def _known_id(path: Path, stored: Mapping[str, object]) -> str | None:
    """The id of the file's bytes if a stored document has them, else None."""
    if not stored:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None  # extracting it says why
    doc_id = file_id(data)
    return doc_id if doc_id in stored else None


def _store_batch(store: Store, batch: list[Extraction]) -> list[Stored]:
    """A batch stored in one atomic transaction."""
    with store.transaction() as db:
        statuses = store.put_many(db, [(e.document, e.items) for e in batch])
    return [Stored(e.path, e.document, status, e.report.summary())
            for e, status in zip(batch, statuses, strict=True)]
