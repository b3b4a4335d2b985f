"""PostgreSQL/PostGIS projects: one schema of a shared office database per project.

A project URL is ``postgresql://user@host:port/db?schema=lushan`` (``postgres://`` too, and
``postgresql:///?service=office&schema=lushan``); it goes to libpq as written, less ``schema``. The
password comes from ``PGPASSWORD`` or ``~/.pgpass`` (``PGPASSFILE``) as libpq reads them, and is
masked (``***``) in every message landkit writes. Names longer than PostgreSQL's 63 bytes are refused.
The schema holds the same layers and columns as a GeoPackage
project (the contract in :mod:`landkit.schema`), and the database keeps the contract itself:

- a primary key on each contract layer's id, PostGIS geometry columns ``geom`` with the
  layer's SRID and a GiST index, dates as ``DATE``, CHECK constraints for the allowed values
  (statuses, event types …), foreign keys from the ledgers to the layers they decide;
- every table has a hidden ``fid`` (identity) giving its rows' order, like a GeoPackage's fid;
- the ledgers are append-only in the database: triggers refuse UPDATE, DELETE and TRUNCATE, and
  stamp each row with ``recorded_by`` (current_user) and ``recorded_at`` (now()); those two
  columns are the database's own bookkeeping and are not part of the layers landkit reads;
- every write is one transaction; recording locks the parcels' (villages') rows it touches
  (``SELECT … FOR UPDATE``, in id order) and numbers events under a transaction-scoped
  advisory lock, so that planners recording at once all succeed or get a clear refusal.

Layers are read set-based: one ``COPY (SELECT …) TO STDOUT`` per layer, parsed by Arrow, the
geometry as WKB (vectorised in shapely); they are written with ``COPY … FROM STDIN`` of Arrow's
CSV, never row by row.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from .. import settings
from ..errors import DataError, LandkitError, LedgerError, ProjectLockedError
from ..schema import APPEND_ONLY, LAYERS
from .pg_url import FID, GEOM, SCHEMES, Project, display, is_url, mask_any, parse, qgis_source

__all__ = ["SCHEMES", "display", "is_url", "mask_any", "parse"]  # the URL's names, from pg_url as before

#: Columns the database adds to the ledgers (who recorded each event, when); not part of the layer.
STAMPS = ("recorded_by", "recorded_at")
#: Foreign keys: (table, column) -> (referenced table, column).
RELATIONS = (
    ("events", "parcel_id", "parcels", "parcel_id"),
    ("relocation_events", "village_code", "villages", "village_code"),
    ("target_parcels", "parcel_id", "parcels", "parcel_id"),
    ("target_parcels", "target_id", "targets", "target_id"),
)
#: What the recording role may change besides appending to the ledgers.
RECORDED_STATUS = {"parcels": "status", "villages": "relocation_status"}
#: the date columns recording a transition sets (landkit.ledger.DATE_COLUMNS)
RECORDED_DATES = {"parcels": ("acquired_on", "approved_on", "supplied_on")}
_CHUNK = 8 << 20


# -- connections and transactions -----------------------------------------------------------------


def _connect(project: Project) -> Any:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(project.conninfo)  # libpq's own parser: refuses what libpq would refuse
        defaults: dict[str, Any] = {"connect_timeout": 10, "application_name": "landkit"}
        return psycopg.connect(project.conninfo, **{k: v for k, v in defaults.items() if k not in given})
    except psycopg.Error as exc:
        raise DataError(code="pg.cannot_connect", where=project.shown, detail=project.mask(_first_line(exc))) from None


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).strip().splitlines()[:1]) or type(exc).__name__


def explain(project: Project, exc: Exception) -> Exception:
    """PostgreSQL's refusal as the planner's next step; nothing was written in any of these cases."""
    import psycopg.errors as pe

    diag = getattr(exc, "diag", None)
    msg = project.mask((diag.message_primary if diag is not None else None) or _first_line(exc))
    detail = project.mask(diag.message_detail or "") if diag is not None else ""
    where = project.shown
    if isinstance(exc, pe.LockNotAvailable | pe.DeadlockDetected | pe.SerializationFailure | pe.QueryCanceled):
        return ProjectLockedError(code="pg.busy", where=where)
    if isinstance(exc, pe.RaiseException) and "append-only" in msg:
        return LedgerError(code="pg.append_only", where=where, detail=msg)
    if isinstance(exc, pe.InsufficientPrivilege):
        return DataError(code="pg.privilege", where=where, detail=msg)
    if isinstance(exc, pe.CheckViolation):
        return DataError(code="pg.check", where=where, detail=msg, more=detail[:200])
    if isinstance(exc, pe.ForeignKeyViolation):
        return DataError(code="pg.foreign_key", where=where, detail=msg, more=detail[:200])
    if isinstance(exc, pe.UniqueViolation):
        return DataError(code="pg.unique", where=where, detail=msg, more=detail[:200])
    if isinstance(exc, pe.DuplicateSchema):
        return ProjectLockedError(code="pg.push_running", where=where, schema=project.schema)
    if isinstance(exc, pe.InvalidSchemaName):
        return DataError(code="pg.no_schema", where=where, schema=project.schema)
    if isinstance(exc, pe.OperationalError):
        return DataError(code="pg.connection_failed", where=where, detail=msg)
    return DataError(code="pg.refused", where=where, detail=msg)


class Session:
    """One connection inside one transaction on one project schema."""

    def __init__(self, conn: Any, project: Project, *, dry_run: bool = False) -> None:
        self.conn, self.project, self.dry_run = conn, project, dry_run
        self.cur = conn.cursor()
        self._tables: dict[str, str] | None = None
        self._columns: dict[str, dict[str, str]] = {}

    # names
    def q(self, *names: str) -> Any:
        from psycopg import sql

        return sql.Identifier(*names)

    def t(self, table: str) -> Any:
        """The qualified identifier of a table of the project."""
        return self.q(self.project.schema, table)

    def execute(self, query: Any, params: Any = None) -> Any:
        return self.cur.execute(query, params)

    def schema_exists(self) -> bool:
        self.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.project.schema,))
        return self.cur.fetchone() is not None

    def require_schema(self) -> None:
        if not self.schema_exists():
            raise DataError(code="pg.no_project", where=self.project.shown, schema=self.project.schema)

    def tables(self) -> dict[str, str]:
        """The project's tables, lower-case name -> name, in the order they were created."""
        if self._tables is None:
            self.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend d "
                "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') ORDER BY c.oid",
                (self.project.schema,),
            )
            self._tables = {}
            for (name,) in self.cur.fetchall():
                self._tables.setdefault(name.lower(), name)
        return self._tables

    def resolve(self, table: str) -> str | None:
        return self.tables().get(table.lower())

    def columns(self, table: str) -> dict[str, str]:
        """Column -> type (``format_type``) of a table, in column order, ``fid`` included."""
        name = self.resolve(table) or table
        if name not in self._columns:
            self.execute(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                (self.project.schema, name),
            )
            self._columns[name] = {n: str(t) for n, t in self.cur.fetchall()}
        return self._columns[name]

    def forget(self) -> None:
        self._tables, self._columns = None, {}


