"""Meeting maps: self-contained, escaped, offline HTML maps of the zone and its communities.

The only module that imports folium. Maps compose like geopandas ``explore``: every function
takes ``m=None`` and returns the ``folium.Map``; reprojection happens inside; saving is
:func:`save_map`. Saved maps inline Leaflet (from the ``django-js-lib-leaflet`` package, BSD-2)
so that they open from a file with no network; every attribute value shown is HTML-escaped.

Every map has one legend (a section per layer, showing while the layer is on, under the layer
control), a north arrow and a metric scale bar; one palette gives each meaning its own colour.
Maps: the zone (:func:`zone_map`, or one version of it), one village (:func:`village_map`) and
one resettlement community (:func:`community_map`); places are found by :func:`match_name`.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import re
import unicodedata
from collections.abc import Hashable
from importlib import resources
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .crs import geometry_wgs84_to_gcj02
from .errors import DataError
from .measure import figures
from .schema import PARCEL_STATUSES, RELOCATION_STATUSES, ROAD_STATUSES, is_illustrative, project_info

# One palette for every map (HTML and paper): no colour means two things. Parcel statuses run
# green (acquisition), orange (approval), purple (reserve and supply), grey (allocated); village
# batches are browns, zone versions blues (drawn as outlines), and every other layer has a colour
# of its own (LAYER_COLOURS). tests/test_maps.py checks that all of them differ, by eye too.
STATUS_COLOURS = {
    "planned": "#c7e9c0",
    "acquiring": "#74c476",
    "acquired": "#238b45",
    "submitted": "#fdae6b",
    "approved": "#e6550d",
    "reserved": "#bcbddc",
    "developing": "#807dba",
    "transferred": "#54278f",
    "allocated": "#969696",
}
BATCH_COLOURS = {1: "#8c510a", 2: "#bf812d", 3: "#f6e8c3"}
ZONE_COLOURS = {1: "#08306b", 2: "#2171b5", 3: "#6baed6"}
LAYER_COLOURS = {
    "county": "#4d4d4d",  # outline only
    "communities": "#01a0a0",
    "roads": "#000000",
    "facilities": "#f781bf",
    "findings": "#e31a1c",  # a dashed outline, thicker than any other
    "distance": "#c51b7d",  # community maps: the straight line from a village to its community
    "unknown": "#ffffff",  # a status, batch or version the palette does not know
    # 三区三线 (zone map): farmland yellow, the red line dark green, the boundary a dark magenta
    # outline, and the part of a parcel in conflict bright magenta
    "basic_farmland": "#ffd700",
    "eco_redline": "#00441b",
    "urban_boundary": "#7a0177",
    "conflicts": "#ff00ff",
}

LABELS = {
    "zh": {
        "county": "县域范围", "zone": "规划范围", "added": "新增", "parcels": "储备地块", "villages": "搬迁村庄",
        "communities": "安置社区", "roads": "道路", "facilities": "配套设施", "findings": "审核问题",
        "id": "编号", "name": "名称", "status": "状态", "stated": "登记面积(亩)", "measured_mu": "实测面积(亩)",
        "measured_m2": "实测面积(m²)", "project": "项目", "village": "村", "batch": "批次", "households": "户数",
        "population": "人口", "target": "安置社区", "length": "长度(km)", "kind": "类型", "rule": "规则",
        "message": "说明", "capacity": "容量", "used": "已安置", "distance": "直线距离(km)",
        "basemap": "底图", "datum": "坐标", "data_date": "数据日期", "measured_note": "面积为CGCS2000椭球面积",
        "batch_n": "第{n}批", "version": "第{n}版", "illustrative": "示意数据，非测绘成果",
        "unknown": "其他（未识别）", "north": "北", "hh": "{n}户", "legend": "图例",
        "village_title": "{name}（{code}）：储备地块", "zone_title": "规划范围 第{n}版 · {km2:g} km² · {project}",
        "basic_farmland": "永久基本农田", "eco_redline": "生态保护红线", "urban_boundary": "城镇开发边界",
        "conflicts": "三区三线冲突", "constraint": "约束", "source": "来源", "conflict_m2": "冲突面积(m²)",
        "conflict_mu": "冲突面积(亩)",
    },
    "en": {
        "county": "County", "zone": "Planning zone", "added": "added", "parcels": "Reserve parcels",
        "villages": "Villages to relocate", "communities": "Resettlement communities", "roads": "Roads",
        "facilities": "Facilities", "findings": "Audit findings", "id": "ID", "name": "Name", "status": "Status",
        "stated": "Stated area (mu)", "measured_mu": "Measured (mu)", "measured_m2": "Measured (m²)",
        "project": "Project", "village": "Village", "batch": "Batch", "households": "Households",
        "population": "Population", "target": "Community", "length": "Length (km)", "kind": "Kind", "rule": "Rule",
        "message": "Message", "capacity": "Capacity", "used": "Assigned", "distance": "Straight-line distance (km)",
        "basemap": "Base map", "datum": "Datum", "data_date": "Data as of",
        "measured_note": "areas are ellipsoidal on CGCS2000", "batch_n": "Batch {n}", "version": "Version {n}",
        "illustrative": "illustrative data, not a survey",
        "unknown": "other (not recognised)", "north": "N", "hh": "{n} households", "legend": "Legend",
        "village_title": "{name} ({code}): reserve parcels",
        "zone_title": "Planning zone version {n} · {km2:g} km² · {project}",
        "basic_farmland": "Permanent basic farmland", "eco_redline": "Ecological red line",
        "urban_boundary": "Urban development boundary", "conflicts": "Constraint conflicts",
        "constraint": "Constraint", "source": "Source", "conflict_m2": "Conflict (m²)", "conflict_mu": "Conflict (mu)",
    },
}  # fmt: skip

TILES = {
    "none": {"zh": "无底图", "en": "none", "datum": "CGCS2000 (≈ WGS84)"},
    "osm": {"zh": "OpenStreetMap（需联网）", "en": "OpenStreetMap (needs internet)", "datum": "WGS84/CGCS2000"},
    "tianditu": {"zh": "天地图（需联网和密钥）", "en": "Tianditu (needs internet and a key)", "datum": "CGCS2000"},
    "gaode": {
        "zh": "高德（需联网）",
        "en": "Gaode/AMap (needs internet)",
        "datum": "GCJ-02: every layer shown shifted into GCJ-02 to line up with the tiles",
    },
}
_DECIMALS = 6  # 1e-6 degree is about 0.1 m: finer than a survey's own precision on screen
_SIMPLIFY_M = 0.2  # well under a pixel at the closest zoom
#: Above this many features a map draws on a canvas: SVG makes a DOM node per polygon.
CANVAS_ABOVE = 5000


def _folium():
    try:
        import folium
    except ImportError as exc:  # pragma: no cover - folium is a dependency
        raise ImportError("maps need folium: pip install folium") from exc
    return folium


def _esc(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        return f"{value:,.2f}"  # every number shown is rounded: no 45.865365000000004
    return html.escape(str(value))


def _display(gdf: gpd.GeoDataFrame, *, gcj02: bool) -> gpd.GeoSeries:
    """The geometry as shown: simplified in metres, in lon/lat, optionally shifted to GCJ-02."""
    geoms = gdf.geometry
    if geoms.crs is not None and geoms.crs.is_projected:
        geoms = geoms.simplify(_SIMPLIFY_M, preserve_topology=True)
    lonlat = geoms.to_crs("EPSG:4490").to_numpy()
    if gcj02:
        lonlat = geometry_wgs84_to_gcj02(lonlat)
    lonlat = shapely.transform(lonlat, lambda c: np.round(c, _DECIMALS))
    return gpd.GeoSeries(lonlat, index=gdf.index, crs="EPSG:4326")  # CGCS2000 differs by cm


def _layer(
    m,
    gdf,
    name,
    *,
    fields,
    colour,
    gcj02,
    show=True,
    line=False,
    weight=1,
    fill_opacity=0.6,
    outline=False,
    dash=None,
):
    """Add one toggleable GeoJSON layer with escaped tooltip and popup; return its FeatureGroup.

    Properties travel under one-letter keys (the labels are aliases) and colours as an index
    into a palette: most of a big map's size is otherwise repeated keys. Columns that are
    empty in every feature are left out of the tooltip. Polygons have a dark grey edge, or
    with ``outline`` an edge in their own colour; ``dash`` is an SVG dash pattern ("6 4").
    """
    folium = _folium()
    from folium.utilities import JsCode

    fields = {c: label for c, label in fields.items() if c in gdf and gdf[c].notna().any() and (gdf[c] != "").any()}
    keys = [chr(ord("a") + i) for i in range(len(fields))]
    props = pd.DataFrame({k: gdf[col].map(_esc) if col in gdf else "" for k, col in zip(keys, fields, strict=True)})
    colours = pd.Series(colour, index=gdf.index) if isinstance(colour, str) else colour
    palette = list(dict.fromkeys(colours))
    props["z"] = colours.map({c: i for i, c in enumerate(palette)}).to_numpy()
    data = gpd.GeoDataFrame(props.reset_index(drop=True), geometry=_display(gdf, gcj02=gcj02).to_numpy(), crs=4326)
    data = data[~data.geometry.isna() & ~data.geometry.is_empty]
    group = folium.FeatureGroup(name=html.escape(name), show=show)
    aliases = [html.escape(label) for label in fields.values()]
    dashed = f", dashArray: {json.dumps(dash)}" if dash else ""
    # The style is a JS function of the colour index: folium's own style mapping writes a
    # switch over every feature id, which grows with the square of the features.
    if line:
        style = f"{{color: p[f.properties.z], weight: {weight + 2}, opacity: 0.9{dashed}}}"
    else:
        edge = "p[f.properties.z]" if outline else f"'{_EDGE}'"
        style = (
            f"{{color: {edge}, weight: {weight}, fillColor: p[f.properties.z], fillOpacity: {fill_opacity}{dashed}}}"
        )
    folium.GeoJson(
        data.to_json(drop_id=True),
        style=JsCode(f"function(f) {{ var p = {json.dumps(palette)}; return {style}; }}"),
        tooltip=folium.GeoJsonTooltip(fields=keys, aliases=aliases, sticky=True) if keys else None,
        popup=folium.GeoJsonPopup(fields=keys, aliases=aliases) if keys else None,
    ).add_to(group)
    group.add_to(m)
    return group


_EDGE = "#333333"  # the edge of filled polygons: a border, not a meaning


def _swatch(colour: str, kind: str) -> str:
    """A legend key drawn as the layer is: a filled box, an outline, a dashed outline or a line."""
    box = "display:inline-block;flex:none;box-sizing:border-box;width:18px;height:13px"
    style = {
        "fill": f"{box};background:{colour};border:1px solid {_EDGE}",
        "outline": f"{box};background:{colour}26;border:2px solid {colour}",
        "dashed": f"{box};background:{colour}33;border:2px dashed {colour}",
        "line": f"{box};height:0;border-top:4px solid {colour}",
        "dashed-line": f"{box};height:0;border-top:3px dashed {colour}",
    }[kind]
    return f'<span class="landkit-swatch" data-colour="{colour}" style="{style}"></span>'


def _legend(m, group, rows: list[tuple[str, str, str]], title: str | None = None) -> None:
    """Give ``group`` its section of the map's one legend: (label, colour, swatch kind) rows.

    The section shows while its layer is on. A section of one row is that row, named after
    the layer; a longer one has the layer's name as its heading.
    """
    m.__dict__.setdefault("_landkit_legend", []).append((group, title, rows))


def legend_entries(m) -> list[tuple[str, str, str]]:
    """What a map's legend says: (section, label, colour) for every row, in order."""
    return [
        (title or label, label, colour)
        for _, title, rows in getattr(m, "_landkit_legend", [])
        for label, colour, _ in rows
    ]


