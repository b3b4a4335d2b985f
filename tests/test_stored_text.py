"""A number typed as text into a GeoPackage's number column (``4.6万`` in a REAL column).

SQLite keeps what it cannot convert as text, and GDAL, so QGIS and a plain reader, reads the number
the text begins with: ``4.6万`` is 4.6 yuan per mu, ``1,500`` is 1. landkit reads such a cell as it is
written (46000, 1500: the amounts ``landkit pay`` reads) and the schema check names it, so that the
file is corrected for every other reader. The reference figures are the sample's own rates, stored
as numbers (R2 46000, R3 1500 yuan per mu): the same project, written right.
"""

import json
import sqlite3

import pyogrio
import pytest
from click.testing import CliRunner

import landkit
from landkit.checks import TEXT_IN_NUMBERS
from landkit.cli import main
from landkit.store import gpkg


def run(*args, lang="en"):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


def _put(path, table, column, key, value, where="rate_id"):
    with sqlite3.connect(path) as db:
        gpkg._register_functions(db)  # a layer table's R-tree triggers call ST_IsEmpty, as GDAL's do
        db.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{where}" = ?', (value, key))
        return db.execute(f'SELECT typeof("{column}") FROM "{table}" WHERE "{where}" = ?', (key,)).fetchone()[0]


def _schema_findings(path):
    said = json.loads(run("audit", path, "--format", "json").stdout)
    return [f for f in said["findings"] if f["rule"] == "schema"]


def test_a_rate_typed_as_text_into_a_real_column_is_read_as_written_and_named(sample_copy, engine):
    reference = json.loads(run("money", sample_copy, "--format", "json").stdout)["total"]
    rates = landkit.read_layer(sample_copy, "compensation_rates")
    assert rates.loc[["R2", "R3"], "yuan_per_mu"].tolist() == [46_000, 1_500]  # the reference, as numbers
    assert _put(sample_copy, "compensation_rates", "yuan_per_mu", "R2", "4.6万") == "text"
    assert _put(sample_copy, "compensation_rates", "yuan_per_mu", "R3", "1,500") == "text"
    # the premise: GDAL reads the number each text begins with, silently
    plain = pyogrio.read_dataframe(sample_copy, layer="compensation_rates").set_index("rate_id")
    assert plain.loc[["R2", "R3"], "yuan_per_mu"].tolist() == [4.6, 1.0]

    read = landkit.read_layer(sample_copy, "compensation_rates", engine=engine)
    assert read.loc[["R1", "R2", "R3", "R4"], "yuan_per_mu"].tolist() == [52_000, 46_000, 1_500, 3_000]
    assert json.loads(run("money", sample_copy, "--format", "json").stdout)["total"] == reference

    (finding,) = _schema_findings(sample_copy)
    assert finding["layer"] == "compensation_rates" and finding["severity"] == "error"
    assert set(finding["ids"]) == {"R2", "R3"}
    zh = run("audit", sample_copy, lang="zh").output
    line = next(s for s in zh.splitlines() if "yuan_per_mu" in s)
    assert "'4.6万'" in line and "读作 4.6、1" in line and "4.6万 → 46000" in line and "1,500 → 1500" in line


def test_a_number_text_sqlite_converts_is_a_number_and_no_finding(sample_copy):
    """Just inside the edge: ``46000`` typed as text becomes the REAL 46000 (SQLite's affinity), the
    same for every reader; ``46,000`` stays text and is named."""
    assert _put(sample_copy, "compensation_rates", "yuan_per_mu", "R2", "46000") == "real"
    assert _schema_findings(sample_copy) == []
    assert _put(sample_copy, "compensation_rates", "yuan_per_mu", "R2", "46,000") == "text"
    assert landkit.read_layer(sample_copy, "compensation_rates").at["R2", "yuan_per_mu"] == 46_000
    assert [f["ids"] for f in _schema_findings(sample_copy)] == [["R2"]]


def test_a_rate_that_is_no_number_stops_money_with_its_row_named(sample_copy):
    _put(sample_copy, "compensation_rates", "yuan_per_mu", "R2", "四万六")
    said = run("money", sample_copy, lang="zh")
    assert said.exit_code == 2 and "Traceback" not in said.output
    assert "R2" in said.output and "四万六" in said.output and len(said.output.strip().splitlines()) <= 2