@contextlib.contextmanager
def transaction(url: str, *, dry_run: bool = False, need_schema: bool = True) -> Iterator[Session]:
    """Yield a Session inside one transaction: commit on success, roll back on any error.

    Waits up to ``settings.busy_timeout_s`` for a lock another planner holds, then raises
    ProjectLockedError. A dry run reads one snapshot (REPEATABLE READ, READ ONLY) and rolls back.
    """
    import psycopg

    project = parse(url)
    conn = _connect(project)
    try:
        session = Session(conn, project, dry_run=dry_run)
        if dry_run:
            session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        session.execute("SELECT set_config('lock_timeout', %s, true)", (f"{int(settings.busy_timeout_s * 1000)}ms",))
        session.execute("SELECT set_config('TimeZone', 'UTC', true)")
        if need_schema:
            session.require_schema()
        yield session
        if dry_run:
            conn.rollback()
        else:
            conn.commit()  # deferred foreign keys are checked here
    except psycopg.Error as exc:
        with contextlib.suppress(Exception):
            conn.rollback()
        raise explain(project, exc) from None
    except LandkitError as exc:
        with contextlib.suppress(Exception):
            conn.rollback()
        if exc.code is not None:  # a value of the error (a URL, a reason) may hold the password
            fields = {k: project.mask(v) if isinstance(v, str) else v for k, v in exc.fields.items()}
            if fields != exc.fields:
                raise type(exc)(code=exc.code, **fields) from None
        elif (masked := project.mask(str(exc))) != str(exc):
            raise type(exc)(masked) from None
        raise
    except BaseException:
        with contextlib.suppress(Exception):
            conn.rollback()
        raise
    finally:
        conn.close()


