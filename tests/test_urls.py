"""A database URL is an address, never a file name, and its password is never shown.

Every command given a ``postgresql://user:PASSWORD@host/db?schema=…`` URL either works in the
database (checked with SQL) or refuses in one line; nothing is written to the working folder
under a name made from the URL, and no byte printed or written (workbooks and QGIS projects
unzipped) holds the password.
"""

import json
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import landkit
from landkit.cli import main
from landkit.io import check_output
from landkit.store import as_url, display, postgis

from .pg import PASSWORD, new_schema

GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"note": "测点"}, "geometry": {"type": "Point", "coordinates": [112.9, 33.7]}}
    ],
}


def run(*args, lang="en"):
    """The command line in English unless asked: these tests read its refusals (test_errors_said.py
    checks the Chinese)."""
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


def with_password(url: str, password: str = PASSWORD) -> str:
    """A planner's URL (postgresql://postgres@host…) with the password written into it."""
    assert url.startswith("postgresql://postgres@")
    return url.replace("postgres@", f"postgres:{password}@", 1)


def schema_of(url: str) -> str:
    return postgis.parse(url).schema


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def pdf_streams(data: bytes) -> dict[str, bytes]:
    """The deflated streams of a PDF, inflated: a password in a compressed page would hide from a plain grep."""
    out = {}
    for i, match in enumerate(re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)):
        try:
            out[f"#stream{i}"] = zlib.decompress(match.group(1))
        except zlib.error:
            out[f"#stream{i}"] = match.group(1)
    return out


def every_byte(folder: Path) -> dict[str, bytes]:
    """Each file under ``folder`` by name, each member of a zip (xlsx, qgz) as name!member, each PDF stream inflated."""
    out: dict[str, bytes] = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        out[str(path)] = data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                out |= {f"{path}!{name}": z.read(name) for name in z.namelist()}
        if data.startswith(b"%PDF"):
            out |= {f"{path}{name}": inflated for name, inflated in pdf_streams(data).items()}
    return out


def holding(files: dict[str, bytes], text: str) -> list[str]:
    return [name for name, data in files.items() if text.encode() in data]


def one_line_refusal(result, *hidden: str, lines: int = 1) -> str:
    """Exit 2 in ``lines`` lines at most (one, or a progress line and the refusal), no traceback, no secret."""
    text = result.output
    assert result.exit_code == 2, text
    assert 1 <= len(text.strip().splitlines()) <= lines and "Traceback" not in text, text
    for secret in hidden:
        assert secret not in text, text
    return text


@pytest.fixture
def secret_url(pg_project, monkeypatch, tmp_path):
    """The sample project's URL with the password in it (and only there: no PGPASSWORD), run from tmp_path."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.chdir(tmp_path)
    return with_password(pg_project)


# -- what is shown -------------------------------------------------------------------------------------


def test_reading_commands_and_the_pack_never_show_the_password(secret_url, tmp_path):
    masked = display(secret_url)
    assert masked.startswith("postgresql://postgres:***@127.0.0.1:") and PASSWORD not in masked
    printed = {}
    for args in (
        ("info", "--format", "json"),
        ("info",),
        ("progress",),
        ("progress", "--format", "json"),
        ("areas", "--format", "json"),
        ("changes", "--since", "2026-10-31", "--format", "json"),
        ("changes", "--since", "2026-10-31"),
        ("audit", "--format", "json"),
        ("audit",),
    ):
        result = run(args[0], secret_url, *args[1:])
        assert result.exit_code in (0, 1), (args, result.output)  # the audit finds the sample's planted errors
        assert PASSWORD not in result.output, args
        printed[" ".join(args)] = result.output
    for name in ("info --format json", "progress --format json", "areas --format json"):
        assert json.loads(printed[name])["path"] == masked, name  # still named, masked
    assert json.loads(printed["changes --since 2026-10-31 --format json"])["path"] == masked
    assert json.loads(printed["audit --format json"])["input"]["path"] == masked
    for name in ("info", "progress", "changes --since 2026-10-31", "audit"):
        assert masked in printed[name], name

    pack = run("report", secret_url, "-o", "pack")
    assert pack.exit_code == 0 and PASSWORD not in pack.output, pack.output
    files = every_byte(tmp_path)
    assert any("audit.xlsx!xl/worksheets/" in name for name in files)  # the workbook was opened
    assert any(name.endswith("project.qgz!project.qgs") for name in files)  # and the QGIS project
    assert [name for name, data in files.items() if PASSWORD.encode() in data] == []
    stamped = [name for name, data in files.items() if masked.encode() in data]
    assert any(name.endswith("index.html") for name in stamped), stamped  # the stamp names the project, masked
    assert any("audit.xlsx!" in name for name in stamped), stamped  # the workbook's 说明 sheet too


# -- every other command, on a URL with the password in it -----------------------------------------------


@pytest.fixture(scope="module")
def shared_project(pg_server, sample_layers):
    """One sample project for the commands that only read it (and write files in the working folder)."""
    url = pg_server.url(new_schema())
    landkit.write_project(sample_layers, url)
    return with_password(url)


@pytest.fixture
def shared_url(shared_project, pg_server, monkeypatch, tmp_path):
    """The shared project's URL, with the password only in it, run from tmp_path; its tables unchanged after."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.chdir(tmp_path)
    before = state(pg_server, schema_of(shared_project))
    yield shared_project
    assert state(pg_server, schema_of(shared_project)) == before  # a reading command wrote nothing


