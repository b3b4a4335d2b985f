"""Meeting maps: the zone and its versions, one village, one resettlement community, drawn on a
``folium.Map``.

The only module that draws with folium. Maps compose like geopandas ``explore``: every function
takes ``m=None`` and returns the ``folium.Map``; reprojection happens inside; every attribute value
shown is HTML-escaped. Every layer drawn gets its section of the map's one legend; the page around
the map (legend, north arrow, scale bar, title block, credits, the offline HTML page) is
:mod:`landkit.webpage`, the colours and words :mod:`landkit.palette`, and places are found by
name with :mod:`landkit.names`. Their public names are importable from here too
(``maps.save_map``, ``maps.find_village``, ``maps.STATUS_COLOURS`` …).
"""

from __future__ import annotations

import json
import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .crs import geometry_wgs84_to_gcj02
from .errors import DataError
from .i18n import language, named
from .measure import figures
from .names import NAME_SUFFIXES, find_community, find_village, match_name
from .palette import BATCH_COLOURS, EDGE, LAYER_COLOURS, STATUS_COLOURS, ZONE_COLOURS, words
from .schema import PARCEL_STATUSES, RELOCATION_STATUSES, ROAD_STATUSES, is_illustrative, project_info
from .webpage import (
    CREDIT,
    CREDIT_SCRIPT,
    LICENCES,
    TITLE,
    describe,
    esc,
    escape,
    finish,
    folium_module,
    legend,
    legend_entries,
    macro,
    save_map,
    to_html,
)

__all__ = [
    "BATCH_COLOURS",
    "CANVAS_ABOVE",
    "CREDIT",
    "LAYER_COLOURS",
    "LICENCES",
    "NAME_SUFFIXES",
    "STATUS_COLOURS",
    "TILES",
    "ZONE_COLOURS",
    "community_map",
    "describe",
    "find_community",
    "find_village",
    "legend_entries",
    "match_name",
    "save_map",
    "to_html",
    "village_map",
    "zone_map",
]

#: The base maps (``tiles``) and the datum each shows in; their names are the codes ``map.tiles.*``,
#: and ``None`` is a datum said in words (``map.datum.*``).
TILES: dict[str, str | None] = {
    "none": "CGCS2000 (≈ WGS84)",
    "osm": "WGS84/CGCS2000",
    "tianditu": "CGCS2000",
    "gaode": None,  # every layer shifted into GCJ-02
}
_DECIMALS = 6  # 1e-6 degree is about 0.1 m: finer than a survey's own precision on screen
_SIMPLIFY_M = 0.2  # well under a pixel at the closest zoom
#: Above this many features a map draws on a canvas: SVG makes a DOM node per polygon.
CANVAS_ABOVE = 5000


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
    folium = folium_module()
    from folium.utilities import JsCode

    fields = {c: label for c, label in fields.items() if c in gdf and gdf[c].notna().any() and (gdf[c] != "").any()}
    keys = [chr(ord("a") + i) for i in range(len(fields))]
    props = pd.DataFrame({k: gdf[col].map(esc) if col in gdf else "" for k, col in zip(keys, fields, strict=True)})
    colours = pd.Series(colour, index=gdf.index) if isinstance(colour, str) else colour
    palette = list(dict.fromkeys(colours))
    props["z"] = colours.map({c: i for i, c in enumerate(palette)}).to_numpy()
    data = gpd.GeoDataFrame(props.reset_index(drop=True), geometry=_display(gdf, gcj02=gcj02).to_numpy(), crs=4326)
    data = data[~data.geometry.isna() & ~data.geometry.is_empty]
    group = folium.FeatureGroup(name=escape(name), show=show)
    aliases = [escape(label) for label in fields.values()]
    dashed = f", dashArray: {json.dumps(dash)}" if dash else ""
    # The style is a JS function of the colour index: folium's own style mapping writes a
    # switch over every feature id, which grows with the square of the features.
    if line:
        style = f"{{color: p[f.properties.z], weight: {weight + 2}, opacity: 0.9{dashed}}}"
    else:
        edge = "p[f.properties.z]" if outline else f"'{EDGE}'"
        style = (
            f"{{color: {edge}, weight: {weight}, fillColor: p[f.properties.z], fillOpacity: {fill_opacity}{dashed}}}"
        )
    folium.GeoJson(
        _geojson(data),
        style=JsCode(f"function(f) {{ var p = {json.dumps(palette)}; return {style}; }}"),
        tooltip=folium.GeoJsonTooltip(fields=keys, aliases=aliases, sticky=True) if keys else None,
        popup=folium.GeoJsonPopup(fields=keys, aliases=aliases) if keys else None,
    ).add_to(group)
    group.add_to(m)
    return group


