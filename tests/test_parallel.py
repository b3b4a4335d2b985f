"""The parcel checks in dask partitions give exactly the single-process findings, problems
planted across partition boundaries included (a local cluster of two worker processes)."""

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import landkit
from benchmarks.fabric import make_fabric
from landkit import audit, parallel, topology


def plant_across(parcels, pairs, k: int):
    """Overlaps (5 m into the neighbour) and 0.6 m slivers between parcels of different partitions."""
    p = parcels.copy()
    geoms = p.geometry
    for n, (a, b) in enumerate(pairs[: 2 * k]):
        if n % 2:
            p.loc[a, "geometry"] = geoms[a].difference(geoms[b].buffer(0.6))
        else:
            p.loc[a, "geometry"] = geoms[a].union(geoms[b].intersection(geoms[a].buffer(5.0)))
    return p


def membership(parcels, n):
    parts = dask.compute(*parallel.partition(parcels, n).to_delayed(), scheduler="sync")
    return {pid: k for k, part in enumerate(parts) for pid in part.index}


def key(findings):
    return sorted((f.rule, tuple(sorted(f.ids)), round(f.area_m2, 3)) for f in findings.itertuples())


@pytest.mark.slow
def test_partitioned_checks_equal_the_single_process_ones():
    fabric = make_fabric(50_000, kind="jittered", seed=11)
    parcels = fabric.parcels
    where = membership(parcels, 2)
    valid = parcels.is_valid.to_numpy()
    ids, g = parcels.index.to_numpy()[valid], parcels.geometry.to_numpy()[valid]
    left, right = shapely.STRtree(g).query(g, predicate="dwithin", distance=0.2)  # neighbours, noise and all
    edge = shapely.area(shapely.intersection(shapely.buffer(g[left], 0.2), g[right])) > 2.0  # not just corners
    crossing = [
        (ids[i], ids[j])
        for i, j in zip(left[edge], right[edge], strict=True)
        if i < j and where[ids[i]] != where[ids[j]] and ids[i].startswith("B") and ids[j].startswith("B")
    ]
    rng = np.random.default_rng(3)
    chosen = [crossing[i] for i in rng.choice(len(crossing), 40, replace=False)]
    used, pairs = set(), []
    for a, b in chosen:  # problems apart from each other
        if not {a, b} & used:
            pairs.append((a, b))
            used |= {a, b}
    planted = plant_across(parcels, pairs, 8)
    after = membership(planted, 2)
    assert sum(after[a] != after[b] for a, b in pairs[:16]) >= 8  # they still straddle the boundary
    rules = audit.load_rules()
    single = topology.parcel_checks(planted, rules, zone=fabric.zone)
    split = parallel.parcel_checks(planted, rules, zone=fabric.zone, partitions=2)
    assert key(pd.concat(split)) == key(pd.concat(single))
    overlap_ids = {tuple(sorted(f)) for frame in split for f in frame.loc[frame["rule"] == "overlap", "ids"]}
    gap_ids = [set(f) for frame in split for f in frame.loc[frame["rule"] == "gap", "ids"]]
    for n, (a, b) in enumerate(pairs[:16]):
        if n % 2:
            assert any({a, b} <= found for found in gap_ids), (a, b)
        else:
            assert tuple(sorted((a, b))) in overlap_ids


def test_without_dask_the_error_says_how_to_install_it(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(landkit.DataError, match=r'pip install "landkit\[dask\]"'):
        parallel.parcel_checks(make_fabric(5_000).parcels, audit.load_rules())


def test_landkit_audit_in_partitions_on_the_sample(sample_copy):
    from click.testing import CliRunner

    from landkit.cli import main

    whole = CliRunner().invoke(main, ["audit", str(sample_copy), "--format", "json"])
    split = CliRunner().invoke(main, ["audit", str(sample_copy), "--format", "json", "--partitions", "2"])
    assert whole.exit_code == split.exit_code == 1  # the sample's planted errors
    strip = lambda out: sorted(  # noqa: E731
        (f["rule"], tuple(f["ids"]), f["area_m2"]) for f in __import__("json").loads(out)["findings"]
    )
    topology = {"overlap", "gap", "outside_zone", "outside_county", "area_mismatch", "invalid_geometry"}
    assert strip(split.stdout) == strip(whole.stdout)
    assert len([f for f in strip(whole.stdout) if f[0] in topology]) == 4  # the four planted parcel defects
    alone = CliRunner().invoke(main, ["audit", str(sample_copy), "--scheduler", "tcp://127.0.0.1:1"])
    assert alone.exit_code == 2 and "--partitions" in alone.output


def test_geoparquet_is_imported(tmp_path, sample_copy, sample_layers):
    src = tmp_path / "survey.parquet"
    sample_layers["villages"].reset_index().to_crs("EPSG:4326").to_parquet(src)
    imported = landkit.import_layer(src, sample_copy, "survey")
    assert len(imported) == len(landkit.read_layer(sample_copy, "survey")) == len(sample_layers["villages"])


def test_partitions_take_lon_lat_layers_and_parcels_without_geometry():
    fabric = make_fabric(3_000, kind="jittered", seed=5)
    parcels = fabric.parcels.copy()
    parcels.loc[parcels.index[10], "geometry"] = None  # a schema finding, not a crash
    parcels = parcels.to_crs("EPSG:4490")
    zone = gpd.GeoSeries([fabric.zone], crs=fabric.parcels.crs).to_crs("EPSG:4490").iloc[0]
    rules = audit.load_rules()
    single = pd.concat(topology.parcel_checks(parcels, rules, zone=zone))
    split = pd.concat(parallel.parcel_checks(parcels, rules, zone=zone, partitions=2))
    assert key(split) == key(single) and len(single) > 10
    assert split.crs == parcels.crs
