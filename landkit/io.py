"""Foreign formats in and out: Shapefile, GeoJSON, CSV and XLSX in; text and binary outputs out.

Projects themselves are opened only by :mod:`landkit.store`. Sources are only ever read;
outputs are written to a new temporary file beside the target (a random name, created
exclusively) and moved into place.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath, PureWindowsPath
from typing import Any

from . import settings
from .errors import DataError
from .store import file_of, layer_crs, local_path, location, write_layer


def _dbf_text(raw: bytes) -> bytes:
    """The bytes of a .dbf that are text: its field names and its records (not the binary header,
    whose record count alone, 128 or more, is no valid UTF-8)."""
    import struct

    if len(raw) < 32:
        return b""
    (header_len,) = struct.unpack("<H", raw[8:10])
    names = b"".join(raw[i : i + 11].split(b"\x00")[0] for i in range(32, max(32, header_len - 1), 32))
    return names + raw[header_len:].rstrip(b"\x1a")


def _is_chinese(text: bytes, encoding: str) -> bool:
    """Whether the text reads as Chinese in this encoding: its non-ASCII characters are nearly all
    Chinese (accented Latin text read as GBK gives a few stray ideographs, not 90 % of them)."""
    try:
        decoded = text.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    wide = [ch for ch in decoded if ord(ch) >= 0x80]
    chinese = sum("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" for ch in wide)
    return bool(wide) and chinese >= 0.9 * len(wide)


def _shapefile_encoding(path: Path, declared: str | None = None) -> str | None:
    """The encoding to read a Shapefile's text with: the .cpg's, checked against the text itself.

    Without a .cpg, the text is UTF-8 if it is valid UTF-8, else GB18030. A .cpg that names a
    Western code page (or UTF-8) for text that reads as Chinese only in GB18030 is refused: the
    import would be mojibake.
    """
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        return declared
    text = _dbf_text(dbf.read_bytes())
    cpg = next((p for p in (path.with_suffix(".cpg"), path.with_suffix(".CPG")) if p.exists()), None)
    if declared is None and cpg is not None:
        named = cpg.read_text(encoding="ascii", errors="replace").strip()
        code = cpg_codec(named)
        if code is None or _ascii(text):
            return None  # a name Python does not know (GDAL may), or nothing to decode: GDAL reads it
        if not _is_chinese(text, code) and _is_chinese(text, settings.legacy_encoding):
            raise DataError(code="io.cpg_wrong", path=path, named=named)
        try:
            text.decode(code)
        except UnicodeDecodeError:
            raise DataError(code="io.cpg_undecodable", path=path, named=named) from None
        return code  # read in Python's codec: every name GDAL or Python knows reads the same
    if declared is not None or _ascii(text):
        return declared
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return settings.legacy_encoding
    return "UTF-8"


def cpg_codec(named: str) -> str | None:
    """The Python codec a Shapefile's ``.cpg`` names, or None when it names none Python knows.

    A .cpg holds what its writer chose: a Windows code page number (``1252``, ``936``, ``65001``),
    ESRI's spellings of the ISO 8859 parts (``88591``, ``8859_1``, ``ISO 88591``), ``ANSI 1252``,
    or an IANA name (``ISO-8859-1``, ``UTF-8``, ``GBK``, ``Big5``). Chinese code pages read as
    GB18030, their superset.

    Examples
    --------
    >>> [cpg_codec(n) for n in ("88591", "8859_15", "ISO 88591", "ANSI 1252", "65001", "936", "latin1", "nope")]
    ['iso8859-1', 'iso8859-15', 'iso8859-1', 'cp1252', 'utf-8', 'gb18030', 'iso8859-1', None]
    """
    import codecs
    import re

    text = named.strip().upper()
    text = re.sub(r"^ANSI\s*", "", text) or "1252"  # ANSI alone: the Western Windows page, as GDAL reads it
    if text in ("936", "CP936", "GBK", "GB2312", "GB18030", "EUC-CN"):
        return "gb18030"
    if (part := re.fullmatch(r"(?:ISO[\s_-]*)?8859[\s_-]*(\d{1,2})", text)) is not None:
        text = f"ISO-8859-{part.group(1)}"
    elif text.isdigit():
        text = {"65001": "UTF-8", "20127": "ASCII", "28591": "ISO-8859-1"}.get(text, f"CP{text}")
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def _ascii(text: bytes) -> bool:
    return all(b < 0x80 for b in text)


def _check_shapefile(path: Path) -> None:
    """A Shapefile is several files: refuse one that lost a part, which GDAL would read half of."""
    parts = {s.lower() for s in (p.suffix for p in path.parent.glob(f"{path.stem}.*") if p.stem == path.stem)}
    if path.stat().st_size == 0:
        raise DataError(code="io.shapefile_empty", path=path)
    for part in (".shx", ".dbf"):
        if part not in parts:
            raise DataError(code=f"io.shapefile_no{part.replace('.', '_')}", path=path)


def read_source(
    source: str | os.PathLike, layer: str | None = None, *, encoding: str | None = None, engine: str | None = None
) -> Any:
    """Read a layer of a Shapefile, GeoJSON, GeoPackage or GeoParquet file that is not (yet) a project; only read.

    ``encoding`` applies to Shapefiles; when it is None, a Shapefile's ``.cpg`` is used, and
    without one the text is read as UTF-8 if it is valid UTF-8, else as GB18030 (GBK).
    """
    import geopandas as gpd
    import pyogrio

    from .crs import require_crs
    from .store import read_foreign

    source = local_path(
        source,
        refusal="io.url_not_a_source",
    )
    if not source.exists():
        raise DataError(code="io.no_such_source", path=source)
    if source.is_dir():
        raise DataError(code="io.source_is_folder", path=source)
    if source.suffix.lower() == ".txt":  # the survey-exchange text (报部格式): its own reader
        from .exchange import read_file

        return read_file(source, encoding=encoding)
    if source.suffix.lower() == ".shp":
        _check_shapefile(source)
        encoding = _shapefile_encoding(source, encoding)
    if source.suffix.lower() in (".parquet", ".geoparquet"):  # GeoParquet, read by pyarrow
        try:
            df = gpd.read_parquet(source)
        except Exception as exc:  # not Parquet, or Parquet without GeoParquet metadata
            raise DataError(code="io.not_geoparquet", path=source, detail=exc) from None
        require_crs(df.crs, where=source)
        return df
    try:
        layer = layer or str(pyogrio.list_layers(source)[0][0])
    except Exception as exc:  # GDAL cannot open it at all
        raise DataError(code="io.not_a_layer", path=source, detail=exc) from exc
    df = read_foreign(source, layer, engine=engine, encoding=encoding)
    if isinstance(df, gpd.GeoDataFrame):
        require_crs(df.crs, where=source, layer=layer)
    return df


def import_layer(
    source: str | os.PathLike,
    path: str | os.PathLike,
    layer: str,
    *,
    source_layer: str | None = None,
    encoding: str | None = None,
    overwrite: bool = False,
    engine: str | None = None,
    datum_transform: str | None = None,
    accept_ballpark: bool = False,
) -> Any:
    """Copy a Shapefile, GeoJSON or GeoPackage layer into a project file as ``layer``.

    The source is only read. Text is decoded as described in :func:`read_source`; the layer is
    reprojected to the CRS of the project's parcels when the project has them (from Xi'an 1980
    or Beijing 1954 only with the datum transformation given, see :func:`landkit.crs.reproject`).
    The layer is written into the project in one transaction.
    """
    import geopandas as gpd

    # a database URL stays the text it is; a URL turned into a path is refused by the store
    target = location(path)
    df = read_source(source, source_layer, encoding=encoding, engine=engine)
    if not len(df):
        raise DataError(code="io.no_features", path=source)
    if not isinstance(df, gpd.GeoDataFrame):
        raise DataError(code="io.no_geometry", path=source, layer=source_layer or "")
    project_crs = layer_crs(target, "parcels")  # None: a new project, or one without parcels yet
    if project_crs:
        from .crs import reproject

        df = reproject(df, project_crs, datum_transform=datum_transform, accept_ballpark=accept_ballpark,
                       where=f"{source}: ")  # fmt: skip
    import numpy as np
    import shapely

    from .crs import crs_diagnosis

    if not np.isfinite(shapely.get_coordinates(df.geometry.to_numpy())).all():
        raise DataError(code="io.not_finite_in_project", path=source)
    if problem := crs_diagnosis(df):
        raise DataError(code="io.crs_cannot_hold", path=source, reason=problem)
    write_layer(df, target, layer, overwrite=overwrite, engine=engine)
    return df


def read_table(source: str | os.PathLike) -> Any:
    """Read a CSV or XLSX table (a batch of events, say) into a DataFrame of text cells.

    CSV is read as UTF-8 (with or without a BOM), else as GB18030, the encoding Excel on a
    Chinese Windows PC saves in. An XLSX file is read from the one sheet that holds rows,
    wherever it is; rows on two sheets are refused rather than half read.
    """
    import pandas as pd

    source = Path(source)
    if not source.is_file():
        raise DataError(code="io.no_such_source", path=source)
    suffix = source.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            sheets = pd.read_excel(source, dtype=str, engine="openpyxl", sheet_name=None)
            filled = {name: df for name, df in sheets.items() if len(df.columns) or len(df)}
            if len(filled) > 1:
                raise DataError(code="io.many_sheets", path=source, count=len(filled), sheets=", ".join(filled))
            return next(iter(filled.values()), next(iter(sheets.values())))
        if suffix in (".csv", ".txt"):
            raw = source.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("gb18030")
            import io

            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except DataError:
        raise
    except Exception as exc:  # a damaged or mislabelled file: pandas and openpyxl raise many kinds
        raise DataError(code="io.not_a_table", path=source, detail=exc) from None
    raise DataError(code="io.table_suffix", path=source)


# -- outputs --------------------------------------------------------------------------------------
# An output never replaces an input, nor a file landkit did not write, unless told to.

#: What marks a file as landkit's own output, by kind (checked before an existing file is replaced).
GENERATOR = "landkit"
_INPUT_SUFFIXES = (".gpkg", ".shp", ".dbf", ".shx", ".geojson", ".json", ".sqlite", ".db", ".parquet", ".tif")


def is_landkit_output(path: str | os.PathLike) -> bool:
    """Whether an existing file is recognisably landkit output (HTML, XLSX, PNG, JSON, CSV it wrote)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return f'<meta name="generator" content="{GENERATOR}'.encode() in head
    if suffix == ".png":
        with path.open("rb") as f:
            return b"Software\x00" + GENERATOR.encode() in f.read(65536)
    if suffix == ".xlsx":
        import zipfile

        try:
            with zipfile.ZipFile(path) as z:
                return f"<dc:creator>{GENERATOR}</dc:creator>".encode() in z.read("docProps/core.xml")
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
    if suffix == ".pdf":  # the document information dictionary sits at the end of the file
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 8192))
            return f"/Creator ({GENERATOR} ".encode() in f.read()
    if suffix == ".json":
        return b'"landkit_version"' in head[:200]
    if suffix == ".qgz":  # a QGIS project landkit wrote (landkit.qgis): it says so in its properties
        import zipfile

        try:
            with zipfile.ZipFile(path) as z:
                qgs = [n for n in z.namelist() if n.endswith(".qgs")]
                text = z.read(qgs[0]) if len(qgs) == 1 else b""
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
        # QGIS stamps a project it saves (saveDateTime): one saved in QGIS is the planner's, kept
        root = text[: text.find(b">", text.find(b"<qgis ")) + 1]
        return f'<generator type="QString">{GENERATOR}</generator>'.encode() in text and b"saveDateTime=" not in root
    if suffix == ".gpkg" and head.startswith(b"SQLite format 3\x00"):  # the audit's layers for QGIS, every one
        from .store import gpkg_descriptions as descriptions

        # a style the planner saved into it (QGIS's layer_styles) does not make it theirs
        said = descriptions(Path(os.path.abspath(path))) or []
        return bool(said) and all(d.startswith(f"{GENERATOR}: ") for d in said)
    if suffix == ".csv":
        first = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        return first.startswith(b"rule,severity,layer") or b",area_method" in first
    return False