_FURNITURE = """{% macro header(this, kwargs) %}<style>
.landkit-legend {box-sizing:border-box;background:#fff;padding:6px 10px;border-radius:4px;
  box-shadow:0 1px 5px rgba(0,0,0,.4);font:13px/1.4 sans-serif;color:#222;overflow-y:auto;max-width:300px}
.landkit-legend-heading {font-weight:bold;margin-top:4px}
.landkit-legend-row {display:flex;align-items:center;gap:6px;white-space:nowrap}
.landkit-north {background:#fff;border-radius:4px;box-shadow:0 1px 5px rgba(0,0,0,.4);padding:2px 6px;
  text-align:center;font:bold 14px/1.1 sans-serif;color:#222}
.leaflet-control-scale-line {font-size:13px}
.leaflet-control-layers {font-size:13px}
.leaflet-control-attribution {font-size:12px}
.landkit-label-text {position:absolute;transform:translate(-50%,-50%);white-space:nowrap;text-align:center;
  font:13px/1.3 sans-serif;color:#111;background:rgba(255,255,255,.85);border:1px solid #888;border-radius:3px;
  padding:1px 5px;pointer-events:none}
</style>{% endmacro %}
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
  var north = L.control({position: "bottomleft"});
  north.onAdd = function() {
    var div = L.DomUtil.create("div", "landkit-north");
    div.innerHTML = {{ this.north|tojson }};
    return div;
  };
  north.addTo(map);
  var sections = [{% for layer, name, content in this.sections %}
    {layer: {{ layer }}, name: {{ name|tojson }}, html: {{ content|tojson }}},{% endfor %}
  ];
  var legend = L.control({position: "topright"}), div = L.DomUtil.create("div", "landkit-legend");
  legend.onAdd = function() { return div; };
  div.setAttribute("aria-label", {{ this.heading|tojson }});
  L.DomEvent.disableClickPropagation(div);
  L.DomEvent.disableScrollPropagation(div);
  sections.forEach(function(s) {
    s.el = L.DomUtil.create("div", "landkit-legend-section", div);
    s.el.setAttribute("data-layer", s.name);
    s.el.innerHTML = s.html;
  });
  if (sections.length) { legend.addTo(map); }
  function update() {
    var any = false;
    sections.forEach(function(s) {
      var on = map.hasLayer(s.layer);
      s.el.style.display = on ? "" : "none";
      any = any || on;
    });
    div.style.display = any ? "" : "none";
    var box = map.getContainer(), left = 0, bottom = box.getBoundingClientRect().bottom;
    // the credits wrap beside the north arrow and scale bar, not over them
    box.querySelectorAll(".leaflet-bottom.leaflet-left .leaflet-control").forEach(function(c) {
      left = Math.max(left, c.getBoundingClientRect().right - box.getBoundingClientRect().left);
    });
    box.querySelectorAll(".leaflet-control-attribution").forEach(function(c) {
      c.style.maxWidth = Math.max(120, map.getSize().x - left - 20) + "px";
    });
    // the legend scrolls rather than reach the credits (or anything else) in the bottom-right corner
    box.querySelectorAll(".leaflet-bottom.leaflet-right .leaflet-control").forEach(function(c) {
      bottom = Math.min(bottom, c.getBoundingClientRect().top);
    });
    div.style.maxHeight = Math.max(48, bottom - div.getBoundingClientRect().top - 10) + "px";
  }
  map.on("overlayadd overlayremove resize", update);
  update();
})();
{% endmacro %}"""


