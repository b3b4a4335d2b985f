"""landkit: land-reserve and resettlement planning on exact, ellipsoidal areas.

The public surface: read and write projects (GeoPackage), validate them against the
project-file contract, record the ledgers, measure areas the way Chinese land surveys do, and
build the illustrative Lushan sample project.

Names are imported on first use (PEP 562), so that ``landkit record`` starts without loading
pandas and GDAL; ``from landkit import area`` works as usual.
"""

from __future__ import annotations

import importlib
import importlib.util
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("landkit")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0+unknown"

#: public name -> the module that defines it
_WHERE = {
    "gcj02_to_wgs84": "crs",
    "gk_zone_epsg": "crs",
    "wgs84_to_gcj02": "crs",
    "CRSError": "errors",
    "DataError": "errors",
    "LandkitError": "errors",
    "LayerExistsError": "errors",
    "ProjectLockedError": "errors",
    "SchemaError": "errors",
    "check_geopackage": "store",
    "content_hash": "store",
    "list_layers": "store",
    "read_layer": "store",
    "read_project": "store",
    "write_layer": "store",
    "write_project": "store",
    "import_layer": "io",
    "LedgerError": "ledger",
    "record_event": "ledger",
    "record_events": "ledger",
    "record_relocation_event": "ledger",
    "sync": "ledger",
    "area": "measure",
    "length": "measure",
    "SAMPLE_PATH": "datasets",
    "write_sample": "datasets",
    "open_project": "store",
    "LAYERS": "schema",
    "PARCEL_STATUSES": "schema",
    "Problem": "checks",
    "check_layer": "checks",
    "check_project": "checks",
    "validate": "checks",
    "M2_PER_MU": "units",
    "convert_area": "units",
}

__all__ = [
    "LAYERS",
    "M2_PER_MU",
    "PARCEL_STATUSES",
    "SAMPLE_PATH",
    "CRSError",
    "DataError",
    "LandkitError",
    "LayerExistsError",
    "LedgerError",
    "Problem",
    "ProjectLockedError",
    "SchemaError",
    "__version__",
    "area",
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
    "open_project",
    "read_layer",
    "read_project",
    "record_event",
    "record_events",
    "record_relocation_event",
    "sync",
    "validate",
    "wgs84_to_gcj02",
    "write_layer",
    "write_project",
    "write_sample",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    if importlib.util.find_spec(f"{__name__}.{name}") is not None:  # a submodule: landkit.reserve …
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'landkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


if TYPE_CHECKING:  # what type checkers and editors see
    from .checks import Problem, check_layer, check_project, validate
    from .crs import gcj02_to_wgs84, gk_zone_epsg, wgs84_to_gcj02
    from .datasets import SAMPLE_PATH, write_sample
    from .errors import CRSError, DataError, LandkitError, LayerExistsError, ProjectLockedError, SchemaError
    from .io import import_layer
    from .ledger import LedgerError, record_event, record_events, record_relocation_event, sync
    from .measure import area, length
    from .schema import LAYERS, PARCEL_STATUSES
    from .store import (
        check_geopackage,
        content_hash,
        list_layers,
        open_project,
        read_layer,
        read_project,
        write_layer,
        write_project,
    )
    from .units import M2_PER_MU, convert_area
