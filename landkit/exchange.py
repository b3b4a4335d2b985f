"""The survey-exchange text of the land approval system (报部格式, 界址点坐标 TXT): read, check, write.

Every 勘测定界 survey is delivered, and every 建设用地报批 submitted, as such a file. As landkit
reads and writes it::

    [属性描述]
    格式版本号=
    数据产生单位=鲁山县自然资源局
    数据产生日期=2026-11-27
    坐标系=2000国家大地坐标系          (or 1980西安坐标系, 1954北京坐标系)
    几度分带=3                        (3 or 6; older files: 分带=3度带)
    投影类型=高斯克吕格
    计量单位=米
    带号=38                           (may be empty when the eastings carry it)
    精度=0.001
    转换参数=,,,,,,
    [地块坐标]
    5,0.0831,CB00001,马楼,面,,工业用地,,@         count,公顷,编号,名称,面/线/点,图幅号,用途,地类编码,@
    J1,1,3740752.030,38401088.613                 点号,圈号,X (northing),Y (easting, zone prefixed)
    J2,1,3740739.210,38401130.115
    J3,1,3740701.556,38401114.402
    J4,1,3740715.118,38401071.900
    J1,1,3740752.030,38401088.613                 each ring closed by repeating its first point

**Reading** (:func:`read`) is liberal: GBK/GB18030, UTF-8 with or without BOM (or the ``encoding``
given), CRLF or LF, stray spaces, blank lines, full-width commas, ``=`` and brackets, keys written
``分带``/``几度分带``/``投影带``, an area with its unit (``0.7655公顷``, ``m2``, ``亩``). The CRS comes from
坐标系, 几度分带 and 带号, or from the eastings' zone prefix (or 中央经线): CGCS2000 3° EPSG:4534-4554
(6°: 4502-4512), Xi'an 1980 2370-2390 (2338-2348), Beijing 1954 2422-2442 (21453-21463); the
coordinates are returned without the prefix, in those "CM" systems. Rings are assembled by
containment: a ring inside an odd number of the plot's other rings is a hole, any other ring an
outer boundary (a multi-part plot). Each plot is one feature: ``plot_id`` (编号), ``name``,
``kind``, ``map_sheet``, ``land_use``, ``land_class`` (地类编码), ``stated_area_ha`` and
``stated_area_mu`` (the stated figure; NaN when none is given).

**Checks** (:class:`Finding`, each naming the plot and the line): errors, which a receiving
system rejects and which refuse the import, are an unreadable line, a plot that is not an area
(线/点), a header point count that is neither the lines that follow nor those lines less the
closing points, an unclosed ring, a ring of fewer than 3 points, a point repeating the one before
(a zero-length edge), a self-intersecting ring or rings that cross, an easting whose zone prefix
disagrees with 带号 (or with the other points), coordinates that look swapped (a northing where
the easting should be), coordinates that are neither. Warnings, said and imported: a count that
leaves out the closing points, a stated area off the 2008 ellipsoidal one (``cn2008``, what
approval systems compute) by more than 1e-3 of it plus the last stated digit, a repeated 编号.

**Writing** (:func:`write`): the header from the project (its CRS, zone, 数据产生单位 from
``project_info.organisation``, the date), one plot per parcel: its id, its ``name`` (else its
id), ``land_use``, ``land_class`` (else empty), the area in 公顷 to 4 decimals by the 2008
ellipsoidal method (``measure.area(method="cn2008")``, rounded half up), outer rings clockwise
and holes anticlockwise as surveyors draw them, a vertex repeated to the millimetre once, points
J1… per plot, every ring closed, eastings with the zone prefix, in millimetres; GBK with CRLF
unless told otherwise. A project in another
CRS of CGCS2000 goes to the 3° zone of its centre. The text is read back and checked before it is
returned: a parcel that would give a refused plot refuses the whole file, by id.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import CRSError, DataError, LandkitWarning
from .i18n import t

#: Gauss-Krüger systems by datum and band width: the first zone, its prefixed EPSG, its "CM" EPSG
GK: dict[tuple[str, int], tuple[int, int, int]] = {
    ("cgcs2000", 3): (25, 4513, 4534),
    ("cgcs2000", 6): (13, 4491, 4502),
    ("xian80", 3): (25, 2349, 2370),
    ("xian80", 6): (13, 2327, 2338),
    ("beijing54", 3): (25, 2401, 2422),
    ("beijing54", 6): (13, 21413, 21453),
}
ZONES = {3: range(25, 46), 6: range(13, 24)}
DATUM_NAMES = {"cgcs2000": "2000国家大地坐标系", "xian80": "1980西安坐标系", "beijing54": "1954北京坐标系"}
#: a header key as files spell it -> the key landkit reads
KEYS = {
    "坐标系": "crs", "坐标系统": "crs", "大地基准": "crs", "坐标基准": "crs",
    "几度分带": "band", "分带": "band", "分带方式": "band", "投影带": "band", "带宽": "band",
    "带号": "zone", "投影带号": "zone", "中央经线": "cm", "中央子午线": "cm", "中央经度": "cm",
    "计量单位": "unit",
}  # fmt: skip
NORTHINGS = (1e6, 7e6)  # China lies between 18°N and 54°N: northings 2.0e6-6.0e6 m
MM = 5e-4  # two coordinates this close are the same point (the file's millimetres)
AREA_TOLERANCE = 1e-3  # a stated area may differ from the cn2008 one by this share (planar tools: up to 7e-4)


@dataclass(frozen=True)
class Finding:
    """One thing a receiving system would reject (``error``) or question (``warning``) in a file."""

    code: str
    severity: str
    plot: str
    line: int
    fields: dict = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        return t(self.code, lang, plot=self.plot, line=self.line, **self.fields)

    def __str__(self) -> str:
        return self.text("en")


class ExchangeRefused(DataError):
    """A file (or a selection of parcels) that would be rejected: ``findings`` lists every error."""

    SHOWN = 10

    def __init__(self, code: str, findings: list[Finding], **fields: Any) -> None:
        self.findings = findings
        super().__init__(code=code, count=len(findings), **fields)
        self.args = (self.text("en"),)

    def text(self, lang: str | None = None) -> str:
        lines = [t(self.code or "", lang, **self.fields), *(f"  {f.text(lang)}" for f in self.findings[: self.SHOWN])]
        if len(self.findings) > self.SHOWN:
            lines.append("  " + t("exchange.more", lang, count=len(self.findings) - self.SHOWN))
        return "\n".join(lines)


# -- reading --------------------------------------------------------------------------------------


def decode(data: bytes, encoding: str | None = None, *, where: str = "-") -> str:
    """The file's text: ``encoding`` when given, else UTF-8 (BOM or not, UTF-16 with its BOM), else GB18030."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataError(code="exchange.encoding", path=where, encoding=encoding, reason=str(exc)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def is_exchange(text: str) -> bool:
    """Whether a text is the exchange format: it has the [地块坐标] or the [属性描述] section."""
    return bool(re.search(r"^\s*[\[【]\s*(地块坐标|属性描述)\s*[\]】]", text, re.M))


