"""A shared office database: projects in PostgreSQL/PostGIS, tested against a real server.

The server is a throw-away cluster started for the session (tests/pg.py); without PostgreSQL
and PostGIS installed these tests skip, and under LANDKIT_REQUIRE_PG=1 (CI) they fail instead.
"""

import multiprocessing
import time

import numpy as np
import psycopg
import pytest

import landkit
from landkit import reserve, store
from tests import pg


def parcels_in(layers, status, n):
    return list(layers["parcels"].index[layers["parcels"]["status"] == status][:n])


def consistent(url):
    parcels, events = landkit.read_layer(url, "parcels"), landkit.read_layer(url, "events")
    state = reserve.state_as_of(events).reindex(parcels.index)
    return bool((state.isna() | (state == parcels["status"])).all())


def test_push_and_pull_round_trip_feature_for_feature(pg_server, sample_layers, tmp_path):
    url = pg_server.url(pg.new_schema())
    counts = store.push(landkit.SAMPLE_PATH, url)
    assert counts["parcels"] == len(sample_layers["parcels"]) and counts["events"] == len(sample_layers["events"])
    from_db = landkit.read_project(url)
    assert list(from_db) == list(sample_layers)
    assert landkit.content_hash(from_db) == landkit.content_hash(sample_layers)
    for name, df in sample_layers.items():  # the same frames as from the file: dtypes, index, CRS
        assert from_db[name].dtypes.astype(str).to_dict() == df.dtypes.astype(str).to_dict(), name
        assert from_db[name].index.name == df.index.name, name
        assert getattr(from_db[name], "crs", None) == getattr(df, "crs", None), name
    snapshot = tmp_path / "快照.gpkg"
    store.pull(url, snapshot)
    pulled = landkit.read_project(snapshot)
    assert landkit.content_hash(pulled) == landkit.content_hash(sample_layers)
    for name in ("parcels", "villages", "land_use"):
        diff = np.abs(landkit.area(pulled[name]) - landkit.area(sample_layers[name]))
        assert diff.max() <= 0.01, name  # m²
        assert np.abs(landkit.area(from_db[name]) - landkit.area(sample_layers[name])).max() <= 0.01
    with pytest.raises(landkit.LayerExistsError):
        store.pull(url, snapshot)
    with pytest.raises(landkit.LayerExistsError, match="exists already; pass --overwrite \\(overwrite=True\\)"):
        store.push(landkit.SAMPLE_PATH, url)
    store.push(landkit.SAMPLE_PATH, url, overwrite=True)  # the same history: nothing to append
    assert len(landkit.read_layer(url, "events")) == len(sample_layers["events"])
    assert landkit.sync(url) == []
    assert store.file_sha256(url) == landkit.content_hash(sample_layers)  # a database's identity: its content


def test_the_database_keeps_the_contract(pg_server, pg_project):
    schema = store.postgis.parse(pg_project).schema
    types = dict(
        pg_server.sql(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s",
            (schema,),
        )
    )
    assert types["events.date"] == "date" and types["parcels.acquired_on"] == "date"
    assert types["parcels.stated_area_mu"] == "double precision" and types["events.event_id"] == "bigint"
    srid = pg_server.sql("SELECT srid, type FROM geometry_columns WHERE f_table_schema = %s", (schema,))
    assert {s for s, _ in srid} == {4547}
    indexes = pg_server.sql("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = %s", (schema,))
    assert any(t == "parcels" and "gist (geom)" in d for t, d in indexes)
    keys = pg_server.sql(
        "SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = %s::regnamespace",
        (schema,),
    )
    defs = {(t.split(".")[-1], c, d) for t, c, d in keys}
    assert ("parcels", "p", "PRIMARY KEY (parcel_id)") in defs
    assert any(t == "events" and c == "f" and "REFERENCES" in d and "parcels(parcel_id)" in d for t, c, d in defs)
    assert any(t == "relocation_events" and c == "f" and "villages(village_code)" in d for t, c, d in defs)
    assert any(t == "target_parcels" and c == "f" for t, c, d in defs)
    assert any(t == "parcels" and c == "c" and "'approved'" in d for t, c, d in defs)
    with pytest.raises(psycopg.errors.CheckViolation):
        pg_server.sql(f"UPDATE {schema}.parcels SET status = '批了' WHERE parcel_id = 'CB00001'")
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        pg_server.sql(
            f"INSERT INTO {schema}.events (event_id, parcel_id, date, event_type, status) "
            "VALUES (99999, 'CB99999', '2026-11-25', 'transition', 'planned')"
        )
    parcels = landkit.read_layer(pg_project, "parcels")
    bad = parcels.assign(status=lambda d: d["status"].where(d.index != d.index[0], "签了"))
    with pytest.raises(landkit.DataError, match="allowed"):
        landkit.write_layer(bad, pg_project, "parcels", overwrite=True)
    assert landkit.read_layer(pg_project, "parcels")["status"].equals(parcels["status"])  # nothing written


