"""The parcel checks across processes or machines: dask partitions that overlap by a halo.

A province's land-use survey runs to tens of millions of polygons. The parcels are cut into
spatial partitions (dask-geopandas, in Hilbert order). Each partition is checked together with
every parcel within a halo around it, so that snapping and GEOS's coverage validator see each of
its parcels' whole neighbourhood; it returns the findings of its own parcels that need no
neighbours (invalid geometry, outside the zone or county, stated vs measured area) and its
suspects with their neighbours. The overlaps and gaps are then found once, here, among those
few parcels, exactly as :func:`landkit.topology.parcel_checks` finds them in one process: a
problem across a partition boundary is found once, and the findings are the same.

Needs the ``dask`` extra: ``pip install "landkit[dask]"``.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import topology
from .errors import DataError

_ID = "__landkit_parcel_id__"  # the ids travel as a column while dask orders the parcels


def _dask():
    try:
        import dask
        import dask_geopandas
    except ImportError:
        raise DataError(code="parallel.no_dask") from None
    return dask, dask_geopandas


def halo_m(rules: dict[str, dict]) -> float:
    """How far around a partition its neighbours are read: twice what a check can reach."""
    o, g = rules["overlap"], rules["gap"]
    return 4.0 * (g["max_width_m"] + max(o["snap_m"], g["snap_m"])) + 10.0


def partition(parcels: gpd.GeoDataFrame, partitions: int):
    """The parcels as a dask GeoDataFrame in ``partitions`` spatial partitions (Hilbert order)."""
    _, dask_geopandas = _dask()
    name = parcels.index.name
    ddf = dask_geopandas.from_geopandas(parcels.reset_index(names=_ID), npartitions=partitions)
    ddf = ddf.spatial_shuffle(by="hilbert", npartitions=partitions)  # indexes by Hilbert distance
    return ddf.map_partitions(_by_id, name)


def _by_id(df: gpd.GeoDataFrame, name) -> gpd.GeoDataFrame:
    return df.set_index(_ID).rename_axis(name)


def _near(df: gpd.GeoDataFrame, reach) -> gpd.GeoDataFrame:
    """The rows of another partition within a partition's halo (only these travel to its worker)."""
    return df.iloc[df.sindex.query(reach, predicate="intersects")] if len(df) else df


