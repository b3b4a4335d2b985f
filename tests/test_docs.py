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
        'pip install ".[test]" && pytest',
    ]


def test_ci_runs_the_readme_commands():
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert any(line == block[0] or line.startswith(block[0] + " || exit") for line in ci)
    install, test = block[1].split(" && ")
    assert install in ci and test in ci


def test_readme_lists_every_bad_input_of_the_corpus():
    from tests.bad_inputs.corpus import cases

    for case in cases():
        assert f"| {case.what} |" in README, case.name
