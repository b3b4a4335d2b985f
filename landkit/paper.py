"""Printed maps for the file: one landscape PDF page with title, legend, scale, north arrow and notes.

Drawn with matplotlib's PDF backend on a ``Figure`` of its own (no pyplot state), in a projected
CRS in metres, at a stated scale that is exact: the map's limits are set from the frame's width
on paper and a round scale (1:25 000), so a ruler on the printed page measures the ground.
Text is embedded (TrueType, ``pdf.fonttype`` 42, or Type 3 glyphs for a CFF-flavoured font, see
:mod:`landkit.fonts`): it can be searched and copied. A name with a character no font found has is
refused, never drawn as a box.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from .crs import lonlat_extent, map_crs, metric_crs
from .errors import DataError
from .i18n import LANGUAGES, section
from .maps import BATCH_COLOURS, LAYER_COLOURS, STATUS_COLOURS, ZONE_COLOURS, _data_date, _title, find_village
from .schema import is_illustrative, project_info
from .schema import label as status_label

#: Paper sizes, landscape, in mm.
SIZES = {"A3": (420.0, 297.0), "A4": (297.0, 210.0)}
_NICE = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)  # scales 1:1 000, 1:1 500, ... 1:8 000, 1:10 000
# The HTML maps draw these with literals; they are named here until maps.py names them.
# one palette for the HTML maps, the paper and QGIS: landkit.maps
COMMUNITY_COLOUR, ROAD_COLOUR = LAYER_COLOURS["communities"], LAYER_COLOURS["roads"]
FACILITY_COLOUR, FINDING_COLOUR, UNKNOWN = (
    LAYER_COLOURS["facilities"],
    LAYER_COLOURS["findings"],
    LAYER_COLOURS["unknown"],
)
OTHER_PARCELS = "#e0e0e0"


def _clip(value, limit: int = 40) -> str:
    """Attribute text as one short line: control characters out, long names cut with an ellipsis."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _nice_scale(needed: float) -> int:
    """The smallest round scale denominator (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at least ``needed``."""
    exp = 10 ** math.floor(math.log10(max(needed, 1.0)))
    return int(next((m * exp for m in (*_NICE, 10) if m * exp >= needed * (1 - 1e-9)), 10 * exp))


def _bar_length(metres: float) -> float:
    """A 1-2-5 length in metres at most ``metres``."""
    exp = 10 ** math.floor(math.log10(metres))
    return max(m * exp for m in (1, 2, 5) if m * exp <= metres)


def _plot_crs(frame: gpd.GeoDataFrame) -> CRS:
    """The layers' CRS if it is a projection in metres, else their CGCS2000 Gauss-Krüger zone (UTM abroad)."""
    if metric_crs(frame) is None:
        return CRS.from_user_input(frame.crs)
    extent = lonlat_extent(frame)
    return CRS.from_user_input(frame.crs) if extent is None else map_crs(extent)  # anywhere on Earth


def _pick_village(villages, key) -> tuple[str, str]:
    """The village ``key`` names: its code or name, with or without 村, or its pinyin (as the maps match)."""
    code = find_village(villages, str(key))
    return code, _clip(villages.loc[code, "name"], 30)


def _subject(layers, g: dict[str, Any], *, village, zone_version, title, lang) -> tuple[str, str, pd.Series, list]:
    """The title and subtitle, which parcels are the map's subject, and the shapes it must show
    whole (:func:`_framing`)."""
    t, w = section("map", lang), section("paper", lang)
    parcels, zones = g["parcels"], g.get("planning_zones", gpd.GeoDataFrame({"version": []}, geometry=[]))
    project = _title(layers, title if village is None and zone_version is None else None, lang)
    if village is not None:
        code, name = _pick_village(g.get("villages"), village)
        focus = parcels["village_code"] == code if "village_code" in parcels else pd.Series(False, index=parcels.index)
        shapes = [g["villages"].geometry.loc[[code]], parcels.geometry[focus]]
        return title or w["village_map"].format(name=name, code=code), project, focus, shapes
    if zone_version is not None:
        known = sorted(int(v) for v in zones["version"])
        if zone_version not in known:
            raise DataError(f"no planning-zone version {zone_version}; the project has versions {known or 'none'}")
        g["planning_zones"] = zones = zones[zones["version"] == zone_version]
        row = zones.iloc[0]
        heading = f"{t['zone']} {t['version'].format(n=zone_version)} · {row['stated_area_km2']:g} km²"
        subtitle = f"{project} · {_clip(row['name'])}"
        return title or heading, subtitle, parcels.representative_point().within(row.geometry), [zones.boundary]
    # the zone map: the whole zone (every version, drawn as outlines), every village, community,
    # road and facility, as the QGIS layout frames them; not only the parcels (汇源 lies south of them)
    shapes = [g[k].boundary if k == "planning_zones" else g[k].geometry for k in _ZONE_LAYERS if k in g and len(g[k])]
    shapes = shapes or [v.geometry for k, v in g.items() if k != "county"]
    return project, "", pd.Series(True, index=parcels.index), shapes


