"""The project file as the system of record: writes in place, in SQLite transactions.

QGIS keeps the file open (WAL mode), several programs write, links and permissions matter, and a
kill at any moment must leave the old or the new state. Each test names the promise it checks.
Tests taking ``project_url_or_path`` run on both backends: a GeoPackage and a PostGIS schema.
"""

import contextlib
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import time

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

import landkit
from landkit import reserve, store
from landkit.store import gpkg

STYLE = ("parcels", "geom", "landkit 状态", "<qgis/>", "<sld/>", 1, "QGIS 用户样式")


def add_user_tables(path):
    """What QGIS and a planner add to a project: a saved style and a table of their own."""
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_name TEXT, "
            "f_geometry_column TEXT, styleName TEXT, styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, "
            "description TEXT)"
        )
        db.execute(
            "INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault,"
            " description) VALUES (?, ?, ?, ?, ?, ?, ?)",
            STYLE,
        )
        db.execute("CREATE TABLE 我的备注 (id INTEGER PRIMARY KEY, text TEXT)")
        db.execute("INSERT INTO 我的备注 (text) VALUES ('周一核对 CB00001')")


def user_tables(path):
    with contextlib.closing(sqlite3.connect(path)) as db:
        return (
            db.execute(
                "SELECT f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description"
                " FROM layer_styles"
            ).fetchall(),
            db.execute("SELECT * FROM 我的备注").fetchall(),
        )


def integrity(path):
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def consistent(path):
    """parcels.status equals the ledger's state for every parcel with events (one truth)."""
    parcels, events = landkit.read_layer(path, "parcels"), landkit.read_layer(path, "events")
    state = reserve.state_as_of(events).reindex(parcels.index)
    return bool((state.isna() | (state == parcels["status"])).all())


def state(project):
    """What "nothing was written" compares: the file's bytes, or a database project's content."""
    if store.is_url(project):
        return landkit.content_hash(landkit.read_project(project))
    return project.read_bytes()


def edit(project, statement, params=()):
    """Another program's edit (QGIS): SQL with ? placeholders, on the file or in the database."""
    if store.is_url(project):
        import psycopg

        where = store.postgis.parse(project)
        with psycopg.connect(where.conninfo) as db:
            db.execute(psycopg.sql.SQL("SET search_path = {}, public").format(psycopg.sql.Identifier(where.schema)))
            db.execute(statement.replace("?", "%s"), params)
        return
    with contextlib.closing(sqlite3.connect(project)) as db, db:
        gpkg._register_functions(db)
        db.execute(statement, params)


def parcels_in(layers, status, n):
    return list(layers["parcels"].index[layers["parcels"]["status"] == status][:n])


# -- every kind of write keeps the rest of the file and the file's identity ------------------------


def every_kind_of_write(path, layers, tmp_path):
    """Append one event, a batch, replace a layer, import a layer, sync: yield a name after each."""
    submitted = parcels_in(layers, "submitted", 4)
    landkit.record_event(path, submitted[0], "approved", "2026-11-25", document_ref="豫政土〔2026〕99号")
    yield "event"
    landkit.record_events(path, [{"parcel_id": p, "status": "approved", "date": "2026-11-26"} for p in submitted[1:]])
    yield "batch"
    landkit.write_layer(
        layers["villages"].assign(name=lambda d: d["name"] + "（新）"), path, "villages", overwrite=True
    )
    yield "layer"
    src = tmp_path / "survey.geojson"
    layers["communities"].to_crs(4490).to_file(src)
    landkit.import_layer(src, path, "survey")
    yield "import"
    landkit.sync(path, apply=True)
    yield "sync"


def test_user_styles_and_tables_survive_every_write(sample_copy, sample_layers, tmp_path):
    add_user_tables(sample_copy)
    before = user_tables(sample_copy)
    for kind in every_kind_of_write(sample_copy, sample_layers, tmp_path):
        assert user_tables(sample_copy) == before, kind
        assert integrity(sample_copy) == "ok", kind