def _geojson(data: gpd.GeoDataFrame) -> str:
    """A FeatureCollection of ``data`` as GeoJSON text, built vectorised (GEOS writes the geometries,
    pandas the properties): ``GeoDataFrame.to_json`` goes feature by feature in Python."""
    geometries = shapely.to_geojson(data.geometry.to_numpy())
    properties = data.drop(columns=data.geometry.name).to_json(orient="records", lines=True).splitlines()
    features = map('{{"type":"Feature","properties":{},"geometry":{}}}'.format, properties, geometries)
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def _new_map(
    layers, *, tiles: str, lang: str, title: str, data_date: str, tianditu_key: str | None, m=None, about=None
):
    """A map fitted to ``layers``, with its title block and credits from the project (``about``)."""
    folium = folium_module()
    if tiles not in TILES:
        raise DataError(code="maps.unknown_tiles", tiles=tiles, known=", ".join(TILES))
    w = words(lang)
    if m is not None:
        return m
    shown = [df for name, df in layers.items() if name != "county" and isinstance(df, gpd.GeoDataFrame) and len(df)]
    if not shown:
        raise DataError(code="maps.nothing_to_draw")
    bounds = np.array([df.to_crs(4490).total_bounds for df in shown])
    west, south = np.nanmin(bounds[:, :2], axis=0)
    east, north = np.nanmax(bounds[:, 2:], axis=0)
    n = sum(len(df) for df in layers.values() if isinstance(df, gpd.GeoDataFrame))
    # no folium scale: it shows feet and miles too; webpage.finish adds a metric one
    m = folium.Map(tiles=None, control_scale=False, prefer_canvas=n > CANVAS_ABOVE, zoom_control=True)
    m.fit_bounds([[south, west], [north, east]])
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name=w("tiles.osm")).add_to(m)
    elif tiles == "tianditu":
        key = tianditu_key or os.environ.get("TIANDITU_KEY")
        if not key:
            raise DataError(code="maps.tianditu_key")
        for layer in ("vec", "cva"):
            folium.TileLayer(
                tiles=f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                f"&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
                f"&TILECOL={{x}}&tk={key}",
                attr="天地图 Tianditu",
                subdomains="01234567",
                name=f"{w('tiles.tianditu')} {layer}",
            ).add_to(m)
    elif tiles == "gaode":
        folium.TileLayer(
            tiles="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            attr="高德 AMap (GCJ-02)",
            subdomains="1234",
            name=w("tiles.gaode"),
        ).add_to(m)
    about = layers if about is None else about
    info = project_info(about)
    block = (
        f'<div style="font-size:16px;font-weight:bold">{escape(title)}</div>'
        f"<div>{w('data_date')}: {escape(data_date)} · {w('measured_note')}</div>"
        f"<div>{w('basemap')}: {escape(w(f'tiles.{tiles}'))} · "
        f"{w('datum')}: {escape(TILES[tiles] or w(f'datum.{tiles}'))}</div>"
        + (f"<div>{escape(info['organisation'])}</div>" if info.get("organisation") else "")
        + (f'<div style="color:#a00">{w("illustrative")}</div>' if is_illustrative(about) else "")
    )
    m.add_child(macro("LandkitTitle", TITLE, block=block))  # block: escaped HTML
    said = [w("illustrative")] if is_illustrative(about) else []
    said += [info["source"]] if info.get("source") else []
    m.add_child(macro("LandkitCredit", CREDIT_SCRIPT, text=escape(" · ".join([*said, CREDIT]))))
    return m


def _named(codes: pd.Series | None, table: pd.DataFrame | None) -> pd.Series | None:
    """Codes shown with the names they stand for: "沈庄村 (410423101023)", "露峰社区 (LF)"."""
    if codes is None:
        return None
    names = table["name"] if table is not None and "name" in table else pd.Series(dtype=object)
    names = names[~names.index.duplicated()]  # one name per code (a code listed twice: its first name)
    known = codes.isin(names.index)
    said = codes.map(names).astype(str) + " (" + codes.astype(str) + ")"  # vectorised: no lambda per parcel
    return said.where(known, codes)


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
    if own := info.get("title" if language(lang) == "zh" else f"title_{lang}"):  # title_en
        return own
    county = layers.get("county")
    name = county["name"].iloc[0] if county is not None and "name" in county and len(county) else ""
    return words(lang)("county_title", county=name) if name else words(lang)("default_title")


