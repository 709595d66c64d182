"""Open an uploaded workbook safely and hand out its rows.

Every check that can refuse a file runs before python-calamine parses anything: the size,
the kind of file (by its first bytes, never by its name), and for a zip that it is an
OOXML package that does not inflate beyond the limits (declared sizes first, then the
actual inflated sizes, since a zip bomb may lie in its headers). Only then does calamine
open it; its errors become a ``WorkbookError`` with a message for the user.

What calamine (python-calamine 0.9.1) gives back, and so what ``Sheet.rows`` holds:

* numbers are ``float`` for .xlsx (``3`` reads ``3.0``); ``int`` only from some .xls/.ods;
* a date-formatted cell is a ``date`` when it has no time part, a ``datetime`` otherwise,
  a ``time`` below one day, and a ``timedelta`` for duration formats such as ``[h]:mm``;
* booleans are ``bool``; empty cells and error cells (``#DIV/0!``, ``#N/A``) are ``""``;
* a merged range holds its value in its top-left cell only; the other cells read ``""``.

Memory: calamine holds a whole sheet in native memory once it is loaded (about 80 bytes a
cell for a typical ledger); the row limit is checked on the loaded sheet's size, before any
row is read. The sheet's own <dimension> is not trusted for it: formatted empty cells widen
it, so it would refuse a sheet of a few hundred rows formatted down to row 1,048,576. The
upload and inflate limits bound what loading can cost. Rows are converted to Python one at
a time: no list of all rows is built.
"""

from __future__ import annotations

import io
import logging
import math
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal, TypeVar, cast

from django.utils.translation import gettext as _
from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

SniffKind = Literal["xlsx", "ole", "csv", "text", "html", "unknown"]

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
SNIFF_BYTES = 4096
# Binary formats whose first bytes could pass for text (a PDF's header is ASCII).
BINARY_SIGNATURES = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
)

# A real workbook has a few dozen parts; a zip with more is refused before it is listed.
MAX_ZIP_MEMBERS = 10_000
# Small parts compress well without being bombs: the ratio check starts above this size.
RATIO_FLOOR_BYTES = 1024 * 1024
INFLATE_CHUNK = 1024 * 1024

_OLE_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_OLE_STREAM_TYPES = (1, 2, 5)  # storage, stream, root


@dataclass(frozen=True)
class WorkbookLimits:
    """How large an upload may be, and how far it may inflate."""

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 200_000
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 200


DEFAULT_LIMITS = WorkbookLimits()


class WorkbookError(ValueError):
    """A workbook that cannot be imported, with a message telling the user what to do."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name, its rows (single pass) and how many rows it spans.

    ``rows`` starts at the sheet's first row, so the n-th row yielded (from 1) is the
    sheet's row n; empty rows inside the data come as ``[]``, trailing empty rows are
    dropped, and each row ends at its last non-empty cell (a missing cell reads as
    empty). Index 0 of a row is column A. To look at the first rows (header detection)
    and then go on with the rest, take them with ``itertools.islice`` from one iterator
    and ``itertools.chain`` them back: nothing is held twice. ``total_rows`` is the last
    row number of the sheet's used range, an upper bound for progress.
    """

    name: str
    rows: Iterator[list[object]]
    total_rows: int


def _not_workbook() -> WorkbookError:
    return WorkbookError(
        _("文件不是Excel工作簿（.xlsx）。请在Excel或WPS中另存为.xlsx后再导入。"), "not_workbook"
    )


def _damaged() -> WorkbookError:
    return WorkbookError(
        _(
            "文件已损坏或不完整（可能上传时中断），无法读取。"
            "请在Excel或WPS中打开确认无误，另存为.xlsx后重新上传。"
        ),
        "damaged",
    )


def _encrypted() -> WorkbookError:
    return WorkbookError(_("文件已加密（设置了打开密码），请取消密码后再导入。"), "encrypted")


def _bomb() -> WorkbookError:
    return WorkbookError(
        _(
            "文件解压后过大或压缩比异常，出于安全考虑拒绝导入。"
            "请确认文件来源，删除无关内容后另存为.xlsx再导入。"
        ),
        "zip_bomb",
    )