@pytest.mark.skipif(os.name == "nt", reason="symlinks and POSIX modes")
@pytest.mark.parametrize("mode", [0o600, 0o664])
def test_links_owner_and_mode_survive_every_write(tmp_path, sample_layers, mode):
    real = tmp_path / "projects" / "2026.gpkg"
    real.parent.mkdir()
    real.write_bytes(landkit.SAMPLE_PATH.read_bytes())
    os.chmod(real, mode)
    link = tmp_path / "current.gpkg"
    link.symlink_to(real)
    hard = tmp_path / "backup-link.gpkg"
    os.link(real, hard)
    inode, owner = real.stat().st_ino, (real.stat().st_uid, real.stat().st_gid)
    old_umask = os.umask(0o022)
    try:
        for kind in every_kind_of_write(link, sample_layers, tmp_path):
            assert link.is_symlink() and link.resolve() == real.resolve(), kind
            assert real.stat().st_ino == inode and hard.stat().st_ino == inode, kind
            assert (real.stat().st_mode & 0o777) == mode, kind
            assert (real.stat().st_uid, real.stat().st_gid) == owner, kind
    finally:
        os.umask(old_umask)
    # the real project (and its hard link) got the events recorded through the link
    assert len(landkit.read_layer(hard, "events")) == len(sample_layers["events"]) + 4
    assert sorted(p.name for p in real.parent.iterdir()) == ["2026.gpkg"]  # no lock, temp or journal files


def test_gdal_sees_correct_counts_and_extents_after_writes(sample_copy, sample_layers, tmp_path):
    for kind in every_kind_of_write(sample_copy, sample_layers, tmp_path):
        for layer in ("parcels", "villages", "events"):
            info = pyogrio.read_info(sample_copy, layer=layer)
            with contextlib.closing(sqlite3.connect(sample_copy)) as db:
                rows = db.execute(f'SELECT count(*) FROM "{layer}"').fetchone()[0]
            assert info["features"] == rows, (kind, layer)
    villages = landkit.read_layer(sample_copy, "villages")
    info = pyogrio.read_info(sample_copy, layer="villages", force_total_bounds=False)
    assert np.allclose(info["total_bounds"], villages.total_bounds)
    # the R-tree index was carried over: a spatial filter finds exactly the features a full scan does
    x0, y0, x1, y1 = villages.total_bounds
    box = (x0, y0, (x0 + x1) / 2, (y0 + y1) / 2)
    hit = pyogrio.read_dataframe(sample_copy, layer="villages", bbox=box)
    expected = villages.geometry.intersects(shapely.box(*box))
    assert sorted(hit["village_code"]) == sorted(villages.index[expected])
    with contextlib.closing(sqlite3.connect(sample_copy)) as db:
        assert db.execute("SELECT count(*) FROM rtree_villages_geom").fetchone()[0] == len(villages)
    assert all(name.endswith("（新）") for name in villages["name"])
    if ogrinfo := __import__("shutil").which("ogrinfo"):
        out = subprocess.run([ogrinfo, "-so", "-ro", str(sample_copy), "villages"], capture_output=True, text=True)
        assert "Feature Count: 25" in out.stdout


# -- QGIS beside landkit -------------------------------------------------------------------------


def test_an_open_wal_connection_keeps_its_edits_while_landkit_writes(sample_copy, sample_layers, short_wait):
    """QGIS has the project open in WAL mode: one edit committed (still in -wal), one not yet."""
    pid = parcels_in(sample_layers, "submitted", 1)[0]
    qgis = sqlite3.connect(sample_copy, isolation_level=None)
    gpkg._register_functions(qgis)  # QGIS (GDAL) registers the functions its R-tree triggers use
    assert qgis.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    qgis.execute("UPDATE parcels SET project = 'QGIS 已保存' WHERE parcel_id = 'CB00001'")  # committed
    assert os.path.getsize(f"{sample_copy}-wal") > 0  # the edit sits in the WAL, not yet in the file
    qgis.execute("BEGIN")
    qgis.execute("UPDATE parcels SET land_use = 'QGIS 编辑中' WHERE parcel_id = 'CB00002'")  # uncommitted
    with pytest.raises(landkit.ProjectLockedError, match="being written by another program"):
        landkit.record_event(sample_copy, pid, "approved", "2026-11-25")
    qgis.execute("COMMIT")
    landkit.record_event(sample_copy, pid, "approved", "2026-11-25")
    # QGIS's connection sees landkit's event and can keep editing (no "readonly database")
    assert qgis.execute("SELECT status FROM parcels WHERE parcel_id = ?", (pid,)).fetchone()[0] == "approved"
    qgis.execute("UPDATE parcels SET project = 'QGIS 又改' WHERE parcel_id = 'CB00003'")
    assert qgis.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # landkit left the journal mode alone
    parcels = landkit.read_layer(sample_copy, "parcels")
    assert parcels.loc["CB00001", "project"] == "QGIS 已保存"
    assert parcels.loc["CB00002", "land_use"] == "QGIS 编辑中"
    assert parcels.loc["CB00003", "project"] == "QGIS 又改"
    assert parcels.loc[pid, "status"] == "approved"
    qgis.close()
    assert integrity(sample_copy) == "ok"
    assert len(landkit.read_layer(sample_copy, "events")) == len(sample_layers["events"]) + 1


