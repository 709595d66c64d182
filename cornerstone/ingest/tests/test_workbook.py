"""Opening an uploaded workbook: every bad input refused with a clear message, rows streamed.

Fixtures are built here: workbooks with XlsxWriter, odd archives with zipfile, and the two
OLE2 files (an encrypted .xlsx, an old .xls) with a minimal compound-file writer below,
since neither can be made with the project's dependencies.
"""

from __future__ import annotations

import datetime
import io
import random
import struct
import zipfile
from collections.abc import Callable
from itertools import chain, islice
from pathlib import Path

import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from cornerstone.ingest.workbook import (
    Workbook,
    WorkbookError,
    WorkbookLimits,
    workbook_open,
    workbook_sniff,
)

# ------------------------------------------------------------------------------ builders


def xlsx_build(path: Path, *sheets: tuple[str, Callable[[Worksheet], None]]) -> Path:
    """Write a workbook whose sheets are filled by the given callables."""
    book = xlsxwriter.Workbook(str(path))
    for name, fill in sheets:
        fill(book.add_worksheet(name))
    book.close()
    return path


def rows_write(rows: list[list[object]]) -> Callable[[Worksheet], None]:
    """Fill a sheet with rows from A1."""

    def fill(sheet: Worksheet) -> None:
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)

    return fill


def zip_build(path: Path, members: dict[str, bytes]) -> Path:
    """Write a zip archive with the given members, deflated."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def zip_rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """Copy a zip, passing every member through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return target


def zip_sizes_declare(data: bytes, name: str, size: int) -> bytes:
    """Make a zip's headers (local and central) declare another uncompressed size."""
    patched = bytearray(data)
    raw = name.encode()
    local = patched.find(b"PK\x03\x04")
    while local >= 0:
        if patched[local + 30 : local + 30 + len(raw)] == raw:
            struct.pack_into("<I", patched, local + 22, size)
            break
        local = patched.find(b"PK\x03\x04", local + 4)
    central = patched.find(b"PK\x01\x02")
    while central >= 0:
        if patched[central + 46 : central + 46 + len(raw)] == raw:
            struct.pack_into("<I", patched, central + 24, size)
            break
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


OOXML_SKELETON = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
}

