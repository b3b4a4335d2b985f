import contextlib
import shutil
import sqlite3

import fiona
import geopandas
import pyogrio
import pyproj
import pytest
import shapely

import landkit
from tests.pg import new_project_url_or_path, pg_project, pg_server, project_url_or_path  # noqa: F401


def pytest_report_header(config):
    # Areas depend on these libraries; print them with every run.
    return (
        f"landkit {landkit.__version__}; GDAL {pyogrio.__gdal_version_string__}, "
        f"PROJ {pyproj.proj_version_str}, GEOS {shapely.geos_version_string}, "
        f"shapely {shapely.__version__}, geopandas {geopandas.__version__}, fiona {fiona.__version__}"
    )


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