def _macro(name: str, template: str, **attrs) -> Any:
    """A branca element rendering ``template`` (its ``this`` has ``attrs``); branca comes with folium."""
    from branca.element import MacroElement, Template

    element = MacroElement()
    element._name = name
    element._template = Template(template)
    element.__dict__.update(attrs)
    return element


def _furniture(sections, lang: str):
    """The map's one legend (top right, under the layer control), north arrow and metric scale.

    The legend scrolls when it would reach the controls of the bottom-right corner; its
    sections follow the layer control.
    """
    t = LABELS[lang]
    heading = t["legend"]
    arrow = (
        '<svg width="16" height="20" viewBox="0 0 16 20" aria-hidden="true">'
        '<path d="M8 0 L16 20 L8 15 L0 20 Z" fill="#222"/></svg>'
    )
    north = f"{arrow}<div>{html.escape(t['north'])}</div>"
    shown = []
    for group, title, rows in sections:
        body = "".join(
            f'<div class="landkit-legend-row">{_swatch(colour, kind)}<span>{html.escape(str(label))}</span></div>'
            for label, colour, kind in rows
        )
        if title is not None:
            body = f'<div class="landkit-legend-heading">{html.escape(title)}</div>{body}'
        shown.append((group.get_name(), html.unescape(group.layer_name), body))
    return _macro("LandkitFurniture", _FURNITURE, heading=heading, north=north, sections=shown)


#: The title block, a Leaflet control at the top left, above the zoom buttons.
_TITLE = """{% macro html(this, kwargs) %}<div id="landkit-title" class="landkit-title" style="background:white;
padding:6px 10px;border-radius:4px;font:13px/1.4 sans-serif;box-shadow:0 1px 5px rgba(0,0,0,.4);max-width:560px">
{{ this.block }}</div>{% endmacro %}
{% macro script(this, kwargs) %}
(function() {
  var title = L.control({position: "topleft"});
  title.onAdd = function() { return document.getElementById("landkit-title"); };
  title.addTo({{ this._parent.get_name() }});
  var c = title.getContainer();
  c.parentNode.insertBefore(c, c.parentNode.firstChild);
})();
{% endmacro %}"""
_CREDIT = (  # rendered after the map, so the map exists
    "{% macro script(this, kwargs) %}{{ this._parent.get_name() }}.attributionControl"
    ".addAttribution({{ this.text|tojson }});{% endmacro %}"
)


