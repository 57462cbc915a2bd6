"""Uploaded plan files, before they reach the readers: at most the size limit is read, and what is plainly
not a document we read (an image, an archive, a spreadsheet, a legacy Office file) is refused by its
content, whatever its name says. Everything else goes to ``services.ingest`` and its readers, which say
precisely why a file they cannot read is unreadable.
"""

from __future__ import annotations

import io
import zipfile

from fastapi import UploadFile

from innocity.errors import DocumentError

from .errors import PayloadTooLarge, UnsupportedMediaType

CHUNK = 1 << 20
MAX_MEMBER = 64 * 2**20  # one part of a Word package, inflated (a long plan's document.xml is a few MB)
MAX_UNZIPPED = 256 * 2**20  # the whole package, images included
ACCEPT = ".txt,.htm,.html,.docx,.pdf,text/plain,text/html,application/pdf," \
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_REFUSED: list[tuple[bytes, str]] = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word/Excel（97-2003）文件，请另存为 .docx 后上传"),
    (b"{\\rtf", "RTF 文档，请另存为 .docx 后上传"),
    (b"\x89PNG", "图片文件（PNG）不是方案文本；扫描件请先转为文字"),
    (b"\xff\xd8\xff", "图片文件（JPEG）不是方案文本；扫描件请先转为文字"),
    (b"GIF8", "图片文件（GIF）不是方案文本"),
    (b"\x1f\x8b", "压缩包（gzip）不能直接上传，请解压后上传其中的文件"),
    (b"7z\xbc\xaf\x27\x1c", "压缩包（7z）不能直接上传，请解压后上传其中的文件"),
    (b"Rar!", "压缩包（RAR）不能直接上传，请解压后上传其中的文件"),
    (b"\x7fELF", "程序文件不是方案文本"),
    (b"MZ\x90\x00", "程序文件不是方案文本"),
]


def read_limited(file: UploadFile, limit: int) -> bytes:
    """The file's bytes, refusing it (413) as soon as more than ``limit`` have been read (called from a
    worker thread: the spooled file is read synchronously)."""
    buf = bytearray()
    file.file.seek(0)
    while chunk := file.file.read(CHUNK):
        buf += chunk
        if len(buf) > limit:
            raise PayloadTooLarge(
                f"文件“{file.filename or ''}”超过上传上限 {limit / 10**6:g} MB", field="file"
            )
    return bytes(buf)


def check_type(data: bytes, name: str) -> None:
    """Refuse (415) content that is no plan document, by its first bytes; a zip must be a Word package."""
    head = data[:16]
    for magic, reason in _REFUSED:
        if head.startswith(magic):
            raise UnsupportedMediaType(f"{name}：{reason}", field="file")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:  # reads the directory only, nothing is inflated
                members = zf.infolist()
        except (zipfile.BadZipFile, ValueError):
            return  # damaged: the reader explains what is wrong with it
        names = {m.filename for m in members}
        # zipfile never inflates a member past its declared size (it stops and fails the CRC), so the
        # directory bounds what reading the package can cost: refuse a bomb before anything is inflated
        biggest = max((m.file_size for m in members), default=0)
        if biggest > MAX_MEMBER or sum(m.file_size for m in members) > MAX_UNZIPPED:
            raise DocumentError(
                f"{name}：解压后过大（{biggest / 2**20:.0f} MB），疑似压缩炸弹，已拒绝", field="file"
            )
        if "word/document.xml" not in names:
            kind = "Excel 表格" if any(n.startswith("xl/") for n in names) else "压缩包"
            raise UnsupportedMediaType(f"{name}：{kind}不是方案文档（支持 .txt、.html、.docx、.pdf）", field="file")
