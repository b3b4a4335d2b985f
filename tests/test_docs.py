from pathlib import Path

from landkit.schema import PARCEL_STATUSES, contract_markdown

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_contract_as_defined_in_the_schema():
    assert contract_markdown() in README
    for status, label in PARCEL_STATUSES.items():
        assert f"| `{status}` | {label} |" in README


def test_readme_opens_with_the_two_setup_commands():
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block == [
        "pip install . && landkit info data/parcels/lushan.gpkg && landkit report data/parcels/lushan.gpkg",
        'pip install ".[test]" && pytest -n auto',
    ]


def test_ci_runs_the_readme_commands():
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert any(line == block[0] or line.startswith(block[0] + " || exit") for line in ci)
    install, test = block[1].split(" && ")
    assert install in ci
    # the README's test command as written (CI adds only environment: time zone, HOME), then the other tiers
    n = len(test.split())
    assert any(line.split()[-n:] == test.split() and all("=" in w for w in line.split()[:-n]) for line in ci), test
    assert any(line.startswith("pytest") and "slow or postgis or qgis or browser or notebooks" in line for line in ci)


def test_readme_lists_every_bad_input_of_the_corpus():
    from tests.bad_inputs.corpus import cases

    for case in cases():
        assert f"| {case.what} |" in README, case.name


def test_the_short_tour_runs_on_a_copy_and_leaves_the_sample_as_shipped(tmp_path, monkeypatch, sample_layers):
    """The README's tour, run as written in an empty folder: it works, records into its own copy,
    and the tracked sample is byte for byte what it was (a planner following it loses nothing)."""
    import hashlib

    import geopandas as gpd

    import landkit

    tour = README.split("## A short tour", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert 'shutil.copy(landkit.SAMPLE_PATH, "mine.gpkg")' in tour
    before = hashlib.sha256(Path(landkit.SAMPLE_PATH).read_bytes()).hexdigest()
    monkeypatch.chdir(tmp_path)
    # what the tour takes as given: a surveyor's GBK Shapefile and this month's batch of events
    (tmp_path / "survey").mkdir()
    villages = (
        sample_layers["villages"]
        .reset_index()[["village_code", "name", "geometry"]]
        .rename(columns={"village_code": "村代码"})
    )
    gpd.GeoDataFrame(villages).rename(columns={"name": "村名"}).to_file(
        tmp_path / "survey" / "村界.shp", encoding="GBK", engine="pyogrio"
    )
    planned = sample_layers["parcels"].index[sample_layers["parcels"]["status"] == "planned"][:2]
    batch = [{"parcel_id": p, "status": "acquiring", "date": "2026-11-26"} for p in planned]
    assert len(batch) == 2
    namespace = {"batch": batch}
    exec(compile(tour, "README.md (short tour)", "exec"), namespace)

    mine = landkit.read_project(tmp_path / "mine.gpkg")
    assert mine["parcels"].loc["CB00944", "status"] == "approved"
    assert set(mine["parcels"].loc[list(planned), "status"]) == {"acquiring"}
    assert len(mine["survey"]) == len(villages)
    assert len(mine["events"]) == len(sample_layers["events"]) + 3
    assert hashlib.sha256(Path(landkit.SAMPLE_PATH).read_bytes()).hexdigest() == before
