"""The printed map (``landkit.paper.print_map``): read back from the PDF itself with pdfium."""

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import landkit
from landkit.errors import DataError
from landkit.paper import print_map
from landkit.schema import PARCEL_STATUSES

pdfium = pytest.importorskip("pypdfium2")
pdfium_raw = pytest.importorskip("pypdfium2.raw")

PT_PER_MM = 72 / 25.4
A3, A4 = (420 * PT_PER_MM, 297 * PT_PER_MM), (297 * PT_PER_MM, 210 * PT_PER_MM)


def _has_cjk_font() -> bool:
    from landkit.fonts import chinese_fonts

    return bool(chinese_fonts())


needs_cjk = pytest.mark.skipif(not _has_cjk_font(), reason="Chinese labels need a CJK font (pip install mplfonts)")


class Page:
    """One PDF page as pdfium reads it: text, character boxes, drawn objects, metadata, pixels."""

    def __init__(self, data: bytes):
        self.data = data
        self.doc = pdfium.PdfDocument(data)
        assert len(self.doc) == 1
        self.page = self.doc[0]
        self.size = self.page.get_size()
        self.textpage = self.page.get_textpage()
        self.text = self.textpage.get_text_range()
        self.meta = self.doc.get_metadata_dict()
        self.keywords = dict(
            part.split("=", 1) for part in self.meta["Keywords"].split("; ") if "=" in part
        )  # crs=..., scale=1:N, extent=x0,y0,x1,y1, frame_mm=left,bottom,width,height

    def boxes(self, word: str) -> list[tuple[float, float, float, float]]:
        """The PDF boxes (left, bottom, right, top; points) of every occurrence of ``word``."""
        found, search = [], self.textpage.search(word)
        while hit := search.get_next():
            start, count = hit
            chars = np.array([self.textpage.get_charbox(i) for i in range(start, start + count)])
            found.append((chars[:, 0].min(), chars[:, 1].min(), chars[:, 2].max(), chars[:, 3].max()))
        return found

    def stated_scale(self) -> int:
        return int(re.search(r"(?:比例尺|Scale) 1:([\d ]+\d)", self.text).group(1).replace(" ", ""))

    def render(self, scale: float = 3.0) -> np.ndarray:
        return np.asarray(self.page.render(scale=scale).to_pil().convert("L"))


@pytest.fixture(scope="module")
def layers():
    return landkit.read_project(landkit.SAMPLE_PATH)


@pytest.fixture(scope="module")
def zone(layers):
    return Page(print_map(layers))


@pytest.fixture(scope="module")
def village(layers):
    return Page(print_map(layers, village="沈庄村"))


def test_page_is_a3_or_a4_landscape(zone, layers):
    assert zone.size == pytest.approx(A3, abs=0.5)
    assert zone.data.startswith(b"%PDF-")
    assert Page(print_map(layers, size="A4", village="410423101023")).size == pytest.approx(A4, abs=0.5)
    with pytest.raises(ValueError, match="A3, A4"):
        print_map(layers, size="Letter")


@needs_cjk
def test_page_says_what_a_map_for_the_file_must(zone, layers):
    text = zone.text
    assert zone.meta["Title"] == "鲁山县产业集聚区" and "鲁山县产业集聚区" in text
    assert re.search(r"比例尺 1:\d[\d ]*000", text)
    assert "指北针" in text
    left, bottom, width, height = (v * PT_PER_MM for v in map(float, zone.keywords["frame_mm"].split(",")))
    corner = (left + width - 20 * PT_PER_MM, bottom + height - 25 * PT_PER_MM, left + width, bottom + height)
    north = [b for b in zone.boxes("N") if corner[0] < b[0] < corner[2] and corner[1] < b[1] < corner[3]]
    assert len(north) == 1  # the arrow's N, in the map's top right corner
    assert "数据日期: " + layers["events"]["date"].max().strftime("%Y-%m-%d") in text  # the latest event
    assert "CGCS2000 / 3-degree Gauss-Kruger CM 114E (EPSG:4547)" in text
    assert "面积为CGCS2000椭球面积" in text
    assert "制图单位: landkit 示例" in text
    assert f"landkit {landkit.__version__}" in text
    assert "示意数据，非测绘成果" in text
    for label in ("图例", "规划范围", "储备地块", "搬迁村庄", "第1批", "第3批", "道路", "第3版 30 km²"):
        assert label in text, label
    present = set(layers["parcels"]["status"])
    assert all(PARCEL_STATUSES[s] in text for s in present)