def _check_partition(core: gpd.GeoDataFrame, *near: gpd.GeoDataFrame, rules, zone, county) -> dict:
    """Check one partition with its halo: its own per-feature findings, its suspects and neighbours."""
    near = tuple(df for df in near if len(df))
    whole = pd.concat([core, *near]) if near else core
    o, g = rules["overlap"], rules["gap"]
    fabric, covs = {}, {}
    for snap_m in sorted({o["snap_m"], g["snap_m"]}):
        cov = topology.coverage(whole, snap_m=snap_m, max_width_m=g["max_width_m"])
        covs[snap_m] = cov
        own = cov.valid < len(core)
        suspect = np.zeros(len(cov.valid), bool)
        suspect[cov.suspects] = True
        close = np.zeros(len(cov.valid), bool)
        if suspect.any():  # every parcel a suspect's check can reach, whichever partition the suspect is in
            _, hit = cov.tree.query(cov.geoms[suspect], predicate="dwithin", distance=g["max_width_m"] + 2 * snap_m)
            close[hit] = True
        keep = own & (close | suspect)
        fabric[snap_m] = gpd.GeoDataFrame(
            {"_suspect": suspect[keep], "_snapped": cov.snapped[keep]},
            geometry=cov.geoms[keep],
            index=whole.index[cov.valid[keep]],
            crs=whole.crs,
        )
    thin = topology.digitising_overlaps(
        whole,
        min_area_m2=rules["digitising_overlap"]["min_area_m2"],
        overlap_min_area_m2=o["min_area_m2"],
        checked=covs[o["snap_m"]],
    )
    mine = set(core.index.astype(str))  # a pair is the partition's that holds the first of its ids
    thin = thin[np.array([ids[0] in mine for ids in thin["ids"]], dtype=bool)]
    return {
        "fabric": fabric,
        "findings": topology.per_feature_checks(core, rules, zone=zone, county=county),
        "thin": thin,
    }


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A dask client: the scheduler at ``scheduler``, else a local cluster of worker processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # ":0": the dashboard on a free port (None still binds the default 8787 and warns when it is taken)
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def parcel_checks(
    parcels,
    rules: dict[str, dict],
    *,
    zone=None,
    county=None,
    partitions: int = 2,
    scheduler: str | None = None,
) -> list[gpd.GeoDataFrame]:
    """The findings of :func:`landkit.topology.parcel_checks`, computed on dask in partitions.

    ``parcels`` is a GeoDataFrame (cut into ``partitions``) or a dask-geopandas GeoDataFrame
    already in spatial partitions (``dask_geopandas.read_parquet`` of a GeoParquet file, say), in
    a CRS in metres (a GeoDataFrame in lon/lat, feet or Web Mercator is checked in its UTM zone).
    Without ``scheduler`` a local cluster runs one worker process per partition, up to the
    number of cores.
    """
    dask, _ = _dask()
    crs = None
    if not hasattr(parcels, "to_delayed"):
        crs = parcels.crs
        parcels, zone, county = topology.in_metres(parcels, zone, county)
        g = parcels.geometry
        parcels = parcels[~g.isna() & ~g.is_empty]  # no geometry: a schema finding, nothing to check here
    ddf = parcels if hasattr(parcels, "to_delayed") else partition(parcels, partitions)
    if ddf.spatial_partitions is None:
        ddf.calculate_spatial_partitions()
    hulls = ddf.spatial_partitions.to_numpy()
    parts = ddf.to_delayed()
    reach = shapely.buffer(hulls, halo_m(rules))
    tasks = [
        dask.delayed(_check_partition)(
            parts[k],
            *[
                dask.delayed(_near)(parts[j], reach[k])
                for j in range(len(parts))
                if j != k and shapely.intersects(hulls[j], reach[k])
            ],
            rules=rules,
            zone=zone,
            county=county,
        )
        for k in range(len(parts))
    ]
    with _client(scheduler, min(len(tasks), os.cpu_count() or 1)), warnings.catch_warnings():
        # parcels already in memory travel inside the task graph: that is what they are for here
        warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
        results = dask.compute(*tasks)
    found = [pd.concat(parts_) for parts_ in zip(*(r["findings"] for r in results), strict=True)]
    o, g = rules["overlap"], rules["gap"]
    checked = {snap_m: _coverage([r["fabric"][snap_m] for r in results], snap_m) for snap_m in results[0]["fabric"]}
    sub, cov = checked[o["snap_m"]]
    found.append(topology.overlaps(sub, min_area_m2=o["min_area_m2"], checked=cov))
    found.append(pd.concat([r["thin"] for r in results]))
    sub, cov = checked[g["snap_m"]]
    found.append(
        topology.gaps(sub, within=zone, max_width_m=g["max_width_m"], min_area_m2=g["min_area_m2"], checked=cov)
    )
    found = [gpd.GeoDataFrame(f, geometry="geometry", crs=f.crs) for f in found]
    return [f.to_crs(crs) if crs is not None and f.crs != crs else f for f in found]


def _coverage(pieces: list[gpd.GeoDataFrame], snap_m: float) -> tuple[gpd.GeoDataFrame, topology.Coverage]:
    """The suspects and their neighbours from every partition, as one checked coverage."""
    sub = pd.concat(pieces)
    geoms = sub.geometry.to_numpy()
    cov = topology.Coverage(
        valid=np.arange(len(sub)),
        geoms=geoms,
        snapped=sub["_snapped"].to_numpy(),
        suspects=np.flatnonzero(sub["_suspect"].to_numpy(dtype=bool)),
        tree=shapely.STRtree(geoms),
        snap_m=snap_m,
    )
    return sub.drop(columns=["_suspect", "_snapped"]), cov