def _data_date(layers) -> str:
    events = layers.get("events")
    if events is not None and "date" in events and events["date"].notna().any():
        return pd.Timestamp(events["date"].max()).strftime("%Y-%m-%d")
    return "?"


def _rows(values: pd.Series, palette: dict, label, w) -> tuple[pd.Series, list[tuple[str, str, str]]]:
    """Colours for ``values`` from ``palette`` and the legend rows of those present (unknown last)."""
    colours = values.map(palette).fillna(LAYER_COLOURS["unknown"])
    rows = [(label(k), c, "fill") for k, c in palette.items() if (values == k).any()]
    if (~values.isin(list(palette))).any():
        rows.append((w("unknown"), LAYER_COLOURS["unknown"], "fill"))
    return colours, rows


#: How the 三区三线 layers are drawn: (options for :func:`_layer`, legend swatch).
_CONSTRAINT_STYLE: dict[str, tuple[dict[str, Any], str]] = {
    "urban_boundary": ({"fill_opacity": 0.0, "weight": 3, "outline": True}, "outline"),  # under the parcels
    "basic_farmland": ({"fill_opacity": 0.5}, "fill"),
    "eco_redline": ({"fill_opacity": 0.5}, "fill"),
}


def _constraint(m, layers, name: str, w, gcj: bool) -> None:
    frame = layers[name].assign(_id=layers[name].index.astype(str))
    options, kind = _CONSTRAINT_STYLE[name]
    fields = {"_id": w("id"), "name": w("name"), "source": w("source")}
    group = _layer(m, frame, w(name), fields=fields, colour=LAYER_COLOURS[name], gcj02=gcj, **options)
    legend(m, group, [(w(name), LAYER_COLOURS[name], kind)])


def _conflicts(m, layers, w, gcj: bool, rules: dict | None, found: dict | None = None) -> None:
    """The part of each parcel in conflict with 三区三线 (:func:`landkit.constraints.conflicts`;
    ``found``: as the audit computed them), for the parcels drawn."""
    from .constraints import conflicts

    if found is None:
        found = conflicts(layers["parcels"], layers, rules=rules)
    found = {name: hit[hit.index.isin(layers["parcels"].index)] for name, hit in found.items()}
    frames = [hit.assign(_id=hit.index.astype(str), _layer=w(name)) for name, hit in found.items() if len(hit)]
    if not frames:
        return
    parts = pd.concat(frames)
    colour = LAYER_COLOURS["conflicts"]
    fields = {"_id": w("id"), "_layer": w("constraint"), "area_m2": w("conflict_m2"), "area_mu": w("conflict_mu")}
    group = _layer(m, parts, w("conflicts"), fields=fields, colour=colour, gcj02=gcj, fill_opacity=0.8, weight=2)
    legend(m, group, [(w("conflicts"), colour, "fill")])


