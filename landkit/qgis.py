"""Open a project in QGIS and see what the meeting maps show: styles in the file, and a project file.

:func:`write_styles` stores a QGIS style (QML) for every map layer in the GeoPackage's own
``layer_styles`` table, the table QGIS reads and writes itself, as the layer's default: so
whoever adds ``parcels`` to QGIS sees the statuses in the palette of the HTML maps
(:data:`landkit.maps.STATUS_COLOURS`) with their Chinese names. Only landkit's own rows (style
name ``landkit``) are ever written or replaced, in one transaction inside the file; a style
the user saved is never touched and stays the default when it is one.

:func:`write_project` writes a QGIS project (``.qgz``) that opens the GeoPackage by a relative
path, its layers grouped (底图, 规划, 储备, 搬迁), in the layers' CRS, with areas and lengths
measured on the CGCS2000 ellipsoid (QGIS's ``EPSG:1024``), like landkit's own.

Both build the XML in Python: neither needs QGIS or its Python (the tests check the result in
a real QGIS).
"""

from __future__ import annotations

import os
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .maps import BATCH_COLOURS, LABELS, LAYER_COLOURS, STATUS_COLOURS, ZONE_COLOURS
from .schema import PARCEL_STATUSES

__all__ = ["CGCS2000_ELLIPSOID", "GROUPS", "STYLE_NAME", "layer_qml", "write_project", "write_styles"]

#: The ``styleName`` of landkit's rows in ``layer_styles``: the only rows landkit writes.
STYLE_NAME = "landkit"
#: QGIS's name for the CGCS2000 ellipsoid (EPSG:1024; EPSG:7019 is GRS 1980, which differs in f).
CGCS2000_ELLIPSOID = "EPSG:1024"
#: The project's layer tree, top to bottom: (group, layers drawn top to bottom).
GROUPS: list[tuple[str, list[str]]] = [
    ("搬迁", ["communities", "villages"]),
    ("储备", ["parcels"]),
    ("规划", ["facilities", "roads", "planning_zones"]),
    ("底图", ["county"]),
]
_QGIS_VERSION = "3.22.16-Białowieża"  # what the files say they were written for; older and newer QGIS read them
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
_EDGE = "#333333"  # the edge of filled polygons, as on the HTML maps
_FONT = "Microsoft YaHei"  # on every Chinese Windows; QGIS substitutes a CJK font elsewhere
_T = LABELS["zh"]

