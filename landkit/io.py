"""Foreign formats in and out: Shapefile, GeoJSON, CSV and XLSX in; text and binary outputs out.

Projects themselves are opened only by :mod:`landkit.store`. Sources are only ever read;
outputs are written to a temporary file beside the target and moved into place.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import settings
from .errors import DataError
from .store import list_layers, write_layer


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


def read_source(
    source: str | os.PathLike, layer: str | None = None, *, encoding: str | None = None, engine: str | None = None
) -> Any:
    """Read a layer of a Shapefile, GeoJSON or GeoPackage that is not (yet) a project; only read.

    ``encoding`` applies to Shapefiles; when it is None, a Shapefile's ``.cpg`` is used, and
    without one the text is read as UTF-8 if it is valid UTF-8, else as GB18030 (GBK).
    """
    import geopandas as gpd
    import pyogrio

    from .crs import require_crs
    from .store import _engine
    from .store.gpkg import read_table

    source = Path(source)
    if not source.exists():
        raise DataError(f"{source}: no such file. Check the path.")
    if source.is_dir():
        raise DataError(f"{source}: is a folder; give the .shp, .geojson or .gpkg file inside it.")
    if source.suffix.lower() == ".shp":
        encoding = encoding or _shapefile_encoding(source)
    try:
        layer = layer or str(pyogrio.list_layers(source)[0][0])
    except Exception as exc:  # GDAL cannot open it at all
        raise DataError(
            f"{source}: not a file GDAL can read as a layer ({exc}). Save it as GeoPackage or Shapefile."
        ) from exc
    df = read_table(source, layer, engine=_engine(engine), encoding=encoding)
    if isinstance(df, gpd.GeoDataFrame):
        require_crs(df.crs, where=f"{source}, layer {layer!r}")
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
) -> Any:
    """Copy a Shapefile, GeoJSON or GeoPackage layer into a project file as ``layer``.

    The source is only read. Text is decoded as described in :func:`read_source`; the layer is
    reprojected to the CRS of the project's parcels when the project has them. The layer is
    written into the project in one transaction.
    """
    import geopandas as gpd
    import pyogrio

    df = read_source(source, source_layer, encoding=encoding, engine=engine)
    if not isinstance(df, gpd.GeoDataFrame):
        raise DataError(f"{source}: layer {source_layer or ''!r} has no geometry; import a spatial layer.")
    target = Path(path)
    if target.exists() and "parcels" in list_layers(target):
        project_crs = pyogrio.read_info(target, layer="parcels")["crs"]
        if project_crs:
            df = df.to_crs(project_crs)
    write_layer(df, target, layer, overwrite=overwrite, engine=engine)
    return df


def read_table(source: str | os.PathLike) -> Any:
    """Read a CSV or XLSX table (a batch of events, say) into a DataFrame of text cells.

    CSV is read as UTF-8 (with or without a BOM), else as GB18030, the encoding Excel on a
    Chinese Windows PC saves in.
    """
    import pandas as pd

    source = Path(source)
    if not source.is_file():
        raise DataError(f"{source}: no such file. Check the path.")
    suffix = source.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(source, dtype=str, engine="openpyxl")
        if suffix in (".csv", ".txt"):
            raw = source.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("gb18030")
            import io

            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except Exception as exc:  # a damaged or mislabelled file: pandas and openpyxl raise many kinds
        raise DataError(f"{source}: cannot be read as a table ({exc}); save it as CSV (UTF-8) or XLSX") from None
    raise DataError(f"{source}: give a .csv or .xlsx file")


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