def test_landkit_imports_and_writes_without_posix_only_modules(sample_copy, sample_layers):
    """Windows has no fcntl (nor termios, pwd, grp, resource): landkit must not need them."""
    pid = parcels_in(sample_layers, "submitted", 1)[0]
    code = textwrap.dedent(f"""
        import sys
        for name in ("fcntl", "termios", "pwd", "grp", "resource"):
            sys.modules[name] = None  # importing any of them now raises ImportError
        import landkit, landkit.cli, landkit.audit, landkit.maps, landkit.report
        landkit.record_event(sys.argv[1], {pid!r}, "approved", "2026-11-25")
        landkit.write_layer(landkit.read_layer(sys.argv[1], "villages"), sys.argv[1], "v2")
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code, str(sample_copy)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    assert landkit.read_layer(sample_copy, "parcels").loc[pid, "status"] == "approved"


# -- two truths become one -----------------------------------------------------------------------


def test_recording_updates_the_layer_in_the_same_transaction(project_url_or_path, sample_layers):
    project = project_url_or_path
    pid = parcels_in(sample_layers, "submitted", 1)[0]
    landkit.record_event(project, pid, "已批复", "2026年11月25日", document_ref="豫政土〔2026〕99号")
    assert landkit.read_layer(project, "parcels").loc[pid, "status"] == "approved"
    events = landkit.read_layer(project, "events")
    assert events.iloc[-1][["parcel_id", "status", "event_type"]].tolist() == [pid, "approved", "transition"]
    assert events["date"].iloc[-1] == np.datetime64("2026-11-25")
    findings = landkit.audit.audit(landkit.read_project(project))
    assert not (findings["rule"] == "ledger").any()  # the documented workflow passes the project's own audit


def test_a_batch_is_checked_row_by_row_and_refused_whole(project_url_or_path, sample_layers):
    project = project_url_or_path
    submitted = parcels_in(sample_layers, "submitted", 3)
    before = state(project)
    batch = [
        {"地块编号": submitted[0], "日期": "2026-11-25", "新状态": "已批复"},
        {"地块编号": submitted[0], "日期": "2026-11-26", "新状态": "已入库"},  # follows the row before it
        {"地块编号": submitted[1], "日期": "2026-11-25", "新状态": "reserved"},  # skips approval
        {"地块编号": "CB99999", "日期": "2026-11-25", "新状态": "approved"},  # no such parcel
        {"地块编号": submitted[2], "日期": "", "新状态": "approved"},  # no date
    ]
    with pytest.raises(landkit.LedgerError) as refused:
        landkit.record_events(project, batch)
    message = str(refused.value)
    assert "3 of 5 event(s) refused; nothing was recorded" in message
    assert "row 4" in message and "row 5" in message and "row 6" in message  # as a spreadsheet: header row 1
    assert "row 2" not in message and "row 3" not in message
    assert state(project) == before
    ids = landkit.record_events(project, batch[:2])
    assert ids == [len(sample_layers["events"]) + 1, len(sample_layers["events"]) + 2]
    assert landkit.read_layer(project, "parcels").loc[submitted[0], "status"] == "reserved"


def test_record_from_a_gbk_csv_and_an_xlsx_with_chinese_headers(sample_copy, sample_layers, tmp_path):
    from click.testing import CliRunner

    from landkit.cli import main

    submitted = parcels_in(sample_layers, "submitted", 4)
    csv = tmp_path / "批复.csv"
    lines = ["地块编号,日期,新状态,文号"] + [f"{p},2026/11/25,已批复,豫政土〔2026〕99号" for p in submitted[:2]]
    csv.write_bytes("\r\n".join(lines).encode("gbk"))  # as Excel on a Chinese Windows PC saves it
    xlsx = tmp_path / "批复.xlsx"
    import pandas as pd

    pd.DataFrame({"地块编号": submitted[2:], "日期": ["2026.11.26"] * 2, "新状态": ["approved"] * 2}).to_excel(
        xlsx, index=False
    )
    for source in (csv, xlsx):
        result = CliRunner().invoke(main, ["record", str(sample_copy), "--from", str(source)])
        assert result.exit_code == 0, result.output
        assert "录入 2 条事件" in result.output
    parcels = landkit.read_layer(sample_copy, "parcels")
    assert (parcels.loc[submitted, "status"] == "approved").all()
    assert consistent(sample_copy)


def test_sync_makes_layers_follow_the_ledgers(project_url_or_path, sample_layers):
    project = project_url_or_path
    stale = parcels_in(sample_layers, "submitted", 3)
    villages = sample_layers["villages"]
    moved = villages.index[villages["relocation_status"] == "moved"][0]
    for p in stale:  # edits made in QGIS
        edit(project, "UPDATE parcels SET status = 'planned' WHERE parcel_id = ?", (p,))
    edit(project, "UPDATE villages SET relocation_status = 'planned' WHERE village_code = ?", (moved,))
    findings = landkit.audit.audit(landkit.read_project(project))
    flagged = findings[findings["rule"] == "ledger"]
    assert {i for ids in flagged["ids"] for i in ids} >= {*stale, moved}  # the audit sees both kinds
    before = state(project)
    changes = landkit.sync(project)  # a dry run
    assert state(project) == before
    assert {(c["id"], c["from"], c["to"]) for c in changes} == {
        *((p, "planned", "submitted") for p in stale),
        (moved, "planned", "moved"),
    }
    assert landkit.sync(project, apply=True) == changes
    assert landkit.sync(project) == []
    assert consistent(project)
    assert landkit.read_layer(project, "villages").loc[moved, "relocation_status"] == "moved"


def test_sync_opens_the_history_of_a_project_without_events(new_project_url_or_path, sample_layers):
    """A planner's project with statuses in the layers and empty ledgers."""
    path = new_project_url_or_path
    layers = dict(sample_layers)
    layers["events"] = sample_layers["events"].iloc[:0]
    layers["relocation_events"] = sample_layers["relocation_events"].iloc[:0].drop(columns="event_type",
                                                                                  errors="ignore")  # fmt: skip
    landkit.write_project(layers, path)
    acquiring = parcels_in(sample_layers, "acquiring", 1)[0]
    with pytest.raises(landkit.LedgerError, match="it has no events yet and its layer says `acquiring`"):
        landkit.record_event(path, acquiring, "acquired", "2026-11-25")
    with pytest.raises(landkit.LedgerError, match="--as-of"):
        landkit.sync(path, apply=True)
    changes = landkit.sync(path, apply=True, as_of="2026-11-20")
    placed = sample_layers["villages"]["relocation_status"] != "planned"
    assert sum(c["change"] == "opening" for c in changes) == len(sample_layers["parcels"]) + int(placed.sum())
    events = landkit.read_layer(path, "events")
    assert set(events["event_type"]) == {"opening"} and (events["date"] == np.datetime64("2026-11-20")).all()
    landkit.record_event(path, acquiring, "acquired", "2026-11-25")  # its history now starts from the file
    assert consistent(path)
    village = sample_layers["villages"].index[placed][0]
    moved = landkit.read_layer(path, "relocation_events").set_index("village_code").loc[village]
    assert moved["event_type"] == "opening"


# -- concurrency and kills -------------------------------------------------------------------------

RECORDER = """
import sys, landkit
path, name, pid, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
for i in range(n):
    status, kind = ("approved", "transition") if i % 2 == 0 else ("submitted", "revocation")
    landkit.record_event(path, pid, status, "2026-11-25", event_type=kind, note=f"{name}-{i}")
"""


@pytest.mark.slow
def test_two_processes_recording_at_once_lose_nothing(project_url_or_path, sample_layers):
    project = project_url_or_path
    a, b = parcels_in(sample_layers, "submitted", 2)
    procs = [
        subprocess.Popen([sys.executable, "-c", RECORDER, str(project), name, pid, "200"], stderr=subprocess.PIPE)
        for name, pid in (("A", a), ("B", b))
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    events = landkit.read_layer(project, "events")
    new = events.iloc[len(sample_layers["events"]) :]
    assert len(new) == 400 and sorted(new["note"]) == sorted(f"{n}-{i}" for n in "AB" for i in range(200))
    assert events.index.is_unique and list(events.index) == list(range(1, len(events) + 1))
    for pid, name in ((a, "A"), (b, "B")):  # each process's events in its own order
        assert list(new.loc[new["parcel_id"] == pid, "note"]) == [f"{name}-{i}" for i in range(200)]
    assert consistent(project)


LOOPS = {
    "event": """
pid = sys.argv[2]
for i in range(10**6):
    status, kind = ("approved", "transition") if i % 2 == 0 else ("submitted", "revocation")
    landkit.record_event(path, pid, status, "2026-11-25", event_type=kind)
""",
    "batch": """
pids = sys.argv[2].split(",")
for i in range(10**6):
    status, kind = ("approved", "transition") if i % 2 == 0 else ("submitted", "revocation")
    landkit.record_events(path, [{"parcel_id": p, "status": status, "date": "2026-11-25", "event_type": kind}
                                 for p in pids])
""",
    "layer": """
parcels = landkit.read_layer(path, "parcels")
for i in range(10**6):
    landkit.write_layer(parcels.assign(land_use=f"版本{i % 2}"), path, "parcels", overwrite=True)
""",
    "import": """
for i in range(10**6):
    landkit.import_layer(sys.argv[2], path, "survey", overwrite=True)
""",
}


@pytest.mark.parametrize("kind", [k if k == "event" else pytest.param(k, marks=pytest.mark.slow) for k in LOOPS])
def test_killed_at_random_points_of_every_kind_of_write(kind, sample_copy, sample_layers, tmp_path):
    """kill -9 in the middle of writing: the file passes integrity_check and holds the old or the new state."""
    submitted = parcels_in(sample_layers, "submitted", 50)
    arg = {"event": submitted[0], "batch": ",".join(submitted), "layer": "", "import": str(tmp_path / "s.geojson")}
    sample_layers["villages"].to_crs(4490).to_file(tmp_path / "s.geojson")
    code = "import sys, landkit\npath = sys.argv[1]\nprint('ready', flush=True)\n" + LOOPS[kind]
    rng = random.Random(kind)
    n_events = len(sample_layers["events"])
    for _ in range(4):
        with subprocess.Popen(
            [sys.executable, "-c", code, str(sample_copy), arg[kind]], stdout=subprocess.PIPE
        ) as proc:
            assert proc.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.5, 2.5))
            proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
            proc.wait()
        project = landkit.read_project(sample_copy)  # as a planner's next command would: opens, reads, or raises
        assert integrity(sample_copy) == "ok"
        events = project["events"]
        new = len(events) - n_events
        if kind == "batch":
            assert new % len(submitted) == 0  # whole batches only
        if kind in ("event", "batch"):
            assert consistent(sample_copy)
        if kind == "layer":
            assert project["parcels"]["land_use"].nunique() == 1 or (
                new == 0 and project["parcels"].equals(sample_layers["parcels"])
            )
            assert len(project["parcels"]) == len(sample_layers["parcels"])
        if kind == "import" and "survey" in project:
            assert len(project["survey"]) == len(sample_layers["villages"])
        assert sorted(p.name for p in sample_copy.parent.iterdir() if not p.name.endswith(".geojson")) in (
            [sample_copy.name],
            [sample_copy.name, f"{sample_copy.name}-journal"],  # SQLite's own, rolled back on the next open
        )
    assert proc.returncode != 0  # the writer was killed, not finished