_END_OF_CHAIN, _FREE, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def cfb_build(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (MS-CFB v3) holding up to three root streams.

    Each stream is padded to 4096 bytes, so that all live in regular sectors (no mini
    stream): one FAT sector, one directory sector, then the streams one after another.
    """
    assert len(streams) <= 3
    fat = [_FREE] * (_SECTOR // 4)
    fat[0], fat[1] = _FAT_SECTOR, _END_OF_CHAIN
    placed: list[tuple[str, int, int]] = []
    blobs: list[bytes] = []
    next_sector = 2
    for name, data in streams.items():
        size = max(len(data), 4096)
        count = -(-size // _SECTOR)
        for i in range(count):
            fat[next_sector + i] = next_sector + i + 1 if i < count - 1 else _END_OF_CHAIN
        placed.append((name, next_sector, size))
        blobs.append(data.ljust(count * _SECTOR, b"\0"))
        next_sector += count

    def entry(name: str, kind: int, *, child: int, right: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, _NO_STREAM, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    entries = [entry("Root Entry", 5, child=1, right=_NO_STREAM, start=_END_OF_CHAIN, size=0)]
    for i, (name, start, size) in enumerate(placed):
        right = i + 2 if i + 1 < len(placed) else _NO_STREAM
        entries.append(entry(name, 2, child=_NO_STREAM, right=right, start=start, size=size))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9I", 0, 1, 1, 0, 4096, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0)
        + struct.pack("<109I", 0, *([_FREE] * 108))
    )
    directory = b"".join(entries).ljust(_SECTOR, b"\0")
    return header + struct.pack(f"<{_SECTOR // 4}I", *fat) + directory + b"".join(blobs)


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def xls_build(
    rows: list[list[str | float]], *, sheet: str = "Sheet1", password: bool = False
) -> bytes:
    """A minimal BIFF8 .xls: one sheet of strings (shared) and numbers."""
    strings: list[str] = []
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                if value not in strings:
                    strings.append(value)
                cells += _record(0x00FD, struct.pack("<HHHI", r, c, 0, strings.index(value)))
            else:
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings
    )
    bof_globals = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    # FILEPASS, RC4 CryptoAPI: what Excel writes for a password to open.
    filepass = _record(0x002F, struct.pack("<HHH", 1, 2, 2) + bytes(200)) if password else b""

    def globals_at(position: int) -> bytes:
        name = struct.pack("<IBBBB", position, 0, 0, len(sheet), 1) + sheet.encode("utf-16-le")
        return (
            bof_globals
            + filepass
            + _record(0x0042, struct.pack("<H", 1200))
            + _record(0x0085, name)
            + _record(0x00FC, sst)
            + _record(0x000A)
        )

    width = max((len(row) for row in rows), default=0)
    worksheet = (
        _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
        + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        + cells
        + _record(0x000A)
    )
    return cfb_build({"Workbook": globals_at(len(globals_at(0))) + worksheet})


def refused(source: Path | bytes, limits: WorkbookLimits | None = None) -> WorkbookError:
    """Open a workbook (and its default sheet) that must be refused; the error."""
    with pytest.raises(WorkbookError) as caught:
        book = workbook_open(source, limits=limits or WorkbookLimits())
        book.sheet(0)
    return caught.value


@pytest.fixture()
def ledger(tmp_path: Path) -> Path:
    """A ledger as people make them: a merged title, a two-row header, dates, a total."""
    path = tmp_path / "ledger.xlsx"
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    clock = book.add_format({"num_format": "hh:mm"})
    hours = book.add_format({"num_format": "[h]:mm"})
    sheet = book.add_worksheet("台账")
    sheet.merge_range("A1:D1", "2024年重点项目台账")
    sheet.merge_range("A2:A3", "项目名称")
    sheet.merge_range("B2:C2", "计划")
    sheet.write("D2", "备注")
    sheet.write_row("B3", ["开工日期", "总投资（万元）"])
    sheet.write("A4", "太原南站")
    sheet.write_datetime("B4", datetime.datetime(2024, 3, 1), day)
    sheet.write_row("C4", [8500, "在建"])
    sheet.write("A5", "迎泽大街")
    sheet.write_datetime("B5", datetime.datetime(2024, 3, 2, 8, 30), stamp)
    sheet.write_row("C5", [1200.5, True])
    sheet.write_datetime("E5", datetime.time(9, 15), clock)
    sheet.write_number("F5", 1.5, hours)
    sheet.write_formula("G5", "=1/0", None, "#DIV/0!")
    sheet.write_string("Z30", "")  # an empty string far away: a wide, tall used range
    book.close()
    return path


# ------------------------------------------------------------------------- good workbooks


def test_rows_of_a_ledger_with_a_title_and_merged_cells(ledger: Path) -> None:
    book = workbook_open(ledger)
    sheet = book.sheet(0)
    assert book.sheet_names == ["台账"]
    assert sheet.name == "台账"
    assert sheet.total_rows == 30  # the used range runs to Z30
    rows = list(sheet.rows)
    assert rows == [
        # A merged range keeps its value in its top-left cell; the others read "".
        ["2024年重点项目台账"],
        ["项目名称", "计划", "", "备注"],
        ["", "开工日期", "总投资（万元）"],
        # Numbers come back as float; a date without time as a date.
        ["太原南站", datetime.date(2024, 3, 1), 8500.0, "在建"],
        # A datetime, a bool, a time, a duration; an error cell (#DIV/0!) reads "".
        [
            "迎泽大街",
            datetime.datetime(2024, 3, 2, 8, 30),
            1200.5,
            True,
            datetime.time(9, 15),
            datetime.timedelta(hours=36),
        ],
    ]  # trailing empty cells and rows (up to Z30) are dropped


def test_a_first_look_then_the_rest_reads_every_row_once(ledger: Path) -> None:
    rows = workbook_open(ledger).sheet(0).rows
    head = list(islice(rows, 3))
    rest = list(rows)
    assert [r[0] for r in chain(head, rest)] == [
        "2024年重点项目台账",
        "项目名称",
        "",
        "太原南站",
        "迎泽大街",
    ]


def test_rows_keep_sheet_row_numbers_and_column_letters(tmp_path: Path) -> None:
    def fill(sheet: Worksheet) -> None:
        sheet.write("C5", "名称")
        sheet.write("D7", 3)

    sheet = workbook_open(xlsx_build(tmp_path / "far.xlsx", ("数据", fill))).sheet(0)
    assert list(sheet.rows) == [[], [], [], [], ["", "", "名称"], [], ["", "", "", 3.0]]
    assert sheet.total_rows == 7


def test_a_hidden_first_sheet_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "hidden.xlsx"
    book = xlsxwriter.Workbook(str(path))
    hidden = book.add_worksheet("代码表")
    hidden.write("A1", "隐藏的下拉选项")
    secret = book.add_worksheet("更隐藏")
    secret.write("A1", "x")
    data = book.add_worksheet("台账")
    data.write_row("A1", ["项目名称", "总投资"])
    data.activate()
    hidden.hide()
    secret.very_hidden()
    chart = book.add_chartsheet("图表")
    line = book.add_chart({"type": "line"})
    line.add_series({"values": "=台账!$B$1:$B$1"})
    chart.set_chart(line)
    book.close()
    opened = workbook_open(path)
    assert opened.sheet_names == ["台账"]  # no hidden sheet, no chart sheet
    assert opened.sheet(0).name == "台账"
    assert "代码表" in refused_name(opened, "代码表")


def refused_name(book: Workbook, name: str) -> str:
    """The message for a sheet asked for by a name the workbook does not offer."""
    with pytest.raises(WorkbookError) as caught:
        book.sheet(name)
    assert caught.value.code == "no_sheet"
    return caught.value.message


def test_sheets_by_name_and_position(tmp_path: Path) -> None:
    path = xlsx_build(
        tmp_path / "two.xlsx", ("一", rows_write([["a"]])), ("二", rows_write([["b"]]))
    )
    book = workbook_open(path)
    assert next(book.sheet("二").rows) == ["b"]
    assert next(book.sheet(1).rows) == ["b"]
    with pytest.raises(WorkbookError, match="只有2个可见的工作表"):
        book.sheet(2)
    assert refused_name(book, "三") == "工作簿中没有名为“三”的工作表。"


@pytest.mark.parametrize("kind", ["bytes", "path", "file", "stream"])
def test_every_kind_of_source_opens(ledger: Path, kind: str) -> None:
    data = ledger.read_bytes()

    class Stream(io.RawIOBase):
        """An upload that can only be read forward."""

        def __init__(self) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    source = {
        "bytes": lambda: data,
        "path": lambda: ledger,
        "file": lambda: io.BytesIO(data),
        "stream": lambda: io.BufferedReader(Stream()),
    }[kind]()
    assert next(workbook_open(source).sheet(0).rows) == ["2024年重点项目台账"]  # type: ignore[arg-type]


def test_an_old_xls_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(xls_build([["名称", "数量"], ["甲", 3], ["乙", 4.5]], sheet="数据"))
    sheet = workbook_open(path).sheet(0)
    assert sheet.name == "数据"
    assert list(sheet.rows) == [["名称", "数量"], ["甲", 3.0], ["乙", 4.5]]


# ---------------------------------------------------------------------------- empty sheets


def test_an_empty_sheet_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    book = xlsxwriter.Workbook(str(path))
    # A formatted cell with no value, and cells holding only "": both count as empty.
    book.add_worksheet("空表").write_blank("A1", None, book.add_format({"bold": True}))
    blanks = book.add_worksheet("空字符串")
    for row in range(3):
        blanks.write_string(row, 0, "")
    book.add_worksheet("数据").write("A1", "x")
    book.close()
    opened = workbook_open(path)
    for name in ("空表", "空字符串"):
        with pytest.raises(WorkbookError) as caught:
            opened.sheet(name)
        assert caught.value.message == f"工作表“{name}”是空的。"
        assert caught.value.code == "empty_sheet"
    assert opened.sheet(0).name == "数据"  # the default is the first visible sheet with data


def test_a_workbook_of_one_empty_sheet_names_it(tmp_path: Path) -> None:
    error = refused(xlsx_build(tmp_path / "blank.xlsx", ("项目表", lambda s: None)))
    assert error.message == "工作表“项目表”是空的。"


def test_a_workbook_of_empty_sheets_is_refused(tmp_path: Path) -> None:
    path = xlsx_build(
        tmp_path / "blank.xlsx", ("Sheet1", lambda s: None), ("Sheet2", lambda s: None)
    )
    error = refused(path)
    assert error.code == "empty_sheet"
    assert error.message == "工作簿中的工作表都是空的，没有可导入的数据。"


# ----------------------------------------------------------------------------- row limits


def test_more_rows_than_the_limit_is_refused_before_any_row_is_read(tmp_path: Path) -> None:
    path = xlsx_build(tmp_path / "big.xlsx", ("台账", rows_write([[f"项目{i}"] for i in range(8)])))
    error = refused(path, WorkbookLimits(max_rows=5))
    assert error.code == "too_many_rows"
    assert error.message == "工作表“台账”有8行，超过单次导入上限5行，请分批导入。"
    assert list(workbook_open(path, limits=WorkbookLimits(max_rows=8)).sheet(0).rows)


def test_formatted_empty_rows_past_the_limit_do_not_count(tmp_path: Path) -> None:
    # The sheet's <dimension> says A1:B100; only three rows hold values.
    path = tmp_path / "template.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    border = book.add_format({"border": 1})
    for row in range(100):
        sheet.write_blank(row, 1, None, border)
    sheet.write_column("A1", ["项目名称", "太原南站", "迎泽大街"])
    book.close()
    with zipfile.ZipFile(path) as archive:
        assert b'<dimension ref="A1:B100"/>' in archive.read("xl/worksheets/sheet1.xml")
    rows = list(workbook_open(path, limits=WorkbookLimits(max_rows=5)).sheet(0).rows)
    assert rows == [["项目名称"], ["太原南站"], ["迎泽大街"]]


def test_without_a_dimension_the_loaded_size_is_checked(tmp_path: Path) -> None:
    source = xlsx_build(tmp_path / "a.xlsx", ("台账", rows_write([[i] for i in range(9)])))

    def strip(name: str, data: bytes) -> bytes:
        return (
            data.replace(b'<dimension ref="A1:A9"/>', b"") if name.endswith("sheet1.xml") else data
        )

    error = refused(zip_rewrite(source, tmp_path / "b.xlsx", strip), WorkbookLimits(max_rows=5))
    assert error.message == "工作表“台账”有9行，超过单次导入上限5行，请分批导入。"


# --------------------------------------------------------------------- not a workbook at all


NOT_XLSX = "文件不是Excel工作簿（.xlsx）。请在Excel或WPS中另存为.xlsx后再导入。"


def test_a_csv_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes("项目名称,总投资\n太原南站,8500\n迎泽大街,1200\n".encode("gbk"))
    error = refused(path)
    assert error.code == "csv"
    assert error.message == (
        "文件不是Excel工作簿（.xlsx），而是CSV文本（可能只是改了扩展名）。"
        "请在Excel或WPS中打开，另存为.xlsx后再导入。"
    )


def test_a_plain_text_file(tmp_path: Path) -> None:
    path = tmp_path / "说明.xlsx"
    path.write_text("请按模板填写。\n每个项目一行。\n", encoding="utf-8")
    assert refused(path).code == "text"


def test_a_web_page_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>项目</td></tr></table></body></html>")
    error = refused(path)
    assert error.code == "html"
    assert "另存为.xlsx" in error.message


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.xlsx"
    path.write_bytes(random.Random(7).randbytes(20_000))
    error = refused(path)
    assert (error.code, error.message) == ("not_workbook", NOT_XLSX)


def test_an_empty_file() -> None:
    assert refused(b"").message == "文件是空的（0字节），请检查后重新上传。"


def test_a_file_over_the_size_limit(ledger: Path) -> None:
    error = refused(ledger, WorkbookLimits(max_bytes=1024))
    assert error.code == "too_large"
    assert error.message.startswith("文件大小为5.")
    assert "KB，超过上限1.0 KB。" in error.message


def test_a_file_over_the_size_limit_in_megabytes() -> None:
    error = refused(bytes(3 * 1024 * 1024), WorkbookLimits(max_bytes=2 * 1024 * 1024))
    assert refused(
        bytes(2 * 1024 * 1024 + 1), WorkbookLimits(max_bytes=2 * 1024 * 1024)
    ).message.startswith("文件大小为2.1 MB，超过上限2.0 MB")
    assert (
        error.message == "文件大小为3.0 MB，超过上限2.0 MB。请删除无关的工作表或内容，或分批导入。"
    )


# ------------------------------------------------------------------------- broken archives


DAMAGED = (
    "文件已损坏或不完整（可能上传时中断），无法读取。"
    "请在Excel或WPS中打开确认无误，另存为.xlsx后重新上传。"
)


@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_a_truncated_xlsx(ledger: Path, keep: float) -> None:
    data = ledger.read_bytes()
    error = refused(data[: int(len(data) * keep)])
    assert (error.code, error.message) == ("damaged", DAMAGED)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = zip_build(tmp_path / "资料.xlsx", {"说明.txt": "你好".encode()})
    error = refused(path)
    assert error.code == "not_workbook"
    assert (
        error.message == "文件是压缩包，不是Excel工作簿（.xlsx）。请上传Excel文件本身，不要压缩。"
    )


@pytest.mark.parametrize(
    ("members", "code", "words"),
    [
        ({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}, "not_workbook", "Word"),
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "ods", ".ods"),
        ({"xl/workbook.bin": b"\0", "[Content_Types].xml": b"<T/>"}, "xlsb", ".xlsb"),
    ],
)
def test_other_office_packages(
    tmp_path: Path, members: dict[str, bytes], code: str, words: str
) -> None:
    error = refused(zip_build(tmp_path / "x.xlsx", members))
    assert error.code == code
    assert words in error.message


def test_a_package_calamine_cannot_read_gives_no_internals(tmp_path: Path) -> None:
    path = zip_build(tmp_path / "x.xlsx", OOXML_SKELETON)
    error = refused(path)
    assert (error.code, error.message) == ("damaged", DAMAGED)
    assert str(error) == DAMAGED


# ------------------------------------------------------------------------------ zip bombs


BOMB = (
    "文件解压后过大或压缩比异常，出于安全考虑拒绝导入。"
    "请确认文件来源，删除无关内容后另存为.xlsx再导入。"
)


def test_a_zip_bomb_of_200_mb_of_zeros(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in OOXML_SKELETON.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            zeros = bytes(1024 * 1024)
            for _megabyte in range(200):
                member.write(zeros)
    assert path.stat().st_size < 1024 * 1024
    error = refused(path)
    assert (error.code, error.message) == ("zip_bomb", BOMB)


def test_a_tiny_archive_declaring_a_huge_size(tmp_path: Path) -> None:
    data = zip_build(tmp_path / "a.xlsx", {**OOXML_SKELETON, "xl/big.xml": b"x" * 100}).read_bytes()
    error = refused(zip_sizes_declare(data, "xl/big.xml", 0xF0000000))
    assert error.code == "zip_bomb"


def test_an_archive_that_hides_its_real_size(tmp_path: Path) -> None:
    # 4 MB of zeros declared as 100 bytes: the headers pass, inflating it does not.
    members = {**OOXML_SKELETON, "xl/worksheets/sheet1.xml": bytes(4 * 1024 * 1024)}
    data = zip_build(tmp_path / "a.xlsx", members).read_bytes()
    error = refused(zip_sizes_declare(data, "xl/worksheets/sheet1.xml", 100))
    assert error.code == "zip_bomb"


def test_limits_on_the_inflated_total(ledger: Path) -> None:
    assert refused(ledger, WorkbookLimits(max_uncompressed_bytes=1000)).code == "zip_bomb"


def test_an_archive_of_too_many_parts(tmp_path: Path) -> None:
    members = {**OOXML_SKELETON, **{f"xl/media/{i}.bin": b"" for i in range(10_001)}}
    assert refused(zip_build(tmp_path / "many.xlsx", members)).code == "zip_bomb"


# -------------------------------------------------------------------------- OLE2 files


ENCRYPTED = "文件已加密（设置了打开密码），请取消密码后再导入。"


def test_an_encrypted_xlsx(tmp_path: Path) -> None:
    # Excel saves a password-protected .xlsx as an OLE2 file whose package is the stream
    # "EncryptedPackage", next to "EncryptionInfo" (MS-OFFCRYPTO).
    path = tmp_path / "加密.xlsx"
    path.write_bytes(
        cfb_build({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"z" * 5000})
    )
    error = refused(path)
    assert (error.code, error.message) == ("encrypted", ENCRYPTED)


def test_a_password_protected_xls(tmp_path: Path) -> None:
    path = tmp_path / "加密.xls"
    path.write_bytes(xls_build([["名称"]], password=True))
    assert refused(path).message == ENCRYPTED


def test_an_ole_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "文档.xls"
    path.write_bytes(cfb_build({"WordDocument": b"w" * 100}))
    error = refused(path)
    assert error.message == "文件是Office旧格式文档，但不是Excel工作簿。请上传.xlsx文件。"


def test_a_truncated_ole_file() -> None:
    data = xls_build([["名称"]])
    assert refused(data[:300]).code == "damaged"
    assert refused(data[:1100]).code == "damaged"


# ------------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"PK\x03\x04\x14\x00", "xlsx"),
        (b"PK\x05\x06" + bytes(18), "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "ole"),
        ("名称,数量\n甲,1\n乙,2\n".encode(), "csv"),
        ("\ufeff名称,数量\n甲,1\n".encode(), "csv"),
        ("名称,数量\n甲,1\n".encode("gbk"), "csv"),
        ("名称\t数量\r\n甲\t1\r\n".encode("utf-16"), "csv"),
        ("名称;数量\n甲;1\n".encode(), "csv"),
        ("第一行说明\n第二行说明\n".encode(), "text"),
        ("导入说明：请使用模板, 不要改表头\n谢谢\n再见\n".encode(), "text"),
        (b"<!DOCTYPE html><html>", "html"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "html",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "unknown"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unknown"),
        (b"", "unknown"),
    ],
)
def test_workbook_sniff(head: bytes, kind: str) -> None:
    assert workbook_sniff(head) == kind


def test_sniff_tolerates_a_character_cut_by_the_head() -> None:
    text = ("项目名称,总投资\n" * 600).encode()
    assert workbook_sniff(text[:4096]) == "csv"
    assert len(text[:4096].decode("utf-8", "ignore")) < 4096  # the cut fell inside one