@needs_cjk
def test_no_illustrative_note_when_the_project_does_not_say_so(layers):
    plain = {name: df for name, df in layers.items() if name != "project_info"}
    page = Page(print_map(plain, size="A4"))
    assert "示意" not in page.text
    assert "制图单位" not in page.text  # no organisation given: none printed
    assert "比例尺 1:" in page.text


@needs_cjk
def test_legend_text_is_drawn_not_only_embedded(zone):
    scale = 3.0
    pixels = zone.render(scale)
    height = zone.size[1]
    for label in [PARCEL_STATUSES["planned"], PARCEL_STATUSES["transferred"], "安置社区", "图例"]:
        (left, bottom, right, top), *_ = zone.boxes(label)
        assert left > 0.7 * zone.size[0], f"{label} is not in the legend panel on the right"
        crop = pixels[
            int((height - top) * scale) : int((height - bottom) * scale) + 1, int(left * scale) : int(right * scale) + 1
        ]
        assert crop.size and crop.min() < 100, f"{label!r}: its box is blank on the rendered page"


def _scale_bar(page: Page) -> tuple[float, float]:
    """The scale bar's drawn length (mm on paper) and the ground length its label gives (m).

    The bar is the four equal boxes in one row just under the map's 比例尺 text (the one on the left).
    """
    left, bottom, *_ = min(page.boxes("比例尺") + page.boxes("Scale"))
    rows: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for obj in page.page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH]):
        x0, y0, x1, y1 = obj.get_bounds()
        if bottom - 4 * PT_PER_MM < y1 <= bottom + 0.5 and y1 - y0 < 3 * PT_PER_MM and x0 > left - 3 * PT_PER_MM:
            rows.setdefault((round(y0, 2), round(y1, 2)), []).append((x0, x1))
    bars = [(y, sorted(r)) for (y, _), r in rows.items() if len(r) == 4 and np.ptp([b - a for a, b in r]) < 0.01]
    assert len(bars) == 1, rows
    y0, bar = bars[0]
    centres = [(x0 + x1) / 2 for x0, x1 in bar]  # centres: the stroke width cancels out
    assert np.ptp(np.diff(centres)) < 0.01
    drawn_mm = (centres[-1] - centres[0]) * 4 / 3 / PT_PER_MM
    under = page.textpage.get_text_bounded(bar[0][0] - 20, y0 - 6 * PT_PER_MM, bar[-1][1] + 40, y0)
    value, unit = re.search(r"(\d+(?:\.\d+)?) (k?m)", under).groups()
    return drawn_mm, float(value) * (1000 if unit == "km" else 1)


def test_stated_scale_is_the_scale_on_paper(zone):
    stated = zone.stated_scale()
    drawn_mm, ground_m = _scale_bar(zone)
    assert ground_m * 1000 / drawn_mm == pytest.approx(stated, rel=0.01)
    assert 0.1 < drawn_mm / 295 < 0.25  # a fifth of the frame or so
    assert str(stated)[0] in "1234568" and stated % 1000 == 0
    # the frame the PDF says it drew is on the page, and its ground width over its paper width is the scale
    x0, y0, x1, y1 = map(float, zone.keywords["extent"].split(","))
    left, bottom, width, height = map(float, zone.keywords["frame_mm"].split(","))
    assert zone.keywords["scale"] == f"1:{stated}"
    assert (x1 - x0) / (width / 1000) == pytest.approx(stated, rel=1e-6)
    assert (y1 - y0) / (height / 1000) == pytest.approx(stated, rel=1e-6)
    w, h, cx, cy = (v * PT_PER_MM for v in (width, height, left + width / 2, bottom + height / 2))
    frames = [o.get_bounds() for o in zone.page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH])]
    assert any(  # pdfium's bounds take in the stroke: compare centres, and sizes to a stroke's width
        abs(r - le - w) < 2 and abs(t - bo - h) < 2 and abs((le + r) / 2 - cx) < 0.1 and abs((bo + t) / 2 - cy) < 0.1
        for le, bo, r, t in frames
    )


