"""GeoPackage projects: read through GDAL, every write inside the file, in one SQLite transaction.

A GeoPackage is an SQLite database, and the office keeps it open in QGIS all day. So landkit
never copies and replaces the file: each write is ``BEGIN IMMEDIATE … COMMIT`` on the file
itself, in whatever journal mode it is in (WAL while QGIS has it open), with SQLite's own locks
and busy timeout (they work on Windows too). SQLite's journal makes every write atomic and
crash-safe, and the file keeps its identity: links, owner, permission bits, another program's
open connection and its ``-wal``.

A whole layer is replaced by letting GDAL write it into a scratch GeoPackage first, then copying
its table, R-tree index, triggers and metadata rows into the project in one transaction; every
other table (``layer_styles``, QGIS's own, the user's) is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import struct
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import settings
from ..errors import DataError, LayerExistsError, ProjectLockedError

_SQLITE_MAGIC = b"SQLite format 3\x00"
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"  # how GDAL stamps gpkg_contents.last_change


def _q(name: str) -> str:
    """Quote an SQL identifier (layer and column names come from files: never trust them)."""
    return '"' + name.replace('"', '""') + '"'


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the project with SQLite by its plain path (URIs cannot name a Windows share, \\\\server\\…).

    The file exists (checked before); a reader sets ``query_only`` so that it cannot write.
    """
    name = os.fspath(path)
    if name.startswith("file:"):  # with uri=True that would be read as a URI
        name = os.path.join(".", name)
    # uri=True lets ATTACH take a read-only scratch file (below); a plain path stays a plain path
    db = sqlite3.connect(name, timeout=settings.busy_timeout_s, isolation_level=None, uri=True)
    if readonly:
        db.execute("PRAGMA query_only = ON")
    return db


def _finish_interrupted_write(path: Path) -> None:
    """Let SQLite roll back a write that a crash interrupted, before anything reads the file.

    A killed writer leaves its rollback journal (``NAME.gpkg-journal``) beside the file; the
    next connection that may write restores the last committed state from it, while read-only
    readers (GDAL's) refuse the file until then. This is SQLite's own crash recovery, as QGIS
    does on opening; it changes nothing when no write was interrupted.
    """
    journal = Path(f"{path}-journal")
    if journal.exists() and journal.stat().st_size > 0:
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(_connect(path)) as db,
        ):
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _check_header(path: Path) -> Path:
    """Raise a DataError unless the file's header says an intact GeoPackage (cheap: 100 bytes)."""
    if not path.exists():
        raise DataError(code="io.no_such_file", path=path)
    if not path.is_file():
        raise DataError(code="gpkg.is_folder", path=path)
    with path.open("rb") as f:
        header = f.read(100)
    if not header:
        raise DataError(code="gpkg.empty_file", path=path)
    if not header.startswith(_SQLITE_MAGIC):
        raise DataError(code="gpkg.not_sqlite", path=path)
    _finish_interrupted_write(path)  # a crash mid-write can leave the header ahead of the pages
    with path.open("rb") as f:
        header = f.read(100)
    (page_size,) = struct.unpack(">H", header[16:18]) if len(header) >= 18 else (0,)
    page_size = 65536 if page_size == 1 else page_size
    (page_count,) = struct.unpack(">I", header[28:32]) if len(header) >= 32 else (0,)
    size = path.stat().st_size
    if page_size and page_count and size < page_size * page_count:
        raise DataError(code="gpkg.truncated", path=path, size=size, expected=page_size * page_count)
    (app_id,) = struct.unpack(">I", header[68:72]) if len(header) >= 72 else (0,)
    if app_id != _GPKG_APPLICATION_ID:
        raise DataError(code="gpkg.not_geopackage", path=path)
    return path


def check_geopackage(path: str | os.PathLike) -> Path:
    """Raise a DataError unless ``path`` is an intact GeoPackage; return it as a Path.

    A truncated or partly overwritten GeoPackage can still open, and some readers then return
    part of its rows without an error; SQLite's own page check catches both.
    """
    path = _check_header(Path(path))
    try:
        with contextlib.closing(_connect(path, readonly=True)) as db:
            verdict = [row[0] for row in db.execute("PRAGMA quick_check(5)")]
            tables = db.execute("SELECT count(*) FROM gpkg_contents").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "no such table" in str(exc):
            raise DataError(code="gpkg.no_contents", path=path) from None
        raise DataError(code="gpkg.damaged", path=path, detail=exc) from exc
    if verdict != ["ok"]:
        detail = " ".join(verdict[0].replace("***", "").split())[:120]
        raise DataError(code="gpkg.damaged", path=path, detail=f"SQLite: {detail}")
    if not tables:  # GDAL refuses to open such a file at all
        raise DataError(code="gpkg.no_layers", path=path)
    return path


# -- the SQL functions GDAL's R-tree triggers call ------------------------------------------
# A layer's triggers keep its R-tree in step with its geometry; SQLite needs the functions
# they name to exist before it runs any UPDATE of the layer, even one that leaves geometry alone.


