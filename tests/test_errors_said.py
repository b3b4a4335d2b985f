"""The library's errors reach a planner in the command line's language: each of these commands fails
on purpose (a missing, damaged or foreign file, a missing layer or CRS, a refused output, a URL
libpq would misread) with exit code 2 and a message in Chinese by default, in English with
LANDKIT_LANG=en; the values it names (paths, layer names) are said as they are."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from tests.test_i18n import BACKTICKS, CJK, wordy
from tests.test_i18n import say as say  # the fixture

SAMPLE = Path(__file__).parent.parent / "data" / "parcels" / "lushan.gpkg"


def _shapefile(tmp_path: Path, *, drop: str) -> Path:
    """A small Shapefile that lost one of its parts (``.prj``: no CRS; ``.dbf``: no attributes)."""
    path = tmp_path / "src" / "parcels.shp"
    path.parent.mkdir()
    square = shapely.box(500000, 3700000, 500100, 3700100)
    gpd.GeoDataFrame({"parcel_id": ["P1"]}, geometry=[square], crs=4547).to_file(path)
    path.with_suffix(drop).unlink()
    return path


def _truncated(tmp_path: Path) -> Path:
    path = tmp_path / "cut.gpkg"
    data = SAMPLE.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _text_file(tmp_path: Path, name: str = "notes.gpkg") -> Path:
    path = tmp_path / name
    path.write_text("root:x:0:0:root:/root:/bin/bash\n" * 20)
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.gpkg"
    path.write_bytes(b"")
    return path


#: name -> (what to make in tmp_path, the command given the copy of the sample and the made path)
CASES = {
    "missing file": (None, lambda p, x: ["info", p.parent / "nofile.gpkg"]),
    "not a GeoPackage": (_text_file, lambda p, x: ["info", x]),
    "empty file": (_empty, lambda p, x: ["audit", x]),
    "folder": (None, lambda p, x: ["info", p.parent]),
    "damaged GeoPackage": (_truncated, lambda p, x: ["audit", x]),
    "missing layer": (None, lambda p, x: ["areas", p, "--layer", "no_such_layer"]),
    "Shapefile without .prj": (
        lambda t: _shapefile(t, drop=".prj"),
        lambda p, x: ["import", x, p, "--layer", "parcels", "--overwrite"],
    ),
    "Shapefile without .dbf": (
        lambda t: _shapefile(t, drop=".dbf"),
        lambda p, x: ["import", x, p, "--layer", "parcels", "--overwrite"],
    ),
    "planar without a zone": (None, lambda p, x: ["areas", p, "--method", "planar"]),
    "planar in degrees": (None, lambda p, x: ["areas", p, "--method", "planar", "--zone", "EPSG:4490"]),
    "raw @ in the password": (None, lambda p, x: ["info", "postgresql://u:p@ss@localhost/db"]),
    "output replaces its input": (None, lambda p, x: ["map", p, "-o", p]),
    "output over a foreign file": (lambda t: _text_file(t, "notes.xlsx"), lambda p, x: ["export", p, "-o", x]),
}


def _lines(output: str) -> list[str]:
    # the values a message names as they are: a path or URL of the test, a quoted name
    return [re.sub(r"'[^']*'", "''", line) for line in output.splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_error_speaks_chinese_by_default_and_english_on_request(say, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    project = tmp_path / "lushan.gpkg"
    shutil.copy(SAMPLE, project)
    make, command = CASES[name]
    made = make(tmp_path) if make else None
    args = command(project, made)
    before = project.read_bytes()

    zh = say(args)
    assert zh.exit_code == 2, zh.output
    assert zh.output.startswith("landkit: 错误："), zh.output
    for line in _lines(zh.output.replace(str(tmp_path), "TMP")):
        assert not wordy(line) or CJK.search(line), f"{name}: a line without Chinese: {line!r}"
    # the message itself is Chinese, not only the guard's frame around it
    assert CJK.search(zh.output.removeprefix("landkit: 错误：")), zh.output

    en = say(args, lang="en")
    assert en.exit_code == 2, en.output
    assert en.output.startswith("landkit: error: "), en.output
    for line in BACKTICKS.sub("``", en.output).splitlines():
        assert not CJK.search(line), f"{name}: Chinese in the English message: {line!r}"
    assert project.read_bytes() == before  # a refusal writes nothing


def test_a_nested_reason_is_said_in_the_same_language():
    """A message that holds another (the CRS diagnosis in an import error) says both in one language."""
    from landkit.errors import DataError, Phrase

    reason = Phrase("crs.fits_none", head=Phrase("crs.cannot_be_in", box="x 1..2, y 3..4", crs="EPSG:4547",
                                                 name="CGCS2000", seen=Phrase("crs.nowhere"),
                                                 where=Phrase("crs.outside_china")))  # fmt: skip
    exc = DataError(code="io.crs_cannot_hold", path="a.shp", reason=reason)
    assert "outside China" in str(exc) and not CJK.search(str(exc))
    zh = exc.text("zh")
    assert zh.startswith("a.shp：坐标 x 1..2, y 3..4") and "中国境外" in zh and "outside" not in zh
