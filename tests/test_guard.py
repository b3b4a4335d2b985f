"""The CLI's guard: a bug is exit 3 with a crash file, Ctrl-C is 130, SIGTERM 143, and nothing
half-written is left; outputs are inert in spreadsheets; the CLI survives any argument (fuzzed)."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import landkit
from landkit.cli import main


def run(*args, **kw):
    return CliRunner(**kw).invoke(main, [str(a) for a in args])


def test_a_bug_is_exit_3_with_a_crash_file(sample_copy, monkeypatch):
    from landkit import audit

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a landkit bug")

    monkeypatch.setattr(audit, "audit", broken)
    result = run("audit", sample_copy, "--quiet")
    assert result.exit_code == 3
    line = result.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "运行 `landkit audit" in line and "内部错误" in line and "ZeroDivisionError" in line  # Chinese first
    crash = line.rsplit(" ", 1)[-1]
    text = Path(crash).read_text(encoding="utf-8")
    assert "Traceback" in text and "a landkit bug" in text and f"landkit {landkit.__version__}" in text
    os.unlink(crash)
    debug = run("--debug", "audit", sample_copy, "--quiet")
    assert isinstance(debug.exception, ZeroDivisionError)  # --debug shows the real error instead


@pytest.mark.slow
def test_ctrl_c_during_the_pack_leaves_the_old_pack_and_no_scratch(sample_copy, tmp_path, monkeypatch):
    from landkit import pack as making

    pack = tmp_path / "pack"
    assert run("report", sample_copy, "-o", pack).exit_code == 0
    before = {p.name: p.read_bytes() for p in pack.iterdir()}
    real = making.progress_png

    def interrupted(*args, **kwargs):
        real(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(making, "progress_png", interrupted)
    result = run("report", sample_copy, "-o", pack)
    assert result.exit_code == 130 and "已中断" in result.output
    assert {p.name: p.read_bytes() for p in pack.iterdir()} == before  # the old pack, whole; no scratch folder


SLOW_PACK = """
import sys, time
from landkit import pack
real = pack.progress_png
def slow(*a, **k):
    out = real(*a, **k)
    print("building", flush=True)
    time.sleep(30)
    return out