def test_a_write_never_goes_through_a_copy(sample_copy, sample_layers, monkeypatch):
    """No os.replace, no copying: the only file landkit writes is the project itself."""

    def refuse(*args, **kwargs):
        raise AssertionError("a project write replaced a file")

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "rename", refuse)
    landkit.record_event(sample_copy, parcels_in(sample_layers, "submitted", 1)[0], "approved", "2026-11-25")
    landkit.write_layer(sample_layers["villages"], sample_copy, "villages", overwrite=True)
    assert integrity(sample_copy) == "ok"


def test_a_new_layer_keeps_a_custom_crs(project_url_or_path):
    project = project_url_or_path
    gdf = gpd.GeoDataFrame({"id": [1]}, geometry=[shapely.box(0, 0, 100, 100)], crs="EPSG:2229")  # US feet
    landkit.write_layer(gdf, project, "feet")
    assert landkit.read_layer(project, "feet").crs.to_epsg() == 2229
    assert landkit.read_layer(project, "parcels").crs.to_epsg() == 4547


def test_busy_wait_then_write(sample_copy, sample_layers, monkeypatch):
    """A write waits for another program's short save instead of failing at once."""
    monkeypatch.setattr(landkit.settings, "busy_timeout_s", 10.0)
    pid = parcels_in(sample_layers, "submitted", 1)[0]
    code = "import sqlite3, sys, time\ndb = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    code += "db.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(1.0); db.execute('COMMIT')"
    with subprocess.Popen([sys.executable, "-c", code, str(sample_copy)], stdout=subprocess.PIPE) as other:
        assert other.stdout.readline().strip() == b"locked"
        landkit.record_event(sample_copy, pid, "approved", "2026-11-25")  # started while the lock was held
    assert landkit.read_layer(sample_copy, "parcels").loc[pid, "status"] == "approved"


