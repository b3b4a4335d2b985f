"""Writing whole layers into a PostgreSQL/PostGIS project (``write_layers``: one transaction,
names and dates refused before anything is written, constraints and relations kept) and the
project's roles (``grant``)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import DataError, LayerExistsError, ProjectLockedError
from ..schema import APPEND_ONLY, LAYERS
from .pg_url import FID, GEOM, parse
from .postgis import _CHUNK, RECORDED_DATES, RECORDED_STATUS, RELATIONS, STAMPS, Session, Writer, transaction

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
            raise ProjectLockedError(code="pg.push_running", where=s.project.shown, schema=s.project.schema)
        s.execute(sql.SQL("CREATE SCHEMA {}").format(s.q(s.project.schema)))
    s.execute(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s",
        (s.project.schema,),
    )
    have = {r[0] for r in s.cur.fetchall()}
    for name, body in _FUNCTIONS.items():
        if name not in have:
            s.execute(sql.SQL(body).format(schema=s.q(s.project.schema)))  # type: ignore[arg-type]


def _schema_key(schema: str) -> str:
    return f"landkit:create-schema:{schema}"


#: PostgreSQL keeps this many bytes of a name (UTF-8), cutting longer ones with only a NOTICE.
NAME_BYTES = 63


def _shorter(name: str) -> str:
    """A suggestion: the name cut to fit, at a character boundary."""
    return name.encode()[:NAME_BYTES].decode(errors="ignore").rstrip("_- ") or "layer"


def _refuse_long_name(where: str, name: str, layer: str | None = None) -> None:
    """Refuse a name PostgreSQL would cut (over NAME_BYTES bytes of UTF-8), suggesting a shorter one:
    a layer's name, or (``layer`` given) the name of one of its columns."""
    size = len(name.encode())
    if size > NAME_BYTES:
        code = "pg.long_layer_name" if layer is None else "pg.long_column_name"
        raise DataError(
            code=code, where=where, layer=layer, name=name, size=size, limit=NAME_BYTES, shorter=_shorter(name)
        )


def _refuse_names_and_dates(where: str, frames: Mapping[str, Any]) -> None:
    """Refuse, before anything is written, what PostgreSQL would cut, clash with, or not store as a date."""
    import pandas as pd
    from pandas.api import types as ptypes

    for layer, df in frames.items():
        layer = str(layer)
        _refuse_long_name(where, layer)
        geometry = getattr(df, "_geometry_column_name", None)
        for col in (str(c) for c in df.columns if c != geometry):
            _refuse_long_name(where, col, layer)
            if layer.lower() in APPEND_ONLY and col.lower() in STAMPS:
                raise DataError(code="pg.stamp_clash", where=where, layer=layer, column=col, stamps=", ".join(STAMPS))
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
                f"{ids.loc[i] if ids is not None else f'#{n + 1}'}: {str(bad.loc[i])[:30]!r}"
                for n, i in zip(df.index.get_indexer(bad.index), bad.index, strict=True)
            ][:5]
            values = "; ".join(rows) + (" …" if len(bad) > 5 else "")
            raise DataError(code="pg.not_dates", where=where, layer=layer, column=col, count=len(bad), values=values)


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
        raise DataError(code="pg.fid_column", layer=layer)
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
        if ref == "parcels" and s.resolve("parcels_history") is not None:
            continue  # retired parcels (landkit.lineage) stay in the ledger and the targets: no key to parcels
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
            raise LayerExistsError(code="pg.project_exists", where=s.project.shown, schema=s.project.schema)
        frames = {existing.get(n.lower(), n): df for n, df in frames.items()}
        clash = [n for n in frames if n.lower() in existing]
        if clash and not overwrite:
            raise LayerExistsError(code="store.layer_exists", where=s.project.shown, layer=clash[0])
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


def _recorded_exist(s: Session) -> None:
    """Create what a recorder's commands write to and the project lacks: the ``payments`` ledger
    (``landkit pay`` would create it on its first payment) and the parcels' transition dates. A
    recorder may create nothing, and a table created after :func:`grant` would need a second one."""
    writer = Writer(s)
    if writer.has("parcels") and not writer.has("payments"):
        spec = LAYERS["payments"]
        writer.create_table("payments", {spec.id: "int"} | {c.name: c.kind for c in spec.columns})
    for table, days in RECORDED_DATES.items():
        for day in days if writer.has(table) else ():
            writer.add_column(table, day, "DATE")


def grant(url: str, *, reader: str | None = None, recorder: str | None = None) -> None:
    """Set up a read-only role and a recording role on the project (created as NOLOGIN group roles if new).

    ``reader`` may read every table. ``recorder`` may read, append to the ledgers (events,
    relocation steps, payments), and change the status columns the ledgers decide
    (``parcels.status``, ``villages.relocation_status``) and the dates the transitions set
    (``acquired_on``, ``approved_on``, ``supplied_on``), nothing else; the payments ledger and those
    dates are created first where missing, so that one grant covers them. Give people a role with
    ``GRANT role TO person``.
    """
    from psycopg import sql

    with transaction(url) as s:
        schema = s.q(s.project.schema)
        if recorder:
            _recorded_exist(s)
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
                for day in RECORDED_DATES.get(table.lower(), ()):  # the dates the transitions set
                    if day in s.columns(table):
                        s.execute(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(s.q(day), s.t(table), s.q(recorder)))