pack.progress_png = slow
from landkit.cli import main
main(["report", sys.argv[1], "-o", sys.argv[2]])
"""


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGTERM")
def test_sigterm_during_the_pack_exits_143_and_leaves_nothing_half_written(sample_copy, tmp_path):
    pack = tmp_path / "pack"
    with subprocess.Popen(
        [sys.executable, "-c", SLOW_PACK, str(sample_copy), str(pack)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout.readline().strip() == b"building"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "已终止".encode() in err
    assert list(pack.iterdir()) == []  # no partial pack, no scratch folder


def test_output_on_a_chinese_windows_console(sample_copy):
    """Redirected output in GBK (cp936): characters GBK lacks are replaced, never a crash."""
    env = {**os.environ, "PYTHONIOENCODING": "cp936"}
    for args in (["audit", str(sample_copy), "--quiet"], ["zones", str(sample_copy)], ["info", str(sample_copy)]):
        out = subprocess.run([sys.executable, "-m", "landkit", *args], capture_output=True, env=env)
        assert out.returncode in (0, 1), out.stderr.decode("cp936", errors="replace")
        assert b"Traceback" not in out.stderr
        out.stdout.decode("cp936")  # readable as GBK


def test_spreadsheet_cells_are_inert(tmp_path, sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    payloads = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    parcels = layers["parcels"]
    parcels.loc[parcels.index[: len(payloads)], "land_use"] = payloads
    parcels = parcels.rename(index=dict(zip(parcels.index[:2], payloads[:2], strict=True)))
    parcels.loc[payloads[0], "stated_area_mu"] *= 3  # a finding that names the parcel
    layers["parcels"] = parcels
    events = layers["events"].copy()
    events["parcel_id"] = events["parcel_id"].replace(
        dict(zip(sample_layers["parcels"].index[:2], payloads[:2], strict=True))
    )
    layers["events"] = events
    path = tmp_path / "p.gpkg"
    landkit.write_project(layers, path)
    out = tmp_path / "audit.xlsx"
    assert run("audit", path, "--format", "xlsx", "-o", out).exit_code in (0, 1)
    book = openpyxl.load_workbook(out)
    assert book.properties.creator == "landkit"
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert payloads[0] in texts  # the payload is there, as text
    csv = tmp_path / "audit.csv"
    assert run("audit", path, "--format", "csv", "-o", csv).exit_code in (0, 1)
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on a Chinese PC reads it as UTF-8
    for line in raw.decode("utf-8-sig").splitlines()[1:]:
        for cell in line.split(","):
            assert cell.strip('"')[:1] not in ("=", "+", "-", "@"), line


@pytest.mark.slow
def test_file_names_from_ids_stay_in_their_folder(tmp_path, sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    layers["communities"] = layers["communities"].rename(index={"LF": "/../../x/notes", "HY": "..\\..\\y"})
    path = tmp_path / "p.gpkg"
    landkit.write_project(layers, path)
    pack = tmp_path / "deep" / "pack"
    assert run("report", path, "-o", pack).exit_code in (0, 1)
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.parts[:2] == ("deep", "pack") or p.name == "p.gpkg" for p in written), written
    assert len([p for p in written if p.name.startswith("community-")]) == 2


# -- fuzzing the command line ----------------------------------------------------------------------

COMMANDS = ["info", "audit", "areas", "zones", "progress", "relocate", "map", "record", "sync", "report", "import"]
OPTIONS = [
    "--format", "--layer", "--unit", "--method", "--zone", "--id", "--as-of", "--date", "--type", "--doc", "--rules",
    "-o", "--tiles", "--lang", "--community", "--min-part", "--quiet", "--split", "--whole", "--apply", "--village",
    "--future", "--overwrite", "--encoding", "--from", "--datum-transform", "--accept-ballpark",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(
        ["json", "csv", "xlsx", "html", "text", "parcels", "roads", "events", "mu", "km2", "planar", "cn2008",
         "EPSG:4547", "EPSG:4490", "EPSG:NOPE", "2026-11-25", "2026年11月25日", "11/03/2026", "", "0", "-1", "CB00001",
         "approved", "已批复", "LF", "露峰社区", "zh", "en", "none", "osm", "{project}", "{tmp}/out.html",
         "{tmp}/out.xlsx", "{tmp}", "{tmp}/nope.csv", "<img src=x>", "=1+1", "../../x", "\u0000"]
    ),
    st.text(max_size=12),
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(COMMANDS), st.lists(st.tuples(st.sampled_from(OPTIONS), VALUES), max_size=4), st.booleans())
def test_any_command_line_gives_an_answer_not_a_traceback(tmp_path_factory, command, options, positional):
    tmp = tmp_path_factory.mktemp("fuzz")
    project = tmp / "project.gpkg"
    shutil.copy(landkit.SAMPLE_PATH, project)
    before = project.read_bytes()
    args = [command, str(project)] + (["CB00001", "approved"] if positional else [])
    for option, value in options:
        args += [option, value.replace("{project}", str(project)).replace("{tmp}", str(tmp))]
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        result = CliRunner().invoke(main, args)
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1, 2), (args, result.output, result.exception)
    assert "Traceback" not in result.output, args
    if result.exit_code == 2:
        assert len(result.output.strip().splitlines()) <= 2 or "refused" in result.output, (args, result.output)
    if command not in ("record", "sync", "import") or result.exit_code != 0:
        assert project.read_bytes() == before, args  # only a successful write command changes the project


def test_names_differing_only_in_case_stay_two_files_on_windows():
    from landkit.io import safe_name

    taken: set[str] = set()
    names = [safe_name(c, taken=taken) for c in ("LF", "lf", "Lf")]
    assert len({n.lower() for n in names}) == 3


def test_a_control_character_in_an_id_does_not_break_the_workbook(tmp_path, sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    bad = "CB\x0b00648"  # a vertical tab pasted from Excel
    layers["parcels"] = layers["parcels"].rename(index={"CB00648": bad})
    layers["events"] = layers["events"].assign(parcel_id=layers["events"]["parcel_id"].replace("CB00648", bad))
    path = tmp_path / "p.gpkg"
    landkit.write_project(layers, path)
    result = run("audit", path, "--format", "xlsx", "-o", tmp_path / "a.xlsx")
    assert result.exit_code == 1, result.output
    texts = {c.value for s in openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets for r in s.iter_rows() for c in r}
    assert "CB\ufffd00648" in texts  # the id is there, its control character shown as �


def test_planar_areas_in_a_feet_zone_are_square_metres():
    import geopandas as gpd
    import shapely

    from tests.geodesy import geodesic_area_m2

    lot = gpd.GeoSeries([shapely.Point(-118.3, 34.05).buffer(0.0005)], crs=4326).to_crs(2229)
    planar = landkit.area(lot, method="planar", zone="EPSG:2229").iloc[0]
    assert planar == pytest.approx(geodesic_area_m2(lot)[0], rel=1e-4)  # the plane's scale there, not 10.76x
