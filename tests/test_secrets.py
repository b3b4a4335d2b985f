"""Addresses and secrets: a crash file is private and masked; temporary files cannot be aimed.

A crash file goes into the user's own cache folder (0700), is new and 0600, and holds no
password from the command line nor a frame's local variables. Every temporary file landkit
writes has a random name, is created exclusively beside its target (never through a link
planted at a name an attacker could guess) and is gone on every way out.
"""

import os
import re
import stat
from pathlib import Path

import openpyxl
import platformdirs
import pytest
from click.testing import CliRunner

import landkit
from landkit import cli, io
from landkit.cli import main

POSIX = pytest.mark.skipif(os.name == "nt", reason="Windows has no mode bits (its ACLs keep %LOCALAPPDATA% private)")
HAS_SYMLINKS = pytest.mark.skipif(os.name == "nt", reason="planting links needs privileges on Windows")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The user's cache folder, under tmp_path (Linux: XDG_CACHE_HOME; macOS: HOME; Windows: the override)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", str(tmp_path / "appdata"))
    return Path(platformdirs.user_cache_dir("landkit", appauthor=False))


def crash_path(output: str) -> Path:
    found = re.search(r"(?:please report it with|附上崩溃报告文件) (.+landkit-crash-[^\s]+\.txt)\s*$", output.strip())
    assert found, output
    return Path(found.group(1))


def broken_read():
    def read_project(path, *args, **kwargs):
        owner = "".join(["王二", "麻子"])  # an attribute value, in a local variable of the failing frame
        assert owner
        raise RuntimeError(f"a landkit bug while reading {path}")

    return read_project


def break_info(monkeypatch):
    """`landkit info` fails inside landkit, whichever way it reads the project (described or read whole)."""
    monkeypatch.setattr(cli.setup, "read_project", broken_read())
    monkeypatch.setattr(cli.setup, "describe_project", broken_read())


@pytest.mark.parametrize("password", ["S3cret-Pw", "Admin@123"])
def test_a_crash_file_is_private_and_holds_no_password(cache, tmp_path, monkeypatch, password):
    url = f"postgresql://planner:{password}@127.0.0.1:1/lk?schema=x"
    break_info(monkeypatch)  # `landkit info` reads the project first
    result = run("info", url)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and password not in result.output
    assert "postgresql://planner:***@127.0.0.1:1/lk" in result.output  # the address, masked, still named
    crash = crash_path(result.output)
    assert crash.parent == cache and crash.is_file()
    if os.name != "nt":
        assert tmp_path in crash.parents  # the folder the environment names, not a shared one
    text = crash.read_text(encoding="utf-8")
    assert "Traceback" in text and "a landkit bug while reading" in text and "RuntimeError" in text
    assert f"landkit {landkit.__version__}" in text
    assert "command: landkit info postgresql://planner:***@127.0.0.1:1/lk?schema=x" in text
    assert password not in text and "123@" not in text  # not a piece of it either
    assert "王二麻子" not in text  # frames only: no local variables
    if os.name != "nt":
        assert stat.S_IMODE(crash.stat().st_mode) == 0o600
        assert stat.S_IMODE(crash.parent.stat().st_mode) == 0o700


def test_two_crashes_in_one_second_are_two_files(cache, monkeypatch):
    break_info(monkeypatch)
    first, second = (crash_path(run("info", "postgresql://u:pw-x1@h/db").output) for _ in range(2))
    assert first != second and first.is_file() and second.is_file()
    assert re.fullmatch(r"landkit-crash-\d{8}-\d{6}-[0-9a-f]{8}\.txt", first.name)  # a random part, not the PID


@POSIX
def test_a_crash_folder_left_open_is_made_private(cache, monkeypatch):
    cache.mkdir(parents=True)
    os.chmod(cache, 0o777)
    break_info(monkeypatch)
    crash = crash_path(run("info", "postgresql://u:pw-x2@h/db").output)
    assert crash.parent == cache and stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_an_unwritable_cache_folder_falls_back_to_a_private_temporary_file(tmp_path, monkeypatch):
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_bytes(b"")  # the cache folder cannot be made under a file
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, **kw: str(blocked / "landkit"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    break_info(monkeypatch)
    result = run("info", "postgresql://planner:Admin@123@127.0.0.1:1/lk")
    assert result.exit_code == 3 and "Traceback" not in result.output
    crash = crash_path(result.output)
    assert crash.parent == tmp_path / "tmp" and crash.name.startswith("landkit-crash-")
    assert "Admin@123" not in crash.read_text(encoding="utf-8")
    if os.name != "nt":
        assert stat.S_IMODE(crash.stat().st_mode) == 0o600


def test_no_crash_file_at_all_is_said_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_private_folder", lambda: (_ for _ in ()).throw(PermissionError("no")))
    monkeypatch.setattr("tempfile.mkstemp", lambda **kw: (_ for _ in ()).throw(PermissionError("no")))
    break_info(monkeypatch)
    result = run("info", "postgresql://u:pw-x3@h/db")
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "崩溃报告文件无法写入" in result.output and "--debug" in result.output


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("postgresql://planner:S3cret-Pw@127.0.0.1:1/lk?schema=x", "S3cret-Pw"),
        ("postgresql://planner:Admin@123@127.0.0.1:1/lk?schema=x", "Admin@123"),
        ("postgres://planner:pa/ss@db/lk", "pa/ss"),
        ("connect: host=db password=Admin@123 dbname=lk", "Admin@123"),
        ("connect: host=db password='a b\\'c' dbname=lk", "a b"),
        ('PGPASSWORD=Hunter2x sslpassword="q w"', "Hunter2x"),
        ("https://t0.tianditu.gov.cn/img_w/wmts?tk=0123abcd&layer=img", "0123abcd"),
    ],
)
def test_every_password_form_is_masked(text, secret):
    masked = cli._masked(text)
    assert secret not in masked and "***" in masked
    assert not [piece for piece in re.split(r"[@/ ']", secret) if len(piece) >= 3 and piece in masked]  # no piece