INTERRUPTED = """
import sqlite3, sys, time
from landkit.store.gpkg import _register_functions
db = sqlite3.connect(sys.argv[1], isolation_level=None)
_register_functions(db)
db.execute("PRAGMA cache_size = 10")  # changed pages spill into the file before the commit
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE parcels SET land_use = '被打断'")
print("inside", flush=True)
time.sleep(60)
"""


def test_the_next_read_after_a_crash_mid_write_sees_the_last_committed_state(sample_copy, sample_layers):
    """A writer (landkit's, QGIS's) killed inside its transaction leaves a hot journal beside the file."""
    with subprocess.Popen([sys.executable, "-c", INTERRUPTED, str(sample_copy)], stdout=subprocess.PIPE) as proc:
        assert proc.stdout.readline().strip() == b"inside"
        proc.kill()
        proc.wait()
    journal = sample_copy.with_name(f"{sample_copy.name}-journal")
    assert journal.exists() and journal.stat().st_size > 0
    from click.testing import CliRunner

    from landkit.cli import main

    result = CliRunner().invoke(main, ["info", str(sample_copy)])
    assert result.exit_code == 0, result.output
    parcels = landkit.read_layer(sample_copy, "parcels")
    assert "被打断" not in set(parcels["land_use"])
    assert parcels["land_use"].equals(sample_layers["parcels"]["land_use"])
    assert integrity(sample_copy) == "ok" and not journal.exists()