def _envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a GeoPackage geometry blob; None if empty or not one."""
    if not blob or len(blob) < 8 or blob[:2] != b"GP" or blob[3] & 0x10:
        return None
    flags = blob[3]
    order = "<" if flags & 1 else ">"
    if (flags >> 1) & 7:
        return struct.unpack_from(order + "4d", blob, 8)
    import shapely  # no envelope in the header: read the geometry itself

    xmin, ymin, xmax, ymax = shapely.bounds(shapely.from_wkb(bytes(blob[8:])))
    return (xmin, xmax, ymin, ymax)


def _st_is_empty(blob: bytes | None) -> int | None:
    if blob is None or len(blob) < 4 or blob[:2] != b"GP":
        return None
    return 1 if blob[3] & 0x10 else 0


def _register_functions(db: sqlite3.Connection) -> None:
    db.create_function("ST_IsEmpty", 1, _st_is_empty, deterministic=True)
    for k, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        db.create_function(name, 1, lambda b, k=k: e[k] if (e := _envelope(b)) else None, deterministic=True)


@contextlib.contextmanager
def transaction(
    path: str | os.PathLike, *, attach: Mapping[str, Path] | None = None, dry_run: bool = False
) -> Iterator[sqlite3.Connection]:
    """Yield a connection inside ``BEGIN IMMEDIATE``; commit on success, roll back on any error.

    Waits up to ``settings.busy_timeout_s`` for another program's write to finish, then raises
    ProjectLockedError. ``attach`` names scratch databases to attach (read) first. A dry run
    opens the file read-only, reads one snapshot and always rolls back.
    """
    path = _check_header(Path(path))
    try:
        db = _connect(path, readonly=dry_run)
    except sqlite3.Error as exc:
        raise DataError(code="gpkg.cannot_open", path=path, detail=exc) from None
    _register_functions(db)
    from ..io import sqlite_uri

    try:
        for alias, scratch in (attach or {}).items():
            # read-only: the scratch takes no write lock, so the commit is the project's alone
            # (no super-journal file beside the project)
            db.execute(f"ATTACH DATABASE ? AS {_q(alias)}", (sqlite_uri(scratch.resolve()),))  # UNC-safe
        db.execute("BEGIN" if dry_run else "BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("ROLLBACK" if dry_run else "COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as exc:
        raise _explain(path, exc) from None
    finally:
        db.close()


def _explain(path: Path, exc: sqlite3.DatabaseError) -> Exception:
    """SQLite's error as the planner's next step; nothing was written in any of these cases."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return ProjectLockedError(code="gpkg.busy", path=path)
    if "readonly" in message or "read-only" in message:
        return DataError(code="gpkg.read_only", path=path)
    if "full" in message or "disk I/O" in message:
        return DataError(code="gpkg.disk", path=path, detail=message)
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return DataError(code="gpkg.damaged_unwritten", path=path, detail=message)
    return DataError(code="gpkg.refused", path=path, detail=message)


# -- reading ------------------------------------------------------------------------------------


def list_layers(path: str | os.PathLike) -> list[str]:
    """Return the names of the layers (and tables) in a GeoPackage."""
    import pyogrio

    path = check_geopackage(path)
    return [str(name) for name, _ in pyogrio.list_layers(path)]


def alone(layer: str) -> dict[str, str]:
    """GDAL open options under which a GeoPackage shows GDAL only ``layer`` (a table registered in
    ``gpkg_contents``): GDAL opens a GeoPackage in time proportional to all its tables (its listing
    query looks each one up in ``sqlite_master``: 1–2 s with 420 tables), so reading the layers of a
    file of hundreds one by one is quadratic. Temporary views named ``gpkg_contents`` and
    ``gpkg_geometry_columns`` that hold only this layer's rows hide the others: SQLite resolves an
    unqualified name in ``temp`` before ``main``. Nothing is written to the file. Empty (GDAL sees
    everything) when the name cannot be given safely in GDAL's list of statements."""
    if ";" in layer or "\x00" in layer:
        return {}
    name = layer.replace("'", "''")
    views = "; ".join(
        f"CREATE TEMP VIEW {table} AS SELECT * FROM main.{table} WHERE lower(table_name) = lower('{name}')"
        for table in ("gpkg_contents", "gpkg_geometry_columns")
    )
    return {"PRELUDE_STATEMENTS": views, "LIST_ALL_TABLES": "NO"}


def read_table(
    path: Path, layer: str, *, engine: str, encoding: str | None = None, fid: bool = False, only: bool = False
) -> Any:
    """Read one layer with GDAL (pyogrio with Arrow, or fiona); the file is only read. With ``fid``,
    pyogrio's rows are indexed by their feature id (unnamed), as QGIS numbers them. With ``only``
    (a layer registered in ``gpkg_contents``), GDAL is shown this layer alone (:func:`alone`): the
    same rows, in time independent of the file's other tables."""
    import geopandas as gpd
    import pyogrio

    try:
        with warnings.catch_warnings():  # NaN vertices: shapely warns; the schema check reports them
            warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
            if engine == "pyogrio":
                options = alone(layer) if only else {}
                df = pyogrio.read_dataframe(
                    path, layer=layer, use_arrow=True, encoding=encoding, fid_as_index=fid, **options
                )
                if fid:
                    df.index.name = None
                return df
            return gpd.read_file(path, layer=layer, engine="fiona", encoding=encoding)
    except Exception as exc:  # the engines raise many types; all mean the same to a planner
        raise DataError(code="gpkg.unreadable_layer", path=path, layer=layer, detail=exc) from exc


#: Declared types SQLite gives a number affinity (GDAL writes INTEGER, REAL, FLOAT, DOUBLE …).
_NUMBER_TYPES = ("INT", "REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL")


def text_in_numbers(path: Path, table: str, wanted: Iterable[str]) -> dict[str, dict[int, str]]:
    """The cells of a table's number columns that hold text, column -> fid -> the text as stored.

    SQLite keeps what it cannot convert: ``4.6万`` or ``1,200`` typed into a REAL column stays text,
    and GDAL (so QGIS and landkit's reader) reads the number the text begins with, 4.6 and 1, with
    no warning. One pass over the table; none when the layer has no number columns."""
    with contextlib.closing(_connect(path, readonly=True)) as db:
        declared = columns(db, table)
        numbers = [c for c in wanted if any(k in declared.get(c, "TEXT") for k in _NUMBER_TYPES)]
        if not numbers:
            return {}
        where = " OR ".join(f"typeof({_q(c)}) = 'text'" for c in numbers)
        rows = db.execute(f"SELECT rowid, {', '.join(map(_q, numbers))} FROM {_q(table)} WHERE {where}").fetchall()
    found: dict[str, dict[int, str]] = {}
    for fid, *cells in rows:
        for column, cell in zip(numbers, cells, strict=True):
            if isinstance(cell, str):
                found.setdefault(column, {})[fid] = cell
    return found


