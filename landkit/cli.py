"""The ``landkit`` command: parse, call the library, print, and exit with a meaningful code.

Exit codes: 0 success; 1 the input was read but has problems (``info`` found schema errors,
``audit`` found an error); 2 the input cannot be used (missing, damaged, not a project file) or
a write was refused; 3 a landkit bug (the traceback is in the crash file named on screen);
130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import json
import re
import signal
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from . import __version__
from .errors import CRSError, DataError, LandkitError
from .store import content_hash, display, list_layers, location, mask, open_project, read_layer, read_project
from .units import UNITS

# Commands import what they compute with inside themselves: `landkit record` then starts
# without loading pandas and GDAL (a few tenths of a second on every call).

_OS_ERRORS = {"ENOSPC", "EROFS", "EACCES", "EPERM", "EFBIG", "EDQUOT", "ENOENT", "EISDIR", "ENOTDIR", "EEXIST"}


class _Terminated(BaseException):
    """SIGTERM, raised where the program is so that every ``finally`` removes its temporary files."""


def _terminate(signum, frame) -> None:
    raise _Terminated


def _crash_file(exc: BaseException, words: Sequence[str]) -> Path | None:
    """Write the traceback and the versions to a private file in the user's cache folder; return its path.

    The folder is ``platformdirs.user_cache_dir("landkit")`` (``%LOCALAPPDATA%\\landkit\\Cache`` on
    Windows, ``~/.cache/landkit`` on Linux), made 0700; the file is new (O_EXCL), 0600, with a random
    part in its name. It holds the command line with every password masked, the versions, and the
    traceback's frames and messages (masked too), never a frame's local variables. ``words`` is the
    command line after ``landkit``. When the cache folder cannot be written, a private file in the
    temporary folder (``tempfile.mkstemp``); when nothing can be written, None.
    """
    import datetime as dt
    import os
    import platform
    import secrets
    import traceback

    try:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        versions = [f"landkit {__version__}", f"python {sys.version.split()[0]} on {platform.platform()}"]
        for name in ("pandas", "geopandas", "shapely", "pyproj", "pyogrio"):
            if name in sys.modules:
                versions.append(f"{name} {getattr(sys.modules[name], '__version__', '?')}")
        command = "command: " + _command_line(["landkit", *words])
        head = ["landkit crash report: please send this file with your report", command]
        # the frames and the messages, as Python prints them: no local variables (capture_locals is off)
        frames = "".join(traceback.TracebackException.from_exception(exc, capture_locals=False).format())
        data = _masked("\n".join([*head, *versions]) + "\n\n" + frames, also=words).encode("utf-8", "replace")
        prefix = f"landkit-crash-{stamp}-"
        try:
            path = _private_folder() / f"{prefix}{secrets.token_hex(4)}.txt"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(path, flags, 0o600)
        except Exception:  # the cache folder cannot be written: a private file in the temporary folder
            import tempfile

            fd, name = tempfile.mkstemp(prefix=prefix, suffix=".txt")
            path = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    except Exception:  # a crash report must never crash in its turn
        return None


def _private_folder() -> Path:
    """The user's landkit cache folder, created 0700 (and made so, on POSIX, if it was not)."""
    import os

    import platformdirs

    folder = Path(platformdirs.user_cache_dir("landkit", appauthor=False))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "nt":  # Windows keeps a user's %LOCALAPPDATA% private by its ACL; it has no mode bits
        import stat

        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():  # a link, or someone else's folder
            raise PermissionError(f"{folder}: not a folder of this user's own")
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(folder, 0o700)
    return folder


def _unique(caught) -> list:
    seen, out = set(), []
    for w in caught:
        if str(w.message) not in seen:
            seen.add(str(w.message))
            out.append(w)
    return out


class _Project(click.ParamType):
    """A project: a GeoPackage path, or a PostgreSQL URL (postgresql://user@host/db?schema=name),
    passed on as the string it is (a URL is not a path)."""

    name = "project"

    def convert(self, value, param, ctx):
        return value if isinstance(value, Path) else location(value)


PROJECT = _Project()
# A password in a URL (user:PASSWORD@host, to the last @ of the address: a raw @ in a password is
# common, Admin@123), in a conninfo (password=…, sslpassword=…, quoted or not) or a tile key (tk=…).
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/?#@]*:)(?:[^\s@]*@)+", re.IGNORECASE)
_KEY_PASSWORD = re.compile(
    r"""(\b\w*(?:password|passwd)\s*=\s*|[?&]tk=)(?:'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|\S+)""",
    re.IGNORECASE,
)
_SECRET_OPTION = re.compile(r"--[\w-]*(?:key|password|secret|token)[\w-]*", re.IGNORECASE)


def _masked(text: str, also: Iterable[str] = ()) -> str:
    """``text`` with every password masked (``***``): in a URL, in a conninfo's ``password=``, and
    wherever else the password of a project URL among ``also`` (the command line) appears."""

    text = mask(text, also)
    text = _URL_PASSWORD.sub(r"\1***@", text)
    return _KEY_PASSWORD.sub(r"\1***", text)


def _command_line(argv: Sequence[str]) -> str:
    """The command line as a crash file shows it: passwords and the values of key options masked."""
    words: list[str] = []
    hide = False
    for word in argv:
        if hide:
            word, hide = "***", False
        elif _SECRET_OPTION.fullmatch(word.split("=", 1)[0]):
            word, hide = (word.split("=", 1)[0] + "=***", False) if "=" in word else (word, True)
        words.append(_masked(word))
    return " ".join(words)


