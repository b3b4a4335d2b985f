"""Build the corpus of bad inputs from the sample project: python -m tests.bad_inputs.corpus DIR.

Every file is generated here (nothing binary is committed). Each case says what landkit must do
with it through `landkit info`, `landkit audit` and the Python API: the exit code and a phrase of
the message, or the audit rule that must report it. The README's table of bad inputs is this list.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

import landkit
from landkit.crs import geometry_wgs84_to_gcj02

XSS = "<img src=x onerror=alert(1)>"


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[Path, dict], Path]
    info: tuple[int, str]  # exit code, phrase in the output
    audit: tuple[int, str]  # exit code, phrase (or rule) in the output


def _project(tmp: Path, layers: dict, change: Callable[[dict], None], name: str) -> Path:
    layers = {k: v.copy() for k, v in layers.items()}
    change(layers)
    path = tmp / f"{name}.gpkg"
    landkit.write_project(layers, path, overwrite=True)
    return path


def _sample_bytes(tmp: Path, name: str, mutate: Callable[[bytes], bytes]) -> Path:
    path = tmp / f"{name}.gpkg"
    path.write_bytes(mutate(landkit.SAMPLE_PATH.read_bytes()))
    return path


def _zeroed(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(65536) + data[middle + 65536 :]


def _no_layers(tmp: Path, layers: dict) -> Path:
    path = tmp / "no_layers.gpkg"
    pyogrio.write_dataframe(layers["communities"].reset_index(), path, layer="x")
    with sqlite3.connect(path) as db:  # a valid GeoPackage whose only table is dropped
        db.execute("DELETE FROM gpkg_contents")
        db.execute("DELETE FROM gpkg_geometry_columns")
        db.execute('DROP TABLE "x"')
    return path


def _no_crs(tmp: Path, layers: dict) -> Path:
    path = tmp / "missing_crs.gpkg"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(
            layers["parcels"].reset_index().set_crs(None, allow_override=True), path, layer="parcels"
        )
    return path


def _set(layer: str, **columns):
    def change(layers):
        for col, value in columns.items():
            layers[layer][col] = value

    return change


def _geom(layer: str, pid: str, geometry):
    def change(layers):
        df = layers[layer]
        df.loc[pid, "geometry"] = geometry(df.loc[pid, "geometry"]) if callable(geometry) else geometry

    return change


def _declare(layer: str, crs, transform=None):
    def change(layers):
        df = layers[layer]
        if transform is not None:
            df = df.to_crs(transform)
        layers[layer] = df.set_crs(crs, allow_override=True)

    return change


def _swap_everything(layers):
    for name, df in layers.items():
        if isinstance(df, gpd.GeoDataFrame):
            ll = df.to_crs(4490)
            ll["geometry"] = shapely.transform(ll.geometry.to_numpy(), lambda c: c[:, ::-1])
            layers[name] = ll


def _gcj_county(layers):
    county = layers["county"].to_crs(4490)
    county["geometry"] = geometry_wgs84_to_gcj02(county.geometry.to_numpy())
    layers["county"] = county.to_crs(layers["parcels"].crs)


def _bow_tie(g):
    x0, y0, x1, y1 = g.bounds
    return shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])


def _self_touching(g):
    x0, y0, x1, y1 = g.bounds
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    return shapely.Polygon([(x0, y0), (x1, y0), (x1, y1), (xm, y1), (xm + 5, ym), (xm - 5, ym), (xm, y1), (x0, y1)])


_CODES = {"status", "compensation", "relocation_status", "event_type", "parcel_id", "village_code", "target_community",
          "code", "kind", "target_id", "applies_to"}  # fmt: skip


def _xss(layers):
    """The payload in every free-text column (coded columns keep their codes: those are checked)."""
    for df in layers.values():
        for col in df.columns:
            if col != "geometry" and col not in _CODES and pd.api.types.is_string_dtype(df[col]):
                df[col] = XSS


def _duplicate_registration(layers):
    p = layers["parcels"]
    layers["parcels"] = pd.concat([p, p.loc[["CB00010"]].rename(index={"CB00010": "CB99999"})])
    e = layers["events"]
    extra = e[e["parcel_id"] == "CB00010"].assign(parcel_id="CB99999")
    extra.index = pd.RangeIndex(e.index.max() + 1, e.index.max() + 1 + len(extra), name="event_id")
    layers["events"] = pd.concat([e, extra])


def _ledger_broken(layers):
    layers["parcels"].loc["CB00001", "status"] = "transferred"
    e = layers["events"]
    ghost = pd.DataFrame(
        {"parcel_id": ["NOPE"], "date": [e["date"].max()], "event_type": ["transition"], "status": ["planned"],
         "document_ref": [None], "note": [None]},
        index=pd.Index([e.index.max() + 1], name="event_id"),
    )  # fmt: skip
    layers["events"] = pd.concat([e, ghost])


def _mixed_types(layers):
    p = layers["parcels"]
    p.loc["CB00020", "geometry"] = p.loc["CB00020", "geometry"].centroid


def _enormous(layers):
    layers["parcels"] = layers["parcels"].assign(
        geometry=shapely.affinity.scale(layers["parcels"].geometry.iloc[0], 1e12, 1e12, origin=(0, 0))
    )


def _shapefile(tmp: Path, name: str, cpg: bool) -> Path:
    frame = gpd.GeoDataFrame(
        {"地块号": ["甲1", "乙2"], "户主姓名": ["张三", "李四"]},
        geometry=[shapely.box(400000, 3736000, 400100, 3736100), shapely.box(400100, 3736000, 400200, 3736100)],
        crs="EPSG:4547",
    )
    path = tmp / f"{name}.shp"
    pyogrio.write_dataframe(frame, path, encoding="GBK")
    if not cpg:
        path.with_suffix(".cpg").unlink()
    return path


def _vertex(value: float):
    def change(layers):
        p = layers["parcels"]
        g = p.loc["CB00011", "geometry"]
        coords = shapely.get_coordinates(g)
        coords[1, 0] = value
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # shapely says the ring is invalid: that is the point
            p.loc["CB00011", "geometry"] = shapely.Polygon(coords)

    return change


def _far_parcel(layers):
    p = layers["parcels"]
    p.loc["CB00012", "geometry"] = shapely.affinity.translate(p.loc["CB00012", "geometry"], 200_000, 0)


def _text_event_ids(layers):
    e = layers["events"]
    layers["events"] = e.set_axis(pd.Index([f"E{i}" for i in e.index], name="event_id"))


def _null_id(layers):
    p = layers["parcels"].reset_index()
    p.loc[13, "parcel_id"] = None
    layers["parcels"] = p.set_index("parcel_id")


def _future_event(layers):
    e = layers["events"]
    last = e[e["parcel_id"] == "CB00001"].iloc[-1]
    row = last.to_frame().T.assign(
        date=pd.Timestamp("2031-01-01"), event_type="correction", document_ref="鲁土储〔2031〕1号"
    )
    row.index = pd.Index([e.index.max() + 1], name="event_id")
    layers["events"] = pd.concat([e, row]).astype({"date": "datetime64[ms]"})


def _xian80(layers):
    for name, df in layers.items():
        if isinstance(df, gpd.GeoDataFrame):
            layers[name] = df.set_crs(2383, allow_override=True)  # the same numbers, the old datum


def _village_in_two_batches(layers):
    v = layers["villages"]
    layers["villages"] = v.rename(index={v.index[10]: v.index[20]})


def _integer_ids(layers):
    p = layers["parcels"]
    layers["parcels"] = p.set_axis(pd.Index(range(1, len(p) + 1), name="parcel_id"))


def cases() -> list[Case]:
    p = _project
    return [
        Case("empty", "empty file", lambda t, s: _sample_bytes(t, "empty", lambda d: b""), (2, "empty"), (2, "empty")),
        Case(
            "text_gpkg",
            "text file named .gpkg",
            lambda t, s: _sample_bytes(t, "text", lambda d: b"id,area\n1,2\n"),
            (2, "not a GeoPackage"),
            (2, "not a GeoPackage"),
        ),
        Case(
            "truncated",
            "truncated GeoPackage",
            lambda t, s: _sample_bytes(t, "truncated", lambda d: d[: len(d) // 2]),
            (2, "truncated"),
            (2, "truncated"),
        ),
        Case(
            "zeroed",
            "GeoPackage zeroed in the middle",
            lambda t, s: _sample_bytes(t, "zeroed", _zeroed),
            (2, "damaged"),
            (2, "damaged"),
        ),
        Case("no_layers", "GeoPackage with no layers", _no_layers, (2, "holds no layers"), (2, "holds no layers")),
        Case(
            "wrong_layer_names",
            "wrong layer names (parcel, not parcels)",
            lambda t, s: p(t, s, lambda L: L.__setitem__("parcel", L.pop("parcels")), "wrong_layer_names"),
            (1, "parcels: layer is missing"),
            (2, "not a landkit project"),
        ),
        Case(
            "missing_crs",
            "layer without a CRS",
            _no_crs,
            (2, "no coordinate reference system"),
            (2, "no coordinate reference system"),
        ),
        Case(
            "zone_prefix_missing",
            "zone-prefixed eastings declared unprefixed (4547)",
            lambda t, s: p(t, s, _declare("parcels", 4547, transform=4526), "prefix_missing"),
            (1, "fit EPSG:4526"),
            (1, "crs_zone"),
        ),
        Case(
            "zone_prefix_extra",
            "unprefixed eastings declared prefixed (4526)",
            lambda t, s: p(t, s, _declare("parcels", 4526), "prefix_extra"),
            (1, "fit EPSG:4547"),
            (1, "crs_zone"),
        ),
        Case(
            "zone_off_by_3",
            "zone mislabelled by 3 degrees (4546)",
            lambda t, s: p(t, s, _declare("parcels", 4546), "zone_off"),
            (1, "fit EPSG:4547"),
            (1, "crs_zone"),
        ),
        Case(
            "lat_lon_swapped",
            "latitude and longitude swapped",
            lambda t, s: p(t, s, _swap_everything, "swapped"),
            (1, "swapped"),
            (1, "crs_zone"),
        ),
        Case(
            "web_mercator",
            "Web Mercator coordinates declared as Gauss-Krueger",
            lambda t, s: p(t, s, _declare("parcels", 4547, transform=3857), "webmerc"),
            (1, "fit EPSG:3857"),
            (1, "crs_zone"),
        ),
        Case(
            "gcj02_as_wgs84",
            "county outline in GCJ-02 declared as CGCS2000",
            lambda t, s: p(t, s, _gcj_county, "gcj"),
            (0, "validation: ok"),
            (1, "GCJ-02"),
        ),
        Case(
            "missing_columns",
            "missing required column",
            lambda t, s: p(
                t, s, lambda L: L.__setitem__("parcels", L["parcels"].drop(columns="stated_area_mu")), "missing_col"
            ),
            (1, "missing column(s) stated_area_mu"),
            (1, "missing column(s) stated_area_mu"),
        ),
        Case(
            "wrong_types",
            "text in an integer column",
            lambda t, s: p(t, s, _set("villages", households="many"), "types"),
            (1, "households should hold int"),
            (1, "households should hold int"),
        ),
        Case(
            "unknown_status",
            "unknown status value",
            lambda t, s: p(t, s, _set("parcels", status="sold"), "status"),
            (1, "unknown status"),
            (1, "unknown status"),
        ),
        Case(
            "duplicate_ids",
            "duplicate parcel_id",
            lambda t, s: p(
                t, s, lambda L: L.__setitem__("parcels", L["parcels"].rename(index={"CB00002": "CB00001"})), "dup_id"
            ),
            (1, "duplicate parcel_id"),
            (1, "duplicate parcel_id"),
        ),
        Case(
            "null_geometry",
            "feature without geometry",
            lambda t, s: p(t, s, _geom("parcels", "CB00003", None), "null_geom"),
            (1, "without geometry"),
            (1, "without geometry"),
        ),
        Case(
            "empty_geometry",
            "empty geometry",
            lambda t, s: p(t, s, _geom("parcels", "CB00004", shapely.Polygon()), "empty_geom"),
            (1, "empty geometry"),
            (1, "empty geometry"),
        ),
        Case(
            "bow_tie",
            "bow-tie polygon",
            lambda t, s: p(t, s, _geom("parcels", "CB00005", _bow_tie), "bowtie"),
            (0, "validation: ok"),
            (1, "自相交"),
        ),
        Case(
            "self_touching",
            "self-touching ring",
            lambda t, s: p(t, s, _geom("parcels", "CB00006", _self_touching), "touch"),
            (0, "validation: ok"),
            (1, "图形无效"),
        ),
        Case(
            "geometry_3d",
            "3D coordinates",
            lambda t, s: p(t, s, _geom("parcels", "CB00007", shapely.force_3d), "z"),
            (1, "3D coordinates"),
            (1, "3D coordinates"),
        ),
        Case(
            "lines_for_polygons",
            "lines where polygons belong",
            lambda t, s: p(t, s, _geom("parcels", "CB00008", lambda g: g.boundary), "lines"),
            (1, "LineString geometry where Polygon belongs"),
            (1, "LineString geometry where Polygon belongs"),
        ),
        Case(
            "mixed_types",
            "points mixed with polygons",
            lambda t, s: p(t, s, _mixed_types, "mixed"),
            (1, "Point geometry where Polygon belongs"),
            (1, "Point geometry where Polygon belongs"),
        ),
        Case(
            "enormous_coordinates",
            "coordinates of 1e18 m",
            lambda t, s: p(t, s, _enormous, "huge"),
            (1, "cannot be in"),
            (1, "cannot be in"),
        ),
        Case(
            "mixed_crs",
            "layers in different CRSs",
            lambda t, s: p(t, s, lambda L: L.__setitem__("villages", L["villages"].to_crs(4490)), "mixed_crs"),
            (1, "different CRSs"),
            (1, "different CRSs"),
        ),
        Case(
            "xss_everywhere",
            "an XSS payload in every text column",
            lambda t, s: p(t, s, _xss, "xss"),
            (0, "validation: ok"),
            (1, "overlap"),
        ),
        Case(
            "double_registration",
            "the same land registered under two ids",
            lambda t, s: p(t, s, _duplicate_registration, "double"),
            (0, "validation: ok"),
            (1, "同一块地登记了两次"),
        ),
        Case(
            "ledger_broken",
            "parcel status disagreeing with the ledger, event for an unknown parcel",
            lambda t, s: p(t, s, _ledger_broken, "ledger"),
            (0, "validation: ok"),
            (1, "台账为"),
        ),
        Case(
            "negative_households",
            "negative households",
            lambda t, s: p(
                t, s, lambda L: L["villages"].__setitem__("households", -L["villages"]["households"]), "neg_hh"
            ),
            (1, "negative or zero households"),
            (1, "negative or zero households"),
        ),
        Case(
            "zero_population",
            "a village of 0 people",
            lambda t, s: p(t, s, lambda L: L["villages"].__setitem__("population", 0), "zero_pop"),
            (1, "negative or zero population"),
            (1, "negative or zero population"),
        ),
        Case(
            "zero_capacity",
            "a community with capacity 0",
            lambda t, s: p(t, s, _set("communities", capacity_people=0), "zero_cap"),
            (1, "negative or zero capacity_people"),
            (1, "negative or zero capacity_people"),
        ),
        Case(
            "negative_stated_area",
            "a negative stated area",
            lambda t, s: p(
                t, s, lambda L: L["parcels"].__setitem__("stated_area_mu", -L["parcels"]["stated_area_mu"]), "neg_area"
            ),
            (1, "negative or zero stated_area_mu"),
            (1, "negative or zero stated_area_mu"),
        ),
        Case(
            "bool_area",
            "true/false in an area column",
            lambda t, s: p(t, s, lambda L: L["parcels"].__setitem__("stated_area_mu", True), "bool_area"),
            (1, "stated_area_mu should hold float"),
            (1, "stated_area_mu should hold float"),
        ),
        Case(
            "text_event_ids",
            "text event ids (E1, E2 …)",
            lambda t, s: p(t, s, _text_event_ids, "text_ids"),
            (1, "event_id should hold whole numbers"),
            (1, "event_id should hold whole numbers"),
        ),
        Case(
            "nan_vertex",
            "a vertex at NaN",
            lambda t, s: p(t, s, _vertex(float("nan")), "nan"),
            (1, "not numbers (NaN or infinity)"),
            (1, "not numbers (NaN or infinity)"),
        ),
        Case(
            "inf_vertex",
            "a vertex at infinity",
            lambda t, s: p(t, s, _vertex(float("inf")), "inf"),
            (1, "not numbers (NaN or infinity)"),
            (1, "not numbers (NaN or infinity)"),
        ),
        Case(
            "one_parcel_far_away",
            "one parcel digitised 200 km away (the rest is still checked)",
            lambda t, s: p(t, s, _far_parcel, "far"),
            (1, "1 of 2458 features lie outside the county"),
            (1, "重叠"),
        ),
        Case(
            "empty_parcels",
            "an empty parcels layer (0 features)",
            lambda t, s: p(t, s, lambda L: L.__setitem__("parcels", L["parcels"].iloc[:0]), "empty_parcels"),
            (1, "parcels: layer is empty"),
            (1, "layer is empty"),
        ),
        Case(
            "null_parcel_id",
            "a parcel without an id",
            lambda t, s: p(t, s, _null_id, "null_id"),
            (1, "parcel_id is empty"),
            (1, "parcel_id is empty"),
        ),
        Case(
            "future_event",
            "an event dated 2031",
            lambda t, s: p(t, s, _future_event, "future"),
            (0, "validation: ok"),
            (1, "日期晚于今天"),
        ),
        Case(
            "xian80_project",
            "a whole project declared on Xi'an 1980 (EPSG:2383)",
            lambda t, s: p(t, s, _xian80, "xian80"),
            (0, "Xian 1980 datum"),
            (1, "Xian 1980 datum"),
        ),
        Case(
            "village_in_two_batches",
            "a village code in two batches",
            lambda t, s: p(t, s, _village_in_two_batches, "two_batches"),
            (1, "duplicate village_code"),
            (1, "duplicate village_code"),
        ),
        Case(
            "integer_parcel_ids",
            "parcel ids stored as numbers",
            lambda t, s: p(t, s, _integer_ids, "int_ids"),
            (1, "parcel_id holds numbers"),
            (1, "parcel_id holds numbers"),
        ),
        Case(
            "over_capacity",
            "villages sent beyond a community's capacity",
            lambda t, s: p(t, s, _set("villages", target_community="HY"), "capacity"),
            (0, "validation: ok"),
            (1, "capacity"),
        ),
    ]


def build(directory: Path) -> dict[str, Path]:
    """Write every case's file into ``directory``; return name -> path."""
    directory.mkdir(parents=True, exist_ok=True)
    layers = landkit.read_project(landkit.SAMPLE_PATH)
    return {c.name: c.build(directory, layers) for c in cases()}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad_inputs")
    shutil.rmtree(out, ignore_errors=True)
    print(json.dumps({k: str(v) for k, v in build(out).items()}, ensure_ascii=False, indent=2))