def sqlite_uri(path: PurePath, mode: str = "ro") -> str:
    r"""The SQLite URI that opens the file at the absolute ``path`` (``mode=ro``: only read).

    Not ``Path.as_uri()``: for a Windows share that gives ``file://server/share/…``, which SQLite
    refuses ("invalid uri authority"); SQLite reads a share as ``file:////server/share/…`` (an
    empty authority, the path keeping its two slashes). ``%``, ``#``, ``?``, spaces and Chinese are
    percent-encoded, and SQLite decodes them back.

    Examples
    --------
    >>> sqlite_uri(PureWindowsPath(r"\\server\share\下载%20文件\lushan.gpkg"))
    'file:////server/share/%E4%B8%8B%E8%BD%BD%2520%E6%96%87%E4%BB%B6/lushan.gpkg?mode=ro'
    >>> sqlite_uri(PureWindowsPath(r"C:\项目\a#b\lushan.gpkg"))
    'file:///C:/%E9%A1%B9%E7%9B%AE/a%23b/lushan.gpkg?mode=ro'
    """
    from urllib.parse import quote

    text = path.as_posix()
    if isinstance(path, PureWindowsPath) and not text.startswith("//"):
        text = "/" + text  # file:///C:/…
    return f"file://{quote(text, safe='/:')}?mode={mode}"


