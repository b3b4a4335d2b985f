"""The tests' independent measure: Karney's geodesic polygon area (pyproj Geod), not landkit's code."""

import numpy as np
import shapely
from pyproj import Geod

GEOD = Geod(a=6378137.0, f=1 / 298.257222101)  # CGCS2000 (= GRS80)


def karney_m2(geom_4490) -> float:
    """Orientation-proof geodesic area of one lon/lat geometry: shells minus holes, parts summed."""
    total = 0.0
    for poly in shapely.get_parts(geom_4490):
        total += abs(GEOD.polygon_area_perimeter(*poly.exterior.xy)[0])
        total -= sum(abs(GEOD.polygon_area_perimeter(*r.xy)[0]) for r in poly.interiors)
    return total


def geodesic_area_m2(gdf) -> np.ndarray:
    """Karney's area of each feature of a GeoDataFrame or GeoSeries in any CRS."""
    return np.array([karney_m2(g) for g in gdf.to_crs("EPSG:4490").geometry])