def _finish(m, lang: str):
    """The layer control, then the one legend under it, the north arrow and the metric scale bar."""
    folium = _folium()
    for key, child in list(m._children.items()):  # a map drawn on again gets one set, at the end
        if isinstance(child, folium.LayerControl) or getattr(child, "_name", "") == "LandkitFurniture":
            del m._children[key]
    folium.LayerControl(collapsed=False).add_to(m)
    m.add_child(_furniture(getattr(m, "_landkit_legend", []), lang if lang in LABELS else "zh"))
    return m


def _new_map(
    layers, *, tiles: str, lang: str, title: str, data_date: str, tianditu_key: str | None, m=None, about=None
):
    """A map fitted to ``layers``, with its title block and credits from the project (``about``)."""
    folium = _folium()
    if tiles not in TILES:
        raise ValueError(f"unknown base map {tiles!r}; use one of {', '.join(TILES)}")
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; use zh or en")
    if m is not None:
        return m
    shown = [df for name, df in layers.items() if name != "county" and isinstance(df, gpd.GeoDataFrame) and len(df)]
    if not shown:
        raise DataError("there is nothing to draw: every spatial layer of the project is empty or missing")
    bounds = np.array([df.to_crs(4490).total_bounds for df in shown])
    west, south = np.nanmin(bounds[:, :2], axis=0)
    east, north = np.nanmax(bounds[:, 2:], axis=0)
    n = sum(len(df) for df in layers.values() if isinstance(df, gpd.GeoDataFrame))
    # no folium scale: it shows feet and miles too; _finish adds a metric one
    m = folium.Map(tiles=None, control_scale=False, prefer_canvas=n > CANVAS_ABOVE, zoom_control=True)
    m.fit_bounds([[south, west], [north, east]])
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name=TILES["osm"][lang]).add_to(m)
    elif tiles == "tianditu":
        key = tianditu_key or os.environ.get("TIANDITU_KEY")
        if not key:
            raise DataError("the Tianditu base map needs your key: pass --tianditu-key KEY or set TIANDITU_KEY")
        for layer in ("vec", "cva"):
            folium.TileLayer(
                tiles=f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                f"&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
                f"&TILECOL={{x}}&tk={key}",
                attr="天地图 Tianditu",
                subdomains="01234567",
                name=f"{TILES['tianditu'][lang]} {layer}",
            ).add_to(m)
    elif tiles == "gaode":
        folium.TileLayer(
            tiles="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            attr="高德 AMap (GCJ-02)",
            subdomains="1234",
            name=TILES["gaode"][lang],
        ).add_to(m)
    t = LABELS[lang]
    about = layers if about is None else about
    info = project_info(about)
    block = (
        f'<div style="font-size:16px;font-weight:bold">{html.escape(title)}</div>'
        f"<div>{t['data_date']}: {html.escape(data_date)} · {t['measured_note']}</div>"
        f"<div>{t['basemap']}: {html.escape(TILES[tiles][lang])} · "
        f"{t['datum']}: {html.escape(TILES[tiles]['datum'])}</div>"
        + (f"<div>{html.escape(info['organisation'])}</div>" if info.get("organisation") else "")
        + (f'<div style="color:#a00">{t["illustrative"]}</div>' if is_illustrative(about) else "")
    )
    m.add_child(_macro("LandkitTitle", _TITLE, block=block))  # block: escaped HTML
    said = [t["illustrative"]] if is_illustrative(about) else []
    said += [info["source"]] if info.get("source") else []
    m.add_child(_macro("LandkitCredit", _CREDIT, text=html.escape(" · ".join([*said, CREDIT]))))
    return m


def _named(codes: pd.Series | None, table: pd.DataFrame | None) -> pd.Series | None:
    """Codes shown with the names they stand for: "沈庄村 (410423101023)", "露峰社区 (LF)"."""
    if codes is None:
        return None
    names = table["name"] if table is not None and "name" in table else pd.Series(dtype=object)
    return codes.map(lambda c: f"{names[c]} ({c})" if c in names.index else c)


def _measured(gdf) -> gpd.GeoDataFrame:
    out = gdf.copy()
    shown = figures(gdf)  # the same figures as the CSV, the workbook and the report
    out["_m2"] = shown["area_m2"]
    out["_mu"] = shown["area_mu"]
    return out


def _title(layers, title, lang: str = "zh") -> str:
    """The title given, else the project's own (``project_info``), else one from the county's name."""
    if title:
        return title
    info = project_info(layers)
    if own := info.get("title_en" if lang == "en" else "title"):
        return own
    county = layers.get("county")
    name = county["name"].iloc[0] if county is not None and "name" in county and len(county) else ""
    if lang == "en":
        return f"Industrial cluster zone{f' ({name})' if name else ''}"
    return f"{name}产业集聚区" if name else "产业集聚区储备地块"


def _data_date(layers) -> str:
    events = layers.get("events")
    if events is not None and "date" in events and events["date"].notna().any():
        return pd.Timestamp(events["date"].max()).strftime("%Y-%m-%d")
    return "?"


def _rows(values: pd.Series, palette: dict, label, t) -> tuple[pd.Series, list[tuple[str, str, str]]]:
    """Colours for ``values`` from ``palette`` and the legend rows of those present (unknown last)."""
    colours = values.map(palette).fillna(LAYER_COLOURS["unknown"])
    rows = [(label(k), c, "fill") for k, c in palette.items() if (values == k).any()]
    if (~values.isin(list(palette))).any():
        rows.append((t["unknown"], LAYER_COLOURS["unknown"], "fill"))
    return colours, rows