# (args after the URL, the files it writes, where the masked URL shows: "output", a file's suffix, or None)
READING = {
    "relocate": (("relocate",), [], "output"),
    "relocate-json": (("relocate", "--format", "json"), [], "json"),
    "zones": (("zones",), [], "output"),
    "zones-csv": (("zones", "--format", "csv"), [], None),  # a bare table
    "zones-json": (("zones", "--format", "json"), [], "json"),
    "sync-dry": (("sync",), [], None),
    "sync-dry-json": (("sync", "--format", "json"), [], "json"),
    "map": (("map", "-o", "会议图.html"), ["会议图.html"], None),
    "print": (("print", "-o", "规划图.pdf", "--size", "a4"), ["规划图.pdf"], None),
    "export-xlsx": (("export", "-o", "清单.xlsx"), ["清单.xlsx"], "清单.xlsx!"),
    "export-csv": (("export", "-o", "清单.csv", "--by", "status"), ["清单.csv"], None),
    "qgis": (("qgis", "-o", "鲁山.qgz"), ["鲁山.qgz", "鲁山-findings.gpkg"], "qgis"),
    "audit-json-file": (("audit", "--format", "json", "-o", "audit.json"), ["audit.json"], "audit.json"),
}


@pytest.mark.parametrize("case", READING, ids=str)
def test_every_reading_command_prints_and_writes_no_password(case, shared_url, tmp_path):
    args, written, where = READING[case]
    masked = display(shared_url)
    result = run(args[0], shared_url, *args[1:])
    assert result.exit_code in (0, 1), result.output  # audit: the sample's planted findings
    assert PASSWORD not in result.output, result.output
    assert set(written) <= set(listing(tmp_path)), listing(tmp_path)
    assert not [name for name in listing(tmp_path) if "postgres" in name or "127.0.0.1" in name]
    files = every_byte(tmp_path)
    assert all(files[str(tmp_path / name)] for name in written)  # written, and not empty
    assert holding(files, PASSWORD) == []
    assert holding(files, "lk-test-Secret") == []  # nor a part of it
    if case == "print":
        assert any("#stream" in name for name in files)  # the pages were inflated and grepped too
    if case in ("map", "export-csv"):
        assert holding(files, "CB00"), case  # the parcels are in it: the grep read the real content
    if where == "output":
        assert masked in result.output
    elif where == "json":
        assert json.loads(result.output)["path"] == masked
    elif where == "qgis":  # the project opens the schema as the user, the password left to QGIS to ask
        qgs = files[str(tmp_path / "鲁山.qgz") + "!鲁山.qgs"].decode()
        assert f"table=&quot;{schema_of(shared_url)}&quot;.&quot;parcels&quot;" in qgs
        assert "user='postgres'" in qgs and "password=" not in qgs
    elif where:
        assert holding(files, masked) and all(where in name for name in holding(files, masked)), holding(files, masked)