class _Group(click.Group):
    """One guard for every command: landkit's errors in a line or two (exit 2), a bug as exit 3
    with its traceback in a crash file, Ctrl-C as 130 and SIGTERM as 143."""

    def invoke(self, ctx: click.Context):
        for stream in (sys.stdout, sys.stderr):  # a Chinese Windows console (GBK) cannot show every character
            if hasattr(stream, "reconfigure") and "utf" not in (getattr(stream, "encoding", "") or "").lower():
                stream.reconfigure(errors="replace")
        try:  # only the main thread may set a handler (a notebook's CLI runner may not be it)
            previous = signal.signal(signal.SIGTERM, _terminate)
        except ValueError:
            previous = None
        words = [*getattr(ctx, "_protected_args", []), *ctx.args]
        command = " ".join(["landkit", *words[:2]])
        try:
            with warnings.catch_warnings(record=True) as caught:  # said as landkit's own lines, not Python's
                warnings.simplefilter("always")
                try:
                    return super().invoke(ctx)
                finally:
                    for w in _unique(caught):
                        _warn(str(w.message))
        except LandkitError as exc:
            click.echo(_masked(f"landkit: error: {exc}"), err=True)
            raise click.exceptions.Exit(2) from None
        except click.UsageError as exc:  # a wrong option: one line, with where to read more
            sub = exc.ctx.info_name if exc.ctx is not None and exc.ctx.parent is not None else None
            click.echo(
                f"landkit: error: {exc.format_message()} (see `landkit {sub + ' ' if sub else ''}--help`)", err=True
            )
            raise click.exceptions.Exit(2) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("landkit: interrupted; nothing half-written was left behind", err=True)
            raise click.exceptions.Exit(130) from None
        except _Terminated:
            click.echo("landkit: terminated; nothing half-written was left behind", err=True)
            raise click.exceptions.Exit(143) from None
        except OSError as exc:
            import errno

            if errno.errorcode.get(exc.errno or -1) not in _OS_ERRORS or ctx.meta.get("landkit.debug"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"landkit: error: {where}{exc.strerror}; nothing half-written was left behind", err=True)
            raise click.exceptions.Exit(2) from None
        except Exception as exc:
            if ctx.meta.get("landkit.debug"):
                raise
            crash = _crash_file(exc, words)
            said = _masked(str(exc), also=words)[:160]  # masked before it is cut: no half password
            where = (
                f"please report it with {crash}"
                if crash
                else "please report it (no crash file could be written; `landkit --debug …` shows the traceback)"
            )
            click.echo(
                _masked(f"landkit: internal error while running `{command}` ({type(exc).__name__}: {said}). ", words)
                + f"This is a landkit bug: {where}",
                err=True,
            )
            raise click.exceptions.Exit(3) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="landkit")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error instead of a crash file.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Land-reserve and resettlement planning: project files, exact areas, audits and maps."""
    ctx.meta["landkit.debug"] = debug


@main.command()
@click.option("-o", "--output", type=PROJECT, default="lushan.gpkg", show_default=True,
              help="Where to copy the sample: a new GeoPackage, or a postgresql:// URL (a new schema).")  # fmt: skip
@click.option("--overwrite", is_flag=True, help="Replace the layers of an existing project with the sample's.")
def sample(output: Path | str, overwrite: bool) -> None:
    """Copy the illustrative Lushan sample project (示意数据) to OUTPUT: a new file is the bundled
    file byte for byte, so its stamp is the bundled one's."""
    from .datasets import write_sample

    project = write_sample(output, overwrite=overwrite)
    counts = ", ".join(f"{len(df)} {name}" for name, df in read_project(project).items())
    click.echo(f"wrote {project}: {counts}; {project.identity} {project.sha256()}")


def _crs_name(crs) -> str:
    if crs is None:
        return "none"
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


@main.command()
@click.argument("path", type=PROJECT)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info(path: Path, fmt: str) -> None:
    """Show a project's layers, feature counts, CRS and validation summary (a file or a database)."""
    from .schema import LAYERS, check_project

    layers = read_project(path)
    project = open_project(path)
    problems = check_project(layers)
    rows = [
        {
            "name": name,
            "features": len(df),
            "geometry_type": project.geometry_type(name, df),
            "crs": _crs_name(getattr(df, "crs", None)) if hasattr(df, "crs") else None,
        }
        for name, df in layers.items()
    ]
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": display(path),
            project.identity.replace(" ", "_"): project.sha256(),  # as every report stamps it
            "content_hash": content_hash(layers),  # the layers' content, whatever the file's bytes
            "layers": rows,
            "problems": [
                {"layer": p.layer, "features": list(p.features), "problem": p.problem, "fix": p.fix} for p in problems
            ],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{project}  ({project.identity} {project.sha256()})")
        click.echo(f"{'layer':<16}{'features':>9}  {'geometry':<16}crs")
        for r in rows:
            known = "" if r["name"] in LAYERS else "  (not a project layer)"
            kind = r["geometry_type"] or "table"
            click.echo(f"{r['name']:<16}{r['features']:>9}  {kind:<16}{r['crs'] or ''}{known}")
        if problems:
            click.echo(f"validation: {len(problems)} problem(s)")
            for p in problems:
                click.echo(f"  - {p}")
        else:
            click.echo("validation: ok, the project follows the project-file contract")
    if any(p.severity == "error" for p in problems):
        raise click.exceptions.Exit(1)


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("project", type=PROJECT)
@click.option("--layer", required=True, help="Project layer to write, e.g. parcels.")
@click.option("--encoding", default=None, help="Text encoding of a Shapefile (default: detect).")
@click.option("--overwrite", is_flag=True, help="Replace the layer if the project has it.")
@click.option("--datum-transform", default=None,
              help="From Xi'an 1980 / Beijing 1954: '+towgs84=dx,dy,dz,rx,ry,rz,ds' or a PROJ pipeline.")  # fmt: skip
@click.option("--accept-ballpark", is_flag=True, help="Accept PROJ's ballpark datum shift (tens of metres off).")
def import_(source: Path, project: Path, layer: str, encoding: str | None, overwrite: bool, datum_transform: str | None,
            accept_ballpark: bool) -> None:  # fmt: skip
    """Copy a Shapefile or GeoJSON layer into a project file (the source is only read)."""
    from .io import import_layer

    df = import_layer(source, project, layer, encoding=encoding, overwrite=overwrite,
                      datum_transform=datum_transform, accept_ballpark=accept_ballpark)  # fmt: skip
    click.echo(f"imported {len(df)} features from {source} into {display(project)}, layer {layer}")


