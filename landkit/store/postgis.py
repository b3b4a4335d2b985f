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
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from .. import settings
from ..errors import DataError, LandkitError, LayerExistsError, LedgerError, ProjectLockedError
from ..schema import APPEND_ONLY, LAYERS

SCHEMES = ("postgresql://", "postgres://")
FID = "fid"
GEOM = "geom"
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
_CHUNK = 8 << 20


def is_url(path: Any) -> bool:
    """Whether a project path is a PostgreSQL URL rather than a file."""
    return isinstance(path, str) and path.strip().lower().startswith(SCHEMES)


@dataclass(frozen=True)
class Project:
    """A parsed project URL: what libpq connects to, the schema, and the URL as messages show it."""

    conninfo: str = field(repr=False)
    schema: str
    shown: str
    password: str | None = field(default=None, repr=False)
    #: every form the secrets take in the URL as written (raw, decoded), masked too
    hidden: tuple[str, ...] = field(default=(), repr=False)

    def mask(self, text: str) -> str:
        """``text`` with the password (if the URL carried one) replaced by ``***``."""
        forms = {*self.hidden, *([self.password, _quote_pw(self.password)] if self.password else [])}
        for form in sorted((f for f in forms if f), key=len, reverse=True):
            text = text.replace(form, "***")
        return text


def _quote_pw(password: str) -> str:
    return quote(password, safe="")


#: Parameters libpq takes whose values are secrets (masked in every message).
_SECRET = ("password", "sslpassword")


def parse(url: str) -> Project:
    """Split a project URL into its connection and its schema (default ``public``).

    The connection is the URL as written, less landkit's own ``schema`` parameter: libpq parses
    it (``%20`` stays a space, ``+`` a plus sign; ``service=``, ``PGSERVICEFILE``, ``PGPASSFILE``
    and ``PGPASSWORD`` work as libpq documents them); nothing is decoded and encoded again.
    """
    text = url.strip()
    head, _, query = text.partition("?")
    parts = urlsplit(head, allow_fragments=False)
    pairs = [p for p in query.split("&") if p]
    named = [(unquote(p.partition("=")[0]), p) for p in pairs]
    schemas = [unquote(p.partition("=")[2]) for k, p in named if k == "schema"]
    rest = [(k, p) for k, p in named if k != "schema"]
    hidden = [p.partition("=")[2] for k, p in rest if k in _SECRET and p.partition("=")[2]]
    given = [unquote(v) for v in hidden]
    password = unquote(parts.password) if parts.password else None
    if parts.password:
        hidden.append(parts.password)
    password = password or (given[-1] if given else None)
    netloc = parts.netloc
    shown_netloc = netloc
    if parts.password is not None:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        shown_netloc = f"{user}:***@{hostport}"
    schema = schemas[-1] if schemas else "public"
    if "@" in netloc.rpartition("@")[0]:  # libpq ends the user and password at the first @, Python at the last
        raise DataError(
            f"{_without_user(text)}: the user or password in the URL holds a raw '@', which PostgreSQL reads as the "
            "end of the password; write it as %40, or leave the password out of the URL and set PGPASSWORD"
        )
    if not schema:
        where = urlunsplit((parts.scheme, shown_netloc, parts.path, "", ""))
        raise DataError(f"{where}: the URL names an empty schema; write ?schema=NAME")
    conninfo = head + ("?" + "&".join(p for _, p in rest) if rest else "")
    shown_query = [f"{p.partition('=')[0]}=***" if k in _SECRET else p for k, p in rest]
    shown_query.append("schema=" + quote(schema, safe=""))
    shown = f"{parts.scheme}://{shown_netloc}{parts.path}?" + "&".join(shown_query)
    return Project(conninfo, schema, shown, password, tuple(dict.fromkeys(hidden + given)))


def _without_user(url: str) -> str:
    """An address :func:`parse` refuses, as a message may show it: no user, password or query."""
    parts = urlsplit(url.strip().partition("?")[0], allow_fragments=False)
    return urlunsplit((parts.scheme, f"***@{parts.netloc.rpartition('@')[2]}", parts.path, "", ""))