#: How the 三区三线 layers are drawn: (options for :func:`_layer`, legend swatch).
_CONSTRAINT_STYLE: dict[str, tuple[dict[str, Any], str]] = {
    "urban_boundary": ({"fill_opacity": 0.0, "weight": 3, "outline": True}, "outline"),  # under the parcels
    "basic_farmland": ({"fill_opacity": 0.5}, "fill"),
    "eco_redline": ({"fill_opacity": 0.5}, "fill"),
}


def _constraint(m, layers, name: str, t, gcj: bool) -> None:
    frame = layers[name].assign(_id=layers[name].index.astype(str))
    options, kind = _CONSTRAINT_STYLE[name]
    fields = {"_id": t["id"], "name": t["name"], "source": t["source"]}
    group = _layer(m, frame, t[name], fields=fields, colour=LAYER_COLOURS[name], gcj02=gcj, **options)
    _legend(m, group, [(t[name], LAYER_COLOURS[name], kind)])


def _conflicts(m, layers, t, gcj: bool, rules: dict | None, found: dict | None = None) -> None:
    """The part of each parcel in conflict with 三区三线 (:func:`landkit.constraints.conflicts`;
    ``found``: as the audit computed them), for the parcels drawn."""
    from .constraints import conflicts

    if found is None:
        found = conflicts(layers["parcels"], layers, rules=rules)
    found = {name: hit[hit.index.isin(layers["parcels"].index)] for name, hit in found.items()}
    frames = [hit.assign(_id=hit.index.astype(str), _layer=t[name]) for name, hit in found.items() if len(hit)]
    if not frames:
        return
    parts = pd.concat(frames)
    colour = LAYER_COLOURS["conflicts"]
    fields = {"_id": t["id"], "_layer": t["constraint"], "area_m2": t["conflict_m2"], "area_mu": t["conflict_mu"]}
    group = _layer(m, parts, t["conflicts"], fields=fields, colour=colour, gcj02=gcj, fill_opacity=0.8, weight=2)
    _legend(m, group, [(t["conflicts"], colour, "fill")])


def _draw(
    m,
    layers,
    *,
    lang: str,
    gcj: bool,
    findings=None,
    whole_zones: bool = False,
    village_fill: float = 0.6,
    constraints: bool = False,
    rules: dict | None = None,
    conflicts: dict | None = None,
):
    """Draw every layer ``layers`` has, each with its legend section; ``whole_zones`` draws
    each zone version whole instead of the land it adds; ``constraints`` draws the 三区三线
    layers the project has and the parts of parcels in conflict with them (``rules``: the
    audit's tolerances; ``conflicts``: those parts as the audit computed them)."""
    t = LABELS[lang] if lang in LABELS else LABELS["zh"]
    shown = [n for n in _CONSTRAINT_STYLE if constraints and isinstance(layers.get(n), gpd.GeoDataFrame)]
    shown = [n for n in shown if len(layers[n])]
    if "county" in layers:
        colour = LAYER_COLOURS["county"]
        group = _layer(
            m,
            layers["county"],
            t["county"],
            fields={"name": t["name"]},
            colour=colour,
            gcj02=gcj,
            fill_opacity=0.0,
            weight=2,
            outline=True,
        )
        _legend(m, group, [(t["county"], colour, "outline")])
    if "planning_zones" in layers and len(layers["planning_zones"]):
        from .planning import expansions

        zones = layers["planning_zones"].sort_values("version")
        added = expansions(zones)
        for (zid, zone), (_, add) in zip(zones.iterrows(), added.iterrows(), strict=True):
            v = int(zone["version"])
            head = f"{t['zone']} {t['version'].format(n=v)}: {zone['stated_area_km2']:g} km²"
            if whole_zones:
                label, shape, note = head, zone.geometry, ""
            else:
                label, shape = f"{head} (+{add['added_km2']:.1f})", add.geometry
                note = f"+{add['added_km2']:.2f} km² {t['added']}"
            frame = gpd.GeoDataFrame(
                {"name": [zone.get("name", zid)], "added": [note]}, geometry=[shape], crs=zones.crs
            )
            colour = ZONE_COLOURS.get(v, LAYER_COLOURS["unknown"])
            group = _layer(
                m,
                frame,
                label,
                fields={"name": t["name"], "added": t["added"]},
                colour=colour,
                gcj02=gcj,
                fill_opacity=0.15,
                weight=3,
                outline=True,
            )
            _legend(m, group, [(label, colour, "outline")])
    if "urban_boundary" in shown:
        _constraint(m, layers, "urban_boundary", t, gcj)
    if "parcels" in layers:
        p = _measured(layers["parcels"])
        p["_id"] = p.index
        p["_status"] = p["status"].map(lambda s: PARCEL_STATUSES.get(s, s) if lang == "zh" else s)
        p["_village"] = _named(p.get("village_code"), layers.get("villages"))
        fields = {"_id": t["id"], "_status": t["status"], "stated_area_mu": t["stated"], "_mu": t["measured_mu"],
                  "_m2": t["measured_m2"], "project": t["project"], "_village": t["village"]}  # fmt: skip
        status_name = (lambda s: PARCEL_STATUSES[s]) if lang == "zh" else str
        fills, rows = _rows(p["status"], STATUS_COLOURS, status_name, t)
        group = _layer(m, p, t["parcels"], fields=fields, colour=fills, gcj02=gcj, weight=0.5)
        _legend(m, group, rows, t["parcels"])
    if "villages" in layers:
        v = layers["villages"].copy()
        v["_batch"] = v["batch"].map(lambda b: t["batch_n"].format(n=b))
        v["_status"] = v["relocation_status"].map(lambda s: RELOCATION_STATUSES.get(s, s) if lang == "zh" else s)
        v["_target"] = _named(v.get("target_community"), layers.get("communities"))
        fields = {"name": t["name"], "_batch": t["batch"], "households": t["households"],
                  "population": t["population"], "_target": t["target"], "_status": t["status"]}  # fmt: skip
        fills, rows = _rows(v["batch"], BATCH_COLOURS, lambda b: t["batch_n"].format(n=b), t)
        faint = village_fill < 0.5  # a village under its own parcels: drawn as an outline
        if faint:
            rows = [(label, colour, "outline") for label, colour, _ in rows]
        group = _layer(m, v, t["villages"], fields=fields, colour=fills, gcj02=gcj, fill_opacity=village_fill,
                       outline=faint, weight=3 if faint else 1)  # fmt: skip
        _legend(m, group, rows, t["villages"])
    simple: list[tuple[str, str, dict, dict[str, Any], str]] = [  # layer, label, fields, options, swatch
        ("communities", t["communities"], {"name": t["name"], "capacity_people": t["capacity"]}, {}, "fill"),
        ("roads", t["roads"], {"name": t["name"], "planned_length_km": t["length"], "_status": t["status"]},
         {"line": True}, "line"),
        ("facilities", t["facilities"], {"name": t["name"], "kind": t["kind"]}, {"fill_opacity": 0.8}, "fill"),
    ]  # fmt: skip
    for name, label, fields, options, kind in simple:
        if name not in layers:
            continue
        frame = layers[name]
        if name == "roads":
            frame = frame.assign(_status=frame["status"].map(lambda s: ROAD_STATUSES.get(s, s) if lang == "zh" else s))
        colour = LAYER_COLOURS[name]
        group = _layer(m, frame, label, fields=fields, colour=colour, gcj02=gcj, **options)
        _legend(m, group, [(label, colour, kind)])
    for name in shown:
        if name != "urban_boundary":
            _constraint(m, layers, name, t, gcj)
    if shown and isinstance(layers.get("parcels"), gpd.GeoDataFrame) and len(layers["parcels"]):
        _conflicts(m, layers, t, gcj, rules, conflicts)
    if findings is not None and len(findings):
        f = findings.copy()
        f["_ids"] = f["ids"].map(lambda ids: ", ".join(map(str, ids)))
        colour = LAYER_COLOURS["findings"]
        group = _layer(
            m,
            f,
            t["findings"],
            fields={"rule": t["rule"], "_ids": t["id"], "message": t["message"]},
            colour=colour,
            gcj02=gcj,
            fill_opacity=0.2,
            weight=3,
            outline=True,
            dash="6 4",
        )
        _legend(m, group, [(t["findings"], colour, "dashed")])
    return m


