"""Old Word .doc and WPS .wps/.et: a one-line refusal without LibreOffice, a conversion with it
(run only where ``soffice`` is installed), and conversions that hang or fail."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lvzhi.extractors import legacy_office
from lvzhi.extractors.legacy_office import LegacyOfficeExtractor
from lvzhi.ingest import IngestError
from tests.extractors.office_checks import XINJIANG, assert_exact, read
from tests.layouts import render_docx, render_xls
from tests.layouts.truth import SEEDS, Layout, expected, score

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SOFFICE = shutil.which("soffice")


def fake_soffice(folder: Path, script: str) -> None:
    """A ``soffice`` on a PATH of its own that runs ``script`` (sh)."""
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    program.chmod(0o755)


@pytest.mark.parametrize(("name", "target"), [("list.doc", ".docx"), ("list.wps", ".docx"),
                                              ("list.et", ".xlsx")])
def test_without_libreoffice_the_file_is_refused_in_one_line(tmp_path, monkeypatch, name,
                                                             target):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(IngestError) as error:
        read(tmp_path / name, OLE2 + bytes(1000))
    message = str(error.value)
    assert f"a legacy Word/WPS file ({name[4:]}): save it as {target}" in message
    assert "[legacy_office]" in message and "\n" not in message


def test_a_conversion_that_hangs_is_stopped(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_soffice(bin_dir, "sleep 30")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(legacy_office, "TIMEOUT", 1)
    with pytest.raises(IngestError, match="took more than 1 s to convert"):
        read(tmp_path / "list.doc", OLE2 + bytes(1000))


def test_ingest_time_budget_leaves_no_converter_running(tmp_path, monkeypatch):
    """The file budget (LVZHI_FILE_SECONDS) ends the extraction mid-conversion: the
    converter's whole process group goes with it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_soffice(bin_dir, f"sleep 30 & echo $! > {tmp_path / 'pid'}; wait")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("LVZHI_FILE_SECONDS", "1")
    with pytest.raises(IngestError, match="extracting took over 1 s"):
        read(tmp_path / "list.doc", OLE2 + bytes(1000))
    pid = int((tmp_path / "pid").read_text())
    status = Path(f"/proc/{pid}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()  # gone, or a zombie


def test_a_conversion_that_writes_nothing_says_so(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_soffice(bin_dir, "echo 'Error: source file could not be loaded' >&2")
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(IngestError) as error:
        read(tmp_path / "list.doc", OLE2 + bytes(1000))
    assert ("LibreOffice could not convert the file to .docx (Error: source file could not be "
            "loaded)") in str(error.value)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_doc_is_converted_and_read(tmp_path):
    """A .docx saved as .doc by LibreOffice, then read back through the conversion."""
    layout = Layout(place=XINJIANG, categories="merged", two_row_header=True,
                    receiver_split=True, rows=8)
    truth = expected(SEEDS[0], layout)
    source = tmp_path / "list.docx"
    source.write_bytes(render_docx.render(truth, layout))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "doc", "--outdir", str(tmp_path / "doc"), str(source)], check=True,
                   capture_output=True, timeout=180)
    path = tmp_path / "doc" / "list.doc"
    extraction = read(path, path.read_bytes())
    assert extraction.extractor == "legacy_office"
    doc = extraction.document
    assert_exact(score(extraction.items, truth, place=(doc.prefecture, doc.county,
                                                       doc.township)), extraction, layout)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_an_et_workbook_is_converted_and_read(tmp_path):
    """WPS spreadsheets: LibreOffice opens them by content (here a BIFF workbook named .et)."""
    layout = Layout(place=XINJIANG, categories="section", rows=6)
    truth = expected(SEEDS[2], layout)
    extraction = read(tmp_path / "list.et", render_xls.render(truth, layout))
    doc = extraction.document
    assert_exact(score(extraction.items, truth, place=(doc.prefecture, doc.county,
                                                       doc.township)), extraction, layout)


def test_sniff(tmp_path):
    sniff = LegacyOfficeExtractor().sniff
    assert sniff(tmp_path / "a.doc", OLE2) >= 0.9
    assert sniff(tmp_path / "a.WPS", OLE2) >= 0.9
    assert 0 < sniff(tmp_path / "a.doc", b"{\\rtf1") < 0.9  # RTF or HTML saved as .doc
    assert sniff(tmp_path / "a.docx", OLE2) == sniff(tmp_path / "a.xls", OLE2) == 0