def display(url: str) -> str:
    """The URL as messages show it: the password masked (user and password both, for an address
    whose password holds a raw @, which :func:`parse` refuses)."""
    try:
        return parse(url).shown
    except DataError:
        return _without_user(url)


# -- connections and transactions -----------------------------------------------------------------


def _connect(project: Project) -> Any:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(project.conninfo)  # libpq's own parser: refuses what libpq would refuse
        defaults: dict[str, Any] = {"connect_timeout": 10, "application_name": "landkit"}
        return psycopg.connect(project.conninfo, **{k: v for k, v in defaults.items() if k not in given})
    except psycopg.Error as exc:
        raise DataError(
            f"{project.shown}: cannot connect to the database ({project.mask(_first_line(exc))}). Check the host, "
            "port, database and user in the URL (or its service=); the password is read from PGPASSWORD or "
            "~/.pgpass (PGPASSFILE)"
        ) from None


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
        return ProjectLockedError(
            f"{where}: the project is being written by another planner; try again when they have finished "
            "(nothing was written)."
        )
    if isinstance(exc, pe.RaiseException) and "append-only" in msg:
        return LedgerError(f"{where}: {msg}; nothing was written")
    if isinstance(exc, pe.InsufficientPrivilege):
        return DataError(
            f"{where}: the database refused ({msg}); nothing was written. Ask the project's owner for the role "
            "you need (landkit's grant(): a reader or a recorder role)"
        )
    if isinstance(exc, pe.CheckViolation):
        return DataError(
            f"{where}: {msg}: a value outside the allowed list ({detail[:200]}); nothing was written. "
            "Use one of the values the project-file contract allows (see the README)"
        )
    if isinstance(exc, pe.ForeignKeyViolation):
        return DataError(
            f"{where}: {msg} ({detail[:200]}); nothing was written. Every ledger row must name a feature of its layer"
        )
    if isinstance(exc, pe.UniqueViolation):
        return DataError(
            f"{where}: {msg} ({detail[:200]}); nothing was written. Ids must be unique (landkit audit lists "
            "the duplicates)"
        )
    if isinstance(exc, pe.DuplicateSchema):
        return ProjectLockedError(_PUSH_RUNNING.format(where=where, schema=project.schema))
    if isinstance(exc, pe.InvalidSchemaName):
        return DataError(f"{where}: there is no project schema {project.schema!r} in this database")
    if isinstance(exc, pe.OperationalError):
        return DataError(f"{where}: the connection to the database failed ({msg}); nothing was written. Retry")
    return DataError(f"{where}: PostgreSQL refused ({msg}); nothing was written.")


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
            raise DataError(
                f"{self.project.shown}: there is no project (schema {self.project.schema!r}) in this database; "
                "copy a GeoPackage there with `landkit push FILE URL`, or check the schema in the URL"
            )

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
        masked = project.mask(str(exc))
        if masked != str(exc):
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
            raise DataError(f"{s.project.shown}: the project schema holds no layers; push a project there first")
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
            names = ", ".join(s.tables().values()) or "no layers"
            raise DataError(
                f"{s.project.shown}: there is no layer {layer!r}; it has {names}. Check the layer name "
                "(project files hold the layers listed in the README)."
            )
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
            raise DataError(f"{self.s.project.shown}: there is no table {table!r} in the project")
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
                f"{self.s.project.shown}: {shown} is being recorded by another planner (waited "
                f"{settings.busy_timeout_s:g} s); try again when they have finished (nothing was written)."
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
            raise LedgerError(
                f"{exc} (conflict: another planner recorded {who} at the same moment and was first; "
                "read the project again and check its status)"
            ) from None


# -- writing: whole layers ----------------------------------------------------------------------------------


_FUNCTIONS = {
    "landkit_append_only": """
CREATE FUNCTION {schema}.landkit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only history: % is refused; record a revocation or correction event instead',
    TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END $$""",
    "landkit_stamp": """
CREATE FUNCTION {schema}.landkit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.recorded_by := current_user;
  NEW.recorded_at := now();
  RETURN NEW;
END $$""",
}