def test_zone_map_shows_the_latest_zone_and_every_parcel(zone, layers):
    x0, y0, x1, y1 = map(float, zone.keywords["extent"].split(","))
    assert zone.keywords["crs"] == "EPSG:4547"
    for gdf in (layers["parcels"], layers["planning_zones"].sort_values("version").iloc[[-1]]):
        west, south, east, north = gdf.total_bounds
        assert x0 < west and east < x1 and y0 < south and north < y1


def test_village_map_is_the_village_at_a_larger_scale(village, zone, layers):
    mine = layers["parcels"][layers["parcels"]["village_code"] == "410423101023"]
    assert len(mine)
    x0, y0, x1, y1 = map(float, village.keywords["extent"].split(","))
    west, south, east, north = mine.total_bounds
    assert x0 < west and east < x1 and y0 < south and north < y1
    assert village.stated_scale() * 2 <= zone.stated_scale()
    assert (x1 - x0) < 0.5 * (np.ptp([float(v) for v in zone.keywords["extent"].split(",")[::2]]))
    if _has_cjk_font():
        assert "沈庄村（410423101023）地块图" in village.text and "其他地块" in village.text
        statuses = {PARCEL_STATUSES[s] for s in mine["status"]}
        legend = village.text.split("图例", 1)[1]
        assert all(s in legend for s in statuses)
        assert PARCEL_STATUSES["transferred"] not in legend  # only this village's statuses are listed
    drawn_mm, ground_m = _scale_bar(village)
    assert ground_m * 1000 / drawn_mm == pytest.approx(village.stated_scale(), rel=0.01)


def test_unknown_village_or_version_names_what_exists(layers):
    with pytest.raises(DataError, match=r"no village '无此村'.*25 villages: 410423101001 \(大王庄村\)"):
        print_map(layers, village="无此村")
    with pytest.raises(DataError, match=r"no planning-zone version 7; the project has versions \[1, 2, 3\]"):
        print_map(layers, zone_version=7)


def test_zone_version_map(layers):
    page = Page(print_map(layers, zone_version=1, lang="en"))
    assert page.meta["Title"] == "Planning zone Version 1 · 8.6 km²"
    x0, y0, x1, y1 = map(float, page.keywords["extent"].split(","))
    west, south, east, north = layers["planning_zones"].loc["Z1"].geometry.bounds
    assert x0 < west and east < x1 and y0 < south and north < y1
    assert "Version 1 8.6 km²" in page.text and "Version 3" not in page.text


def test_english_labels(layers):
    page = Page(print_map(layers, lang="en", size="A4"))
    text = page.text
    assert "Lushan County industrial cluster zone" in text
    labels = ["Legend", "Scale 1:", "Data as of: ", "north arrow", "Reserve parcels", "planned", "Batch 1"]
    labels += ["areas are ellipsoidal on CGCS2000", "illustrative data, not a survey", "Coordinate system"]
    for label in labels:
        assert label in text, label
    for label in ("图例", "比例尺", "规划储备", "数据日期", "示意"):
        assert label not in text, label


def test_findings_are_drawn_and_listed(layers, zone):
    parcels = layers["parcels"]
    table = pd.DataFrame({"rule": ["overlap"], "layer": ["parcels"], "ids": [list(parcels.index[:2])]})
    page = Page(print_map(layers, findings=table, lang="en"))
    assert "Audit findings" in page.text and "Audit findings" not in Page(print_map(layers, lang="en")).text

    from landkit.maps import LAYER_COLOURS

    colour = np.array([int(LAYER_COLOURS["findings"][k : k + 2], 16) for k in (1, 3, 5)])

    def red(p: Page) -> int:  # pixels of the findings' own colour (no other layer uses it)
        rgb = np.asarray(p.page.render(scale=1.5).to_pil().convert("RGB")).astype(int)
        return int((np.abs(rgb - colour).max(axis=-1) < 12).sum())

    assert red(page) > 20 and red(zone) == 0