def test_the_ledgers_are_append_only_in_the_database(pg_server, pg_project, sample_layers):
    schema = store.postgis.parse(pg_project).schema
    for statement in (
        f"UPDATE {schema}.events SET status = 'allocated' WHERE event_id = 1",
        f"DELETE FROM {schema}.events WHERE event_id = 1",
        f"TRUNCATE {schema}.events",
        f"UPDATE {schema}.relocation_events SET note = 'x'",
    ):
        with pytest.raises(psycopg.errors.RaiseException, match="append-only history"):
            pg_server.sql(statement)
    events = landkit.read_layer(pg_project, "events")
    with pytest.raises(landkit.LedgerError, match="append-only"):
        landkit.write_layer(events.iloc[:10], pg_project, "events", overwrite=True)
    assert len(landkit.read_layer(pg_project, "events")) == len(sample_layers["events"])
    pid = parcels_in(sample_layers, "submitted", 1)[0]
    landkit.record_event(pg_project, pid, "approved", "2026-11-25")
    who = pg_server.sql(f"SELECT recorded_by, recorded_at > now() - interval '1 minute' FROM {schema}.events "
                        "ORDER BY event_id DESC LIMIT 1")  # fmt: skip
    assert who == [("postgres", True)]
    assert "recorded_by" not in landkit.read_layer(pg_project, "events").columns  # not part of the layer


def test_the_password_is_never_printed(pg_server, pg_project, sample_layers, monkeypatch):
    schema = store.postgis.parse(pg_project).schema
    wrong = pg_server.url(schema).replace("postgres@", "postgres:Wr0ng-Secret@")
    monkeypatch.delenv("PGPASSWORD")
    with pytest.raises(landkit.DataError) as refused:
        landkit.read_layer(wrong, "parcels")
    assert "Wr0ng-Secret" not in str(refused.value) and "postgres:***@" in str(refused.value)
    assert "PGPASSWORD" in str(refused.value)
    right = pg_server.url(schema).replace("postgres@", f"postgres:{pg.PASSWORD}@")
    assert len(landkit.read_layer(right, "villages")) == len(sample_layers["villages"])
    for call in (
        lambda: landkit.record_event(right, "CB99999", "approved", "2026-11-25"),
        lambda: landkit.read_layer(right, "no_such_layer"),
        lambda: landkit.read_layer(right.replace(schema, "no_such_schema"), "parcels"),
    ):
        with pytest.raises(landkit.DataError) as refused:
            call()
        assert pg.PASSWORD not in str(refused.value) and "***" in str(refused.value)
    assert store.display(right) == right.replace(pg.PASSWORD, "***")