def test_the_command_line_masks_key_options_and_passwords_anywhere():
    url = "postgresql://u:Admin@123@h/db?schema=x"
    line = cli._command_line(["landkit", "map", "p.gpkg", "--tianditu-key", "KEY1", "--tianditu-key=KEY2", url])
    assert "KEY1" not in line and "KEY2" not in line and "Admin" not in line
    assert line.startswith("landkit map p.gpkg --tianditu-key *** --tianditu-key=*** postgresql://u:***@h/db")
    # the password wherever else it appears (a driver's message), raw or %-quoted, via the store's mask
    said = cli._masked("auth failed: Admin@123 / Admin%40123", also=[url])
    assert "Admin" not in said


# -- temporary files ---------------------------------------------------------------------------------


class Watch:
    """Every file landkit creates (os.open) and moves into place (os.replace) during a write."""

    def __init__(self, monkeypatch, folder: Path):
        self.folder = folder
        self.opened: list[tuple[Path, int]] = []
        self.moved: list[tuple[Path, Path]] = []
        real_open, real_replace = os.open, os.replace

        def watched_open(path, flags, *args, **kwargs):
            if Path(path).parent == folder:
                self.opened.append((Path(path), flags))
            return real_open(path, flags, *args, **kwargs)

        def watched_replace(src, dst, *args, **kwargs):
            if Path(dst).parent == folder:
                src_path = Path(src)
                # what is moved into place is a regular file of landkit's, not a planted link
                assert not src_path.is_symlink() and stat.S_ISREG(os.lstat(src_path).st_mode), src
                self.moved.append((src_path, Path(dst)))
            return real_replace(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "open", watched_open)
        monkeypatch.setattr(os, "replace", watched_replace)

    def check(self, *names: str) -> None:
        assert sorted(dst.name for _, dst in self.moved) == sorted(names)
        for src, dst in self.moved:
            assert re.fullmatch(re.escape(f".{dst.name}.") + r"[0-9a-f]{12}\.tmp", src.name), src
            assert src.parent == self.folder  # beside its target: the move stays atomic
            flags = dict(self.opened)[src]
            assert flags & os.O_CREAT and flags & os.O_EXCL  # created new, never an existing name


def plant(folder: Path, names: list[str], victim: Path) -> set[str]:
    """Links at every name the old code used for its temporary files, all aimed at ``victim``."""
    pids = {os.getpid(), os.getpid() + 1}
    planted = set()
    for name in names:
        for pid in pids:
            for guess in (f".{name}.{pid}.tmp", f".{name}.{pid}.landkit-tmp", f".{name}.{pid}.tmp.gpkg"):
                (folder / guess).symlink_to(victim)
                planted.add(guess)
    return planted


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "victim.txt"
    path.write_bytes(b"the office's records, not to be touched\n")
    return path


@HAS_SYMLINKS
def test_audit_outputs_never_write_through_a_planted_link(sample_copy, tmp_path, monkeypatch, victim):
    out = tmp_path / "out"
    out.mkdir()
    before = victim.read_bytes()
    planted = plant(out, ["audit.xlsx", "audit.html"], victim)
    watch = Watch(monkeypatch, out)
    assert run("audit", sample_copy, "--quiet", "--format", "xlsx", "-o", out / "audit.xlsx").exit_code in (0, 1)
    assert run("audit", sample_copy, "--quiet", "--format", "html", "-o", out / "audit.html").exit_code in (0, 1)
    watch.check("audit.xlsx", "audit.html")
    assert victim.read_bytes() == before
    assert openpyxl.load_workbook(out / "audit.xlsx").properties.creator == "landkit"
    assert b'<meta name="generator" content="landkit' in (out / "audit.html").read_bytes()
    assert not (out / "audit.xlsx").is_symlink() and not (out / "audit.html").is_symlink()
    assert {p.name for p in out.iterdir()} == planted | {"audit.xlsx", "audit.html"}  # no temporary file left