def _fields(line: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[,，]", line)]
    while parts and not parts[-1]:
        parts.pop()
    return parts


def _area_ha(text: str) -> float:
    """A stated area as 公顷: ``0.7655``, ``0.7655公顷``, ``7655平方米``, ``11.48亩``; NaN when none."""
    match = re.fullmatch(r"([0-9]*\.?[0-9]+)\s*(公顷|ha|平方米|m2|m²|㎡|亩)?", text.strip(), re.I)
    if not match or float(match[1]) <= 0:
        return float("nan")
    per = {"平方米": 1e-4, "m2": 1e-4, "m²": 1e-4, "㎡": 1e-4, "亩": 1 / 15}.get((match[2] or "").lower(), 1.0)
    return float(match[1]) * per


def _number(text: str | None) -> int | None:
    match = re.search(r"\d+", text or "")
    return int(match[0]) if match else None


def _datum(text: str | None, where: str) -> str:
    said = re.sub(r"\s", "", text or "").lower()
    if "2000" in said or "cgcs" in said:
        return "cgcs2000"
    if "西安" in said or "xian" in said or "xi'an" in said or "80" in said:
        return "xian80"
    if "北京" in said or "beijing" in said or "54" in said:
        return "beijing54"
    raise CRSError(code="exchange.datum", path=where, value=text or "")


@dataclass
class _Plot:
    line: int
    count: int | None
    area_ha: float
    attrs: dict
    bad: bool = False  # a line of it cannot be used: no geometry is made for it


def _parse(text: str, where: str) -> tuple[dict[str, str], list[_Plot], pd.DataFrame, list[Finding]]:
    """The header's keys (as landkit reads them), the plots, their points (``plot``, ``line``,
    ``name``, ``ring``, and ``x``, ``y`` as text) and the lines that cannot be read."""
    header: dict[str, str] = {}
    plots: list[_Plot] = []
    findings: list[Finding] = []
    points: list[tuple[int, int, str]] = []  # (plot, line, text): split below, all at once
    section = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line:
            continue
        if line[0] in "[【" and (match := re.fullmatch(r"[\[【]\s*(\S+?)\s*[\]】]", line)):
            section = match[1]
        elif section == "属性描述":
            key, _, value = line.replace("＝", "=").partition("=")
            key = re.sub(r"\s", "", key)
            if key in KEYS:
                header[KEYS[key]] = value.strip()
        elif section == "地块坐标" and line.endswith("@"):
            parts = [*_fields(line[:-1]), "", "", "", "", "", "", "", ""]
            count = int(parts[0]) if re.fullmatch(r"\d+", parts[0]) else None
            label = parts[2] or f"#{len(plots) + 1}"
            attrs = dict(zip(("plot_id", "name", "kind", "map_sheet", "land_use", "land_class"),
                             parts[2:8], strict=True))  # fmt: skip
            plots.append(
                _Plot(number, count, _area_ha(parts[1]), attrs, bad=count is None or parts[4] not in ("", "面"))
            )
            if count is None:
                findings.append(Finding("exchange.bad_header", "error", label, number, {"text": line}))
            elif parts[4] not in ("", "面"):
                findings.append(Finding("exchange.not_area", "error", label, number, {"kind": parts[4]}))
        elif section == "地块坐标":
            points.append((len(plots) - 1, number, line))
    if section is None:
        raise DataError(code="exchange.not_exchange", path=where)
    if not plots:
        raise DataError(code="exchange.no_plots", path=where)
    pts = pd.DataFrame(points, columns=["plot", "line", "text"])
    if pts.empty:
        raise DataError(code="exchange.no_point_lines", path=where)
    split = pts["text"].str.replace("，", ",", regex=False).str.split(",", expand=True)
    split = split.reindex(columns=range(max(split.shape[1], 4))).astype(object)  # short lines: text columns
    cells = split.reindex(columns=range(4)).apply(lambda c: c.str.strip())
    # Y is everything after the third comma (a trailing comma aside): a thousands separator or a
    # stray column leaves a Y that is no number, refused, never the first four fields read as a point
    tail = split.reindex(columns=range(3, max(split.shape[1], 4))).apply(lambda c: c.str.strip().fillna(""))
    cells[3] = tail.agg(",".join, axis=1).str.rstrip(",").replace("", np.nan)
    readable = (pts["plot"] >= 0) & cells[1].str.fullmatch(r"\d+").fillna(False).astype(bool) & cells[3].notna()
    for row in pts[~readable].drop_duplicates("plot").itertuples(index=False):
        label = "-" if row.plot < 0 else plots[row.plot].attrs["plot_id"] or f"#{row.plot + 1}"
        code = "exchange.point_before_plot" if row.plot < 0 else "exchange.bad_point"
        findings.append(Finding(code, "error", label, row.line, {"text": row.text}))
        if row.plot >= 0:
            plots[row.plot].bad = True
    pts = pd.DataFrame({"plot": pts["plot"], "line": pts["line"], "name": cells[0], "ring": cells[1],
                        "x": cells[2], "y": cells[3]})[readable].reset_index(drop=True)  # fmt: skip
    if pts.empty:  # every point line unreadable: nothing to place, whatever else is said
        raise DataError(code="exchange.no_point_lines", path=where)
    pts["ring"] = pts["ring"].astype(int)
    return header, plots, pts, findings


def _crs(header: dict[str, str], eastings: np.ndarray, where: str) -> tuple[int, int]:
    """The file's zone and its "CM" EPSG code, from 坐标系, 几度分带, 带号 (or 中央经线) and the prefixes."""
    datum = _datum(header.get("crs"), where)
    said = header.get("band", "")
    band = 6 if re.search("[6六]", said) else 3 if re.search("[3三]", said) else None
    zone, cm = _number(header.get("zone")), _number(header.get("cm"))
    prefixes = np.unique(np.floor(eastings[eastings >= 1e6] / 1e6).astype(int))
    if zone is None and cm is not None and band in (3, 6):
        zone = cm // 3 if band == 3 else (cm + 3) // 6
    if zone is None and len(prefixes):
        zone = int(prefixes[0])
    if zone is None:
        raise CRSError(code="exchange.no_zone", path=where)
    if band not in (3, 6):
        band = 3 if zone in ZONES[3] else 6 if zone in ZONES[6] else 0
    if band not in (3, 6) or zone not in ZONES[band]:
        raise CRSError(code="exchange.band_zone", path=where, band=header.get("band", ""), zone=zone)
    first, _, cm_epsg = GK[(datum, band)]
    return zone, cm_epsg + zone - first


def read(data: bytes | str, *, encoding: str | None = None, where: str = "-") -> tuple[Any, list[Finding]]:
    """Read an exchange file's bytes (or text): a GeoDataFrame of its plots, in the file's CRS
    without the zone prefix, and the findings (see the module's notes). A plot with an error has
    no geometry. A file without a CRS landkit can name is refused (CRSError)."""
    import geopandas as gpd
    import shapely

    text = data if isinstance(data, str) else decode(data, encoding, where=where)
    if not is_exchange(text):
        raise DataError(code="exchange.not_exchange", path=where)
    header, plots, pts, findings = _parse(text, where)
    label = np.array([p.attrs["plot_id"] or f"#{i + 1}" for i, p in enumerate(plots)], dtype=object)
    north = pd.to_numeric(pts["x"], errors="coerce").to_numpy(dtype=float)
    east = pd.to_numeric(pts["y"], errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(north) & np.isfinite(east))

    def east_like(v):
        return ((v > 0) & (v < 1e6)) | ((v >= 13e6) & (v < 46e6))

    def north_like(v):
        return (v >= NORTHINGS[0]) & (v < NORTHINGS[1])

    placed = north_like(north) & east_like(east)
    swapped = ~placed & north_like(east) & east_like(north)
    zone, epsg = _crs(header, east[placed], where)
    prefix = np.where(east >= 1e6, np.floor(east / 1e6), zone)
    off_zone = placed & (prefix != zone)
    broken = np.array([p.bad for p in plots], dtype=bool)

    def flag(mask, code, **columns):
        """An error at the first line of each plot where ``mask`` holds."""
        hit = pd.DataFrame({"plot": pts["plot"], "line": pts["line"], **columns})[mask]
        for row in hit.drop_duplicates("plot").itertuples(index=False):
            extra = {k: getattr(row, k) for k in columns}
            findings.append(Finding(code, "error", label[row.plot], int(row.line), extra))
            broken[row.plot] = True

    flag(bad, "exchange.bad_point", text=pts["x"] + "," + pts["y"])
    flag(~bad & swapped, "exchange.swapped", x=pts["x"], y=pts["y"])
    flag(~bad & ~placed & ~swapped, "exchange.out_of_range", x=pts["x"], y=pts["y"])
    flag(off_zone, "exchange.prefix", prefix=prefix.astype(int), zone=np.full(len(pts), zone))
    east = np.where(east >= 1e6, np.round(east - prefix * 1e6, 6), east)  # no float dust below the micrometre

    # rings: a run of points of one plot with one ring number
    ring = np.r_[0, np.cumsum((np.diff(pts["plot"]) != 0) | (np.diff(pts["ring"]) != 0))] if len(pts) else []
    ring = np.asarray(ring, dtype=int)
    xy = np.column_stack([east, north])
    starts = np.flatnonzero(np.r_[True, np.diff(ring) != 0]) if len(pts) else np.array([], int)
    ends = np.r_[starts[1:], len(pts)] - 1
    ring_plot = pts["plot"].to_numpy()[starts]
    ring_no = pts["ring"].to_numpy()[starts]
    lines = pts["line"].to_numpy()
    closed = np.all(np.abs(xy[starts] - xy[ends]) < MM, axis=1)
    sizes = ends - starts + 1
    step = np.r_[False, (np.diff(ring) == 0) & np.all(np.abs(np.diff(xy, axis=0)) < MM, axis=1)] if len(pts) else []
    for r in np.flatnonzero(~closed & ~broken[ring_plot]).tolist():
        findings.append(Finding("exchange.unclosed", "error", label[ring_plot[r]], int(lines[ends[r]]),
                                {"ring": int(ring_no[r]), "first": pts["name"][starts[r]]}))  # fmt: skip
        broken[ring_plot[r]] = True
    for r in np.flatnonzero(closed & (sizes < 4) & ~broken[ring_plot]).tolist():
        findings.append(Finding("exchange.short_ring", "error", label[ring_plot[r]], int(lines[starts[r]]),
                                {"ring": int(ring_no[r]), "points": int(sizes[r] - 1)}))  # fmt: skip
        broken[ring_plot[r]] = True
    flag(np.asarray(step, dtype=bool) & ~broken[pts["plot"].to_numpy()], "exchange.zero_length", name=pts["name"])

    # the point counts: the lines that follow, closing points included
    found = np.bincount(pts["plot"], minlength=len(plots)) if len(pts) else np.zeros(len(plots), int)
    rings_of = np.bincount(ring_plot, minlength=len(plots)) if len(pts) else np.zeros(len(plots), int)
    for i, plot in enumerate(plots):
        if plot.count is None or plot.count == found[i]:
            continue
        open_count = plot.count == found[i] - rings_of[i] and found[i]
        fields = {"stated": plot.count, "found": int(found[i])}
        findings.append(Finding("exchange.count_open" if open_count else "exchange.count",
                                "warning" if open_count else "error", label[i], plot.line, fields))  # fmt: skip
        broken[i] |= not open_count
    for i in np.flatnonzero(found == 0).tolist():
        if not broken[i]:
            findings.append(Finding("exchange.no_points", "error", label[i], plots[i].line))
            broken[i] = True

    # geometry: each sound ring, then each plot by containment
    sound = ~broken[ring_plot]
    rings = np.full(len(starts), None, dtype=object)
    if sound.any():
        keep = sound[ring]
        rings[sound] = shapely.linearrings(xy[keep], indices=np.unique(ring[keep], return_inverse=True)[1])
    for r in np.flatnonzero(sound & ~shapely.is_simple(rings)).tolist():
        where_xy = _where(shapely.polygons(rings[r]))
        findings.append(Finding("exchange.self_intersection", "error", label[ring_plot[r]], int(lines[starts[r]]),
                                {"ring": int(ring_no[r]), **where_xy}))  # fmt: skip
        broken[ring_plot[r]] = True
    geometry = np.full(len(plots), None, dtype=object)
    bounds = np.searchsorted(ring_plot, np.arange(len(plots) + 1))  # each plot's rings: bounds[i]:bounds[i + 1]
    single = ~broken & (np.diff(bounds) == 1)
    geometry[single] = shapely.polygons(rings[bounds[:-1][single]])
    for i in np.flatnonzero(~broken & (np.diff(bounds) > 1)).tolist():
        geometry[i] = _assemble(shapely.polygons(rings[bounds[i] : bounds[i + 1]]))
    for i in np.flatnonzero(~broken & ~shapely.is_valid(geometry)).tolist():
        findings.append(Finding("exchange.rings_cross", "error", label[i], plots[i].line, _where(geometry[i])))
        geometry[i] = None

    frame = pd.DataFrame([p.attrs for p in plots])
    frame["stated_area_ha"] = [p.area_ha for p in plots]
    frame["stated_area_mu"] = frame["stated_area_ha"] * 15
    gdf = gpd.GeoDataFrame(frame, geometry=list(geometry), crs=f"EPSG:{epsg}")
    findings += _area_findings(gdf, label, [p.line for p in plots])
    seen = pd.Series([p.attrs["plot_id"] for p in plots])
    for i in np.flatnonzero(seen.duplicated().to_numpy() & (seen != "").to_numpy()).tolist():
        findings.append(Finding("exchange.duplicate_id", "warning", label[i], plots[i].line))
    findings.sort(key=lambda f: f.line)
    return gdf, findings


def _where(geom) -> dict:
    """Where GEOS says a ring or plot goes wrong, in the file's axes: X (northing) and Y (easting)."""
    import shapely

    match = re.search(r"\[([-\d.e+]+) ([-\d.e+]+)", shapely.is_valid_reason(geom) or "")
    return {"x": f"{float(match[2]):.3f}", "y": f"{float(match[1]):.3f}"} if match else {"x": "?", "y": "?"}


def _assemble(polygons: np.ndarray):
    """One plot from its rings: a ring inside an odd number of the others is a hole of the
    smallest outer ring around it; every other ring is an outer boundary (a part)."""
    import shapely

    if len(polygons) == 1:
        return polygons[0]
    inside = shapely.contains(polygons[None, :], polygons[:, None])  # [i, j]: j holds i
    inside[np.diag_indices(len(polygons))] = False
    depth = inside.sum(axis=1)
    parts = []
    for i in np.flatnonzero(depth % 2 == 0).tolist():
        holes = np.flatnonzero((depth == depth[i] + 1) & inside[:, i])
        parts.append(shapely.Polygon(polygons[i].exterior, [polygons[j].exterior for j in holes]))
    if not parts:  # rings that hold each other: the same ring twice
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _area_findings(gdf, label: np.ndarray, lines: list[int]) -> list[Finding]:
    from .measure import area

    stated = gdf["stated_area_ha"].to_numpy(dtype=float)
    if not np.isfinite(stated).any() or gdf.geometry.isna().all():
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an old datum's ballpark shift moves areas by about 1e-5: below the tolerance
        computed = area(gdf, unit="ha", method="cn2008").to_numpy(dtype=float)
    off = np.abs(stated - computed) > AREA_TOLERANCE * computed + 0.00005
    return [
        Finding("exchange.area", "warning", label[i], lines[i],
                {"stated": f"{stated[i]:.4f}", "computed": f"{computed[i]:.4f}"})
        for i in np.flatnonzero(np.isfinite(stated) & np.isfinite(computed) & off)
    ]  # fmt: skip


def read_file(path: str | Path, *, encoding: str | None = None) -> Any:
    """Read an exchange file for import: its plots (GeoDataFrame with a CRS); every error refuses the
    file (:class:`ExchangeRefused`, each naming its plot and line), every warning is warned."""
    path = Path(path)
    gdf, findings = read(path.read_bytes(), encoding=encoding, where=str(path))
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ExchangeRefused("exchange.refused", errors, path=str(path))
    for f in findings:
        warnings.warn(LandkitWarning(code=f.code, plot=f.plot, line=f.line, **f.fields), stacklevel=2)
    return gdf


# -- writing --------------------------------------------------------------------------------------


def _gk(crs) -> tuple[str, int, int, bool] | None:
    """(datum, band, zone, prefixed) of a Gauss-Krüger CRS of the table, else None."""
    epsg = crs.to_epsg() if crs is not None else None
    for (datum, band), (first, prefixed, cm) in GK.items():
        n = len(ZONES[band])
        if epsg is not None and prefixed <= epsg < prefixed + n:
            return datum, band, first + epsg - prefixed, True
        if epsg is not None and cm <= epsg < cm + n:
            return datum, band, first + epsg - cm, False
    return None


def select(layers: dict, *, target: str | None = None, status: str | None = None, village: str | None = None,
           parcels: str | list[str] | None = None) -> Any:  # fmt: skip
    """The project's parcels that every selector given names: a target's (by id or name: a task's
    listed parcels, a stock's parcels now in its status), those in a status (code or Chinese), a
    village's (code, name or pinyin), or ids (a list, or text separated by commas or spaces)."""
    from .reserve import targets
    from .schema import PARCEL_STATUSES, as_code

    chosen = layers["parcels"]
    if target is not None:
        found = [x for x in targets(layers) if target.strip() in (x.id, x.name)]
        if not found:
            known = ", ".join(f"{x.id} ({x.name})" for x in targets(layers)) or "-"
            raise DataError(code="exchange.unknown_target", target=target, known=known)
        goal = found[0]
        if goal.kind == "task":
            members = chosen.index.astype(str).isin(goal.parcels)
        else:
            members = (chosen["status"] == goal.status).to_numpy()
            if goal.project:
                members = members & (chosen.get("project", pd.Series(index=chosen.index)) == goal.project).to_numpy()
        chosen = chosen[members]
    if status is not None:
        code = as_code(status, PARCEL_STATUSES)
        if code is None:
            raise DataError(code="exchange.unknown_status", status=status, known=", ".join(PARCEL_STATUSES))
        chosen = chosen[chosen["status"] == code]
    if village is not None:
        from .maps import find_village

        code = find_village(layers.get("villages"), village)
        chosen = chosen[chosen["village_code"].astype(str) == str(code)]
    if parcels is not None:
        ids = re.split(r"[\s,，;；]+", parcels.strip()) if isinstance(parcels, str) else list(map(str, parcels))
        ids = [i for i in ids if i]
        missing = [i for i in ids if i not in set(layers["parcels"].index.astype(str))]
        if missing:
            raise DataError(code="exchange.unknown_parcels", ids=", ".join(missing[:10]), count=len(missing))
        chosen = chosen[chosen.index.astype(str).isin(ids)]
    if not len(chosen):
        raise DataError(code="exchange.nothing_selected")
    return chosen


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()


def write(
    parcels: Any,
    *,
    info: dict | None = None,
    encoding: str = "gbk",
    newline: str = "\r\n",
    date: str | dt.date | None = None,
) -> bytes:
    """The parcels as an exchange file's bytes (see the module's notes); refuses, before returning
    anything, every parcel that would give a plot a receiving system rejects (ExchangeRefused)."""
    import shapely
    from pyproj import CRS

    from .crs import gk_zone_epsg, old_datum
    from .measure import area
    from .units import shown

    crs = CRS.from_user_input(parcels.crs) if parcels.crs is not None else None
    if _gk(crs) is None:
        if crs is None or old_datum(crs):
            raise CRSError(code="exchange.write_crs", crs=crs.name if crs is not None else "-")
        lon = parcels.to_crs(4490).union_all().centroid.x
        parcels = parcels.to_crs(gk_zone_epsg(lon))
        crs = CRS.from_user_input(parcels.crs)
    datum, band, zone, prefixed = _gk(crs)  # type: ignore[misc]
    ids = parcels.index.astype(str)
    problems: list[Finding] = []
    geoms = parcels.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    for i in np.flatnonzero(empty | ~polygonal).tolist():
        problems.append(Finding("exchange.no_geometry", "error", ids[i], 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hectares = shown(area(parcels, unit="ha", method="cn2008").to_numpy(dtype=float), 4)
    date_text = date.isoformat() if isinstance(date, dt.date) else (date or dt.date.today().isoformat())
    head = [
        "[属性描述]", "格式版本号=", f"数据产生单位={_text((info or {}).get('organisation'))}",
        f"数据产生日期={date_text}", f"坐标系={DATUM_NAMES[datum]}", f"几度分带={band}", "投影类型=高斯克吕格",
        "计量单位=米", f"带号={zone}", "精度=0.001", "转换参数=,,,,,,", "[地块坐标]",
    ]  # fmt: skip
    shift = 0.0 if prefixed else zone * 1e6
    column = lambda name: [_text(v) for v in parcels.get(name, pd.Series(index=parcels.index)).to_numpy()]  # noqa: E731
    names, uses, classes = column("name"), column("land_use"), column("land_class")
    # every point at once: a vertex repeated (to the millimetre) is written once (the same outline,
    # no zero-length edge); outer rings clockwise, holes anticlockwise
    shapes = shapely.orient_polygons(shapely.remove_repeated_points(np.where(empty | ~polygonal, None, geoms), MM),
                                     exterior_cw=True)  # fmt: skip
    parts, of_part = shapely.get_parts(shapes, return_index=True)
    rings, of_ring = shapely.get_rings(parts, return_index=True)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    owner = of_part[of_ring][ring]  # each point's parcel
    first = np.r_[True, np.diff(ring) != 0] if len(ring) else np.zeros(0, bool)
    closing = np.r_[first[1:], True] if len(ring) else first
    bounds = np.searchsorted(owner, np.arange(len(ids) + 1))  # each parcel's points: bounds[i]:bounds[i + 1]
    start = bounds[owner]
    number = np.cumsum(~closing)  # J numbers run on through a parcel's rings
    number = number - np.r_[0, number][start]
    number[closing] = number[np.searchsorted(ring, ring[closing])]  # a ring's closing point repeats its first
    ring_no = np.cumsum(first)
    ring_no = ring_no - np.r_[0, ring_no][start]
    east, north = xy[:, 0] + shift, xy[:, 1]
    points = [
        f"J{n},{r},{y:.3f},{x:.3f}" for n, r, y, x in zip(number.tolist(), ring_no.tolist(), north, east, strict=True)
    ]
    chunks = [newline.join(head) + newline]
    for i, pid in enumerate(ids):
        if empty[i] or not polygonal[i]:
            continue
        texts = (pid, names[i] or pid, uses[i], classes[i])
        if any(re.search(r"[,，@\r\n]", v) for v in texts):
            bad = next(v for v in texts if re.search(r"[,，@\r\n]", v))
            problems.append(Finding("exchange.separator", "error", pid, 0, {"field": bad}))
            continue
        plot = f"{bounds[i + 1] - bounds[i]},{hectares[i]:.4f},{pid},{texts[1]},面,,{texts[2]},{texts[3]},@"
        try:
            plot.encode(encoding)
        except UnicodeEncodeError as exc:
            problems.append(Finding("exchange.unencodable", "error", pid, 0,
                                    {"char": exc.object[exc.start : exc.end], "encoding": encoding}))  # fmt: skip
            continue
        chunks.append(newline.join([plot, *points[bounds[i] : bounds[i + 1]]]) + newline)
    text = "".join(chunks)
    if len(chunks) > 1:  # what it says is what a receiving system would take: read it back
        _, findings = read(text, where="-")
        problems += [f for f in findings if f.severity == "error" or f.code == "exchange.area"]
    if problems:
        raise ExchangeRefused("exchange.export_refused", problems)
    return text.encode(encoding)