def test_a_reader_role_and_a_recorder_role(pg_server, pg_project, sample_layers):
    schema = store.postgis.parse(pg_project).schema
    reader, recorder = f"{schema}_reader", f"{schema}_recorder"
    store.grant(pg_project, reader=reader, recorder=recorder)
    for person, role in ((f"{schema}_li", recorder), (f"{schema}_wang", reader)):
        pg_server.sql(f"CREATE ROLE {person} LOGIN PASSWORD '{pg.PASSWORD}' IN ROLE {role}")
    li, wang = pg_server.url(schema, f"{schema}_li"), pg_server.url(schema, f"{schema}_wang")
    pid = parcels_in(sample_layers, "submitted", 1)[0]
    landkit.record_event(li, pid, "approved", "2026-11-25")  # the recorder records …
    assert landkit.read_layer(wang, "parcels").loc[pid, "status"] == "approved"  # … the reader reads
    stamped = pg_server.sql(f"SELECT recorded_by FROM {schema}.events ORDER BY event_id DESC LIMIT 1")
    assert stamped == [(f"{schema}_li",)]
    with pytest.raises(landkit.DataError, match="permission denied"):
        landkit.record_event(wang, parcels_in(sample_layers, "submitted", 2)[1], "approved", "2026-11-25")
    with pytest.raises(landkit.DataError, match="the database refused"):  # the recorder changes nothing else
        landkit.write_layer(landkit.read_layer(li, "villages"), li, "villages", overwrite=True)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        pg_server.sql(f"UPDATE {schema}.parcels SET land_use = 'x'", user=f"{schema}_li")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # history: not even the recorder's own events
        pg_server.sql(f"DELETE FROM {schema}.events", user=f"{schema}_li")


def test_one_grant_covers_the_payments_ledger_the_recorders_first_payment_starts(pg_server, pg_project, sample_layers):
    """The sample has no payments table yet: `grant` creates it, so the recorder's first `pay` (who may
    create no table) appends, the reader reads it, and nobody needs a second grant."""
    from landkit.payments import record_payments

    schema = store.postgis.parse(pg_project).schema
    assert "payments" not in landkit.list_layers(pg_project)
    reader, recorder = f"{schema}_reader", f"{schema}_recorder"
    store.grant(pg_project, reader=reader, recorder=recorder)
    for person, role in ((f"{schema}_li", recorder), (f"{schema}_wang", reader)):
        pg_server.sql(f"CREATE ROLE {person} LOGIN PASSWORD '{pg.PASSWORD}' IN ROLE {role}")
    li, wang = pg_server.url(schema, f"{schema}_li"), pg_server.url(schema, f"{schema}_wang")
    code = sample_layers["villages"].index[0]
    assert record_payments(li, [{"village": code, "amount": "4.6万", "date": "2026-11-20"}]) == [1]
    paid = landkit.read_layer(wang, "payments")
    assert paid["amount_fen"].tolist() == [4_600_000] and paid["village_code"].tolist() == [code]
    with pytest.raises(landkit.DataError, match="permission denied"):
        record_payments(wang, [{"village": code, "amount": "1000", "date": "2026-11-21"}])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # appended only, even by the recorder
        pg_server.sql(f"DELETE FROM {schema}.payments", user=f"{schema}_li")


def test_eight_processes_recording_at_once_lose_nothing(pg_server, pg_project, sample_layers):
    """8 planners × 100 events on the same 4 parcels: 800 events, numbered 1…N, statuses follow."""
    shared = parcels_in(sample_layers, "submitted", 4)
    n_before = len(sample_layers["events"])
    ctx = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with ctx.Pool(8) as pool:
        done = pool.starmap(pg.record_many, [(pg_project, f"P{k}", shared, 100) for k in range(8)])
    elapsed = time.perf_counter() - started
    assert done == [100] * 8
    events = landkit.read_layer(pg_project, "events")
    new = events.iloc[n_before:]
    assert len(new) == 800
    assert sorted(new["note"]) == sorted(f"P{k}-{i}" for k in range(8) for i in range(100))
    assert events.index.is_unique and list(events.index) == list(range(1, len(events) + 1))
    for k in range(8):  # each planner's events in the order they recorded them
        mine = new[new["note"].str.startswith(f"P{k}-")]
        assert list(mine["note"]) == [f"P{k}-{i}" for i in range(100)]
    assert consistent(pg_project)
    assert landkit.sync(pg_project) == []
    assert elapsed < 60  # 8 × 100 transactions; about 10 s on 2 cores


