"""Meeting maps: self-contained, escaped, offline HTML maps of the zone and its communities.

The only module that imports folium. Maps compose like geopandas ``explore``: every function
takes ``m=None`` and returns the ``folium.Map``; reprojection happens inside; saving is
:func:`save_map`. Saved maps inline Leaflet (from the ``django-js-lib-leaflet`` package, BSD-2)
so that they open from a file with no network; every attribute value shown is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import re
from importlib import resources

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .crs import geometry_wgs84_to_gcj02
from .errors import DataError
from .measure import figures
from .schema import PARCEL_STATUSES, RELOCATION_STATUSES, ROAD_STATUSES, is_illustrative, project_info

STATUS_COLOURS = {
    "planned": "#c7e9c0",
    "acquiring": "#74c476",
    "acquired": "#fdd0a2",
    "submitted": "#fd8d3c",
    "approved": "#d94801",
    "reserved": "#6baed6",
    "developing": "#807dba",
    "transferred": "#54278f",
    "allocated": "#969696",
}
BATCH_COLOURS = {1: "#e41a1c", 2: "#ff7f00", 3: "#ffd92f"}
ZONE_COLOURS = {1: "#08519c", 2: "#3182bd", 3: "#9ecae1"}

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


def _layer(m, gdf, name, *, fields, colour, gcj02, show=True, line=False, weight=1, fill_opacity=0.6):
    """Add one toggleable GeoJSON layer with escaped tooltip and popup; return its FeatureGroup.

    Properties travel under one-letter keys (the labels are aliases) and colours as an index
    into a palette: most of a big map's size is otherwise repeated keys. Columns that are
    empty in every feature are left out of the tooltip.
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
    # The style is a JS function of the colour index: folium's own style mapping writes a
    # switch over every feature id, which grows with the square of the features.
    if line:
        style = f"{{color: p[f.properties.z], weight: {weight + 2}, opacity: 0.9}}"
    else:
        style = f"{{color: '#333333', weight: {weight}, fillColor: p[f.properties.z], fillOpacity: {fill_opacity}}}"
    folium.GeoJson(
        data.to_json(drop_id=True),
        style=JsCode(f"function(f) {{ var p = {json.dumps(palette)}; return {style}; }}"),
        tooltip=folium.GeoJsonTooltip(fields=keys, aliases=aliases, sticky=True) if keys else None,
        popup=folium.GeoJsonPopup(fields=keys, aliases=aliases) if keys else None,
    ).add_to(group)
    group.add_to(m)
    return group


def _legend(m, group, title: str, items: dict[str, str]) -> None:
    """Add a legend that belongs to ``group``: it shows and hides with the layer."""
    from branca.element import MacroElement, Template

    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;background:{c};'
        f'border:1px solid #333;margin-right:4px"></span>{html.escape(str(k))}</div>'
        for k, c in items.items()
    )
    content = f'<div style="font-weight:bold">{html.escape(title)}</div>{rows}'

    class Legend(MacroElement):
        content: str
        layer: str
        map: str
        _template = Template(
            """{% macro script(this, kwargs) %}
            (function() {
              var legend = L.control({position: "bottomright"});
              legend.onAdd = function() {
                var div = L.DomUtil.create("div", "landkit-legend");
                div.style.cssText = "background:white;padding:6px 8px;font:12px sans-serif;border-radius:4px";
                div.innerHTML = {{ this.content|tojson }};
                return div;
              };
              var layer = {{ this.layer }}, map = {{ this.map }};
              layer.on("add", function() { legend.addTo(map); });
              layer.on("remove", function() { legend.remove(); });
              if (map.hasLayer(layer)) { legend.addTo(map); }
            })();
            {% endmacro %}"""
        )

    legend = Legend()
    legend.content, legend.layer, legend.map = content, group.get_name(), m.get_name()
    m.add_child(legend)


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
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=n > CANVAS_ABOVE, zoom_control=True)
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
        f'<div id="landkit-title" style="position:absolute;top:10px;left:50px;z-index:1000;background:white;'
        f'padding:6px 10px;border-radius:4px;font:13px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
        f'<div style="font-size:16px;font-weight:bold">{html.escape(title)}</div>'
        f"<div>{t['data_date']}: {html.escape(data_date)} · {t['measured_note']}</div>"
        f"<div>{t['basemap']}: {html.escape(TILES[tiles][lang])} · "
        f"{t['datum']}: {html.escape(TILES[tiles]['datum'])}</div>"
        + (f"<div>{html.escape(info['organisation'])}</div>" if info.get("organisation") else "")
        + (f'<div style="color:#a00">{t["illustrative"]}</div>' if is_illustrative(about) else "")
        + "</div>"
    )
    from branca.element import Element

    m.get_root().html.add_child(Element(block))
    from branca.element import MacroElement, Template

    class Credit(MacroElement):  # rendered after the map, so the map exists
        _template = Template(
            "{% macro script(this, kwargs) %}{{ this._parent.get_name() }}.attributionControl"
            ".addAttribution({{ this.text|tojson }});{% endmacro %}"
        )

    credit = Credit()
    said = [t["illustrative"]] if is_illustrative(about) else []
    said += [info["source"]] if info.get("source") else []
    credit.text = html.escape(" · ".join([*said, CREDIT]))  # type: ignore[attr-defined]
    m.add_child(credit)
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