def _output_path(output: str | os.PathLike) -> Path:
    """The path of a file or folder to write; a database URL is refused (outputs are files)."""
    return local_path(output, refusal="io.url_not_an_output")


def check_output(
    output: str | os.PathLike, *, inputs: tuple[str | os.PathLike, ...] = (), overwrite: bool = False
) -> Path:
    """Refuse an output path that is an input (links count), a folder, or a file landkit did not write.

    An input is never replaced, even with ``overwrite``; another existing file only with it.
    """
    output = _output_path(output)
    for given in map(file_of, inputs):  # None: a database, no file an output could replace
        if given is not None and given.exists() and output.exists() and os.path.samefile(output, given):
            raise DataError(code="io.output_is_input", path=output)
    if output.is_dir():
        raise DataError(code="io.output_is_folder", path=output)
    if output.exists() and not overwrite and not is_landkit_output(output):
        kind = "source" if output.suffix.lower() in _INPUT_SUFFIXES else "foreign"
        raise DataError(code=f"io.output_exists_{kind}", path=output)
    return output


def safe_name(text: Any, *, taken: set[str] | None = None, limit: int = 40) -> str:
    """A file name made from an id or a name: no separators, no "..", no reserved names, unique.

    Examples
    --------
    >>> safe_name("/../../x/notes"), safe_name("露峰社区")
    ('x_notes-193c59', '露峰社区')
    """
    import hashlib
    import re

    raw = str(text)
    name = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", raw).strip("._-")[:limit] or "x"
    if name.upper().split(".")[0] in {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{i}" for i in range(10)),
        *(f"LPT{i}" for i in range(10)),
    }:
        name = f"_{name}"
    if name != raw or (taken is not None and name.lower() in taken):  # Windows ignores case
        name = f"{name}-{hashlib.sha1(raw.encode()).hexdigest()[:6]}"
    if taken is not None:
        taken.add(name.lower())
    return name


