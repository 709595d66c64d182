"""What an uploaded file really is, judged by its content (magic bytes), not by its name.

Pure: no Django. Photos are JPEG, PNG or WebP; documents are PDF, Word (docx) or Excel
(xlsx). A docx or xlsx is a zip whose entries name its kind (``word/`` or ``xl/``), so a
renamed zip or an old binary .doc is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_LABEL = "10 MB"
PHOTO = "photo"
DOCUMENT = "document"


@dataclass(frozen=True)
class FileType:
    kind: str  # PHOTO or DOCUMENT
    extension: str
    content_type: str


JPEG = FileType(PHOTO, "jpg", "image/jpeg")
PNG = FileType(PHOTO, "png", "image/png")
WEBP = FileType(PHOTO, "webp", "image/webp")
PDF = FileType(DOCUMENT, "pdf", "application/pdf")
DOCX = FileType(
    DOCUMENT,
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileType(
    DOCUMENT, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
ALLOWED_LABEL = "jpg、png、webp、pdf、docx、xlsx"


def _office_kind(content: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def sniff(content: bytes) -> FileType | None:
    """The allowed type this content is, or None."""
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        return _office_kind(content)
    return None


def upload_error(*, name: str, size: int, content: bytes) -> str | None:
    """Why this upload is refused (in Chinese, naming the file), or None if acceptable."""
    if size == 0:
        return f"文件“{name}”是空文件。"
    if size > MAX_BYTES:
        return f"文件“{name}”超过 {MAX_LABEL} 的大小限制。"
    found = sniff(content)
    if found is None:
        return f"文件“{name}”不是允许的类型（仅限 {ALLOWED_LABEL}），系统按文件内容判断。"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "jpeg":
        extension = "jpg"
    if extension != found.extension:
        return f"文件“{name}”的扩展名与内容不符（内容为 {found.extension}）。"
    return None
