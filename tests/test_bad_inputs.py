"""Every bad input of the corpus gets a clear error or a finding, never a traceback or a silent
wrong number, through `landkit info`, `landkit audit` and the API; inputs stay byte-for-byte."""

import hashlib
import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner

import landkit
from landkit import audit
from landkit.cli import main
from tests.bad_inputs import cli_cases
from tests.bad_inputs.corpus import XSS, _shapefile, build, cases
from tests.conftest import another_program_writing
from tests.geodesy import geodesic_area_m2

CASES = {c.name: c for c in cases()}


class _Corpus(dict):
    """The corpus's files, each built when a test first asks for it (no test waits for all of them)."""

    def __init__(self, directory: Path):
        super().__init__()
        self.directory, self.layers = directory, None

    def __missing__(self, name: str) -> Path:
        if self.layers is None:
            self.layers = landkit.read_project(landkit.SAMPLE_PATH)
        self[name] = CASES[name].build(self.directory, self.layers)
        return self[name]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return _Corpus(tmp_path_factory.mktemp("bad_inputs"))


@pytest.mark.slow
def test_the_whole_corpus_builds_as_the_readme_says(tmp_path):
    """`python -m tests.bad_inputs.corpus DIR` writes every case's file, each a file of its own."""
    built = build(tmp_path)
    assert set(built) == set(CASES)
    assert all(p.exists() for p in built.values()) and len(set(built.values())) == len(built)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args, lang: str | None = None):
    """The command line as a planner runs it (Chinese), or in English (the corpus's phrases are English)."""
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang or ""})


def test_the_corpus_has_at_least_30_distinct_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(corpus, name):
    case, path = CASES[name], corpus[name]
    before = sha(path)
    for command, (code, phrase) in (("info", case.info), ("audit", case.audit)):
        result = run(command, path, *(["--quiet"] if command == "audit" else []))
        assert result.exit_code == code, f"{command}: {result.output}"
        cjk = re.compile(r"[\u4e00-\u9fff]")
        if command == "info" and not cjk.search(phrase):  # what a project holds: Chinese first, English on request
            assert cjk.search(result.output), result.output
            result = run(command, path, lang="en")
            assert result.exit_code == code, f"{command} in English: {result.output}"
        if command == "audit" and code == 1 and not cjk.search(phrase):  # findings: Chinese first, English on request
            assert cjk.search(result.output), result.output
            result = run(command, path, "--quiet", "--lang", "en")
            assert result.exit_code == code, f"{command} --lang en: {result.output}"
        if code == 2:  # an error: said in Chinese by default (tests/test_errors_said.py), in English on request
            result = run(command, path, *(["--quiet"] if command == "audit" else []), lang="en")
        assert phrase in result.output, f"{command}: {result.output}"
        assert "Traceback" not in result.output
        if code == 2:
            assert len(result.output.strip().splitlines()) <= 2
    try:
        layers = landkit.read_project(path)
    except landkit.LandkitError as exc:
        assert case.audit[0] == 2 and case.audit[1] in str(exc)
    else:
        with warnings.catch_warnings(record=True):  # a suspect result warns (Xi'an 1980 areas): it is said, not raised
            warnings.simplefilter("always")
            found = audit.audit(layers)
            sums = audit.totals(layers)
        messages = " ".join([*found["message"], *found.get("message_zh", []), *found["rule"]])
        if case.audit[0] == 1:
            assert case.audit[1] in messages
        numbers = [v for layer in sums["layers"].values() for v in layer.values() if not isinstance(v, str)]
        assert not any(np.isnan(v) for v in numbers)
    assert sha(path) == before, "the input file was modified"


@pytest.mark.slow
def test_xss_payload_never_reaches_html_unescaped(corpus, tmp_path):
    layers = landkit.read_project(corpus["xss_everywhere"])
    result = run("report", corpus["xss_everywhere"], "-o", tmp_path / "pack")
    assert result.exit_code == 0
    for page in (tmp_path / "pack").glob("*.html"):
        assert XSS not in page.read_text(encoding="utf-8"), page.name
    assert XSS in set(layers["villages"]["name"])


