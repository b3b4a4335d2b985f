"""Connections as libpq means them, and names as PostgreSQL keeps them.

A project URL goes to libpq as written, less landkit's own ``schema``: a ``service=`` with its
``PGSERVICEFILE``, a password from ``PGPASSFILE`` or ``PGPASSWORD``, ``options=-c%20…`` (a
``%20``, never re-encoded to ``+``) all connect. A push refuses, in one line and before anything
is written, what PostgreSQL would cut (names over 63 bytes), clash with (the ledgers' stamp
columns), or not keep as a date; and a second push into the same new schema is told another runs.
"""

import os

import pytest
from click.testing import CliRunner

import landkit
from landkit.cli import main
from landkit.store import display, postgis, push

from .pg import PASSWORD, new_schema


def run(*args):
    """The command line in English: these tests read its refusals (test_errors_said.py checks the Chinese)."""
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": "en"})


def one_line_refusal(result) -> str:
    text = result.output
    assert result.exit_code == 2, text
    assert len(text.strip().splitlines()) == 1 and "Traceback" not in text, text
    assert PASSWORD not in text, text
    return text


def schema_exists(pg_server, schema: str) -> bool:
    return bool(pg_server.sql("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)))


def count(pg_server, schema: str, table: str) -> int:
    return pg_server.sql(f'SELECT count(*) FROM "{schema}"."{table}"')[0][0]


@pytest.fixture
def no_pgpassword(monkeypatch, tmp_path):
    """No PGPASSWORD, and a pgpass file that knows nothing (so ~/.pgpass cannot help either)."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    empty = tmp_path / "empty.pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    monkeypatch.chdir(tmp_path)


def pgpass(pg_server, tmp_path, monkeypatch) -> None:
    path = tmp_path / "pgpass"
    path.write_text(f"127.0.0.1:{pg_server.port}:landkit:postgres:{PASSWORD}\n")
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))


# -- connections ---------------------------------------------------------------------------------------


def test_a_service_name_and_a_pgpass_file_connect(pg_server, tmp_path, monkeypatch, no_pgpassword):
    service = tmp_path / "pg_service.conf"
    service.write_text(f"[landkit_office]\nhost=127.0.0.1\nport={pg_server.port}\ndbname=landkit\nuser=postgres\n")
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    schema = new_schema()
    url = f"postgresql:///?service=landkit_office&schema={schema}"
    assert postgis.parse(url).conninfo == "postgresql:///?service=landkit_office"  # schema is landkit's own

    refused = one_line_refusal(run("push", landkit.SAMPLE_PATH, url))  # the empty pgpass file: no password
    assert "cannot connect" in refused and not schema_exists(pg_server, schema)

    pgpass(pg_server, tmp_path, monkeypatch)
    assert "PGPASSWORD" not in os.environ
    result = run("push", landkit.SAMPLE_PATH, url)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and display(url) in result.output
    assert count(pg_server, schema, "parcels") == len(landkit.read_layer(landkit.SAMPLE_PATH, "parcels"))
    other = new_schema()
    no_slash = f"postgresql://?service=landkit_office&schema={other}"
    assert push(landkit.SAMPLE_PATH, no_slash)["events"] == count(pg_server, schema, "events")
    assert count(pg_server, other, "events") > 0


def test_a_password_from_pgpassword_and_from_the_pgpass_file(pg_server, tmp_path, monkeypatch, no_pgpassword):
    schema = new_schema()
    url = pg_server.url(schema)
    with pytest.raises(landkit.DataError) as caught:
        push(landkit.SAMPLE_PATH, url)
    assert "cannot connect" in str(caught.value) and PASSWORD not in str(caught.value)

    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    push(landkit.SAMPLE_PATH, url)
    assert count(pg_server, schema, "villages") == len(landkit.read_layer(landkit.SAMPLE_PATH, "villages"))

    monkeypatch.delenv("PGPASSWORD")
    pgpass(pg_server, tmp_path, monkeypatch)
    result = run("info", url)
    assert result.exit_code == 0 and PASSWORD not in result.output, result.output
    assert schema in result.output


def test_options_reach_the_server_as_written(pg_server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    schema = new_schema()
    url = pg_server.url(schema) + "&options=-c%20statement_timeout%3D60000"
    assert "options=-c%20statement_timeout%3D60000" in postgis.parse(url).conninfo  # not re-encoded to +
    result = run("push", landkit.SAMPLE_PATH, url)
    assert result.exit_code == 0, result.output
    with postgis.transaction(url) as s:  # landkit's own connection
        s.execute("SHOW statement_timeout")
        assert s.cur.fetchone()[0] == "1min"
        s.execute("SHOW application_name")
        assert s.cur.fetchone()[0] == "landkit"
    with postgis.transaction(pg_server.url(schema) + "&application_name=desk%2012") as s:  # a caller's own wins
        s.execute("SHOW application_name")
        assert s.cur.fetchone()[0] == "desk 12"
    assert count(pg_server, schema, "parcels") > 0


def test_the_display_masks_the_password_and_keeps_the_rest_as_written():
    url = "postgresql://planner:pw%2Bx7@db.office:5432/land?options=-c%20statement_timeout%3D60000&schema=lushan"
    shown = display(url)
    assert shown == "postgresql://planner:***@db.office:5432/land?options=-c%20statement_timeout%3D60000&schema=lushan"
    project = postgis.parse(url)
    assert project.mask("failed for pw+x7 (pw%2Bx7)") == "failed for *** (***)"
    assert project.schema == "lushan" and "schema" not in project.conninfo
    service = "postgresql:///?service=office&password=s3cr%26t&schema=a%2Bb"
    assert display(service) == "postgresql:///?service=office&password=***&schema=a%2Bb"
    assert postgis.parse(service).schema == "a+b"  # libpq's reading: + is a plus sign
    assert postgis.parse(service).mask("s3cr&t and s3cr%26t") == "*** and ***"


# -- names, stamps, dates ---------------------------------------------------------------------------------


def pushed_file(layers, tmp_path) -> str:
    path = tmp_path / "project.gpkg"
    landkit.write_project(layers, path)
    return str(path)


def test_a_layer_name_over_63_bytes_is_refused_before_anything_is_written(pg_server, sample_layers, tmp_path):
    long = "鲁山县城乡规划建设用地储备宗地征收进度台账二"  # 22 Chinese characters: 66 bytes
    assert len(long.encode()) == 66
    layers = dict(sample_layers) | {long: sample_layers["parcels"].copy()}
    source = pushed_file(layers, tmp_path)
    schema = new_schema()
    text = one_line_refusal(run("push", source, pg_server.url(schema)))
    assert long in text and "63 bytes" in text and repr(long[:21]) in text, text  # the limit and a shorter name
    assert not schema_exists(pg_server, schema)


def test_a_column_name_over_63_bytes_is_refused(pg_server, sample_layers, tmp_path):
    column = "备注" * 11  # 66 bytes
    parcels = sample_layers["parcels"].copy()
    parcels[column] = "x"
    source = pushed_file(dict(sample_layers) | {"parcels": parcels}, tmp_path)
    schema = new_schema()
    text = one_line_refusal(run("push", source, pg_server.url(schema)))
    assert "'parcels'" in text and column in text and "63 bytes" in text and repr(column[:21]) in text, text
    assert not schema_exists(pg_server, schema)


def test_a_column_named_like_the_ledgers_stamps_is_refused(pg_server, sample_layers, tmp_path):
    events = sample_layers["events"].copy()
    events["recorded_by"] = "张工"
    source = pushed_file(dict(sample_layers) | {"events": events}, tmp_path)
    schema = new_schema()
    text = one_line_refusal(run("push", source, pg_server.url(schema)))
    assert "'events'" in text and "'recorded_by'" in text and "stamp" in text, text
    assert not schema_exists(pg_server, schema)


def test_a_date_column_holding_other_values_is_refused_naming_the_rows(pg_server, sample_layers):
    parcels = sample_layers["parcels"].copy()
    parcels["approved_on"] = parcels["approved_on"].dt.strftime("%Y-%m-%d").astype(object)
    first, second = parcels.index[2], parcels.index[5]
    parcels.loc[parcels.index[2], "approved_on"] = "下月"
    parcels.loc[parcels.index[5], "approved_on"] = "2026-13-45"
    schema = new_schema()
    with pytest.raises(landkit.DataError) as caught:
        landkit.write_project(dict(sample_layers) | {"parcels": parcels}, pg_server.url(schema))
    text = str(caught.value)
    assert "'approved_on'" in text and "'parcels'" in text and "2 value(s)" in text, text
    assert f"{first}: '下月'" in text and f"{second}: '2026-13-45'" in text, text
    assert "\n" not in text and not schema_exists(pg_server, schema)

    parcels.loc[parcels.index[[2, 5]], "approved_on"] = "2026-11-01"  # now all dates (as text): they arrive as dates
    landkit.write_project(dict(sample_layers) | {"parcels": parcels}, pg_server.url(schema))
    typed = pg_server.sql(
        "SELECT data_type FROM information_schema.columns WHERE table_schema = %s AND table_name = 'parcels' "
        "AND column_name = 'approved_on'",
        (schema,),
    )
    assert typed == [("date",)]
    on = pg_server.sql(f'SELECT approved_on::text FROM "{schema}".parcels WHERE parcel_id = %s', (first,))
    assert on == [("2026-11-01",)]


def test_a_second_push_into_a_new_schema_is_told_another_is_running(pg_server, sample_layers):
    import psycopg

    schema = new_schema()
    with psycopg.connect(pg_server.dsn()) as other:  # a push under way: it holds the new schema's lock
        other.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"landkit:create-schema:{schema}",))
        with pytest.raises(landkit.ProjectLockedError) as caught:
            push(landkit.SAMPLE_PATH, pg_server.url(schema))
        other.rollback()
    assert "another push is running" in str(caught.value) and schema in str(caught.value)
    assert not schema_exists(pg_server, schema)
    push(landkit.SAMPLE_PATH, pg_server.url(schema))  # once it has finished, the push goes through
    assert count(pg_server, schema, "parcels") > 0
