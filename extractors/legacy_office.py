"""Old binary Word and Kingsoft WPS files (``.doc``, ``.wps``, and WPS spreadsheets ``.et``).

No maintained Python library reads these formats. When LibreOffice is installed (``soffice``
on the PATH), the file is converted into a temporary folder (``.doc``/``.wps`` to .docx,
``.et`` to .xlsx) and read by the Word or Excel reader; otherwise, and when the conversion
fails, the error says how to get a file lvzhi reads.

Each conversion runs with its own LibreOffice profile in the temporary folder, so a
LibreOffice the user has open, or another conversion running at the same time, cannot block
it, and it is stopped (the whole process group) when it takes longer than ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from lvzhi.extractor import ExtractionError, Extractor
from lvzhi.extractors._office import OLE2_MAGIC
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument

# Seconds: a list converts in a few seconds, a hung conversion never ends. Under ingest's
# budget for a whole file (120 s), so that the error says what took the time.
TIMEOUT = 90
_SPREADSHEETS = (".et",)


def refusal(path: Path) -> ExtractionError:
    target = ".xlsx" if path.suffix.lower() in _SPREADSHEETS else ".docx"
    return ExtractionError(f"a legacy Word/WPS file ({path.suffix}): save it as {target} in "
                           f"Word, WPS or LibreOffice and ingest that (or install LibreOffice: "
                           f"lvzhi then converts it itself)")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _stop(process: subprocess.Popen) -> None:
    """End a conversion and its children (soffice runs soffice.bin as a child)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def convert(program: str, path: Path, folder: Path, target: str) -> Path:
    """``path`` converted by LibreOffice into ``folder`` as ``target`` (docx, xlsx)."""
    command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
               "--norestore", "--convert-to", target, "--outdir", str(folder), str(path)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise ExtractionError(f"LibreOffice could not be started: {exc}") from exc
    try:
        _, errors = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        _stop(process)
        raise ExtractionError(f"LibreOffice took more than {TIMEOUT} s to convert the file; "
                              f"save it as .{target} yourself and ingest that") from exc
    except BaseException:  # ingest's time budget, Ctrl-C: no LibreOffice left behind
        _stop(process)
        raise
    converted = folder / f"{path.stem}.{target}"
    if not converted.is_file():
        detail = " ".join(errors.decode("utf-8", "replace").split())[:120]
        raise ExtractionError(f"LibreOffice could not convert the file to .{target}"
                              + (f" ({detail})" if detail else "")
                              + f"; save it as .{target} yourself and ingest that")
    return converted


class LegacyOfficeExtractor(Extractor):
    name = "legacy_office"
    version = "1.0"
    description = "old Word .doc and WPS .wps/.et: converted by LibreOffice if installed"
    extensions = (".doc", ".wps", ".et")

    def sniff(self, path: Path, head: bytes) -> float:
        if path.suffix.lower() not in self.extensions:
            return 0.0
        return 0.9 if head.startswith(OLE2_MAGIC) else 0.5

    def extract(self, path: Path) -> ExtractedDocument:
        program = soffice()
        if program is None:
            raise refusal(path)
        spreadsheet = path.suffix.lower() in _SPREADSHEETS
        with tempfile.TemporaryDirectory(prefix="lvzhi-convert-") as folder:
            converted = convert(program, path.resolve(), Path(folder),
                                "xlsx" if spreadsheet else "docx")
            if spreadsheet:
                from lvzhi.extractors.xlsx import XlsxExtractor

                return XlsxExtractor().extract(converted)
            from lvzhi.extractors.docx import DocxExtractor

            return DocxExtractor().extract(converted)


@hookimpl
def register_extractors(register):
    register(LegacyOfficeExtractor())