# -- reading ------------------------------------------------------------------------------------------


def list_layers(url: str) -> list[str]:
    """The project's tables (layers and attribute tables), in the order they were created."""
    with transaction(url, dry_run=True) as s:
        return list(s.tables().values())


def check(url: str) -> str:
    """Raise a DataError unless the URL reaches a project schema; return the URL as messages show it."""
    with transaction(url, dry_run=True) as s:
        if not s.tables():
            raise DataError(code="pg.no_layers", where=s.project.shown)
        return s.project.shown


def layer_crs(url: str, layer: str) -> Any:
    """The CRS of a layer's geometry, or None when the schema, the layer or its geometry does not exist."""
    with transaction(url, dry_run=True, need_schema=False) as s:
        name = s.resolve(layer) if s.schema_exists() else None
        srids = _geometry_srids(s, name) if name else {}
        return _crs(s, next(iter(srids.values()))) if srids else None


def _geometry_srids(s: Session, table: str) -> dict[str, int]:
    s.execute(
        "SELECT f_geometry_column, srid FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s",
        (s.project.schema, table),
    )
    return {name: int(srid or 0) for name, srid in s.cur.fetchall()}


def _crs(s: Session, srid: int) -> Any:
    import pyproj

    if not srid:
        return None
    s.execute("SELECT auth_name, auth_srid, srtext FROM spatial_ref_sys WHERE srid = %s", (srid,))
    row = s.cur.fetchone()
    if row is None:
        return None
    auth, code, wkt = row
    if str(auth).upper() == "EPSG" and code:
        return pyproj.CRS.from_epsg(int(code))
    return pyproj.CRS.from_wkt(wkt)


def _arrow_type(pgtype: str) -> Any:
    import pyarrow as pa

    base = pgtype.split("(")[0].strip()
    if base in ("bigint", "integer", "smallint"):
        return pa.int64()
    if base in ("double precision", "real", "numeric"):
        return pa.float64()
    if base == "boolean":
        return pa.bool_()
    if base == "date":
        return pa.date32()
    if base == "timestamp without time zone":
        return pa.timestamp("us")
    if base == "timestamp with time zone":
        return pa.timestamp("us", tz="UTC")
    return pa.string()


def read_table(url: str, layer: str) -> Any:
    """Read one table of the project, set-based: a GeoDataFrame for a layer, a DataFrame for a table."""
    with transaction(url, dry_run=True) as s:
        name = s.resolve(layer)
        if name is None:
            names = ", ".join(s.tables().values()) or "-"
            raise DataError(code="store.no_layer", where=s.project.shown, layer=layer, names=names)
        return _read(s, name)


def read_tables(url: str, layers: Sequence[str] | None = None) -> dict[str, Any]:
    """Read several tables (default all) in one consistent snapshot."""
    with transaction(url, dry_run=True) as s:
        names = list(s.tables().values()) if layers is None else [s.resolve(n) or n for n in layers]
        return {name: _read(s, name) for name in names}


