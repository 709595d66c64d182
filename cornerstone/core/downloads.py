"""Sending a generated workbook: written to a temporary file, then streamed from it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import BinaryIO

from django.http import FileResponse

from cornerstone.core.xlsx import CONTENT_TYPE


def xlsx_download(write: Callable[[BinaryIO], object], filename: str) -> FileResponse:
    """Write the workbook into a temporary file and send it from there, not from memory."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    write(spool)
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
    # Every workbook is scoped to the user who asked for it.
    response["Cache-Control"] = "private, no-store"
    return response