def _size_text(size: int) -> str:
    """A file size for people, rounded up so that a size over a limit never shows equal."""
    if size < 1024:
        return f"{size}字节"
    unit, scale = ("KB", 1024) if size < 1024 * 1024 else ("MB", 1024 * 1024)
    return f"{math.ceil(size * 10 / scale) / 10:.1f} {unit}"


# ---------------------------------------------------------------------------- sniffing


def _as_text(head: bytes) -> str | None:
    """The head decoded as text (UTF-16 with a BOM, UTF-8, GB18030), or None if binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    if b"\x00" in head:
        return None
    text: str | None = None
    for encoding in ("utf-8", "gb18030"):
        # The head may end inside a multi-byte character.
        for cut in range(4):
            try:
                text = head[: len(head) - cut].decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is not None:
            break
    if text is None:
        return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f\x1a")
    return None if controls > len(text) // 50 else text


def workbook_sniff(head: bytes) -> SniffKind:
    """What the first bytes of a file say it is.

    "xlsx" for a zip (an OOXML package or not: checked on opening), "ole" for an OLE2
    compound file (an old .xls, or an encrypted .xlsx: told apart on opening), "html" for
    a web page or XML table saved under an Excel name, "csv" and "text" for plain text.
    """
    if head.startswith(ZIP_SIGNATURES):
        return "xlsx"
    if head.startswith(OLE_SIGNATURE):
        return "ole"
    if head.startswith(BINARY_SIGNATURES):
        return "unknown"
    text = _as_text(head)
    if not text:
        return "unknown"
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<html", "<!doctype", "<table", "<?xml", "<head", "<meta")):
        return "html"
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1][:5]  # the last line may be cut short by the head's end
    for separator in (",", "\t", ";"):
        if lines and all(separator in line for line in lines):
            return "csv"
    return "text"


def _refuse_by_kind(kind: SniffKind) -> WorkbookError:
    if kind == "csv":
        return WorkbookError(
            _(
                "文件不是Excel工作簿（.xlsx），而是CSV文本（可能只是改了扩展名）。"
                "请在Excel或WPS中打开，另存为.xlsx后再导入。"
            ),
            "csv",
        )
    if kind == "text":
        return WorkbookError(
            _("文件不是Excel工作簿（.xlsx），而是纯文本。请在Excel或WPS中另存为.xlsx后再导入。"),
            "text",
        )
    if kind == "html":
        return WorkbookError(
            _(
                "文件是网页或XML格式的表格（常见于其他系统导出的“Excel”），不是真正的Excel工作簿。"
                "请在Excel或WPS中打开，另存为.xlsx后再导入。"
            ),
            "html",
        )
    return _not_workbook()


# ------------------------------------------------------------------------ OLE2 (.xls)


@dataclass(frozen=True)
class _OleEntry:
    kind: int
    start: int
    size: int


class _CompoundFile:
    """Just enough of an OLE2 compound file (MS-CFB) to list it and peek into a stream."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        handle.seek(0)
        header = handle.read(512)
        if len(header) < 512:
            raise _damaged()
        shift = struct.unpack_from("<H", header, 0x1E)[0]
        if shift not in (9, 12):
            raise _damaged()
        self._handle, self._size = handle, size
        self._sector_size = 1 << shift
        self._sector_total = size // self._sector_size + 1
        fat_count, directory_start = struct.unpack_from("<II", header, 0x2C)
        self._mini_cutoff = struct.unpack_from("<I", header, 0x38)[0]
        difat_next, difat_count = struct.unpack_from("<II", header, 0x44)
        if fat_count > self._sector_total or difat_count > self._sector_total:
            raise _damaged()
        fat_sectors = [
            s for s in struct.unpack_from("<109I", header, 0x4C) if s <= _OLE_MAX_REGULAR_SECTOR
        ]
        for _step in range(difat_count):
            if len(fat_sectors) >= fat_count or difat_next > _OLE_MAX_REGULAR_SECTOR:
                break
            entries = self._numbers(self._sector(difat_next))
            fat_sectors.extend(s for s in entries[:-1] if s <= _OLE_MAX_REGULAR_SECTOR)
            difat_next = entries[-1]
        self._fat: list[int] = []
        for number in fat_sectors[:fat_count]:
            self._fat.extend(self._numbers(self._sector(number)))
        self.entries: dict[str, _OleEntry] = {}
        directory = b"".join(self._sector(n) for n in self._chain(directory_start))
        for offset in range(0, len(directory), 128):
            name_length, kind = struct.unpack_from("<HB", directory, offset + 0x40)
            if kind not in _OLE_STREAM_TYPES or not 2 <= name_length <= 64:
                continue
            name = directory[offset : offset + name_length - 2].decode("utf-16-le", "replace")
            start, length = struct.unpack_from("<IQ", directory, offset + 0x74)
            self.entries[name] = _OleEntry(kind, start, length)

    def _numbers(self, data: bytes) -> list[int]:
        return list(struct.unpack(f"<{len(data) // 4}I", data))

    def _sector(self, number: int, *, whole: bool = True) -> bytes:
        offset = (number + 1) * self._sector_size
        if number > _OLE_MAX_REGULAR_SECTOR or offset >= self._size:
            raise _damaged()
        if whole and offset + self._sector_size > self._size:
            raise _damaged()
        self._handle.seek(offset)
        return self._handle.read(self._sector_size).ljust(self._sector_size, b"\0")

    def _chain(self, start: int) -> Iterator[int]:
        """Sector numbers from ``start`` along the FAT; a loop is damage."""
        table = self._fat
        current = start
        for _step in range(self._sector_total):
            if current > _OLE_MAX_REGULAR_SECTOR:
                return
            yield current
            if current >= len(table):
                raise _damaged()
            current = table[current]
        raise _damaged()

    def stream_head(self, entry: _OleEntry, length: int) -> bytes:
        """Up to ``length`` bytes from the start of a stream (b"" for one in the mini stream).

        Excel pads a workbook stream to at least 4096 bytes, so it is never a mini stream.
        """
        if entry.size < self._mini_cutoff or entry.start > _OLE_MAX_REGULAR_SECTOR:
            return b""
        return self._sector(entry.start, whole=False)[: min(length, entry.size)]