def zone_map(
    layers,
    *,
    findings: gpd.GeoDataFrame | None = None,
    tiles: str = "none",
    lang: str = "zh",
    title: str | None = None,
    tianditu_key: str | None = None,
    version: int | None = None,
    rules: dict | None = None,
    m=None,
    conflicts: dict | None = None,
):
    """Draw the zone map: county, zone versions, parcels by status, villages, communities, roads,
    the 三区三线 layers the project has and the parts of parcels in conflict with them (with the
    tolerances of the audit's ``rules``, or ``conflicts`` as the audit computed them: its ``keep``;
    tooltips give parcel, layer, m² and mu).

    With ``version`` (a planning-zone version number), only that version: its whole outline,
    the parcels and villages inside it (by a point inside each) and the communities, roads,
    facilities and findings that touch it, fitted to it and titled 规划范围 第N版.

    Examples
    --------
    >>> import landkit
    >>> m = zone_map(landkit.read_project(landkit.SAMPLE_PATH))
    >>> type(m).__name__
    'Map'
    """
    t = LABELS[lang] if lang in LABELS else LABELS["zh"]
    extent = layers
    if version is not None:
        project = _title(layers, None, lang)
        layers, zone = _zone_version(layers, version)
        extent = {"planning_zones": layers["planning_zones"]}
        findings = _touching(findings, zone)
        km2 = zone["stated_area_km2"].iloc[0] if "stated_area_km2" in zone else float("nan")
        title = title or t["zone_title"].format(n=int(version), km2=km2, project=project)
    m = _new_map(
        extent,
        tiles=tiles,
        lang=lang,
        title=_title(layers, title, lang),
        data_date=_data_date(layers),
        tianditu_key=tianditu_key,
        about=layers,
        m=m,
    )
    _draw(
        m, layers, lang=lang, gcj=tiles == "gaode", findings=findings, whole_zones=version is not None,
        constraints=True, rules=rules, conflicts=conflicts,
    )  # fmt: skip
    return _finish(m, lang)


