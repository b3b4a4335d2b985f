"""A database URL is an address, never a file name, and its password is never shown.

Every command given a ``postgresql://user:PASSWORD@host/db?schema=…`` URL either works in the
database (checked with SQL) or refuses in one line; nothing is written to the working folder
under a name made from the URL, and no byte printed or written (workbooks and QGIS projects
unzipped) holds the password.
"""

import json
import zipfile
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


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def with_password(url: str, password: str = PASSWORD) -> str:
    """A planner's URL (postgresql://postgres@host…) with the password written into it."""
    assert url.startswith("postgresql://postgres@")
    return url.replace("postgres@", f"postgres:{password}@", 1)


def schema_of(url: str) -> str:
    return postgis.parse(url).schema


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def every_byte(folder: Path) -> dict[str, bytes]:
    """Each file under ``folder`` by name, and each member of a zip (xlsx, qgz) as name!member."""
    out: dict[str, bytes] = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        out[str(path)] = data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                out |= {f"{path}!{name}": z.read(name) for name in z.namelist()}
    return out


def one_line_refusal(result, *hidden: str) -> str:
    text = result.output
    assert result.exit_code == 2, text
    assert len(text.strip().splitlines()) == 1 and "Traceback" not in text, text
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
        assert "database URL" in one_line_refusal(run(*args), "pw-Q7x")
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