def test_the_byte_grep_looks_inside_workbooks_projects_and_pdf_streams(tmp_path):
    with zipfile.ZipFile(tmp_path / "a.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", f"<t>{PASSWORD}</t>")
    squeezed = zlib.compress(f"BT ({PASSWORD}) Tj ET".encode())
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>>\nstream\n" + squeezed + b"\nendstream\nendobj\n")
    files = every_byte(tmp_path)
    assert PASSWORD.encode() not in (tmp_path / "a.xlsx").read_bytes() + (tmp_path / "b.pdf").read_bytes()
    assert sorted(holding(files, PASSWORD)) == [
        f"{tmp_path / 'a.xlsx'}!xl/sharedStrings.xml",
        f"{tmp_path / 'b.pdf'}#stream0",
    ]


def state(pg_server, schema: str) -> dict:
    """What SQL sees of a project: its tables, their rows, the statuses and the ledgers' last ids."""
    tables = [t for (t,) in pg_server.sql("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))]
    counts = " UNION ALL ".join(f'SELECT \'{t}\', count(*) FROM "{schema}"."{t}"' for t in tables)
    return {
        "rows": dict(pg_server.sql(counts)),
        "parcels": pg_server.sql(
            f"SELECT md5(string_agg(parcel_id || ':' || status, ',' ORDER BY parcel_id)) FROM \"{schema}\".parcels"
        ),
        "villages": pg_server.sql(
            f"SELECT md5(string_agg(village_code || ':' || relocation_status, ',' ORDER BY village_code)) "
            f'FROM "{schema}".villages'
        ),
        "schemas": sorted(pg_server.sql("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'p\\_%%'")),
    }


def first(pg_server, schema: str, layer: str, key: str, column: str, value: str) -> str:
    found = pg_server.sql(f'SELECT {key} FROM "{schema}".{layer} WHERE {column} = %s ORDER BY 1 LIMIT 1', (value,))
    assert found, (layer, value)
    return found[0][0]


# -- commands that write, each into a project of its own ----------------------------------------------------


WRITING = ["record", "record-village", "record-from-csv", "record-refused", "sync-apply", "grant"]


@pytest.mark.parametrize("case", WRITING)
def test_every_writing_command_prints_and_writes_no_password(case, secret_url, pg_server, tmp_path):
    schema, masked = schema_of(secret_url), display(secret_url)
    pid = first(pg_server, schema, "parcels", "parcel_id", "status", "submitted")
    village = first(pg_server, schema, "villages", "village_code", "relocation_status", "planned")
    (tmp_path / "事件.csv").write_text(
        f"地块编号,日期,新状态,文号\n{pid},2026-11-25,已批复,豫政土〔2026〕7号\n", "utf-8"
    )
    before = state(pg_server, schema)
    role = f"rd_{new_schema()}"
    args = {
        "record": ("record", secret_url, pid, "已批复", "--date", "2026-11-25", "--doc", "豫政土〔2026〕9号"),
        "record-village": ("record", secret_url, village, "已签协议", "--village", "--date", "2026-11-25"),
        "record-from-csv": ("record", secret_url, "--from", "事件.csv"),
        "record-refused": ("record", secret_url, pid, "signed", "--date", "2026-11-25"),
        "sync-apply": ("sync", secret_url, "--apply", "--as-of", "2026-01-01", "--format", "json"),
        "grant": ("grant", secret_url, "--reader", role, "--recorder", f"{role}_rec"),
    }[case]
    if case == "sync-apply":  # a status the ledger does not back: sync has something to write
        pg_server.sql(f"UPDATE \"{schema}\".parcels SET status = 'planned' WHERE parcel_id = %s", (pid,))
    result = run(*args)
    assert PASSWORD not in result.output and "lk-test-Secret" not in result.output, result.output
    assert listing(tmp_path) == ["事件.csv"]  # nothing written beside the input
    after = state(pg_server, schema)
    status = pg_server.sql(f'SELECT status FROM "{schema}".parcels WHERE parcel_id = %s', (pid,))[0][0]
    if case == "record-refused":
        assert masked in one_line_refusal(result, PASSWORD)  # the refusal names the project, masked
        assert after == before
        return
    assert result.exit_code == 0, result.output
    grew = {t: n - before["rows"].get(t, 0) for t, n in after["rows"].items() if n != before["rows"].get(t)}
    if case in ("record", "record-from-csv"):
        assert grew == {"events": 1} and status == "approved", (grew, status)
    elif case == "record-village":
        assert grew == {"relocation_events": 1} and after["villages"] != before["villages"]
    elif case == "sync-apply":
        assert json.loads(result.output)["path"] == masked and json.loads(result.output)["applied"] is True
        assert status == "submitted" and after == before  # back to what the ledger says
    else:  # grant: nothing changes but the empty payments ledger it makes for the recorders
        assert masked in result.output and grew == ({"payments": 0} if "payments" not in before["rows"] else {})
        assert {k: v for k, v in after.items() if k != "rows"} == {k: v for k, v in before.items() if k != "rows"}
        privileges = pg_server.sql(
            "SELECT has_table_privilege(%s, %s, 'SELECT'), has_table_privilege(%s, %s, 'INSERT'), "
            "has_table_privilege(%s, %s, 'INSERT')",
            (role, f"{schema}.events", role, f"{schema}.events", f"{role}_rec", f"{schema}.events"),
        )
        assert privileges == [(True, False, True)]


# -- a reader tries every write ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reader_project(pg_server, sample_layers):
    """A project with a reader group (landkit grant), a LOGIN role in it with its own password, and one
    parcel whose status the ledger does not back (so ``sync --apply`` would have work)."""
    url = pg_server.url(new_schema())
    landkit.write_project(sample_layers, url)
    schema, group, role = schema_of(url), f"rg_{new_schema()}", f"rl_{new_schema()}"
    granted = run("grant", with_password(url), "--reader", group)
    assert granted.exit_code == 0 and PASSWORD not in granted.output, granted.output
    pg_server.sql(f"CREATE ROLE {role} LOGIN PASSWORD 'rd-Pw-9931' IN ROLE {group}")
    pid = first(pg_server, schema, "parcels", "parcel_id", "status", "submitted")
    pg_server.sql(f"UPDATE \"{schema}\".parcels SET status = 'planned' WHERE parcel_id = %s", (pid,))
    reader_url = url.replace("postgres@", f"{role}:rd-Pw-9931@", 1)
    return {"owner": with_password(url), "reader": reader_url, "schema": schema, "role": role, "parcel": pid}


@pytest.fixture
def as_reader(reader_project, pg_server, monkeypatch, tmp_path):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.geojson").write_text(json.dumps(GEOJSON), encoding="utf-8")
    pid = reader_project["parcel"]
    (tmp_path / "事件.csv").write_text(f"地块编号,日期,新状态\n{pid},2026-11-25,已批复\n", "utf-8")
    return reader_project


READER_WRITES = {
    "record": ("record", "{url}", "{pid}", "已批复", "--date", "2026-11-25"),
    "record-village": ("record", "{url}", "{village}", "agreement_signed", "--village", "--date", "2026-11-25"),
    "record-from": ("record", "{url}", "--from", "事件.csv"),
    "sync-apply": ("sync", "{url}", "--apply", "--as-of", "2026-01-01"),
    "import": ("import", "s.geojson", "{url}", "--layer", "survey"),
    "import-overwrite": ("import", "s.geojson", "{url}", "--layer", "facilities", "--overwrite"),
    "push-overwrite": ("push", "{sample}", "{url}", "--overwrite"),
    "sample-overwrite": ("sample", "-o", "{url}", "--overwrite"),
}


@pytest.mark.parametrize("case", READER_WRITES)
def test_a_reader_is_refused_every_write_in_a_line_and_nothing_changes(case, as_reader, pg_server, tmp_path):
    schema, reader = as_reader["schema"], as_reader["reader"]
    village = first(pg_server, schema, "villages", "village_code", "relocation_status", "planned")
    fill = {"url": reader, "pid": as_reader["parcel"], "village": village, "sample": landkit.SAMPLE_PATH}
    args = [str(a).format(**fill) for a in READER_WRITES[case]]
    before, files = state(pg_server, schema), listing(tmp_path)
    assert run("info", reader).exit_code in (0, 1)  # the reader reads
    text = one_line_refusal(run(*args), PASSWORD, "rd-Pw-9931", lines=2 if case == "sample-overwrite" else 1)
    assert "the database refused" in text and f"{as_reader['role']}:***@" in text, text
    assert state(pg_server, schema) == before  # no event, no row, no status, no table, no schema
    assert listing(tmp_path) == files


def test_a_readers_qgis_project_writes_nothing_into_the_database_and_no_password(as_reader, pg_server, tmp_path):
    """For a database ``qgis`` writes no styles into it (they travel in the project file): a reader may."""
    schema, role = as_reader["schema"], as_reader["role"]
    before = state(pg_server, schema)
    result = run("qgis", as_reader["reader"], "-o", "r.qgz")
    assert result.exit_code == 0 and "rd-Pw-9931" not in result.output and PASSWORD not in result.output
    assert state(pg_server, schema) == before and "layer_styles" not in before["rows"]
    files = every_byte(tmp_path)
    assert holding(files, "rd-Pw-9931") == [] and holding(files, PASSWORD) == []
    assert any(f"user='{role}'" in data.decode(errors="replace") for name, data in files.items() if ".qgs" in name)


def test_display_masks_a_password_given_as_a_url_parameter_and_a_url_turned_into_a_path():
    url = "postgresql://planner@db.office/land?password=pw-Q7%26x&schema=lushan"
    assert display(url) == "postgresql://planner@db.office/land?password=***&schema=lushan"
    assert postgis.parse(url).mask("auth failed for pw-Q7&x") == "auth failed for ***"
    folded = Path("postgresql://planner:pw-Q7x@db.office/land?schema=lushan")  # pathlib folds the //
    assert as_url(folded) == "postgresql://planner:pw-Q7x@db.office/land?schema=lushan"
    assert display(folded) == "postgresql://planner:***@db.office/land?schema=lushan"
    assert as_url(Path("data/lushan.gpkg")) is None and display(Path("data/x.gpkg")) == str(Path("data/x.gpkg"))


def test_a_url_turned_into_a_path_is_refused_not_written(tmp_path, monkeypatch, sample_layers):
    monkeypatch.chdir(tmp_path)
    folded = Path("postgresql://planner:pw-Q7x@db.office/land?schema=lushan")
    for attempt in (
        lambda: landkit.write_project(sample_layers, folded),
        lambda: landkit.write_layer(sample_layers["roads"], folded, "roads"),
        lambda: landkit.read_project(folded),
        lambda: check_output(folded),
    ):
        with pytest.raises(landkit.DataError) as caught:
            attempt()
        assert "pw-Q7x" not in str(caught.value) and "postgresql://planner:***@db.office" in str(caught.value)
    assert listing(tmp_path) == []


def test_an_output_file_named_by_a_url_is_refused(sample_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = listing(tmp_path)
    url = "postgresql://planner:pw-Q7x@db.office/land?schema=lushan"
    for args in (("audit", sample_copy, "--format", "json", "-o", url), ("report", sample_copy, "-o", url)):
        assert "数据库地址" in one_line_refusal(run(*args, lang="zh"), "pw-Q7x")  # said in the command line's language
    assert listing(tmp_path) == before


# -- what is written -------------------------------------------------------------------------------------


def test_import_writes_into_the_database_in_the_projects_crs(secret_url, pg_server, tmp_path):
    (tmp_path / "s.geojson").write_text(json.dumps(GEOJSON, ensure_ascii=False), encoding="utf-8")
    before = listing(tmp_path)
    result = run("import", "s.geojson", secret_url, "--layer", "survey")
    assert result.exit_code == 0 and PASSWORD not in result.output, result.output
    assert display(secret_url) in result.output
    assert listing(tmp_path) == before  # no postgresql:/… folder, no file
    schema = schema_of(secret_url)
    assert pg_server.sql(f'SELECT note FROM "{schema}".survey') == [("测点",)]
    srid = pg_server.sql(
        "SELECT srid FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = 'survey'", (schema,)
    )
    assert srid == [(4547,)]  # reprojected to the parcels' CRS, as into a GeoPackage
    again = run("import", "s.geojson", secret_url, "--layer", "survey")
    assert "overwrite" in one_line_refusal(again, PASSWORD)


def test_a_readers_import_is_refused_by_the_database(secret_url, pg_server, tmp_path):
    role, password = f"reader_{new_schema()}", "rd-Pw-9931"
    pg_server.sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    landkit.store.grant(secret_url, reader=role)
    reader_url = secret_url.replace(f"postgres:{PASSWORD}@", f"{role}:{password}@")
    (tmp_path / "s.geojson").write_text(json.dumps(GEOJSON), encoding="utf-8")
    before = listing(tmp_path)
    assert run("info", reader_url).exit_code in (0, 1)  # the reader reads
    one_line_refusal(run("import", "s.geojson", reader_url, "--layer", "survey"), password, PASSWORD)
    assert listing(tmp_path) == before
    schema = schema_of(secret_url)
    tables = pg_server.sql("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))
    assert ("parcels",) in tables and ("survey",) not in tables


def test_sample_into_a_database_writes_the_schema_and_refuses_to_replace_it(pg_server, tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.chdir(tmp_path)
    url = with_password(pg_server.url(new_schema()))
    result = run("sample", "-o", url)
    assert result.exit_code == 0 and PASSWORD not in result.output, result.output
    assert "content sha256" in result.output and display(url) in result.output
    assert listing(tmp_path) == []
    schema = schema_of(url)
    assert pg_server.sql(f'SELECT count(*) FROM "{schema}".parcels') == [(2458,)]
    assert pg_server.sql(f'SELECT count(*) FROM "{schema}".events')[0][0] > 0
    assert "--overwrite" in one_line_refusal(run("sample", "-o", url), PASSWORD)
    assert listing(tmp_path) == []


def test_push_and_pull_between_databases_and_pull_to_a_file(secret_url, pg_server, tmp_path):
    source = schema_of(secret_url)
    count = pg_server.sql(f'SELECT count(*) FROM "{source}".parcels')
    pushed_to = with_password(pg_server.url(new_schema()))
    pulled_to = with_password(pg_server.url(new_schema()))
    for args, target in ((("push", secret_url, pushed_to), pushed_to), (("pull", secret_url, pulled_to), pulled_to)):
        result = run(*args)
        assert result.exit_code == 0 and PASSWORD not in result.output, (args[0], result.output)
        assert display(target) in result.output
        assert pg_server.sql(f'SELECT count(*) FROM "{schema_of(target)}".parcels') == count
        assert listing(tmp_path) == []
    assert landkit.content_hash(landkit.read_project(pushed_to)) == landkit.content_hash(
        landkit.read_project(secret_url)
    )
    assert "another schema" in one_line_refusal(run("push", secret_url, secret_url, "--overwrite"), PASSWORD)
    assert "overwrite" in one_line_refusal(run("push", secret_url, pushed_to), PASSWORD)
    pulled = run("pull", secret_url, "snapshot.gpkg")
    assert pulled.exit_code == 0 and PASSWORD not in pulled.output, pulled.output
    assert listing(tmp_path) == ["snapshot.gpkg"]
    assert PASSWORD.encode() not in (tmp_path / "snapshot.gpkg").read_bytes()


# -- wrong and unreadable passwords ----------------------------------------------------------------------


def test_a_wrong_password_is_one_line_without_it(secret_url, pg_server, tmp_path):
    wrong = secret_url.replace(PASSWORD, "Not-The-Pw-5521")
    (tmp_path / "s.geojson").write_text(json.dumps(GEOJSON), encoding="utf-8")
    before = listing(tmp_path)
    for args in (
        ("info", "--format", "json", wrong),
        ("progress", wrong),
        ("import", "s.geojson", wrong, "--layer", "survey"),
        ("push", secret_url, with_password(pg_server.url(new_schema()), "Not-The-Pw-5521")),
        ("pull", wrong, "snapshot.gpkg"),
    ):
        text = one_line_refusal(run(*args), "Not-The-Pw-5521", PASSWORD)
        assert "password authentication failed" in text and "postgres:***@" in text, text
    assert listing(tmp_path) == before


def test_a_raw_at_sign_in_the_password_is_refused_showing_no_part_of_it(secret_url, pg_server, tmp_path):
    raw = secret_url.replace(PASSWORD, "Adm1n@Xq9z")
    (tmp_path / "s.geojson").write_text(json.dumps(GEOJSON), encoding="utf-8")
    before = listing(tmp_path)
    for args in (
        ("info", raw),
        ("audit", "--format", "json", raw),
        ("import", "s.geojson", raw, "--layer", "survey"),
        ("sample", "-o", raw),
        ("push", secret_url, raw),
        ("pull", raw, "snapshot.gpkg"),
    ):
        text = one_line_refusal(run(*args), "Adm1n", "Xq9z", PASSWORD)
        assert "%40" in text, (args[0], text)  # how to write it
    assert listing(tmp_path) == before
    with pytest.raises(landkit.DataError) as caught:
        landkit.read_project(raw)
    assert "Adm1n" not in str(caught.value) and "Xq9z" not in str(caught.value)
    assert postgis.parse(raw.replace("Adm1n@Xq9z", "Adm1n%40Xq9z")).password == "Adm1n@Xq9z"  # written as %40