def row_positions(path: Path, table: str, fids: Iterable[int]) -> list[int]:
    """Where features are among a table's rows as GDAL reads them (by fid), for a reader that does
    not index its rows by fid (fiona)."""
    wanted = list(fids)
    sql = f"SELECT rowid, row_number() OVER (ORDER BY rowid) - 1 FROM {_q(table)}"
    with contextlib.closing(_connect(path, readonly=True)) as db:
        position = dict(db.execute(sql).fetchall()) if wanted else {}  # one pass, however many fids
    return [position[fid] for fid in wanted]


# -- writing: rows ------------------------------------------------------------------------------


def columns(db: sqlite3.Connection, table: str, schema: str = "main") -> dict[str, str]:
    """Column name -> declared type (upper case) of a table."""
    return {row[1]: str(row[2]).upper() for row in db.execute(f"PRAGMA {_q(schema)}.table_info({_q(table)})")}


def has_table(db: sqlite3.Connection, table: str, schema: str = "main") -> bool:
    sql = f"SELECT 1 FROM {_q(schema)}.sqlite_master WHERE type = 'table' AND lower(name) = lower(?)"
    return db.execute(sql, (table,)).fetchone() is not None


def _cell(value: Any, declared: str) -> Any:
    """A Python value as GDAL stores it in a column of this declared type (dates as ISO text)."""
    if value is not None and declared in ("DATE", "DATETIME"):
        day = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]
        return day if declared == "DATE" else f"{day}T00:00:00"
    return value


def touched(db: sqlite3.Connection, table: str) -> None:
    """Stamp the table's ``gpkg_contents.last_change`` as GDAL and QGIS do."""
    db.execute(f"UPDATE gpkg_contents SET last_change = {_NOW} WHERE lower(table_name) = lower(?)", (table,))


def require_columns(table: str, have: set[str], names: Iterable[str]) -> None:
    """Raise a DataError naming the columns of ``names`` that ``table`` lacks (both backends' Writers)."""
    missing = [n for n in names if n != "rowid" and n not in have]
    if missing:
        raise DataError(code="store.no_column", layer=table, missing=", ".join(missing), have=", ".join(sorted(have)))