def _warn(message: str) -> None:
    click.echo(f"landkit: warning: {message}", err=True)


def _layer_for_measuring(path: Path, layer: str, id_column: str | None):
    """Read a polygon layer indexed by its id, refusing a layer most of whose features its CRS cannot hold."""
    import geopandas as gpd

    from .crs import diagnose_crs, zone_warning

    df = read_layer(path, layer)
    where = f"{display(path)}, layer {layer!r}"
    if not isinstance(df, gpd.GeoDataFrame):
        raise DataError(f"{where}: a table without geometry has no area; choose a polygon layer")
    if not len(df):
        raise DataError(f"{where}: the layer is empty (0 features); there is nothing to measure")
    if id_column is not None and df.index.name != id_column:
        if id_column not in df.columns or id_column == df.geometry.name:
            cols = ", ".join(c for c in df.columns if c != df.geometry.name)
            raise DataError(f"{where}: no column {id_column!r} for --id; the columns are {cols}")
        df = df.set_index(id_column)
    reference = _reference(path, layer)
    problem = diagnose_crs(df, reference=reference)
    if problem:
        raise CRSError(f"{where}: {problem}")
    note = zone_warning(df)
    if note:
        _warn(note)
    return df


def _reference(path: Path, layer: str):
    """The county outline, when the project has a usable one, to check coordinates against."""
    return read_layer(path, "county") if layer != "county" and "county" in list_layers(path) else None


@main.command()
@click.argument("path", type=PROJECT)
@click.option("--layer", default="parcels", show_default=True, help="Polygon layer to measure.")
@click.option("--unit", type=click.Choice(list(UNITS)), default="mu", show_default=True)
@click.option("--method", type=click.Choice(["ellipsoidal", "cn2008", "planar"]), default="ellipsoidal",
              show_default=True, help="Ellipsoidal (CGCS2000), the 2008 formula, or planar in --zone.")  # fmt: skip
@click.option("--zone", default=None, help="Projection for --method planar, e.g. EPSG:4547.")
@click.option("--densify", "densify_m", type=click.FloatRange(min=0, min_open=True), default=None,
              help="cn2008: densify edges to this many metres first (default: the vertices as given).")  # fmt: skip
