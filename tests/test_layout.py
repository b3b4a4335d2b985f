"""The package's layout holds: projects are opened only in landkit/store/, the CLI only parses and
prints, the sample generator is not shipped, and importing landkit changes nothing process-wide."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "landkit"
STORE = PACKAGE / "store"
#: what only the store may touch: the database drivers, the backends' modules, the kind of location
DRIVERS = {"sqlite3", "psycopg", "psycopg2", "apsw"}
BACKENDS = {"gpkg", "postgis", "project"}
KIND_TESTS = {"is_url", "as_url"}


def _modules_outside_store() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if STORE not in p.parents]


def _violations(path: Path) -> list[str]:
    """Where ``path`` opens a project itself: a driver imported, a backend module of the store
    reached into, or a location's kind tested."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in DRIVERS]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] in DRIVERS:
                found.append(f"from {module} import …")
            parts = module.split(".")
            if "store" in parts and parts[-1] in BACKENDS:
                found.append(f"from {module} import …")
            if parts[-1] == "store":
                found += [f"{a.name} from the store" for a in node.names if a.name in BACKENDS | KIND_TESTS]
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in KIND_TESTS:
                found.append(f"{name} (line {node.lineno})")
    return [f"{path.relative_to(PACKAGE.parent)}: {v}" for v in found]


def test_no_module_outside_the_store_opens_a_project_itself():
    modules = _modules_outside_store()
    assert len(modules) > 20 and PACKAGE / "qgis.py" in modules and PACKAGE / "cli" / "__init__.py" in modules
    assert [v for m in modules for v in _violations(m)] == []


@pytest.mark.parametrize(
    "code, caught",
    [
        ("import sqlite3\n", True),
        ("from psycopg import sql\n", True),
        ("from .store import postgis\n", True),
        ("from ..store.gpkg import transaction\n", True),
        ("from .store import is_url\n", True),
        ("if store.as_url(path):\n    pass\n", True),
        ("from .store import open_project, display\n", False),
        ("import sqlite3_helper_of_ours\n", False),
    ],
)
def test_the_layout_check_catches_what_it_should(tmp_path, code, caught):
    probe = PACKAGE / "_probe_not_a_module.py"
    try:
        probe.write_text(code, encoding="utf-8")
        assert bool(_violations(probe)) is caught
    finally:
        probe.unlink(missing_ok=True)


def test_importing_landkit_and_its_outputs_changes_nothing_process_wide():
    """matplotlib's backend and settings, the warnings filters and the root logger are the
    program's (a notebook's inline backend), not landkit's: importing every module, and drawing a
    chart, leaves them as they were."""
    script = """
import logging, warnings, sys
import matplotlib
# the libraries landkit builds on, first: what they do to the process at import is theirs
import numpy, pandas, geopandas, shapely, pyproj, pyogrio, scipy.sparse, scipy.spatial, scipy.optimize, scipy.special
import folium, openpyxl, click, matplotlib.pyplot
before = (matplotlib.get_backend(), dict(matplotlib.rcParams), list(warnings.filters), logging.root.level,
          list(logging.root.handlers))
import landkit, landkit.cli, landkit.report, landkit.maps, landkit.paper, landkit.qgis, landkit.audit, landkit.parallel
import pandas as pd
from landkit import report
stamp = report.Stamp("p", "x", "0", "m")
progress = pd.DataFrame({"name": ["目标"], "name_en": ["target"], "target_mu": [10.0], "done_mu": [5.0]})
assert report.progress_png(progress, stamp)[1:4] == b"PNG"
after = (matplotlib.get_backend(), dict(matplotlib.rcParams), list(warnings.filters), logging.root.level,
         list(logging.root.handlers))
changed = [name for name, b, a in zip(["backend", "rcParams", "warnings", "log level", "log handlers"], before, after)
           if b != a]
print(changed)
"""
    env = {**os.environ, "MPLBACKEND": "svg"}  # the program's own backend (Agg is matplotlib's default here)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=PACKAGE.parent, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_cli_package_is_one_module_per_group_with_shared_options_defined_once():
    cli = PACKAGE / "cli"
    defined: dict[str, list[str]] = {}
    for module in cli.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "option" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and first.value in ("--format", "--lang", "--rules", "--overwrite"):
                    defined.setdefault(first.value, []).append(module.name)
    assert defined == {k: ["options.py"] for k in ("--format", "--lang", "--rules", "--overwrite")}
    assert max(len(p.read_text(encoding="utf-8").splitlines()) for p in cli.glob("*.py")) < 400


def test_every_subpackage_is_in_the_wheel():
    """pyproject's package list takes every folder of landkit/ that is a package (cli, i18n, store …)."""
    import fnmatch
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")]
    assert {"landkit", "landkit.cli", "landkit.i18n", "landkit.store"} <= set(packages)
    assert [p for p in packages if not any(fnmatch.fnmatch(p, pattern) for pattern in include)] == []


#: words are chosen by language in landkit/i18n/ only (the catalogue, named, gloss, headers): elsewhere
#: a handful of branches at most (a problem's or a target's own Chinese twin, a column quoted in English)
LANGUAGE_BRANCHES_AT_MOST = 5


def _chooses_by_language(node: ast.AST) -> bool:
    if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
        sides = [node.left, *node.comparators]
        names = {s.id if isinstance(s, ast.Name) else s.attr for s in sides if isinstance(s, ast.Name | ast.Attribute)}
        said = {s.value for s in sides if isinstance(s, ast.Constant)}
        return bool(names & {"lang", "language"} and said & {"zh", "en"})
    if isinstance(node, ast.IfExp | ast.If):
        return isinstance(node.test, ast.Name) and node.test.id in ("zh", "en")
    return isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and node.slice.id == "lang"


def _language_branches(source: str) -> list[int]:
    """The lines of ``source`` that choose words by language themselves: ``lang == "zh"`` (or "en",
    or ``language``), ``x if zh else y`` / ``if en:``, ``table[lang]``."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if _chooses_by_language(node)]


def test_words_are_chosen_by_language_in_the_catalogue():
    modules = [p for p in PACKAGE.rglob("*.py") if PACKAGE / "i18n" not in p.parents]
    assert len(modules) > 20 and PACKAGE / "cli" / "ledger.py" in modules
    found = [f"{p.relative_to(PACKAGE.parent)}:{n}" for p in modules for n in _language_branches(p.read_text("utf-8"))]
    assert len(found) <= LANGUAGE_BRANCHES_AT_MOST, found


@pytest.mark.parametrize(
    "code, caught",
    [
        ('noun = "条问题" if lang == "zh" else "finding(s)"\n', True),
        ('if self.lang != "en":\n    pass\n', True),
        ('zh = lang == "zh"\nshown = a if zh else b\n', True),
        ("label = LABELS[code][lang]\n", True),
        ('noun = t("cli.audit.summary", lang, count=n)\n', False),
        ("status = named(code, PARCEL_STATUSES, lang)\n", False),
        ('if fmt == "zh":\n    pass\n', False),
    ],
)
def test_the_language_check_catches_what_it_should(code, caught):
    assert bool(_language_branches(code)) is caught