# QGIS's own layer_styles table in a GeoPackage, as QGIS 3.22 (through GDAL) creates it.
_STYLES_DDL = (
    'CREATE TABLE "layer_styles" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "f_table_catalog" TEXT(256), '
    '"f_table_schema" TEXT(256), "f_table_name" TEXT(256), "f_geometry_column" TEXT(256), "styleName" TEXT(30), '
    '"styleQML" TEXT, "styleSLD" TEXT, "useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)
_STYLES_TRIGGERS = [
    'CREATE TRIGGER "trigger_insert_feature_count_layer_styles" AFTER INSERT ON "layer_styles" BEGIN UPDATE '
    "gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE lower(table_name) = lower('layer_styles'); END",
    'CREATE TRIGGER "trigger_delete_feature_count_layer_styles" AFTER DELETE ON "layer_styles" BEGIN UPDATE '
    "gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE lower(table_name) = lower('layer_styles'); END",
]
_STYLE_COLUMNS = (
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
    "owner",
    "ui",
    "update_time",
)
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"


@dataclass(frozen=True)
class _Style:
    """How one layer is drawn: a fill, outline or line; one colour or categories of a column."""

    title: str
    kind: str  # "fill", "outline" or "line"
    colour: str = ""
    attr: str = ""
    categories: tuple[tuple[object, str, str], ...] = ()  # (value, label, colour)
    opacity: float = 0.6
    width_mm: float = 0.26
    label_field: str = ""


def _styles() -> dict[str, _Style]:
    """Every styled layer, from the one palette of landkit.maps (the HTML and paper maps')."""
    return {
        "county": _Style(_T["county"], "outline", LAYER_COLOURS["county"], width_mm=0.8),
        "planning_zones": _Style(
            _T["zone"],
            "outline",
            attr="version",
            categories=tuple((v, _T["version"].format(n=v), c) for v, c in ZONE_COLOURS.items()),
            width_mm=0.8,
        ),
        "parcels": _Style(
            _T["parcels"],
            "fill",
            attr="status",
            categories=tuple((s, PARCEL_STATUSES[s], c) for s, c in STATUS_COLOURS.items()),
            width_mm=0.1,
        ),
        "villages": _Style(
            _T["villages"],
            "fill",
            attr="batch",
            categories=tuple((b, _T["batch_n"].format(n=b), c) for b, c in BATCH_COLOURS.items()),
            label_field="name",
        ),
        "communities": _Style(_T["communities"], "fill", LAYER_COLOURS["communities"], label_field="name"),
        "roads": _Style(_T["roads"], "line", LAYER_COLOURS["roads"], width_mm=0.6),
        "facilities": _Style(_T["facilities"], "fill", LAYER_COLOURS["facilities"], opacity=0.8),
    }


def _rgba(colour: str, alpha: float = 1.0) -> str:
    """'#c7e9c0' -> '199,233,192,255' (QGIS's colour notation)."""
    h = colour.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{round(alpha * 255)}"


def _options(parent: ET.Element, props: dict[str, str]) -> None:
    """A symbol layer's properties, both as QGIS ≥ 3.10 writes them (Option) and as older QGIS reads them (prop)."""
    box = ET.SubElement(parent, "Option", type="Map")
    for k, v in props.items():
        ET.SubElement(box, "Option", name=k, value=v, type="QString")
    for k, v in props.items():
        ET.SubElement(parent, "prop", k=k, v=v)


def _symbol(name: str, style: _Style, colour: str) -> ET.Element:
    symbol = ET.Element("symbol", type="line" if style.kind == "line" else "fill", name=name, alpha="1")
    symbol.set("clip_to_extent", "1")
    symbol.set("force_rhr", "0")
    if style.kind == "line":
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleLine", "enabled": "1", "locked": "0", "pass": "0"})
        props = {"line_color": _rgba(colour), "line_style": "solid", "line_width": f"{style.width_mm:g}",
                 "line_width_unit": "MM", "capstyle": "round", "joinstyle": "round"}  # fmt: skip
    else:
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"})
        outline = style.kind == "outline"
        props = {
            "color": _rgba(colour, 0.0 if outline else style.opacity),
            "style": "no" if outline else "solid",
            "outline_color": _rgba(colour if outline else _EDGE),
            "outline_style": "solid",
            "outline_width": f"{style.width_mm:g}",
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        }
    _options(layer, props)
    return symbol


def _renderer(style: _Style) -> ET.Element:
    if not style.categories:
        renderer = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", forceraster="0")
        renderer.set("enableorderby", "0")
        symbols = ET.SubElement(renderer, "symbols")
        symbols.append(_symbol("0", style, style.colour))
        return renderer
    renderer = ET.Element("renderer-v2", type="categorizedSymbol", attr=style.attr, symbollevels="0")
    renderer.set("forceraster", "0")
    renderer.set("enableorderby", "0")
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, (value, label, colour) in enumerate(style.categories):
        ET.SubElement(categories, "category", value=str(value), label=label, symbol=str(i), render="true")
        symbols.append(_symbol(str(i), style, colour))
    # anything the palette does not know: drawn in its "unknown" colour, labelled as such
    n = len(style.categories)
    ET.SubElement(categories, "category", value="", label=_T["unknown"], symbol=str(n), render="true")
    symbols.append(_symbol(str(n), style, LAYER_COLOURS["unknown"]))
    return renderer


def _labeling(field: str) -> ET.Element:
    labeling = ET.Element("labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    text = ET.SubElement(settings, "text-style", fieldName=field, isExpression="0", fontFamily=_FONT)
    for k, v in {"fontSize": "10", "fontSizeUnit": "Point", "textColor": "0,0,0,255", "textOpacity": "1",
                 "fontWeight": "75", "namedStyle": "Bold", "allowHtml": "0"}.items():  # fmt: skip
        text.set(k, v)
    buffer = ET.SubElement(text, "text-buffer", bufferDraw="1", bufferSize="1", bufferSizeUnits="MM")
    buffer.set("bufferColor", "255,255,255,255")
    buffer.set("bufferOpacity", "0.8")
    # 1 = over the centroid, inside the polygon: where the HTML maps put their labels
    ET.SubElement(settings, "placement", placement="1", centroidInside="1", centroidWhole="0", dist="0")
    rendering = ET.SubElement(settings, "rendering", drawLabels="1", obstacle="1", displayAll="0")
    rendering.set("upsidedownLabels", "0")
    return labeling


def _style_elements(layer: str) -> list[ET.Element]:
    """The elements a layer's style is made of (renderer, labels): the QML's and the project's."""
    style = _styles()[layer]
    parts = [_renderer(style)]
    if style.label_field:
        parts.append(_labeling(style.label_field))
    return parts


def layer_qml(layer: str) -> str:
    """Return landkit's QGIS style (QML) for a project layer: what :func:`write_styles` stores.

    Examples
    --------
    >>> qml = layer_qml("parcels")
    >>> 'attr="status"' in qml and 'label="规划储备"' in qml and '199,233,192,153' in qml
    True
    """
    if layer not in _styles():
        raise ValueError(f"landkit has no QGIS style for {layer!r}; it styles {', '.join(_styles())}")
    root = ET.Element("qgis", version=_QGIS_VERSION, styleCategories="AllStyleCategories")
    parts = _style_elements(layer)
    root.set("labelsEnabled", "1" if len(parts) > 1 else "0")
    root.extend(parts)
    ET.SubElement(root, "layerGeometryType").text = "1" if _styles()[layer].kind == "line" else "2"
    ET.indent(root)
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


# -- the GeoPackage -------------------------------------------------------------------------------


def _geometry_layers(db: sqlite3.Connection) -> dict[str, tuple[str, str, int]]:
    """layer -> (geometry column, geometry type, srs_id) for every geometry layer of the file."""
    rows = db.execute("SELECT table_name, column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns")
    return {str(t): (str(c), str(g), int(s)) for t, c, g, s in rows}


def _gpkg(path: str | os.PathLike) -> Path:
    from .store import check_geopackage, is_url

    if is_url(path):
        raise DataError(
            "QGIS styles and projects are written for GeoPackage files; for a database, pull it into a "
            "GeoPackage first (landkit.store.pull)"
        )
    return check_geopackage(path)


def _create_styles_table(db: sqlite3.Connection) -> None:
    """Create ``layer_styles`` exactly as QGIS does (via GDAL): the table, its feature-count
    triggers, and its rows in gpkg_contents and gpkg_ogr_contents."""
    db.execute(_STYLES_DDL)
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
        f"VALUES ('layer_styles', 'attributes', 'layer_styles', '', {_NOW}, 0)"
    )
    has_ogr = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_ogr_contents'")
    if has_ogr.fetchone():
        db.execute("INSERT INTO gpkg_ogr_contents (table_name, feature_count) VALUES ('layer_styles', 0)")
        for trigger in _STYLES_TRIGGERS:
            db.execute(trigger)


def write_styles(path: str | os.PathLike) -> dict[str, str]:
    """Store landkit's QGIS style of every map layer in the GeoPackage, as the layer's default.

    Writes the QGIS table ``layer_styles`` (creating it as QGIS does when absent), in one
    transaction inside the file. Only rows named :data:`STYLE_NAME` are written or replaced;
    landkit's style becomes a layer's default only when no other style of that layer is.
    Returns, per layer styled, ``"default"`` or ``"kept <name>"`` (the user's default kept).
    """
    from .store import writing

    path = _gpkg(path)
    done: dict[str, str] = {}
    with writing(path) as writer:
        db: sqlite3.Connection = writer.db
        layers = _geometry_layers(db)
        if not writer.has("layer_styles"):
            _create_styles_table(db)
        writer.require("layer_styles", _STYLE_COLUMNS)
        for layer, style in _styles().items():
            if layer not in layers:
                continue
            geom = layers[layer][0]
            rows = db.execute(
                "SELECT id, styleName, useAsDefault FROM layer_styles WHERE f_table_name = ? "
                "AND coalesce(f_table_schema, '') = '' ORDER BY id",
                (layer,),
            ).fetchall()
            mine = [r[0] for r in rows if r[1] == STYLE_NAME]
            theirs = [r[1] for r in rows if r[1] != STYLE_NAME and r[2] not in (None, 0, "0", "false")]
            default = 0 if theirs else 1
            qml = layer_qml(layer)
            description = f"landkit: {style.title}"
            if mine:
                db.execute(
                    "UPDATE layer_styles SET f_table_catalog = '', f_table_schema = '', f_geometry_column = ?, "
                    f"styleQML = ?, styleSLD = '', useAsDefault = ?, description = ?, update_time = {_NOW} "
                    "WHERE id = ?",
                    (geom, qml, default, description, mine[0]),
                )
                db.executemany("DELETE FROM layer_styles WHERE id = ?", [(i,) for i in mine[1:]])
            else:
                db.execute(
                    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                    "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) "
                    "VALUES ('', '', ?, ?, ?, ?, '', ?, ?, '', NULL)",
                    (layer, geom, STYLE_NAME, qml, default, description),
                )
            done[layer] = "default" if default else f"kept {theirs[0]}"
        db.execute(f"UPDATE gpkg_contents SET last_change = {_NOW} WHERE table_name = 'layer_styles'")
    return done


# -- the project ----------------------------------------------------------------------------------


def _crs_element(parent: ET.Element, tag: str, srs_id: int, db: sqlite3.Connection) -> None:
    """A CRS as QGIS writes one: its WKT and its authority id."""
    import pyproj

    row = db.execute(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
        (srs_id,),
    ).fetchone()
    if row is None or srs_id <= 0:
        raise DataError(f"the layers' CRS (srs_id {srs_id}) is not defined in the file; landkit needs one")
    org, code, definition = row
    crs = pyproj.CRS.from_user_input(f"{org}:{code}") if str(org).upper() == "EPSG" else pyproj.CRS(definition)
    box = ET.SubElement(ET.SubElement(parent, tag), "spatialrefsys")
    ET.SubElement(box, "wkt").text = crs.to_wkt()
    authority = crs.to_authority()
    ET.SubElement(box, "authid").text = ":".join(authority) if authority else ""
    if authority and authority[0] == "EPSG":
        ET.SubElement(box, "srid").text = authority[1]
    ET.SubElement(box, "description").text = crs.name
    ET.SubElement(box, "geographicflag").text = "true" if crs.is_geographic else "false"


def _extent(db: sqlite3.Connection, layers: dict[str, tuple[str, str, int]]) -> tuple[float, float, float, float]:
    """The box the paper map shows: the landkit layers' but the county's (else theirs), from the R-trees."""
    shown = [n for g in GROUPS for n in g[1] if n in layers]
    for names in ([n for n in shown if n != "county"], shown, list(layers)):
        boxes = []
        for name in names:
            rtree = f"rtree_{name}_{layers[name][0]}" if name in layers else ""
            if rtree and db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)).fetchone():
                box = db.execute(f'SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "{rtree}"').fetchone()
                if box[0] is not None:
                    boxes.append(box)
        if boxes:
            return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                    max(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip
    raise DataError("the layers have no features to show")


_PAGE_W, _PAGE_H = 420.0, 297.0  # A3 landscape, mm
_MAP = (10.0, 24.0, 300.0, 263.0)  # x, y, width, height of the map frame on the page, mm


def _item(parent: ET.Element, kind: int, uuid: str, box: tuple[float, float, float, float], **attrs: str) -> ET.Element:
    x, y, w, h = box
    item = ET.SubElement(parent, "LayoutItem", type=str(kind), uuid=uuid, templateUuid=uuid)
    for k, v in {"position": f"{x:g},{y:g},mm", "positionOnPage": f"{x:g},{y:g},mm", "size": f"{w:g},{h:g},mm",
                 "referencePoint": "0", "visibility": "1", "opacity": "1", "frame": "false",
                 "background": "false", "zValue": "1", "id": attrs.pop("id", ""), **attrs}.items():  # fmt: skip
        item.set(k, v)
    return item


def _layout(root: ET.Element, title: str, notes: list[str], extent: tuple[float, float, float, float]) -> None:
    """An A3 landscape print layout (出图): title, map, legend, scale bar, north arrow, notes."""
    layouts = ET.SubElement(root, "Layouts")
    layout = ET.SubElement(layouts, "Layout", name=f"{title} A3", units="mm", printResolution="300")
    pages = ET.SubElement(layout, "PageCollection")
    _item(pages, 65638, "{landkit-page}", (0, 0, _PAGE_W, _PAGE_H), background="true", zValue="0")
    x, y, w, h = _MAP
    xmin, ymin, xmax, ymax = extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half_w = max(xmax - xmin, (ymax - ymin) * w / h) * 1.05 / 2  # the frame's aspect, 5 % margin
    half_h = half_w * h / w
    map_uuid = "{landkit-map}"
    item = _item(layout, 65639, map_uuid, _MAP, id="地图", frame="true", background="true")
    ET.SubElement(item, "Extent", xmin=f"{cx - half_w:.3f}", ymin=f"{cy - half_h:.3f}",
                  xmax=f"{cx + half_w:.3f}", ymax=f"{cy + half_h:.3f}")  # fmt: skip
    ET.SubElement(item, "LayerSet")  # empty: the project's visible layers
    font = f"{_FONT},{{size}},-1,5,{{weight}},0,0,0,0,0"
    label = _item(layout, 65641, "{landkit-title}", (10, 6, 400, 14), id="图名", labelText=title,
                  halign="4", valign="128", htmlState="0", marginX="0", marginY="0")  # fmt: skip
    ET.SubElement(label, "LabelFont", style="", description=font.format(size=24, weight=75))
    legend = _item(layout, 65642, "{landkit-legend}", (318, 24, 92, 200), id="图例", title=_T["legend"],
                   map_uuid=map_uuid, resizeToContents="1", columnCount="2", splitLayer="1", titleAlignment="1",
                   symbolWidth="6", symbolHeight="3.5", equalColumnWidth="0", columnSpace="3")  # fmt: skip
    styles = ET.SubElement(legend, "styles")
    for name, size, weight in (("title", 14, 75), ("group", 11, 75), ("subgroup", 10, 75), ("symbol", 9, 50),
                               ("symbolLabel", 9, 50)):  # fmt: skip
        style = ET.SubElement(styles, "style", name=name, alignment="1", marginTop="1.5" if size > 10 else "0.8")
        ET.SubElement(style, "styleFont", style="", description=font.format(size=size, weight=weight))
    _item(layout, 65646, "{landkit-scalebar}", (318, 262, 80, 12), id="比例尺", mapUuid=map_uuid,
          style="Single Box", unitType="meters", unitLabel="m", numSegments="2", numSegmentsLeft="0",
          segmentSizeMode="1", minBarWidth="40", maxBarWidth="70", height="3", numUnitsPerSegment="1000",
          numMapUnitsPerScaleBarUnit="1", alignment="0", labelBarSpace="3", zValue="2")  # fmt: skip
    _item(layout, 65640, "{landkit-north}", (x + w - 22, y + 4, 16, 20), id="指北针", mapUuid=map_uuid,
          file=":/images/north_arrows/layout_default_north_arrow.svg", mode="2", resizeMode="0",
          northMode="0", northOffset="0", pictureRotation="0", zValue="2")  # fmt: skip
    note = _item(layout, 65641, "{landkit-note}", (318, 276, 92, 14), id="说明",
                 labelText="\n".join(notes), halign="1", valign="128", htmlState="0")  # fmt: skip
    ET.SubElement(note, "LabelFont", style="", description=font.format(size=8, weight=50))


def _relative(target: Path, start: Path) -> str:
    """The path QGIS reads relative to the project file: ./name or ../dir/name, with forward slashes."""
    try:
        rel = os.path.relpath(target.resolve(), start.resolve())
    except ValueError:  # another drive on Windows: no relative path exists
        return target.resolve().as_posix()
    rel = rel.replace(os.sep, "/")
    return rel if rel.startswith("../") else "./" + rel


def _info(db: sqlite3.Connection) -> dict[str, str]:
    """The project's project_info table (key, value), empty when it has none."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'project_info'").fetchone():
        return {}
    try:
        rows = db.execute('SELECT "key", "value" FROM project_info').fetchall()
    except sqlite3.OperationalError:  # a table of another shape
        return {}
    return {str(k): str(v).strip() for k, v in rows if v is not None and str(v).strip()}


def _project_xml(gpkg: Path, out: Path) -> str:
    import pandas as pd

    from .schema import is_illustrative

    db = sqlite3.connect(f"{gpkg.resolve().as_uri()}?mode=ro", uri=True)
    try:
        layers = _geometry_layers(db)
        info = _info(db)
        title = info.get("title", gpkg.stem)
        source = _relative(gpkg, out.parent)
        ordered = [(group, [n for n in names if n in layers]) for group, names in GROUPS]
        ordered = [(group, names) for group, names in ordered if names]
        if not ordered:
            raise DataError(f"{gpkg}: none of the layers {', '.join(_styles())} is in the file; nothing to show")
        first = ordered[0][1][0]
        root = ET.Element("qgis", projectname=title, version=_QGIS_VERSION)
        ET.SubElement(root, "homePath", path="")
        ET.SubElement(root, "title").text = title
        _crs_element(root, "projectCrs", layers[first][2], db)
        tree = ET.SubElement(root, "layer-tree-group")
        ET.SubElement(ET.SubElement(tree, "customproperties"), "Option")
        maplayers = ET.Element("projectlayers")
        order = ET.Element("layerorder")
        for group, names in ordered:
            node = ET.SubElement(tree, "layer-tree-group", name=group, checked="Qt::Checked", expanded="1")
            ET.SubElement(ET.SubElement(node, "customproperties"), "Option")
            for name in names:
                lid, style = f"{name}_landkit", _styles()[name]
                datasource = f"{source}|layername={name}"
                ET.SubElement(node, "layer-tree-layer", id=lid, name=style.title, source=datasource,
                              providerKey="ogr", checked="Qt::Checked", expanded="1")  # fmt: skip
                geometry = "Line" if style.kind == "line" else "Polygon"
                parts = _style_elements(name)
                m = ET.SubElement(maplayers, "maplayer", type="vector", geometry=geometry)
                m.set("labelsEnabled", "1" if len(parts) > 1 else "0")
                m.set("styleCategories", "AllStyleCategories")
                ET.SubElement(m, "id").text = lid
                ET.SubElement(m, "datasource").text = datasource
                ET.SubElement(m, "layername").text = style.title
                _crs_element(m, "srs", layers[name][2], db)
                ET.SubElement(m, "provider", encoding="UTF-8").text = "ogr"
                m.extend(parts)
                ET.SubElement(order, "layer", id=lid)
        root.append(maplayers)
        root.append(order)
        props = ET.SubElement(root, "properties")
        ET.SubElement(ET.SubElement(props, "Paths"), "Absolute", type="bool").text = "false"
        # without it QGIS reads no project CRS (a leftover of on-the-fly reprojection being optional)
        ET.SubElement(ET.SubElement(props, "SpatialRefSys"), "ProjectionsEnabled", type="int").text = "1"
        ET.SubElement(ET.SubElement(props, "Measure"), "Ellipsoid", type="QString").text = CGCS2000_ELLIPSOID
        notes = [f"{_T['datum']}: {root.findtext('projectCrs/spatialrefsys/description') or ''}", _T["measured_note"]]
        if info.get("organisation"):
            notes.append(f"制图单位: {info['organisation']}")
        if is_illustrative({"project_info": pd.DataFrame({"key": list(info), "value": list(info.values())})}):
            notes.append(_T["illustrative"])
        _layout(root, title, notes, _extent(db, layers))
        units = ET.SubElement(props, "Measurement")
        ET.SubElement(units, "DistanceUnits", type="QString").text = "meters"
        ET.SubElement(units, "AreaUnits", type="QString").text = "m2"
    finally:
        db.close()
    ET.indent(root)
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


def write_project(path: str | os.PathLike, out_qgz: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write a QGIS project (``.qgz``) that opens the GeoPackage ``path`` by a relative path.

    Layers grouped 底图/规划/储备/搬迁 and styled as :func:`write_styles` styles them; project
    CRS the layers'; ellipsoid CGCS2000, so that QGIS measures areas as landkit does. An
    existing ``out_qgz`` is replaced only with ``overwrite``; the file is written aside and
    moved into place. Returns the project's path.
    """
    gpkg = _gpkg(path)
    out = Path(out_qgz)
    if out.suffix.lower() != ".qgz":
        raise DataError(f"{out}: a QGIS project is written as .qgz; name it NAME.qgz")
    if out.exists() and (out.resolve() == gpkg.resolve() or not overwrite):
        raise DataError(f"{out}: the file exists; give overwrite=True to replace it, or another name")
    xml = _project_xml(gpkg, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.with_name(f".{out.name}.{os.getpid()}.landkit-tmp")  # beside it: os.replace stays atomic
    try:
        with zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"{out.stem}.qgs", xml.encode("utf-8"))
        os.replace(scratch, out)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return out