def test_gbk_shapefile_without_cpg_and_chinese_field_names(tmp_path):
    shp = _shapefile(tmp_path, "村界", cpg=False)
    before = {p.name: sha(p) for p in tmp_path.iterdir()}
    result = run("import", shp, tmp_path / "p.gpkg", "--layer", "survey")
    assert result.exit_code == 0, result.output
    back = landkit.read_layer(tmp_path / "p.gpkg", "survey")
    assert list(back["户主姓名"]) == ["张三", "李四"] and "地块号" in back.columns
    assert {p.name: sha(p) for p in tmp_path.iterdir() if p.name in before} == before


def test_a_polygon_with_a_million_vertices_is_measured_exactly(tmp_path):
    angles = np.linspace(0, 2 * np.pi, 1_000_000, endpoint=False)
    ring = np.column_stack([400000 + 500 * np.cos(angles), 3736000 + 500 * np.sin(angles)])
    gdf = gpd.GeoDataFrame({"id": ["big"]}, geometry=[shapely.Polygon(ring)], crs="EPSG:4547")
    path = tmp_path / "big.gpkg"
    landkit.write_layer(gdf, path, "fields")
    out = run("areas", path, "--layer", "fields", "--id", "id", "--unit", "m2", "--format", "json")
    assert out.exit_code == 0
    got = __import__("json").loads(out.stdout)["total"]["area_m2"]
    expected = geodesic_area_m2(gdf)[0]
    assert got == pytest.approx(expected, rel=1e-7)


def test_a_file_locked_by_another_writer(sample_copy, short_wait):
    with another_program_writing(sample_copy):
        result = run("record", sample_copy, "CB00001", "planned", "--date", "2026-11-26", lang="en")
        assert result.exit_code == 2 and "being written by another program" in result.output
        assert len(result.output.strip().splitlines()) == 1
        assert run("info", sample_copy).exit_code == 0  # readers are not blocked


def test_measured_m_coordinates_are_reported(sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    g = layers["parcels"].geometry["CB00009"]
    coords = np.asarray(g.exterior.coords)
    layers["parcels"].loc["CB00009", "geometry"] = shapely.from_wkt(
        "POLYGON M ((" + ", ".join(f"{x} {y} 0" for x, y in coords) + "))"
    )
    problems = [p for p in landkit.check_project(layers) if p.layer == "parcels"]
    assert [p.problem for p in problems] == ["measured (M) coordinates"]


# -- bad command lines: every command and option ----------------------------------------------------

CLI_CASES = {c.name: c for c in cli_cases.cases()}


def test_the_corpus_has_at_least_150_cases():
    assert len(CASES) + len(CLI_CASES) >= 150


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_bad_command_line(name, tmp_path, monkeypatch):
    import re

    case = CLI_CASES[name]
    monkeypatch.chdir(tmp_path)
    files = {"project": cli_cases._sample(tmp_path), "tmp": tmp_path, **case.files(tmp_path)}
    inputs = {p: sha(p) for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
    code, phrase = case.expect
    # a phrase in Chinese is what the command line says by default; one in English, on request
    result = run(*cli_cases.fill(case.args, files), lang=None if re.search(r"[\u4e00-\u9fff]", phrase) else "en")
    assert result.exit_code == code, result.output
    assert phrase in result.output, result.output
    assert "Traceback" not in result.output
    if code == 2 and "event(s) refused" not in phrase:
        assert len(result.output.strip().splitlines()) <= 2, result.output
    changed = {p for p, digest in inputs.items() if sha(p) != digest}
    allowed = {files[k] for k in case.may_change} | ({files["project"]} if case.changes_project else set())
    assert changed <= allowed, changed
    if case.api is not None:
        with pytest.raises(landkit.LandkitError, match=re.escape(phrase)):
            case.api(files)
        assert {p for p, digest in inputs.items() if sha(p) != digest} == changed


def test_readme_shows_the_corpus_tables_as_generated():
    from tests.bad_inputs.readme import tables

    assert tables() in (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