@HAS_SYMLINKS
def test_a_qgis_project_never_writes_through_a_planted_link(sample_copy, tmp_path, monkeypatch, victim):
    out = tmp_path / "out"
    out.mkdir()
    before = victim.read_bytes()
    planted = plant(out, ["p.qgz"], victim)
    watch = Watch(monkeypatch, out)
    from landkit.qgis import write_project

    write_project(sample_copy, out / "p.qgz")
    watch.check("p.qgz")
    assert victim.read_bytes() == before and not (out / "p.qgz").is_symlink()
    assert io.is_landkit_output(out / "p.qgz")
    assert {p.name for p in out.iterdir()} == planted | {"p.qgz"}


@HAS_SYMLINKS
def test_write_bytes_over_planted_links_and_an_existing_file(tmp_path, monkeypatch, victim):
    out = tmp_path / "out"
    out.mkdir()
    (out / "chart.png").write_bytes(b"old")
    before = victim.read_bytes()
    planted = plant(out, ["chart.png"], victim)
    watch = Watch(monkeypatch, out)
    assert io.write_bytes(b"new", out / "chart.png") == out / "chart.png"
    watch.check("chart.png")
    assert (out / "chart.png").read_bytes() == b"new" and victim.read_bytes() == before
    assert {p.name for p in out.iterdir()} == planted | {"chart.png"}


@pytest.mark.parametrize("fault", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_a_write_stopped_midway_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, fault):
    out = tmp_path / "out"
    out.mkdir()
    (out / "audit.xlsx").write_bytes(b"the old workbook")
    seen: list[set[str]] = []

    def stopped(fd):
        seen.append({p.name for p in out.iterdir()})  # the temporary file exists at this point
        raise fault

    monkeypatch.setattr(os, "fsync", stopped)
    with pytest.raises(KeyboardInterrupt if fault is KeyboardInterrupt else OSError):
        io.write_bytes(b"the new workbook", out / "audit.xlsx")
    assert len(seen) == 1 and len(seen[0]) == 2  # it was there, beside the target
    assert [p.name for p in out.iterdir()] == ["audit.xlsx"]
    assert (out / "audit.xlsx").read_bytes() == b"the old workbook"


def test_a_temporary_name_taken_is_never_opened_but_another_one_is_chosen(tmp_path, monkeypatch):
    import secrets

    taken = tmp_path / ".out.csv.aaaaaaaaaaaa.tmp"
    taken.write_bytes(b"someone else's")
    tokens = iter(["aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(tokens))
    io.write_bytes(b"x", tmp_path / "out.csv")
    assert taken.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.csv.aaaaaaaaaaaa.tmp", "out.csv"]


@POSIX
def test_an_output_gets_the_mode_any_new_file_gets_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        path = io.write_bytes(b"x", tmp_path / "report.html")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by the office, as before


@HAS_SYMLINKS
def test_a_new_project_is_built_in_a_private_folder_and_never_through_a_link(
    tmp_path, monkeypatch, victim, sample_layers
):
    from landkit.store import gpkg

    out = tmp_path / "out"
    out.mkdir()
    before = victim.read_bytes()
    planted = plant(out, ["new.gpkg"], victim)
    real = gpkg._write_scratch
    scratch_folders = []

    def observed(frames, path, engine):
        folder = Path(path).parent
        scratch_folders.append(folder)
        assert folder.parent == out and folder.name.startswith(".new.gpkg.") and folder.name not in planted
        if os.name != "nt":
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and list(folder.iterdir()) == []
        return real(frames, path, engine)

    monkeypatch.setattr(gpkg, "_write_scratch", observed)
    layers = {"parcels": sample_layers["parcels"].head(5)}
    landkit.write_project(layers, out / "new.gpkg")
    assert len(scratch_folders) == 1 and not scratch_folders[0].exists()
    assert victim.read_bytes() == before and not (out / "new.gpkg").is_symlink()
    assert len(landkit.read_layer(out / "new.gpkg", "parcels")) == 5
    assert {p.name for p in out.iterdir()} == planted | {"new.gpkg"}


@pytest.mark.parametrize("fault", [KeyboardInterrupt, RuntimeError("GDAL stopped")])
def test_a_new_project_stopped_midway_leaves_nothing(tmp_path, monkeypatch, sample_layers, fault):
    from landkit.store import gpkg

    real = gpkg._write_scratch

    def stopped(frames, path, engine):
        real(frames, path, engine)
        raise fault

    monkeypatch.setattr(gpkg, "_write_scratch", stopped)
    with pytest.raises(fault if isinstance(fault, type) else type(fault)):
        landkit.write_project({"parcels": sample_layers["parcels"].head(5)}, tmp_path / "new.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_no_landkit_module_builds_a_temporary_name_from_the_process_id():
    """The old pattern (a name from the PID, opened without O_EXCL) must not come back."""
    root = Path(landkit.__file__).parent
    offenders = [
        f"{p.relative_to(root)}:{n}"
        for p in root.rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "getpid()" in line
    ]
    assert offenders == []