# -- what a red-team pass found: projects shaped by other tools and other hands --------------------


def test_a_missing_column_is_refused_by_name_and_nothing_is_written(project_url_or_path):
    project = project_url_or_path
    edit(project, 'ALTER TABLE parcels RENAME COLUMN parcel_id TO "DKBH"')  # a survey Shapefile's id column
    before = state(project)
    for call in (
        lambda: landkit.sync(project, apply=True, as_of="2026-11-27"),
        lambda: landkit.record_event(project, "CB00001", "acquiring", "2026-11-27"),
    ):
        with pytest.raises(landkit.DataError, match="parcels: no column parcel_id"):
            call()
    assert state(project) == before


def test_two_local_crss_stay_two_crss(sample_copy):
    """Two custom (地方坐标系) CRSs both take the first free custom srs_id in their scratch files."""
    a = "+proj=tmerc +lon_0=113.5 +x_0=500000 +ellps=GRS80 +units=m +no_defs"
    b = "+proj=tmerc +lon_0=112.75 +x_0=40500000 +ellps=GRS80 +units=m +no_defs"
    for name, crs, x in (("local_a", a, 500000), ("local_b", b, 40500000)):
        gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(x, 3700000)], crs=crs)
        landkit.write_layer(gdf, sample_copy, name)
    got_a, got_b = landkit.read_layer(sample_copy, "local_a"), landkit.read_layer(sample_copy, "local_b")
    assert got_a.crs.equals(a) and got_b.crs.equals(b) and not got_a.crs.equals(got_b.crs)
    assert got_b.geometry.iloc[0].x == 40500000
    with contextlib.closing(sqlite3.connect(sample_copy)) as db:  # each blob names its layer's srs_id
        for layer in ("local_a", "local_b"):
            (srs,) = db.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
            (blob,) = db.execute(f"SELECT geom FROM {layer}").fetchone()
            assert int.from_bytes(blob[4:8], "little" if blob[3] & 1 else "big") == srs
    assert (
        pyogrio.read_info(sample_copy, layer="local_b")["crs"] != pyogrio.read_info(sample_copy, layer="local_a")["crs"]
    )
    assert integrity(sample_copy) == "ok"


