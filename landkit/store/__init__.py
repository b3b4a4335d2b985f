"""The only place that opens projects: read layers, write layers, append to the ledgers.

A project is a GeoPackage file (``gpkg``) or a schema of a PostgreSQL/PostGIS database, named
by a URL ``postgresql://user@host:port/db?schema=NAME`` (``postgis``). Every write is one
transaction inside the project; history tables (the ledgers) are only ever appended to. Callers
never see which backend holds the project: they call the functions here, with a path or a URL.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .. import settings
from ..errors import DataError, LayerExistsError, LedgerError
from ..schema import APPEND_ONLY, GEOMETRY_ONLY, LAYERS, LEDGERS, Ledger, own_id_column
from . import gpkg, pg_write, postgis
from .gpkg import check_geopackage
from .gpkg import descriptions as gpkg_descriptions
from .postgis import is_url
from .project import (
    Database,
    GeoPackage,
    MapSources,
    Project,
    as_url,
    file_of,
    local_path,
    location,
    mask,
    open_project,
    qgis_layer_path,
)

__all__ = [
    "Database",
    "GeoPackage",
    "MapSources",
    "Project",
    "as_url",
    "check",
    "check_geopackage",
    "content_hash",
    "copy_project",
    "display",
    "file_of",
    "file_sha256",
    "gpkg_descriptions",
    "grant",
    "is_url",
    "layer_crs",
    "list_layers",
    "local_path",
    "location",
    "mask",
    "open_project",
    "pull",
    "push",
    "qgis_layer_path",
    "read_foreign",
    "read_layer",
    "read_project",
    "write_layer",
    "write_project",
    "writing",
]

#: A project: a GeoPackage's path, or a PostgreSQL URL (a str starting with postgresql:// or postgres://).
ProjectRef = str | os.PathLike


def display(path: ProjectRef) -> str:
    """How every output names a project (messages, JSON, stamps, workbooks, the pack): the file's
    path, or the URL with its password masked.

    Examples
    --------
    >>> display("postgresql://planner:s3cret@db.office:5432/land?schema=lushan")
    'postgresql://planner:***@db.office:5432/land?schema=lushan'
    """
    url = as_url(path)
    return str(path) if url is None else postgis.display(url)


def check(path: ProjectRef) -> str:
    """Raise a DataError unless ``path`` is an intact GeoPackage or reaches a project in a database.

    Returns how messages name the project (the URL's password masked).
    """
    return open_project(path).check()


def _engine(engine: str | None) -> str:
    engine = engine or settings.engine
    if engine not in ("pyogrio", "fiona"):
        raise DataError(code="store.engine", engine=engine)
    return engine


def list_layers(path: str | os.PathLike) -> list[str]:
    """Return the names of the layers (and tables) of a project.

    Examples
    --------
    >>> import landkit
    >>> "parcels" in landkit.list_layers(landkit.SAMPLE_PATH)
    True
    """
    return open_project(path).layers()


def _tidy(df: Any, layer: str) -> Any:
    """Give a layer read from disk the shape landkit uses: id as index, dates as datetimes."""
    import geopandas as gpd
    import pandas as pd

    spec = LAYERS.get(layer.lower())
    if spec is None:  # not one of landkit's layers: rows by position, as before the fid was read
        return df.reset_index(drop=True) if df.index.name is None else df
    if spec.geometry is None and isinstance(df, gpd.GeoDataFrame):
        df = pd.DataFrame(df.drop(columns=df.active_geometry_name))
    for col in spec.columns:
        if col.kind != "date" or col.name not in df:
            continue
        if not pd.api.types.is_datetime64_any_dtype(df[col.name]):
            converted = pd.to_datetime(df[col.name], errors="coerce", format="ISO8601")
            if (converted.notna() == df[col.name].notna()).all():
                df[col.name] = converted
        if isinstance(df[col.name].dtype, pd.DatetimeTZDtype):  # a QGIS Date & Time field: the day as written
            df[col.name] = df[col.name].dt.tz_localize(None)
        if pd.api.types.is_datetime64_dtype(df[col.name]):
            df[col.name] = df[col.name].astype("datetime64[ms]")  # one unit, whichever backend read it
    if spec.id in df.columns:
        df = df.set_index(spec.id)
    elif (own := own_id_column(df, spec.name)) is not None:
        df = df.set_index(own)  # a real layer as it comes: its features named by its own id column
    elif spec.name not in GEOMETRY_ONLY and df.index.name is None:
        df = df.reset_index(drop=True)  # the layer's id is missing (a schema finding): rows by position
    return df


def _read(path: Path, layer: str, names: list[str], engine: str | None, *, only: bool = False) -> Any:
    if layer not in names:
        raise DataError(code="store.no_layer", where=path, layer=layer, names=", ".join(names) or "-")
    df = gpkg.read_table(path, layer, engine=_engine(engine), fid=True, only=only)
    spec = LAYERS.get(layer.lower())
    wanted = [c.name for c in spec.columns if c.kind in ("float", "int") and c.name in df] if spec else []
    found = gpkg.text_in_numbers(path, layer, wanted) if wanted and len(df) else {}
    by_fid = df.index.name is None and _engine(engine) == "pyogrio"  # pyogrio's rows are indexed by fid
    where = {
        column: df.index.get_indexer(list(cells)) if by_fid else gpkg.row_positions(path, layer, cells)
        for column, cells in found.items()
    }
    df = _checked(df, layer, path)
    return _read_as_written(df, {c: dict(zip(where[c], cells.values(), strict=True)) for c, cells in found.items()})


def _read_as_written(df: Any, found: Mapping[str, Mapping[int, str]]) -> Any:
    """A GeoPackage keeps ``4.6万`` or ``1,200`` typed into a REAL column as text, which GDAL reads as
    4.6 and 1 (the number it begins with). Such a cell is read as written (46000, 1200: the amounts
    ``landkit pay`` reads), or as missing when it is no number; ``df.attrs[TEXT_IN_NUMBERS]`` keeps
    the texts by id for the schema check (:func:`landkit.checks.check_layer`) and the rates."""
    import numpy as np

    from ..checks import TEXT_IN_NUMBERS

    texts: dict[str, dict[Any, str]] = {}
    for column, cells in found.items():  # a few columns; their text cells set at once, however many
        where = np.fromiter(cells, dtype=np.intp, count=len(cells))
        said = np.array(list(cells.values()), dtype=object)
        keep = where >= 0
        where, said = where[keep], said[keep]
        if not len(where):
            continue
        number = {text: _as_written(text) for text in set(said)}  # each distinct text read once
        values = df[column].to_numpy(dtype=float, copy=True)
        values[where] = [number[text] for text in said]
        df[column] = values
        texts[column] = dict(zip(df.index[where], said, strict=True))
    if texts:
        df.attrs[TEXT_IN_NUMBERS] = texts
    return df


def _as_written(text: str) -> float:
    """A number cell's text as its number (``4.6万`` 46000, ``1,200`` 1200), NaN when it is no number."""
    from ..errors import LedgerError
    from ..payments import read_yuan

    try:
        return float(read_yuan(text))
    except LedgerError:
        return float("nan")


def _checked(df: Any, layer: str, where: Any) -> Any:
    import geopandas as gpd

    from ..crs import require_crs

    if isinstance(df, gpd.GeoDataFrame) and not (LAYERS.get(layer.lower()) and LAYERS[layer.lower()].geometry is None):
        require_crs(df.crs, where=where, layer=layer)
    return _tidy(df, layer)


def read_layer(path: str | os.PathLike, layer: str, *, engine: str | None = None) -> Any:
    """Read one layer of a project without modifying it.

    Project layers come back indexed by their id column (``parcel_id`` …) with dates parsed.
    A spatial layer without a CRS is refused. Foreign files (Shapefile, GeoJSON) are read with
    :func:`landkit.io.read_source` and brought in with :func:`landkit.import_layer`.

    Examples
    --------
    >>> import landkit
    >>> parcels = landkit.read_layer(landkit.SAMPLE_PATH, "parcels")
    >>> parcels.index.name, parcels.crs.to_epsg()
    ('parcel_id', 4547)
    """
    return open_project(path).read(layer, engine=engine)


def read_foreign(source: Path, layer: str, *, engine: str | None = None, encoding: str | None = None) -> Any:
    """A layer of a file that is not a project (a Shapefile, GeoJSON …), read through GDAL as it is."""
    return gpkg.read_table(source, layer, engine=_engine(engine), encoding=encoding)


def read_project(
    path: str | os.PathLike, *, engine: str | None = None, only: Iterable[str] | None = None
) -> dict[str, Any]:
    """Read every layer of a project into a dict of (Geo)DataFrames, keyed by layer name.

    The file's integrity is checked once, before any layer is read. With ``only``, just those of
    its layers the project has (the others absent from the dict): a command's layers, one check.

    Examples
    --------
    >>> import landkit
    >>> project = landkit.read_project(landkit.SAMPLE_PATH)
    >>> sorted(set(landkit.LAYERS) - set(project))  # the optional layers the sample does not have yet
    ['parcels_history', 'payments']
    """
    return open_project(path).read_all(engine=engine, only=only)


def describe_project(path: str | os.PathLike) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """What ``landkit info`` shows, in time linear in the layers: (the layers to check, every layer's
    ``features``, ``geometry_type`` and ``crs``). landkit's layers are read in full; a GeoPackage's
    other layers only their geometries (for the CRS checks). A GeoPackage's layers are listed, counted
    and typed in one SQLite pass, in GDAL's order, and GDAL, which opens a GeoPackage in time
    proportional to all its tables (400 extra layers: 50 s read one by one), is shown only the layer
    it reads (:func:`landkit.store.gpkg.alone`). A database's layers are all read (one snapshot)."""
    project = open_project(path)
    project.check()  # the file checked first (exists, is a GeoPackage, not damaged)
    described = project.describe() if isinstance(project, GeoPackage) else None
    if described is None or not isinstance(project, GeoPackage):
        layers = project.read_all()
        about = {
            name: {
                "features": len(df),
                "geometry_type": project.geometry_type(name, df),
                "crs": getattr(df, "crs", None),
            }
            for name, df in layers.items()
        }
        return layers, about
    names = list(described)
    ours = {
        n: _read(project.path, n, names, None, only=described[n]["registered"]) for n in names if n.lower() in LAYERS
    }
    others = {n: described[n] for n in names if n not in ours}
    layers = {n: ours.get(n) for n in names}
    layers.update(project.read_geometries(others))
    return {n: df for n, df in layers.items() if df is not None}, described


def _to_disk_shape(df: Any, layer: str) -> Any:
    import geopandas as gpd

    from ..crs import require_crs

    spec = LAYERS.get(layer.lower())
    if (spec is not None and df.index.name == spec.id) or (df.index.name and df.index.name not in df.columns):
        df = df.reset_index()  # a named index is the features' ids: keep it as a column
    if isinstance(df, gpd.GeoDataFrame):
        require_crs(df.crs, layer=layer)
    return df


def _as_days(df: Any, spec: Any) -> Any:
    """The contract's date columns as days (``datetime.date``), so that a GeoPackage declares them
    DATE and holds ``YYYY-MM-DD`` (a datetime text in a DATE column is what GDAL calls
    non-conformant) and PostgreSQL types them ``date``; other columns as they are."""
    import pandas as pd

    if spec is None:
        return df
    days = [c.name for c in spec.columns if c.kind == "date" and c.name in df.columns]
    days = [c for c in days if getattr(df[c].dtype, "kind", "") == "M"]  # naive datetime64 only
    if not days:
        return df
    df = df.copy()
    for c in days:  # a midnight timestamp is a day; NaT is nothing
        df[c] = pd.Series([None if v is pd.NaT else v for v in df[c].dt.date], index=df.index, dtype=object)
    return df


def _norm(value: Any) -> tuple:
    """A cell as a comparable value: numbers as numbers, dates as their day, text as text, nothing as None."""
    import numbers

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ("none",)
    if hasattr(value, "isoformat"):  # dates, datetimes, Timestamps (NaT too)
        text = str(value)
        return ("none",) if text == "NaT" else ("day", value.isoformat()[:10])
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            return ("none",)
        return ("number", int(value) if number.is_integer() else number)  # type: ignore[call-overload]
    text = str(value)
    if len(text) >= 10 and text[4:5] == "-" and text[7:8] == "-" and text[10:].strip("T0:.Z ") == "":
        return ("day", text[:10])  # how GDAL stores a date or a midnight datetime
    return ("text", text)


def _history_guard(path: Any, new: Mapping[str, Any]):
    """A check, run inside the write's transaction, refusing to change or drop recorded history.

    It is given a Writer (either backend) and the names of the tables the write replaces.
    """
    given = {name.lower(): df for name, df in new.items()}

    def check(writer: Any, replaced: set[str]) -> None:
        for table in replaced:
            if table.lower() not in APPEND_ONLY:
                continue
            layer = table.lower()
            have = writer.columns(table)
            cols = [c for c in LAYERS[layer].column_names if c in have]
            old = writer.rows(table, cols)
            frame = given[layer]
            head = [
                tuple(_norm(v) for v in row)
                for row in frame.reindex(columns=cols).head(len(old)).itertuples(index=False, name=None)
            ]
            if len(frame) < len(old) or head != [tuple(_norm(v) for v in row) for row in old]:
                raise LedgerError(code="store.append_only", where=path, layer=layer)

    return check


def layer_features(writer: Any, ledger: Ledger, keys: Iterable[str] | None = None) -> dict[str, list[tuple[int, Any]]]:
    """Each feature of the ledger's layer: key -> [(rowid, status) …] (a key may be on several rows)."""
    wanted = ["rowid", ledger.key, ledger.status_column]
    rows = (
        writer.rows(ledger.layer, wanted, ledger.key, keys) if keys is not None else writer.rows(ledger.layer, wanted)
    )
    out: dict[str, list[tuple[int, Any]]] = {}
    for rowid, key, status in rows:
        if key is not None:
            out.setdefault(str(key), []).append((rowid, status))
    return out


def ledger_history(
    writer: Any, ledger: Ledger, keys: Iterable[str] | None = None
) -> dict[str, list[tuple[str, str, str]]]:
    """Each key's events as (date, event_type, status), in ledger order (date, then recording order)."""
    typed = "event_type" in writer.columns(ledger.table)
    wanted = [ledger.key, "date", "status"] + (["event_type"] if typed else [])
    rows = (
        writer.rows(ledger.table, wanted, ledger.key, keys) if keys is not None else writer.rows(ledger.table, wanted)
    )
    out: dict[str, list[tuple[str, str, str]]] = {}
    for row in sorted(rows, key=lambda r: str(r[1])[:10]):  # stable: recording order within a day
        kind = (row[3] if typed else None) or "transition"
        out.setdefault(str(row[0]), []).append((str(row[1])[:10], kind, row[2]))
    return out


def follow_ledger(
    writer: Any, ledger: Ledger, features: Mapping[str, list[tuple[int, Any]]], history: Mapping
) -> dict[int, str]:
    """Set the layer's status column to each feature's state after its last event; return what changed."""
    changes: dict[int, str] = {}
    for key, rows in features.items():
        if history.get(key):
            state = history[key][-1][2]
            changes |= {rowid: state for rowid, status in rows if status != state}
    writer.update(ledger.layer, ledger.status_column, changes)
    return changes


def _follow_after_replace(notes: list[dict]):
    """After a layer or a ledger is replaced, the layer's statuses follow the ledger again (one truth)."""

    def after(writer: Any, names: set[str]) -> None:
        lower = {n.lower() for n in names}
        for ledger in LEDGERS:
            if not ({ledger.table, ledger.layer} & lower and writer.has(ledger.table) and writer.has(ledger.layer)):
                continue
            if not {ledger.key, ledger.status_column} <= writer.columns(ledger.layer):
                continue  # not a layer the ledger can decide; the audit says why
            features, history = layer_features(writer, ledger), ledger_history(writer, ledger)
            changed = follow_ledger(writer, ledger, features, history)
            if changed:
                from ..ledger import follow_dates

                # the dates follow the transitions, as `record` sets them
                moved = {
                    k: {"event_type": history[k][-1][1]} for k, rows in features.items() if changed.keys() & dict(rows)
                }
                follow_dates(writer, ledger, moved, history, "")
                notes.append(
                    {"code": f"store.followed_ledger.{ledger.noun}", "count": len(changed), "layer": ledger.layer,
                     "column": ledger.status_column}
                )  # fmt: skip

    return after


def write_layer(
    df: Any, path: str | os.PathLike, layer: str, *, overwrite: bool = False, engine: str | None = None
) -> None:
    """Write one layer into a project in one transaction, refusing to replace one unless ``overwrite``.

    The rest of the file (other layers, ``layer_styles``, QGIS's and the user's tables) is
    untouched; a new file is created when ``path`` does not exist.
    """
    _write({layer: df}, path, overwrite=overwrite, engine=engine)


def write_project(
    layers: Mapping[str, Any],
    path: str | os.PathLike,
    *,
    overwrite: bool = False,
    engine: str | None = None,
) -> None:
    """Write a project (a dict of layers): a new GeoPackage, or into an existing one with ``overwrite``.

    Into an existing file, all the given layers are replaced in one transaction; layers and
    tables not given are kept. Recorded history (the ledgers) can only grow. A PostgreSQL URL
    names a schema: created if new; one that holds tables already needs ``overwrite``.
    """
    _write(layers, path, overwrite=overwrite, engine=engine, new_project=True)


def _write(
    layers: Mapping[str, Any], path: ProjectRef, *, overwrite: bool, engine: str | None, new_project: bool = False
) -> None:
    project = open_project(path)
    shaped = {name: _to_disk_shape(df, name) for name, df in layers.items()}
    if project.local_file is None or _engine(engine) == "pyogrio":  # fiona writes days as text: its DATETIME stays
        shaped = {name: _as_days(df, LAYERS.get(name.lower())) for name, df in shaped.items()}
    notes: list[dict] = []
    notes += project.write_layers(
        shaped,
        overwrite=overwrite,
        new_project=new_project,
        engine=engine,
        check=_history_guard(project.display(), shaped),
        after=_follow_after_replace(notes),
    )
    _warn(project.display(), notes)


def _warn(where: Any, notes: list[dict]) -> None:
    if notes:  # said after the commit: a warning turned into an error must not undo the write
        import warnings

        from ..errors import LandkitWarning

        for note in notes:
            warnings.warn(LandkitWarning(where=where, **note), stacklevel=4)


@contextlib.contextmanager
def writing(path: str | os.PathLike, *, dry_run: bool = False) -> Iterator[Any]:
    """Yield a Writer inside one transaction on a project: everything it does commits together or not at all.

    With ``dry_run`` it reads one consistent snapshot and writes nothing. The Writer's methods
    (``has``, ``columns``, ``require``, ``rows``, ``max``, ``add_column``, ``insert``, ``update``)
    are the same on both backends; in a database, a keyed read of a layer locks those rows.
    """
    with open_project(path).writing(dry_run=dry_run) as writer:
        yield writer


def content_hash(layers: Mapping[str, Any]) -> str:
    """Return a SHA-256 of the layers' features (ids, attributes, geometry as WKB), not the file's bytes.

    Two files with the same features have the same hash, whatever SQLite did with its pages.
    """
    import geopandas as gpd
    import pandas as pd
    import shapely

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


def file_sha256(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes: the one identity of an input, stamped on every output.

    A project in a database has no file bytes: its identity is its :func:`content_hash`, read in
    one snapshot (a GeoPackage pulled from it has that same content hash).
    """
    return open_project(path).sha256()


# -- a shared office database ---------------------------------------------------------------------


def _same_project(a: str, b: str) -> bool:
    """Whether two URLs name the same schema of the same database (whoever connects)."""
    from psycopg.conninfo import conninfo_to_dict

    def where(url: str) -> tuple:
        project = postgis.parse(url)
        info = conninfo_to_dict(project.conninfo)
        where = (info.get("service"), info.get("host"), str(info.get("port") or 5432), info.get("dbname"))
        return (*where, project.schema)

    return where(a) == where(b)


def _refuse_folder(target: Project) -> None:
    there = target.local_file
    if there is not None and there.is_dir():
        raise DataError(code="store.target_is_folder", path=target, example=there / "lushan.gpkg")


def _copy(source: ProjectRef, target: ProjectRef, overwrite: bool) -> dict[str, int]:
    _refuse_folder(open_project(target))
    if is_url(source) and is_url(target) and _same_project(str(source), str(target)):
        raise DataError(code="store.copy_onto_itself_schema", where=display(target))
    layers = read_project(source)
    write_project(layers, target, overwrite=overwrite)
    return {name: len(df) for name, df in layers.items()}


def copy_project(source: ProjectRef, target: ProjectRef, *, overwrite: bool = False) -> Project:
    """Copy a project. To a new file from a file: byte for byte, so the copy's identity (its file
    sha256) is the source's. Otherwise the layers, in one transaction into the target (an
    existing file or schema only with ``overwrite``; its ledgers can only grow). Returns the target."""
    src, dst = open_project(source), open_project(target)
    _refuse_folder(dst)
    here, there = src.local_file, dst.local_file
    if here is not None and there is not None and there.exists() and there.samefile(here):
        raise DataError(code="store.copy_onto_itself_file", where=dst)
    if here is not None and there is not None and not there.exists():
        from ..io import write_bytes

        src.check()
        write_bytes(here.read_bytes(), there)
        return dst
    if there is not None and there.exists() and not overwrite:
        raise LayerExistsError(code="store.copy_target_exists", where=dst)
    _copy(source, target, overwrite)
    return dst


def push(gpkg_path: str | os.PathLike, url: str, *, overwrite: bool = False) -> dict[str, int]:
    """Copy a GeoPackage project (or a project in a database) into a PostgreSQL/PostGIS schema, in one transaction.

    The schema is created with the contract's keys, constraints, spatial indexes and the ledgers'
    append-only triggers. A schema that holds tables already is refused unless ``overwrite``;
    then its layers are replaced, and its ledgers only take the events they do not have (history
    in the database is never changed). Returns the number of features per layer.
    """
    if not is_url(url):
        raise DataError(code="store.push_needs_url", where=display(url))
    return _copy(gpkg_path, url, overwrite)


def pull(url: str, gpkg_path: str | os.PathLike, *, overwrite: bool = False) -> dict[str, int]:
    """Write a GeoPackage snapshot of a project in a database (one consistent read; the file appears whole).

    An existing file is refused unless ``overwrite`` (then its layers are replaced, in one
    transaction, and its ledgers can only grow). A postgresql:// URL as the target copies the
    project into that schema instead, as :func:`push` does. Returns the number of features per layer.
    """
    if not is_url(url):
        raise DataError(code="store.pull_needs_url", where=display(url))
    return _copy(url, gpkg_path, overwrite)


def layer_crs(path: ProjectRef, layer: str) -> Any:
    """The CRS of a layer of a project, or None when the project (or the layer) does not exist yet."""
    return open_project(path).crs(layer)


def grant(url: str, *, reader: str | None = None, recorder: str | None = None) -> None:
    """Give a read-only role and a recording role their rights on a project in a database.

    ``reader`` reads every table; ``recorder`` reads, appends events to the ledgers and sets the
    status columns they decide (nothing else). Roles that do not exist are created (NOLOGIN);
    give them to people with ``GRANT role TO person``.
    """
    if not is_url(url):
        raise DataError(code="store.grant_needs_url", where=url)
    pg_write.grant(url, reader=reader, recorder=recorder)
