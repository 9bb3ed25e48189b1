"""Hostile files and conditions: devices, FIFOs, deep trees, unreadable folders, huge files,
symlinked stores, signals. Each gets a one-line error naming the file, and the store stays as
it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lvzhi.store import Store
from tests.conftest import SAMPLES

SEED = SAMPLES / "000_8e877d29f72b689e.txt"


@pytest.fixture
def run(run_cli):
    return run_cli


def test_a_fifo_named_explicitly_is_refused_at_once(run, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    code, _, err = run("ingest", str(fifo))  # opening it would block forever
    assert code == 1 and "pipe.txt: not a regular file" in err


def test_a_device_is_never_read(run, tmp_path):
    code, _, err = run("ingest", "--format", "plaintext", "/dev/zero")
    assert code == 1 and "/dev/zero: not a regular file" in err
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "zero.txt").symlink_to("/dev/zero")
    shutil.copy(SEED, folder / "list.txt")
    code, out, _ = run("ingest", str(folder))
    assert code == 0 and "list.txt" in out  # the device link is no file: passed over


def test_a_device_as_the_store_is_an_error_and_is_never_moved_aside(tmp_path):
    from lvzhi.cli import main
    assert main(["--db", "/dev/zero", "list"]) == 1
    assert main(["--db", "/dev/null", "store", "--move-aside"]) == 1
    assert Path("/dev/null").exists()


def test_a_file_over_the_size_limit_is_refused(run, monkeypatch):
    monkeypatch.setenv("LVZHI_MAX_FILE_MB", "0.01")
    code, _, err = run("ingest", str(SEED))
    assert code == 1 and "over the 0 MB limit" in err and "LVZHI_MAX_FILE_MB" in err


def test_a_tree_a_thousand_folders_deep_is_walked(run, tmp_path):
    deep = tmp_path / "deep"
    folder = deep
    folder.mkdir()
    for _ in range(1000):  # one level at a time: Path.mkdir(parents=True) recurses
        folder = folder / "d"
        os.mkdir(folder)
    shutil.copy(SEED, folder / "list.txt")
    try:
        code, out, err = run("ingest", str(deep))
    finally:  # shutil.rmtree (and pytest's clean-up of old tmp folders) recurses
        (folder / "list.txt").unlink()
        while folder != tmp_path:
            folder.rmdir()
            folder = folder.parent
    assert code == 0, err
    assert "托格拉克乡" in out


def test_an_unreadable_folder_is_reported(run, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SEED, folder / "list.txt")
    real_scandir = os.scandir

    def scandir(path):  # as a user without read permission sees it (tests may run as root)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run("ingest", str(folder))
    assert code == 1
    assert "locked: folder skipped: Permission denied" in err
    assert "托格拉克乡" in out  # the readable files are stored all the same


def test_a_store_reached_through_a_symlink_stays_where_it_is(tmp_path):
    from lvzhi.cli import main
    real = tmp_path / "real" / "store.json"
    real.parent.mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["--db", str(link), "ingest", str(SEED)]) == 0
    assert main(["--db", str(link), "ingest", str(SAMPLES / "001_608acf05b3629a7f.txt")]) == 0
    assert link.is_symlink() and real.is_file()
    assert (real.parent / "store.json.items").is_dir()
    assert len(Store(link).documents()) == 2


def test_move_aside_takes_only_an_unusable_store(run, store_path, tmp_path):
    assert run("ingest", str(SEED))[0] == 0
    code, _, err = run("store", "--move-aside")
    assert code == 1 and "good store" in err
    assert store_path.is_file()
    from lvzhi.cli import main
    assert main(["--db", str(tmp_path), "store", "--move-aside"]) == 1  # a folder
    assert tmp_path.is_dir()


# --- signals: a real process, a real process group ----------------------------------------

def _copies(folder: Path, n: int) -> Path:
    folder.mkdir()
    data = SEED.read_bytes()
    for i in range(n):  # distinct bytes, distinct documents
        (folder / f"list{i:03d}.txt").write_bytes(data + b"\n" * (i + 1))
    return folder


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().split()[2] != "Z"


@pytest.mark.skipif(not shutil.which("pgrep") or not Path("/proc").exists(),
                    reason="needs pgrep and /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "SIGINT to the group"])
def test_a_signal_during_ingest_ends_the_workers_and_stores_nothing(tmp_path, how):
    folder = _copies(tmp_path / "docs", 60)
    store = tmp_path / "store.json"
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from lvzhi.cli import main; sys.exit(main())",
         "--db", str(store), "ingest", "-q", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while not _children(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert workers, "the ingest started no worker processes"
    time.sleep(0.3)
    if how == "SIGINT to the group":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(getattr(signal, how))
    _, err = process.communicate(timeout=20)
    err_text = err.decode("utf-8")
    assert process.returncode != 0
    assert "interrupted" in err_text and "Traceback" not in err_text, err_text
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]
    assert not store.exists()


def test_a_file_that_takes_too_long_is_refused_and_the_rest_stored(run, tmp_path,
                                                                    monkeypatch):
    from lvzhi.extractors.plaintext import PlainTextExtractor
    slow = tmp_path / "slow.txt"
    shutil.copy(SEED, slow)
    real = PlainTextExtractor.extract

    def extract(self, path):
        if path.name == "slow.txt":
            time.sleep(5)
        return real(self, path)

    monkeypatch.setattr(PlainTextExtractor, "extract", extract)
    monkeypatch.setenv("LVZHI_FILE_SECONDS", "0.5")
    start = time.monotonic()
    code, out, err = run("ingest", str(slow), str(SAMPLES / "002_3c77d26c45504101.txt"))
    assert time.monotonic() - start < 4
    assert code == 1 and "slow.txt: refused: extracting took over 0.5 s" in err
    assert "吐葫芦乡" in out


def _bomb_pdf(inflated: int) -> bytes:
    """One page whose content stream inflates to ``inflated`` bytes (of zeros)."""
    import zlib
    raw = zlib.compress(b"0" * inflated, 9)
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>",
              b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
              b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(raw) + raw
              + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1, xref)


def test_a_pdf_compression_bomb_is_refused_at_once(run, tmp_path):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_bomb_pdf(100 * 2**20))  # 100 KB on disk, 100 MB inflated
    start = time.monotonic()
    code, _, err = run("ingest", str(bomb))
    assert time.monotonic() - start < 5
    assert code == 1 and "bomb.pdf: a content stream inflates to over 64 MB" in err


def test_a_full_disk_while_ingesting_is_one_line_and_the_store_is_kept(run, store_path,
                                                                      monkeypatch):
    assert run("ingest", str(SEED))[0] == 0
    before = store_path.read_bytes()

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run("ingest", str(SAMPLES / "002_3c77d26c45504101.txt"))
    assert code == 1
    assert "cannot write the store" in err and "No space left on device" in err
    assert "Traceback" not in err
    assert store_path.read_bytes() == before


def test_a_store_folder_that_cannot_be_written_is_one_line(run, tmp_path, monkeypatch):
    from filelock import FileLock

    def denied(*_args, **_kwargs):  # as a user without write permission sees it
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(FileLock, "acquire", denied)
    code, _, err = run("ingest", str(SEED))
    assert code == 1 and "cannot write the store's folder" in err and "Permission denied" in err


def test_a_long_text_that_holds_no_list_is_refused_quickly(run, tmp_path):
    text = tmp_path / "novel.txt"
    text.write_text("这是一段很长的文字，没有任何清单。\n" * 400_000, encoding="utf-8")  # ~8 MB
    start = time.monotonic()
    code, _, err = run("ingest", str(text))
    assert code == 1 and "novel.txt" in err
    assert time.monotonic() - start < 20


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_copies_of_a_list_do_not_stall_the_layout_search(run, tmp_path, seed):
    """The plain-text extractor searches column layouts; a scrambled dump (two copies of a
    seed with their lines shuffled) once took minutes there. Right or wrong, it must end."""
    import random

    blocks = SEED.read_text(encoding="utf-8").split("\n\n")  # rows, headers, titles
    copies = []
    for n in range(2):
        shuffled = blocks[:]
        random.Random(seed * 10 + n).shuffle(shuffled)
        copies += shuffled
    path = tmp_path / "scrambled.txt"
    path.write_text("\n\n".join(copies), encoding="utf-8")
    start = time.monotonic()
    run("check", "--format", "plaintext", str(path))
    assert time.monotonic() - start < 3  # 0.3–0.4 s; 7 s before the search was bounded
