"""A project, whichever backend holds it: the one object the rest of landkit opens.

:func:`open_project` takes what the user typed (a GeoPackage's path, or a PostgreSQL URL) and
returns a :class:`GeoPackage` or a :class:`Database`. Both answer the same questions (its layers,
its identity, how to name it) and take the same writes (layers, ledgers, QGIS styles); the choice
of backend is made here, once, and nowhere else.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath
from typing import Any

from ..errors import DataError, LayerExistsError
from . import gpkg, pg_write, postgis


@dataclass
class MapSources:
    """A project's map layers as QGIS opens them: each layer's CRS, data source and extent."""

    name: str  # the file's stem or the schema: the title when project_info has none
    provider: str  # "ogr" or "postgres"
    crs: dict  # layer -> pyproj.CRS
    sources: dict[str, str]  # layer -> QGIS data source
    info: dict[str, str]  # project_info
    boxes: dict  # layer -> (xmin, ymin, xmax, ymax) in the layer's CRS, (None,) when it has no features


def qgis_layer_path(target: PurePath, folder: PurePath) -> str:
    r"""The path of the file ``target`` as a QGIS project in ``folder`` writes it (both absolute).

    On the same drive or share: relative, ``./name`` or ``../dir/name`` with forward slashes, the
    folders' names as they are (QGIS joins it to the project's folder text as it is: ``%``, ``#``,
    spaces and Chinese stay; ``%20`` written ``%2520`` would name another folder). On another drive
    or share: absolute, with forward slashes, as QGIS writes it (``D:/…``, ``//server/share/…``).
    Windows paths compare without case, as Windows and QGIS do; ``..`` is resolved in the text,
    as QGIS resolves it (never through links).

    Examples
    --------
    >>> qgis_layer_path(PureWindowsPath(r"C:\项目\lushan.gpkg"), PureWindowsPath(r"C:\项目\maps"))
    '../lushan.gpkg'
    >>> qgis_layer_path(PureWindowsPath(r"\\server\share\项目\lushan.gpkg"), PureWindowsPath(r"\\server\other"))
    '//server/share/项目/lushan.gpkg'
    """
    import ntpath
    import posixpath

    flavour = ntpath if isinstance(target, PureWindowsPath) else posixpath  # ntpath: drives, shares, no case
    try:
        rel = flavour.relpath(str(target), str(folder)).replace("\\", "/")
    except ValueError:  # another drive or share: no relative path exists
        return type(target)(flavour.normpath(str(target))).as_posix()
    return rel if rel.startswith("../") else "./" + rel


def _wanted(names: list[str], only: Iterable[str] | None) -> list[str]:
    """The project's layers ``names`` that ``only`` asks for (all without it), in the project's order."""
    wanted = None if only is None else set(only)
    return names if wanted is None else [name for name in names if name in wanted]


class Project:
    """A landkit project. Use :func:`open_project`; the subclasses are its two backends."""

    #: how outputs name the project's identity (stamped on every file of the pack)
    identity: str = "file sha256"
    #: whether QGIS styles are stored in the project itself (a file); a database's travel in the QGIS project
    holds_styles: bool = False
    #: the project's file, made absolute as typed (a mapped drive stays its letter); None for a database
    local_file: Path | None = None

    def __init__(self, where: Any) -> None:
        self.where = where

    def __str__(self) -> str:
        return self.display()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.display()!r})"

    # what every backend answers
    def display(self) -> str:
        """How every output names the project: the file's path, or the URL with its password masked."""
        raise NotImplementedError

    def check(self) -> str:
        """Raise a DataError unless the project is intact and reachable; return :meth:`display`."""
        raise NotImplementedError

    def layers(self) -> list[str]:
        """The names of the project's layers and tables."""
        raise NotImplementedError

    def read(self, layer: str, *, engine: str | None = None) -> Any:
        """One layer, indexed by its id with dates parsed (:func:`landkit.store.read_layer`)."""
        raise NotImplementedError

    def read_all(self, *, engine: str | None = None, only: Iterable[str] | None = None) -> dict[str, Any]:
        """Every layer (or those of ``only`` the project has), read in one consistent state."""
        raise NotImplementedError

    def sha256(self) -> str:
        """The project's identity (:attr:`identity`): the file's bytes, or a database's content."""
        raise NotImplementedError

    def describe(self) -> dict[str, dict[str, Any]] | None:
        """Every layer's ``features``, ``geometry_type`` and ``crs`` without reading its rows, when the
        backend can say so in one pass (:func:`landkit.store.gpkg.describe`); else None."""
        return None

    def read_geometries(self, described: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        """The geometries (only) of the ``described`` layers, in one pass (:meth:`describe`)."""
        raise NotImplementedError

    def crs(self, layer: str) -> Any:
        """The CRS of a layer, or None when the project (or the layer) does not exist yet."""
        raise NotImplementedError

    def geometry_type(self, layer: str, df: Any) -> str | None:
        """A layer's geometry type as the project declares it (``df`` is the layer as read)."""
        if not hasattr(df, "crs"):
            return None
        kinds = sorted(set(df.geom_type.dropna()))
        return "/".join(kinds) if kinds else "Unknown"

    def writing(self, *, dry_run: bool = False) -> contextlib.AbstractContextManager[Any]:
        """A Writer inside one transaction (:func:`landkit.store.writing`)."""
        raise NotImplementedError

    def write_layers(
        self, frames: Mapping[str, Any], *, overwrite: bool, new_project: bool, **options: Any
    ) -> list[dict]:
        """Write the layers (already in the disk shape) in one transaction; return notes to warn of
        (each a warning's catalogue ``code`` and its fields).

        ``options``: ``engine`` (a file's GDAL engine), ``check`` and ``after`` (called with a Writer
        and the replaced names, inside the transaction: the history guard, the ledgers' follow-up)."""
        raise NotImplementedError

    def map_sources(self, wanted: Iterable[str], out_dir: Path) -> MapSources:
        """The ``wanted`` map layers as a QGIS project in ``out_dir`` opens them."""
        raise NotImplementedError

    def write_styles(self, styles: Mapping[str, tuple[str, str, str]], style_name: str) -> dict[str, str]:
        """Store QGIS styles (layer -> (QML, SLD, description)) in the project; see :attr:`holds_styles`."""
        raise DataError(code="store.styles_in_files", where=self.display())

    def write_lineage(self, new_layers: Mapping[str, Any], apply: Any, *, engine: str | None = None) -> None:
        """One transaction: create the layers of ``new_layers`` (frames in the disk shape, giving the
        columns and CRS) that the project lacks, then ``apply(writer)``: a Writer that also has
        ``geometry_column``, ``insert_features`` and ``delete`` (the lineage of parcels)."""
        raise DataError(code="store.lineage_backend", where=self.display())


class GeoPackage(Project):
    """A project in a GeoPackage file (SQLite): the embedded default, open in QGIS beside landkit."""

    holds_styles = True

    def __init__(self, where: Any) -> None:
        super().__init__(local_path(where, refusal="store.url_as_path"))
        self.path: Path = self.where

    @property
    def local_file(self) -> Path:  # type: ignore[override]
        return Path(os.path.abspath(self.path))

    def display(self) -> str:
        return str(self.path)

    def check(self) -> str:
        return str(gpkg.check_geopackage(self.path))

    def layers(self) -> list[str]:
        return gpkg.list_layers(self.path)

    def read(self, layer: str, *, engine: str | None = None) -> Any:
        from . import _read

        return _read(self.path, layer, self.layers(), engine)

    def read_all(self, *, engine: str | None = None, only: Iterable[str] | None = None) -> dict[str, Any]:
        from . import _read

        # listed in one SQLite pass, and each layer read with GDAL shown that layer alone: GDAL's own
        # open is proportional to all the file's tables (gpkg.describe, gpkg.alone)
        self.check()
        described = gpkg.describe(self.path)
        if described is None:  # a file whose layers GDAL names its own way
            names = self.layers()
            return {name: _read(self.path, name, names, engine) for name in _wanted(names, only)}
        names = list(described)
        return {
            name: _read(self.path, name, names, engine, only=described[name]["registered"])
            for name in _wanted(names, only)
        }

    def describe(self) -> dict[str, dict[str, Any]] | None:
        return gpkg.describe(self.path)

    def read_geometries(self, described: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        return gpkg.read_geometries(self.path, described)

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with open(self.path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def crs(self, layer: str) -> Any:
        if not self.path.exists() or layer not in self.layers():
            return None
        import pyogrio

        return pyogrio.read_info(self.path, layer=layer)["crs"] or None

    def geometry_type(self, layer: str, df: Any) -> str | None:
        if not hasattr(df, "crs"):
            return None
        import pyogrio

        return pyogrio.read_info(self.path, layer=layer)["geometry_type"]

    @contextlib.contextmanager
    def writing(self, *, dry_run: bool = False) -> Iterator[Any]:
        with gpkg.transaction(self.path, dry_run=dry_run) as db:
            yield gpkg.Writer(db, dry_run=dry_run)

    def write_layers(
        self, frames: Mapping[str, Any], *, overwrite: bool, new_project: bool, **options: Any
    ) -> list[dict]:
        from . import _engine

        engine, check, after = options.get("engine"), options["check"], options["after"]
        if new_project and self.path.exists() and not overwrite:
            raise LayerExistsError(code="store.file_exists", path=self.path)
        if not self.path.exists():
            gpkg.create_project(frames, self.path, engine=_engine(engine))
            return []
        lost = gpkg.replace_layers(
            frames,
            self.path,
            engine=_engine(engine),
            overwrite=overwrite,
            check=lambda db, names: check(gpkg.Writer(db), names),
            after=lambda db, names: after(gpkg.Writer(db), names),
        )
        if not lost:
            return []
        return [{"code": "store.lost_indexes", "names": ", ".join(lost)}]

    def map_sources(self, wanted: Iterable[str], out_dir: Path) -> MapSources:
        path = gpkg.check_geopackage(self.path)
        crs, boxes, info = gpkg.map_layers(path, wanted)
        relative = qgis_layer_path(self.local_file, Path(os.path.abspath(out_dir)))
        sources = {name: f"{relative}|layername={name}" for name in crs}
        return MapSources(self.path.stem, "ogr", crs, sources, info, boxes)

    def write_styles(self, styles: Mapping[str, tuple[str, str, str]], style_name: str) -> dict[str, str]:
        return gpkg.write_styles(gpkg.check_geopackage(self.path), styles, style_name)

    def write_lineage(self, new_layers: Mapping[str, Any], apply: Any, *, engine: str | None = None) -> None:
        from . import _engine

        gpkg.write_lineage(self.path, new_layers, apply, engine=_engine(engine))


class Database(Project):
    """A project in a schema of a PostgreSQL/PostGIS database, named by its URL (several teams at once)."""

    identity = "content sha256"  # a database has no file bytes: its layers' content hash

    def __init__(self, where: Any) -> None:
        super().__init__(str(as_url(where)))
        self.url: str = self.where

    def display(self) -> str:
        return postgis.display(self.url)

    def check(self) -> str:
        return postgis.check(self.url)

    def layers(self) -> list[str]:
        return postgis.list_layers(self.url)

    def read(self, layer: str, *, engine: str | None = None) -> Any:
        from . import _checked

        return _checked(postgis.read_table(self.url, layer), layer, self.display())

    def read_all(self, *, engine: str | None = None, only: Iterable[str] | None = None) -> dict[str, Any]:
        from . import _checked

        names = None if only is None else _wanted(self.layers(), only)
        return {name: _checked(df, name, self.display()) for name, df in postgis.read_tables(self.url, names).items()}

    def sha256(self) -> str:
        from . import content_hash

        return content_hash(self.read_all())

    def crs(self, layer: str) -> Any:
        return postgis.layer_crs(self.url, layer)

    @contextlib.contextmanager
    def writing(self, *, dry_run: bool = False) -> Iterator[Any]:
        with postgis.writing(self.url, dry_run=dry_run) as writer:
            yield writer

    def write_layers(
        self, frames: Mapping[str, Any], *, overwrite: bool, new_project: bool, **options: Any
    ) -> list[dict]:
        check, after = options["check"], options["after"]
        pg_write.write_layers(self.url, frames, overwrite=overwrite, new_project=new_project, check=check, after=after)
        return []

    def write_lineage(self, new_layers: Mapping[str, Any], apply: Any, *, engine: str | None = None) -> None:
        postgis.write_lineage(self.url, new_layers, apply)

    def map_sources(self, wanted: Iterable[str], out_dir: Path) -> MapSources:
        schema, crs, sources, boxes, info = postgis.map_layers(self.url, wanted)
        return MapSources(schema, "postgres", crs, sources, info, boxes)


def as_url(path: Any) -> str | None:
    """The database URL ``path`` names, or None for a file: a URL as given, or one that was turned
    into a path (``pathlib`` folds its ``//`` into ``/``: ``postgresql:/user:pw@host/db``).

    Examples
    --------
    >>> from pathlib import PurePosixPath
    >>> as_url(PurePosixPath("postgresql://planner@db/land?schema=lushan"))
    'postgresql://planner@db/land?schema=lushan'
    >>> as_url("data/lushan.gpkg") is None
    True
    """
    if postgis.is_url(path):
        return str(path).strip()
    if not isinstance(path, str | os.PathLike):
        return None
    text = os.fspath(path)
    text = text.replace("\\", "/") if isinstance(text, str) else ""
    for scheme in postgis.SCHEMES:
        folded = scheme[:-1]  # "postgresql:/"
        if text.lower().startswith(folded):
            return scheme + text[len(folded) :].lstrip("/")
    return None


def local_path(where: Any, *, refusal: str) -> Path:
    """A file's path; a database URL (as text, or turned into a path) is refused with the catalogue
    code ``refusal`` (its field ``url``), which says what to do instead."""
    url = as_url(where)
    if url is not None:
        raise DataError(code=refusal, url=postgis.display(url))
    return Path(where)


def file_of(where: Any) -> Path | None:
    """The file ``where`` names, or None for a project in a database (which no file output can replace)."""
    return None if as_url(where) is not None else Path(where)


def open_project(where: Any) -> Project:
    """The project ``where`` names: a :class:`Database` for a ``postgresql://`` URL (a str), else a
    :class:`GeoPackage` file. A Project passes through; a URL turned into a path is refused."""
    if isinstance(where, Project):
        return where
    return Database(where) if postgis.is_url(where) else GeoPackage(where)


def location(value: Any) -> str | Path:
    """What the user typed, as the library takes it: a URL stays the text it is, else a Path."""
    return str(value).strip() if postgis.is_url(value) else Path(value)


def mask(text: str, typed: Iterable[str] = ()) -> str:
    """``text`` with the password of every project URL among ``typed`` masked (raw and %-quoted)."""
    for word in typed:
        if postgis.is_url(word):
            text = postgis.mask_any(word, text)
    return text