def test_history_is_guarded_whatever_the_case_of_the_name_or_the_type_of_a_cell(sample_copy):
    events = landkit.read_layer(sample_copy, "events")
    for name in ("events", "Events", "EVENTS"):
        with pytest.raises(landkit.LedgerError, match="append-only"):
            landkit.write_layer(events.iloc[:10], sample_copy, name, overwrite=True)
    with contextlib.closing(sqlite3.connect(sample_copy)) as db, db:
        db.execute("UPDATE events SET document_ref = '0012' WHERE event_id = 1")
    twelve = landkit.read_layer(sample_copy, "events")
    twelve.loc[1, "document_ref"] = "12"  # as an Excel round trip turns it
    with pytest.raises(landkit.LedgerError, match="append-only"):
        landkit.write_layer(twelve, sample_copy, "events", overwrite=True)
    landkit.write_layer(landkit.read_layer(sample_copy, "events"), sample_copy, "EVENTS", overwrite=True)
    assert "events" in landkit.list_layers(sample_copy)  # the layer keeps its name


def test_a_reader_holding_the_file_at_commit_time_is_a_lock_not_damage(sample_copy, sample_layers, short_wait):
    """Rollback-journal mode: another program's open read stops our COMMIT, not our BEGIN."""
    reader = sqlite3.connect(sample_copy, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM parcels").fetchone()  # holds a shared lock
    try:
        with pytest.raises(landkit.ProjectLockedError, match="being written by another program; try again"):
            landkit.record_event(sample_copy, parcels_in(sample_layers, "submitted", 1)[0], "approved", "2026-11-25")
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert len(landkit.read_layer(sample_copy, "events")) == len(sample_layers["events"])


@pytest.mark.parametrize("options", [{"ADD_GPKG_OGR_CONTENTS": "NO"}, {"CRS_WKT_EXTENSION": "YES"}])
def test_projects_written_by_other_tools_take_every_kind_of_write(tmp_path, sample_layers, options):
    path = tmp_path / "other.gpkg"
    for name, df in sample_layers.items():
        shaped = df.reset_index()
        pyogrio.write_dataframe(shaped, path, layer=name, dataset_options=options if name == "county" else None)
    landkit.record_event(path, parcels_in(sample_layers, "submitted", 1)[0], "approved", "2026-11-25")
    landkit.write_layer(sample_layers["events"], path, "events_copy")
    points = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[shapely.Point(112.9, 33.7), shapely.Point(113, 33.8)], crs=4490)
    landkit.write_layer(points, path, "gps_points")  # a CRS the project did not have
    for layer in ("events", "events_copy", "gps_points", "parcels"):
        with contextlib.closing(sqlite3.connect(path)) as db:
            rows = db.execute(f'SELECT count(*) FROM "{layer}"').fetchone()[0]
        assert pyogrio.read_info(path, layer=layer)["features"] == rows, layer
    assert landkit.read_layer(path, "gps_points").crs.to_epsg() == 4490
    assert integrity(path) == "ok"


