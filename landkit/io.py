"""Reading and writing project files: the only module that opens files.

Reads never modify a file. Every write goes to a temporary copy beside the target, is flushed
to disk, and replaces the target with ``os.replace``: a reader sees the old file or the new one,
never half of a write, and a crash or kill mid-write leaves the old file intact.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import struct
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from . import settings
from .crs import require_crs
from .errors import DataError, LayerExistsError, ProjectLockedError
from .reserve import LedgerError, check_event
from .schema import APPEND_ONLY, LAYERS

_SQLITE_MAGIC = b"SQLite format 3\x00"
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_RESTORE = "restore it from a backup or re-export it from the source system"


def _engine(engine: str | None) -> str:
    engine = engine or settings.engine
    if engine not in ("pyogrio", "fiona"):
        raise ValueError(f"engine must be 'pyogrio' or 'fiona', not {engine!r}")
    return engine


def check_geopackage(path: str | os.PathLike) -> Path:
    """Raise a DataError unless ``path`` is an intact GeoPackage; return it as a Path.

    A truncated or partly overwritten GeoPackage can still open, and some readers then return
    part of its rows without an error; SQLite's own page check catches both.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file. Check the path (create a sample with `landkit sample`).")
    if not path.is_file():
        raise DataError(f"{path}: is a folder, not a GeoPackage file. Give the path of a .gpkg file.")
    with path.open("rb") as f:
        header = f.read(100)
    if not header:
        raise DataError(f"{path}: the file is empty (0 bytes), not a GeoPackage. {_RESTORE.capitalize()}.")
    if not header.startswith(_SQLITE_MAGIC):
        raise DataError(
            f"{path}: not a GeoPackage (not an SQLite database). Save the data as GeoPackage, or "
            "bring a Shapefile or GeoJSON in with `landkit import`."
        )
    (page_size,) = struct.unpack(">H", header[16:18]) if len(header) >= 18 else (0,)
    page_size = 65536 if page_size == 1 else page_size
    (page_count,) = struct.unpack(">I", header[28:32]) if len(header) >= 32 else (0,)
    size = path.stat().st_size
    if page_size and page_count and size < page_size * page_count:
        raise DataError(
            f"{path}: the file is truncated ({size} of {page_size * page_count} bytes); "
            f"it was cut off while being copied or written. {_RESTORE.capitalize()}."
        )
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            verdict = [row[0] for row in db.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise DataError(f"{path}: the GeoPackage is damaged ({exc}). {_RESTORE.capitalize()}.") from exc
    if verdict != ["ok"]:
        detail = " ".join(verdict[0].replace("***", "").split())[:120]
        raise DataError(f"{path}: the GeoPackage is damaged (SQLite: {detail}). {_RESTORE.capitalize()}.")
    if app_id != _GPKG_APPLICATION_ID:
        raise DataError(f"{path}: an SQLite database but not a GeoPackage. Save the data as GeoPackage.")
    return path


def list_layers(path: str | os.PathLike) -> list[str]:
    """Return the names of the layers (and tables) in a GeoPackage."""
    path = check_geopackage(path)
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        tables = db.execute("SELECT count(*) FROM gpkg_contents").fetchone()[0]
    if not tables:  # GDAL refuses to open such a file at all
        raise DataError(f"{path}: the GeoPackage holds no layers. Write the project's layers into it (landkit import).")
    return [str(name) for name, _ in pyogrio.list_layers(path)]


def _tidy(df: pd.DataFrame, layer: str) -> pd.DataFrame:
    """Give a layer read from disk the shape landkit uses: id as index, dates as datetimes."""
    spec = LAYERS.get(layer)
    if spec is None:
        return df
    if spec.geometry is None and isinstance(df, gpd.GeoDataFrame):
        df = pd.DataFrame(df.drop(columns=df.active_geometry_name))
    for col in spec.columns:
        if col.kind == "date" and col.name in df and not pd.api.types.is_datetime64_any_dtype(df[col.name]):
            converted = pd.to_datetime(df[col.name], errors="coerce", format="ISO8601")
            if (converted.notna() == df[col.name].notna()).all():
                df[col.name] = converted
    if spec.id in df.columns:
        df = df.set_index(spec.id)
    return df


def read_layer(
    path: str | os.PathLike, layer: str, *, engine: str | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """Read one layer of a GeoPackage, or a Shapefile or GeoJSON file, without modifying it.

    Project layers come back indexed by their id column (``parcel_id`` …) with dates parsed.
    A spatial layer without a CRS is refused. ``encoding`` applies to Shapefiles; when it is
    None, a Shapefile's ``.cpg`` is used, and without one the text is read as UTF-8 if it is
    valid UTF-8, else as GB18030 (GBK).

    Examples
    --------
    >>> import landkit
    >>> parcels = landkit.read_layer(landkit.SAMPLE_PATH, "parcels")
    >>> parcels.index.name, parcels.crs.to_epsg()
    ('parcel_id', 4547)
    """
    engine = _engine(engine)
    path = Path(path)
    if path.suffix.lower() == ".gpkg" or not path.exists():
        names = list_layers(path)
        if layer not in names:
            raise DataError(
                f"{path}: there is no layer {layer!r}; it has {', '.join(names) or 'no layers'}. "
                "Check the layer name (project files hold the layers listed in the README)."
            )
    elif path.suffix.lower() == ".shp":
        encoding = encoding or _shapefile_encoding(path)
    try:
        if engine == "pyogrio":
            df = pyogrio.read_dataframe(path, layer=layer, use_arrow=True, encoding=encoding)
        else:
            df = gpd.read_file(path, layer=layer, engine="fiona", encoding=encoding)
    except Exception as exc:  # the engines raise many types; all mean the same to a planner
        raise DataError(f"{path}: layer {layer!r} cannot be read ({exc}). {_RESTORE.capitalize()}.") from exc
    if isinstance(df, gpd.GeoDataFrame) and not (LAYERS.get(layer) and LAYERS[layer].geometry is None):
        require_crs(df.crs, where=f"{path}, layer {layer!r}")
    return _tidy(df, layer)


def read_project(path: str | os.PathLike, *, engine: str | None = None) -> dict[str, pd.DataFrame]:
    """Read every layer of a project file into a dict of (Geo)DataFrames, keyed by layer name.

    Examples
    --------
    >>> import landkit
    >>> project = landkit.read_project(landkit.SAMPLE_PATH)
    >>> sorted(project) == sorted(landkit.LAYERS)
    True
    """
    return {name: read_layer(path, name, engine=engine) for name in list_layers(path)}


def _shapefile_encoding(path: Path) -> str | None:
    if any(path.with_suffix(s).exists() for s in (".cpg", ".CPG")):
        return None  # GDAL reads the declared code page
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        return None
    try:
        dbf.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return settings.legacy_encoding
    return "UTF-8"


def _to_disk_shape(df: pd.DataFrame, layer: str) -> pd.DataFrame:
    spec = LAYERS.get(layer)
    if spec is not None and df.index.name == spec.id:
        df = df.reset_index()
    if isinstance(df, gpd.GeoDataFrame):
        require_crs(df.crs, where=f"layer {layer!r}")
    return df


def _write(df: pd.DataFrame, path: Path, layer: str, engine: str) -> None:
    if engine == "pyogrio":
        pyogrio.write_dataframe(df, path, layer=layer, driver="GPKG", use_arrow=True)
    elif isinstance(df, gpd.GeoDataFrame):
        df.to_file(path, layer=layer, driver="GPKG", engine="fiona")
    else:
        import fiona

        schema = gpd.io.file.infer_schema(gpd.GeoDataFrame(df, geometry=[None] * len(df)))
        schema["geometry"] = "None"
        with fiona.open(path, "w", driver="GPKG", layer=layer, schema=schema) as sink:
            sink.writerecords(
                {"geometry": None, "properties": {k: (None if pd.isna(v) else v) for k, v in row.items()}}
                for row in df.astype(object).to_dict("records")
            )


@contextlib.contextmanager
def _atomic(path: Path, *, keep_existing: bool) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success, move it over ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ProjectLockedError(
                f"{path}: the project is being written by another process; wait for it to finish, then try again."
            ) from None
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.gpkg")
        try:
            tmp.unlink(missing_ok=True)
            if keep_existing and path.exists():
                tmp.write_bytes(path.read_bytes())
            yield tmp
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, path)
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        finally:
            tmp.unlink(missing_ok=True)
            for leftover in tmp.parent.glob(f"{tmp.name}-*"):  # SQLite journal of a failed write
                leftover.unlink(missing_ok=True)


def write_layer(
    df: pd.DataFrame,
    path: str | os.PathLike,
    layer: str,
    *,
    overwrite: bool = False,
    engine: str | None = None,
) -> None:
    """Write one layer into a GeoPackage atomically, refusing to replace one unless ``overwrite``."""
    engine, path = _engine(engine), Path(path)
    if path.exists() and layer in list_layers(path) and not overwrite:
        raise LayerExistsError(
            f"{path}: layer {layer!r} exists already; pass overwrite=True to replace it (or write to a new layer name)."
        )
    df = _to_disk_shape(df, layer)
    with _atomic(path, keep_existing=True) as tmp:
        _guard_history(tmp, {layer: df}, shown=path)
        _write(df, tmp, layer, engine)


def _guard_history(existing: Path, new: Mapping[str, pd.DataFrame], *, shown: Path | None = None) -> None:
    """Refuse a write that would change or drop rows of an append-only table (the ledger)."""
    if not existing.exists() or existing.stat().st_size == 0:
        return
    names = list_layers(existing)
    for layer in APPEND_ONLY:
        if layer not in names or layer not in new:
            continue
        old = _to_disk_shape(read_layer(existing, layer), layer)
        head = _to_disk_shape(_tidy(new[layer].copy(), layer), layer).head(len(old))
        if len(head) < len(old) or content_hash({layer: head.reset_index(drop=True)}) != content_hash(
            {layer: old.reset_index(drop=True)}
        ):
            raise LedgerError(
                f"{shown or existing}: the {layer} table is append-only history; this write would change or drop "
                f"recorded events. Record a revocation or correction event instead"
            )


def write_project(
    layers: Mapping[str, pd.DataFrame],
    path: str | os.PathLike,
    *,
    overwrite: bool = False,
    engine: str | None = None,
) -> None:
    """Write a whole project (a dict of layers) to a new GeoPackage atomically.

    An existing file is replaced only with ``overwrite=True``, and then all at once.
    """
    engine, path = _engine(engine), Path(path)
    if path.exists() and not overwrite:
        raise LayerExistsError(f"{path}: the file exists already; pass overwrite=True to replace it.")
    shaped = {name: _to_disk_shape(df, name) for name, df in layers.items()}
    if path.exists():
        _guard_history(path, shaped)
    with _atomic(path, keep_existing=False) as tmp:
        for name, df in shaped.items():
            _write(df, tmp, name, engine)


def import_layer(
    source: str | os.PathLike,
    path: str | os.PathLike,
    layer: str,
    *,
    source_layer: str | None = None,
    encoding: str | None = None,
    overwrite: bool = False,
    engine: str | None = None,
) -> gpd.GeoDataFrame:
    """Copy a Shapefile, GeoJSON or GeoPackage layer into a project file as ``layer``.

    The source is only read. Text is decoded as described in :func:`read_layer`; the layer is
    reprojected to the CRS of the project's parcels when the project has them.
    """
    source = Path(source)
    if not source.exists():
        raise DataError(f"{source}: no such file. Check the path.")
    if source_layer is None:
        source_layer = str(pyogrio.list_layers(source)[0][0])
    df = read_layer(source, source_layer, engine=engine, encoding=encoding)
    if not isinstance(df, gpd.GeoDataFrame):
        raise DataError(f"{source}: layer {source_layer!r} has no geometry; import a spatial layer.")
    target = Path(path)
    if target.exists() and "parcels" in list_layers(target):
        project_crs = pyogrio.read_info(target, layer="parcels")["crs"]
        if project_crs:
            df = df.to_crs(project_crs)
    write_layer(df, target, layer, overwrite=overwrite, engine=engine)
    return df


def content_hash(layers: Mapping[str, pd.DataFrame]) -> str:
    """Return a SHA-256 of the layers' features (ids, attributes, geometry as WKB), not the file's bytes.

    Two files with the same features have the same hash, whatever SQLite did with its pages.
    """
    digest = hashlib.sha256()
    for name in sorted(layers):
        df = layers[name]
        df = df.sort_index(kind="stable")
        if isinstance(df, gpd.GeoDataFrame):
            wkb = shapely.to_wkb(df.geometry.to_numpy(), hex=True, output_dimension=2)
            df = pd.DataFrame(df.drop(columns=df.active_geometry_name)).assign(geometry=wkb)
        digest.update(name.encode())
        digest.update(df.to_csv(date_format="%Y-%m-%d", float_format="%.6f").encode())
    return digest.hexdigest()


def write_text(text: str, path: str | os.PathLike) -> Path:
    """Write a text file (a map, a report) atomically, in UTF-8."""
    return write_bytes(text.encode("utf-8"), path)


def write_bytes(data: bytes, path: str | os.PathLike) -> Path:
    """Write a file (a workbook, a chart) atomically: a reader sees the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def record_event(
    path: str | os.PathLike,
    parcel_id: str,
    status: str,
    date,
    *,
    event_type: str = "transition",
    document_ref: str | None = None,
    note: str | None = None,
) -> pd.DataFrame:
    """Append one event to a project's reserve ledger, after checking it against the lifecycle.

    Refuses an unknown parcel or status, a transition the lifecycle does not allow, and a date
    before the parcel's last event (:class:`landkit.reserve.LedgerError`). The check and the
    append happen under the project's write lock, on the same copy. Returns the new row.
    """
    path = check_geopackage(path)
    with _atomic(path, keep_existing=True) as tmp:
        events = read_layer(tmp, "events")
        parcels = read_layer(tmp, "parcels")
        event = {
            "parcel_id": parcel_id,
            "date": pd.Timestamp(date),
            "event_type": event_type,
            "status": status,
            "document_ref": document_ref,
            "note": note,
        }
        check_event(events, parcels, event)
        row = pd.DataFrame(
            [event], index=pd.Index([int(events.index.max()) + 1 if len(events) else 1], name="event_id")
        )
        pyogrio.write_dataframe(_to_disk_shape(row, "events"), tmp, layer="events", append=True)
    return row


def record_relocation_event(
    path: str | os.PathLike, village_code: str, status: str, date, *, document_ref: str | None = None, note=None
) -> pd.DataFrame:
    """Append one village's next relocation step (agreement signed, moved, demolished), checked."""
    from .relocation import check_relocation_event

    path = check_geopackage(path)
    with _atomic(path, keep_existing=True) as tmp:
        events = read_layer(tmp, "relocation_events")
        event = {"village_code": village_code, "date": pd.Timestamp(date), "status": status,
                 "document_ref": document_ref, "note": note}  # fmt: skip
        check_relocation_event(events, read_layer(tmp, "villages"), event)
        row = pd.DataFrame(
            [event], index=pd.Index([int(events.index.max()) + 1 if len(events) else 1], name="event_id")
        )
        pyogrio.write_dataframe(_to_disk_shape(row, "relocation_events"), tmp, layer="relocation_events", append=True)
    return row
