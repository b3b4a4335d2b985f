"""Where the bundled data lives: the illustrative sample project and the real county outline.

The sample's generator is :mod:`landkit.sample`; this module only finds files, so that the
command line can name the sample without loading pandas.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Folder of the bundled data: $LANDKIT_DATA, the checkout's data/, or ./data.
_checkout = Path(__file__).resolve().parents[1] / "data"
DATA_DIR = Path(os.environ.get("LANDKIT_DATA") or (_checkout if _checkout.exists() else "data"))

#: The illustrative Lushan project (示意数据).
SAMPLE_PATH = DATA_DIR / "parcels" / "lushan.gpkg"

_COUNTY = "lushan-county-410423.geojson"
#: The real outline of 鲁山县; a checkout has it in data/, an installed landkit in
#: <prefix>/share/landkit (pyproject data-files).
COUNTY_PATH = next(
    (p for p in (DATA_DIR / _COUNTY, Path(sys.prefix) / "share" / "landkit" / _COUNTY) if p.exists()),
    DATA_DIR / _COUNTY,
)