def _read(s: Session, name: str) -> Any:
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import shapely
    from psycopg import sql

    cols = {c: t for c, t in s.columns(name).items() if c != FID}
    if name.lower() in APPEND_ONLY:
        cols = {c: t for c, t in cols.items() if c not in STAMPS}
    geoms = {c for c, t in cols.items() if t.startswith("geometry") or t.startswith("geography")}
    select = [sql.SQL("encode(ST_AsBinary({}), 'hex')").format(s.q(c)) if c in geoms else s.q(c) for c in cols]
    has_fid = FID in s.columns(name)
    query = sql.SQL("COPY (SELECT {} FROM {}{}) TO STDOUT (FORMAT csv)").format(
        sql.SQL(", ").join(select) if select else sql.SQL("1"),
        s.t(name),
        sql.SQL(" ORDER BY {}").format(s.q(FID)) if has_fid else sql.SQL(""),
    )
    buffer = io.BytesIO()
    with s.cur.copy(query) as copy:
        for block in copy:
            buffer.write(block)
    types = {c: (pa.string() if c in geoms else _arrow_type(t)) for c, t in cols.items()}
    if not cols:
        table = pa.table({})
    elif buffer.tell() == 0:
        table = pa.table({c: pa.array([], t) for c, t in types.items()})
    else:
        buffer.seek(0)
        table = pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(column_names=list(cols), block_size=64 << 20),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                null_values=[""],
                true_values=["t"],
                false_values=["f"],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
    for i, (c, t) in enumerate(types.items()):
        if t == pa.date32():  # dates as GDAL reads them: datetime64[ms]
            table = table.set_column(i, c, table.column(c).cast(pa.timestamp("ms")))
    df = table.to_pandas()
    if not geoms:
        return df
    srids = _geometry_srids(s, name)
    active = next(c for c in cols if c in geoms)
    for c in [c for c in cols if c in geoms]:
        values = shapely.from_wkb(_unhex(table.column(c)))
        df[c] = gpd.GeoSeries(values, index=df.index, crs=_crs(s, srids.get(c, 0)))
    df = df.rename(columns={active: "geometry"}) if "geometry" not in df.columns else df
    return gpd.GeoDataFrame(df, geometry="geometry" if active not in df.columns else active)


