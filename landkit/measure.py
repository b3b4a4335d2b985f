"""Areas and lengths, measured on the CGCS2000 ellipsoid unless a planar projection is named.

Three area methods, all returning a Series aligned to the input's index, named ``area_<unit>``,
with ``attrs["area_method"]`` saying how it was measured:

- ``"ellipsoidal"`` (default): through a Lambert azimuthal equal-area projection of the CGCS2000
  ellipsoid centred on the data; agrees with Karney's geodesic polygon area to about 1e-9.
- ``"cn2008"``: the official trapezoid formula of 国土调查办发〔2008〕32号, edges densified.
- ``"planar"``: shoelace area in a named Gauss-Krueger zone, with a warning far from its meridian.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod, Proj, Transformer

from .crs import gk_zone_epsg, require_crs, scale_is_exact
from .errors import CRSError, DataError, LandkitWarning
from .units import M2_PER_MU, convert_area

# CGCS2000 ellipsoid: a and f are those of GRS80 to every published digit.
A_CGCS2000 = 6378137.0
F_CGCS2000 = 1 / 298.257222101
#: Karney's geodesics on the CGCS2000 ellipsoid, for lengths and distances.
GEOD = Geod(a=A_CGCS2000, f=F_CGCS2000)

METHODS = {
    "ellipsoidal": "ellipsoidal (CGCS2000 ellipsoid; equal-area projection, or exact areal scale for parcels)",
    "cn2008": "ellipsoidal (CGCS2000 ellipsoid, 国土调查办发〔2008〕32号 formula, {d})",
    "planar": "planar ({crs}), not ellipsoidal",
}
#: How ellipsoidal areas are measured, recorded with every default result.
ELLIPSOIDAL = METHODS["ellipsoidal"]


def _geoms(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoSeries:
    require_crs(gdf.crs)
    return gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf


def _lonlat_bounds(geoms: gpd.GeoSeries) -> tuple[float, float, float, float]:
    to_geographic = Transformer.from_crs(geoms.crs, "EPSG:4490", always_xy=True)
    return to_geographic.transform_bounds(*geoms.total_bounds)


def equal_area_crs(geoms: gpd.GeoSeries) -> CRS:
    """Return a Lambert azimuthal equal-area CRS on the CGCS2000 ellipsoid centred on ``geoms``."""
    # An equal-area projection keeps areas exact; centring it on the data keeps straight
    # projected edges within 1e-9 of geodesic ones at parcel scale.
    west, south, east, north = _lonlat_bounds(geoms)
    if not np.isfinite([west, south, east, north]).all():  # nothing to measure: any centre will do
        west = south = east = north = 0.0
    if not (-90 <= south <= north <= 90):
        raise CRSError(code="measure.latitude", lat=f"{max(abs(south), abs(north)):.1f}", crs=geoms.crs.name)
    return CRS.from_proj4(
        f"+proj=laea +lat_0={(south + north) / 2:.6f} +lon_0={(west + east) / 2:.6f} "
        f"+a={A_CGCS2000} +rf={1 / F_CGCS2000} +units=m +no_defs"
    )


#: Features smaller than this (bounding-box diagonal, metres) are measured by areal scale.
_SMALL_M = 1000.0


def _scale_m2(g: np.ndarray, crs: CRS) -> np.ndarray:
    """Planar area in square metres divided by the projection's exact areal scale at each centroid."""
    unit = crs.axis_info[0].unit_conversion_factor
    c = shapely.centroid(g)
    lon, lat = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True).transform(shapely.get_x(c), shapely.get_y(c))
    return shapely.area(g) * unit**2 / Proj(crs).get_factors(lon, lat).areal_scale


