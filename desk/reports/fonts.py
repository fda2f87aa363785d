"""The Japanese font embedded in every PDF desk writes.

reportlab's built-in CID fonts are not embedded, so a viewer without Japanese
fonts shows blanks; desk embeds a TrueType font instead: the ``pdf_font_path``
setting when given, else IPAex Gothic bundled in ``resources/fonts`` or
installed by the system (Debian's fonts-ipaexfont-gothic).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desk import paths

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

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


# IPAex Gothic is 4 MB and the largest CJK TrueType fonts about 20 MB; reportlab reads it whole.
MAX_FONT_BYTES = 64 * 1024 * 1024


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

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_read_font(find_font(configured)))
    return FONT_NAME


def _read_font(path: Path) -> TTFont:
    """The font at ``path``, read whole once (bounded); anything reportlab cannot take from it
    (a text file named .ttf, a damaged or hostile font) is FontNotFound saying which file."""
    import io

    from reportlab.pdfbase.ttfonts import TTFont

    from desk.fileio import read_regular_file

    try:
        data = read_regular_file(path, limit=MAX_FONT_BYTES)
    except OSError as exc:
        raise FontNotFound(f"日本語フォントを読めません: {path}（{exc.strerror}）") from exc
    try:
        return TTFont(FONT_NAME, io.BytesIO(data))
    except Exception as exc:   # reportlab's parser fails in many ways on a bad file
        raise FontNotFound(f"{path} は TrueType フォントとして読めません。"
                           "設定の「案内書の日本語フォント」を直すか空欄にしてください") from exc