def _ensure_schema(s: Session, *, create: bool) -> None:
    from psycopg import sql

    if not s.schema_exists():
        if not create:
            s.require_schema()
        # two pushes into one new schema: the second is told, not left to fail on CREATE SCHEMA
        s.execute("SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", (_schema_key(s.project.schema),))
        if not s.cur.fetchone()[0]:
            raise ProjectLockedError(_PUSH_RUNNING.format(where=s.project.shown, schema=s.project.schema))
        s.execute(sql.SQL("CREATE SCHEMA {}").format(s.q(s.project.schema)))
    s.execute(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s",
        (s.project.schema,),
    )
    have = {r[0] for r in s.cur.fetchall()}
    for name, body in _FUNCTIONS.items():
        if name not in have:
            s.execute(sql.SQL(body).format(schema=s.q(s.project.schema)))  # type: ignore[arg-type]


_PUSH_RUNNING = (
    "{where}: another push is running into the new project (schema {schema!r}); try again when it has "
    "finished (nothing was written)."
)


def _schema_key(schema: str) -> str:
    return f"landkit:create-schema:{schema}"


#: PostgreSQL keeps this many bytes of a name (UTF-8), cutting longer ones with only a NOTICE.
NAME_BYTES = 63


def _shorter(name: str) -> str:
    """A suggestion: the name cut to fit, at a character boundary."""
    return name.encode()[:NAME_BYTES].decode(errors="ignore").rstrip("_- ") or "layer"


def _refuse_long_name(said: str, name: str, kind: str, tail: str) -> None:
    """Refuse a name PostgreSQL would cut (over NAME_BYTES bytes of UTF-8), suggesting a shorter one."""
    size = len(name.encode())
    if size > NAME_BYTES:
        raise DataError(
            f"{said} {name!r} is {size} bytes in UTF-8; PostgreSQL keeps at most {NAME_BYTES} bytes of a name "
            f"(21 Chinese characters) and would cut it; rename the {kind}, e.g. {_shorter(name)!r}; {tail}"
        )


def _refuse_names_and_dates(where: str, frames: Mapping[str, Any]) -> None:
    """Refuse, before anything is written, what PostgreSQL would cut, clash with, or not store as a date."""
    import pandas as pd
    from pandas.api import types as ptypes

    tail = "nothing was written"
    for layer, df in frames.items():
        layer = str(layer)
        _refuse_long_name(f"{where}: layer name", layer, "layer", tail)
        geometry = getattr(df, "_geometry_column_name", None)
        for col in (str(c) for c in df.columns if c != geometry):
            _refuse_long_name(f"{where}: layer {layer!r}: column name", col, "column", tail)
            if layer.lower() in APPEND_ONLY and col.lower() in STAMPS:
                raise DataError(
                    f"{where}: layer {layer!r}: column {col!r} clashes with the database's own stamp columns "
                    f"({', '.join(STAMPS)}: who recorded each event, and when); rename the column; {tail}"
                )
        spec = LAYERS.get(layer.lower())
        dates = [c.name for c in spec.columns if c.kind == "date" and c.name in df.columns] if spec else []
        for col in dates:
            series = df[col]
            if ptypes.is_datetime64_any_dtype(series):
                continue
            present = series[series.notna()]
            if ptypes.is_numeric_dtype(series) or ptypes.is_bool_dtype(series):
                bad = present
            else:
                parsed = pd.to_datetime(present.astype(str), errors="coerce", format="ISO8601")
                bad = present[parsed.isna()]
            if bad.empty:
                continue
            ids = df.loc[bad.index, spec.id] if spec and spec.id in df.columns else None
            rows = [
                f"{ids.loc[i] if ids is not None else f'row {n + 1}'}: {str(bad.loc[i])[:30]!r}"
                for n, i in zip(df.index.get_indexer(bad.index), bad.index, strict=True)
            ][:5]
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            raise DataError(
                f"{where}: layer {layer!r}: column {col!r} is a date column but holds {len(bad)} value(s) that are "
                f"not dates ({'; '.join(rows)}{more}); write them as YYYY-MM-DD or leave them empty; {tail}"
            )