def _statuses(lang: str) -> dict[str, dict[str, str]]:
    """The words of the statuses by layer: the schema's Chinese; in English the codes as they are
    (``planned``, what a script and the data say: :func:`landkit.i18n.named`)."""
    return {layer: {code: named(code, names, lang) for code in names} for layer, names in
            (("parcels", PARCEL_STATUSES), ("villages", RELOCATION_STATUSES), ("roads", ROAD_STATUSES))}  # fmt: skip


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
    w = words(lang)
    statuses = _statuses(lang)
    shown = [n for n in _CONSTRAINT_STYLE if constraints and isinstance(layers.get(n), gpd.GeoDataFrame)]
    shown = [n for n in shown if len(layers[n])]
    if "county" in layers:
        colour = LAYER_COLOURS["county"]
        group = _layer(
            m,
            layers["county"],
            w("county"),
            fields={"name": w("name")},
            colour=colour,
            gcj02=gcj,
            fill_opacity=0.0,
            weight=2,
            outline=True,
        )
        legend(m, group, [(w("county"), colour, "outline")])
    if "planning_zones" in layers and len(layers["planning_zones"]):
        from .planning import expansions

        zones = layers["planning_zones"].sort_values("version")
        added = expansions(zones)
        for (zid, zone), (_, add) in zip(zones.iterrows(), added.iterrows(), strict=True):
            v = int(zone["version"])
            head = f"{w('zone')} {w('version', n=v)}: {zone['stated_area_km2']:g} km²"
            if whole_zones:
                label, shape, note = head, zone.geometry, ""
            else:
                label, shape = f"{head} (+{add['added_km2']:.1f})", add.geometry
                note = f"+{add['added_km2']:.2f} km² {w('added')}"
            frame = gpd.GeoDataFrame(
                {"name": [zone.get("name", zid)], "added": [note]}, geometry=[shape], crs=zones.crs
            )
            colour = ZONE_COLOURS.get(v, LAYER_COLOURS["unknown"])
            group = _layer(
                m,
                frame,
                label,
                fields={"name": w("name"), "added": w("added")},
                colour=colour,
                gcj02=gcj,
                fill_opacity=0.15,
                weight=3,
                outline=True,
            )
            legend(m, group, [(label, colour, "outline")])
    if "urban_boundary" in shown:
        _constraint(m, layers, "urban_boundary", w, gcj)
    if "parcels" in layers:
        p = _measured(layers["parcels"])
        if "status" not in p:  # a plain polygon layer (any real layer): drawn, without a status
            p["status"] = None
        p["_id"] = p.index
        p["_status"] = p["status"].map(lambda s: statuses["parcels"].get(s, s))
        p["_village"] = _named(p.get("village_code"), layers.get("villages"))
        fields = {"_id": w("id"), "_status": w("status"), "stated_area_mu": w("stated"), "_mu": w("measured_mu"),
                  "_m2": w("measured_m2"), "project": w("project"), "_village": w("village")}  # fmt: skip
        fills, rows = _rows(p["status"], STATUS_COLOURS, lambda s: statuses["parcels"].get(s, s), w)
        group = _layer(m, p, w("parcels"), fields=fields, colour=fills, gcj02=gcj, weight=0.5)
        legend(m, group, rows, w("parcels"))
    if "villages" in layers:
        v = layers["villages"].copy()
        v["_batch"] = v["batch"].map(lambda b: w("batch_n", n=b))
        v["_status"] = v["relocation_status"].map(lambda s: statuses["villages"].get(s, s))
        v["_target"] = _named(v.get("target_community"), layers.get("communities"))
        fields = {"name": w("name"), "_batch": w("batch"), "households": w("households"),
                  "population": w("population"), "_target": w("target"), "_status": w("status")}  # fmt: skip
        fills, rows = _rows(v["batch"], BATCH_COLOURS, lambda b: w("batch_n", n=b), w)
        faint = village_fill < 0.5  # a village under its own parcels: drawn as an outline
        if faint:
            rows = [(label, colour, "outline") for label, colour, _ in rows]
        group = _layer(m, v, w("villages"), fields=fields, colour=fills, gcj02=gcj, fill_opacity=village_fill,
                       outline=faint, weight=3 if faint else 1)  # fmt: skip
        legend(m, group, rows, w("villages"))
    simple: list[tuple[str, str, dict, dict[str, Any], str]] = [  # layer, label, fields, options, swatch
        ("communities", w("communities"), {"name": w("name"), "capacity_people": w("capacity")}, {}, "fill"),
        ("roads", w("roads"), {"name": w("name"), "planned_length_km": w("length"), "_status": w("status")},
         {"line": True}, "line"),
        ("facilities", w("facilities"), {"name": w("name"), "kind": w("kind")}, {"fill_opacity": 0.8}, "fill"),
    ]  # fmt: skip
    for name, label, fields, options, kind in simple:
        if name not in layers:
            continue
        frame = layers[name]
        if name == "roads":
            frame = frame.assign(_status=frame["status"].map(lambda s: statuses["roads"].get(s, s)))
        colour = LAYER_COLOURS[name]
        group = _layer(m, frame, label, fields=fields, colour=colour, gcj02=gcj, **options)
        legend(m, group, [(label, colour, kind)])
    for name in shown:
        if name != "urban_boundary":
            _constraint(m, layers, name, w, gcj)
    if shown and isinstance(layers.get("parcels"), gpd.GeoDataFrame) and len(layers["parcels"]):
        _conflicts(m, layers, w, gcj, rules, conflicts)
    if findings is not None and len(findings):
        f = findings.copy()
        f["_ids"] = f["ids"].map(lambda ids: ", ".join(map(str, ids)))
        colour = LAYER_COLOURS["findings"]
        group = _layer(
            m,
            f,
            w("findings"),
            fields={"rule": w("rule"), "_ids": w("id"), "message": w("message")},
            colour=colour,
            gcj02=gcj,
            fill_opacity=0.2,
            weight=3,
            outline=True,
            dash="6 4",
        )
        legend(m, group, [(w("findings"), colour, "dashed")])
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
    w = words(lang)
    extent = layers
    if version is not None:
        project = _title(layers, None, lang)
        layers, zone = _zone_version(layers, version)
        extent = {"planning_zones": layers["planning_zones"]}
        findings = _touching(findings, zone)
        km2 = zone["stated_area_km2"].iloc[0] if "stated_area_km2" in zone else float("nan")
        title = title or w("zone_title", n=int(version), km2=km2, project=project)
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
    return finish(m, lang)


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
    if wanted not in known and known:
        raise DataError(code="maps.no_zone_version", version=version, versions=", ".join(map(str, known)))
    if wanted not in known:
        raise DataError(code="maps.no_zones", version=version)
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


