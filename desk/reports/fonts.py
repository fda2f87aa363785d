"""The Japanese font embedded in every PDF desk writes.

reportlab's built-in CID fonts are not embedded, so a viewer without Japanese
fonts shows blanks; desk embeds a TrueType font instead: the ``pdf_font_path``
setting when given, else IPAex Gothic bundled in ``resources/fonts`` or
installed by the system (Debian's fonts-ipaexfont-gothic).
"""

from __future__ import annotations

from pathlib import Path

from desk import paths

FONT_NAME = "DeskGothic"
FONT_FILE = "ipaexg.ttf"
SYSTEM_CANDIDATES = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/OTF/ipaexg.ttf"),
    Path("C:/Windows/Fonts/ipaexg.ttf"),
    Path("/Library/Fonts/ipaexg.ttf"),
)


class FontNotFound(RuntimeError):
    pass


def find_font(configured: str | None = None) -> Path:
    """The TTF to embed; raise FontNotFound saying where it looked."""
    candidates = []
    if configured:
        candidates.append(Path(configured).expanduser())
    candidates.append(paths.get().resources_dir / "fonts" / FONT_FILE)
    candidates.extend(SYSTEM_CANDIDATES)
    for path in candidates:
        if path.is_file():
            return path
    looked = "、".join(str(p) for p in candidates)
    raise FontNotFound("日本語フォント（IPAexゴシック）が見つかりません。"
                       f"設定で TTF を指定してください（探した場所: {looked}）")


def register_font(configured: str | None = None) -> str:
    """Register the font with reportlab once; returns the name to use in styles."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(find_font(configured))))
    return FONT_NAME