def _srid(s: Session, crs: Any) -> int:
    """The spatial_ref_sys id of a CRS: its EPSG code, the same definition, or a new landkit entry."""
    if crs is None:
        return 0
    epsg = crs.to_epsg()
    if epsg:
        s.execute("SELECT srid FROM spatial_ref_sys WHERE auth_name = 'EPSG' AND auth_srid = %s", (epsg,))
        row = s.cur.fetchone()
        if row:
            return int(row[0])
    wkt = crs.to_wkt()
    s.execute("SELECT srid FROM spatial_ref_sys WHERE srtext = %s ORDER BY srid LIMIT 1", (wkt,))
    row = s.cur.fetchone()
    if row:
        return int(row[0])
    s.execute("SELECT greatest(max(srid), 909999) + 1 FROM spatial_ref_sys WHERE srid < 999000")
    srid = int(s.cur.fetchone()[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # to_proj4 warns that PROJ strings lose information: srtext keeps it
        proj4 = crs.to_proj4() or ""
    s.execute(
        "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
        "VALUES (%s, 'landkit', %s, %s, %s)",
        (srid, srid, wkt, proj4),
    )
    return srid


def _plan(s: Session, df: Any, layer: str) -> tuple[dict[str, str], Any]:
    """Column -> PostgreSQL type, and the rows as an Arrow table in COPY's CSV terms."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import shapely

    spec = LAYERS.get(layer.lower())
    kinds = {c.name: c.kind for c in spec.columns} if spec else {}
    if spec and spec.id_kind == "int":
        kinds[spec.id] = "int"
    if FID in df.columns:
        raise DataError(f"layer {layer!r}: a column named 'fid' is reserved for the feature id; rename it")
    geometry = df.active_geometry_name if isinstance(df, gpd.GeoDataFrame) else None
    types: dict[str, str] = {}
    arrays: dict[str, Any] = {}
    for col in df.columns:
        series = df[col]
        if col == geometry or isinstance(series.dtype, gpd.array.GeometryDtype):
            srid = _srid(s, series.crs)
            values = shapely.set_srid(np.asarray(series.array, dtype=object), srid)
            arrays[GEOM if col == geometry else str(col)] = pa.array(
                shapely.to_wkb(values, hex=True, include_srid=True, output_dimension=2), pa.string()
            )
            types[GEOM if col == geometry else str(col)] = f"geometry(Geometry, {srid})" if srid else "geometry"
            continue
        try:
            array = pa.Array.from_pandas(series)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            array = pa.array([None if _missing(v) else str(v) for v in series], pa.string())
        kind = kinds.get(str(col))
        if kind == "date":
            if pa.types.is_timestamp(array.type):
                array = array.cast(pa.date32(), safe=False)
            elif pa.types.is_string(array.type) or pa.types.is_large_string(array.type) or pa.types.is_null(array.type):
                parsed = pd.to_datetime(series, errors="coerce", format="ISO8601")
                if (parsed.notna() == series.notna()).all():
                    array = pa.Array.from_pandas(parsed).cast(pa.date32(), safe=False)
        elif kind == "int" and pa.types.is_floating(array.type):
            whole = series.dropna()
            if ((whole % 1) == 0).all():
                array = array.cast(pa.int64())
        if pa.types.is_null(array.type):
            array = array.cast(pa.string())
        if pa.types.is_large_string(array.type) or pa.types.is_string_view(array.type):
            array = array.cast(pa.string())
        types[str(col)] = _pg_type(array.type)
        if types[str(col)] == "text" and not pa.types.is_string(array.type):
            array = pa.array([None if _missing(v) else str(v) for v in series], pa.string())
        arrays[str(col)] = array
    return types, pa.table(arrays)


def _missing(value: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return value is None


def _pg_type(t: Any) -> str:
    import pyarrow as pa

    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "bigint"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "double precision"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamp with time zone" if t.tz else "timestamp without time zone"
    return "text"


def _copy_in(s: Session, table: str, data: Any) -> None:
    """Append an Arrow table's rows with one COPY (Arrow writes the CSV: NULL unquoted, text quoted)."""
    import pyarrow.csv as pacsv
    from psycopg import sql

    if data.num_rows == 0 or data.num_columns == 0:
        if data.num_rows and not data.num_columns:  # rows without columns: only their number
            s.execute(sql.SQL("INSERT INTO {} SELECT FROM generate_series(1, %s)").format(s.t(table)), (data.num_rows,))
        return
    buffer = io.BytesIO()
    pacsv.write_csv(data, buffer, pacsv.WriteOptions(include_header=False, quoting_style="all_valid"))
    view = buffer.getbuffer()
    query = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        s.t(table), sql.SQL(", ").join(map(s.q, data.column_names))
    )
    with s.cur.copy(query) as copy:
        for start in range(0, len(view), _CHUNK):
            copy.write(view[start : start + _CHUNK])
    view.release()


def _create(s: Session, name: str, types: Mapping[str, str]) -> None:
    from psycopg import sql

    spec = LAYERS.get(name.lower())
    keyed = spec is not None and spec.id in types
    parts = [
        sql.SQL("{} bigint GENERATED ALWAYS AS IDENTITY {}").format(
            s.q(FID), sql.SQL("UNIQUE" if keyed else "PRIMARY KEY")
        )
    ]
    parts += [sql.SQL("{} {}").format(s.q(c), sql.SQL(t)) for c, t in types.items()]
    if keyed:
        assert spec is not None
        parts.append(sql.SQL("PRIMARY KEY ({})").format(s.q(spec.id)))
    ledger = name.lower() in APPEND_ONLY
    if ledger:
        parts += [
            sql.SQL("{} text DEFAULT current_user").format(s.q(STAMPS[0])),
            sql.SQL("{} timestamptz DEFAULT now()").format(s.q(STAMPS[1])),
        ]
    s.execute(sql.SQL("CREATE TABLE {} ({})").format(s.t(name), sql.SQL(", ").join(parts)))
    for col, t in types.items():
        if t.startswith("geometry"):
            s.execute(sql.SQL("CREATE INDEX ON {} USING gist ({})").format(s.t(name), s.q(col)))
    if ledger:
        fn = sql.Identifier(s.project.schema, "landkit_append_only")
        stamp = sql.Identifier(s.project.schema, "landkit_stamp")
        s.execute(
            sql.SQL(
                "CREATE TRIGGER landkit_append_only BEFORE UPDATE OR DELETE ON {} FOR EACH ROW EXECUTE FUNCTION {}()"
            ).format(s.t(name), fn)
        )
        s.execute(
            sql.SQL(
                "CREATE TRIGGER landkit_no_truncate BEFORE TRUNCATE ON {} FOR EACH STATEMENT EXECUTE FUNCTION {}()"
            ).format(s.t(name), fn)
        )
        s.execute(
            sql.SQL("CREATE TRIGGER landkit_stamp BEFORE INSERT ON {} FOR EACH ROW EXECUTE FUNCTION {}()").format(
                s.t(name), stamp
            )
        )
    s.forget()


def _constraints(s: Session, table: str) -> set[str]:
    s.execute(
        "SELECT con.conname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
        (s.project.schema, table),
    )
    return {r[0] for r in s.cur.fetchall()}


def _ensure_checks(s: Session, name: str) -> None:
    """CHECK constraints for the contract's allowed values (statuses, event types, modes, codes)."""
    from psycopg import sql

    spec = LAYERS.get(name.lower())
    if spec is None:
        return
    have, cols = _constraints(s, name), s.columns(name)
    for col in spec.columns:
        if col.allowed and col.name in cols and cols[col.name] == "text":
            con = f"{name}_{col.name}_allowed"[:63]
            if con not in have:
                s.execute(
                    sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IN ({}))").format(
                        s.t(name),
                        s.q(con),
                        s.q(col.name),
                        sql.SQL(", ").join(sql.Literal(v) for v in col.allowed),
                    )
                )