def _labels(group, gdf: gpd.GeoDataFrame, texts: pd.Series, *, gcj02: bool) -> None:
    """A label that stays on the map at a point inside each feature; ``texts`` are escaped HTML."""
    folium = folium_module()
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
    w = words(lang)
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
        title=title or w("village_title", name=mine["name"].iloc[0], village_code=code),
        data_date=_data_date(layers),
        tianditu_key=tianditu_key,
        about=layers,
        m=m,
    )
    found = _touching(findings, gpd.GeoDataFrame(area, geometry="geometry", crs=mine.crs))
    _draw(m, out, lang=lang, gcj=tiles == "gaode", findings=found, village_fill=0.15)
    return finish(m, lang)


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
    w = words(lang)
    comm = layers.get("communities")
    cid = find_community(comm, community)
    hit, row = comm.loc[[cid]], comm.loc[cid]
    if "villages" not in layers:
        raise DataError(code="maps.no_villages_layer")
    villages = layers["villages"]
    mine = villages[villages["target_community"] == cid].copy()
    used_p, used_h = int(mine["population"].sum()), int(mine["households"].sum())
    people = f"{w('population')} {used_p:,}/{int(row['capacity_people']):,}"
    households = f"{w('households')} {used_h:,}/{int(row['capacity_households']):,}"
    m = _new_map(
        {"planning_zones": pd.concat([hit.geometry, mine.geometry]).to_frame("geometry").set_geometry("geometry")},
        tiles=tiles,
        lang=lang,
        title=w("community_title", name=row["name"], people=people, households=households),
        data_date=_data_date(layers),
        tianditu_key=tianditu_key,
        about=layers,
        m=m,
    )
    gcj = tiles == "gaode"
    colour = LAYER_COLOURS["communities"]
    hit = hit.assign(_cap=f"{used_p:,}/{int(row['capacity_people']):,}")
    group = _layer(
        m, hit, w("communities"), fields={"name": w("name"), "_cap": w("capacity")}, colour=colour, gcj02=gcj
    )
    legend(m, group, [(w("communities"), colour, "fill")])
    _labels(group, hit, pd.Series([f"<b>{esc(row['name'])}</b><br>{esc(people)}<br>{esc(households)}"]), gcj02=gcj)
    if len(mine):
        from .relocation import distances_km

        centre = hit.geometry.centroid.to_crs(4490).iloc[0]
        pts = mine.geometry.centroid.to_crs(4490)
        mine["_km"] = distances_km(mine, hit)[cid].round(2)
        fields = {"name": w("name"), "households": w("households"), "population": w("population"), "_km": w("distance")}
        colours, rows = _rows(mine["batch"], BATCH_COLOURS, lambda b: w("batch_n", n=b), w)
        group = _layer(m, mine, w("villages"), fields=fields, colour=colours, gcj02=gcj)
        legend(m, group, rows, w("villages"))
        texts = [
            f"<b>{esc(v['name'])}</b><br>{esc(w('hh', n=f'{int(v.households):,}'))} · {v['_km']:.2f} km"
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
            w("distance"),
            fields={"name": w("name"), "_km": w("distance")},
            colour=colour,
            gcj02=gcj,
            line=True,
            dash="8 6",
        )
        legend(m, group, [(w("distance"), colour, "dashed-line")])
    return finish(m, lang)
