"""Where the CJK fonts embedded in PDFs come from (Debian's fonts-noto-cjk by default)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
SERIF_REGULAR = "NotoSerifCJK-Regular.ttc"
SERIF_BOLD = "NotoSerifCJK-Bold.ttc"
# The face of the collection holding Simplified Chinese glyph shapes.
SIMPLIFIED_FAMILY = "Noto Serif CJK SC"


class FontsMissing(Exception):
    """The fonts a PDF needs are not installed; the message says what to install."""


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (collections hold several; ``index`` picks one)."""

    path: Path
    index: int


@functools.cache
def _face_index(path: Path, family: str) -> int:
    """The index of ``family`` inside a .ttc collection (0 for a single font)."""
    from fontTools.ttLib import TTCollection, TTLibError

    if path.suffix.lower() != ".ttc":
        return 0
    try:
        collection = TTCollection(str(path), lazy=True)
    except (OSError, TTLibError) as exc:
        raise FontsMissing(f"字体文件无法读取：{path}（{exc}）") from exc
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return index
    raise FontsMissing(f"字体文件{path}中没有“{family}”字形。")


def cjk_faces(font_dir: Path | str | None = None) -> tuple[FontFace, FontFace]:
    """The regular and bold Simplified Chinese serif faces, or FontsMissing naming the fix."""
    folder = Path(font_dir) if font_dir else NOTO_DIR
    faces = []
    for name in (SERIF_REGULAR, SERIF_BOLD):
        path = folder / name
        if not path.is_file():
            raise FontsMissing(
                f"未找到中文字体文件{path}，无法生成PDF。请安装 fonts-noto-cjk"
                f"（apt-get install fonts-noto-cjk）或设置字体目录。"
            )
        faces.append(FontFace(path=path, index=_face_index(path, SIMPLIFIED_FAMILY)))
    return faces[0], faces[1]