def _unique_on(s: Session, table: str, column: str) -> bool:
    s.execute(
        "SELECT 1 FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
        "AND a.attnum = ALL(con.conkey) WHERE n.nspname = %s AND c.relname = %s AND a.attname = %s "
        "AND con.contype IN ('p', 'u') AND array_length(con.conkey, 1) = 1",
        (s.project.schema, table, column),
    )
    return s.cur.fetchone() is not None


def _ensure_relations(s: Session) -> None:
    """Foreign keys from the ledgers (and target_parcels) to the layers, checked at commit."""
    from psycopg import sql

    for table, col, ref, ref_col in RELATIONS:
        child, parent = s.resolve(table), s.resolve(ref)
        if child is None or parent is None or col not in s.columns(child) or ref_col not in s.columns(parent):
            continue
        if s.columns(child)[col] != s.columns(parent)[ref_col] or not _unique_on(s, parent, ref_col):
            continue
        con = f"{child}_{col}_fkey"[:63]
        if con in _constraints(s, child):
            continue
        s.execute(
            sql.SQL(
                "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) DEFERRABLE INITIALLY DEFERRED"
            ).format(s.t(child), s.q(con), s.q(col), s.t(parent), s.q(ref_col))
        )
        s.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(s.q(f"{child}_{col}_idx"[:63]),
                                                                              s.t(child), s.q(col)))  # fmt: skip