def _ellipsoidal_m2(geoms: gpd.GeoSeries) -> np.ndarray:
    """Each feature's ellipsoidal area on CGCS2000, independent of the other features given.

    - A feature under 1 km: its planar area in square metres divided by the areal scale of a
      conformal or equal-area projection at its centroid (PROJ's ``get_factors``): the layer's
      own projection when that scale is exact for it (Gauss-Krueger, UTM, Lambert conformal,
      Albers … in any unit), else a transverse Mercator on the CGCS2000 ellipsoid whose central
      meridian is the middle of the feature's 3-degree band (lon/lat, Web Mercator). The scale
      varies across a 1 km feature by a few 1e-9, and its linear part cancels about the centroid.
    - Anything larger: Karney's geodesic polygon area (pyproj ``Geod``), its edges geodesics
      between the vertices as given. Densify long edges first (``shapely.segmentize``) if they
      are meant to be straight in a projection.
    """
    g = geoms.to_numpy()
    out = np.full(len(g), np.nan)
    present = ~shapely.is_missing(g) & ~shapely.is_empty(g)
    crs = geoms.crs
    unit = crs.axis_info[0].unit_conversion_factor if crs.is_projected else None
    if crs.is_projected and scale_is_exact(crs):
        b = shapely.bounds(g)
        small = present & (np.hypot(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) * unit <= _SMALL_M)  # NaN is not small
        if small.any():
            out[small] = _scale_m2(g[small], crs)
    rest = np.flatnonzero(present & ~np.isfinite(out))
    if not len(rest):
        return out
    lonlat = gpd.GeoSeries(g[rest], crs=crs).to_crs("EPSG:4490").to_numpy()
    b = shapely.bounds(lonlat)
    mid_lat = np.radians((b[:, 1] + b[:, 3]) / 2)
    # the bounding box's diagonal in metres, near enough to tell a parcel from a zone
    diag = np.hypot((b[:, 2] - b[:, 0]) * np.cos(mid_lat), b[:, 3] - b[:, 1]) * 111_320.0
    # a NaN vertex is skipped by the bounds but not by the area: a feature with one has no area
    coords, owner = shapely.get_coordinates(lonlat, return_index=True)
    diag[np.unique(owner[~np.isfinite(coords).all(axis=1)])] = np.nan
    small = np.isfinite(diag) & (diag <= _SMALL_M)
    if small.any():
        band = np.floor(((b[small, 0] + b[small, 2]) / 2 + 1.5) / 3.0) * 3.0  # central meridian, 3-degree bands
        idx = np.flatnonzero(small)
        for cm in np.unique(band):  # one projection per 3-degree band: a handful at most
            mine = idx[band == cm]
            tm = CRS.from_proj4(
                f"+proj=tmerc +lon_0={cm:g} +k=1 +x_0=500000 +a={A_CGCS2000} +rf={1 / F_CGCS2000} +units=m"
            )
            out[rest[mine]] = _scale_m2(gpd.GeoSeries(lonlat[mine], crs=4490).to_crs(tm).to_numpy(), tm)
    for k in np.flatnonzero(~small & np.isfinite(diag)):  # zones, villages, counties: few, each its own
        oriented = shapely.orient_polygons(lonlat[k])  # shells counter-clockwise, holes clockwise
        out[rest[k]] = abs(GEOD.geometry_area_perimeter(oriented)[0])
    return out


