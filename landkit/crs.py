"""CGCS2000, its Gauss-Krueger zones, and the GCJ-02 offset datum of Chinese web maps."""

from __future__ import annotations

import warnings

import numpy as np
import shapely
from pyproj import CRS, Transformer

from .errors import CRSError, Phrase

# GCJ-02 is defined by its forward formula only (Krasovsky-like constants, fixed terms); PROJ
# cannot do it, so it is implemented here and inverted by iterating the forward transform.
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323


def _gcj_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = lon - 105.0, lat - 35.0
    pi = np.pi
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += common
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1 - _GCJ_EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_GCJ_A * (1 - _GCJ_EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_GCJ_A / sqrtmagic * np.cos(radlat) * pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Shift WGS84/CGCS2000 longitudes and latitudes into GCJ-02 (AMap, Tencent tiles).

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(112.9, 33.74)
    >>> round(float(lon), 9), round(float(lat), 9)
    (112.90588917, 33.738311019)
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    dlon, dlat = _gcj_offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat, *, tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
    """Invert GCJ-02 exactly by fixed-point iteration of the forward transform.

    The common one-step inverse leaves about 0.2 m of error; this converges to ``tol`` degrees.
    """
    glon, glat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x, y = glon.copy(), glat.copy()
    for _ in range(30):
        fx, fy = wgs84_to_gcj02(x, y)
        ex, ey = fx - glon, fy - glat
        x, y = x - ex, y - ey
        if max(np.max(np.abs(ex), initial=0.0), np.max(np.abs(ey), initial=0.0)) < tol:
            break
    return x, y


def geometry_gcj02_to_wgs84(geometry):
    """Convert shapely geometries (an array or one) from GCJ-02 to WGS84/CGCS2000 lon/lat."""
    return shapely.transform(geometry, lambda c: np.column_stack(gcj02_to_wgs84(c[:, 0], c[:, 1])))


def geometry_wgs84_to_gcj02(geometry):
    """Shift shapely geometries from WGS84/CGCS2000 lon/lat into GCJ-02 for display on AMap."""
    return shapely.transform(geometry, lambda c: np.column_stack(wgs84_to_gcj02(c[:, 0], c[:, 1])))


def gk_zone_epsg(lon: float, *, prefixed: bool = False) -> int:
    """Return the EPSG code of the CGCS2000 3-degree Gauss-Krueger zone containing ``lon``.

    Zone n has its central meridian at 3n degrees; EPSG:4534-4554 are the unprefixed zones
    25-45 (CM 75E-135E), EPSG:4513-4533 the same zones with the zone number in the easting.

    Examples
    --------
    >>> gk_zone_epsg(112.9), gk_zone_epsg(112.4), gk_zone_epsg(112.9, prefixed=True)
    (4547, 4546, 4526)
    """
    zone = int(np.floor(lon / 3.0 + 0.5))
    if not 25 <= zone <= 45:
        raise CRSError(code="crs.no_gk_zone", lon=lon)
    return (4513 if prefixed else 4534) + zone - 25


def require_crs(crs, *, where: object = None, layer: str | None = None) -> CRS:
    """Return the layer's CRS, or raise a CRSError that says how to declare one; ``where`` (a file) and
    ``layer`` name the layer when known."""
    if crs is None:
        code = "crs.none" + ("_at" if where is not None else "") + ("_layer" if layer is not None else "")
        raise CRSError(code=code, where=where, layer=layer)
    return CRS.from_user_input(crs)


#: Where Chinese data can be at all (longitude and latitude bounds): for a CRS without an area of use.
CHINA_BOUNDS = (73.0, 18.0, 135.5, 54.0)
#: China's whole territory, land and sea, in longitude and latitude: from the Pamirs (73.5°E) to the
#: Wusuli river (135.1°E), from 曾母暗沙 James Shoal (3.9°N) to 漠河 Mohe (53.6°N), with the Paracel
#: (西沙, 15.7–17.1°N) and Spratly (南沙) islands; with half a degree of margin. EPSG:4490's own area
#: of use ("China - onshore and offshore", from 16.7°N) leaves out the Paracels' south and the Spratlys:
#: its south is moved to this box's (its other edges, with their margin, already hold the rest).
CHINA_TERRITORY = (73.0, 3.4, 135.6, 54.0)
#: How far past ±180 (and ±90) a coordinate may lie and still be on the edge: floating-point noise
#: such as x = 180.00000000000006 (Natural Earth's Russia), not a different place (1e-9° is 0.1 mm).
EDGE_DEG = 1e-9


def _is_cgcs2000(crs: CRS) -> bool:
    datum = crs.datum
    name = datum.name.lower() if datum is not None else ""
    return "china" in name and "2000" in name  # "China 2000" (EPSG:1043), "China Geodetic Coordinate System 2000"


def _lonlat_box(bounds, crs) -> tuple[float, float, float, float] | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PROJ warns on absurd inputs; inf is the answer we want
        try:
            t = Transformer.from_crs(crs, "EPSG:4490", always_xy=True)
            box = t.transform_bounds(bounds[0], bounds[1], bounds[2], bounds[3], errcheck=True)
        except Exception:  # any failure means the coordinates cannot be in this CRS
            return None
    return box if np.isfinite(box).all() else None


def _inside(box, area) -> bool:
    return box is not None and box[0] >= area[0] and box[1] >= area[1] and box[2] <= area[2] and box[3] <= area[3]


def county_box(reference) -> tuple[float, float, float, float]:
    """The lon/lat box a ``reference`` layer (the county outline) allows, with 0.05° of margin; a box
    already computed is returned as it is, so that many layers are checked against one
    reprojection of the county (``reference=county_box(county)``)."""
    if isinstance(reference, tuple):
        return reference
    w, s, e, n = reference.to_crs("EPSG:4490").total_bounds
    return (w - 0.05, s - 0.05, e + 0.05, n + 0.05)


def _expected_area(crs: CRS, reference=None) -> tuple[tuple[float, float, float, float], Phrase]:
    """Where the coordinates may lie (lon/lat box) and how to say it (``outside …``, in either language):
    the county, else the CRS's area of use.

    A projected CRS is allowed 1.5 degrees beyond its area of use (a Gauss-Krueger zone's data
    reaches past its 3-degree band, as the county does past 112.5E), a geographic one 0.5.
    """
    if reference is not None:
        return county_box(reference), Phrase("crs.outside_county")
    aou = crs.area_of_use
    if aou is None:
        return CHINA_BOUNDS, Phrase("crs.outside_china")
    m = 1.5 if crs.is_projected else 0.5
    w, e = -180.0 - EDGE_DEG, 180.0 + EDGE_DEG  # x = 180.00000000000006 is on the antimeridian, not past it
    box = (
        max(aou.west - m, w),
        max(aou.south - m, -90.0 - EDGE_DEG),
        min(aou.east + m, e),
        min(aou.north + m, 90.0 + EDGE_DEG),
    )
    if aou.west > aou.east:  # an area of use across the antimeridian: only latitude can be checked
        box = (w, box[1], e, box[3])
    if crs.is_geographic and _is_cgcs2000(crs):  # China's whole territory: the South China Sea islands too
        box = (box[0], min(box[1], CHINA_TERRITORY[1]), box[2], box[3])
    return box, Phrase("crs.outside_use", name=crs.name, area=aou.name)


def misplaced(gdf, *, reference=None):
    """Which features cannot be where the layer's CRS puts them (a boolean array, per feature).

    Each feature's bounding box is taken to longitude/latitude and compared with the county
    (``reference``) or, without one, the CRS's area of use. Missing geometries are not misplaced.
    """
    crs = require_crs(gdf.crs)
    area, _ = _expected_area(crs, reference)
    bounds = shapely.bounds(gdf.geometry.to_numpy())  # (n, 4), NaN for missing or empty geometries
    present = np.isfinite(bounds).all(axis=1)  # NaN or infinite vertices are the schema check's finding
    out = np.zeros(len(bounds), dtype=bool)
    if not present.any():
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = Transformer.from_crs(crs, "EPSG:4490", always_xy=True)
        xs = bounds[present][:, [0, 2, 2, 0]]
        ys = bounds[present][:, [1, 1, 3, 3]]
        lon, lat = t.transform(xs, ys, errcheck=False)
    lon, lat = np.asarray(lon), np.asarray(lat)
    ok = np.isfinite(lon).all(axis=1) & np.isfinite(lat).all(axis=1)
    ok &= (lon.min(axis=1) >= area[0]) & (lat.min(axis=1) >= area[1])
    ok &= (lon.max(axis=1) <= area[2]) & (lat.max(axis=1) <= area[3])
    out[present] = ~ok
    return out


def diagnose_crs(gdf, *, reference=None, lang: str = "en") -> str | None:
    """Say why a layer's coordinates cannot be in its declared CRS, and which CRS they fit.

    The coordinates are checked against ``reference`` (a GeoDataFrame such as the county
    outline, with a little margin) or, without one, against the CRS's own area of use. Finds a
    missing or extra Gauss-Krueger zone prefix, a zone off by 3 degrees, swapped longitude and
    latitude, and Web Mercator declared as something else. Returns None when most features fit:
    the few that do not are findings of their own (:func:`misplaced`), not the layer's.
    ``lang="zh"``: in Chinese (the code to run stays code); :func:`crs_diagnosis` gives it in both.
    """
    said = crs_diagnosis(gdf, reference=reference)
    return None if said is None else said.text(lang)


def crs_diagnosis(gdf, *, reference=None) -> Phrase | None:
    """:func:`diagnose_crs` as a coded phrase, to be said in either language (or given to an error)."""
    crs = require_crs(gdf.crs)
    wrong = misplaced(gdf, reference=reference)
    present = ~shapely.is_missing(gdf.geometry.to_numpy()) & ~shapely.is_empty(gdf.geometry.to_numpy())
    if not wrong.any() or wrong.sum() * 2 <= present.sum():
        return None
    bounds = np.asarray(shapely.total_bounds(gdf.geometry.to_numpy()[wrong]), dtype=float)
    if not np.isfinite(bounds).all():
        return Phrase("crs.not_finite")
    area, where = _expected_area(crs, reference)
    declared = _lonlat_box(bounds, crs)
    # 3736000, not 3.736e+06; from 1e5 up both forms agree, and .6g writes 999999.6 as 1e+06
    b = [f"{v:.6g}" if abs(v) < 1e5 else f"{v:.0f}" for v in bounds]
    box = f"x {b[0]}..{b[2]}, y {b[1]}..{b[3]}"
    seen = Phrase("crs.nowhere") if declared is None else Phrase("crs.at", lon=declared[0], lat=declared[1])
    head = Phrase("crs.cannot_be_in", box=box, crs=crs.to_string(), name=crs.name, seen=seen, where=where)
    if _inside(_lonlat_box(bounds[[1, 0, 3, 2]], "EPSG:4490"), area):
        return Phrase("crs.swapped", head=head, swap="shapely.transform(g, lambda c: c[:, ::-1])")
    fits = fitting_crs(bounds, area, exclude=crs.to_epsg())
    if len(fits) == 1:
        call = f"gdf.set_crs('EPSG:{fits[0]}', allow_override=True)"
        return Phrase("crs.fits_one", head=head, epsg=fits[0], name=CRS.from_epsg(fits[0]).name, call=call)
    if fits:
        return Phrase("crs.fits_several", head=head, listed=", ".join(f"EPSG:{e}" for e in fits[:4]))
    return Phrase("crs.fits_none", head=head)


def fitting_crs(bounds, area, *, exclude: int | None = None) -> list[int]:
    """The common Chinese CRSs (CGCS2000 lon/lat, its Gauss-Krueger zones, Web Mercator) in which
    coordinates with these bounds would lie inside ``area``."""
    prefix_zone = int(bounds[0] // 1_000_000)  # a zone-prefixed easting starts with its zone number
    candidates = [4490, *range(4534, 4555), 3857]
    if 25 <= prefix_zone <= 45:
        candidates.append(4513 + prefix_zone - 25)
    return [e for e in candidates if e != exclude and _inside(_lonlat_box(bounds, f"EPSG:{e}"), area)]


def zone_warning(gdf, lang: str = "en") -> str | None:
    """Say so (in ``lang``) when a layer in a Gauss-Krueger zone lies outside that zone's 3-degree band."""
    crs = require_crs(gdf.crs)
    epsg = crs.to_epsg() or 0
    if not (4513 <= epsg <= 4554):
        return None
    box = _lonlat_box(np.asarray(gdf.total_bounds, dtype=float), crs)
    if box is None:
        return None
    cm = 3.0 * (epsg - (4513 if epsg <= 4533 else 4534) + 25)
    far = max(abs(box[0] - cm), abs(box[2] - cm))
    if far <= 1.5:
        return None
    right = gk_zone_epsg((box[0] + box[2]) / 2, prefixed=epsg <= 4533)
    return Phrase("crs.outside_zone", epsg=epsg, cm=f"{cm:g}", far=f"{far:.2f}", right=right).text(lang)


#: Datums whose transformation to CGCS2000 PROJ knows only as a "ballpark" (no published
#: parameters or grid of survey accuracy): errors of tens of metres to about 100 m.
OLD_DATUMS = ("Xian 1980", "Beijing 1954", "New Beijing")


def old_datum(crs) -> str | None:
    """The name of the old Chinese datum a CRS is on (Xi'an 1980, Beijing 1954), else None."""
    datum = CRS.from_user_input(crs).datum
    name = datum.name if datum is not None else ""
    return next((d for d in OLD_DATUMS if d.lower() in name.lower()), None)


def _datum_words(crs: CRS) -> Phrase | str:
    """A CRS as the datum message names it: ``the Xian 1980 datum``, else the CRS's own name."""
    datum = old_datum(crs)
    return Phrase("crs.datum", datum=datum) if datum else crs.name


def reproject(gdf, to_crs, *, datum_transform: str | None = None, accept_ballpark: bool = False, where: str = ""):
    """Reproject a layer, refusing to cross from Xi'an 1980 or Beijing 1954 to another datum by guesswork.

    There is no public transformation of survey accuracy between those datums and CGCS2000: the
    county's surveying bureau holds the 7 parameters (or a grid). Give them as
    ``datum_transform="+towgs84=dx,dy,dz,rx,ry,rz,ds"`` (or any PROJ pipeline from the layer's
    coordinates to ``to_crs``), or accept PROJ's ballpark shift with ``accept_ballpark=True``.
    """
    source, target = CRS.from_user_input(gdf.crs), CRS.from_user_input(to_crs)
    crossing = old_datum(source) != old_datum(target) and (old_datum(source) or old_datum(target))
    if not crossing or (accept_ballpark and not datum_transform):
        return gdf.to_crs(target)
    if not datum_transform:
        raise CRSError(code="crs.ballpark", where=where, source=_datum_words(source), target=_datum_words(target))
    text = datum_transform.strip()
    try:
        if text.startswith("+towgs84="):
            # the 7 parameters take the layer to WGS 84, which agrees with CGCS2000 to centimetres
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # to_proj4 warns that a PROJ string says less than WKT
                bound = CRS.from_proj4(f"{source.to_proj4()} {text}")
            steps = [
                Transformer.from_crs(bound, 4326, always_xy=True),
                Transformer.from_crs(4490, target, always_xy=True),
            ]
        else:
            steps = [Transformer.from_pipeline(text)]
    except Exception as exc:  # pyproj's own errors: a typo in the parameters
        raise CRSError(code="crs.bad_transform", where=where, text=text, detail=exc) from None

    def move(c):
        x, y = c[:, 0], c[:, 1]
        for step in steps:
            x, y = step.transform(x, y)
        return np.column_stack([x, y])

    out = gdf.copy()
    out[out.geometry.name] = shapely.transform(gdf.geometry.to_numpy(), move)
    return out.set_crs(target, allow_override=True)


#: Projections whose scale at a point is the same in every direction (conformal) or whose areal
#: scale is 1 (equal-area): a small feature's area and widths follow exactly from PROJ's factors.
_EXACT_SCALE = (
    "Transverse Mercator", "Lambert Conic Conformal", "Oblique Stereographic", "Polar Stereographic",
    "Hotine Oblique Mercator", "Mercator (variant", "Albers Equal Area", "Lambert Azimuthal Equal Area",
    "Lambert Cylindrical Equal Area",
)  # fmt: skip


def scale_is_exact(crs) -> bool:
    """Whether a projected CRS is conformal or equal-area (not Web Mercator, not lon/lat)."""
    op = CRS.from_user_input(crs).coordinate_operation
    return op is not None and any(op.method_name.startswith(name) for name in _EXACT_SCALE)


#: The widest extent (degrees of longitude, of latitude) checked in one UTM zone: a county, a
#: province. Beyond it (a country, a continent, the world) a transverse Mercator is far from true
#: and bends long edges: valid polygons become invalid, shared borders open into gaps and overlaps.
ONE_ZONE_DEG = (12.0, 20.0)


def lonlat_extent(gdf) -> tuple[float, float, float, float] | None:
    """The layer's extent in longitude and latitude (its finite features only; None without one)."""
    crs = CRS.from_user_input(gdf.crs)
    b = shapely.bounds(gdf.geometry.to_numpy())
    b = b[np.isfinite(b).all(axis=1)]
    if not len(b):
        return None
    box = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    if crs.is_geographic:
        return box
    found = _lonlat_box(box, crs)
    return None if found is None else tuple(float(v) for v in found)  # type: ignore[return-value]


def world_frame(extent) -> CRS:
    """A frame for a layer wider than one zone: the equidistant cylindrical projection on the GRS80
    ellipsoid, true to scale along the extent's middle latitude, without wrapping longitudes (+over).

    Taken from longitude and latitude it is an affine map (x = k·lon, y = k'·lat): the topology of
    the data as given is kept exactly (a valid polygon stays valid, a shared border stays shared,
    x = 180.00000000000006 stays beside 180), and across the antimeridian nothing is cut. Distances
    are true along meridians and along the middle latitude; tolerances in metres hold within the
    factor cos(lat)/cos(middle); areas are measured on the ellipsoid, feature by feature, in any case.
    """
    mid = float(np.clip((extent[1] + extent[3]) / 2, -60.0, 60.0))
    return CRS.from_proj4(f"+proj=eqc +lat_ts={mid:.6f} +lon_0=0 +ellps=GRS80 +units=m +over +no_defs")


def metric_crs(gdf):
    """The CRS to apply thresholds in metres in: the layer's own when it is a projection in metres
    that keeps distances true to a few 1e-4, else the UTM zone of the data when it fits one
    (:data:`ONE_ZONE_DEG`). A wider layer in longitude and latitude is checked in
    :func:`world_frame` (its topology as given), a wider projected layer in its own frame."""
    crs = CRS.from_user_input(gdf.crs)
    if crs.is_projected and crs.axis_info[0].unit_conversion_factor == 1.0 and scale_is_exact(crs):
        return None
    extent = lonlat_extent(gdf)
    wide = extent is None or (extent[2] - extent[0] > ONE_ZONE_DEG[0] or extent[3] - extent[1] > ONE_ZONE_DEG[1])
    near_pole = extent is not None and max(abs(extent[1]), abs(extent[3])) > 84.0  # beyond UTM's latitudes
    if not (wide or near_pole):
        return gdf.estimate_utm_crs()
    if extent is None or not crs.is_geographic:
        return (
            None
            if crs.is_projected and crs.axis_info[0].unit_conversion_factor == 1.0
            else world_frame(extent or (0, 0, 0, 0))
        )
    return world_frame(extent)


def map_crs(extent, lon: float | None = None) -> CRS:
    """The projection to draw (or frame) data with this longitude/latitude ``extent`` in: when it
    fits one zone (:data:`ONE_ZONE_DEG`, away from the poles), the CGCS2000 3-degree Gauss-Krüger
    zone of ``lon`` (default: the extent's middle) in China's zones 25-45, else its UTM zone; a
    wider extent, anywhere on Earth, in :func:`world_frame`.

    Examples
    --------
    >>> map_crs((112.5, 33.5, 113.2, 34.0)).to_epsg(), map_crs((2.2, 48.8, 2.5, 48.9)).to_epsg()
    (4547, 32631)
    >>> map_crs((-180.0, -90.0, 180.0, 83.6)).coordinate_operation.method_name
    'Equidistant Cylindrical'
    """
    w, s, e, n = (float(v) for v in extent)
    lon = (w + e) / 2 if lon is None else float(lon)
    if e - w > ONE_ZONE_DEG[0] or n - s > ONE_ZONE_DEG[1] or max(abs(s), abs(n)) > 84.0:
        return world_frame(extent)
    if 25 <= int(np.floor(lon / 3.0 + 0.5)) <= 45 and _inside((w, s, e, n), CHINA_TERRITORY):
        return CRS.from_epsg(gk_zone_epsg(lon))
    zone = int(np.floor((((lon + 180.0) % 360.0) - 180.0 + 180.0) / 6.0)) % 60 + 1
    return CRS.from_epsg((32600 if (s + n) / 2 >= 0 else 32700) + zone)
