"""A progress bar for the import and export commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO


def progress_bar(label: str, stream: TextIO | None = None) -> Callable[[int, int], None]:
    """A one-line bar, redrawn in place on standard error."""
    out = stream or sys.stderr

    def show(done: int, total: int) -> None:
        share = min(1.0, done / total) if total else 1.0
        filled = int(share * 30)
        out.write(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}")
        if done >= total:
            out.write("\n")
        out.flush()

    return show