def test_two_planners_moving_one_parcel_apart_one_wins_one_is_told(pg_server, pg_project, sample_layers):
    pid = parcels_in(sample_layers, "reserved", 1)[0]
    schema = store.postgis.parse(pg_project).schema
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(2) as pool:
        start = manager.Event()
        with psycopg.connect(pg_server.dsn()) as holder:  # another planner's transaction holds the parcel …
            holder.execute(f"SELECT 1 FROM {schema}.parcels WHERE parcel_id = %s FOR UPDATE", (pid,))
            pending = [
                pool.apply_async(pg.record_one, (pg_project, pid, status, start))
                for status in ("transferred", "allocated")
            ]
            start.set()
            waiting, deadline = 0, time.monotonic() + 30
            while waiting < 2 and time.monotonic() < deadline:  # … while both recorders start and wait for it
                time.sleep(0.1)
                (waiting,) = pg_server.sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'landkit' "
                    "AND wait_event_type = 'Lock'"
                )[0]
            assert waiting == 2
            holder.rollback()
        results = [p.get(60) for p in pending]
    assert sorted(r == "ok" for r in results) == [False, True], results
    refusal = next(r for r in results if r != "ok")
    assert pid in refusal and "is not allowed" in refusal and "nothing was recorded" in refusal
    assert "another planner recorded" in refusal  # says why: a conflict, not a typo
    status = landkit.read_layer(pg_project, "parcels").loc[pid, "status"]
    assert status in ("transferred", "allocated")
    assert consistent(pg_project)


def test_a_missing_project_and_a_busy_parcel_are_clear(pg_server, pg_project, sample_layers, short_wait):
    missing = pg_server.url("no_project_here")
    with pytest.raises(landkit.DataError, match=r"there is no project .*landkit push"):
        landkit.read_project(missing)
    schema = store.postgis.parse(pg_project).schema
    pid = parcels_in(sample_layers, "submitted", 1)[0]
    with psycopg.connect(pg_server.dsn()) as holder:
        holder.execute(f"SELECT 1 FROM {schema}.parcels WHERE parcel_id = %s FOR UPDATE", (pid,))
        with pytest.raises(landkit.ProjectLockedError, match=f"{pid} is being recorded by another planner"):
            landkit.record_event(pg_project, pid, "approved", "2026-11-25")
    landkit.record_event(pg_project, pid, "approved", "2026-11-25")  # free again


def test_layers_of_any_shape_round_trip(pg_server, pg_project):
    import geopandas as gpd
    import shapely

    local = "+proj=tmerc +lon_0=113.5 +x_0=500000 +ellps=GRS80 +units=m +no_defs"  # a 地方坐标系
    gdf = gpd.GeoDataFrame(
        {"名称": ["井", "", None], "n": [1, 2, 3], "ok": [True, False, True], "x": [0.1, np.nan, 1e-300]},
        geometry=[shapely.Point(500000, 3700000), None, shapely.Polygon()],
        crs=local,
    )
    landkit.write_layer(gdf, pg_project, "wells")
    back = landkit.read_layer(pg_project, "wells")
    assert back.crs.equals(local)
    assert back["名称"].tolist()[:2] == ["井", ""] and back["名称"].isna().tolist() == [False, False, True]
    assert back["n"].tolist() == [1, 2, 3] and back["ok"].tolist() == [True, False, True]
    assert back["x"].iloc[2] == 1e-300 and np.isnan(back["x"].iloc[1])
    assert back.geometry.iloc[0].equals(gdf.geometry.iloc[0]) and back.geometry.iloc[1] is None
    with pytest.raises(landkit.LayerExistsError):
        landkit.write_layer(gdf, pg_project, "wells")
    landkit.write_layer(gdf.iloc[:1].drop(columns="ok"), pg_project, "WELLS", overwrite=True)
    back = landkit.read_layer(pg_project, "wells")
    assert len(back) == 1 and "ok" not in back.columns
    assert "wells" in landkit.list_layers(pg_project)