def test_untrusted_names_cannot_break_the_page(layers):
    odd = dict(layers)
    villages = layers["villages"].copy()
    villages.loc["410423101023", "name"] = "$\\frac{1}{0}$ 很长的名字" * 40 + "\nX"
    odd["villages"] = villages
    page = Page(print_map(odd, village="410423101023", lang="en"))
    assert page.size == pytest.approx(A3, abs=0.5)
    assert "…" in page.meta["Title"] and len(page.meta["Title"]) < 80
    assert "$\\frac{1}{0}$" in page.text  # shown as written, not as mathtext


def test_lonlat_project_is_drawn_in_its_gauss_kruger_zone(layers):
    lonlat = {k: v.to_crs(4490) if isinstance(v, gpd.GeoDataFrame) else v for k, v in layers.items()}
    page = Page(print_map(lonlat, village="沈庄村", size="A4"))
    assert page.keywords["crs"] == "EPSG:4547"
    drawn_mm, ground_m = _scale_bar(page)
    assert ground_m * 1000 / drawn_mm == pytest.approx(page.stated_scale(), rel=0.01)


def test_without_a_chinese_font_chinese_is_refused_and_latin_still_prints(layers, monkeypatch):
    """No Chinese font at all (not even the one from PyPI): a Chinese map is refused in a line that
    names the character, never printed in boxes; an English map of Latin names still prints."""
    monkeypatch.setattr("landkit.fonts.chinese_fonts", lambda: ())
    with pytest.raises(DataError) as caught:
        print_map(layers, village="沈庄村", size="A4")
    assert caught.value.code == "fonts.missing_glyph" and "pip install mplfonts" in caught.value.text("zh")
    import shapely

    parcels = gpd.GeoDataFrame({"status": ["planned"]}, geometry=[shapely.box(500000, 3700000, 500400, 3700400)],
                               index=["A"], crs=4547)  # fmt: skip
    page = Page(print_map({"parcels": parcels}, size="A4", lang="en"))
    assert "Legend" in page.text and re.search(r"Scale 1:\d", page.text)


def test_parcels_are_filled_by_status_with_their_holes_open():
    """The parcels are drawn as one path per status: a courtyard (a hole, here wound the same way
    as its shell) stays open, the ring around it is filled in the status's colour."""
    import shapely

    from landkit.maps import STATUS_COLOURS

    shell = shapely.box(500000, 3700000, 500400, 3700400)
    courtyard = shapely.Polygon(shell.exterior.coords, [shapely.box(500100, 3700100, 500300, 3700300).exterior.coords])
    assert shapely.is_ccw(courtyard.exterior) and shapely.is_ccw(courtyard.interiors[0])
    parcels = gpd.GeoDataFrame(
        {"status": ["planned", "reserved"]},
        geometry=[courtyard, shapely.box(500500, 3700000, 500600, 3700100)],
        index=["A", "B"],
        crs=4547,
    )
    page = Page(print_map({"parcels": parcels}, size="A4", lang="en"))
    x0, y0, x1, y1 = map(float, page.keywords["extent"].split(","))
    left, bottom, width, height = (v * PT_PER_MM for v in map(float, page.keywords["frame_mm"].split(",")))
    scale = 2.0
    rgb = np.asarray(page.page.render(scale=scale).to_pil().convert("RGB")).astype(int)

    def colour_at(x, y):
        px = (left + (x - x0) / (x1 - x0) * width) * scale
        py = (page.size[1] - bottom - (y - y0) / (y1 - y0) * height) * scale
        return rgb[int(py), int(px)]

    def hex_rgb(colour):
        return np.array([int(colour[k : k + 2], 16) for k in (1, 3, 5)])

    assert (colour_at(500200, 3700200) > 250).all()  # the courtyard: the white page
    assert np.abs(colour_at(500050, 3700200) - hex_rgb(STATUS_COLOURS["planned"])).max() < 8
    assert np.abs(colour_at(500550, 3700050) - hex_rgb(STATUS_COLOURS["reserved"])).max() < 8


@needs_cjk
def test_each_font_is_embedded_once(zone):
    """Chinese and Latin text share one subset of the CJK font: matplotlib would otherwise embed
    (and subset, the slowest step of the page) a second copy of it for the Chinese characters."""
    fonts = re.findall(rb"/Subtype /Type0 /BaseFont /[A-Z]{6}\+(\S+)", zone.data)
    assert fonts and len(fonts) == len(set(fonts)), fonts