def _touching(frame: gpd.GeoDataFrame | None, area: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """The rows of ``frame`` whose geometry touches any shape of ``area``."""
    if frame is None or not len(frame):
        return frame
    return frame[frame.intersects(area.to_crs(frame.crs).union_all())]


def _zone_version(layers, version) -> tuple[dict, gpd.GeoDataFrame]:
    """The layers cut to one planning-zone version, and that version's row (a one-row frame)."""
    zones = layers.get("planning_zones")
    known = sorted(int(v) for v in zones["version"]) if zones is not None and "version" in zones else []
    try:
        wanted = int(version)
    except (TypeError, ValueError):
        wanted = None
    if wanted not in known:
        has = f"versions {', '.join(map(str, known))}" if known else "no planning zones (规划范围)"
        raise DataError(f"no planning-zone version {version!r}; the project has {has}")
    zone = zones[zones["version"].astype(int) == wanted].iloc[[0]]
    out = {k: v for k, v in layers.items() if k != "county"}
    out["planning_zones"] = zone
    for name in ("parcels", "villages"):  # inside it, by a point inside each
        if name in layers and len(layers[name]):
            frame = layers[name]
            out[name] = frame[frame.representative_point().within(zone.to_crs(frame.crs).geometry.iloc[0])]
    for name in ("communities", "roads", "facilities", *_CONSTRAINT_STYLE):  # whatever touches it
        touching = _touching(layers.get(name), zone)
        if touching is not None and len(touching):
            out[name] = touching
        else:
            out.pop(name, None)
    return out, zone


#: Suffixes a name may be given with or without: 露峰 is 露峰社区, 沈庄 is 沈庄村.
NAME_SUFFIXES = ("社区", "村委会", "居委会", "村", "小区", "安置区")


def _bare(name: str) -> str:
    """A name without its suffix (社区, 村 …) and surrounding blanks."""
    name = str(name).strip()
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _letters(text: str) -> str:
    """Latin letters only, lower case, tone marks dropped: "Lǔ Fēng" and "lu-feng" are "lufeng"."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(c for c in text if "a" <= c <= "z")


def match_name(table: pd.DataFrame, key, *, what: str) -> Hashable:
    """The index (id or code) of the one row of ``table`` that ``key`` names.

    Tried in turn, the first that finds anything decides: the id or code (any case), the name,
    the name with or without its suffix (露峰 = 露峰社区, 沈庄 = 沈庄村), and pinyin without tones,
    spaces or case (Lufeng, lu feng, Lufeng Shequ; needs the ``pypinyin`` package). A key that
    names two rows is refused with both; one that names none with every row there is.
    """
    text = str(key).strip()
    ids = pd.Series(table.index, index=table.index).astype(str)
    names = table["name"].astype(str).str.strip() if "name" in table else pd.Series("", index=table.index)
    listed = lambda hits: ", ".join(f"{i} ({names[i]})" for i in hits)  # noqa: E731
    note = ""

    def tests():
        yield ids.str.casefold() == text.casefold()
        yield names == text
        yield names.map(_bare) == _bare(text)
        nonlocal note
        wanted = _letters(text)
        if wanted and not re.search(r"[\u3400-\u9fff]", text):
            try:
                from pypinyin import lazy_pinyin
            except ImportError:
                note = " (names in pinyin need the pypinyin package: pip install pypinyin)"
                return
            spelt = lambda n: _letters("".join(lazy_pinyin(n)))  # noqa: E731
            yield names.map(lambda n: wanted in (spelt(n), spelt(_bare(n))))

    for hit in tests():
        found = table.index[hit.to_numpy()]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise DataError(f"{what} {text!r} could be any of {listed(found)}; give its code")
    raise DataError(f"no {what} {text!r}{note}; the project has {listed(table.index)}")


def find_community(communities: pd.DataFrame | None, key: str):
    """Return the id of the community that ``key`` names (see :func:`match_name`); say which exist otherwise."""
    if communities is None or not len(communities):
        raise DataError(f"the project has no communities (安置社区) to draw {key!r} from; add the communities layer")
    return match_name(communities, key, what="community")


def find_village(villages: pd.DataFrame | None, key: str):
    """Return the code of the village that ``key`` names (see :func:`match_name`); say which exist otherwise."""
    if villages is None or not len(villages):
        raise DataError(f"the project has no villages (搬迁村庄) to draw {key!r} from; add the villages layer")
    return match_name(villages, key, what="village")


def _labels(group, gdf: gpd.GeoDataFrame, texts: pd.Series, *, gcj02: bool) -> None:
    """A label that stays on the map at a point inside each feature; ``texts`` are escaped HTML."""
    folium = _folium()
    points = gpd.GeoDataFrame(geometry=gdf.representative_point(), crs=gdf.crs)
    for point, text in zip(_display(points, gcj02=gcj02), texts, strict=True):
        icon = folium.DivIcon(
            html=f'<div class="landkit-label-text">{text}</div>', icon_size=(0, 0), class_name="landkit-label"
        )
        folium.Marker([point.y, point.x], icon=icon, interactive=False, keyboard=False).add_to(group)


def village_map(
    layers,
    village: str,
    *,
    findings: gpd.GeoDataFrame | None = None,
    tiles: str = "none",
    lang: str = "zh",
    title: str | None = None,
    tianditu_key: str | None = None,
    m=None,
):
    """Draw one village: its footprint and the parcels whose ``village_code`` is it, fitted to them.

    ``village`` is its code, its name (with or without 村) or its name in pinyin. ``findings``
    are kept where they touch the village or its parcels.
    """
    t = LABELS[lang] if lang in LABELS else LABELS["zh"]
    villages = layers.get("villages")
    code = find_village(villages, village)
    mine = villages.loc[[code]]
    out = {
        k: v for k, v in layers.items() if k not in ("county", "planning_zones", "communities", "roads", "facilities")
    }
    out["villages"] = mine
    parcels = layers.get("parcels")
    if parcels is not None and "village_code" in parcels:
        out["parcels"] = parcels[parcels["village_code"] == code]
    shown = {k: out[k] for k in ("villages", "parcels") if k in out}
    area = pd.concat([f.geometry.to_crs(mine.crs) for f in shown.values()]).to_frame("geometry")
    m = _new_map(
        shown,
        tiles=tiles,
        lang=lang,
        title=title or t["village_title"].format(name=mine["name"].iloc[0], code=code),
        data_date=_data_date(layers),
        tianditu_key=tianditu_key,
        about=layers,
        m=m,
    )
    found = _touching(findings, gpd.GeoDataFrame(area, geometry="geometry", crs=mine.crs))
    _draw(m, out, lang=lang, gcj=tiles == "gaode", findings=found, village_fill=0.15)
    return _finish(m, lang)


def community_map(
    layers,
    community: str,
    *,
    tiles: str = "none",
    lang: str = "zh",
    tianditu_key: str | None = None,
    m=None,
):
    """Draw one resettlement community, the villages it receives and the capacity they use.

    ``community`` is its id (``LF``), its name with or without 社区 (露峰社区, 露峰) or in pinyin
    (Lufeng). Distances are straight-line (geodesic) from each village's centre to the
    community's. Each village is labelled with its name, households and distance, the
    community with its name and occupancy.
    """
    t = LABELS[lang] if lang in LABELS else LABELS["zh"]
    comm = layers.get("communities")
    cid = find_community(comm, community)
    hit, row = comm.loc[[cid]], comm.loc[cid]
    if "villages" not in layers:
        raise DataError("the project has no villages layer (搬迁村庄): a community map shows the villages it receives")
    villages = layers["villages"]
    mine = villages[villages["target_community"] == cid].copy()
    used_p, used_h = int(mine["population"].sum()), int(mine["households"].sum())
    people = f"{t['population']} {used_p:,}/{int(row['capacity_people']):,}"
    households = f"{t['households']} {used_h:,}/{int(row['capacity_households']):,}"
    m = _new_map(
        {"planning_zones": pd.concat([hit.geometry, mine.geometry]).to_frame("geometry").set_geometry("geometry")},
        tiles=tiles,
        lang=lang,
        title=f"{row['name']}: {people} · {households}",
        data_date=_data_date(layers),
        tianditu_key=tianditu_key,
        about=layers,
        m=m,
    )
    gcj = tiles == "gaode"
    colour = LAYER_COLOURS["communities"]
    hit = hit.assign(_cap=f"{used_p:,}/{int(row['capacity_people']):,}")
    group = _layer(
        m, hit, t["communities"], fields={"name": t["name"], "_cap": t["capacity"]}, colour=colour, gcj02=gcj
    )
    _legend(m, group, [(t["communities"], colour, "fill")])
    _labels(group, hit, pd.Series([f"<b>{_esc(row['name'])}</b><br>{_esc(people)}<br>{_esc(households)}"]), gcj02=gcj)
    if len(mine):
        from .relocation import distances_km

        centre = hit.geometry.centroid.to_crs(4490).iloc[0]
        pts = mine.geometry.centroid.to_crs(4490)
        mine["_km"] = distances_km(mine, hit)[cid].round(2)
        fields = {"name": t["name"], "households": t["households"], "population": t["population"], "_km": t["distance"]}
        colours, rows = _rows(mine["batch"], BATCH_COLOURS, lambda b: t["batch_n"].format(n=b), t)
        group = _layer(m, mine, t["villages"], fields=fields, colour=colours, gcj02=gcj)
        _legend(m, group, rows, t["villages"])
        texts = [
            f"<b>{_esc(v['name'])}</b><br>{_esc(t['hh'].format(n=f'{int(v.households):,}'))} · {v['_km']:.2f} km"
            for _, v in mine.iterrows()
        ]
        _labels(group, mine, pd.Series(texts, index=mine.index), gcj02=gcj)
        lines = gpd.GeoDataFrame(
            mine[["name", "_km"]],
            geometry=[shapely.LineString([(p.x, p.y), (centre.x, centre.y)]) for p in pts],
            crs=4490,
        )  # a line per village: the few villages of one community
        colour = LAYER_COLOURS["distance"]
        group = _layer(
            m,
            lines,
            t["distance"],
            fields={"name": t["name"], "_km": t["distance"]},
            colour=colour,
            gcj02=gcj,
            line=True,
            dash="8 6",
        )
        _legend(m, group, [(t["distance"], colour, "dashed-line")])
    return _finish(m, lang)


def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS from the installed package, with its images inlined as data URIs."""
    root = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        data = base64.b64encode((root / "images" / match.group(1)).read_bytes()).decode()
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return js, css


# Adds features a chunk per frame, the first at once; window.landkitPending counts layers still
# being filled, window.landkitInteractive is when the map script finished and the map responds.
_CHUNKED_ADD = """
window.landkitPending = 0;
function landkitAdd(layer, data) {
  var features = data.features, i = 0, chunk = 1000;
  window.landkitPending++;
  (function step() {
    layer.addData({type: "FeatureCollection", features: features.slice(i, i + chunk)});
    i += chunk;
    if (i < features.length) { requestAnimationFrame(step); } else { window.landkitPending--; }
  })();
  window.landkitInteractive = performance.now();  // the map answers the mouse between chunks
}
"""

CREDIT = "Leaflet (BSD-2)"
#: The code inlined into every page; the data's own credits come from the project (``project_info``).
LICENCES = (
    "Leaflet 1.9.4 © Volodymyr Agafonkin, CloudMade, BSD-2-Clause (inlined from the django-js-lib-leaflet package)"
)


def to_html(m) -> str:
    """Render a map as one self-contained HTML page: Leaflet inlined, no CDN, no request."""
    from branca.element import Element

    m.default_js, m.default_css = [], []
    js, css = _leaflet_assets()
    root = m.get_root()
    root.header.add_child(
        Element(f"<style>{css}</style>\n<script>{js}</script>\n<script>{_CHUNKED_ADD}</script>"),
        name="leaflet_inline",
        index=0,
    )
    root.html.add_child(Element(f"<!-- {html.escape(LICENCES)} -->"), name="licences")
    # GeoJSON goes in as JSON.parse of a string (faster to parse than a JS object literal) and
    # is added in chunks between frames, so a big map can be panned while its parcels appear.
    page = re.sub(
        r"(geo_json_\w+)_add\((\{.*?\})\);\n",
        lambda g: f"landkitAdd({g.group(1)}, JSON.parse({json.dumps(g.group(2))}));\n",
        root.render(),
    )
    page = re.sub(r"<head[^>]*>", lambda h: h.group(0) + '\n<meta name="generator" content="landkit">', page, count=1)
    remote = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:[^"]+)"', page)
    if remote:
        raise RuntimeError(f"the map still loads {remote[0]}; every asset must be inlined")
    return page


def save_map(m, path) -> os.PathLike:
    """Write a map as one self-contained HTML file, atomically."""
    from .io import write_text

    return write_text(to_html(m), path)


def describe(m) -> dict:
    """Return what a map holds, for tests and logs: layer names and feature counts."""
    out = {}
    for child in m._children.values():
        if type(child).__name__ == "FeatureGroup":
            for g in child._children.values():
                if type(g).__name__ == "GeoJson":
                    out[html.unescape(child.layer_name)] = len(g.data["features"])
    return out