def inert(value: Any) -> Any:
    """Text a spreadsheet will show as text: a leading = + - @ tab or CR would start a formula (OWASP)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(frame: Any, path: str | os.PathLike, **options: Any) -> Path:
    """Write a table as CSV that Excel on a Chinese Windows PC opens right (UTF-8 with BOM), every cell inert."""
    text = frame.map(inert).to_csv(index=False, **options)
    return write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), path)


@contextlib.contextmanager
def output_folder(
    folder: str | os.PathLike, *, inputs: tuple[str | os.PathLike, ...] = (), overwrite: bool = False
) -> Iterator[Callable[[str, str | bytes], Path]]:
    """Collect a set of output files, then move them into ``folder`` together (``index.html`` last).

    The files are written into a hidden temporary folder inside ``folder``; if the work stops
    (an error, Ctrl-C) nothing of it reaches ``folder``. Each name is checked with
    :func:`check_output` before it is written.
    """
    import shutil
    import tempfile

    folder = _output_path(folder)
    if folder.exists() and not folder.is_dir():
        raise DataError(code="io.folder_is_file", path=folder)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".landkit-", dir=folder))
    names: list[str] = []

    def put(name: str, data: str | bytes) -> Path:
        if Path(name).name != name:
            raise ValueError(f"output name {name!r} is not a plain file name")
        check_output(folder / name, inputs=inputs, overwrite=overwrite)
        (scratch / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        names.append(name)
        return folder / name

    try:
        yield put
        _move_all(scratch, folder, sorted(names, key=lambda n: n == "index.html"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _move_all(scratch: Path, folder: Path, names: list[str]) -> None:
    """Move the files ``names`` from ``scratch`` into ``folder``, all or none: the old files are
    first moved aside (on Windows a file another program holds open, QGIS's GeoPackage say, cannot
    be, and then nothing has changed yet), and every step is undone if a later one fails."""
    aside: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for name in names:
            if (folder / name).exists():
                os.replace(folder / name, scratch / f".old-{name}")
                aside.append((scratch / f".old-{name}", folder / name))
        for name in names:
            os.replace(scratch / name, folder / name)
            placed.append(folder / name)
    except OSError as exc:
        for target in placed:
            target.unlink(missing_ok=True)
        for backup, target in aside:
            os.replace(backup, target)
        raise DataError(code="io.cannot_replace", path=exc.filename or folder, detail=exc.strerror) from None


def write_text(text: str, path: str | os.PathLike) -> Path:
    """Write a text file (a map, a report) atomically, in UTF-8."""
    return write_bytes(text.encode("utf-8"), path)


def write_bytes(data: bytes, path: str | os.PathLike) -> Path:
    """Write a file (a workbook, a chart) atomically: a reader sees the old file or the new one.

    The bytes go into a new file beside ``path`` (:func:`scratch_beside`), which is then moved
    into place; on any failure (an error, Ctrl-C) it is removed and ``path`` is as it was.
    """
    path = _output_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = scratch_beside(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def scratch_beside(path: str | os.PathLike, suffix: str = ".tmp") -> tuple[int, Path]:
    """A new empty file in ``path``'s folder to build ``path`` in: its open descriptor and its name.

    The name is ``.NAME.RANDOM.tmp`` (nobody can guess it ahead), and the file is created
    exclusively (``O_EXCL``, as :func:`tempfile.mkstemp` does): never an existing file, never through
    a link planted at the name. Unlike ``mkstemp`` (0600) it gets the mode any new file of the user
    gets (0666 less the umask), so that the output moved into place is as readable as before.
    """
    import errno
    import secrets

    path = Path(path)
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{suffix}")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # a name taken (a one in 2**48 chance, or planted): another one
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(path.parent))