def _unhex(column: Any) -> Any:
    """Hex WKB text (as COPY sends it) as WKB bytes, decoded in numpy: no Python loop, no GEOS hex reader."""
    import numpy as np
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if len(array) == 0:
        return np.array([], dtype=object)
    if array.offset:  # a slice: its validity bits start mid-byte; a copy starts at 0
        array = pa.concat_arrays([array])
    validity, offsets_buf, data_buf = array.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[array.offset : array.offset + len(array) + 1]
    start, end = int(offsets[0]), int(offsets[-1])
    text = np.frombuffer(data_buf, dtype=np.uint8)[start:end]
    lut = np.zeros(256, dtype=np.uint8)
    lut[np.frombuffer(b"0123456789abcdef", dtype=np.uint8)] = np.arange(16, dtype=np.uint8)
    lut[np.frombuffer(b"ABCDEF", dtype=np.uint8)] = np.arange(10, 16, dtype=np.uint8)
    raw = (lut[text[0::2]] << 4) | lut[text[1::2]]
    binary = pa.Array.from_buffers(
        pa.binary(),
        len(array),
        [validity, pa.py_buffer(((offsets - start) // 2).astype(np.int32)), pa.py_buffer(raw)],
        offset=0,
    )
    return binary.to_numpy(zero_copy_only=False)


# -- writing: rows (the ledgers) -------------------------------------------------------------------------


class Writer:
    """Row-level reads and writes inside one transaction: what the ledgers need of a project.

    The same interface as the GeoPackage Writer; rows are addressed by their ``fid`` (asked for
    as "rowid"). A keyed read of a layer locks those rows (``FOR UPDATE``) until the commit.
    """

    def __init__(self, session: Session, *, dry_run: bool = False) -> None:
        self.s, self.dry_run = session, dry_run
        #: keys whose rows another transaction held when this one asked for them
        self.contended: list[str] = []

    def _name(self, table: str) -> str:
        name = self.s.resolve(table)
        if name is None:
            raise DataError(code="pg.no_table", where=self.s.project.shown, table=table)
        return name

    def has(self, table: str) -> bool:
        return self.s.resolve(table) is not None

    def columns(self, table: str) -> set[str]:
        return {c for c in self.s.columns(self._name(table)) if c != FID}

    def require(self, table: str, names: Iterable[str]) -> None:
        from .gpkg import require_columns

        require_columns(table, self.columns(table), names)

    def rows(self, table: str, wanted: Sequence[str], key: str | None = None, values: Iterable[Any] = ()) -> list:
        """``wanted`` columns ("rowid" allowed) in table order; with ``key``, only rows whose key is in
        ``values``, locked for this transaction unless it is a dry run or a ledger."""
        import psycopg
        from psycopg import sql

        self.require(table, [*wanted, *([key] if key else [])])
        name = self._name(table)
        cols = sql.SQL(", ").join(self.s.q(FID if c == "rowid" else c) for c in wanted)
        query = sql.SQL("SELECT {} FROM {}").format(cols, self.s.t(name))
        if key is None:
            self.s.execute(query + sql.SQL(" ORDER BY {}").format(self.s.q(FID)))
            return self.s.cur.fetchall()
        keys = [str(v) for v in values]
        is_text = self.s.columns(name)[key] == "text"
        test = sql.SQL("{} = ANY(%s::text[])" if is_text else "{}::text = ANY(%s::text[])").format(self.s.q(key))
        query = query + sql.SQL(" WHERE ") + test + sql.SQL(" ORDER BY {}").format(self.s.q(FID))
        if self.dry_run or name.lower() in APPEND_ONLY:
            self.s.execute(query, (keys,))
            return self.s.cur.fetchall()
        try:
            with self.s.conn.transaction():  # a savepoint: NOWAIT's refusal must not end the transaction
                self.s.execute(query + sql.SQL(" FOR UPDATE NOWAIT"), (keys,))
                return self.s.cur.fetchall()
        except psycopg.errors.LockNotAvailable:
            self.contended.extend(keys)
        try:
            self.s.execute(query + sql.SQL(" FOR UPDATE"), (keys,))  # waits for the other planner's commit
        except psycopg.errors.LockNotAvailable:
            shown = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
            raise ProjectLockedError(
                code="pg.rows_busy", where=self.s.project.shown, ids=shown, seconds=f"{settings.busy_timeout_s:g}"
            ) from None
        return self.s.cur.fetchall()

    def max(self, table: str, column: str) -> Any:
        from psycopg import sql

        self.require(table, [column])
        name = self._name(table)
        if not self.dry_run and name.lower() in APPEND_ONLY:
            self.lock_ledger(name)
        self.s.execute(sql.SQL("SELECT max({}) FROM {}").format(self.s.q(column), self.s.t(name)))
        return self.s.cur.fetchone()[0]

    def lock_ledger(self, table: str) -> None:
        """Number events one transaction at a time (held until commit; readers are not blocked)."""
        key = f"landkit:{self.s.project.schema}.{table.lower()}"
        self.s.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))

    def _writable(self) -> None:
        if self.dry_run:
            raise RuntimeError("a dry run does not write")

    def add_column(self, table: str, column: str, kind: str = "TEXT") -> None:
        from psycopg import sql

        self._writable()
        name = self._name(table)
        if column not in self.columns(name):
            pgtype = {"TEXT": "text", "INTEGER": "bigint", "REAL": "double precision", "DATE": "date"}.get(
                kind.upper(), "text"
            )
            self.s.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                    self.s.t(name), self.s.q(column), sql.SQL(pgtype)
                )
            )
            self.s.forget()
            from .pg_write import _ensure_checks  # the constraints a new layer gets, for the new column

            _ensure_checks(self.s, name)

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        from psycopg import sql

        self._writable()
        if not rows:
            return
        name = self._name(table)
        names = list(rows[0])
        self.require(name, names)
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            self.s.t(name),
            sql.SQL(", ").join(map(self.s.q, names)),
            sql.SQL(", ").join(sql.Placeholder() * len(names)),
        )
        self.s.cur.executemany(query, [[r[n] for n in names] for r in rows])

    def create_table(self, table: str, kinds: Mapping[str, str]) -> None:
        """Create a table with these columns ({name: text|int|float|date}); a ledger gets its
        append-only triggers and recording stamps, as :func:`landkit.store.pg_write` creates them."""
        from .pg_write import _create

        self._writable()
        types = {"text": "text", "int": "bigint", "float": "double precision", "date": "date"}
        _create(self.s, table, {name: types[kind] for name, kind in kinds.items()})

    def update(self, table: str, column: str, values: Mapping[int, Any]) -> None:
        from psycopg import sql

        self._writable()
        self.require(table, [column])
        if not values:
            return
        name = self._name(table)
        query = sql.SQL("UPDATE {} SET {} = %s WHERE {} = %s").format(self.s.t(name), self.s.q(column), self.s.q(FID))
        self.s.cur.executemany(query, [(v, k) for k, v in values.items()])


