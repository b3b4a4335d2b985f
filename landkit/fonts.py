"""Chinese fonts wherever planners are: the system's own, else one shipped from PyPI; never boxes.

The PDF map and the charts draw with the first Chinese font found, in this order:

* Windows: ``%WINDIR%\\Fonts`` (and the user's ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``):
  微软雅黑 ``msyh.ttc``, 等线 ``Deng.ttf``, 黑体 ``simhei.ttf``, 宋体 ``simsun.ttc``;
* macOS: ``/System/Library/Fonts`` (and ``Supplemental``), ``/Library/Fonts``, ``~/Library/Fonts``:
  PingFang, Hiragino Sans GB, 宋体-简 (Songti), 黑体-简 (STHeiti);
* Linux and the like: the XDG data folders' ``fonts`` (``/usr/share/fonts`` …), ``~/.fonts``:
  WenQuanYi, Noto Sans CJK / Source Han Sans;
* everywhere: Noto Sans CJK SC from the ``mplfonts`` package on PyPI, a dependency of landkit, so
  that a fresh machine without any Chinese font still draws Chinese.

Every other font found stays behind the first as a fallback (matplotlib takes a glyph the first
font lacks from the next one that has it, DejaVu Sans included). A text with a character that none
of them has is refused with a coded error naming the character and the text (:func:`require`):
a PDF or chart never carries a box in place of a character.

Embedding. A TrueType-flavoured font (微软雅黑, 黑体, WenQuanYi …) is embedded as TrueType
(``pdf.fonttype`` 42). A CFF-flavoured one (Noto Sans CJK and Source Han ``.otf``/``.ttc``, Hiragino)
cannot be: matplotlib writes its CFF data where a PDF expects TrueType (matplotlib issues 2869,
20870), which viewers may refuse. For those the PDF embeds Type 3 glyphs (``pdf.fonttype`` 3),
with a ToUnicode map: the text is still searched and copied as Chinese.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError

#: Known Chinese fonts by system, best first: file name (lower case) and the family to draw with
#: (a collection's face of that name; else its first face). TrueType-flavoured files come first on
#: Linux, so that a PDF embeds TrueType where it can.
KNOWN: dict[str, tuple[tuple[str, str], ...]] = {
    "windows": (
        ("msyh.ttc", "Microsoft YaHei"),
        ("deng.ttf", "DengXian"),
        ("simhei.ttf", "SimHei"),
        ("simsun.ttc", "SimSun"),
    ),
    "macos": (
        ("pingfang.ttc", "PingFang SC"),
        ("hiragino sans gb.ttc", "Hiragino Sans GB"),
        ("songti.ttc", "Songti SC"),
        ("stheiti medium.ttc", "Heiti SC"),
        ("stheiti light.ttc", "Heiti SC"),
    ),
    "linux": (
        ("wqy-microhei.ttc", "WenQuanYi Micro Hei"),
        ("wqy-zenhei.ttc", "WenQuanYi Zen Hei"),
        ("notosanscjk-regular.ttc", "Noto Sans CJK SC"),
        ("notosanscjksc-regular.otf", "Noto Sans CJK SC"),
        ("sourcehansans-regular.ttc", "Source Han Sans SC"),
        ("sourcehansanssc-regular.otf", "Source Han Sans SC"),
        ("notosanscjk-vf.ttc", "Noto Sans CJK SC"),  # Fedora's variable Noto
        ("notoserifcjk-regular.ttc", "Noto Serif CJK SC"),
        ("droidsansfallbackfull.ttf", "Droid Sans Fallback"),
        ("uming.ttc", "AR PL UMing CN"),
    ),
}
#: The font shipped from PyPI: ``mplfonts`` (MIT) carries Noto Sans CJK SC (SIL Open Font License,
#: which allows embedding and redistribution). Only the Noto and Source Han files of that package
#: are used: it also carries a SimHei.ttf, a commercial font (中易/SinoType, licensed with Windows),
#: whose licence for redistribution and embedding landkit cannot vouch for.
BUNDLED = (
    "mplfonts",
    (("fonts", "NotoSansCJKsc-Regular.otf"), "Noto Sans CJK SC"),
    (("fonts", "SourceHanSerifSC-Regular.otf"), "Source Han Serif SC"),  # should a release drop the first
)
#: The character a file must have to count as a Chinese font (a Latin font renamed msyh.ttc does not).
PROBE = "图"


@dataclass(frozen=True)
class Font:
    """A font file found, and how to draw with it."""

    path: Path
    family: str  # the family name matplotlib draws it by
    source: str  # "system" or "bundled" (from PyPI)
    cff: bool  # CFF outlines: embedded as Type 3 in a PDF (see the module's notes)


def system_kind(platform: str | None = None) -> str:
    """``windows``, ``macos`` or ``linux`` (every other Unix looks where Linux does)."""
    platform = sys.platform if platform is None else platform
    return "windows" if platform.startswith(("win", "cygwin")) else "macos" if platform == "darwin" else "linux"


def font_folders(kind: str, environ: Mapping[str, str] | None = None, home: Path | None = None) -> list[Path]:
    """The folders where a system of ``kind`` keeps its fonts, the system's first."""
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    if kind == "windows":
        windir = environ.get("WINDIR") or environ.get("SystemRoot") or r"C:\Windows"
        local = environ.get("LOCALAPPDATA")
        return [Path(windir) / "Fonts", *([Path(local) / "Microsoft" / "Windows" / "Fonts"] if local else [])]
    if kind == "macos":
        system = Path("/System/Library/Fonts")
        return [system, system / "Supplemental", Path("/Library/Fonts"), home / "Library" / "Fonts"]
    data = [Path(p) for p in (environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(os.pathsep) if p]
    user = Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [*(p / "fonts" for p in data), user / "fonts", home / ".fonts"]


def _files(folder: Path, recursive: bool) -> dict[str, Path]:
    """Font files in ``folder`` by lower-case name (Windows names them in any case)."""
    found: dict[str, Path] = {}
    try:
        if recursive:
            for root, _, names in os.walk(folder):
                for name in names:
                    found.setdefault(name.lower(), Path(root) / name)
        else:
            found = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    except OSError:  # a folder that is not there, or not ours to read
        return {}
    return found


def system_fonts(kind: str | None = None, folders: Iterable[Path] | None = None) -> list[Font]:
    """The known Chinese fonts of this system (or of ``kind`` in ``folders``), best first; a file
    that is not a readable font with Chinese in it is passed over."""
    kind = system_kind() if kind is None else kind
    folders = font_folders(kind) if folders is None else list(folders)
    index: dict[str, Path] = {}
    for folder in folders:  # Linux keeps fonts in subfolders (truetype/wqy/…); Windows and macOS do not
        for name, path in _files(folder, recursive=kind == "linux").items():
            index.setdefault(name, path)
    fonts = [_font(index[name], family, "system") for name, family in KNOWN[kind] if name in index]
    return [f for f in fonts if f is not None]


def bundled_font() -> Font | None:
    """The Chinese font shipped from PyPI (see ``BUNDLED``), or None if that package is missing.
    The package is found, not imported (importing it would change matplotlib's settings)."""
    package, *files = BUNDLED
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = (_font(folder.joinpath(*parts), family, "bundled") for parts, family in files)
    return next((font for font in found if font is not None), None)


def _font(path: Path, family: str, source: str) -> Font | None:
    """A Font for ``path`` if it reads as a font with Chinese in it, drawn by ``family`` where a face of
    the file has that name (else by its first face's)."""
    from matplotlib import ft2font

    try:
        first = ft2font.FT2Font(str(path))
        faces = [first] + [ft2font.FT2Font(str(path), face_index=i) for i in range(1, first.num_faces)]
    except (OSError, RuntimeError, ValueError):
        return None
    face = next((f for f in faces if f.family_name == family), faces[0])
    if ord(PROBE) not in face.get_charmap():
        return None
    return Font(path=path, family=face.family_name, source=source, cff=_is_cff(path, faces.index(face)))


def _is_cff(path: Path, index: int) -> bool:
    """Whether the face has CFF outlines (an OpenType/CFF font), not TrueType ones."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), fontNumber=index if path.suffix.lower() in (".ttc", ".otc") else -1, lazy=True) as font:
            return "CFF " in font or "CFF2" in font
    except Exception:  # fontTools raises its own errors on odd files; matplotlib read it, so draw it
        return False


@functools.cache
def chinese_fonts() -> tuple[Font, ...]:
    """The Chinese fonts to draw with, best first (the system's, then the bundled one), registered
    with matplotlib. Found once per process."""
    from matplotlib import font_manager

    found = [*system_fonts(), *([b] if (b := bundled_font()) else [])]
    known = {Path(f.fname) for f in font_manager.fontManager.ttflist}
    for font in found:
        if font.path not in known:
            font_manager.fontManager.addfont(str(font.path))
            known.add(font.path)
    return tuple(found)


@functools.cache
def _charmap(path: str, family: str) -> frozenset[int]:
    from matplotlib import ft2font

    first = ft2font.FT2Font(path)
    faces = [first] + [ft2font.FT2Font(path, face_index=i) for i in range(1, first.num_faces)]
    return frozenset(next((f for f in faces if f.family_name == family), first).get_charmap())


def families(fonts: Iterable[Font] | None = None) -> list[str]:
    """``font.family`` for matplotlib: the best Chinese font, DejaVu Sans, then the other Chinese
    fonts as fallbacks for a glyph the first lacks."""
    fonts = list(chinese_fonts() if fonts is None else fonts)
    first = [f.family for f in fonts[:1]]
    return [*first, "DejaVu Sans", *dict.fromkeys(f.family for f in fonts[1:] if f.family not in first)]


def require(texts: Iterable[str], fonts: Iterable[Font] | None = None) -> int:
    """Check that every character of ``texts`` has a glyph in the fonts drawn with (see
    :func:`families`); return the ``pdf.fonttype`` to embed them with (42, or 3 when a CFF font
    draws some of them). A character none of them has is a :class:`DataError`
    (``fonts.missing_glyph``) naming it and the text it is in."""
    from matplotlib import font_manager

    fonts = list(chinese_fonts() if fonts is None else fonts)
    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    chain: list[tuple[Font | None, frozenset[int]]] = [(f, _charmap(str(f.path), f.family)) for f in fonts[:1]]
    chain += [(None, _charmap(dejavu, "DejaVu Sans"))]  # None: matplotlib's own DejaVu Sans (TrueType)
    chain += [(f, _charmap(str(f.path), f.family)) for f in fonts[1:]]
    cff = False
    for text in texts:
        for ch in dict.fromkeys(text):  # in reading order: the first missing character is named
            if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue  # nothing is drawn for them
            owners = [f for f, chars in chain if ord(ch) in chars]
            if not owners:
                names = "、".join(f.family for f in fonts) or "—"
                raise DataError(
                    code="fonts.missing_glyph", char=ch, codepoint=f"U+{ord(ch):04X}", text=text, fonts=names
                )
            cff = cff or (owners[0] is not None and owners[0].cff)
    return 3 if cff else 42


def figure_texts(fig) -> list[str]:
    """Every text a matplotlib figure draws (titles, labels, legends, annotations)."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
