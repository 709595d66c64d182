"""Checking evidence uploads (pure apart from Django's settings): size, extension, content."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Extension → (content type, leading bytes the file must start with).
_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED = {
    ".pdf": ("application/pdf", (_PDF,)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".ofd": ("application/ofd", (_ZIP,)),
}


def evidence_check(upload: UploadedFile) -> str:
    """Return the file's content type, or raise a ValidationError naming the problem."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            {
                "file": _("不支持的文件类型“%(ext)s”，仅允许：%(allowed)s。")
                % {"ext": suffix or name, "allowed": "、".join(sorted(ALLOWED))}
            }
        )
    size = upload.size or 0
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _("文件过大（%(size).1f MB），上限为 %(limit)d MB。")
                % {"size": size / 1048576, "limit": limit // 1048576}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("文件为空。")})
    content_type, signatures = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            {"file": _("文件内容与扩展名“%s”不符，可能是改了扩展名的其他文件。") % suffix}
        )
    return content_type
