"""The command line on a project in PostgreSQL/PostGIS: the same commands, the same figures as on the file."""

import json

import pytest
from click.testing import CliRunner

import landkit
from landkit.cli import main

from .pg import PASSWORD, new_schema


def run(*args):
    """The command line in English: these tests read its refusals (test_errors_said.py checks the Chinese)."""
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": "en"})


def test_every_reading_command_gives_the_files_figures_on_a_database(pg_project, sample_copy, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    for args in (("progress", "--format", "json"), ("zones", "--format", "json"), ("audit", "--format", "json")):
        on_file, on_db = run(args[0], sample_copy, *args[1:]), run(args[0], pg_project, *args[1:])
        assert on_db.exit_code == on_file.exit_code, on_db.output
        a, b = json.loads(on_file.stdout), json.loads(on_db.stdout)
        for key in set(a) - {"path", "stamp", "input", "file_sha256"}:
            assert a[key] == b[key], (args[0], key)
    info = run("info", pg_project)
    assert info.exit_code == 0 and "content sha256" in info.output and "parcels" in info.output
    assert "MultiPolygon" in info.output or "Polygon" in info.output


def test_record_changes_and_a_pack_from_a_database(pg_project, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    parcels = landkit.read_layer(pg_project, "parcels")
    pid = parcels.index[parcels["status"] == "submitted"][0]
    done = run("record", pg_project, pid, "已批复", "--date", "2026-11-25", "--doc", "豫政土〔2026〕99号")
    assert done.exit_code == 0, done.output
    changed = run("changes", pg_project, "--since", "2026-11-20", "--format", "json")
    assert [e["parcel_id"] for e in json.loads(changed.stdout)["events"]] == [pid]
    pack = run("report", pg_project, "-o", tmp_path / "pack")
    assert pack.exit_code == 0, pack.output
    index = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert "content sha256" in index and PASSWORD not in index


def test_push_pull_and_a_password_never_printed(pg_server, sample_copy, tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = pg_server.url(new_schema()).replace("postgres@", f"postgres:{PASSWORD}@")
    pushed = run("push", sample_copy, url)
    assert pushed.exit_code == 0 and PASSWORD not in pushed.output and "2458 parcels" in pushed.output
    again = run("push", sample_copy, url)
    assert again.exit_code == 2 and PASSWORD not in again.output and "overwrite" in again.output
    pulled = run("pull", url, tmp_path / "snapshot.gpkg")
    assert pulled.exit_code == 0 and PASSWORD not in pulled.output
    assert landkit.content_hash(landkit.read_project(tmp_path / "snapshot.gpkg")) == landkit.content_hash(
        landkit.read_project(sample_copy)
    )
    wrong = run("info", url.replace(PASSWORD, "not-the-password"))
    assert wrong.exit_code == 2 and "not-the-password" not in wrong.output and "Traceback" not in wrong.output


@pytest.mark.parametrize("command", ["progress", "audit"])
def test_a_url_to_no_project_is_a_clear_error(pg_server, command, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    result = run(command, pg_server.url("no_such_schema"))
    assert result.exit_code == 2 and "no_such_schema" in result.output and "Traceback" not in result.output