class Writer:
    """Row-level reads and writes inside one transaction: what the ledgers need of a project.

    Rows are addressed by their ``rowid`` (the GeoPackage feature id). A dry-run writer reads a
    consistent snapshot and refuses to write.
    """

    def __init__(self, db: sqlite3.Connection, *, dry_run: bool = False) -> None:
        self.db, self.dry_run = db, dry_run

    def has(self, table: str) -> bool:
        return has_table(self.db, table)

    def columns(self, table: str) -> set[str]:
        return set(columns(self.db, table))

    def require(self, table: str, names: Iterable[str]) -> None:
        """Refuse to go on unless the table has these columns (SQLite would read a missing
        double-quoted column name as a string and match every row)."""
        require_columns(table, self.columns(table), names)

    def rows(self, table: str, wanted: Sequence[str], key: str | None = None, values: Iterable[Any] = ()) -> list:
        """``wanted`` columns ("rowid" allowed) in file order; with ``key``, only rows whose key is in
        ``values`` (one scan, however many values)."""
        import json

        self.require(table, [*wanted, *([key] if key else [])])
        sql = f"SELECT {', '.join(c if c == 'rowid' else _q(c) for c in wanted)} FROM {_q(table)}"
        if key is None:
            return self.db.execute(sql + " ORDER BY rowid").fetchall()
        sql += f" WHERE {_q(key)} IN (SELECT value FROM json_each(?)) ORDER BY rowid"
        return self.db.execute(sql, (json.dumps(list(values), ensure_ascii=False),)).fetchall()

    def max(self, table: str, column: str) -> Any:
        self.require(table, [column])
        return self.db.execute(f"SELECT max({_q(column)}) FROM {_q(table)}").fetchone()[0]

    def _writable(self) -> None:
        if self.dry_run:
            raise RuntimeError("a dry run does not write")

    def add_column(self, table: str, column: str, kind: str = "TEXT") -> None:
        self._writable()
        if column not in self.columns(table):
            self.db.execute(f"ALTER TABLE {_q(table)} ADD COLUMN {_q(column)} {kind}")

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Append rows (GDAL's triggers keep the feature count); every row has the same keys."""
        self._writable()
        if not rows:
            return
        declared = columns(self.db, table)
        names = list(rows[0])
        self.require(table, names)
        sql = f"INSERT INTO {_q(table)} ({', '.join(map(_q, names))}) VALUES ({', '.join('?' * len(names))})"
        self.db.executemany(sql, ([_cell(r[n], declared[n]) for n in names] for r in rows))
        touched(self.db, table)

    def create_table(self, table: str, kinds: Mapping[str, str]) -> None:
        """Create an attribute table (no geometry) with these columns ({name: text|int|float|date}),
        registered in ``gpkg_contents`` as GDAL and QGIS read it; dates are DATE."""
        self._writable()
        types = {"text": "TEXT", "int": "INTEGER", "float": "REAL", "date": "DATE"}
        cols = ", ".join(f"{_q(name)} {types[kind]}" for name, kind in kinds.items())
        self.db.execute(f'CREATE TABLE {_q(table)} ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {cols})')
        self.db.execute(
            f"INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) "
            f"VALUES (?, 'attributes', ?, {_NOW})",
            (table, table),
        )

    def update(self, table: str, column: str, values: Mapping[int, Any]) -> None:
        """Set ``column`` of the rows with these rowids to the given values."""
        self._writable()
        self.require(table, [column])
        declared = columns(self.db, table)[column]
        sql = f"UPDATE {_q(table)} SET {_q(column)} = ? WHERE rowid = ?"
        self.db.executemany(sql, ((_cell(v, declared), k) for k, v in values.items()))
        if values:
            touched(self.db, table)


# -- writing: whole layers ------------------------------------------------------------------------

_METADATA = ("gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents", "gpkg_contents")
_GDALS_OWN = ("rtree_", "trigger_insert_feature_count_", "trigger_delete_feature_count_", "gpkg_", "sqlite_")


def _write_scratch(frames: Mapping[str, Any], path: Path, engine: str) -> None:
    """Let GDAL write the layers into a new GeoPackage (the scratch file, or a new project)."""
    with _unsynced():
        _write_layers(frames, path, engine)


@contextlib.contextmanager
def _unsynced() -> Iterator[None]:
    """GDAL's SQLite without a sync per layer: the scratch file is private and synced once, whole,
    before it is moved into place (a crash meanwhile leaves no file at all); restored after."""
    import pyogrio

    before = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": before})


def _write_layers(frames: Mapping[str, Any], path: Path, engine: str) -> None:
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    for layer, df in frames.items():
        try:
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
        except OSError:
            raise
        except Exception as exc:  # GDAL's refusals (a text "fid" column, a type it cannot store …)
            hint = "_fid" if "FID" in str(exc) else ""
            raise DataError(code=f"gpkg.unwritable{hint}", layer=layer, detail=exc) from None


def _rtree_tables(db: sqlite3.Connection, schema: str, table: str) -> list[str]:
    if not has_table(db, "gpkg_extensions", schema):
        return []
    sql = (
        f"SELECT column_name FROM {_q(schema)}.gpkg_extensions "
        "WHERE lower(table_name) = lower(?) AND extension_name = 'gpkg_rtree_index'"
    )
    return [f"rtree_{table}_{c}" for (c,) in db.execute(sql, (table,))]


def _drop_layer(db: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """Drop a layer and its metadata rows; return the user's own indexes and triggers on it."""
    own = [
        (name, sql)
        for kind, name, sql in db.execute(
            "SELECT type, name, sql FROM main.sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL",
            (table,),
        )
        if not name.lower().startswith(_GDALS_OWN)
    ]
    for rtree in _rtree_tables(db, "main", table):
        db.execute(f"DROP TABLE IF EXISTS main.{_q(rtree)}")
    db.execute(f"DROP TABLE main.{_q(table)}")  # its triggers and indexes go with it
    for meta in _METADATA:
        if has_table(db, meta):
            db.execute(f"DELETE FROM main.{meta} WHERE lower(table_name) = lower(?)", (table,))
    return own


def _copy_rows(db: sqlite3.Connection, meta: str, where: str, value: Any, **override: Any) -> None:
    """Copy rows of a metadata table from the scratch file, on the columns both files have.

    Columns only the project has (an extension's, NOT NULL) get 'undefined' as the GeoPackage
    specification allows; ``override`` sets columns to given values (a remapped srs_id).
    """
    info = {r[1]: r for r in db.execute(f"PRAGMA main.table_info({meta})")}
    theirs = columns(db, meta, "src")
    names = [c for c in info if c in theirs or c in override or (info[c][3] and info[c][4] is None and not info[c][5])]
    values = ["?" if c in override else (_q(c) if c in theirs else "'undefined'") for c in names]
    args = [override[c] for c in names if c in override]
    db.execute(
        f"INSERT INTO main.{meta} ({', '.join(map(_q, names))}) SELECT {', '.join(values)} FROM src.{meta} "
        f"WHERE {where}",
        (*args, value),
    )


def _srs_for(db: sqlite3.Connection, table: str) -> tuple[int, int] | None:
    """(scratch srs_id, the project's srs_id for that CRS): reuse an identical CRS, else a free id."""
    found = db.execute("SELECT srs_id FROM src.gpkg_contents WHERE table_name = ?", (table,)).fetchone()
    if found is None or found[0] is None:
        return None
    srs_id = int(found[0])
    key = "SELECT organization, organization_coordsys_id, definition FROM {}.gpkg_spatial_ref_sys WHERE srs_id = ?"
    theirs = db.execute(key.format("src"), (srs_id,)).fetchone()
    mine = db.execute(key.format("main"), (srs_id,)).fetchone()
    if mine is None or theirs is None or srs_id <= 0:
        return srs_id, srs_id
    same_code = str(mine[0]).upper() == str(theirs[0]).upper() and mine[1] == theirs[1]
    if same_code and (str(theirs[0]).upper() != "NONE" or mine[2] == theirs[2]):
        return srs_id, srs_id
    match = db.execute(
        "SELECT srs_id FROM main.gpkg_spatial_ref_sys WHERE definition = ? AND srs_id > 0", (theirs[2],)
    ).fetchone()
    if match is not None:
        return srs_id, int(match[0])
    free = int(db.execute("SELECT max(max(srs_id), 99999) FROM main.gpkg_spatial_ref_sys").fetchone()[0]) + 1
    return srs_id, free


def _copy_layer(db: sqlite3.Connection, table: str, keep: list[tuple[str, str]]) -> list[str]:
    """Create ``table`` in the project from the attached scratch file: rows, R-tree, triggers, metadata.

    ``keep`` are the user's own indexes and triggers of the layer it replaces: recreated where
    their columns still exist. Returns the names of those that could not be.
    """
    objects = db.execute(
        "SELECT type, name, sql FROM src.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL", (table,)
    ).fetchall()
    (create,) = [sql for kind, _, sql in objects if kind == "table"]
    db.execute(create)
    srs = _srs_for(db, table)
    geometry = db.execute("SELECT column_name FROM src.gpkg_geometry_columns WHERE table_name = ?", (table,)).fetchone()
    if srs is not None and srs[0] != srs[1] and geometry is not None:
        # the CRS takes another id here: rewrite it in each geometry blob's header (bytes 5-8)
        cols = list(columns(db, table, "src"))
        g = _q(geometry[0])
        le, be = struct.pack("<i", srs[1]).hex(), struct.pack(">i", srs[1]).hex()
        little = f"instr('13579BDF', substr(hex(substr({g}, 4, 1)), 2, 1)) > 0"  # flags bit 0: byte order
        head, tail = f"substr({g}, 1, 4)", f"substr({g}, 9)"  # || makes text of blobs: cast back
        blob = (
            f"CASE WHEN {g} IS NULL THEN NULL WHEN {little} THEN CAST({head} || X'{le}' || {tail} AS BLOB) "
            f"ELSE CAST({head} || X'{be}' || {tail} AS BLOB) END"
        )
        select = ", ".join(blob if c == geometry[0] else _q(c) for c in cols)
        db.execute(f"INSERT INTO main.{_q(table)} ({', '.join(map(_q, cols))}) SELECT {select} FROM src.{_q(table)}")
    else:
        db.execute(f"INSERT INTO main.{_q(table)} SELECT * FROM src.{_q(table)}")
    for rtree in _rtree_tables(db, "src", table):
        (sql,) = db.execute("SELECT sql FROM src.sqlite_master WHERE name = ?", (rtree,)).fetchone()
        db.execute(sql)
        db.execute(f"INSERT INTO main.{_q(rtree)} SELECT * FROM src.{_q(rtree)}")
    counted = has_table(db, "gpkg_ogr_contents")
    for kind, name, sql in objects:  # after the rows: the triggers must not run once per row
        if kind in ("trigger", "index") and (counted or "feature_count" not in name):
            db.execute(sql)
    if (
        srs is not None
        and not db.execute("SELECT 1 FROM main.gpkg_spatial_ref_sys WHERE srs_id = ?", (srs[1],)).fetchone()
    ):
        _copy_rows(db, "gpkg_spatial_ref_sys", "srs_id = ?", srs[0], srs_id=srs[1])
    remap = {"srs_id": srs[1]} if srs is not None and srs[0] != srs[1] else {}
    _copy_rows(db, "gpkg_contents", "lower(table_name) = lower(?)", table, **remap)
    for meta in ("gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents"):
        if meta == "gpkg_ogr_contents" and not counted:
            continue  # the project keeps no counts: GDAL counts the rows itself
        if has_table(db, meta, "src"):
            if not has_table(db, meta):
                (sql,) = db.execute("SELECT sql FROM src.sqlite_master WHERE name = ?", (meta,)).fetchone()
                db.execute(sql)
            extra = remap if meta == "gpkg_geometry_columns" else {}
            _copy_rows(db, meta, "lower(table_name) = lower(?)", table, **extra)
    lost = []
    for name, sql in keep:
        try:
            db.execute(sql)
        except sqlite3.OperationalError:  # a column it names is gone with the old layer
            lost.append(name)
    return lost


def create_project(frames: Mapping[str, Any], path: Path, *, engine: str) -> None:
    """Write a new GeoPackage: built beside the target, synced, then moved into the free name.

    GDAL builds it (and its journal) inside a new private folder of a random name beside the
    target (``mkdtemp``: nobody can plant a file or a link in it), so that the move stays on one
    drive and atomic; the folder goes, whatever happens.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        scratch = folder / "new.gpkg"
        _write_scratch(frames, scratch, engine)
        with open(scratch, "rb+") as f:
            os.fsync(f.fileno())
        if path.exists():  # appeared meanwhile: never replace it
            raise LayerExistsError(code="gpkg.appeared", path=path)
        os.replace(scratch, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def existing_names(path: Path) -> dict[str, str]:
    """The project's table names, keyed by their lower case (SQLite's names ignore case)."""
    with contextlib.closing(_connect(path, readonly=True)) as db:
        return {r[0].lower(): r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def replace_layers(
    frames: Mapping[str, Any],
    path: Path,
    *,
    engine: str,
    overwrite: bool,
    check: Any = None,
    after: Any = None,
) -> list[str]:
    """Write each layer into the project in one transaction, replacing a layer only with ``overwrite``.

    A layer keeps the name (and case) it has in the project. ``check(db, replaced_names)`` runs
    inside the transaction before anything changes (the history guard), ``after(db, names)``
    after the layers are in (the ledgers' statuses), so a concurrent writer cannot slip in
    between. Returns the user's indexes and triggers that could not be kept.
    """
    names = existing_names(_check_header(path))
    frames = {names.get(name.lower(), name): df for name, df in frames.items()}
    scratch_dir = Path(tempfile.mkdtemp(prefix="landkit-"))
    lost: list[str] = []
    try:
        scratch = scratch_dir / "layers.gpkg"
        _write_scratch(frames, scratch, engine)
        with transaction(path, attach={"src": scratch}) as db:
            existing = {r[0].lower(): r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            clash = [name for name in frames if name.lower() in existing]
            if clash and not overwrite:
                raise LayerExistsError(code="store.layer_exists", where=path, layer=clash[0])
            if check is not None:
                check(db, {existing[n.lower()] for n in clash})
            for name in frames:
                keep = _drop_layer(db, existing[name.lower()]) if name.lower() in existing else []
                lost += _copy_layer(db, name, keep)
                touched(db, name)
            if after is not None:
                after(db, set(frames))
    finally:
        shutil.rmtree(scratch_dir, ignore_errors=True)
    return lost


# -- what QGIS reads from the file: its map layers, its project_info, QGIS's own layer_styles ------

# QGIS's own layer_styles table in a GeoPackage, as QGIS 3.22 (through GDAL) creates it.
_STYLES_DDL = (
    'CREATE TABLE "layer_styles" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "f_table_catalog" TEXT(256), '
    '"f_table_schema" TEXT(256), "f_table_name" TEXT(256), "f_geometry_column" TEXT(256), "styleName" TEXT(30), '
    '"styleQML" TEXT, "styleSLD" TEXT, "useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)
_STYLES_TRIGGERS = [
    'CREATE TRIGGER "trigger_insert_feature_count_layer_styles" AFTER INSERT ON "layer_styles" BEGIN UPDATE '
    "gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE lower(table_name) = lower('layer_styles'); END",
    'CREATE TRIGGER "trigger_delete_feature_count_layer_styles" AFTER DELETE ON "layer_styles" BEGIN UPDATE '
    "gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE lower(table_name) = lower('layer_styles'); END",
]
_STYLE_COLUMNS = (
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
    "owner",
    "ui",
    "update_time",
)
_STYLE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"  # as QGIS stamps layer_styles.update_time


def geometry_layers(db: sqlite3.Connection) -> dict[str, tuple[str, str, int]]:
    """layer -> (geometry column, geometry type, srs_id) for every geometry layer of the file."""
    rows = db.execute("SELECT table_name, column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns")
    return {str(t): (str(c), str(g), int(s)) for t, c, g, s in rows}


def project_info(db: sqlite3.Connection) -> dict[str, str]:
    """The project's project_info table (key, value), empty when it has none."""
    if not has_table(db, "project_info"):
        return {}
    try:
        rows = db.execute('SELECT "key", "value" FROM project_info').fetchall()
    except sqlite3.OperationalError:  # a table of another shape
        return {}
    return {str(k): str(v).strip() for k, v in rows if v is not None and str(v).strip()}


def map_layers(path: Path, wanted: Iterable[str]) -> tuple[dict, dict, dict[str, str]]:
    """The ``wanted`` geometry layers the file has: (layer -> pyproj CRS, layer -> bounding box
    (``(None,)`` without features), project_info), read from its tables and R-trees."""
    import pyproj

    wanted = set(wanted)
    crs: dict[str, Any] = {}
    boxes: dict[str, Any] = {}
    with contextlib.closing(_connect(path, readonly=True)) as db:
        for name, (geom, _, srs_id) in geometry_layers(db).items():
            if name not in wanted:
                continue
            row = db.execute(
                "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
                (srs_id,),
            ).fetchone()
            if row is None or srs_id <= 0:
                raise DataError(code="gpkg.undefined_srs", path=path, layer=name, srs_id=srs_id)
            org, code, definition = row
            epsg = str(org).upper() == "EPSG"
            crs[name] = pyproj.CRS.from_user_input(f"{org}:{code}") if epsg else pyproj.CRS(definition)
            rtree = f"rtree_{name}_{geom}"
            boxes[name] = (None,)
            if has_table(db, rtree):
                boxes[name] = db.execute(
                    f"SELECT min(minx), min(miny), max(maxx), max(maxy) FROM {_q(rtree)}"
                ).fetchone()
        info = project_info(db)
    return crs, boxes, info


def descriptions(path: Path) -> list[str] | None:
    """The description of every table in gpkg_contents but QGIS's layer_styles, None when the file
    cannot be read as a GeoPackage."""
    try:
        with contextlib.closing(_connect(path, readonly=True)) as db:
            rows = db.execute("SELECT description FROM gpkg_contents WHERE table_name != 'layer_styles'").fetchall()
    except sqlite3.Error:
        return None
    return [str(d or "") for (d,) in rows]


def _create_styles_table(db: sqlite3.Connection) -> None:
    """Create ``layer_styles`` exactly as QGIS does (via GDAL): the table, its feature-count
    triggers, and its rows in gpkg_contents and gpkg_ogr_contents."""
    db.execute(_STYLES_DDL)
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
        f"VALUES ('layer_styles', 'attributes', 'layer_styles', '', {_STYLE_NOW}, 0)"
    )
    if has_table(db, "gpkg_ogr_contents"):
        db.execute("INSERT INTO gpkg_ogr_contents (table_name, feature_count) VALUES ('layer_styles', 0)")
        for trigger in _STYLES_TRIGGERS:
            db.execute(trigger)


def write_styles(path: Path, styles: Mapping[str, tuple[str, str, str]], style_name: str) -> dict[str, str]:
    """Write QGIS styles (layer -> (QML, SLD, description)) into ``layer_styles`` as rows named
    ``style_name``, in one transaction; only the layers the file has. Another default style of a
    layer stays its default. Returns per layer styled ``"default"`` or ``"kept <name>"``."""
    done: dict[str, str] = {}
    with transaction(path) as db:
        writer = Writer(db)
        layers = geometry_layers(db)
        if not writer.has("layer_styles"):
            _create_styles_table(db)
        writer.require("layer_styles", _STYLE_COLUMNS)
        for layer, (qml, sld, description) in styles.items():
            if layer not in layers:
                continue
            geom = layers[layer][0]
            rows = db.execute(
                "SELECT id, styleName, useAsDefault FROM layer_styles WHERE f_table_name = ? "
                "AND coalesce(f_table_schema, '') = '' ORDER BY id",
                (layer,),
            ).fetchall()
            mine = [r[0] for r in rows if r[1] == style_name]
            theirs = [r[1] for r in rows if r[1] != style_name and r[2] not in (None, 0, "0", "false")]
            default = 0 if theirs else 1
            if mine:
                db.execute(
                    "UPDATE layer_styles SET f_table_catalog = '', f_table_schema = '', f_geometry_column = ?, "
                    f"styleQML = ?, styleSLD = ?, useAsDefault = ?, description = ?, update_time = {_STYLE_NOW} "
                    "WHERE id = ?",
                    (geom, qml, sld, default, description, mine[0]),
                )
                db.executemany("DELETE FROM layer_styles WHERE id = ?", [(i,) for i in mine[1:]])
            else:
                db.execute(
                    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                    "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) "
                    "VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, '', NULL)",
                    (layer, geom, style_name, qml, sld, default, description),
                )
            done[layer] = "default" if default else f"kept {theirs[0]}"
        db.execute(f"UPDATE gpkg_contents SET last_change = {_STYLE_NOW} WHERE table_name = 'layer_styles'")
    return done


# -- lineage: retiring parcels into their history and inserting their successors, row by row ------


def geometry_blobs(geoms: Any, srs_id: int) -> list[bytes | None]:
    """Shapely geometries as GeoPackage geometry blobs (little-endian, XY envelope) of ``srs_id``."""
    import numpy as np
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    wkb = shapely.to_wkb(geoms, byte_order=1, output_dimension=2)
    bounds = shapely.bounds(geoms)
    out: list[bytes | None] = []
    for geom, blob, (xmin, ymin, xmax, ymax) in zip(geoms, wkb, bounds, strict=True):
        if geom is None:
            out.append(None)
        elif shapely.is_empty(geom):
            out.append(b"GP\x00\x11" + struct.pack("<i", srs_id) + blob)
        else:
            out.append(b"GP\x00\x03" + struct.pack("<i", srs_id) + struct.pack("<4d", xmin, xmax, ymin, ymax) + blob)
    return out


class LineageWriter(Writer):
    """A Writer that also deletes rows and inserts features with their geometry (lineage writes)."""

    def geometry_column(self, table: str) -> tuple[str, int]:
        row = self.db.execute(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", (table,)
        ).fetchone()
        if row is None:
            raise DataError(code="store.no_geometry_column", layer=table)
        return str(row[0]), int(row[1])

    def insert_features(self, table: str, rows: Sequence[Mapping[str, Any]], geoms: Sequence[Any]) -> None:
        """Append features: ``rows`` (the same keys each) and their shapely geometries, in the table's CRS."""
        column, srs_id = self.geometry_column(table)
        blobs = geometry_blobs(geoms, srs_id)
        self.insert(table, [{**row, column: blob} for row, blob in zip(rows, blobs, strict=True)])

    def delete(self, table: str, key: str, values: Iterable[Any]) -> int:
        """Delete the rows whose ``key`` is one of ``values``; return how many went."""
        import json

        self._writable()
        self.require(table, [key])
        sql = f"DELETE FROM {_q(table)} WHERE {_q(key)} IN (SELECT value FROM json_each(?))"
        gone = self.db.execute(sql, (json.dumps([str(v) for v in values], ensure_ascii=False),)).rowcount
        if gone:
            touched(self.db, table)
        return int(gone)


def write_lineage(path: Path, new_layers: Mapping[str, Any], apply: Any, *, engine: str) -> None:
    """One transaction: create the layers of ``new_layers`` the file lacks (GDAL writes them into a
    scratch file first, empty, then their table, R-tree and metadata are copied in), then
    ``apply(writer)`` (a :class:`LineageWriter`) does the row work; all commits together or not at all."""
    names = existing_names(_check_header(path))
    missing = {name: df for name, df in new_layers.items() if name.lower() not in names}
    scratch_dir = Path(tempfile.mkdtemp(prefix="landkit-"))
    try:
        attach = {}
        if missing:
            scratch = scratch_dir / "layers.gpkg"
            _write_scratch(missing, scratch, engine)
            attach = {"src": scratch}
        with transaction(path, attach=attach) as db:
            for name in missing:
                if has_table(db, name):  # made meanwhile by another writer: use it
                    continue
                _copy_layer(db, name, [])
                db.execute(f"DELETE FROM main.{_q(name)}")  # the scratch rows only gave GDAL the types
                touched(db, name)
            apply(LineageWriter(db))
    finally:
        shutil.rmtree(scratch_dir, ignore_errors=True)


# -- describing every layer in one pass (landkit info on a file of hundreds of layers) --------------

#: GeoPackage geometry type names as GDAL (pyogrio.read_info) says them.
_OGR_TYPES = {
    "GEOMETRY": "Unknown", "POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon",
    "MULTIPOINT": "MultiPoint", "MULTILINESTRING": "MultiLineString", "MULTIPOLYGON": "MultiPolygon",
    "GEOMETRYCOLLECTION": "GeometryCollection",
}  # fmt: skip
#: The WKB inside a GeoPackage geometry blob: past the 8-byte header and the envelope whose kind is
#: bits 1-3 of the flags byte (0: none, 1: 32 bytes, 2 or 3: 48, 4: 64), computed by SQLite per row.
_FLAGS = "(instr('0123456789ABCDEF', substr(hex(substr({g}, 4, 1)), 1, 1)) - 1) * 16 + " \
    "(instr('0123456789ABCDEF', substr(hex(substr({g}, 4, 1)), 2, 1)) - 1)"  # fmt: skip
_WKB = "substr({g}, 9 + CASE ((" + _FLAGS + ") >> 1) & 7 WHEN 0 THEN 0 WHEN 1 THEN 32 WHEN 4 THEN 64 ELSE 48 END)"


#: GDAL's listing of a GeoPackage's vector layers, in its order (its driver's open, GDAL 3.x): feature
#: tables, then attribute tables; GDAL also asks ``sqlite_master`` whether each exists (by a correlated
#: subquery, quadratic in the tables: that is done here from one read of ``sqlite_master``).
_GDAL_LAYERS = (
    "SELECT c.table_name FROM gpkg_geometry_columns g JOIN gpkg_contents c ON (g.table_name = c.table_name) "
    "WHERE c.table_name <> 'ogr_empty_table' AND c.data_type = 'features' "
    "UNION ALL SELECT table_name FROM gpkg_contents WHERE data_type IN ('aspatial', 'attributes')"
)
#: ... then the tables not registered in ``gpkg_contents``, when it registers no attribute table.
_UNREGISTERED = (
    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
    "AND name NOT LIKE 'gpkg_%' AND name NOT LIKE 'vgpkg_%' AND name NOT LIKE 'rtree_%' AND name NOT LIKE 'sqlite_%' "
    "AND name NOT IN ('st_spatial_ref_sys', 'spatial_ref_sys', 'st_geometry_columns', 'geometry_columns') "
    "AND lower(name) NOT IN (SELECT lower(table_name) FROM gpkg_contents)"
)


def _gdal_names(db: sqlite3.Connection) -> list[tuple[str, bool]] | None:
    """The layers GDAL lists, in its order, each with whether it is registered in ``gpkg_contents``;
    None for what GDAL lists its own way (a table with several geometry columns, related tables, no
    ``gpkg_geometry_columns``)."""
    if has_table(db, "gpkgext_relations") or not has_table(db, "gpkg_geometry_columns"):
        return None
    # GDAL lists the tables gpkg_contents does not name only when it names no attribute table
    aspatial = db.execute("SELECT 1 FROM gpkg_contents WHERE data_type = 'attributes' LIMIT 1").fetchone() or (
        has_table(db, "gpkg_extensions")
        and db.execute(
            "SELECT 1 FROM gpkg_extensions WHERE table_name IS NULL AND extension_name = 'gdal_aspatial' "
            "AND column_name IS NULL"
        ).fetchone()
    )
    exists = {str(n).lower() for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    ours = [str(n) for (n,) in db.execute(_GDAL_LAYERS) if n is not None and str(n).lower() in exists]
    rest = [] if aspatial else [str(n) for (n,) in db.execute(_UNREGISTERED)]
    names = ours + rest
    if len(set(names)) != len(names):
        return None
    registered = len(ours)
    return [(name, i < registered) for i, name in enumerate(names)]


def describe(path: Path) -> dict[str, dict[str, Any]] | None:
    """Every layer GDAL lists, by name and in GDAL's order: ``features``, ``geometry_type`` (GDAL's
    words, None for a table), ``crs`` (pyproj, None for a table), ``geometry`` (the geometry column)
    and ``registered`` (in ``gpkg_contents``), read in one SQLite connection: GDAL opens a
    GeoPackage in time proportional to its layers, so one open per layer makes hundreds of layers
    quadratic. None for a file whose layers GDAL names its own way (:func:`_gdal_names`), or that
    SQLite or PROJ refuse here (GDAL then lists it, or says what is wrong)."""
    from pyproj.exceptions import CRSError

    try:
        return _describe(path)
    except (sqlite3.DatabaseError, CRSError, ValueError):  # GDAL's own listing says what it makes of it
        return None


def _describe(path: Path) -> dict[str, dict[str, Any]] | None:
    import pyproj

    out: dict[str, dict[str, Any]] = {}
    with contextlib.closing(_connect(path, readonly=True)) as db:
        listed = _gdal_names(db)
        if listed is None:
            return None
        counts: dict[str, Any] = {}
        if has_table(db, "gpkg_ogr_contents"):
            for table, count in db.execute("SELECT table_name, feature_count FROM gpkg_ogr_contents"):
                counts.setdefault(str(table).lower(), count)
        about: dict[str, tuple] = {}  # by lower-case name: a join on lower() would be quadratic in the tables
        for row in db.execute(
            "SELECT g.table_name, g.column_name, g.geometry_type_name, g.z, g.m, s.organization, "
            "s.organization_coordsys_id, s.definition, g.srs_id "
            "FROM gpkg_geometry_columns g LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id"
        ):
            about.setdefault(str(row[0]).lower(), row[1:])
        crss: dict[tuple, Any] = {}  # one pyproj CRS per spatial reference, however many layers share it
        for table, registered in listed:
            column, kind, z, m, org, code, definition, srs_id = about.get(table.lower(), (None,) * 8) if registered \
                else (None,) * 8  # fmt: skip
            n = counts.get(table.lower()) if registered else None
            if n is None:
                n = db.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0]
            crs = None
            if column is not None and srs_id is not None and int(srs_id) > 0 and org is not None:
                key = (str(org).upper(), code, definition)
                if key not in crss:
                    epsg = key[0] == "EPSG"
                    crss[key] = pyproj.CRS.from_user_input(f"EPSG:{code}") if epsg else pyproj.CRS(definition)
                crs = crss[key]
            name = None
            if column is not None:
                name = _OGR_TYPES.get(str(kind).upper(), str(kind).title())
                name += {(1, 1): " ZM", (1, 0): " Z", (0, 1): " M"}.get((int(z or 0) == 1, int(m or 0) == 1), "")
            out[table] = {"features": int(n), "geometry_type": name, "crs": crs, "geometry": column,
                          "registered": registered}  # fmt: skip
    return out


def read_geometries(path: Path, described: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The geometries (only) of the ``described`` geometry layers (:func:`describe`), indexed by
    fid, in one SQLite connection: each blob's WKB cut out by SQLite, parsed by shapely at once."""
    import geopandas as gpd
    import numpy as np
    import shapely

    out = {}
    with contextlib.closing(_connect(path, readonly=True)) as db:
        for table, about in described.items():
            column = about.get("geometry")
            if column is None:
                continue
            g = _q(str(column))
            rows = db.execute(f"SELECT rowid, {_WKB.format(g=g)} FROM {_q(table)}").fetchall()
            fid = np.array([r[0] for r in rows], dtype=np.int64)
            wkb = np.array([r[1] for r in rows], dtype=object)
            with warnings.catch_warnings():  # NaN vertices: shapely warns; the schema check reports them
                warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
                geoms = shapely.from_wkb(wkb, on_invalid="ignore")
            # built from a GeometryArray: a GeoSeries first costs three times as much, per layer
            array = gpd.array.GeometryArray(geoms, crs=about["crs"])
            out[table] = gpd.GeoDataFrame({"geometry": array}, index=fid, geometry="geometry", copy=False)
    return out