@contextlib.contextmanager
def writing(url: str, *, dry_run: bool = False) -> Iterator[Writer]:
    """Yield a Writer inside one transaction; a refusal after waiting for another planner says so."""
    with transaction(url, dry_run=dry_run) as s:
        writer = Writer(s, dry_run=dry_run)
        try:
            yield writer
        except LedgerError as exc:
            if not writer.contended:
                raise
            who = ", ".join(dict.fromkeys(writer.contended))
            raise LedgerError(code="pg.conflict", reason=exc, ids=who) from None


# -- what QGIS reads from the schema -------------------------------------------------------------


def map_layers(url: str, wanted: Iterable[str]) -> tuple[str, dict, dict, dict, dict[str, str]]:
    """The ``wanted`` geometry tables of the schema, as QGIS opens them without the password (QGIS
    asks, or reads PGPASSWORD / pgpass as landkit does), keyed on each table's ``fid``: (schema,
    table -> pyproj CRS, table -> QGIS data source, table -> bounding box, project_info)."""
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    wanted = set(wanted)
    with transaction(url, dry_run=True) as s:
        params = conninfo_to_dict(s.project.conninfo)
        crs, sources, boxes = {}, {}, {}
        for table in [t for t in s.tables().values() if t in wanted]:
            srids = _geometry_srids(s, table)
            if GEOM not in srids:
                continue
            srid = srids[GEOM]
            crs[table] = _crs(s, srid)
            spec = LAYERS.get(table)
            kind = "LineString" if spec is not None and spec.geometry == "LineString" else "Polygon"
            sources[table] = qgis_source(params, s.project.schema, table, srid, kind)
            box = "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent({}) AS e FROM {}) x"
            s.execute(sql.SQL(box).format(sql.Identifier(GEOM), s.t(table)))
            boxes[table] = s.cur.fetchone()
        info = {}
        if "project_info" in s.tables():
            s.execute(sql.SQL('SELECT "key", "value" FROM {}').format(s.t(s.tables()["project_info"])))
            info = {str(k): str(v).strip() for k, v in s.cur.fetchall() if v is not None and str(v).strip()}
        return s.project.schema, crs, sources, boxes, info


# -- lineage: retiring parcels into their history and inserting their successors, row by row ------


class LineageWriter(Writer):
    """A Writer that also deletes rows and inserts features with their geometry (lineage writes)."""

    def geometry_column(self, table: str) -> tuple[str, int]:
        found = _geometry_srids(self.s, self._name(table))
        if not found:
            raise DataError(code="store.no_geometry_column", layer=table)
        return next(iter(found.items()))

    def insert_features(self, table: str, rows: Sequence[Mapping[str, Any]], geoms: Sequence[Any]) -> None:
        """Append features: ``rows`` (the same keys each) and their shapely geometries, in the table's CRS."""
        import numpy as np
        import shapely

        column, srid = self.geometry_column(table)
        values = shapely.set_srid(np.asarray(list(geoms), dtype=object), srid)
        ewkb = shapely.to_wkb(values, hex=True, include_srid=True, output_dimension=2)
        self.insert(table, [{**row, column: blob} for row, blob in zip(rows, ewkb, strict=True)])

    def delete(self, table: str, key: str, values: Iterable[Any]) -> int:
        """Delete the rows whose ``key`` is one of ``values``; return how many went."""
        from psycopg import sql

        self._writable()
        self.require(table, [key])
        query = sql.SQL("DELETE FROM {} WHERE {}::text = ANY(%s::text[])").format(
            self.s.t(self._name(table)), self.s.q(key)
        )
        self.s.execute(query, ([str(v) for v in values],))
        return int(self.s.cur.rowcount)


def write_lineage(url: str, new_layers: Mapping[str, Any], apply: Any) -> None:
    """One transaction: create the tables of ``new_layers`` the schema lacks (types from the frames,
    append-only like the ledgers where the contract says so), then ``apply(writer)`` does the rows."""
    from . import pg_write

    with transaction(url) as s:
        for name, df in new_layers.items():
            if s.resolve(name) is None:
                types, _ = pg_write._plan(s, df, name)
                pg_write._create(s, name, types)
                pg_write._ensure_checks(s, name)
        pg_write._drop_relations(s, ["parcels"])  # retired ids stay in the ledger and the targets
        s.forget()
        apply(LineageWriter(s))