def test_a_parcels_stated_area_typed_with_a_separator_is_read_as_written(sample_copy, engine):
    parcels = landkit.read_layer(sample_copy, "parcels")
    first, second = parcels.index[:2]
    assert _put(sample_copy, "parcels", "stated_area_mu", first, "1,200.5", where="parcel_id") == "text"
    assert _put(sample_copy, "parcels", "stated_area_mu", second, "一千", where="parcel_id") == "text"
    read = landkit.read_layer(sample_copy, "parcels", engine=engine)
    assert read.at[first, "stated_area_mu"] == 1200.5
    assert read.at[second, "stated_area_mu"] != read.at[second, "stated_area_mu"]  # no number: missing, not 0
    assert read.drop(index=[first, second])["stated_area_mu"].equals(
        parcels.drop(index=[first, second])["stated_area_mu"]
    )
    audited = run("audit", sample_copy)
    assert audited.exit_code == 1 and "Traceback" not in audited.output  # errors found, no crash
    named = [f for f in _schema_findings(sample_copy) if "holds text" in f["message"]]
    assert [sorted(f["ids"]) for f in named] == [sorted([first, second])]
    assert "1,200.5 → 1200.5" in named[0]["message"] and "一千 → ?" in named[0]["message"]


@pytest.mark.parametrize("layer", ["villages", "compensation_rates"])
def test_a_clean_project_has_no_text_cells_in_its_number_columns(layer):
    assert landkit.read_layer(landkit.SAMPLE_PATH, layer).attrs == {}


def test_full_width_digits_are_read_by_other_programs_as_0_and_the_audit_says_so(sample_copy):
    """SQLite, so GDAL and QGIS, reads only ASCII digits: ``１２００`` is 0 to them, 1200 as written."""
    pid = landkit.read_layer(sample_copy, "parcels").index[0]
    assert _put(sample_copy, "parcels", "stated_area_mu", pid, "１２００", where="parcel_id") == "text"
    plain = pyogrio.read_dataframe(sample_copy, layer="parcels").set_index("parcel_id")
    assert plain.at[pid, "stated_area_mu"] == 0  # the premise, read by GDAL
    assert landkit.read_layer(sample_copy, "parcels").at[pid, "stated_area_mu"] == 1200
    (named,) = [f for f in _schema_findings(sample_copy) if "holds text" in f["message"]]
    assert "read as the numbers 0." in named["message"] and "１２００ → 1200" in named["message"]


def test_a_date_and_time_field_with_a_time_zone_is_read_as_the_day_written(sample_copy, tmp_path):
    """A QGIS "Date & Time" field keeps ``2026-03-26T00:00:00+08:00``: landkit reads the day as written
    (not moved to UTC, which would be the day before), and `changes`, `export --as-of` and `report` run."""
    import pandas as pd

    parcels = pyogrio.read_dataframe(sample_copy, layer="parcels")
    days = pd.to_datetime(parcels["acquired_on"])
    parcels["acquired_on"] = days.dt.tz_localize("Asia/Shanghai")
    pyogrio.write_dataframe(parcels, sample_copy, layer="parcels")
    with sqlite3.connect(sample_copy) as db:
        stored = db.execute("SELECT acquired_on FROM parcels WHERE acquired_on IS NOT NULL LIMIT 1").fetchone()[0]
    assert stored.endswith("+08:00")  # the premise: a date and time with its zone
    read = landkit.read_layer(sample_copy, "parcels")
    assert str(read["acquired_on"].dtype) == "datetime64[ms]"
    assert read["acquired_on"].tolist() == days.set_axis(parcels["parcel_id"]).loc[read.index].tolist()
    assert run("changes", sample_copy, "--since", "2026-09-01", "--as-of", "2026-10-31").exit_code == 0
    said = run("export", sample_copy, "-o", tmp_path / "list.csv", "--as-of", "2026-09-30")
    assert said.exit_code == 0, said.output
    said = run("report", sample_copy, "-o", tmp_path / "pack")
    assert said.exit_code in (0, 1) and "Traceback" not in said.output and (tmp_path / "pack" / "index.html").exists()


def test_every_cell_of_a_column_typed_as_text_is_read_as_written(sample_copy, engine):
    """A whole column typed with a unit (``12.5万``): every cell read as written, set at once."""
    parcels = landkit.read_layer(sample_copy, "parcels")
    with sqlite3.connect(sample_copy) as db:
        gpkg._register_functions(db)
        db.execute("UPDATE parcels SET stated_area_mu = CAST(stated_area_mu AS TEXT) || '万'")
        assert db.execute("SELECT DISTINCT typeof(stated_area_mu) FROM parcels").fetchall() == [("text",)]
    read = landkit.read_layer(sample_copy, "parcels", engine=engine)
    assert read["stated_area_mu"].to_numpy() == pytest.approx(parcels["stated_area_mu"].to_numpy() * 10_000, rel=1e-12)
    texts = read.attrs[TEXT_IN_NUMBERS]["stated_area_mu"]
    assert len(texts) == len(parcels) and texts[parcels.index[7]] == f"{float(parcels['stated_area_mu'].iloc[7])!r}万"