@pytest.mark.slow
@needs_cjk
def test_landkit_print_writes_the_pdf_and_the_pack_has_one(tmp_path, sample_copy):
    from click.testing import CliRunner

    from landkit.cli import main

    out = tmp_path / "规划图-A4.pdf"
    first = CliRunner().invoke(main, ["print", str(sample_copy), "-o", str(out), "--size", "a4"])
    assert first.exit_code == 0, first.output
    page = Page(out.read_bytes())
    assert page.size == pytest.approx(A4, abs=1) and "鲁山县产业集聚区" in page.text
    again = CliRunner().invoke(main, ["print", str(sample_copy), "-o", str(out), "--village", "410423101023"])
    assert again.exit_code == 0 and "沈庄村" in Page(out.read_bytes()).text  # its own PDF: replaced
    mine = tmp_path / "notes.pdf"
    mine.write_bytes(b"%PDF-1.4 somebody else's\n")
    refused = CliRunner().invoke(main, ["print", str(sample_copy), "-o", str(mine)])
    assert refused.exit_code == 2 and "--overwrite" in refused.output and mine.read_bytes().startswith(b"%PDF-1.4 some")
    assert CliRunner().invoke(main, ["report", str(sample_copy), "-o", str(tmp_path / "pack")]).exit_code == 0
    pack = Page((tmp_path / "pack" / "zone-A3.pdf").read_bytes())
    assert pack.size == pytest.approx(A3, abs=1) and "比例尺 1:" in pack.text
    assert 'href="zone-A3.pdf"' in (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")


@needs_cjk
def test_the_constraint_layers_are_in_the_legend(zone, layers):
    legend = zone.text.split("图例", 1)[1]
    for label in ("永久基本农田", "生态保护红线", "城镇开发边界"):
        assert label in legend, label
    bare = {k: v for k, v in layers.items() if k not in ("basic_farmland", "eco_redline", "urban_boundary")}
    assert "永久基本农田" not in Page(print_map(bare, size="A4")).text  # only the layers the project has


@pytest.mark.parametrize("size", ["A3", "A4"])
def test_the_zone_map_frames_every_community_village_and_zone_version_clear_of_its_furniture(layers, size, tmp_path):
    """The zone map frames the whole zone (every version) and every village and community (汇源社区
    lies south of the parcels and was cut off), none of them under the scale bar's box (bottom left)
    or the north arrow (top right); so does the QGIS project's layout map."""
    import io
    import xml.etree.ElementTree as ET
    import zipfile

    import shapely

    from landkit import qgis

    page = Page(print_map(layers, size=size))
    x0, y0, x1, y1 = map(float, page.keywords["extent"].split(","))
    _, _, width, height = map(float, page.keywords["frame_mm"].split(","))
    f = int(page.keywords["scale"].split(":")[1]) / 1000  # ground metres per mm
    framed = {
        "communities": layers["communities"].geometry,
        "villages": layers["villages"].geometry,
        "planning_zones": layers["planning_zones"].boundary,
    }
    for name, shapes in framed.items():
        for key, (west, south, east, north) in zip(shapes.index, shapes.bounds.to_numpy(), strict=True):
            assert x0 < west and east < x1 and y0 < south and north < y1, (size, name, key)
    assert (y0 < layers["communities"].bounds["miny"]).all()  # 汇源社区's foot is on the page
    # the furniture's room on paper, mm from the frame's corners: the scale bar's box (3 mm in,
    # 17 mm high, at most a fifth of the frame plus 16 mm of margin wide), the north arrow's (12 × 20 mm)
    bar_box = shapely.box(x0 + 3 * f, y0 + 3 * f, x0 + (3 + 16 + width / 5) * f, y0 + 20 * f)
    arrow = shapely.box(x1 - 18 * f, y1 - 24 * f, x1 - 6 * f, y1 - 4 * f)
    for name, shapes in framed.items():
        hidden = shapes.intersects(bar_box) | shapes.intersects(arrow)
        assert not hidden.any(), (size, name, list(shapes.index[hidden]))
    assert (y1 - y0) / f == pytest.approx(height, rel=1e-6)  # the extent is the frame at the stated scale
    # the QGIS layout's map: its extent holds the same
    with zipfile.ZipFile(io.BytesIO(qgis.project_files(landkit.SAMPLE_PATH, tmp_path / "p.qgz")["p.qgz"])) as z:
        root = ET.fromstring(z.read("p.qgs"))
    (layout,) = [e for e in root.iter("Layout") if e.get("name", "").endswith(" A3")]
    items = {item.get("id"): item for item in layout.iter("LayoutItem")}
    extent = items["地图"].find("Extent")
    qx0, qy0, qx1, qy1 = (float(extent.get(k)) for k in ("xmin", "ymin", "xmax", "ymax"))
    for name, shapes in framed.items():
        west, south, east, north = shapes.total_bounds
        assert qx0 < west and east < qx1 and qy0 < south and north < qy1, name

    def mm(item, key):  # "x,y,mm" → (x, y)
        return tuple(float(v) for v in item.get(key).split(",")[:2])

    (mx, my), (mw, mh) = mm(items["地图"], "position"), mm(items["地图"], "size")
    (ax, ay), (aw, ah) = mm(items["指北针"], "position"), mm(items["指北针"], "size")
    q = (qx1 - qx0) / mw  # ground units per mm of the layout's map
    assert (qy1 - qy0) / mh == pytest.approx(q, rel=1e-4)  # the extent has the frame's shape
    arrow = shapely.box(qx0 + (ax - mx) * q, qy1 - (ay - my + ah) * q, qx0 + (ax - mx + aw) * q, qy1 - (ay - my) * q)
    for name, shapes in framed.items():
        assert not shapes.intersects(arrow).any(), name


def test_a_community_in_the_top_right_corner_is_not_under_the_qgis_layouts_north_arrow(layers, tmp_path):
    """汇源社区 moved to the north-east corner of everything framed: the layout's map grows until the
    north arrow (an item over the map's top right) covers none of it."""
    import io
    import xml.etree.ElementTree as ET
    import zipfile

    import shapely

    from landkit import qgis

    framed = ("parcels", "planning_zones", "villages", "communities", "roads", "facilities")
    east, north = np.max([layers[n].total_bounds[2:] for n in framed], axis=0)
    communities = layers["communities"].copy()
    hy = communities.loc["HY", "geometry"]
    communities.loc["HY", "geometry"] = shapely.affinity.translate(hy, east - hy.bounds[2], north - hy.bounds[3])
    path = tmp_path / "corner.gpkg"
    landkit.write_project({**layers, "communities": communities}, path)
    with zipfile.ZipFile(io.BytesIO(qgis.project_files(path, tmp_path / "p.qgz")["p.qgz"])) as z:
        root = ET.fromstring(z.read("p.qgs"))
    (layout,) = [e for e in root.iter("Layout") if e.get("name", "").endswith(" A3")]
    items = {item.get("id"): item for item in layout.iter("LayoutItem")}
    e = items["地图"].find("Extent")
    x0, y0, x1, y1 = (float(e.get(k)) for k in ("xmin", "ymin", "xmax", "ymax"))
    mx, my, mw = (
        float(v) for v in items["地图"].get("position").split(",")[:2] + items["地图"].get("size").split(",")[:1]
    )
    ax, ay = (float(v) for v in items["指北针"].get("position").split(",")[:2])
    aw, ah = (float(v) for v in items["指北针"].get("size").split(",")[:2])
    q = (x1 - x0) / mw
    arrow = shapely.box(x0 + (ax - mx) * q, y1 - (ay - my + ah) * q, x0 + (ax - mx + aw) * q, y1 - (ay - my) * q)
    moved = communities.geometry.loc["HY"]
    assert x0 < moved.bounds[0] and moved.bounds[2] < x1 and y0 < moved.bounds[1] and moved.bounds[3] < y1
    assert not moved.intersects(arrow)
    # the paper map keeps it clear of its own north arrow too
    page = Page(print_map({**layers, "communities": communities}, size="A4"))
    px0, py0, px1, py1 = map(float, page.keywords["extent"].split(","))
    f = int(page.keywords["scale"].split(":")[1]) / 1000
    assert not moved.intersects(shapely.box(px1 - 18 * f, py1 - 24 * f, px1 - 6 * f, py1 - 4 * f))
    assert px0 < moved.bounds[0] and moved.bounds[2] < px1 and py0 < moved.bounds[1] and moved.bounds[3] < py1
