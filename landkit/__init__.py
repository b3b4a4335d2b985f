"""landkit: land-reserve and resettlement planning on exact, ellipsoidal areas.

The public surface: read and write project files (GeoPackage), validate them against the
project-file contract, measure areas the way Chinese land surveys do, and build the
illustrative Lushan sample project.
"""

from importlib.metadata import PackageNotFoundError, version

from .crs import gcj02_to_wgs84, gk_zone_epsg, wgs84_to_gcj02
from .errors import CRSError, DataError, LandkitError, LayerExistsError, ProjectLockedError, SchemaError
from .io import (
    check_geopackage,
    content_hash,
    import_layer,
    list_layers,
    read_layer,
    read_project,
    record_event,
    record_relocation_event,
    write_layer,
    write_project,
)
from .measure import area, length
from .sample import SAMPLE_PATH, build_sample, write_sample
from .schema import LAYERS, PARCEL_STATUSES, Problem, check_layer, check_project, validate
from .units import M2_PER_MU, convert_area

try:
    __version__ = version("landkit")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "LAYERS",
    "M2_PER_MU",
    "PARCEL_STATUSES",
    "SAMPLE_PATH",
    "CRSError",
    "DataError",
    "LandkitError",
    "LayerExistsError",
    "Problem",
    "ProjectLockedError",
    "SchemaError",
    "__version__",
    "area",
    "build_sample",
    "check_geopackage",
    "check_layer",
    "check_project",
    "content_hash",
    "convert_area",
    "gcj02_to_wgs84",
    "gk_zone_epsg",
    "import_layer",
    "length",
    "list_layers",
    "read_layer",
    "read_project",
    "record_event",
    "record_relocation_event",
    "validate",
    "wgs84_to_gcj02",
    "write_layer",
    "write_project",
    "write_sample",
]