def _drop_relations(s: Session, tables: Iterable[str]) -> None:
    """Drop the foreign keys to and from tables about to be replaced (re-added, and so re-checked, after).

    A deferred key would queue a check per deleted row, and PostgreSQL refuses to alter a table
    with such checks pending; a key added again checks every row at once.
    """
    from psycopg import sql

    lower = {t.lower() for t in tables}
    for table, col, ref, _ in RELATIONS:
        child = s.resolve(table)
        if child is None or not ({table, ref} & lower):
            continue
        con = f"{child}_{col}_fkey"[:63]
        if con in _constraints(s, child):
            s.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(s.t(child), s.q(con)))


def _replace(s: Session, name: str, types: Mapping[str, str], data: Any) -> None:
    """Replace a table's rows in place (its grants, triggers, users' views and indexes stay).

    A ledger keeps its rows (the history guard has checked that the new rows begin with them):
    only the rows after them are appended.
    """
    from psycopg import sql

    old = {c: t for c, t in s.columns(name).items() if c != FID}
    ledger = name.lower() in APPEND_ONLY
    for col, t in types.items():
        if col not in old:
            s.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(s.t(name), s.q(col), sql.SQL(t)))
    if ledger:
        s.execute(sql.SQL("SELECT count(*) FROM {}").format(s.t(name)))
        n_old = int(s.cur.fetchone()[0])
        s.forget()
        _copy_in(s, name, data.slice(n_old))
        return
    s.execute(sql.SQL("DELETE FROM {}").format(s.t(name)))
    for col in old:
        if col not in types and col not in STAMPS:
            s.execute(sql.SQL("ALTER TABLE {} DROP COLUMN {}").format(s.t(name), s.q(col)))
    for col, t in types.items():
        if col in old and old[col] != t:
            s.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} TYPE {} USING NULL").format(s.t(name), s.q(col), sql.SQL(t))
            )
            if t.startswith("geometry"):
                s.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gist ({})").format(
                    s.q(f"{name}_{col}_gist"[:63]), s.t(name), s.q(col)))  # fmt: skip
    s.forget()
    _copy_in(s, name, data)