#: What the zone map frames: the zone's own layers, never the context (county, 三区三线).
_ZONE_LAYERS = ("parcels", "planning_zones", "villages", "communities", "roads", "facilities")


def _framing(shapes: list, frame: tuple[float, float, float, float]) -> tuple[int, tuple, tuple]:
    """The round scale and the ground limits (x, y) of a map ``frame`` (mm on paper) that shows
    ``shapes`` whole: a margin of 4 % (at least 50 m) around them, and none under the scale bar or
    the north arrow (else the next round scale, a few at most)."""
    geoms = np.concatenate([np.asarray(s, dtype=object) for s in shapes]) if shapes else np.array([], dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if not len(geoms):
        raise DataError("there is nothing to draw: every spatial layer of the project is empty or missing")
    x0, y0, x1, y1 = shapely.total_bounds(geoms).tolist()
    pad = max(0.04 * max(x1 - x0, y1 - y0), 50.0)
    scale = _nice_scale(max((x1 - x0 + 2 * pad) / frame[2], (y1 - y0 + 2 * pad) / frame[3]) * 1000)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    for _ in range(6):
        f = scale / 1000.0  # ground metres per mm of paper
        xlim, ylim = (cx - frame[2] * f / 2, cx + frame[2] * f / 2), (cy - frame[3] * f / 2, cy + frame[3] * f / 2)
        covered = _furniture_boxes(xlim, ylim, f)
        shapely.prepare(covered)
        if not shapely.intersects(covered, geoms).any():
            break
        scale = _nice_scale(scale + 1)
    return scale, xlim, ylim


def _furniture_boxes(xlim, ylim, f: float):
    """Where :func:`_furniture` draws the scale bar's box and the north arrow's, in ground units."""
    bar = _bar_length((xlim[1] - xlim[0]) / 5)
    left, bottom = xlim[0] + 3 * f, ylim[0] + 3 * f
    scale_box = shapely.box(left, bottom, left + max(bar + 16 * f, 48 * f), bottom + 17 * f)
    north = shapely.box(xlim[1] - 18 * f, ylim[1] - 24 * f, xlim[1] - 6 * f, ylim[1] - 4 * f)
    return shapely.union(scale_box, north)


def print_map(
    layers: dict,
    *,
    size: str = "A3",
    village: str | None = None,
    zone_version: int | None = None,
    findings=None,
    lang: str = "zh",
    title: str | None = None,
) -> bytes:
    """Draw a one-page landscape PDF map of the zone, one village or one zone version; return its bytes.

    ``village`` is a village's code or name; ``zone_version`` a planning-zone version number.
    ``findings`` are shapes as :func:`landkit.maps.zone_map` takes them, or the audit's table
    (drawn on the parcels it names). The PDF's Keywords say the CRS, scale, ground extent and
    the map frame's place on the page (mm from the lower left), for tools that georeference it.

    Notes
    -----
    The scale is exact on paper: the frame's limits are its width and height in mm times the
    stated scale. Areas in the legend are the stated ones; measured areas are ellipsoidal.

    Examples
    --------
    >>> import landkit
    >>> print_map(landkit.read_project(landkit.SAMPLE_PATH), size="A4")[:5]
    b'%PDF-'
    """
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from . import __version__, fonts
    from .report import finding_shapes

    if size not in SIZES:
        raise ValueError(f"unknown paper size {size!r}; use one of {', '.join(SIZES)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use zh or en")
    if village is not None and zone_version is not None:
        raise ValueError("draw one village or one zone version, not both")
    cjk = fonts.chinese_fonts()
    t, w = section("map", lang), section("paper", lang)
    shown = {k: v for k, v in layers.items() if isinstance(v, gpd.GeoDataFrame) and v.crs is not None and len(v)}
    if not shown.keys() - {"county"}:
        raise DataError("there is nothing to draw: every spatial layer of the project is empty or missing")
    plot_crs = _plot_crs(shown.get("parcels", next(v for k, v in shown.items() if k != "county")))
    g: dict[str, Any] = {k: v.to_crs(plot_crs) for k, v in shown.items()}
    g.setdefault("parcels", gpd.GeoDataFrame({"status": []}, geometry=[], crs=plot_crs))
    if findings is not None and len(findings) and not isinstance(findings, gpd.GeoDataFrame):
        findings = finding_shapes(layers, findings)
    if findings is not None and len(findings):
        source = shown["parcels"].crs if "parcels" in shown else plot_crs  # shapes without a CRS are the parcels'
        g["findings"] = (findings if findings.crs is not None else findings.set_crs(source)).to_crs(plot_crs)
    heading, subtitle, focus, shapes = _subject(
        layers, g, village=village, zone_version=zone_version, title=title, lang=lang
    )
    page_w, page_h = SIZES[size]
    k = 1.0 if size == "A3" else 0.8  # font sizes
    margin, band, panel = 10.0, 22.0 * k, 100.0 * k
    frame = (margin, margin, page_w - 2 * margin - panel - 5.0, page_h - 2 * margin - band)  # mm
    scale, xlim, ylim = _framing(shapes, frame)
    f = scale / 1000.0  # ground metres per mm of paper
    view = shapely.box(xlim[0], ylim[0], xlim[1], ylim[1])
    g["parcels"] = g["parcels"].assign(_focus=focus)
    if "status" not in g["parcels"]:  # a plain polygon layer (any real layer): drawn, without a status
        g["parcels"] = g["parcels"].assign(status=None)
    g = {n: v[(v.boundary if n in ("county", "planning_zones") else v.geometry).intersects(view)] for n, v in g.items()}
    g = {n: v for n, v in g.items() if len(v)}  # the legend names what the page shows

    # real text; a name's $ is a $; the Chinese font first, the others behind it for a rare character
    rc: Any = {"text.parse_math": False, "font.family": fonts.families(cjk)}
    bold: dict[str, Any] = {} if cjk else {"fontweight": "bold"}  # the CJK fonts have no bold face
    with rc_context(rc):
        fig = Figure(figsize=(page_w / 25.4, page_h / 25.4))
        ax = fig.add_axes((frame[0] / page_w, frame[1] / page_h, frame[2] / page_w, frame[3] / page_h))
        legend = _draw_layers(ax, g, lang=lang, k=k)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal", adjustable="datalim")  # the limits already have the frame's shape
        ax.set_axis_off()
        stated = f"{w['scale']} 1:{scale:,}".replace(",", " ")
        _furniture(ax, xlim, ylim, f=f, stated=stated, k=k)

        fig.text(0.5, 1 - 6 / page_h, _clip(heading, 60), ha="center", va="top", fontsize=20 * k, **bold)
        if subtitle:
            fig.text(0.5, 1 - (8 + 9 * k) / page_h, _clip(subtitle, 80), ha="center", va="top", fontsize=11 * k)
        if is_illustrative(layers):
            fig.text(1 - margin / page_w, 1 - 6 / page_h, t["illustrative"], ha="right", va="top", color="#aa0000",
                     fontsize=10 * k)  # fmt: skip
        px = (page_w - margin - panel) / page_w
        lax = fig.add_axes((px, frame[1] / page_h, panel / page_w, frame[3] / page_h))
        lax.axis("off")
        handles, labels = zip(*legend, strict=True) if legend else ((), ())
        box = lax.legend(handles, labels, loc="upper left", title=w["legend"], fontsize=8 * k,
                         title_fontsize=11 * k, borderaxespad=0, alignment="left")  # fmt: skip
        for handle, text in zip(handles, box.get_texts(), strict=True):
            if not handle.get_visible():  # a heading
                text.set(fontsize=9 * k, color="#08306b", **bold)
        organisation = project_info(layers).get("organisation")
        epsg = plot_crs.to_epsg()
        notes = [
            stated,
            w["north"],
            f"{t['data_date']}: {_data_date(layers)}",
            *([f"{w['org']}: {_clip(organisation)}"] if organisation else []),
            f"{w['crs']}:",
            f"  {_clip(plot_crs.name, 60)}" + (f" (EPSG:{epsg})" if epsg else ""),
            t["measured_note"],
            f"landkit {__version__} · {w['printed']} {datetime.date.today().isoformat()}",
        ]
        fig.text(px, frame[1] / page_h, "\n".join(notes), ha="left", va="bottom", fontsize=7.5 * k, linespacing=1.6)
        where = f"{xlim[0]:.2f},{ylim[0]:.2f},{xlim[1]:.2f},{ylim[1]:.2f}"
        keywords = (
            f"landkit print map; crs={plot_crs.to_string()}; scale=1:{scale}; extent={where}; "
            f"frame_mm={','.join(f'{v:.2f}' for v in frame)}; page_mm={page_w:g},{page_h:g}"
        )
        out = io.BytesIO()
        meta = {"Title": _clip(heading, 200), "Creator": f"landkit {__version__}", "Keywords": keywords}
        # every character has a glyph, or nothing is written; matplotlib sizes the PDF's font subsets
        # from ps.fonttype: set alike, each font is one subset (else Chinese is a second copy of the font)
        fonttype = fonts.require(fonts.figure_texts(fig), cjk)
        with rc_context({"pdf.fonttype": fonttype, "ps.fonttype": fonttype}):
            fig.savefig(out, format="pdf", metadata=meta)
    return out.getvalue()


def _draw_layers(ax, g: dict[str, Any], *, lang: str, k: float) -> list[tuple[Any, str]]:
    """Draw the layers in ``g`` (already cut to the frame) on ``ax``; return the legend's entries."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    t, w = section("map", lang), section("paper", lang)
    legend: list[tuple[Any, str]] = []
    if "county" in g:
        g["county"].boundary.plot(ax=ax, color="#555555", linewidth=1.2, linestyle="--")
        legend.append((Line2D([], [], color="#555555", linestyle="--"), t["county"]))
    if "villages" in g:
        villages = g["villages"]
        colour = villages["batch"].map(BATCH_COLOURS).fillna(UNKNOWN)
        villages.plot(ax=ax, color=colour, alpha=0.25, edgecolor="none")
        villages.boundary.plot(ax=ax, color=colour, linewidth=0.6)
        legend.append((Patch(visible=False), t["villages"]))
        legend += [(Patch(color=BATCH_COLOURS[n], alpha=0.4), t["batch_n"].format(n=n))
                   for n in BATCH_COLOURS if (villages["batch"] == n).any()]  # fmt: skip
    if "parcels" in g:
        focus = g["parcels"]["_focus"].astype(bool)
        other, mine = g["parcels"][~focus], g["parcels"][focus]
        if len(other):
            _polygons(ax, other.geometry, facecolor=OTHER_PARCELS, edgecolor="#bbbbbb", linewidth=0.1)
        if len(mine):
            colours = mine["status"].map(STATUS_COLOURS).fillna(UNKNOWN)
            for colour, part in mine.geometry.groupby(colours.to_numpy(), sort=False):  # a path per status
                _polygons(ax, part, facecolor=colour, edgecolor="#333333", linewidth=0.1)
            legend.append((Patch(visible=False), t["parcels"]))
        statuses = set(mine["status"].astype(str))
        for s in [s for s in STATUS_COLOURS if s in statuses] + sorted(statuses - set(STATUS_COLOURS)):
            label = _clip(status_label(s, lang), 20)
            legend.append((Patch(facecolor=STATUS_COLOURS.get(s, UNKNOWN), edgecolor="#333333"), label))
        if len(other):
            legend.append((Patch(facecolor=OTHER_PARCELS, edgecolor="#bbbbbb"), w["other"]))
    if "urban_boundary" in g:  # 三区三线: the boundary as a line, farmland and the red line filled
        colour = LAYER_COLOURS["urban_boundary"]
        g["urban_boundary"].boundary.plot(ax=ax, color=colour, linewidth=1.5, linestyle="-.")
        legend.append((Line2D([], [], color=colour, linewidth=1.5, linestyle="-."), t["urban_boundary"]))
    for name in ("basic_farmland", "eco_redline"):
        if name in g:
            colour = LAYER_COLOURS[name]
            g[name].plot(ax=ax, color=colour, alpha=0.6, edgecolor=colour, linewidth=0.4)
            legend.append((Patch(color=colour, alpha=0.6), t[name]))
    if "planning_zones" in g:
        legend.append((Patch(visible=False), t["zone"]))
        for v, zone in g["planning_zones"].groupby("version", sort=True):
            colour = ZONE_COLOURS.get(int(v), UNKNOWN)
            zone.boundary.plot(ax=ax, color=colour, linewidth=2.0)
            label = f"{t['version'].format(n=int(v))} {zone['stated_area_km2'].iloc[0]:g} km²"
            legend.append((Line2D([], [], color=colour, linewidth=2.0), label))
    if "roads" in g:
        g["roads"].plot(ax=ax, color=ROAD_COLOUR, linewidth=1.5)
        legend.append((Line2D([], [], color=ROAD_COLOUR, linewidth=1.5), t["roads"]))
    if "communities" in g:
        g["communities"].plot(ax=ax, color=COMMUNITY_COLOUR, alpha=0.7, edgecolor="#333333", linewidth=0.5)
        legend.append((Patch(color=COMMUNITY_COLOUR, alpha=0.7), t["communities"]))
    if "facilities" in g:
        g["facilities"].plot(ax=ax, color=FACILITY_COLOUR, markersize=12, alpha=0.8)
        legend.append((Patch(color=FACILITY_COLOUR, alpha=0.8), t["facilities"]))
    if "findings" in g:
        g["findings"].plot(ax=ax, facecolor="none", edgecolor=FINDING_COLOUR, linewidth=1.2)
        legend.append((Patch(facecolor="none", edgecolor=FINDING_COLOUR, linewidth=1.2), t["findings"]))
    for name in ("villages", "communities"):  # the names of the few villages and communities
        if name in g and "name" in g[name]:
            for pt, label in zip(g[name].representative_point(), g[name]["name"], strict=True):
                ax.text(pt.x, pt.y, _clip(label, 16), fontsize=6 * k, ha="center", va="center", color="#222222",
                        clip_on=True)  # fmt: skip
    return legend


def _polygons(ax, geometry, **style) -> None:
    """Polygons drawn as one compound path: one draw call for thousands of parcels, not a patch each.

    Exterior rings are oriented counter-clockwise and holes clockwise, so the nonzero fill (the
    PDF's and Agg's) leaves the holes open; every ring is stroked as the edge.
    """
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    polygons = shapely.get_parts(np.asarray(geometry.to_numpy(), dtype=object))
    polygons = shapely.orient_polygons(polygons[shapely.get_type_id(polygons) == 3])
    xy, ring = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    if not len(xy):
        return
    codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
    first = np.r_[True, ring[1:] != ring[:-1]]
    codes[first] = Path.MOVETO
    codes[np.r_[first[1:], True]] = Path.CLOSEPOLY  # a ring's last point repeats its first
    ax.add_artist(PathPatch(Path(xy, codes), **style))  # the frame's limits are set: none computed from it


def _furniture(ax, xlim, ylim, *, f: float, stated: str, k: float) -> None:
    """The frame, the scale bar (with the stated scale) and the north arrow, placed in mm (``f`` m per mm)."""
    from matplotlib.patches import Polygon, Rectangle

    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, linewidth=0.8, zorder=20, clip_on=False))
    width = xlim[1] - xlim[0]
    bar = _bar_length(width / 5)
    bx, by = xlim[0] + 8 * f, ylim[0] + 9 * f
    ax.add_patch(Rectangle((xlim[0] + 3 * f, ylim[0] + 3 * f), max(bar + 16 * f, 48 * f), 17 * f,
                           facecolor="white", edgecolor="#999999", zorder=10))  # fmt: skip
    for i in range(4):  # drawn in ground metres: the bar is as long on paper as the map says
        ax.add_patch(Rectangle((bx + i * bar / 4, by), bar / 4, 1.6 * f, facecolor="black" if i % 2 else "white",
                               edgecolor="black", linewidth=0.6, zorder=11))  # fmt: skip
    unit = f"{bar / 1000:g} km" if bar >= 1000 else f"{bar:g} m"
    for x, s in ((bx, "0"), (bx + bar, unit)):
        ax.text(x, by - 1 * f, s, ha="center", va="top", fontsize=8 * k, zorder=12)
    ax.text(bx, by + 3 * f, stated, ha="left", va="bottom", fontsize=9 * k, zorder=12)
    nx, ny = xlim[1] - 12 * f, ylim[1] - 8 * f
    ax.add_patch(Rectangle((nx - 6 * f, ny - 16 * f), 12 * f, 20 * f, facecolor="white", edgecolor="none", zorder=10))
    for side, colour in ((-1, "black"), (1, "white")):
        arrow = [(nx, ny - 4 * f), (nx, ny - 13 * f), (nx + side * 3 * f, ny - 16 * f)]
        ax.add_patch(Polygon(arrow, closed=True, facecolor=colour, edgecolor="black", linewidth=0.6, zorder=11))
    ax.text(nx, ny - 3 * f, "N", ha="center", va="bottom", fontsize=11 * k, fontweight="bold", family="DejaVu Sans",
            zorder=12)  # fmt: skip
