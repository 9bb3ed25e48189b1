"""What the Word and Excel readers share: checking a file is the package its name says before
a library opens it, and cell text as the table assembler wants it.

Office files fail in a few typical ways, each of which would otherwise surface as a library's
exception: a text or HTML file saved with a .docx/.xlsx name, a download cut short (a zip
without its central directory), a password-protected file (Office then writes an OLE2 compound
file holding an ``EncryptedPackage`` stream, whatever the extension), an old binary file
renamed, or a zip that unpacks to gigabytes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from explorer.extractor import ExtractionError

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Streams of an encrypted OOXML package (MS-OFFCRYPTO), as named in the OLE2 directory.
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"),
                      "EncryptionInfo".encode("utf-16-le"))
# A duty list of a few hundred rows unpacks to a few MB; far more is a zip bomb, not a list.
MAX_UNPACKED = 512 * 1024 * 1024
_SPACES_RE = re.compile(r"\s+")
_FAMILIES = {"word": "a Word document", "xl": "an Excel workbook",
             "ppt": "a PowerPoint presentation"}


def clean_text(text: str) -> str:
    """Runs of whitespace made one space, ends stripped; nothing else changed."""
    return _SPACES_RE.sub(" ", text).strip()


def is_encrypted_ole2(path: Path) -> bool:
    """Whether an OLE2 compound file holds an encrypted Office package (or an encrypted
    workbook stream: the streams are named in the directory, anywhere in the file)."""
    data = path.read_bytes()
    return any(name in data for name in _ENCRYPTED_STREAMS)


def check_package(path: Path, family: str, what: str) -> None:
    """Raise ``ExtractionError`` unless ``path`` is an Office zip package of ``family``
    (``word``, ``xl``: the folder its parts stand in) that unpacks to a sane size. ``what``
    names the format in messages (``a Word .docx file``)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise ExtractionError("the file is empty")
    if head.startswith(OLE2_MAGIC):
        if is_encrypted_ole2(path):
            raise ExtractionError("the file is password-protected or encrypted: open it, remove "
                                  "the password (File › Info › Protect) and save it again")
        raise ExtractionError(f"not {what}: it is an old binary Office file (.doc/.xls) with "
                              f"a {path.suffix} name; save it in the new format or rename it")
    if not head.startswith(ZIP_MAGIC):
        raise ExtractionError(f"not {what}: the file is not a zip package (a text or web page "
                              f"saved with a {path.suffix} name?)")
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ExtractionError(f"the {path.suffix} package is damaged or truncated (the "
                              f"download or copy was probably cut short): {exc}") from exc
    names = {info.filename for info in members}
    folders = {name.split("/", 1)[0] for name in names}
    if "[Content_Types].xml" not in names or family not in folders:
        kind = next((label for folder, label in _FAMILIES.items() if folder in folders
                     and "[Content_Types].xml" in names), "a zip archive, not an Office file")
        raise ExtractionError(f"not {what}: the package is {kind}")
    unpacked = sum(info.file_size for info in members)
    if unpacked > MAX_UNPACKED:
        raise ExtractionError(f"the package unpacks to {unpacked // 2**20} MB: not read "
                              "(far more than any duty list; a damaged or hostile file?)")


def damaged(path: Path, exc: BaseException) -> ExtractionError:
    """The one-line error for a package a library could not read."""
    detail = " ".join(str(exc).split())[:120] or type(exc).__name__
    return ExtractionError(f"the {path.suffix} file is damaged and cannot be read "
                           f"({type(exc).__name__}: {detail})")
