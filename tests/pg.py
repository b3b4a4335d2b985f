"""A throw-away PostgreSQL/PostGIS server for the tests: a cluster in a temporary folder.

``initdb`` into a temp dir, ``pg_ctl start`` on a free loopback port (unix socket in the temp dir),
``CREATE EXTENSION postgis``, and everything removed at the end of the session. As root, the
server runs as the ``postgres`` OS user (PostgreSQL refuses to run as root). TCP connections
need the password, which the tests pass the way planners do: in ``PGPASSWORD``.

Without the binaries or the PostGIS extension the tests that need the server are skipped, with
the reason; with ``LANDKIT_REQUIRE_PG=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

PASSWORD = "lk-test-Secret-4711"
REQUIRE = "LANDKIT_REQUIRE_PG"


def _bindir() -> Path | None:
    for candidate in [os.environ.get("LANDKIT_PG_BINDIR", ""), *sorted(glob.glob("/usr/lib/postgresql/*/bin"))[::-1]]:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _has_postgis(bindir: Path) -> bool:
    try:
        sharedir = subprocess.run([bindir / "pg_config", "--sharedir"], capture_output=True, text=True, check=True)
        share = Path(sharedir.stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        share = Path("/usr/share/postgresql") / bindir.parent.name
    return (share / "extension" / "postgis.control").exists()


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A running throw-away cluster; ``url(schema)`` is a project URL in its database ``landkit``."""

    def __init__(self) -> None:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl); apt-get install postgresql")
        if not _has_postgis(bindir):
            raise RuntimeError("no PostGIS extension for this PostgreSQL; apt-get install postgresql-15-postgis-3")
        self.bindir = bindir
        self.as_postgres = os.name == "posix" and os.geteuid() == 0
        # as root the server runs as postgres, who must reach the folder: /tmp, not root's TMPDIR
        self.tmp = Path(tempfile.mkdtemp(prefix="landkit-pg-", dir="/tmp" if self.as_postgres else None))
        self.data, self.port = self.tmp / "data", _free_port()
        (self.tmp / "pw").write_text(PASSWORD + "\n")
        if self.as_postgres:
            shutil.chown(self.tmp, "postgres", "postgres")
            shutil.chown(self.tmp / "pw", "postgres", "postgres")
        self._run(
            "initdb", "-D", self.data, "-U", "postgres", "--pwfile", self.tmp / "pw", "--auth-local=trust",
            "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.tmp} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._run("pg_ctl", "-D", self.data, "-l", self.tmp / "log", "-o", options, "-w", "-t", "60", "start")
        self.base = f"postgresql://postgres@127.0.0.1:{self.port}"
        self.sql("CREATE DATABASE landkit", db="postgres")
        self.sql("CREATE EXTENSION postgis")

    def _run(self, tool: str, *args) -> None:
        cmd = [str(self.bindir / tool), *map(str, args)]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.tmp)
        if done.returncode:
            log = (self.tmp / "log").read_text() if (self.tmp / "log").exists() else ""
            raise RuntimeError(f"{tool} failed: {done.stderr or done.stdout}\n{log[-2000:]}")

    def dsn(self, db: str = "landkit", user: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{db}"

    def url(self, schema: str, user: str = "postgres") -> str:
        """A project URL as a planner writes it: no password (that comes from PGPASSWORD)."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/landkit?schema={schema}"

    def sql(self, statement: str, params=None, db: str = "landkit", user: str = "postgres", password=PASSWORD):
        import psycopg

        with psycopg.connect(self.dsn(db, user, password), autocommit=True) as conn:
            cur = conn.execute(statement, params)
            return cur.fetchall() if cur.description else None

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server():
    """The session's PostgreSQL/PostGIS cluster (skipped without the binaries, failing under LANDKIT_REQUIRE_PG=1)."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{REQUIRE}=1 but psycopg is not installed ({exc}); pip install 'psycopg[binary]'")
        pytest.skip(f"psycopg is not installed ({exc})")
    try:
        cluster = Cluster()
    except RuntimeError as exc:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{REQUIRE}=1 but no PostgreSQL/PostGIS server could be started: {exc}")
        pytest.skip(f"no PostgreSQL/PostGIS server: {exc}")
    old = os.environ.get("PGPASSWORD")
    os.environ["PGPASSWORD"] = PASSWORD  # how a planner gives it; spawned recorders inherit it
    try:
        yield cluster
    finally:
        if old is None:
            os.environ.pop("PGPASSWORD", None)
        else:
            os.environ["PGPASSWORD"] = old
        cluster.stop()


def new_schema() -> str:
    return "p_" + uuid.uuid4().hex[:12]


@pytest.fixture
def pg_project(pg_server, sample_layers):
    """A fresh copy of the sample project in its own schema of the test database."""
    import landkit

    url = pg_server.url(new_schema())
    landkit.write_project(sample_layers, url)
    return url


@pytest.fixture(params=["gpkg", "postgis"])
def project_url_or_path(request, tmp_path):
    """The sample project in either backend: a GeoPackage path or a PostgreSQL URL."""
    if request.param == "gpkg":
        path = tmp_path / "project.gpkg"
        shutil.copy(__import__("landkit").SAMPLE_PATH, path)
        return path
    return request.getfixturevalue("pg_project")


@pytest.fixture(params=["gpkg", "postgis"])
def new_project_url_or_path(request, tmp_path):
    """Where a new project can be written in either backend: a free file name, or a new schema."""
    if request.param == "gpkg":
        return tmp_path / "新项目.gpkg"
    return request.getfixturevalue("pg_server").url(new_schema())


# -- workers for the multiprocessing tests (spawned processes import them from here) ---------------


def record_many(url: str, name: str, parcels: list[str], n: int) -> int:
    """Record ``n`` corrections, cycling through ``parcels`` and statuses; each its own transaction."""
    import landkit

    statuses = ["approved", "submitted", "reserved", "acquired"]
    for i in range(n):
        landkit.record_event(
            url, parcels[i % len(parcels)], statuses[(i + len(name)) % len(statuses)], "2026-11-25",
            event_type="correction", document_ref=f"豫政土〔2026〕{i}号", note=f"{name}-{i}",
        )  # fmt: skip
    return n


def record_one(url: str, parcel: str, status: str, start) -> str:
    """Wait for the start signal, record one transition; return "ok" or the error's text."""
    import landkit

    start.wait(30)
    try:
        landkit.record_event(url, parcel, status, "2026-11-26")
    except landkit.LedgerError as exc:
        return f"refused: {exc}"
    return "ok"