def zone_map(
    layers,
    *,
    findings: gpd.GeoDataFrame | None = None,
    tiles: str = "none",
    lang: str = "zh",
    title: str | None = None,
    tianditu_key: str | None = None,
    m=None,
):
    """Draw the zone map: county, zone versions, parcels by status, villages, communities, roads.

    Examples
    --------
    >>> import landkit
    >>> m = zone_map(landkit.read_project(landkit.SAMPLE_PATH))
    >>> type(m).__name__
    'Map'
    """
    folium = _folium()
    t = LABELS[lang] if lang in LABELS else LABELS["zh"]
    m = _new_map(
        layers,
        tiles=tiles,
        lang=lang,
        title=_title(layers, title, lang),
        data_date=_data_date(layers),
        tianditu_key=tianditu_key,
        m=m,
    )
    gcj = tiles == "gaode"
    if "county" in layers:
        _layer(
            m,
            layers["county"],
            t["county"],
            fields={"name": t["name"]},
            colour="#555555",
            gcj02=gcj,
            fill_opacity=0.0,
            weight=2,
        )
    if "planning_zones" in layers:
        from .planning import expansions

        zones = layers["planning_zones"].sort_values("version")
        added = expansions(zones)
        legend = {}
        for (zid, zone), (_, add) in zip(zones.iterrows(), added.iterrows(), strict=True):
            v = int(zone["version"])
            label = f"{t['zone']} {t['version'].format(n=v)}: {zone['stated_area_km2']:g} km² (+{add['added_km2']:.1f})"
            frame = gpd.GeoDataFrame(
                {"name": [zone.get("name", zid)], "added": [f"+{add['added_km2']:.2f} km² {t['added']}"]},
                geometry=[add.geometry],
                crs=zones.crs,
            )
            _layer(
                m,
                frame,
                label,
                fields={"name": t["name"], "added": t["added"]},
                colour=ZONE_COLOURS.get(v, "#6baed6"),
                gcj02=gcj,
                fill_opacity=0.15,
                weight=2,
            )
            legend[label] = ZONE_COLOURS.get(v, "#6baed6")
        _legend(m, m._children[list(m._children)[-1]], t["zone"], legend)  # with the latest version
    if "parcels" in layers:
        p = _measured(layers["parcels"])
        p["_id"] = p.index
        p["_status"] = p["status"].map(lambda s: PARCEL_STATUSES.get(s, s) if lang == "zh" else s)
        p["_village"] = _named(p.get("village_code"), layers.get("villages"))
        fields = {"_id": t["id"], "_status": t["status"], "stated_area_mu": t["stated"], "_mu": t["measured_mu"],
                  "_m2": t["measured_m2"], "project": t["project"], "_village": t["village"]}  # fmt: skip
        colour = p["status"].map(STATUS_COLOURS).fillna("#000000")
        group = _layer(m, p, t["parcels"], fields=fields, colour=colour, gcj02=gcj, weight=0.5)
        present = [s for s in STATUS_COLOURS if (p["status"] == s).any()]
        _legend(
            m, group, t["parcels"], {(PARCEL_STATUSES[s] if lang == "zh" else s): STATUS_COLOURS[s] for s in present}
        )
    if "villages" in layers:
        v = layers["villages"].copy()
        v["_batch"] = v["batch"].map(lambda b: t["batch_n"].format(n=b))
        v["_status"] = v["relocation_status"].map(lambda s: RELOCATION_STATUSES.get(s, s) if lang == "zh" else s)
        v["_target"] = _named(v.get("target_community"), layers.get("communities"))
        fields = {"name": t["name"], "_batch": t["batch"], "households": t["households"],
                  "population": t["population"], "_target": t["target"], "_status": t["status"]}  # fmt: skip
        group = _layer(
            m, v, t["villages"], fields=fields, colour=v["batch"].map(BATCH_COLOURS).fillna("#999"), gcj02=gcj
        )
        _legend(m, group, t["villages"], {t["batch_n"].format(n=b): c for b, c in BATCH_COLOURS.items()})
    if "communities" in layers:
        c = layers["communities"]
        _layer(
            m,
            c,
            t["communities"],
            fields={"name": t["name"], "capacity_people": t["capacity"]},
            colour="#e7298a",
            gcj02=gcj,
        )
    if "roads" in layers:
        r = layers["roads"].copy()
        r["_status"] = r["status"].map(lambda s: ROAD_STATUSES.get(s, s) if lang == "zh" else s)
        _layer(
            m,
            r,
            t["roads"],
            fields={"name": t["name"], "planned_length_km": t["length"], "_status": t["status"]},
            colour="#a50f15",
            gcj02=gcj,
            line=True,
        )
    if "facilities" in layers:
        _layer(
            m,
            layers["facilities"],
            t["facilities"],
            fields={"name": t["name"], "kind": t["kind"]},
            colour="#000000",
            gcj02=gcj,
            fill_opacity=0.8,
        )
    if findings is not None and len(findings):
        f = findings.copy()
        f["_ids"] = f["ids"].map(lambda ids: ", ".join(map(str, ids)))
        group = _layer(
            m,
            f,
            t["findings"],
            fields={"rule": t["rule"], "_ids": t["id"], "message": t["message"]},
            colour="#ff0000",
            gcj02=gcj,
            fill_opacity=0.8,
            weight=2,
        )
        _legend(m, group, t["findings"], {t["findings"]: "#ff0000"})
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def find_community(communities: pd.DataFrame | None, key: str):
    """Return the id of the community whose id or name is ``key``; say which exist otherwise."""
    if communities is None or not len(communities):
        raise DataError(f"the project has no communities (安置社区) to draw {key!r} from; add the communities layer")
    hit = communities.index[(communities.index.astype(str) == key) | (communities["name"] == key)]
    if hit.empty:
        known = ", ".join(f"{i} ({n})" for i, n in zip(communities.index, communities["name"], strict=True))
        raise DataError(f"no community {key!r}; the project has {known}")
    return hit[0]


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

    ``community`` is its id (``LF``) or name (``露峰社区``). Distances are straight-line
    (geodesic) from each village's centre to the community's.
    """
    folium = _folium()
    t = LABELS[lang] if lang in LABELS else LABELS["zh"]
    comm = layers["communities"]
    cid = find_community(comm, community)
    hit, row = comm.loc[[cid]], comm.loc[cid]
    if "villages" not in layers:
        raise DataError("the project has no villages layer (搬迁村庄): a community map shows the villages it receives")
    villages = layers["villages"]
    mine = villages[villages["target_community"] == cid].copy()
    used_p, used_h = int(mine["population"].sum()), int(mine["households"].sum())
    title = (
        f"{row['name']}: {t['population']} {used_p:,}/{int(row['capacity_people']):,} · "
        f"{t['households']} {used_h:,}/{int(row['capacity_households']):,}"
    )
    m = _new_map(
        {"planning_zones": pd.concat([hit.geometry, mine.geometry]).to_frame("geometry").set_geometry("geometry")},
        tiles=tiles,
        lang=lang,
        title=title,
        data_date=_data_date(layers),
        tianditu_key=tianditu_key,
        about=layers,
        m=m,
    )
    gcj = tiles == "gaode"
    hit = hit.assign(_cap=f"{used_p:,}/{int(row['capacity_people']):,}")
    _layer(m, hit, t["communities"], fields={"name": t["name"], "_cap": t["capacity"]}, colour="#e7298a", gcj02=gcj)
    if len(mine):
        from .relocation import distances_km

        centre = hit.geometry.centroid.to_crs(4490).iloc[0]
        pts = mine.geometry.centroid.to_crs(4490)
        mine["_km"] = distances_km(mine, hit)[cid].round(2)
        fields = {"name": t["name"], "households": t["households"], "population": t["population"], "_km": t["distance"]}
        group = _layer(
            m, mine, t["villages"], fields=fields, colour=mine["batch"].map(BATCH_COLOURS).fillna("#999"), gcj02=gcj
        )
        _legend(m, group, t["villages"], {t["batch_n"].format(n=b): c for b, c in BATCH_COLOURS.items()})
        lines = gpd.GeoDataFrame(
            mine[["name", "_km"]],
            geometry=[shapely.LineString([(p.x, p.y), (centre.x, centre.y)]) for p in pts],
            crs=4490,
        )  # a line per village: the few villages of one community
        _layer(
            m,
            lines,
            t["distance"],
            fields={"name": t["name"], "_km": t["distance"]},
            colour="#444444",
            gcj02=gcj,
            line=True,
        )
    folium.LayerControl(collapsed=False).add_to(m)
    return m


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