def test_sync_reads_chinese_labels_and_refuses_unknown_statuses(sample_copy, sample_layers):
    villages = sample_layers["villages"]
    planned = villages.index[villages["relocation_status"] == "planned"][:2]
    with contextlib.closing(sqlite3.connect(sample_copy)) as qgis, qgis:
        gpkg._register_functions(qgis)
        qgis.execute("UPDATE villages SET relocation_status = '已签协议' WHERE village_code = ?", (planned[0],))
        qgis.execute("UPDATE villages SET relocation_status = '签了' WHERE village_code = ?", (planned[1],))
    changes = landkit.sync(sample_copy)
    assert {(c["id"], c["change"], c["to"]) for c in changes} == {
        (planned[0], "opening", "agreement_signed"),
        (planned[1], "unknown", None),
    }
    with pytest.raises(landkit.LedgerError, match=r"no known status: .*签了"):
        landkit.sync(sample_copy, apply=True, as_of="2026-11-20")
    with contextlib.closing(sqlite3.connect(sample_copy)) as qgis, qgis:
        gpkg._register_functions(qgis)
        qgis.execute("UPDATE villages SET relocation_status = 'planned' WHERE village_code = ?", (planned[1],))
    landkit.sync(sample_copy, apply=True, as_of="2026-11-20")
    assert landkit.read_layer(sample_copy, "villages").loc[planned[0], "relocation_status"] == "agreement_signed"
    landkit.record_relocation_event(sample_copy, planned[0], "moved", "2026-11-27")  # the history goes on
    assert landkit.read_layer(sample_copy, "villages").loc[planned[0], "relocation_status"] == "moved"


def test_the_users_indexes_and_triggers_survive_a_layer_replace(sample_copy):
    with contextlib.closing(sqlite3.connect(sample_copy)) as db, db:
        db.execute("CREATE INDEX 我的索引 ON parcels(village_code)")
        db.execute("CREATE TABLE status_log (parcel_id TEXT, status TEXT)")
        db.execute(
            "CREATE TRIGGER log_status AFTER UPDATE OF status ON parcels "
            "BEGIN INSERT INTO status_log VALUES (NEW.parcel_id, NEW.status); END"
        )
    parcels = landkit.read_layer(sample_copy, "parcels")
    landkit.write_layer(parcels, sample_copy, "parcels", overwrite=True)
    with contextlib.closing(sqlite3.connect(sample_copy)) as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'parcels'")}
    assert {"我的索引", "log_status"} <= names
    pid = parcels.index[parcels["status"] == "submitted"][0]
    landkit.record_event(sample_copy, pid, "approved", "2026-11-25")
    with contextlib.closing(sqlite3.connect(sample_copy)) as db:
        assert db.execute("SELECT * FROM status_log").fetchall() == [(pid, "approved")]  # the trigger still runs
    parcels = landkit.read_layer(sample_copy, "parcels")
    with pytest.warns(landkit.errors.LandkitWarning, match="lost your index"):
        landkit.write_layer(parcels.drop(columns="village_code"), sample_copy, "parcels", overwrite=True)


def test_writing_an_old_copy_of_a_layer_does_not_undo_recorded_statuses(project_url_or_path, sample_layers):
    project = project_url_or_path
    parcels = landkit.read_layer(project, "parcels")  # read before the event…
    pid = parcels_in(sample_layers, "submitted", 1)[0]
    landkit.record_event(project, pid, "approved", "2026-11-25")
    with pytest.warns(landkit.errors.LandkitWarning, match="1 parcel"):
        landkit.write_layer(parcels, project, "parcels", overwrite=True)  # …written back after it
    assert landkit.read_layer(project, "parcels").loc[pid, "status"] == "approved"
    assert consistent(project)


def test_bad_sources_give_one_line_errors(sample_copy, tmp_path):
    from click.testing import CliRunner

    from landkit.cli import main

    xlsx = tmp_path / "批复.xlsx"
    xlsx.write_text("not a workbook")
    fid = tmp_path / "wells.geojson"
    fid.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"fid": "A-1"},'
        ' "geometry": {"type": "Point", "coordinates": [112.9, 33.7]}}]}'
    )
    for args, says in (
        (["record", str(sample_copy), "--from", str(xlsx)], "cannot be read as a table"),
        (["import", str(fid), str(sample_copy), "--layer", "wells"], "Rename the column 'fid'"),
    ):
        result = CliRunner().invoke(main, args, env={"LANDKIT_LANG": "en"})
        assert result.exit_code == 2, result.output
        assert says in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) <= 2