def write_layers(
    url: str,
    frames: Mapping[str, Any],
    *,
    overwrite: bool,
    create: bool = True,
    new_project: bool = False,
    check: Any = None,
    after: Any = None,
) -> None:
    """Write layers into the project in one transaction, replacing a layer only with ``overwrite``.

    ``new_project`` refuses a schema that holds tables already (unless ``overwrite``).
    ``check(writer, replaced_names)`` runs before anything changes (the history guard),
    ``after(writer, names)`` after the layers are in (the ledgers' statuses follow).
    """
    _refuse_names_and_dates(parse(url).shown, frames)
    with transaction(url, need_schema=False) as s:
        _ensure_schema(s, create=create)
        existing = s.tables()
        if new_project and existing and not overwrite:
            raise LayerExistsError(
                f"{s.project.shown}: the project (schema {s.project.schema!r}) exists already; "
                "pass --overwrite (overwrite=True) to replace its layers."
            )
        frames = {existing.get(n.lower(), n): df for n, df in frames.items()}
        clash = [n for n in frames if n.lower() in existing]
        if clash and not overwrite:
            raise LayerExistsError(
                f"{s.project.shown}: layer {clash[0]!r} exists already; "
                "pass --overwrite (overwrite=True) to replace it (or write to a new layer name)."
            )
        writer = Writer(s)
        for name in clash:
            if name.lower() in APPEND_ONLY:
                writer.lock_ledger(name)
        if check is not None:
            check(writer, set(clash))
        _drop_relations(s, clash)
        for name, df in frames.items():
            types, data = _plan(s, df, name)
            if name.lower() in existing:
                _replace(s, name, types, data)
            else:
                _create(s, name, types)
                _copy_in(s, name, data)
            _ensure_checks(s, name)
        s.forget()
        _ensure_relations(s)
        if after is not None:
            after(writer, set(frames))


# -- roles ------------------------------------------------------------------------------------------------


def grant(url: str, *, reader: str | None = None, recorder: str | None = None) -> None:
    """Set up a read-only role and a recording role on the project (created as NOLOGIN group roles if new).

    ``reader`` may read every table. ``recorder`` may read, append to the ledgers, and change the
    status columns the ledgers decide (``parcels.status``, ``villages.relocation_status``) and
    nothing else. Give people a role with ``GRANT role TO person``.
    """
    from psycopg import sql

    with transaction(url) as s:
        schema = s.q(s.project.schema)
        for role in (r for r in (reader, recorder) if r):
            s.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            if s.cur.fetchone() is None:
                s.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(s.q(role)))
            s.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, s.q(role)))
            s.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(schema, s.q(role)))
            s.execute(
                sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}").format(schema, s.q(role))
            )
        if recorder:
            for table in s.tables().values():
                if table.lower() in APPEND_ONLY:
                    s.execute(sql.SQL("GRANT INSERT ON {} TO {}").format(s.t(table), s.q(recorder)))
                column = RECORDED_STATUS.get(table.lower())
                if column and column in s.columns(table):
                    s.execute(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(s.q(column), s.t(table), s.q(recorder)))


# -- what QGIS reads from the schema -------------------------------------------------------------

#: The connection parameters a QGIS data source carries (never the password).
_QGIS_KEYS = ("service", "dbname", "host", "port", "user", "sslmode")


def qgis_source(params: Mapping[str, Any], schema: str, table: str, srid: int, kind: str) -> str:
    """A PostGIS layer's QGIS data source, quoted as QgsDataSourceUri writes one: values in '…'
    and identifiers in "…", each with a backslash before its quote and before a backslash. The
    connection carries no password."""

    def esc(value: Any, quote: str) -> str:
        return str(value).replace("\\", "\\\\").replace(quote, "\\" + quote)

    connection = " ".join(f"{k}='{esc(params[k], chr(39))}'" for k in _QGIS_KEYS if params.get(k))
    return (
        f"{connection} key='{FID}' srid={srid} type={kind} checkPrimaryKeyUnicity='0' "
        f'table="{esc(schema, chr(34))}"."{esc(table, chr(34))}" ({GEOM})'
    )


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


_TYPED_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/?#@]*:)(?:[^\s@]*@)+", re.IGNORECASE)


def mask_any(url: str, text: str) -> str:
    """``text`` with the password of ``url`` masked: the store's own mask (raw and %-quoted forms),
    or, for an address it refuses (a raw @ in the password), the password as written."""
    try:
        return parse(url).mask(text)
    except Exception:
        found = _TYPED_PASSWORD.search(url)
        secret = found.group(0)[len(found.group(1)) : -1] if found else ""
        for form in {secret, quote(secret, safe="")} - {""}:
            text = text.replace(form, "***")
        return text