def _biff_encrypted(head: bytes) -> bool:
    """Whether a BIFF workbook stream carries a FILEPASS record (it follows the BOF)."""
    offset = 0
    while offset + 4 <= len(head):
        kind, length = struct.unpack_from("<HH", head, offset)
        if kind == 0x002F:
            return True
        if kind == 0x000A:  # EOF of the globals
            return False
        offset += 4 + length
    return False


def _ole_check(handle: BinaryIO, size: int) -> None:
    """Let an old .xls through; refuse an encrypted .xlsx or .xls, or another Office file."""
    ole = _CompoundFile(handle, size)
    if "EncryptedPackage" in ole.entries:
        raise _encrypted()
    stream = ole.entries.get("Workbook") or ole.entries.get("Book")
    if stream is None or stream.kind != 2:
        raise WorkbookError(
            _("文件是Office旧格式文档，但不是Excel工作簿。请上传.xlsx文件。"), "not_workbook"
        )
    # calamine turns an encrypted .xls read from memory into "cannot detect file format".
    if _biff_encrypted(ole.stream_head(stream, 256)):
        raise _encrypted()


# --------------------------------------------------------------------------- zip (.xlsx)


def _zip_member_count(handle: BinaryIO, size: int) -> int | None:
    """The entry count from the end-of-central-directory record (None for ZIP64 or none)."""
    tail_size = min(size, 22 + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    count = int(struct.unpack_from("<H", tail, at + 10)[0])
    return None if count == 0xFFFF else count


def _refuse_other_package(archive: zipfile.ZipFile, names: set[str]) -> WorkbookError:
    if "xl/workbook.bin" in names:
        return WorkbookError(
            _("文件是Excel二进制工作簿（.xlsb），请在Excel中另存为.xlsx后再导入。"), "xlsb"
        )
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            return WorkbookError(
                _("文件是OpenDocument表格（.ods），请在Excel或WPS中另存为.xlsx后再导入。"), "ods"
            )
    if "word/document.xml" in names:
        return WorkbookError(
            _("文件是Word文档，不是Excel工作簿。请上传.xlsx文件。"), "not_workbook"
        )
    return WorkbookError(
        _("文件是压缩包，不是Excel工作簿（.xlsx）。请上传Excel文件本身，不要压缩。"),
        "not_workbook",
    )


def _inflated_size(handle: BinaryIO, info: zipfile.ZipInfo, cap: int) -> int:
    """Inflate one member without keeping it, stopping once it passes ``cap`` bytes."""
    handle.seek(info.header_offset)
    local = handle.read(30)
    if len(local) < 30 or not local.startswith(b"PK\x03\x04"):
        raise _damaged()
    name_length, extra_length = struct.unpack_from("<HH", local, 26)
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        return left
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        while left > 0 and not inflater.eof:
            chunk = handle.read(min(left, INFLATE_CHUNK))
            if not chunk:
                raise _damaged()
            left -= len(chunk)
            while chunk and produced <= cap:
                produced += len(inflater.decompress(chunk, INFLATE_CHUNK))
                chunk = inflater.unconsumed_tail
            if produced > cap:
                return produced
        produced += len(inflater.flush())
    except zlib.error:
        raise _damaged() from None
    return produced


def _zip_check(handle: BinaryIO, size: int, limits: WorkbookLimits) -> None:
    """Refuse a zip that is not an OOXML workbook, or that inflates too far."""
    count = _zip_member_count(handle, size)
    if count is not None and count > MAX_ZIP_MEMBERS:
        raise _bomb()
    try:
        handle.seek(0)
        archive = zipfile.ZipFile(handle)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _damaged() from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise _bomb()
    names = {m.filename for m in members}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise _refuse_other_package(archive, names)
    if any(m.flag_bits & 0x1 for m in members):
        raise _encrypted()
    if sum(m.file_size for m in members) > limits.max_uncompressed_bytes:
        raise _bomb()
    for member in members:
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise _bomb()
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged()
    # The headers may lie: inflate each part (without keeping it) to count its real size.
    budget = limits.max_uncompressed_bytes
    for member in members:
        real = _inflated_size(handle, member, cap=min(member.file_size, budget))
        if real > member.file_size or real > budget:
            raise _bomb()
        if real != member.file_size:
            raise _damaged()
        budget -= real


# ---------------------------------------------------------------------------- opening


def _calamine_call(call: Callable[[], T], *, sheet: str | None = None) -> T:
    """Run one calamine call, its failures (a Rust panic included) as a WorkbookError."""
    try:
        return call()
    except PasswordError:
        raise _encrypted() from None
    except Exception as exc:
        logger.info("calamine could not read the workbook (sheet %r): %r", sheet, exc)
        raise _damaged() from None
    except BaseException as exc:  # pyo3 turns a Rust panic into a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        logger.warning("calamine panicked on a workbook (sheet %r): %r", sheet, exc)
        raise _damaged() from None


def _rows(sheet: CalamineSheet, start_column: int) -> Iterator[list[object]]:
    """The sheet's rows from its first row, trailing empty cells and rows dropped."""
    # python-calamine's iter_rows() pads the rows above the used range but starts each
    # row at the range's first column: the columns before it are put back here.
    padding: list[object] = [""] * start_column
    empty_run = 0
    for raw in sheet.iter_rows():
        end = len(raw)
        while end and raw[end - 1] == "":
            end -= 1
        if not end:
            empty_run += 1
            continue
        for _blank in range(empty_run):
            yield []
        empty_run = 0
        row = cast("list[object]", raw[:end] if end < len(raw) else raw)
        yield padding + row if padding else row


class Workbook:
    """An opened workbook: its visible worksheets, each read on demand."""

    def __init__(self, book: CalamineWorkbook, limits: WorkbookLimits) -> None:
        self._book = book
        self._limits = limits
        self._index = {m.name: i for i, m in enumerate(book.sheets_metadata)}
        self.sheet_names: list[str] = [
            m.name
            for m in book.sheets_metadata
            if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
        ]

    def sheet(self, index_or_name: int | str = 0) -> Sheet:
        """A visible worksheet by position or name; 0 is the first visible one with data.

        Raises ``WorkbookError`` when the sheet is missing, empty, or has more rows than
        the limit (checked before any row is read).
        """
        if isinstance(index_or_name, str):
            if index_or_name not in self.sheet_names:
                raise WorkbookError(
                    _("工作簿中没有名为“%(name)s”的工作表。") % {"name": index_or_name},
                    "no_sheet",
                )
            return self._load(index_or_name)
        if not self.sheet_names:
            raise WorkbookError(_("工作簿中没有可见的工作表。"), "no_sheet")
        if not 0 <= index_or_name < len(self.sheet_names):
            raise WorkbookError(
                _("工作簿只有%(count)d个可见的工作表。") % {"count": len(self.sheet_names)},
                "no_sheet",
            )
        if index_or_name > 0:
            return self._load(self.sheet_names[index_or_name])
        for name in self.sheet_names:
            try:
                return self._load(name)
            except WorkbookError as exc:
                if exc.code != "empty_sheet":
                    raise
                if len(self.sheet_names) == 1:
                    raise  # name the one sheet there is
        raise WorkbookError(_("工作簿中的工作表都是空的，没有可导入的数据。"), "empty_sheet")

    def _too_many_rows(self, name: str, rows: int) -> WorkbookError:
        return WorkbookError(
            _("工作表“%(name)s”有%(rows)d行，超过单次导入上限%(limit)d行，请分批导入。")
            % {"name": name, "rows": rows, "limit": self._limits.max_rows},
            "too_many_rows",
        )

    def _load(self, name: str) -> Sheet:
        index = self._index[name]
        loaded = _calamine_call(lambda: self._book.get_sheet_by_index(index), sheet=name)
        empty = WorkbookError(_("工作表“%(name)s”是空的。") % {"name": name}, "empty_sheet")
        if loaded.height == 0 or loaded.start is None or loaded.end is None:
            raise empty
        if loaded.height > self._limits.max_rows:
            raise self._too_many_rows(name, loaded.height)
        rows = _rows(loaded, loaded.start[1])
        # Cells holding only "" make a used range with nothing in it. _rows() yields no
        # trailing empty rows, so a sheet with any value yields at least one row.
        first = next(rows, None)
        if first is None:
            raise empty
        return Sheet(name=name, rows=_chain_first(first, rows), total_rows=loaded.end[0] + 1)

    def close(self) -> None:
        """Free the workbook's native memory (sheets already handed out stay readable)."""
        self._book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _chain_first(first: list[object], rest: Iterator[list[object]]) -> Iterator[list[object]]:
    yield first
    yield from rest


def _seekable(source: BinaryIO | bytes, limits: WorkbookLimits) -> tuple[BinaryIO, int]:
    """The source as a seekable binary file, and its size."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source), len(source)
    if source.seekable():
        source.seek(0, io.SEEK_END)
        size = source.tell()
        source.seek(0)
        return source, size
    data = source.read(limits.max_bytes + 1)
    return io.BytesIO(data), len(data)


def workbook_open(
    source: BinaryIO | bytes | Path, *, limits: WorkbookLimits = DEFAULT_LIMITS
) -> Workbook:
    """Check an uploaded file and open it as a workbook, or raise ``WorkbookError``.

    The checks run in this order, all before calamine parses anything: the size; the kind
    of file from its first bytes; for a zip, that it is an OOXML workbook and does not
    inflate beyond the limits; for an OLE2 file, that it is an .xls and not encrypted.
    """
    if isinstance(source, Path):
        with source.open("rb") as file:
            return workbook_open(file, limits=limits)
    handle, size = _seekable(source, limits)
    if size == 0:
        raise WorkbookError(_("文件是空的（0字节），请检查后重新上传。"), "empty_file")
    if size > limits.max_bytes:
        raise WorkbookError(
            _("文件大小为%(size)s，超过上限%(limit)s。请删除无关的工作表或内容，或分批导入。")
            % {"size": _size_text(size), "limit": _size_text(limits.max_bytes)},
            "too_large",
        )
    handle.seek(0)
    kind = workbook_sniff(handle.read(SNIFF_BYTES))
    if kind == "xlsx":
        _zip_check(handle, size, limits)
    elif kind == "ole":
        _ole_check(handle, size)
    else:
        raise _refuse_by_kind(kind)
    handle.seek(0)
    book = _calamine_call(lambda: CalamineWorkbook.from_filelike(handle))
    return Workbook(book, limits)
