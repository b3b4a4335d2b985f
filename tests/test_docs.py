import re
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


def _command_table() -> dict[str, str]:
    """The README's command table: command name -> the first cells of its rows (escaped pipes kept)."""
    import re

    rows: dict[str, str] = {}
    table = README.split("| command | what it does |", 1)[1].split("\n\n", 1)[0]
    for line in table.splitlines():
        if line.startswith("| `landkit "):
            first = re.split(r"(?<!\\)\|", line)[1].strip().strip("`")
            rows[first.split()[1]] = rows.get(first.split()[1], "") + " " + first
    return rows


def test_the_readme_command_table_lists_every_command_and_option():
    import re

    from landkit.cli import main

    table = _command_table()
    assert "--version" in table
    missing = []
    for name, command in main.commands.items():
        if name not in table:
            missing.append(name)
            continue
        for param in command.params:
            forms = [o for o in param.opts + param.secondary_opts if o.startswith("-")]
            said = [o for o in forms if re.search(re.escape(o) + r"(?![\w-])", table[name])]
            if forms and not said:
                missing.append(f"{name} {forms[-1]}")
    assert missing == [], f"the README's command table lacks {missing}"
    documented = {name for name in table if not name.startswith("-")}
    assert documented <= set(main.commands), documented - set(main.commands)  # no command it does not have


_LINK = re.compile(r"\]\(([^)\s]+)\)|`((?:\.\./|\./)?[\w./-]+\.(?:md|py|toml|json|geojson|gpkg|ipynb))`")


def test_no_document_points_outside_the_repository():
    """Every relative link or file named in backticks in a tracked document (the README, the
    folders' READMEs, MUTANTS.md, the sample generator's docstring) exists in a clone."""
    import subprocess

    root = Path(__file__).parents[1]
    tracked = subprocess.run(["git", "ls-files", "*.md", "data/*.py"], cwd=root, capture_output=True, text=True)
    documents = [root / name for name in tracked.stdout.split()]
    assert any(d.name == "README.md" and d.parent == root for d in documents)
    dangling = []
    for doc in documents:
        for link, named in _LINK.findall(doc.read_text(encoding="utf-8")):
            target = link or named
            if target.startswith(("http://", "https://", "#", "mailto:")) or "*" in target:
                continue
            target = target.split("#")[0]
            # from the document's folder, the root, or a folder of the root (`../data/…` as maps/ sees it)
            bases = [doc.parent, root, *(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))]
            inside = [p for p in ((b / target).resolve() for b in bases) if p.is_relative_to(root.resolve())]
            if not inside:
                dangling.append(f"{doc.relative_to(root)} -> {target} (outside the repository)")
            elif not (any(p.exists() for p in inside) or _generated(target)):
                dangling.append(f"{doc.relative_to(root)} -> {target}")
    assert dangling == []


def _generated(target: str) -> bool:
    """A file landkit or the tests write (the pack in maps/, a user's project named in an example)."""
    return target.startswith(("maps/", "mutants/")) or "/" not in target.removeprefix("./")