def _band_area_factor(b1: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """Area per radian of longitude of the band between latitudes b1 and b2 (radians), signed."""
    e2 = 2 * F_CGCS2000 - F_CGCS2000**2
    e4, e6, e8 = e2**2, e2**3, e2**4
    b = A_CGCS2000 * (1 - F_CGCS2000)
    ca = 1 + 3 / 6 * e2 + 30 / 80 * e4 + 35 / 112 * e6 + 630 / 2304 * e8
    cb = 1 / 6 * e2 + 15 / 80 * e4 + 21 / 112 * e6 + 420 / 2304 * e8
    cc = 3 / 80 * e4 + 7 / 112 * e6 + 180 / 2304 * e8
    cd = 1 / 112 * e6 + 45 / 2304 * e8
    ce = 5 / 2304 * e8
    db, bm = b2 - b1, (b1 + b2) / 2
    return (
        2
        * b**2
        * (
            ca * np.sin(db / 2) * np.cos(bm)
            - cb * np.sin(3 * db / 2) * np.cos(3 * bm)
            + cc * np.sin(5 * db / 2) * np.cos(5 * bm)
            - cd * np.sin(7 * db / 2) * np.cos(7 * bm)
            + ce * np.sin(9 * db / 2) * np.cos(9 * bm)
        )
    )


def _cn2008_m2(geoms: gpd.GeoSeries, densify_m: float | None) -> np.ndarray:
    # The notice's formula over the vertices as given. Densifying (in metres, before going to
    # lon/lat) is an option: the formula's mean-longitude quadrature drifts on long diagonal
    # edges (about 350 m2 on a 2.5 x 4 km one), but a map sheet's meridians and parallels are exact.
    if densify_m:
        laea = equal_area_crs(geoms)
        dense = shapely.segmentize(geoms.to_crs(laea).to_numpy(), densify_m)
        lonlat = gpd.GeoSeries(dense, crs=laea).to_crs("EPSG:4490").to_numpy()
    else:
        lonlat = geoms.to_crs("EPSG:4490").to_numpy()
    parts, owner = shapely.get_parts(lonlat, return_index=True)
    polys, part = shapely.get_parts(parts, return_index=True)  # a collection's multipolygon: its polygons
    owner = owner[part]
    polys_ok = np.isin(shapely.get_type_id(polys), [3])  # parts that are polygons
    polys, owner = polys[polys_ok], owner[polys_ok]
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    is_shell = np.r_[True, ring_poly[1:] != ring_poly[:-1]]
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    lon, lat = np.radians(coords[:, 0]), np.radians(coords[:, 1])
    same = ring[:-1] == ring[1:]
    lon0 = np.radians(np.floor(np.degrees(lon.mean())) if len(lon) else 0.0)
    contrib = ((lon[:-1] + lon[1:]) / 2 - lon0) * _band_area_factor(lat[:-1], lat[1:])
    signed = np.bincount(ring[:-1][same], weights=contrib[same], minlength=len(rings))
    ring_area = np.abs(signed) * np.where(is_shell, 1.0, -1.0)
    poly_area = np.bincount(ring_poly, weights=ring_area, minlength=len(polys))
    return np.bincount(owner, weights=poly_area, minlength=len(geoms))


def area(
    gdf: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    unit: str = "m2",
    method: str = "ellipsoidal",
    zone: str | int | None = None,
    densify_m: float | None = None,
) -> pd.Series:
    """Return each feature's area, aligned to the input's index.

    Parameters
    ----------
    gdf : GeoDataFrame or GeoSeries with a declared CRS (any: geographic or projected).
    unit : "m2", "mu", "ha" or "km2".
    method : "ellipsoidal" (default), "cn2008" or "planar".
    zone : the projected CRS for ``method="planar"``, e.g. "EPSG:4547"; required there.
    densify_m : for ``method="cn2008"``: densify edges to this length (metres) first; by default the
        formula runs over the vertices as given, as the notice writes it.

    Notes
    -----
    Ellipsoidal area (椭球面积) on CGCS2000 is what Chinese land surveys report. Holes are
    subtracted, multipart features summed, ring orientation does not matter. Missing, empty,
    non-polygonal and invalid geometries (a bow-tie) give NaN, never 0 or a wrong number, so
    that a sum cannot hide them; :mod:`landkit.topology` says what is wrong with them.

    Examples
    --------
    >>> import landkit
    >>> zones = landkit.read_layer(landkit.SAMPLE_PATH, "planning_zones")
    >>> area(zones, unit="km2").round(2).tolist()
    [8.6, 16.3, 30.0]
    """
    geoms = _geoms(gdf)
    from .crs import old_datum

    if datum := old_datum(geoms.crs):
        warnings.warn(LandkitWarning(code="measure.old_datum", datum=datum), stacklevel=2)
    if method == "ellipsoidal":
        m2 = _ellipsoidal_m2(geoms)
        label = METHODS["ellipsoidal"]
    elif method == "cn2008":
        m2 = _cn2008_m2(geoms, densify_m)
        label = METHODS["cn2008"].format(d=f"edges densified to {densify_m:g} m" if densify_m else "vertices as given")
    elif method == "planar":
        plane = planar_crs(zone)
        _warn_far_from_meridian(geoms, plane)
        m2 = geoms.to_crs(plane).area.to_numpy() * plane.axis_info[0].unit_conversion_factor ** 2  # feet -> metres
        label = METHODS["planar"].format(crs=f"EPSG:{plane.to_epsg()} {plane.name}")
    else:
        raise DataError(code="measure.method", method=method)
    # no area rather than a wrong one: nothing to measure, not a polygon (a line's is 0), or not a
    # valid polygon (a bow-tie's lobes cancel)
    g = geoms.to_numpy()
    polygonal = _polygonal(g)
    unusable = shapely.is_missing(g) | shapely.is_empty(g) | ~polygonal | _non_finite(g)
    m2 = np.where(unusable | _ambiguous(g), np.nan, m2)
    out = pd.Series(convert_area(m2, "m2", unit), index=gdf.index, name=f"area_{unit}")
    out.attrs["area_method"] = label
    return out


def _non_finite(g: np.ndarray) -> np.ndarray:
    """Geometries with a NaN or infinite coordinate (a broken export): no area, no repair."""
    coords, owner = shapely.get_coordinates(g, return_index=True)
    out = np.zeros(len(g), dtype=bool)
    out[np.unique(owner[~np.isfinite(coords).all(axis=1)])] = True
    return out


def _polygonal(g: np.ndarray) -> np.ndarray:
    """Polygons, multipolygons, and collections with a polygon in them (an overlay's output)."""
    kind = shapely.get_type_id(g)
    out = np.isin(kind, [3, 6])
    mixed = np.flatnonzero(kind == 7)
    if len(mixed):
        parts, owner = shapely.get_parts(g[mixed], return_index=True)
        out[mixed[np.unique(owner[np.isin(shapely.get_type_id(parts), [3, 6])])]] = True
    return out


def _ambiguous(g: np.ndarray) -> np.ndarray:
    """Invalid polygons whose area depends on how they are read (a bow-tie: its lobes cancel).

    A polygon invalid only by float noise (a hair-thin spike) keeps its area: read as GEOS
    would repair it, it is the same to 1e-6.
    """
    bad = _polygonal(g) & ~shapely.is_valid(g)
    bad &= ~_non_finite(g)  # NaN or infinite vertices: GEOS cannot repair them (they have no area anyway)
    if bad.any():
        raw, fixed = shapely.area(g[bad]), shapely.area(shapely.make_valid(g[bad]))
        bad[bad] = ~(np.abs(raw - fixed) <= 1e-6 * np.maximum(np.abs(fixed), 1e-12))
    return bad


def planar_crs(zone) -> CRS:
    """The projected CRS to take planar areas in, refusing what cannot give square metres."""
    if zone is None:
        raise CRSError(code="measure.no_zone")
    try:
        plane = CRS.from_user_input(zone)
    except Exception:  # pyproj raises CRSError of its own for every unknown name
        raise CRSError(code="measure.unknown_zone", zone=zone) from None
    if not plane.is_projected:
        raise CRSError(code="measure.zone_not_projected", zone=zone, name=plane.name)
    return plane


#: why a feature is left out of an area report, by code: the reason in English (scripts, the JSON),
#: said in the command line's language by its code (measure.excluded.<code>)
EXCLUDED = {
    "no_geometry": "no geometry: not in the total",
    "not_polygon": "not a polygon: not in the total",
    "misplaced": "coordinates its CRS cannot hold (outside the county or the CRS's area of use): not in the total",
    "invalid": "invalid geometry: not in the total",
}


def area_report(
    gdf: gpd.GeoDataFrame, *, unit: str = "mu", method: str = "ellipsoidal", zone=None, densify_m=None, reference=None
):
    """Every feature's area as a report shows it, and the features left out with the reason.

    Returns ``(shown, excluded, label)``: ``shown`` has ``area_m2`` and ``area_<unit>``, each
    feature's measured value rounded once (:func:`landkit.units.shown`), the same figure every
    output shows; the total reported is the sum of the rows shown;
    ``excluded`` has a ``reason`` per feature (no geometry, invalid geometry, not a polygon, or
    coordinates its CRS cannot hold, checked against ``reference`` or the CRS's area of use).
    """
    from .crs import misplaced
    from .units import shown as rounded

    g = gdf.geometry.to_numpy()
    polygonal = _polygonal(g)
    if not polygonal.any():
        kinds = ", ".join(sorted(set(gdf.geometry.geom_type.dropna())))
        raise CRSError(code="measure.not_polygons" if kinds else "measure.no_geometry", kinds=kinds)
    codes = np.select(
        [
            shapely.is_missing(g) | shapely.is_empty(g),
            ~polygonal,
            misplaced(gdf, reference=reference),
            ~shapely.is_valid(g),
        ],
        list(EXCLUDED),
        default="",
    )
    ok = codes == ""
    m2 = area(gdf[ok], method=method, zone=zone, densify_m=densify_m)
    decimals = {"m2": 2, "mu": 2, "ha": 4, "km2": 6}[unit]
    shown = pd.DataFrame(
        {
            "area_m2": rounded(m2.to_numpy(), 2),
            f"area_{unit}": rounded(convert_area(m2.to_numpy(), "m2", unit), decimals),
        },
        index=gdf.index[ok],
    )
    excluded = pd.DataFrame({"reason": [EXCLUDED[c] for c in codes[~ok]]}, index=gdf.index[~ok])
    return shown, excluded, m2.attrs["area_method"]


def _warn_far_from_meridian(geoms: gpd.GeoSeries, plane: CRS) -> None:
    op = plane.coordinate_operation
    if op is None:
        return
    west, south, east, north = _lonlat_bounds(geoms)
    if "Mercator" in op.method_name and "Transverse" not in op.method_name:
        factor = 1 / np.cos(np.radians((south + north) / 2)) ** 2 - 1
        warnings.warn(
            LandkitWarning(
                code="measure.mercator", name=plane.name, factor=f"{factor:.0%}", lat=f"{(south + north) / 2:.1f}"
            ),
            stacklevel=3,
        )
        return
    params = {p.name: p.value for p in op.params}
    cm = params.get("Longitude of natural origin")
    if not isinstance(cm, float):
        return
    far = max(abs(west - cm), abs(east - cm))
    if far > 1.5:  # outside the 3-degree zone the projection was made for
        # the scale grows towards the equator: take the layer's latitude nearest to it
        lat = np.radians(np.clip(0.0, south, north))
        distortion = (np.radians(far) * np.cos(lat)) ** 2
        warnings.warn(
            LandkitWarning(
                code="measure.far_from_meridian",
                far=f"{far:.2f}",
                cm=f"{cm:g}",
                epsg=plane.to_epsg(),
                distortion=f"{distortion:.1e}",
                per_ha=f"{distortion * 1e4:.1f}",
                zone=_zone_for(west, east),
            ),
            stacklevel=3,
        )


def _zone_for(west: float, east: float) -> int:
    return gk_zone_epsg((west + east) / 2)


def length(gdf: gpd.GeoDataFrame | gpd.GeoSeries, *, unit: str = "km") -> pd.Series:
    """Return each line's geodesic length on the CGCS2000 ellipsoid, in ``"m"`` or ``"km"``.

    Examples
    --------
    >>> import landkit
    >>> roads = landkit.read_layer(landkit.SAMPLE_PATH, "roads")
    >>> round(float(length(roads).sum()), 1)
    21.5
    """
    geoms = _geoms(gdf)
    parts, owner = shapely.get_parts(geoms.to_crs("EPSG:4490").to_numpy(), return_index=True)
    coords, part = shapely.get_coordinates(parts, return_index=True)
    same = part[:-1] == part[1:]
    _, _, seg = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    per_part = np.bincount(part[:-1][same], weights=np.asarray(seg)[same], minlength=len(parts))
    total = np.bincount(owner, weights=per_part, minlength=len(geoms))
    total[(geoms.isna() | geoms.is_empty).to_numpy()] = np.nan
    out = pd.Series(total / (1000.0 if unit == "km" else 1.0), index=gdf.index, name=f"length_{unit}")
    out.attrs["length_method"] = "geodesic (CGCS2000 ellipsoid, Karney)"
    return out


def figures(gdf: gpd.GeoDataFrame | gpd.GeoSeries, m2: pd.Series | None = None) -> pd.DataFrame:
    """Each feature's ellipsoidal area as every output shows it: ``area_m2`` and ``area_mu``, each
    rounded once from the measured value (NaN where there is no area). ``m2`` is :func:`area`
    of the same features, when the caller has it."""
    from .units import shown as rounded

    m2 = area(gdf) if m2 is None else m2
    values = m2.to_numpy(dtype=float)
    out = pd.DataFrame({"area_m2": rounded(values, 2), "area_mu": rounded(values / M2_PER_MU, 2)}, index=m2.index)
    out.attrs = dict(m2.attrs)  # the method's label travels with the figures
    return out
