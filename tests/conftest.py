import contextlib
import os
import shutil
import sqlite3
from pathlib import Path

import fiona
import geopandas
import pyogrio
import pyproj
import pytest
import shapely

import landkit
from tests.pg import new_project_url_or_path, pg_project, pg_server, project_url_or_path  # noqa: F401


def pytest_collection_modifyitems(config, items):
    """Put each test in its tier by what it needs: a database, QGIS, a browser, a notebook kernel.

    The tiers are registered in pyproject.toml; the default run is the fast tier, `pytest -m ""` runs all.
    """
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "pg_server" in needs or "postgis" in (
            params.get("project_url_or_path"),
            params.get("new_project_url_or_path"),
        ):
            item.add_marker(pytest.mark.postgis)
        if "chromium" in needs:
            item.add_marker(pytest.mark.browser)
        if Path(str(item.fspath)).name == "test_qgis.py":
            item.add_marker(pytest.mark.qgis)
        if Path(str(item.fspath)).suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)


def pytest_report_header(config):
    # Areas depend on these libraries; print them with every run.
    return (
        f"landkit {landkit.__version__}; GDAL {pyogrio.__gdal_version_string__}, "
        f"PROJ {pyproj.proj_version_str}, GEOS {shapely.geos_version_string}, "
        f"shapely {shapely.__version__}, geopandas {geopandas.__version__}, fiona {fiona.__version__}"
    )


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright, offline; skipped with the reason when there is none,
    failing instead under LANDKIT_REQUIRE_BROWSER=1 (set by .ci/run), as PostGIS and QGIS do."""
    from benchmarks.browser import browser

    try:
        ctx = browser()
        b = ctx.__enter__()
    except Exception as exc:  # no Chromium, or Playwright cannot start it
        if os.environ.get("LANDKIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"LANDKIT_REQUIRE_BROWSER=1 but no browser could be started: {exc}")
        pytest.skip(f"no browser for this test: {exc}")
    try:
        yield b
    finally:
        ctx.__exit__(None, None, None)


@pytest.fixture(scope="session")
def sample_layers():
    """The committed sample project, read once (tests copy before changing anything)."""
    return landkit.read_project(landkit.SAMPLE_PATH)


@pytest.fixture
def sample_copy(tmp_path):
    path = tmp_path / "project.gpkg"
    shutil.copy(landkit.SAMPLE_PATH, path)
    return path


@pytest.fixture(params=["pyogrio", "fiona"])
def engine(request):
    return request.param


@pytest.fixture
def short_wait(monkeypatch):
    """Writers give up after 0.3 s instead of 30 s when another program holds the write lock."""
    monkeypatch.setattr(landkit.settings, "busy_timeout_s", 0.3)


@contextlib.contextmanager
def another_program_writing(path):
    """Hold the project's write lock the way QGIS does while it saves: an open SQLite write transaction."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    finally:
        db.execute("ROLLBACK")
        db.close()