@click.option("--id", "id_column", default=None, help="Id column, when not the project file's.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
def areas(
    path: Path, layer: str, unit: str, method: str, zone: str | None, densify_m: float | None, id_column: str | None,
    fmt: str,
) -> None:  # fmt: skip
    """Measure every feature of a polygon layer; totals add up to the parts shown.

    Features without geometry, with invalid geometry, or with coordinates their CRS cannot hold
    are listed and left out of the total.
    """
    import pandas as pd

    from .measure import area_report, planar_crs

    if method == "planar":
        planar_crs(zone)  # before reading anything: a wrong --zone is the user's first fix
    df = _layer_for_measuring(path, layer, id_column)
    shown, excluded, label = area_report(
        df, unit=unit, method=method, zone=zone, densify_m=densify_m, reference=_reference(path, layer)
    )
    for fid, reason in excluded["reason"].items():
        _warn(f"{fid}: {reason}")
    total = {"count": len(shown), "area_m2": round(float(shown["area_m2"].sum()), 2),
             f"area_{unit}": round(float(shown[f"area_{unit}"].sum()), 6)}  # fmt: skip
    if fmt == "json":
        out = {
            "path": display(path),
            "layer": layer,
            "id_column": df.index.name,
            "unit": unit,
            "area_method": label,
            "features": [
                {"id": str(i), "area_m2": float(a), f"area_{unit}": float(u)}
                for i, a, u in zip(shown.index, shown["area_m2"], shown[f"area_{unit}"], strict=True)
            ],
            "excluded": [{"id": str(i), "reason": r} for i, r in excluded["reason"].items()],
            "total": total,
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    rows = pd.concat([shown.assign(note=""), excluded.rename(columns={"reason": "note"})])
    table = pd.DataFrame(
        {
            df.index.name or "id": [*rows.index.astype(str), "TOTAL"],
            "area_m2": [*rows["area_m2"], total["area_m2"]],
            f"area_{unit}": [*rows[f"area_{unit}"], total[f"area_{unit}"]],
            "note": [*rows["note"], f"{len(shown)} features"],
        }
    )
    table["area_method"] = label
    decimals = {"m2": 2, "mu": 2, "ha": 4, "km2": 6}[unit]
    from .io import inert

    click.echo(table.map(inert).to_csv(index=False, float_format=f"%.{decimals}f"), nl=False)


@main.command()
@click.argument("path", type=PROJECT)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The audit's rules file: the 三区三线 tolerances (snap_m, min_area_m2).")  # fmt: skip
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def zones(path: Path, fmt: str, rules_file: Path | None, lang: str) -> None:
    """Tabulate the planning-zone versions: areas, what each expansion adds (land, 耕地, 三区三线
    conflicts), reserve cover."""
    from .planning import zone_versions

    zones = _layer_for_measuring(path, "planning_zones", None)
    names = list_layers(path)
    layers = ("parcels", "villages", "land_use", "basic_farmland", "eco_redline", "urban_boundary")
    more = {n: read_layer(path, n) for n in layers if n in names}
    table = zone_versions(zones, **more, rules=_rules(rules_file))
    if fmt == "json":
        out = {
            "path": display(path),
            "area_method": table.attrs["area_method"],
            "versions": json.loads(table.reset_index().to_json(orient="records", force_ascii=False)),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(table.to_csv(float_format="%.6f"), nl=False)
    else:
        from .report import method_label, zones_table

        method = method_label(table.attrs["area_method"], lang)
        where = display(path)
        click.echo(f"{where} 的规划范围（{method}）" if lang == "zh" else f"planning zones of {where} ({method})")
        shown = table.drop(columns=[c for c in ("name", "villages_newly_inside_names") if c in table])
        click.echo(zones_table(shown.round(4), lang).to_string())


@main.command("map")
@click.argument("path", type=PROJECT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: maps/zone.html and one maps/community-ID.html each).")  # fmt: skip
@click.option(
    "--community", default=None, help="Draw only this community: id, name (露峰, 露峰社区) or pinyin (Lufeng)."
)
@click.option("--village", default=None, help="Draw only this village and its parcels: code, name (沈庄) or pinyin.")
@click.option("--zone-version", type=int, default=None, help="Draw only this planning-zone version (1, 2, 3 …).")
@click.option("--tiles", type=click.Choice(["none", "osm", "tianditu", "gaode"]), default="none", show_default=True,
              help="Base map; none keeps the map fully offline.")  # fmt: skip
@click.option("--tianditu-key", default=None, envvar="TIANDITU_KEY", help="Your Tianditu key (or TIANDITU_KEY).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--overwrite", is_flag=True, help="Replace an existing file that landkit did not write.")
def map_(
    path: Path, output: Path | None, community: str | None, village: str | None, zone_version: int | None,
    tiles: str, tianditu_key: str | None, lang: str, overwrite: bool,
) -> None:  # fmt: skip
    """Write self-contained HTML meeting maps that open offline from a file."""
    from . import maps
    from .io import check_output, output_folder, safe_name, write_text

    if sum(x is not None for x in (community, village, zone_version)) > 1:
        raise DataError("draw one thing at a time: give --community, --village or --zone-version, not several")
    if output is not None:
        check_output(output, inputs=(path,), overwrite=overwrite)
    layers = read_project(path)
    options: dict = {"tiles": tiles, "lang": lang, "tianditu_key": tianditu_key}
    pages: dict[str, str] = {}
    taken: set[str] = set()
    if community is not None:
        cid = maps.find_community(layers.get("communities"), community)
        pages[f"community-{safe_name(cid, taken=taken)}.html"] = maps.to_html(
            maps.community_map(layers, cid, **options)
        )
    elif village is not None:
        code = maps.find_village(layers.get("villages"), village)
        pages[f"village-{safe_name(code, taken=taken)}.html"] = maps.to_html(maps.village_map(layers, code, **options))
    elif zone_version is not None:
        pages[f"zone-v{zone_version}.html"] = maps.to_html(maps.zone_map(layers, version=zone_version, **options))
    else:
        pages["zone.html"] = maps.to_html(maps.zone_map(layers, **options))
        if output is None and "communities" in layers:
            for cid in layers["communities"].index:
                page = maps.to_html(maps.community_map(layers, str(cid), **options))
                pages[f"community-{safe_name(cid, taken=taken)}.html"] = page
    if output is not None:
        click.echo(f"wrote {write_text(next(iter(pages.values())), output)}")
        return
    with output_folder(Path("maps"), inputs=(path,), overwrite=overwrite) as put:
        written = [put(name, page) for name, page in pages.items()]
    for w in written:
        click.echo(f"wrote {w}")


def _records(df) -> list[dict]:
    """Rows as JSON objects; dates as "2026-11-20" (the ledgers keep days, not instants)."""
    flat = df.reset_index()
    for column in flat.columns[flat.dtypes.map(lambda t: t.kind == "M")]:
        flat[column] = flat[column].dt.strftime("%Y-%m-%d")
    return json.loads(flat.to_json(orient="records", force_ascii=False))


@main.command()
@click.argument("path", type=PROJECT)
@click.option("--as-of", default=None, help="Rebuild the ledger as it stood on this date (YYYY-MM-DD).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--target", "target_id", default=None, help="List the parcels behind this target (its id or name).")
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="TOML rules file (its [idle_land] days sets when land is idle, as in the audit).")  # fmt: skip
def progress(
    path: Path, as_of: str | None, fmt: str, lang: str, target_id: str | None, rules_file: Path | None
) -> None:
    """Reserve status totals, done / target for each of the project's targets, idle land, compensation."""
    import pandas as pd

    from . import reserve
    from .ledger import parse_date
    from .schema import check_layer, require_layers

    rules = _rules(rules_file)
    layers = read_project(path)
    require_layers(layers, ("parcels", "events"), where=display(path), needed_by="landkit progress")
    parcels, events = layers["parcels"], layers["events"]
    for problem in check_layer(parcels, "parcels") + check_layer(events, "events"):
        if problem.severity == "error":  # say what the totals below leave out or cannot vouch for
            every = "（每项检查见 `landkit audit`）" if lang == "zh" else " (run `landkit audit` for every check)"
            warnings.warn(problem.text(lang) + every, stacklevel=1)
    date = pd.Timestamp(parse_date(as_of) if as_of else reserve.data_date(events))
    totals = reserve.status_totals(parcels, events, as_of=date)
    measured = totals.attrs
    goals = reserve.targets(layers)
    targets = reserve.progress(parcels, events, goals, as_of=date)
    if target_id is not None:
        _target_list(layers, goals, target_id, date, fmt, lang)
        return
    idle = reserve.idle_land(parcels, events, as_of=date, period_days=reserve.idle_days(rules))
    comp = reserve.by_compensation(parcels, events, as_of=date)
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": display(path),
            "as_of": str(date.date()),
            "area_method": measured["area_method"],
            "status_totals": _records(totals),
            "targets": _records(targets),
            "idle_land": _records(idle),
            "compensation": _records(comp),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from .report import HEADERS_ZH, method_label, targets_table
    from .schema import label

    zh = lang == "zh"
    shown_targets = targets_table(targets, lang).set_index("target_name").drop(columns=["done_measured_mu"])
    forms = {"target_mu": "{:,.2f}", "done_mu": "{:,.2f}", "remaining_mu": "{:,.2f}", "share": "{:.1%}"}
    for column, form in forms.items():  # NaN (a stock without a figure): unknown, shown blank
        shown_targets[column] = shown_targets[column].map(lambda v, f=form: "" if v != v else f.format(v))
    shown_targets["due"] = shown_targets["due"].map(lambda d: "" if d is None or d != d else str(d))
    if zh:
        click.echo(f"{display(path)} 储备台账，截至 {date.date()}（{method_label(measured['area_method'])}）")
        click.echo(totals.rename(index=label, columns=HEADERS_ZH).rename_axis("状态").to_string())
        click.echo("\n目标进度（完成 / 目标；`--target 编号` 列出目标的地块）")
        click.echo(
            shown_targets.rename(columns=HEADERS_ZH).rename_axis("目标").to_string()
            if len(targets)
            else "本项目没有储备目标（targets 表）"
        )
        click.echo(f"\n闲置土地：{len(idle)} 块，{idle['stated_area_mu'].sum():,.2f} 亩")
        click.echo(comp.set_index("label_zh").rename(columns=HEADERS_ZH).rename_axis("补偿方式").to_string())
        return
    click.echo(f"reserve ledger of {display(path)} as of {date.date()} ({measured['area_method']})")
    click.echo(totals.to_string())
    click.echo("\ntargets (done / target; `--target ID` lists a target's parcels)")
    click.echo(shown_targets.to_string() if len(targets) else "the project has no targets (targets table)")
    click.echo(f"\nidle land: {len(idle)} parcels, {idle['stated_area_mu'].sum():,.2f} mu")
    click.echo(comp.to_string())


def _target_list(layers, goals, key: str, date, fmt: str, lang: str) -> None:
    """Print the parcels behind one target."""
    from . import reserve
    from .report import HEADERS_ZH
    from .schema import label

    hit = [t for t in goals if key in (t.id, t.name, t.name_en)]
    if not hit:
        known = ", ".join(f"{t.id} ({t.name})" for t in goals) or "none"
        raise DataError(f"no target {key!r}; the project's targets are {known}")
    members = reserve.target_parcels(layers["parcels"], layers["events"], hit[0], as_of=date)
    if fmt == "json":
        click.echo(json.dumps({"target": hit[0].id, "as_of": str(date.date()), "parcels": _records(members)},
                              ensure_ascii=False, indent=2))  # fmt: skip
        return
    from .report import village_names

    shown = members.assign(status=members["status"].map(lambda s: label(s, lang)))
    shown["village_code"] = village_names({"villages": layers.get("villages")}, members["village_code"])
    shown = shown.rename(columns={"village_code": "village"}).fillna("")
    zh = lang == "zh"
    shown["done"] = shown["done"].map({True: "是" if zh else "yes", False: ""})
    done = members.loc[members["done"], "stated_mu"]
    click.echo(
        f"{hit[0].label(lang)}: {len(done)} / {len(members)} "
        + (f"块完成，{done.sum():,.2f} 亩" if zh else f"parcels done, {done.sum():,.2f} mu")
    )
    click.echo((shown.rename(columns=HEADERS_ZH).rename_axis("地块编号") if zh else shown).to_string())


@main.command()
@click.argument("path", type=PROJECT)
@click.argument("feature_id", required=False)
@click.argument("status", required=False)
@click.option("--date", default=None, help="Date of the event: 2026-11-27, 2026年11月27日, 2026/11/27 or 2026.11.27.")
@click.option("--type", "event_type", default="transition", show_default=True,
              help="transition, revocation, correction or opening (or 状态变更, 撤销, 更正, 期初).")  # fmt: skip
@click.option("--doc", "document_ref", default=None, help="Document reference (文号).")
@click.option("--note", default=None)
@click.option("--village", is_flag=True, help="FEATURE_ID is a village code: record a relocation step.")
@click.option("--from", "batch", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Record every row of a CSV or XLSX file in one transaction (Chinese headers accepted).")  # fmt: skip
@click.option("--future", is_flag=True, help="Allow a date more than a year ahead.")
def record(path: Path, feature_id, status, date, event_type, document_ref, note, village, batch, future) -> None:
    """Append events to a ledger, checked against the lifecycle; the layer's status follows.

    One event: PATH PARCEL_ID STATUS --date D (statuses in English or Chinese, e.g. 已批复).
    Many: PATH --from events.xlsx, with columns 地块编号/parcel_id (or 村代码/village_code),
    日期/date, 新状态/status and optionally 事件类型/event_type, 文号/document_ref, 备注/note.
    """
    from .ledger import parse_date, record_events

    if batch is not None:
        if feature_id or status:
            raise DataError("give either PARCEL_ID STATUS --date or --from FILE, not both")
        from .io import read_table

        ids = record_events(path, read_table(batch), future=future)
        where = display(path)
        click.echo(f"recorded {len(ids)} event(s) from {batch} into {where} (event ids {ids[0]}-{ids[-1]})" if ids
                   else f"{batch} holds no events; nothing was recorded")  # fmt: skip
        return
    if not (feature_id and status) or date is None:
        raise DataError("record needs PARCEL_ID STATUS --date DATE (or --from FILE.csv|xlsx)")
    key = "village_code" if village else "parcel_id"
    row = {key: feature_id, "status": status, "date": date, "event_type": event_type,
           "document_ref": document_ref, "note": note}  # fmt: skip
    (event_id,) = record_events(path, [row], future=future)
    click.echo(f"recorded event {event_id}: {feature_id} -> {status} on {parse_date(date, future=future)}")


@main.command()
@click.argument("path", type=PROJECT)
@click.option("--apply", is_flag=True, help="Write the changes (default: only list them).")
@click.option("--as-of", default=None, help="Date of the opening-balance events for features without history.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def sync(path: Path, apply: bool, as_of: str | None, fmt: str) -> None:
    """Make parcels.status and villages.relocation_status follow the ledgers (a dry run unless --apply)."""
    from . import ledger

    changes = ledger.sync(path, apply=apply, as_of=as_of)
    if fmt == "json":
        out = {"path": display(path), "applied": apply, "changes": changes}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    verb = "changed" if apply else "would change"
    for c in changes:
        if c["change"] == "opening":
            click.echo(f"{c['layer']}: {c['id']} opening balance at {c['to']}")
        else:
            click.echo(f"{c['layer']}: {c['id']} {c['from']} -> {c['to']}")
    click.echo(f"{len(changes)} change(s) {verb}" + ("" if apply or not changes else "; run again with --apply"))


@main.command()
@click.argument("path", type=PROJECT)
@click.option("--split/--whole", default=True, show_default=True, help="May a village be split between communities?")
@click.option("--min-part", default=10, show_default=True, type=click.IntRange(min=1),
              help="Smallest part of a split village, in households.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def relocate(path: Path, split: bool, min_part: int, fmt: str) -> None:
    """The relocation plan: allocation to communities, capacity per batch, progress by village."""
    from . import relocation
    from .schema import require_layers

    layers = read_project(path)
    require_layers(layers, ("villages", "communities"), where=display(path), needed_by="landkit relocate")
    villages, communities = layers["villages"], layers["communities"]
    plan = relocation.allocate(villages, communities, split=split, min_part=min_part,
                               events=layers.get("relocation_events"))  # fmt: skip
    capacity = relocation.capacity_check(villages, communities)
    displaced = relocation.displacement(layers.get("planning_zones"), villages)
    done = relocation.relocation_progress(villages, layers.get("relocation_events"))
    totals = {
        "households": int(plan["households"].sum()),
        "people": int(plan["people"].sum()),
        "household_km": round(float(plan["household_km"].sum()), 3),
    }
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": display(path),
            "area_method": displaced.attrs["area_method"],
            "plan": _records(plan.set_index("village_code")),
            "totals": totals,
            "over_capacity": plan.attrs["over_capacity"],
            "capacity": _records(capacity.set_index("community_id")),
            "displacement": _records(displaced),
            "progress": _records(done),
            "villages": _records(
                villages[["name", "batch"]].assign(
                    relocation_status=relocation.village_status(villages, layers.get("relocation_events"))
                )
            ),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"relocation plan for {display(path)}: villages already on the move (fixed) keep their community; the rest are "
        "placed batch by batch, fewest splits first, then least household-km"
    )
    click.echo(plan.to_string(index=False))
    for message in plan.attrs["over_capacity"]:
        click.echo(f"landkit: warning: {message}", err=True)
    click.echo(
        f"totals: {totals['households']} households, {totals['people']} people, "
        f"{totals['household_km']:,.1f} household-km"
    )
    click.echo("\ncapacity as targeted in the villages layer")
    click.echo(capacity.to_string(index=False))
    click.echo("\nprogress by batch")
    click.echo(done.to_string())


def _project(path: Path) -> dict:
    """Read a project file, refusing a GeoPackage that holds no parcels: it is not a project."""
    layers = read_project(path)
    if "parcels" not in layers:
        raise DataError(
            f"{display(path)}: not a landkit project file (no parcels layer; it has "
            f"{', '.join(layers) or 'no layers'}). "
            "Bring parcels in with `landkit import SOURCE PROJECT --layer parcels`"
        )
    return layers


def _rules(rules_file: Path | None) -> dict:
    from . import audit

    if rules_file is not None and (not rules_file.resolve().is_file() or rules_file.stat().st_size > 1 << 20):
        raise DataError(f"{rules_file}: not a rules file (a TOML file under 1 MB)")
    return audit.load_rules(rules_file.read_bytes() if rules_file else None, source=str(rules_file or "rules"))


@main.command("audit")
@click.argument("path", type=PROJECT)
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="TOML file overriding rule severities and thresholds (UTF-8 or GB18030).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "xlsx", "html"]), default="text",
              show_default=True)  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of the screen (needed for xlsx).")  # fmt: skip
@click.option("--overwrite", is_flag=True, help="Replace an existing file that landkit did not write.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--partitions", type=click.IntRange(min=1), default=None,
              help="Check the parcels on dask in this many spatial partitions (needs landkit[dask]).")  # fmt: skip
@click.option("--scheduler", default=None, help="Address of a dask scheduler to run the partitions on.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Labels of rules, severities, layers and statuses.")  # fmt: skip
def audit_(
    path: Path,
    rules_file: Path | None,
    fmt: str,
    output: Path | None,
    overwrite: bool,
    quiet: bool,
    partitions: int | None,
    scheduler: str | None,
    lang: str,
) -> None:
    """Run every check on a project file; exit 0 clean, 1 if a finding is an error, 2 if unreadable."""
    from tqdm import tqdm

    from . import audit, report
    from .io import check_output, inert, write_bytes, write_csv, write_text

    if fmt == "xlsx" and output is None:
        raise DataError("--format xlsx writes a workbook: give the file with -o audit.xlsx")
    if output is not None:
        check_output(output, inputs=(path, *([rules_file] if rules_file else [])), overwrite=overwrite)
    rules = _rules(rules_file)
    layers = _project(path)
    # None: shown on a terminal, silent in logs and pipes
    bar = tqdm(total=10, desc="audit", disable=True if quiet or fmt != "text" else None, leave=False)

    def step(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update()

    if scheduler and not partitions:
        raise DataError("--scheduler runs partitions: give --partitions N as well")
    findings = audit.audit(layers, rules=rules, step=step, partitions=partitions, scheduler=scheduler)
    bar.close()
    sums = audit.totals(layers)
    stamp = report.stamp_for(path, layers)
    if fmt == "xlsx" and output is not None:
        click.echo(f"wrote {write_bytes(report.audit_xlsx(findings, sums, stamp, lang=lang), output)}")
    elif fmt == "html":
        page = report.audit_html(findings, sums, stamp, lang)
        click.echo(f"wrote {write_text(page, output)}" if output else page)
    elif fmt == "json":
        text = report.dumps(report.audit_json(findings, sums, stamp, layers))
        click.echo(f"wrote {write_text(text, output)}" if output else text)
    elif fmt == "csv":
        table = report.findings_table(findings, lang)
        table = table.rename(columns=report.HEADERS_ZH) if lang == "zh" else table
        if output:
            click.echo(f"wrote {write_csv(table, output, float_format='%.2f')}")
        else:
            click.echo(table.map(inert).to_csv(index=False, float_format="%.2f"), nl=False)
    else:
        from .schema import label

        noun = "条问题" if lang == "zh" else "finding(s)"
        click.echo(f"{display(path)}: {len(findings)} {noun}, {report.severity_counts(findings, lang)}")
        messages = findings["message"]
        if lang == "zh" and "message_zh" in findings:  # Chinese where the check says it in Chinese
            messages = findings["message_zh"].where(findings["message_zh"].notna(), messages)
        for severity, code, message in zip(findings["severity"], findings["rule"], messages, strict=True):
            rule = f"{label(code)} ({code})" if lang == "zh" else code  # the code, to look it up
            click.echo(f"  [{label(severity, lang)}] {rule}: {message}")
        parcels = sums["layers"].get("parcels")
        if parcels:
            if lang == "zh":
                click.echo(f"储备地块 {parcels['count']:,} 块，椭球面积 {parcels['area_mu']:,.2f} 亩")
            else:
                click.echo(f"parcels: {parcels['count']} features, {parcels['area_mu']:,.2f} mu ellipsoidal")
    if (findings["severity"] == "error").any():
        raise click.exceptions.Exit(1)


@main.command("changes")
@click.argument("path", type=PROJECT)
@click.option("--since", required=True, help="The start of the period (its events are not included), e.g. 2026-10-31.")
@click.option("--until", default=None, help="The end of the period (default: the data's date).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def changes_(path: Path, since: str, until: str | None, fmt: str, lang: str) -> None:
    """What changed in a period: events, parcels whose status changed, mu per status, new and resolved findings."""
    from . import report
    from .ledger import parse_date
    from .schema import label, require_layers

    layers = read_project(path)
    require_layers(layers, ("parcels", "events"), where=display(path), needed_by="landkit changes")
    start = parse_date(since)
    end = parse_date(until) if until else None
    try:
        found = report.period_changes(layers, start, end)
    except ValueError as exc:
        raise DataError(f"{display(path)}: {exc}") from None
    period = f"{found['events'].attrs['since']} – {found['events'].attrs['until']}"
    new, resolved = found["new_findings"], found["resolved_findings"]
    if fmt == "json":
        out = {"path": display(path), "since": found["events"].attrs["since"], "until": found["events"].attrs["until"]}
        out |= {name: _records(df) for name, df in found.items() if not name.endswith("findings")}
        out |= {  # one object per finding, its fields only (no row number)
            name: json.loads(report.findings_table(found[name], lang).to_json(orient="records", force_ascii=False))
            for name in ("new_findings", "resolved_findings")
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    zh = lang == "zh"
    events, parcels, by_status = found["events"], found["parcels"], found["by_status"]
    names = {"parcels_before": "期初地块", "mu_before": "期初(亩)", "parcels_after": "期末地块",
             "mu_after": "期末(亩)", "mu_change": "变化(亩)"}  # fmt: skip
    if zh:
        click.echo(f"{display(path)} 储备台账变化 {period}：{len(events)} 条事件，{len(parcels)} 块地状态变化")
        shown = by_status.rename(index=label, columns=names).rename_axis("状态")
        click.echo(shown.to_string() if len(by_status) else "（台账中没有地块）")
        for pid, row in parcels.iterrows():
            click.echo(
                f"  {pid}: {label(row['before']) or '无'} → {label(row['after']) or '无'}，{row['area_mu']:,.2f} 亩"
            )
        click.echo(f"新出现的审核问题 {len(new)} 条，已解决 {len(resolved)} 条")
        for tag, df in (("新", new), ("已解决", resolved)):
            for f in report.findings_table(df).itertuples():
                click.echo(f"  [{tag}] {f.rule} {f.ids}: {f.message}")
        return
    click.echo(f"{display(path)}: changes {period}: {len(events)} events, {len(parcels)} parcels changed status")
    click.echo(by_status.to_string() if len(by_status) else "(no parcel on the ledger)")
    for pid, row in parcels.iterrows():
        was, now = label(row["before"], "en") or "none", label(row["after"], "en") or "none"
        click.echo(f"  {pid}: {was} -> {now}, {row['area_mu']:,.2f} mu")
    click.echo(f"new findings: {len(new)}, resolved: {len(resolved)}")
    for tag, df in (("new", new), ("resolved", resolved)):
        for f in report.findings_table(df, "en").itertuples():
            click.echo(f"  [{tag}] {f.rule} {f.ids}: {f.message}")


@main.command("push")
@click.argument("source", type=PROJECT)
@click.argument("url", type=PROJECT)
@click.option(
    "--overwrite", is_flag=True, help="Replace the layers a schema already has (its ledgers only gain events)."
)
def push(source: Path | str, url: str, overwrite: bool) -> None:
    """Copy a GeoPackage project (or a project in a database) into a PostgreSQL/PostGIS schema, in one transaction."""
    from .store import push as push_project

    counts = push_project(source, url, overwrite=overwrite)
    click.echo(f"pushed {display(source)} to {display(url)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command("pull")
@click.argument("url", type=PROJECT)
@click.argument("output", type=PROJECT)
@click.option("--overwrite", is_flag=True, help="Replace an existing GeoPackage.")
def pull(url: str, output: Path | str, overwrite: bool) -> None:
    """Write a GeoPackage snapshot of a project in PostgreSQL/PostGIS (for the meeting laptop);
    a postgresql:// URL as OUTPUT copies it into that schema instead."""
    from .store import pull as pull_project

    if isinstance(output, Path) and output.is_dir():
        raise DataError(f"{output}: is a folder; give the name of the GeoPackage to write")
    counts = pull_project(url, output, overwrite=overwrite)
    click.echo(f"wrote {display(output)} from {display(url)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command("grant")
@click.argument("url")
@click.option("--reader", default=None, help="A role that may read the project.")
@click.option("--recorder", default=None, help="A role that may also record events (and set statuses).")
def grant(url: str, reader: str | None, recorder: str | None) -> None:
    """Set up a read-only role and a recording role on a project in PostgreSQL (GRANT them to people)."""
    from .store import grant as grant_roles

    if not reader and not recorder:
        raise DataError("name a --reader role, a --recorder role, or both")
    grant_roles(url, reader=reader, recorder=recorder)
    roles = " and ".join(f"{kind} {name}" for kind, name in (("reader", reader), ("recorder", recorder)) if name)
    click.echo(f"granted {roles} on {display(url)}; give them to people with GRANT role TO person")


@main.command("qgis")
@click.argument("path", type=PROJECT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The QGIS project to write, e.g. 鲁山.qgz (it opens the GeoPackage by relative path).")  # fmt: skip
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--no-findings", is_flag=True, help="Leave the audit's findings out of the project.")
@click.option("--overwrite", is_flag=True, help="Replace an existing project file.")
def qgis_(path, output: Path, rules_file: Path | None, no_findings: bool, overwrite: bool) -> None:
    """Open it in QGIS: landkit's styles into the GeoPackage (yours kept), and a project with the
    audit's findings as a layer of their own, an A3 layout and an atlas of the villages; for a
    database, the project opens its schema (the password is not written into it)."""
    from .qgis import audit_layers, write_project, write_styles

    found = {} if no_findings else audit_layers(_project(path), rules=_rules(rules_file))
    written = write_project(
        path, output, audit=found, overwrite=overwrite
    )  # first: a refusal leaves the file as it was
    if open_project(path).holds_styles:  # a database's styles travel in the project file
        styles = write_styles(path)
        kept = [f"{layer} ({how})" for layer, how in styles.items() if how != "default"]
        mine = f"；保留您自己的默认样式：{', '.join(kept)}" if kept else ""
        click.echo(f"已写入 {len(styles)} 个图层的样式：{display(path)}{mine}")
    click.echo(f"已写入 {written}")
    if found:
        what = {"findings": "审核问题", "conflicts": "三区三线冲突"}
        counts = "，".join(f"{len(frame)} 处{what[name]}" for name, frame in found.items())
        click.echo(f"{counts}：{output.with_name(output.stem + '-findings.gpkg')}")


@main.command("print")
@click.argument("path", type=PROJECT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The PDF to write, e.g. 规划图-A3.pdf.")  # fmt: skip
@click.option("--size", type=click.Choice(["A3", "A4"], case_sensitive=False), default="A3", show_default=True)
@click.option("--village", default=None, help="Print one village (its code or name, with or without 村).")
@click.option("--zone-version", type=int, default=None, help="Print one planning-zone version (1, 2, 3 …).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--overwrite", is_flag=True, help="Replace an existing file that landkit did not write.")
def print_(
    path: Path, output: Path, size: str, village: str | None, zone_version: int | None, lang: str, overwrite: bool
) -> None:
    """A paper map for the file: a landscape PDF with title, legend, scale bar, 1:N, north arrow and credits."""
    from .io import check_output, write_bytes
    from .paper import print_map

    if output.suffix.lower() != ".pdf":
        raise DataError(f"{output}: give a .pdf file")
    check_output(output, inputs=(path,), overwrite=overwrite)
    layers = _project(path)
    pdf = print_map(layers, size=size.upper(), village=village, zone_version=zone_version, lang=lang)
    click.echo(f"wrote {write_bytes(pdf, output)}")


@main.command("export")
@click.argument("path", type=PROJECT)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="An .xlsx workbook (one sheet per group) or a .csv table.")  # fmt: skip
@click.option("--by", type=click.Choice(["village", "status", "target"]), default="village", show_default=True)
@click.option("--overwrite", is_flag=True, help="Replace an existing file that landkit did not write.")
def export(path: Path, output: Path, by: str, overwrite: bool) -> None:
    """Parcel lists for field work, by village, status or target, with the areas every report shows."""
    import pandas as pd

    from . import report
    from .io import check_output, write_bytes, write_csv
    from .schema import require_layers

    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise DataError(f"{output}: give an .xlsx or a .csv file")
    check_output(output, inputs=(path,), overwrite=overwrite)
    layers = _project(path)
    require_layers(layers, ("parcels",), where=display(path), needed_by="landkit export")
    lists = report.parcel_lists(layers, by=by)
    if output.suffix.lower() == ".xlsx":
        click.echo(f"wrote {write_bytes(report.parcel_lists_xlsx(lists, report.stamp_for(path, layers)), output)}")
    else:
        key = {"village": "村", "status": "状态", "target": "目标"}[by]
        table = pd.concat([df.assign(**{f"分组({key})": name}) for name, df in lists.items()], ignore_index=True)
        click.echo(f"wrote {write_csv(table, output, float_format='%.2f')}")


@main.command("report")
@click.argument("path", type=PROJECT)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("maps"),
              show_default=True, help="Folder for the meeting pack.")  # fmt: skip
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--overwrite", is_flag=True, help="Replace files in the folder that landkit did not write.")
@click.option("--as-of", "as_of", default=None, help="Rebuild the pack as the ledgers stood on this date.")
def report_(path: Path, out_dir: Path, rules_file: Path | None, overwrite: bool, as_of: str | None) -> None:
    """Write the meeting pack: maps, the audit as HTML and XLSX, progress charts, a summary page.

    The pack is built in a temporary folder and moved into place at the end (index.html last):
    an interrupted run leaves the previous pack as it was.
    """
    from . import report
    from .io import output_folder

    layers = _project(path)
    if as_of:
        from .ledger import parse_date
        from .schema import require_layers

        require_layers(layers, ("parcels", "events"), where=display(path), needed_by="landkit report --as-of")
        as_of = parse_date(as_of)
    with output_folder(out_dir, inputs=(path,), overwrite=overwrite) as put:
        pack = report.meeting_pack(layers, path, rules=_rules(rules_file), date=as_of, out_dir=out_dir)
        for name, data in pack.items():
            put(name, data)
    click.echo(f"wrote the meeting pack to {out_dir / 'index.html'}")
